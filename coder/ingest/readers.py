"""`read_transcript`: one entry point for every supported transcript format.

The file's extension chooses the reader. Text formats (.txt, .md, .vtt, .srt) are decoded
(UTF-8 with or without BOM, UTF-16/32 with BOM, UTF-16 without BOM when it shows, else a
guessed legacy code page such as Windows-1252, reported as guessed) and normalised (see
`textio`). Speaker labels in .txt, .md, .docx, .odt, .rtf and .pdf are detected (see `labels`)
unless `speaker_pattern` gives them: a regular expression matched at the start of each line,
with a named group `speaker` and optionally `time`; the utterance is what follows the match,
less leading spaces and colons. For example `(?P<speaker>[A-Z]{2,4})>\\s` reads `JD> text`.
"""

from __future__ import annotations

import re
from pathlib import Path

from coder.errors import InputError
from coder.ingest import documents
from coder.ingest.assemble import from_lines
from coder.ingest.captions import parse_captions
from coder.ingest.labels import Convention, custom_convention
from coder.ingest.model import ParsedTranscript
from coder.ingest.textio import decode, normalise, read_bytes, require_text
from coder.limits import MAX_BYTES
from coder.userregex import PatternTimeout

SUPPORTED_EXTENSIONS: tuple[str, ...] = (
    ".txt",
    ".md",
    ".docx",
    ".vtt",
    ".srt",
    ".odt",
    ".rtf",
    ".pdf",
)
DEFAULT_MAX_BYTES = MAX_BYTES

_ADVICE = {
    ".doc": "old Word .doc files cannot be read; open it in Word and save it as .docx",
    ".markdown": "rename it to .md",
    ".text": "rename it to .txt",
    ".sbv": "convert it to .srt or .vtt",
}
_DOCUMENTS = {
    ".docx": documents.docx_lines,
    ".odt": documents.odt_lines,
    ".rtf": documents.rtf_lines,
    ".pdf": documents.pdf_lines,
}

# Markdown emphasis around a label at line start: `**Interviewer:**`, `**Interviewer**:`,
# `_I:_`, `**Alice Smith**  0:03`, `**[Alice]**`. Emphasis elsewhere is the speaker's and stays.
_MD_LABEL = re.compile(
    r"^(?P<lead>(?:[-*+>][ \t]+)?)(?P<mark>\*\*|__|\*|_)(?P<label>[^*_\n]{1,60}?)(?P=mark)"
    r"(?=[ \t]*:|[ \t]+\d{1,2}:\d|[ \t]|$)"
)


def read_transcript(
    path: Path | str,
    *,
    speaker_pattern: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> ParsedTranscript:
    """Read one transcript file into its stored text and speaker turns.

    Raises `InputError` naming the file (and the line, where one applies) for an empty,
    oversized, binary, damaged or unsupported file, and `UsageError` for a bad pattern.
    """
    path = Path(path)
    if path.is_dir():
        raise InputError("this is a folder, not a transcript file", path=path)
    extension = path.suffix.lower()
    if extension not in SUPPORTED_EXTENSIONS:
        advice = _ADVICE.get(extension, "")
        raise InputError(
            f"coder cannot read {extension or 'files without an extension'}"
            + (f" ({advice})" if advice else "")
            + "; supported formats: "
            + ", ".join(SUPPORTED_EXTENSIONS),
            path=path,
        )
    custom = custom_convention(speaker_pattern) if speaker_pattern else None
    data = read_bytes(path, max_bytes)
    try:
        return _read(path, extension, data, custom)
    except PatternTimeout as timeout:
        line = _line_of(data, timeout.subject)
        raise timeout.at(f"{path}, line {line}" if line else str(path)) from None


def _line_of(data: bytes, subject: str) -> int | None:
    """The line of a text file that holds `subject` (for a pattern that ran out of time)."""
    if not subject.strip():
        return None
    lines = data.decode("utf-8", errors="replace").splitlines()
    return next((n for n, line in enumerate(lines, 1) if subject.strip() in line), None)


def _read(path: Path, extension: str, data: bytes, custom: Convention | None) -> ParsedTranscript:
    format = extension.lstrip(".")
    if extension in _DOCUMENTS:
        lines = _DOCUMENTS[extension](data, path)
        text = normalise("\n".join(lines))
        require_text(text, path)
        # Word processors mark paragraphs; only PDF text is broken into lines at the margin.
        return from_lines(
            text.split("\n"),
            format=format,
            encoding=None,
            encoding_guessed=False,
            custom=custom,
            unwrap=extension == ".pdf",
        )
    raw, encoding, guessed = decode(data, path)
    text = normalise(raw)
    require_text(text, path)
    if extension in (".vtt", ".srt"):
        return parse_captions(
            text,
            format=format,
            path=path,
            encoding=encoding,
            encoding_guessed=guessed,
            custom=custom,
        )
    return _read_text(text, format, encoding, guessed, custom)


def _read_text(
    text: str, format: str, encoding: str, guessed: bool, custom: Convention | None
) -> ParsedTranscript:
    lines = text.split("\n")
    if format == "md":
        lines = [unmark_label(line) for line in lines]
    return from_lines(
        lines, format=format, encoding=encoding, encoding_guessed=guessed, custom=custom
    )


def unmark_label(line: str) -> str:
    """`**Interviewer:** text` → `Interviewer: text` (only around a label at line start)."""
    match = _MD_LABEL.match(line.strip())
    if match is None:
        return line
    stripped = line.strip()
    return match["lead"] + match["label"] + stripped[match.end() :]
