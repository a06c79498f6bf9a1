"""Parsing untrusted XML (REFI-QDA projects and codebooks): no DTDs, entities or external
references.

defusedxml refuses a `<!DOCTYPE ...>` outright, which stops both external-entity reads (XXE)
and entity-expansion bombs ("billion laughs") before a single entity is expanded. Elements
remember the line they start on, for messages, and comments are kept (coder's own extras
travel in them). Nesting deeper than `coder.limits.MAX_XML_DEPTH` is refused while parsing.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from pathlib import Path
from typing import Any
from xml.parsers import expat

import defusedxml
from defusedxml.ElementTree import DefusedXMLParser

from coder.errors import InputError
from coder.limits import MAX_DEPTH, MAX_XML_DEPTH, check_zip

Lines = dict[ET.Element, int]


class _TooDeep(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


class _LineBuilder(ET.TreeBuilder):
    def __init__(self) -> None:
        super().__init__(insert_comments=True)
        self.lines: Lines = {}
        self.parser: Any = None
        self.depth = 0

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        line = self.parser.parser.CurrentLineNumber
        # Counted while parsing, before anything (schema validation, the readers) recurses
        # over the tree: expat itself needs no stack for depth, the code after it does.
        self.depth += 1
        if self.depth > MAX_XML_DEPTH:
            raise _TooDeep(line)
        element = super().start(tag, attrs)
        self.lines[element] = line
        return element

    def end(self, tag: str) -> ET.Element:
        self.depth -= 1
        return super().end(tag)


def parse(
    data: bytes, path: str | Path | None, *, what: str, broken: str
) -> tuple[ET.Element, Lines]:
    """The root element and each element's line; `InputError` for anything unsafe or broken.
    `what` names the file for advice ("export the {what} again"); `broken` ends the message
    for XML that is not well-formed."""
    builder = _LineBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True)
    builder.parser = parser
    try:
        parser.feed(data)
        root: ET.Element = parser.close()
    except defusedxml.DTDForbidden:
        raise InputError(
            "declares a DTD (<!DOCTYPE ...>), which coder refuses: its entities can read local "
            f"files or expand without bound. REFI-QDA files need none; export the {what} again",
            path=path,
        ) from None
    except defusedxml.DefusedXmlException as exc:
        raise InputError(
            f"uses XML entities or external references ({type(exc).__name__}), which coder "
            f"refuses for safety; export the {what} again without them",
            path=path,
        ) from None
    except _TooDeep as exc:
        raise InputError(
            f"elements are nested more than {MAX_XML_DEPTH} levels deep here; coder accepts up "
            f"to {MAX_DEPTH} levels of codes under codes. Is it really a {what} file?",
            path=path,
            line=exc.line,
        ) from None
    except ET.ParseError as exc:
        reason = re.sub(r": line \d+, column \d+$", "", str(exc))
        raise InputError(
            f"is not well-formed XML ({reason}); {broken}", path=path, line=exc.position[0]
        ) from None
    return root, builder.lines


def check_office_file(data: bytes, path: str | Path, kind: str) -> None:
    """Refuse a word-processor file (.docx, .odt: a ZIP of XML parts) that would decompress
    past `coder.limits.MAX_BYTES` or nest elements deeper than `MAX_XML_DEPTH`, before the
    format's library, or our code walking what it built, meets it."""
    check_zip(data, path, kind)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = [i for i in archive.infolist() if i.filename.lower().endswith(".xml")]
            for info in parts:
                line = _too_deep(archive.read(info))
                if line is not None:
                    raise InputError(
                        f"the {kind} file nests its elements more than {MAX_XML_DEPTH} levels "
                        f"deep (in {info.filename}, line {line}); it is damaged or was not made "
                        "by a word processor",
                        path=path,
                    )
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, zlib.error):
        return  # not a readable ZIP: the format's reader says it is damaged


def _too_deep(data: bytes) -> int | None:
    """The line where elements first nest deeper than `MAX_XML_DEPTH`, if they do; counted
    by expat without building anything."""
    parser = expat.ParserCreate()
    depth = 0

    def start(_name: str, _attrs: Any) -> None:
        nonlocal depth
        depth += 1
        if depth > MAX_XML_DEPTH:
            raise _TooDeep(parser.CurrentLineNumber)

    def end(_name: str) -> None:
        nonlocal depth
        depth -= 1

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except _TooDeep as exc:
        return exc.line
    except expat.ExpatError:
        return None  # broken XML: the format's reader says so
    return None


def local(tag: object) -> tuple[str, str]:
    """(namespace, local name) of an element's tag; ("", "") for comments."""
    if not isinstance(tag, str):
        return "", ""
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


def children(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if local(child.tag)[1] == name]
