"""Fixtures shared by the whole suite.

Storage tests take `location`, which runs them once on a SQLite file and once on a fresh
database of a real PostgreSQL server started for the session (see postgres_server.py).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings
from postgres_server import ThrowawayPostgres

from coder import Project

# Property tests measure correctness, not speed: on a machine busy with other work, Hypothesis's
# per-example deadline and its "generation is slow" check fail tests that are right.
settings.register_profile("coder", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("coder")


@pytest.fixture(autouse=True)
def whole_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    """Printed tables fold to $COLUMNS when it is set; tests that compare whole lines must
    not depend on the terminal the suite happens to run in."""
    monkeypatch.delenv("COLUMNS", raising=False)


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


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Per engine, a freshly created project to clone: migrating once is much faster than
    migrating for every test. Filled lazily, so SQLite-only runs never start PostgreSQL."""
    return {}


@pytest.fixture
def project(
    request: pytest.FixtureRequest,
    location: str,
    templates: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Project]:
    """A new project titled "Test study", on each engine."""
    if location.startswith("postgresql"):
        server: ThrowawayPostgres = request.getfixturevalue("postgres")
        if "postgresql" not in templates:
            name = server.create_database()
            Project.create(server.url(name), title="Test study").close()
            templates["postgresql"] = name
        server.drop_database(location.rsplit("/", 1)[1])
        server.create_database(template=templates["postgresql"], name=location.rsplit("/", 1)[1])
    else:
        if "sqlite" not in templates:
            path = tmp_path_factory.mktemp("template") / "template.coder"
            Project.create(path, title="Test study").close()
            templates["sqlite"] = str(path)
        shutil.copyfile(templates["sqlite"], location)
    with Project.open(location) as opened:
        yield opened
