"""Fixtures for the coding tests: a small two-site study, and a spaCy pipeline for the
suggestion tests (the default one, with nothing to download)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import spacy
from coding_study import LEADER, PATIENT, add_document
from spacy.language import Language

from coder import Project


@pytest.fixture(scope="session")
def nlp() -> Language:
    pipeline = spacy.blank("en")
    pipeline.add_pipe("sentencizer")
    return pipeline


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
