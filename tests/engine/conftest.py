"""Fixtures for the coding engine tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from engine_study import LEADER, PATIENT, add_document

from coder import Project


@pytest.fixture
def study(project: Project) -> Iterator[Project]:
    cb = project.codebook
    cb.add("Challenges", kind="organizing-theme")
    cb.add("Time", parent="Challenges", key="t")
    cb.add("Jargon", parent="Challenges", key="j")
    cb.add("Resources", kind="organizing-theme")
    add_document(project, "site-a-leader", LEADER, {"site": "A", "role": "Leader"}, "Amira Haddad")
    add_document(project, "site-b-patient", PATIENT, {"site": "B", "role": "Patient"}, "Dana Roy")
    yield project
