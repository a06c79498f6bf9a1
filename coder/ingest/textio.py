"""Bytes to clean text: size limits, encodings, binary detection and normalisation.

Every reader goes through `normalise`, so the stored text is the same shape whatever the
format: newlines are LF only (CRLF, CR, the Unicode line and paragraph separators, vertical tab
and form feed all become LF), byte-order marks are dropped (also one left mid-text by joining
files), each line loses its trailing whitespace, blank lines at the start and end go, and the
whole text is in Unicode normalisation form NFC, so that "é" typed as one code point or as "e"
plus a combining accent is the same text and offsets agree across tools.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path
from typing import NamedTuple

import charset_normalizer

from coder.errors import InputError

# Byte-order marks, longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# What a file really is when its extension says text: tells the researcher what to do instead.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive (a .docx or .odt file renamed?)"),
    (b"%PDF", "a PDF document (rename it to .pdf)"),
    (b"{\\rtf", "an RTF document (rename it to .rtf)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a program"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file (save it as .docx)"),
)


_BREAKS = "\r\u2028\u2029\v\f\x85"  # line breaks other than LF, once CRLF became LF
_LINE_BREAKS = re.compile(f"[{_BREAKS}]")
_TRAILING = " \t\u00a0\u3000"  # white space trimmed from the end of every line
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, refusing empty files and files over `max_bytes`."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except OSError as error:
        raise InputError(f"cannot read the file: {error.strerror}", path=path) from None
    if size > max_bytes:
        raise InputError(
            f"the file is {_megabytes(size)}, larger than the {_megabytes(max_bytes)} limit; "
            "split it into smaller files or raise the size limit",
            path=path,
        )
    if size == 0:
        raise InputError("the file is empty; nothing to import", path=path)
    try:
        return path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read the file: {error.strerror}", path=path) from None


class Decoded(NamedTuple):
    text: str
    encoding: str
    guessed: bool
    # How sure the encoding is, 0-1: 1 for a byte-order mark or valid UTF-8.
    confidence: float


def decode(data: bytes, path: Path) -> Decoded:
    """Decode a text file, saying whether (and how surely) the encoding was guessed."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return Decoded(_strict(data[len(bom) :], encoding, path), encoding, False, 1.0)
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return Decoded(_strict(data, utf16, path), utf16, True, 0.95)
    if b"\x00" in data:
        raise _binary(data, path)
    try:
        return Decoded(data.decode("utf-8"), "utf-8", False, 1.0)
    except UnicodeDecodeError:
        pass
    text, encoding, confidence = _guess_legacy(data, path)
    if len(_CONTROL.findall(text)) > max(2, len(text) // 1000):
        raise _binary(data, path)
    return Decoded(text, encoding, True, confidence)


def sureness(confidence: float | None, guessed: bool) -> str:
    """`certain`, `likely` or `unsure`, for the import preview."""
    if not guessed or confidence is None:
        return "certain"
    return "likely" if confidence >= 0.8 else "unsure"


def normalise(text: str) -> str:
    """LF newlines, no BOM, no trailing whitespace on any line, NFC."""
    # A byte-order mark inside the text (files joined together) is as invisible as a leading one.
    text = text.replace("\ufeff", "")
    # CRLF by str.replace, then the other breaks by a character class, and only when the
    # text has one (a search for the class costs a hundred times a search for each of them):
    # what one regex with an alternation did, which was most of the time here.
    text = text.replace("\r\n", "\n")
    if any(mark in text for mark in _BREAKS):
        text = _LINE_BREAKS.sub("\n", text)
    text = unicodedata.normalize("NFC", text)
    # Line by line: a multiline `[...]+$` is tried at every character of the text.
    text = "\n".join(line.rstrip(_TRAILING) for line in text.split("\n"))
    return text.strip("\n")


def require_text(text: str, path: Path) -> None:
    """Refuse a text with nothing to read: only white space, control or invisible characters."""
    if not any(char.isprintable() and not char.isspace() for char in text):
        raise InputError(
            "the file contains no text (only whitespace or invisible control characters); "
            "nothing to import",
            path=path,
        )


def _strict(data: bytes, encoding: str, path: Path) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise InputError(
            f"the file is not valid {encoding.upper()} (bad bytes at byte {error.start}); "
            "save it again as UTF-8",
            path=path,
        ) from None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark shows as a NUL in every other byte of Latin text."""
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 2 or len(data) % 2:
        return None
    even = sample[0 : pairs * 2 : 2].count(0)
    odd = sample[1 : pairs * 2 : 2].count(0)
    if odd >= 0.6 * pairs and even <= 0.05 * pairs:
        return "utf-16-le"
    if even >= 0.6 * pairs and odd <= 0.05 * pairs:
        return "utf-16-be"
    return None


def _guess_legacy(data: bytes, path: Path) -> tuple[str, str, float]:
    results = charset_normalizer.from_bytes(data)
    best = results.best()
    matches = list(results)
    if best is None:
        raise _binary(data, path)
    text = str(best)
    if _latin_letters_only(text):
        for encoding in ("cp1252", "latin-1"):
            try:
                return data.decode(encoding), encoding, 0.8
            except UnicodeDecodeError:
                continue
    # Sure when the best reading is clean and the next reading that differs is much worse.
    others = [m.chaos for m in matches if m is not best and str(m) != text]
    margin = min(others) - best.chaos if others else 1.0
    confidence = (1.0 - best.chaos) * min(1.0, 0.5 + 3 * margin)
    return text, best.encoding, round(max(0.0, min(1.0, confidence)), 2)


def _latin_letters_only(text: str) -> bool:
    """Text in a Latin script: then the legacy code page is almost always Windows-1252 for the
    researchers we serve, whatever the detector's statistics prefer (it often says cp1250 or
    cp1257 for short French or English text)."""
    return all(unicodedata.name(c, "").startswith("LATIN") for c in set(text) if c.isalpha())


def _binary(data: bytes, path: Path) -> InputError:
    what = next((name for magic, name in _MAGIC if data.startswith(magic)), None)
    found = f"this looks like {what}, not text" if what else "this looks like a binary file"
    return InputError(
        f"{found}; coder reads text transcripts saved as UTF-8 or a Windows/Latin code page. "
        "Check that the file is the transcript and that its extension is right",
        path=path,
    )


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size:,} bytes"
