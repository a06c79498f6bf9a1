"""Whatever the bytes, a reader returns a well-formed transcript or raises InputError."""

from __future__ import annotations

import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coder.errors import InputError
from coder.ingest import ParsedTranscript, read_transcript

LINES = st.lists(
    st.one_of(
        st.text(max_size=60),
        st.sampled_from(
            [
                "WEBVTT",
                "",
                "1",
                "00:00:01.000 --> 00:00:02.000",
                "00:00:01,000 --> 00:00:02,000",
                "NOTE x",
                "<v Ana>Hi</v>",
                "Ana: hello",
                "Interviewer: so?",
                "[00:01:02] Ben: yes",
                "Speaker 1 (00:03):",
                "Alice  0:03",
                "[Bob] hi",
                "\ufeff",
                "\r",
                "e\u0301",
            ]
        ),
    ),
    max_size=25,
).map("\n".join)


def well_formed(parsed: ParsedTranscript) -> None:
    text = parsed.text
    assert "\r" not in text and "\ufeff" not in text
    assert unicodedata.is_normalized("NFC", text)
    assert all(line == line.rstrip() for line in text.split("\n"))
    previous = 0
    for turn in parsed.turns:
        assert previous <= turn.start < turn.end <= len(text)
        assert text[turn.start : turn.end] == text[turn.start : turn.end].strip()
        previous = turn.end


def read_bytes_as(name: str, data: bytes) -> ParsedTranscript | None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            return read_transcript(path)
        except InputError as error:
            assert str(path) in str(error)
            return None


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["t.txt", "t.md", "t.vtt", "t.srt"]), LINES)
def test_any_text_reads_or_fails_cleanly(name: str, content: str) -> None:
    parsed = read_bytes_as(name, content.encode("utf-8", "surrogatepass"))
    if parsed is not None:
        well_formed(parsed)


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["t.txt", "t.vtt", "t.srt", "t.docx", "t.odt", "t.rtf", "t.pdf"]),
    st.binary(max_size=300),
)
def test_any_bytes_read_or_fail_cleanly(name: str, data: bytes) -> None:
    parsed = read_bytes_as(name, data)
    if parsed is not None:
        well_formed(parsed)


@pytest.mark.parametrize("name", ["interview.docx", "interview.odt", "interview.pdf"])
def test_truncated_documents_fail_cleanly(fixtures: Path, name: str) -> None:
    data = (fixtures / name).read_bytes()
    for size in (10, len(data) // 3, len(data) // 2, len(data) - 20):
        parsed = read_bytes_as(name, data[:size])
        if parsed is not None:
            well_formed(parsed)
