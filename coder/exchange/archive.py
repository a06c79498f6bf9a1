"""The .qdpx package: a ZIP holding `project.qde` and a flat `sources/` folder.

Packages come from other people, so reading one trusts nothing in it: an entry whose name
would land outside the package's folder (`../x`, `/etc/x`, `C:\\x`), a link, an encrypted
entry or a repeated name refuses the whole file; so does a package that declares, or turns out
while reading to hold, more than `Limits.max_bytes` once decompressed (a "zip bomb"). Nothing
is ever extracted to disk: parts are read into memory, through a budget shared by all of them.

Producers differ in case (`Sources/`, `Project.qde`) and in how sources are referenced
(`internal://GUID.txt`, a bare `GUID.txt`, `internal://Sources/GUID.txt`), so names are
matched without regard to case, and all three references are understood.
"""

from __future__ import annotations

import os
import re
import stat
import uuid
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import IO

from coder.errors import InputError
from coder.limits import MAX_BYTES, MAX_ENTRIES, MAX_PACKAGE_BYTES

DEFAULT_MAX_BYTES = MAX_PACKAGE_BYTES  # decompressed, for the whole package
DEFAULT_MAX_ENTRIES = MAX_ENTRIES
SOURCES = "sources"
QDE = "project.qde"
ZIP_MAGIC = b"PK\x03\x04"
_CHUNK = 1 << 20
_DRIVE = re.compile(r"^[A-Za-z]:")
# Entries other tools leave behind that mean nothing here.
_JUNK = ("__macosx/", ".ds_store")


