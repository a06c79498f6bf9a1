"""Fixtures for the codebook file formats (pure: no project, no database)."""

from __future__ import annotations

from pathlib import Path

import pytest
import xmlschema

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
CODEBOOKS = HERE.parents[1] / "codebooks"
XSD = HERE.parents[1] / "coder" / "codebook" / "schemas" / "Codebook-mrt2019.xsd"
SHIPPED = sorted(CODEBOOKS.glob("*.yaml"))


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def codebook_schema() -> xmlschema.XMLSchema:
    """The REFI-QDA codebook schema, loaded independently of the code under test."""
    return xmlschema.XMLSchema(str(XSD))
