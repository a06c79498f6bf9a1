"""REFI-QDA codebook files (.qdc): write them valid, read them tolerantly and safely.

Writing: one nested `<Code>` per code, `isCodable="true"`, colours as `#RRGGBB`, the texts in
`<Description>` (format in `coder.codebook.description`), and a GUID that stays the same
from one export to the next: the code's own when it has one, else uuid5 of its id, else of its
path. The codebook's title, version, source and description, which REFI-QDA has no place for,
travel in an XML comment that other tools ignore. Every file is checked against the REFI-QDA
schema before it is returned; a file that fails is a bug and is never handed out.

Reading: files come from other people and other tools, so the parser refuses DTDs and entities
(defusedxml), and the reader repairs what it can (a duplicate name, a colour with an alpha
channel, a namespace variant) with a warning naming the line, and refuses only what cannot be
used.
"""

from __future__ import annotations

import json
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

from coder.codebook import description
from coder.codebook.checks import check_codebook, normal_guid
from coder.codebook.qdc_reader import (
    META,
    NAMESPACE,
    QdcReader,
    lenient_color,
    schema_errors,
)
from coder.codebook.spec import CodebookSpec, CodeSpec, Loaded
from coder.errors import ValidationError
from coder.limits import read_limited
from coder.version import __version__

__all__ = [
    "GUID_NAMESPACE",
    "NAMESPACE",
    "code_guid",
    "lenient_color",
    "read_qdc",
    "schema_errors",
    "write_qdc",
]

_XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NAMESPACE} http://schema.qdasoftware.org/versions/Codebook/v1.0/Codebook.xsd"
# Fixed forever: GUIDs derived from it must not change between coder versions.
GUID_NAMESPACE = uuid.UUID("6f1c1d6e-5b0a-4c1e-9a4e-2f6b8d0c7a31")


def code_guid(code: CodeSpec, path: str) -> str:
    """The GUID written for a code that has none of its own."""
    key = f"id:{code.id}" if code.id else f"path:{path}"
    return str(uuid.uuid5(GUID_NAMESPACE, key))


def write_qdc(spec: CodebookSpec, *, extras: bool = True) -> bytes:
    """The codebook as a .qdc file (UTF-8 XML). `extras=False` leaves coder's own fields (kind,
    id, shortcut key, keywords, patterns) out of the descriptions, for a cleaner file in other
    tools; reading it back then gives plain codes."""
    check_codebook(spec)
    if not spec.codes:
        raise ValidationError(
            f"codebook {spec.title!r} has no codes; a .qdc file needs at least one"
        )
    # Plain tags with the namespace declared by hand: ElementTree's default_namespace option
    # refuses the unqualified attributes REFI-QDA uses.
    root = ET.Element(
        "CodeBook",
        {
            "xmlns": NAMESPACE,
            "xmlns:xsi": _XSI,
            "xsi:schemaLocation": SCHEMA_LOCATION,
            "origin": f"coder {__version__}",
        },
    )
    meta = {
        "title": spec.title,
        "version": spec.version,
        "source": spec.source,
        "description": spec.description,
    }
    # A comment may not contain "--": escaping every "-" in the JSON keeps it exact and legal.
    payload = json.dumps(meta, ensure_ascii=False).replace("-", "\\u002d")
    root.append(ET.Comment(f" {META} {payload} "))
    codes = ET.SubElement(root, "Codes")
    used: set[str] = set()
    parents: dict[int, ET.Element] = {}
    for visit in spec.walk():
        code = visit.code
        guid = code.guid or code_guid(code, visit.path)
        if normal_guid(guid) in used:  # an id that happens to equal another code's path
            guid = str(uuid.uuid5(GUID_NAMESPACE, f"path:{visit.path}"))
        used.add(normal_guid(guid))
        attributes = {"guid": guid, "name": code.name, "isCodable": "true"}
        if code.color:
            attributes["color"] = code.color.upper()
        parent = codes if visit.parent is None else parents[id(visit.parent)]
        element = ET.SubElement(parent, "Code", attributes)
        text = description.compose(code, extras=extras)
        if text:
            ET.SubElement(element, "Description").text = text
        parents[id(code)] = element
    ET.indent(root)
    body: bytes = ET.tostring(root, encoding="utf-8")
    data = b'<?xml version="1.0" encoding="utf-8"?>\n' + body
    problems = schema_errors(ET.fromstring(data))
    if problems:
        raise RuntimeError(
            f"the .qdc written does not follow the REFI-QDA schema: {problems[0][1]}"
        )
    return data


def read_qdc(
    source: bytes | Path,
    *,
    path: str | Path | None = None,
    title: str | None = None,
    split_names: str | None = None,
) -> Loaded:
    """Read a REFI-QDA codebook from a file (`Path`) or its bytes.

    The codebook of a project file (`project.qde`) is read too. `title` names the codebook
    (files from other tools carry no title; the default is the file name). `split_names` (e.g.
    "::") turns flat names such as "Trust::Doubts" into a hierarchy, as ATLAS.ti 8 writes them.
    """
    if isinstance(source, Path):
        path = source
        source = read_limited(source, "codebook")
    return QdcReader(source, path).read(title, split_names)
