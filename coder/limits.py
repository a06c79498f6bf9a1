"""The limits every reader of untrusted input shares, in one place (README.md, "Limits").

A file given to coder, and anything that grows out of it (a ZIP entry once decompressed, the
text of a document once spaces and tabs are expanded, a CSV cell), is bounded by the same
`MAX_BYTES`; a code tree, from whatever file or command it comes, by the same `MAX_DEPTH`,
checked before anything walks it recursively. Readers call these helpers rather than comparing
sizes themselves, so that the numbers in the README are the numbers in force.
"""

from __future__ import annotations

import os
import zipfile
from io import BytesIO
from pathlib import Path

from coder.errors import InputError

# A transcript, manifest, codebook, codings file or one part of a package, after decompression.
MAX_BYTES = 50_000_000
# The parts of a .qdpx package read into a project, together (audio and video are not read).
MAX_PACKAGE_BYTES = 1 << 30
# Entries in a ZIP file (.docx, .odt, .qdpx).
MAX_ENTRIES = 100_000
# Levels of codes under codes: far deeper than any codebook, shallow enough for any walk.
MAX_DEPTH = 100
# Nesting of XML elements: a project file wraps its codes in five levels (Project, CodeBook,
# Codes, ...), its selections in six; the rest is headroom for other tools' extensions.
MAX_XML_DEPTH = MAX_DEPTH + 20
# Characters in the name of a code, coder, attribute, participant or document.
MAX_NAME = 500
# How long a command waits for another process to finish writing to the same SQLite project.
LOCK_WAIT_SECONDS = 600.0
LOCK_WAIT_ENV = "CODER_LOCK_WAIT"
# How long a researcher's regular expression may run on one file, all its lines together.
REGEX_SECONDS = 2.0


def lock_wait() -> float:
    """The lock wait in force: `CODER_LOCK_WAIT` seconds when set to a number, else the default."""
    raw = os.environ.get(LOCK_WAIT_ENV, "").strip()
    try:
        return max(0.0, float(raw)) if raw else LOCK_WAIT_SECONDS
    except ValueError:
        return LOCK_WAIT_SECONDS


def read_limited(path: Path, what: str, limit: int = MAX_BYTES) -> bytes:
    """A whole file given to coder, refusing a folder, a missing file or one over `limit`."""
    try:
        if path.is_dir():
            raise InputError(f"this is a folder, not a {what}", path=path)
        if path.exists() and not path.is_file():  # a pipe or a device would never end
            raise InputError(f"this is not a regular file, so not a {what}", path=path)
        size = path.stat().st_size
        if size > limit:
            raise InputError(
                f"the file is {size_text(size)}, larger than the {size_text(limit)} limit "
                f"for a {what}",
                path=path,
            )
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise InputError("cannot read the file: no such file", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", path=path) from None
    if len(data) > limit:  # grew while being read, or a device that reports no size
        raise InputError(f"the file is larger than the {size_text(limit)} limit", path=path)
    return data


def size_text(count: int) -> str:
    if count >= 1 << 30:
        return f"{count / 1_000_000_000:,.1f} GB"
    return f"{count / 1_000_000:.1f} MB" if count >= 100_000 else f"{count:,} bytes"


class Budget:
    """Bytes (or characters) produced from one input so far, refused past `limit`.

    `what` says what grows ("the text", "the package"), for the message.
    """

    def __init__(self, path: str | Path | None, what: str, limit: int = MAX_BYTES) -> None:
        self.path = path
        self.what = what
        self.limit = limit
        self.used = 0

    def take(self, count: int) -> None:
        self.used += max(0, count)
        if self.used > self.limit:
            raise InputError(
                f"{self.what} grows past the {size_text(self.limit)} limit once expanded; "
                "coder refuses it (a damaged or malicious file, or one to split into smaller "
                "files)",
                path=self.path,
            )


def check_zip(data: bytes, path: str | Path, kind: str) -> None:
    """Refuse a ZIP-based document (.docx, .odt) whose entries would decompress past
    `MAX_BYTES`, before a library decompresses them. Python's zipfile never yields more than an
    entry declares (it stops there and checks the CRC), so the declared sizes bound the work.
    Bytes that are not a ZIP pass: the format's own reader reports them as damaged."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    if len(entries) > MAX_ENTRIES:
        raise InputError(
            f"this {kind} file holds {len(entries):,} parts, more than the {MAX_ENTRIES:,} coder "
            "accepts; open it in your word processor and save it again",
            path=path,
        )
    declared = sum(entry.file_size for entry in entries)
    if declared > MAX_BYTES:
        raise InputError(
            f"this {kind} file would decompress to {size_text(declared)}, more than the "
            f"{size_text(MAX_BYTES)} limit; coder refuses it (a damaged or malicious file?)",
            path=path,
        )


def depth_problem(depth: int) -> str | None:
    """The message for a code `depth` levels below the top (0 for a top-level code), if too
    deep."""
    if depth < MAX_DEPTH:
        return None
    return (
        f"codes are nested more than {MAX_DEPTH} levels deep; coder accepts up to {MAX_DEPTH} "
        "levels of sub-codes"
    )