@dataclass(frozen=True)
class Limits:
    """How much a package may hold once decompressed; lower them for tests or small machines.
    `max_part` bounds each part read (the project file, one source), like any file given to
    coder (`coder.limits.MAX_BYTES`): parts are read one at a time, never all at once."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_entries: int = DEFAULT_MAX_ENTRIES
    max_part: int = MAX_BYTES


def _mebibytes(count: int) -> str:
    if count < 2**20:
        return f"{count:,} bytes"
    return f"{count / 2**20:,.1f} MiB" if count < 2**30 else f"{count / 2**30:,.1f} GiB"


def entry_problem(info: zipfile.ZipInfo) -> str | None:
    """Why an entry cannot be trusted, or None."""
    name = info.filename
    if "\x00" in name:
        return "has a NUL character in its name"
    unified = name.replace("\\", "/")
    if unified.startswith("/") or _DRIVE.match(unified):
        return "has an absolute path, which would place it outside the package's folder"
    if ".." in unified.split("/"):
        return "climbs out of the package's folder with '..'"
    mode = info.external_attr >> 16
    if info.create_system == 3 and stat.S_ISLNK(mode):
        return "is a symbolic link"
    if info.flag_bits & 0x1:
        return "is encrypted (password-protected)"
    return None


class Package:
    """An opened package. Parts are read on demand, each byte counted against the limits."""

    def __init__(self, path: Path, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        self._used = 0
        try:
            self._zip = zipfile.ZipFile(path)
        except FileNotFoundError:
            raise InputError("no such file", path=path) from None
        except IsADirectoryError:
            raise InputError("this is a folder, not a .qdpx file", path=path) from None
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise InputError(
                f"is not a readable .qdpx (ZIP) package ({exc}); export it again from the "
                "program that made it",
                path=path,
            ) from None
        try:
            self._check_entries()
            self.qde_name = self._find_qde()
            base = str(PurePosixPath(self.qde_name).parent)
            self._base = "" if base == "." else base + "/"
            self._sources = self._index(self._base + SOURCES + "/")
            self._root = self._index(self._base)
        except BaseException:
            self._zip.close()
            raise

    # -- checks ------------------------------------------------------------------------------

    def _check_entries(self) -> None:
        infos = self._zip.infolist()
        if len(infos) > self.limits.max_entries:
            raise InputError(
                f"holds {len(infos):,} entries, more than the {self.limits.max_entries:,} "
                "coder accepts; is it really a REFI-QDA project?",
                path=self.path,
            )
        seen: set[str] = set()
        declared = 0
        for info in infos:
            problem = entry_problem(info)
            if problem is not None:
                raise InputError(
                    f"entry {info.filename!r} {problem}; coder refuses the whole package. "
                    "It was not made by a REFI-QDA program, or it was tampered with",
                    path=self.path,
                )
            key = info.filename.replace("\\", "/")
            if key in seen:
                raise InputError(
                    f"entry {info.filename!r} appears twice; coder cannot tell which one is meant",
                    path=self.path,
                )
            seen.add(key)
            declared += info.file_size
        if declared > self.limits.max_bytes:
            raise InputError(
                f"would decompress to {_mebibytes(declared)}, more than the "
                f"{_mebibytes(self.limits.max_bytes)} limit; coder refuses it (a damaged or "
                "malicious package, or one too large for this machine)",
                path=self.path,
            )

    def _find_qde(self) -> str:
        names = [
            i.filename.replace("\\", "/")
            for i in self._zip.infolist()
            if not i.is_dir() and not i.filename.lower().startswith(_JUNK)
        ]
        found = [n for n in names if n.lower().endswith(".qde")]
        if not found:
            raise InputError(
                "has no project.qde inside, so it is not a REFI-QDA project package; "
                "export the project again as .qdpx",
                path=self.path,
            )
        depth = min(n.count("/") for n in found)
        shallow = [n for n in found if n.count("/") == depth]
        preferred = [n for n in shallow if PurePosixPath(n).name.lower() == QDE]
        if len(preferred) == 1:
            return preferred[0]
        if len(shallow) == 1:
            return shallow[0]
        raise InputError(
            f"holds several project files ({', '.join(sorted(shallow)[:4])}); "
            "a package holds exactly one",
            path=self.path,
        )

    def _index(self, prefix: str) -> dict[str, zipfile.ZipInfo]:
        """Entries directly inside the folder `prefix`, by lower-cased name."""
        lowered = prefix.lower()
        index: dict[str, zipfile.ZipInfo] = {}
        for info in self._zip.infolist():
            name = info.filename.replace("\\", "/")
            if info.is_dir() or not name.lower().startswith(lowered):
                continue
            rest = name[len(prefix) :]
            if rest and "/" not in rest:
                index.setdefault(rest.lower(), info)
        return index

    # -- reading -----------------------------------------------------------------------------

    def where(self, part: str) -> Path:
        """A path naming a part inside the package, for messages."""
        return self.path / part

    def read(self, info: zipfile.ZipInfo) -> bytes:
        """An entry's bytes, refusing to decompress past the part's or the package's budget
        whatever the entry declares about its size."""
        limit = self.limits.max_part
        if info.file_size > limit:
            raise self._too_big(info)
        chunks: list[bytes] = []
        part = 0
        try:
            with self._zip.open(info) as handle:
                while chunk := handle.read(_CHUNK):
                    part += len(chunk)
                    if part > limit:
                        raise self._too_big(info)
                    self._used += len(chunk)
                    if self._used > self.limits.max_bytes:
                        raise InputError(
                            f"{info.filename!r} decompresses past the "
                            f"{_mebibytes(self.limits.max_bytes)} limit for the whole package; "
                            "coder refuses it (a damaged or malicious package?)",
                            path=self.path,
                        )
                    chunks.append(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise InputError(
                f"entry {info.filename!r} is damaged or compressed in a way coder cannot read "
                f"({exc}); export the project again",
                path=self.path,
            ) from None
        except zlib.error as exc:
            raise InputError(
                f"entry {info.filename!r} is damaged ({exc}); export the project again",
                path=self.path,
            ) from None
        return b"".join(chunks)

    def _too_big(self, info: zipfile.ZipInfo) -> InputError:
        return InputError(
            f"{info.filename!r} would decompress to more than {_mebibytes(self.limits.max_part)}"
            ", the limit for one part of a package (as for any file given to coder); coder "
            "refuses it (a damaged or malicious package?)",
            path=self.path,
        )

    def project_xml(self) -> bytes:
        return self.read(self._zip.getinfo(self.qde_name))

    def resolve(self, reference: str) -> zipfile.ZipInfo | None:
        """The entry a source reference points at, or None when the package lacks it.

        Raises for a reference that tries to leave the package or points at another disk.
        """
        ref = reference.strip().replace("\\", "/")
        lowered = ref.lower()
        if lowered.startswith(("relative:", "absolute:", "file:", "http:", "https:")):
            raise InputError(
                f"refers to a file outside the package ({reference!r}); coder reads only what "
                "is inside the .qdpx. Export the project again with its sources embedded",
                path=self.path,
            )
        if lowered.startswith("internal:"):
            ref = ref[len("internal:") :].lstrip("/")
        parts = [p for p in ref.split("/") if p not in ("", ".")]
        if not parts or ".." in parts or ref.startswith("/") or _DRIVE.match(ref):
            raise InputError(
                f"refers to {reference!r}, which is not a file inside the package",
                path=self.path,
            )
        if len(parts) == 2 and parts[0].lower() == SOURCES:
            parts = parts[1:]
        if len(parts) != 1:
            return None
        key = parts[0].lower()
        return self._sources.get(key) or self._root.get(key)

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_package(
    target: Path, project_xml: bytes, sources: Mapping[str, bytes], *, when: datetime
) -> None:
    """Write a package atomically: into a temporary file beside `target`, then renamed, so a
    failed export never leaves a half-written file (nor replaces a good one)."""
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"folder {folder} does not exist", path=target)
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    # Opened like any new file (so it gets the usual permissions), under a name no one uses.
    temporary = folder / f".{target.name}.{uuid.uuid4().hex[:12]}.part"
    try:
        with temporary.open("xb") as raw, zipfile.ZipFile(raw, "w") as package:
            _add(package, QDE, project_xml, stamp)
            for name, data in sources.items():
                _add(package, f"{SOURCES}/{name}", data, stamp)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _add(package: zipfile.ZipFile, name: str, data: bytes, stamp: tuple[int, ...]) -> None:
    info = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    package.writestr(info, data)


def looks_like_zip(head: bytes) -> bool:
    return head.startswith(ZIP_MAGIC) or head.startswith(b"PK\x05\x06")


def read_head(path: Path, count: int = 8) -> bytes:
    if path.exists() and not path.is_dir() and not path.is_file():
        raise InputError("this is not a regular file, so not a .qdpx file", path=path)
    try:
        with path.open("rb") as handle:
            return handle.read(count)
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except IsADirectoryError:
        raise InputError("this is a folder, not a .qdpx file", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", path=path) from None


def read_capped(handle: IO[bytes], limit: int, path: Path) -> bytes:
    """A whole (bare XML) file, refusing one larger than `limit`."""
    data = handle.read(limit + 1)
    if len(data) > limit:
        raise InputError(
            f"is larger than the {_mebibytes(limit)} limit; coder refuses it", path=path
        )
    return data
