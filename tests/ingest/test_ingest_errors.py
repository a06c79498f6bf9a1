"""Bad input: each gets an InputError naming the file, the line where one applies, and what
to do."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ingest_helpers import Read

from coder.errors import InputError
from coder.ingest import read_transcript


def error_for(path: Path, **options: int) -> InputError:
    with pytest.raises(InputError) as caught:
        read_transcript(path, **options)  # type: ignore[arg-type]
    error = caught.value
    assert error.path == path
    assert str(path) in str(error)
    return error


def test_empty_file(fixtures: Path) -> None:
    assert "empty" in str(error_for(fixtures / "empty.txt"))


def test_whitespace_only_file(fixtures: Path) -> None:
    assert "only whitespace" in str(error_for(fixtures / "blank.txt"))


def test_image_renamed_to_txt(fixtures: Path) -> None:
    message = str(error_for(fixtures / "image.txt"))
    assert "PNG image" in message and "extension" in message


def test_program_renamed_to_srt(fixtures: Path) -> None:
    assert "Windows program" in str(error_for(fixtures / "program.srt"))


def test_undecodable_binary_without_magic(read: Read) -> None:
    junk = bytes([0x00, 0x9F, 0xFE, 0x01, 0x00, 0x00, 0x13]) * 200
    with pytest.raises(InputError, match="binary"):
        read("junk.txt", junk)


def test_zip_that_is_no_document(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "notes.pages"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Index/Document.iwa", b"\x00\x01")
    message = str(error_for(path))
    assert "neither a Word (.docx) nor an OpenDocument (.odt)" in message


def test_old_word_doc_gets_advice(read: Read) -> None:
    with pytest.raises(InputError, match=r"save it as \.docx"):
        read("old.doc", b"\xd0\xcf\x11\xe0")


def test_file_over_the_size_limit(fixtures: Path) -> None:
    message = str(error_for(fixtures / "name_colon.txt", max_bytes=100))
    assert re.search(r"is 425 bytes, larger than the 100 bytes limit", message)


def test_size_limit_in_megabytes(read: Read) -> None:
    with pytest.raises(InputError, match=r"is 0\.3 MB, larger than the 0\.2 MB limit"):
        read("big.txt", "I: x\n" * 60_000, max_bytes=200_000)


def test_missing_file(tmp_path: Path) -> None:
    assert "no such file" in str(error_for(tmp_path / "nope.txt"))


def test_folder(tmp_path: Path) -> None:
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    assert "folder" in str(error_for(folder))


@pytest.mark.parametrize(
    ("name", "kind"),
    [("corrupt.docx", "Word"), ("corrupt.odt", "OpenDocument"), ("corrupt.pdf", "PDF")],
)
def test_damaged_documents(fixtures: Path, name: str, kind: str) -> None:
    message = str(error_for(fixtures / name))
    assert f"cannot open this {kind}" in message and "save it again" in message


def test_pdf_without_text_layer_needs_ocr(fixtures: Path) -> None:
    message = str(error_for(fixtures / "scanned.pdf"))
    assert "no text layer" in message and "OCR" in message


def test_empty_docx(read: Read, tmp_path: Path) -> None:
    import docx

    docx.Document().save(str(tmp_path / "blank.docx"))
    with pytest.raises(InputError, match="no text"):
        read_transcript(tmp_path / "blank.docx")


def test_malformed_srt_timing_names_the_line(fixtures: Path) -> None:
    error = error_for(fixtures / "bad_timing.srt")
    assert error.line == 6
    assert "line 6" in str(error) and "'00:00:03,000 --> 00:00:04.0x0'" in str(error)


def test_malformed_vtt_timing_names_the_line(fixtures: Path) -> None:
    error = error_for(fixtures / "bad_timing.vtt")
    assert error.line == 6
    assert "malformed cue timing line" in str(error)


def test_srt_number_without_timing(fixtures: Path) -> None:
    error = error_for(fixtures / "missing_timing.srt")
    assert error.line == 6
    assert "after cue number 2" in str(error)


def test_srt_starting_with_text(read: Read) -> None:
    with pytest.raises(InputError, match=r"line 1: expected a cue number or a timing line"):
        read("notsrt.srt", "Hello there.\nThis is prose.\n\n00:00:01,000 --> 00:00:02,000\nHi.\n")


def test_captions_without_cues(read: Read) -> None:
    with pytest.raises(InputError, match="no caption cues"):
        read("nocues.vtt", "WEBVTT\n\nNOTE nothing here\n")
