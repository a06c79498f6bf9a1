"""Parsing untrusted REFI-QDA XML: no DTDs, no entities, no external references.

defusedxml refuses a `<!DOCTYPE ...>` outright, which stops both external-entity reads (XXE)
and entity-expansion bombs ("billion laughs") before a single entity is expanded. Elements
remember the line they start on, and comments are kept (coder's own extras travel in them).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import defusedxml
from defusedxml.ElementTree import DefusedXMLParser

from coder.errors import InputError

Lines = dict[ET.Element, int]


class _LineBuilder(ET.TreeBuilder):
    def __init__(self) -> None:
        super().__init__(insert_comments=True)
        self.lines: Lines = {}
        self.parser: Any = None

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        element = super().start(tag, attrs)
        self.lines[element] = self.parser.parser.CurrentLineNumber
        return element


def parse(data: bytes, path: Path) -> tuple[ET.Element, Lines]:
    """The root element and each element's line; `InputError` for anything unsafe or broken."""
    builder = _LineBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True)
    builder.parser = parser
    try:
        parser.feed(data)
        root: ET.Element = parser.close()
    except defusedxml.DTDForbidden:
        raise InputError(
            "declares a DTD (<!DOCTYPE ...>), which coder refuses: its entities can read local "
            "files or expand without bound. REFI-QDA files need none; export the project again",
            path=path,
        ) from None
    except defusedxml.DefusedXmlException as exc:
        raise InputError(
            f"uses XML entities or external references ({type(exc).__name__}), which coder "
            "refuses for safety; export the project again without them",
            path=path,
        ) from None
    except ET.ParseError as exc:
        reason = re.sub(r": line \d+, column \d+$", "", str(exc))
        raise InputError(
            f"is not well-formed XML ({reason}); the file is damaged or incomplete",
            path=path,
            line=exc.position[0],
        ) from None
    return root, builder.lines


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


def child(element: ET.Element, name: str) -> ET.Element | None:
    for found in element:
        if local(found.tag)[1] == name:
            return found
    return None


def text_of(element: ET.Element | None) -> str:
    return "" if element is None else "".join(element.itertext())


def comments(element: ET.Element) -> list[str]:
    return [c.text or "" for c in element if callable(c.tag)]
