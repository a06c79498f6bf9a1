"""Parsing untrusted REFI-QDA XML: no DTDs, no entities, no external references.

defusedxml refuses a `<!DOCTYPE ...>` outright, which stops both external-entity reads (XXE)
and entity-expansion bombs ("billion laughs") before a single entity is expanded. Elements
remember the line they start on, and comments are kept (coder's own extras travel in them).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from coder import xmlsafe
from coder.xmlsafe import Lines, children, local

__all__ = ["Lines", "child", "children", "comments", "local", "parse", "text_of"]


def parse(data: bytes, path: Path) -> tuple[ET.Element, Lines]:
    """The root element and each element's line; `InputError` for anything unsafe or broken."""
    return xmlsafe.parse(data, path, what="project", broken="the file is damaged or incomplete")


def child(element: ET.Element, name: str) -> ET.Element | None:
    for found in element:
        if local(found.tag)[1] == name:
            return found
    return None


def text_of(element: ET.Element | None) -> str:
    return "" if element is None else "".join(element.itertext())


def comments(element: ET.Element) -> list[str]:
    return [c.text or "" for c in element if callable(c.tag)]
