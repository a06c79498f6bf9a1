"""`read_transcript`: one entry point for every supported transcript format.

What a file is comes from its content first (see `sniff`): a Word file saved as `.txt`, captions
saved as `.txt` or a file without an extension are read as what they are, and the import report
says so. Otherwise the extension decides. Text formats (.txt, .md, .vtt, .srt) are decoded
(UTF-8 with or without BOM, UTF-16/32 with BOM, UTF-16 without BOM when it shows, else a
guessed legacy code page such as Windows-1252 or CP949, reported as guessed with how sure) and
normalised (see `textio`). Speaker labels in .txt, .md, .docx, .odt, .rtf and .pdf are detected
(see `labels`) unless `speaker_pattern` gives them: a regular expression matched at the start of
each line, with a named group `speaker` and optionally `time`; the utterance is what follows the
match, less leading spaces and colons. For example `(?P<speaker>[A-Z]{2,4})>\\s` reads `JD> text`.
`rename` gives each speaker label the name to store (from a manifest's speakers).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from coder.errors import InputError
from coder.ingest import documents
from coder.ingest.assemble import from_lines
from coder.ingest.boilerplate import drop_notices, dropped_warning, front_matter
from coder.ingest.captions import parse_captions
from coder.ingest.labels import Convention, custom_convention, plausible_line_name
from coder.ingest.model import ParsedTranscript
from coder.ingest.sniff import ALIASES, binary_format, describe, text_format
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

_REFUSED = {
    ".doc": "old Word .doc files cannot be read; open it in Word and save it as .docx",
    ".sbv": "convert it to .srt or .vtt",
}
_DOCUMENTS = {
    "docx": documents.docx_lines,
    "odt": documents.odt_lines,
    "rtf": documents.rtf_lines,
    "pdf": documents.pdf_lines,
}

# Markdown emphasis around a label at line start: `**Interviewer:**`, `**Interviewer**:`,
# `_I:_`, `**Alice Smith**  0:03`, `**[Alice]**`. Emphasis elsewhere is the speaker's and stays.
_MD_LABEL = re.compile(
    r"^(?P<lead>(?:[-*+>][ \t]+)?)(?P<mark>\*\*|__|\*|_)(?P<label>[^*_\n]{1,60}?)(?P=mark)"
    r"(?=[ \t]*:|[ \t]+\d{1,2}:\d|[ \t]|$)"
)
_MD_HEADING = re.compile(r"#{1,6}[ \t]+(?P<title>.+?)[ \t]*#*")


def read_transcript(
    path: Path | str,
    *,
    speaker_pattern: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    rename: Callable[[str], str] | None = None,
) -> ParsedTranscript:
    """Read one transcript file into its stored text and speaker turns.

    Raises `InputError` naming the file (and the line, where one applies) for an empty,
    oversized, binary, damaged or unreadable file, and `UsageError` for a bad pattern.
    """
    path = Path(path)
    if path.is_dir():
        raise InputError("this is a folder, not a transcript file", path=path)
    extension = path.suffix.lower()
    if extension in _REFUSED:
        raise InputError(
            f"coder cannot read {extension} files ({_REFUSED[extension]}); supported formats: "
            + ", ".join(SUPPORTED_EXTENSIONS),
            path=path,
        )
    custom = custom_convention(speaker_pattern) if speaker_pattern else None
    data = read_bytes(path, max_bytes)
    try:
        return _read(path, extension, data, custom, rename)
    except PatternTimeout as timeout:
        line = _line_of(data, timeout.subject)
        raise timeout.at(f"{path}, line {line}" if line else str(path)) from None


def _line_of(data: bytes, subject: str) -> int | None:
    """The line of a text file that holds `subject` (for a pattern that ran out of time)."""
    if not subject.strip():
        return None
    lines = data.decode("utf-8", errors="replace").splitlines()
    return next((n for n, line in enumerate(lines, 1) if subject.strip() in line), None)


def _read(
    path: Path,
    extension: str,
    data: bytes,
    custom: Convention | None,
    rename: Callable[[str], str] | None,
) -> ParsedTranscript:
    named = _named_format(extension)
    format = binary_format(data, path)
    decoded = None
    if format is not None:
        text = normalise("\n".join(_DOCUMENTS[format](data, path)))
    else:
        decoded = decode(data, path)
        text = normalise(decoded.text)
    require_text(text, path)
    if format is None:
        format = text_format(text, named)
    encoding = decoded.encoding if decoded else None
    guessed = decoded.guessed if decoded else False
    confidence = decoded.confidence if decoded else None
    note = _note(extension, named, format)
    if format in ("vtt", "srt"):
        return parse_captions(
            text,
            format=format,
            path=path,
            encoding=encoding or "utf-8",
            encoding_guessed=guessed,
            custom=custom,
            rename=rename,
            format_note=note,
            encoding_confidence=confidence,
        )
    lines = text.split("\n")
    warnings: list[str] = []
    sections: frozenset[int] = frozenset()
    if format == "md":
        lines, sections, warnings = _markdown(lines)
    lines, dropped = drop_notices(lines)
    if dropped:
        warnings.append(dropped_warning(dropped))
    return from_lines(
        lines,
        format=format,
        encoding=encoding,
        encoding_guessed=guessed,
        custom=custom,
        # Word processors mark paragraphs; only PDF text is broken into lines at the margin.
        unwrap=format not in ("docx", "odt", "rtf"),
        sections=sections,
        rename=rename,
        warnings=warnings,
        format_note=note,
        encoding_confidence=confidence,
    )


def _named_format(extension: str) -> str | None:
    """The format the file's name claims, if it is one coder reads."""
    if extension in SUPPORTED_EXTENSIONS:
        return extension.lstrip(".")
    return ALIASES.get(extension)


def _note(extension: str, named: str | None, found: str) -> str | None:
    if named == found:
        return None
    what = describe(found)
    if not extension:
        return f"no file extension; read as {what} by its content"
    return f"the name ends in {extension} but the content is {what}; read as {what}"


def _markdown(lines: list[str]) -> tuple[list[str], frozenset[int], list[str]]:
    """Markdown lines ready for label detection: front matter blanked, emphasis taken off
    labels, and headings either speaker names (when the same names recur, as some exports
    head each turn) or section headings kept outside turns."""
    warnings = []
    skip = front_matter(lines)
    if skip:
        dropped = [line.strip() for line in lines[:skip] if line.strip()]
        warnings.append(dropped_warning(dropped, "front matter"))
        lines = [""] * skip + lines[skip:]
    lines = [unmark_label(line) for line in lines]
    titles = {
        index: unmark_label(found["title"])
        for index, line in enumerate(lines)
        if (found := _MD_HEADING.fullmatch(line.strip()))
    }
    names = [title for title in titles.values() if plausible_line_name(title)]
    speaking = {name for name in names if names.count(name) >= 2}
    sections = set()
    for index, title in titles.items():
        if title in speaking:
            lines[index] = title
        else:
            sections.add(index)
    return lines, frozenset(sections), warnings


def unmark_label(line: str) -> str:
    """`**Interviewer:** text` → `Interviewer: text` (only around a label at line start)."""
    match = _MD_LABEL.match(line.strip())
    if match is None:
        return line
    stripped = line.strip()
    return match["lead"] + match["label"] + stripped[match.end() :]
