"""Encodings, line endings and Unicode normalisation of text files."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from ingest_helpers import Read

from coder.ingest import read_transcript

EXPECTED = (
    "Interviewer: Qu’est-ce que le café représentait pour vous ?\n\n"
    "Participant: Un lieu de rencontre, déjà avant le projet.\n\n"
    "Interviewer: Et après ?\n\n"
    "Participant: Naïve question… mais oui, c’était différent."
)


@pytest.mark.parametrize(
    ("name", "encoding", "guessed"),
    [
        ("utf8_bom_crlf.txt", "utf-8", False),
        ("utf16le_bom.txt", "utf-16-le", False),
        ("utf16be_bom.txt", "utf-16-be", False),
        ("utf16le_nobom.txt", "utf-16-le", True),
        ("cp1252_crlf.txt", "cp1252", True),
        ("mac_cr.txt", "utf-8", False),
    ],
)
def test_encodings_and_line_endings(
    fixtures: Path, name: str, encoding: str, guessed: bool
) -> None:
    parsed = read_transcript(fixtures / name)
    assert parsed.text == EXPECTED
    assert parsed.encoding == encoding
    assert parsed.encoding_guessed is guessed
    assert [t.speaker for t in parsed.turns] == ["Interviewer", "Participant"] * 2
    assert "\r" not in parsed.text and "\ufeff" not in parsed.text


def test_nfc_and_trailing_whitespace(fixtures: Path) -> None:
    parsed = read_transcript(fixtures / "nfd.txt")
    assert parsed.text == "I: Tell me about the café.\n\nR: It was the résumé of our work."
    assert unicodedata.is_normalized("NFC", parsed.text)
    assert "e\u0301" not in parsed.text


def test_emoji_offsets_are_code_points(fixtures: Path) -> None:
    parsed = read_transcript(fixtures / "emoji.txt")
    assert parsed.text == "Interviewer: How did it feel? 🙂\n\nPatient: Great 👍🏽 honestly. Ça va."
    assert [parsed.text[t.start : t.end] for t in parsed.turns] == [
        "How did it feel? 🙂",
        "Great 👍🏽 honestly. Ça va.",
    ]
    assert parsed.turns[1].start == len("Interviewer: How did it feel? 🙂\n\nPatient: ")


def test_latin1_only_bytes(read: Read) -> None:
    parsed = read("latin.txt", "I: Où ?\nR: À la crèche, près du lycée.\n".encode("latin-1"))
    assert parsed.text == "I: Où ?\n\nR: À la crèche, près du lycée."
    assert parsed.encoding_guessed


def test_cyrillic_code_page_is_not_forced_to_cp1252(read: Read) -> None:
    text = "Интервьюер: Как вы начали работать в клинике и что изменилось?\n" * 3
    parsed = read("ru.txt", text.encode("cp1251"))
    assert "Как вы начали" in parsed.text
    assert parsed.encoding_guessed


def test_unicode_line_separators_become_newlines(read: Read) -> None:
    parsed = read("seps.txt", "I: One\u2028two\fthree\r\nR: Four\rI: Five\n")
    assert parsed.text == "I: One\ntwo\nthree\n\nR: Four\n\nI: Five"
