"""The REFI-QDA project schema (vendored in `schemas/`, see its README) and checks against it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import lru_cache
from importlib import resources
from typing import Any

NAMESPACE = "urn:QDA-XML:project:1.0"
SCHEMA_LOCATION = f"{NAMESPACE} http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd"


@lru_cache(maxsize=1)
def _schema() -> Any:
    import xmlschema  # slow to import, and only needed here

    text = resources.files("coder.exchange").joinpath("schemas/Project-mrt2019.xsd")
    return xmlschema.XMLSchema(text.read_text(encoding="utf-8"))


def schema_errors(root: ET.Element) -> list[tuple[ET.Element | None, str]]:
    """Where and how a parsed project departs from the REFI-QDA schema ([] when valid)."""
    return [(error.elem, error.reason or str(error)) for error in _schema().iter_errors(root)]
