"""Fixtures for REFI-QDA exchange tests: a rich study, and where to import it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import exchange_study
import pytest
from postgres_server import ThrowawayPostgres

from coder import Project


@pytest.fixture
def study(project: Project, tmp_path: Path) -> Project:
    exchange_study.build(project, tmp_path / "transcripts")
    return project


@pytest.fixture
def target(request: pytest.FixtureRequest, project: Project, tmp_path: Path) -> Iterator[str]:
    """Where a project can be created, on the same engine as `project`."""
    if project.info().backend == "sqlite":
        yield str(tmp_path / "imported.coder")
        return
    server: ThrowawayPostgres = request.getfixturevalue("postgres")
    name = server.create_database()
    try:
        yield server.url(name)
    finally:
        server.drop_database(name)
