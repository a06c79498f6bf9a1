"""The team fixture: a PostgreSQL project with a lead and two coders (see team_study.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from postgres_server import ThrowawayPostgres
from team_study import TeamStudy, team_study


@pytest.fixture
def team(postgres: ThrowawayPostgres, tmp_path: Path) -> Iterator[TeamStudy]:
    with team_study(postgres, tmp_path) as study:
        yield study
