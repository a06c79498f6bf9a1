"""The matrix tests' study: built once per session on SQLite and shared by the tests that
only read it; tests that need PostgreSQL too build it in the `project` fixture."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from matrix_study import build

from coder import Project


@pytest.fixture(scope="session")
def study_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("matrix-study")
    path = folder / "study.coder"
    with Project.create(path, title="Matrix study") as project:
        build(project, folder / "corpus")
    return path


@pytest.fixture
def study(study_path: Path) -> Iterator[Project]:
    """The study on SQLite, to read (tests must not change it)."""
    with Project.open(study_path) as project:
        yield project
