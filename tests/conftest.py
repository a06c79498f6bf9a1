"""Fixtures shared by the whole suite.

Storage tests take `location`, which runs them once on a SQLite file and once on a fresh
database of a real PostgreSQL server started for the session (see postgres_server.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from postgres_server import ThrowawayPostgres

from coder import Project


@pytest.fixture(scope="session")
def postgres() -> Iterator[ThrowawayPostgres]:
    server = ThrowawayPostgres()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def location(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Where a new project can be created: a file path, or an empty PostgreSQL database."""
    if request.param == "sqlite":
        yield str(tmp_path_factory.mktemp("project") / "study.coder")
        return
    server: ThrowawayPostgres = request.getfixturevalue("postgres")
    name = server.create_database()
    try:
        yield server.url(name)
    finally:
        server.drop_database(name)


@pytest.fixture
def project(location: str) -> Iterator[Project]:
    with Project.create(location, title="Test study") as created:
        yield created
