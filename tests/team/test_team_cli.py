"""`coder team`: setting up members, seeing who is who, and moving a project between engines."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner, Result
from postgres_server import ThrowawayPostgres
from team_study import INTERVIEW, TeamStudy

from coder import Project
from coder.cli import cli
from coder.team.api import copy_project, default_role


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env={"CODER_USER": None})


@pytest.mark.postgres
def test_add_coder_creates_a_role_and_prints_the_url_to_use(team: TeamStudy) -> None:
    role = f"carla_{uuid.uuid4().hex[:8]}"
    team.roles["carla"] = role  # dropped after the test
    result = run("team", "add-coder", "carla", "--db-role", role, "-p", team.admin_url)
    assert result.exit_code == 0, result.output
    assert f"Added coder 'carla', logging in as created role {role}." in result.output
    url = team.url("carla")
    assert f"They connect with: {url}" in result.output

    listed = run("team", "list", "-p", team.admin_url, "--json")
    members = {m["name"]: m for m in json.loads(listed.output)}
    assert members["carla"]["db_role"] == role
    assert members["carla"]["can_login"] is True
    assert members["carla"]["groups"] == [f"{team.database}_coders"]
    assert members["lena"]["groups"] == [f"{team.database}_leads"]
    assert "carla" in run("team", "list", "-p", team.admin_url).output

    assert run("team", "whoami", "-p", url).output.startswith(
        f"carla (coder), logged in as database role {role}"
    )
    start, end = team.span("Time, mostly.")
    coded = run("code", "-p", url, "--document", "interview", "--code", "Time",
                "--start", str(start), "--end", str(end), "--coder", "carla")  # fmt: skip
    assert coded.exit_code == 0, coded.output
    lying = run("code", "-p", url, "--document", "interview", "--code", "Time",
                "--start", str(start), "--end", str(end), "--coder", "bruno")  # fmt: skip
    assert lying.exit_code != 0
    assert "you cannot act as 'bruno'" in lying.output
    refused = run("codebook", "add", "Parking", "-p", url)
    assert refused.exit_code == 1
    assert "coder: error: the database refused this change as 'carla': only a lead" in (
        refused.output
    )


@pytest.mark.postgres
def test_an_existing_role_is_mapped_not_created(team: TeamStudy) -> None:
    result = run("team", "add-coder", "admin", "--role", "lead", "--db-role", "postgres",
                 "-p", team.admin_url)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "existing role postgres" in result.output
    assert team.admin.team.me() is not None
    assert run("team", "whoami", "-p", team.admin_url).output.startswith("admin (lead)")
    again = run("team", "add-coder", "amira", "--role", "lead", "-p", team.admin_url)
    assert again.exit_code == 1
    assert "exists with role 'coder'" in again.output
    taken = run("team", "add-coder", "zoe", "--db-role", team.roles["amira"], "-p", team.admin_url)
    assert "already belongs to coder 'amira'" in taken.output


@pytest.mark.postgres
def test_team_init_is_idempotent(team: TeamStudy) -> None:
    for _ in range(2):
        result = run("team", "init", "-p", team.admin_url)
        assert result.exit_code == 0, result.output
        assert f"{team.database}_coders (coders)" in result.output


def test_a_sqlite_project_has_no_team(tmp_path: Path) -> None:
    path = tmp_path / "solo.coder"
    Project.create(path).close()
    result = run("team", "add-coder", "amira", "-p", str(path))
    assert result.exit_code == 2
    assert "single-user SQLite project: teams need a PostgreSQL server" in result.output
    assert "SQLite project" in run("team", "whoami", "-p", str(path)).output
    with Project.open(path) as project:
        assert project.team.me() is None
        assert project.team.last_event_id() > 0
        assert project.team.changes_since(project.team.last_event_id()) == []


def test_default_role_names() -> None:
    assert default_role("Amira K.") == "amira_k"
    assert default_role("  Zoë ") == "zo"
    assert default_role("42") == "coder_42"


def _snapshot(location: str) -> dict[str, object]:
    # lena leads, and so reads every coder's codings while the project is blind.
    with Project.open(location, as_coder="lena") as project:
        frame = project.coding.frame()
        return {
            "codings": sorted(
                zip(frame["id"], frame["coder"], frame["start"], frame["end"], strict=True)
            ),
            "codes": [
                (c.id, c.name, c.parent_id, c.version) for c in project.codebook.tree().codes
            ],
            "events": [(e.id, e.actor, e.action, e.data) for e in project.events(limit=None)],
            "phase": project.phase,
            "memos": [m.body for m in project.memos.list()],
        }


@pytest.mark.postgres
def test_a_project_moves_to_the_server_and_back(
    postgres: ThrowawayPostgres, tmp_path: Path
) -> None:
    source = tmp_path / "study.coder"
    (tmp_path / "interview.txt").write_text(INTERVIEW)
    with Project.create(source, title="Moving") as project:
        project.add_coder("lena", "lead")
        project.import_files([tmp_path / "interview.txt"])
        project.codebook.add("Time")
        project.codebook.add("Later")
        # A parent created after its child: rows must not be copied in id order alone.
        project.codebook.move("Time", "Later")
        project.coding.apply("interview", "Later/Time", 13, 30, coder="maya", memo="Hurried")
        project.coding.apply("interview", "Later", 40, 53, coder="tomas")
        project.set_phase("blind", actor="maya")
    before = _snapshot(str(source))

    database = postgres.create_database()
    try:
        server = postgres.url(database)
        moved = run("team", "copy", str(source), server)
        assert moved.exit_code == 0, moved.output
        assert "Copied 1 documents, 2 codes, 2 codings" in moved.output
        assert _snapshot(server) == before
        with Project.open(server) as project:
            # New rows take ids after the copied ones, and history still works.
            project.coding.apply("interview", "Later", 0, 5, coder="maya")
            assert project.undo(actor="maya").startswith("Undid: Coded")
            # An action made before the move is undone from the copied log.
            assert project.undo(actor="maya") == "Undid: Moved the project to the blind phase"
            assert project.phase == "open"
        back = tmp_path / "back.coder"
        copy_project(server, back)
        assert _snapshot(str(back))["codings"] == _snapshot(server)["codings"]
        assert _snapshot(str(back)) == _snapshot(server)
    finally:
        postgres.drop_database(database)
    refused = run("team", "copy", str(source), str(back))
    assert refused.exit_code == 1
    assert "already exists" in refused.output


@pytest.mark.postgres
def test_a_coder_cannot_copy_a_project_they_only_partly_see(
    team: TeamStudy, tmp_path: Path
) -> None:
    result = run("team", "copy", team.url("amira"), str(tmp_path / "mine.coder"))
    assert result.exit_code == 2
    assert "open as a coder, who does not see all of it" in result.output
    assert not (tmp_path / "mine.coder").exists()
    assert run("team", "copy", team.url("lena"), str(tmp_path / "all.coder")).exit_code == 0


@pytest.mark.postgres
def test_the_documented_setup_needs_no_superuser(
    postgres: ThrowawayPostgres, tmp_path: Path
) -> None:
    """An administrator with CREATEDB and CREATEROLE, as docs/team.md sets one up, creates the
    project, maps themself as a lead and adds a coder; blind coding then holds."""
    suffix = uuid.uuid4().hex[:8]
    owner, coder_role, database = f"admin_{suffix}", f"amira_{suffix}", f"study_{suffix}"
    with psycopg.connect(postgres.url("postgres").replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'CREATE ROLE "{owner}" LOGIN CREATEDB CREATEROLE')
    url = postgres.url(database, user=owner)
    (tmp_path / "interview.txt").write_text(INTERVIEW)
    try:
        assert run("init", url).exit_code == 0
        mapped = run("team", "add-coder", "lena", "--role", "lead", "--db-role", owner, "-p", url)
        assert mapped.exit_code == 0, mapped.output
        added = run("team", "add-coder", "amira", "--db-role", coder_role, "-p", url)
        assert added.exit_code == 0, added.output
        with Project.open(url) as admin:
            admin.import_files([tmp_path / "interview.txt"])
            admin.codebook.add("Time")
            admin.coding.apply("interview", "Time", 13, 30, coder="lena")
            admin.set_phase("blind")
        with Project.open(postgres.url(database, user=coder_role)) as amira:
            amira.coding.apply("interview", "Time", 40, 53, coder="amira")
            assert list(amira.coding.frame()["coder"]) == ["amira"]
        with Project.open(url) as admin:
            assert sorted(admin.coding.frame()["coder"]) == ["amira", "lena"]
            assert admin.events(limit=1)[0].actor == "amira"
        assert "lena (lead)" in run("team", "whoami", "-p", url).output
    finally:
        postgres.drop_database(database)
        postgres.drop_roles(coder_role, f"{database}_coders", f"{database}_leads", owner)
