"""The demo study, built once per session on SQLite and read by the report tests, with a raw
SQLite connection to recompute every number of the methods report independently."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from coder import Project
from coder.demo import build
from coder.reports.methods import Facts


@pytest.fixture(scope="session")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.coder"
    build(path)
    return path


@pytest.fixture(scope="session")
def facts(demo_path: Path) -> Facts:
    with Project.open(demo_path) as project:
        return project.reports.facts(draws=200, orders=50)


@pytest.fixture
def sql(demo_path: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(f"file:{demo_path}?mode=ro", uri=True)
    try:
        yield connection
    finally:
        connection.close()
