"""What a file really is, from its first bytes: for files without an extension, or with one
that says something else (a Word file saved as `.txt`, captions saved as `.txt`).

Word processor and PDF files are told by their signatures (a ZIP holding `word/document.xml`
or an OpenDocument text, `%PDF`, `{\\rtf`); text files by their content (a `WEBVTT` header, or
SubRip's numbered cues with `00:00:01,000 --> 00:00:04,000` timings, or Markdown's emphasis
and headings). The file's extension decides only when the content does not.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from coder.errors import InputError

FORMAT_NAMES = {
    "txt": "plain text",
    "md": "Markdown",
    "docx": "Word (.docx)",
    "odt": "OpenDocument (.odt)",
    "rtf": "RTF",
    "pdf": "PDF",
    "vtt": "WebVTT",
    "srt": "SubRip (.srt)",
}
# Other names for the formats coder reads.
ALIASES = {
    ".markdown": "md",
    ".mdown": "md",
    ".text": "txt",
    ".webvtt": "vtt",
}
_OLD_OFFICE = b"\xd0\xcf\x11\xe0"
_ODT = b"application/vnd.oasis.opendocument.text"
_TIMING = re.compile(
    r"(?:\d+:)?\d{1,2}:\d{2}(?P<sep>[.,])\d{1,3}[ \t]*-->[ \t]*(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3}"
)
_MARKDOWN = re.compile(r"(?:#{1,6} \S|\*\*[^*\n]{1,60}\*\*|__[^_\n]{1,60}__|---$)")


def binary_format(data: bytes, path: Path) -> str | None:
    """`docx`, `odt`, `pdf` or `rtf` from the signature, None for anything else."""
    head = data[:1024]
    if data.startswith(b"PK\x03\x04"):
        return _zip_format(data, path)
    if data.startswith(_OLD_OFFICE):
        raise InputError(
            "this is an old Microsoft Office file (.doc); open it in your word processor and "
            "save it as .docx",
            path=path,
        )
    if b"%PDF-" in head:
        return "pdf"
    if data.lstrip().startswith(b"{\\rtf"):
        return "rtf"
    return None


def _zip_format(data: bytes, path: Path) -> str:
    # A damaged file named .docx or .odt is best explained by the reader of that format.
    suffix = path.suffix.lower().lstrip(".")
    named = suffix if suffix in ("docx", "odt") else None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = archive.read("mimetype").strip() if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        if named is not None:
            return named
        raise InputError(
            "this is a damaged ZIP archive, not a transcript; if it is a Word file, open it "
            "in your word processor and save it again",
            path=path,
        ) from None
    if "word/document.xml" in names:
        return "docx"
    if mimetype == _ODT or ("content.xml" in names and named == "odt"):
        return "odt"
    if named is not None:
        return named
    raise InputError(
        "this is a ZIP archive but neither a Word (.docx) nor an OpenDocument (.odt) text; "
        "export the transcript as .docx, .odt, .txt or .vtt",
        path=path,
    )


def text_format(text: str, named: str | None) -> str:
    """`vtt`, `srt`, `md` or `txt` for decoded text, `named` being what the extension says."""
    head = text.lstrip()[:4000]
    if head.startswith("WEBVTT"):
        return "vtt"
    lines = [line.strip() for line in head.split("\n") if line.strip()][:40]
    timings = [m for line in lines if (m := _TIMING.match(line))]
    if timings and len(timings) >= min(2, len(lines) // 2):
        if named in ("vtt", "srt"):
            return named
        numbered = lines[0].isdigit() and bool(_TIMING.match(lines[1])) if len(lines) > 1 else False
        return "srt" if numbered or timings[0]["sep"] == "," else "vtt"
    if named in ("txt", "md"):
        return named
    if named in ("vtt", "srt") and "-->" in text:
        return named  # captions with a fault: the caption reader says where
    return "md" if sum(1 for line in lines if _MARKDOWN.match(line)) >= 2 else "txt"


def describe(format: str) -> str:
    return FORMAT_NAMES.get(format, format)
