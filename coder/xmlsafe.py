"""Parsing untrusted XML (REFI-QDA projects and codebooks): no DTDs, entities or external
references.

defusedxml refuses a `<!DOCTYPE ...>` outright, which stops both external-entity reads (XXE)
and entity-expansion bombs ("billion laughs") before a single entity is expanded. Elements
remember the line they start on, for messages, and comments are kept (coder's own extras
travel in them).
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
    except ET.ParseError as exc:
        reason = re.sub(r": line \d+, column \d+$", "", str(exc))
        raise InputError(
            f"is not well-formed XML ({reason}); {broken}", path=path, line=exc.position[0]
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
