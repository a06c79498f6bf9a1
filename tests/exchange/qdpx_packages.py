"""Hand-made .qdpx packages, as other programs (or attackers) write them."""

from __future__ import annotations

import zipfile
from pathlib import Path

NS = "urn:QDA-XML:project:1.0"
CODE = "6C1A3B2E-0F4D-4C8B-9E7A-1D2C3B4A5F60"
USER = "A1B2C3D4-E5F6-4711-8899-AABBCCDDEEFF"
SOURCE = "11111111-2222-4333-8444-555555555555"


def package(path: Path, qde: str | bytes, files: dict[str, str | bytes] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde)
        for name, data in (files or {}).items():
            archive.writestr(name, data)
    return path


def project_xml(body: str, *, origin: str = "Other QDA 1.0", name: str = "Foreign") -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<Project xmlns="{NS}" name="{name}" origin="{origin}">\n'
        f'<Users><User guid="{USER}" name="Sam"/></Users>\n'
        f'<CodeBook><Codes><Code guid="{CODE}" name="Theme" isCodable="true"/></Codes></CodeBook>\n'
        f"{body}\n</Project>\n"
    )


def one_source(
    start: int, end: int, *, path: str = f"internal://{SOURCE}.txt", name: str = ""
) -> str:
    return (
        f'<Sources><TextSource guid="{SOURCE}" name="Interview" plainTextPath="{path}">'
        f'<PlainTextSelection guid="22222222-2222-4333-8444-555555555555" name="{name}" '
        f'startPosition="{start}" endPosition="{end}" creatingUser="{USER}">'
        f'<Coding guid="33333333-2222-4333-8444-555555555555" creatingUser="{USER}">'
        f'<CodeRef targetGUID="{CODE}"/></Coding></PlainTextSelection></TextSource></Sources>'
    )


def simple(
    path: Path,
    text: str | bytes,
    start: int,
    end: int,
    *,
    origin: str = "Other QDA 1.0",
    name: str = "",
) -> Path:
    """A package with one source holding `text` and one coding of [start, end)."""
    return package(
        path,
        project_xml(one_source(start, end, name=name), origin=origin),
        {f"sources/{SOURCE}.txt": text},
    )
