"""Creating, opening and upgrading projects, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from coder import Project
from coder.errors import ConflictError, NotFoundError, ProjectError
from coder.model import SegmentKind
from coder.storage import migrate
from coder.storage.engine import make_engine


def test_new_project_is_at_head_and_empty(location: str) -> None:
    with Project.create(location, title="Partnership study") as project:
        info = project.info()
    assert info.title == "Partnership study"
    assert info.schema_version == migrate.head() == info.schema_head
    assert info.phase == "open"
    assert (info.counts.documents, info.counts.codes, info.counts.coders) == (0, 0, 0)
    assert (info.counts.codings, info.counts.participants, info.counts.memos) == (0, 0, 0)
    assert info.created_at is not None


def test_reopened_project_keeps_its_content(location: str) -> None:
    with Project.create(location) as project:
        project.add_coder("amira", "lead")
        project.add_coder("ben")
    with Project.open(location) as project:
        assert [(c.name, c.role) for c in project.coders()] == [("amira", "lead"), ("ben", "coder")]
        assert project.upgraded_from is None


def test_every_change_is_logged_with_its_actor(project: Project) -> None:
    project.add_coder("amira", "lead", actor="amira")
    project.set_title("Renamed", actor="amira")
    actions = [(e.action, e.actor) for e in project.events()]
    assert actions[:3] == [("setting.set", "amira"), ("coder.add", "amira"), ("setting.set", None)]
    assert actions[-1] == ("project.create", None)
    title_event = project.events()[0]
    assert title_event.data == {"key": "title", "before": "Test study", "after": "Renamed"}


def test_one_action_shares_one_event_group(project: Project) -> None:
    creation = [e for e in project.events() if e.action in {"project.create", "setting.set"}]
    assert len({e.group for e in creation}) == 1


def test_duplicate_coder_is_refused(project: Project) -> None:
    project.add_coder("amira")
    with pytest.raises(ConflictError, match="already exists"):
        project.add_coder("amira")


def test_create_refuses_an_existing_project(location: str) -> None:
    Project.create(location).close()
    with pytest.raises(ConflictError):
        Project.create(location)


def test_open_missing_file_says_how_to_create(tmp_path: Path) -> None:
    missing = tmp_path / "missing.coder"
    with pytest.raises(NotFoundError, match="coder init"):
        Project.open(missing)


def test_open_a_file_that_is_not_a_project(tmp_path: Path) -> None:
    notes = tmp_path / "notes.coder"
    notes.write_text("interview notes")
    with pytest.raises(ProjectError, match="not a SQLite database"):
        Project.open(notes)


def test_open_a_sqlite_database_that_is_not_a_project(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(ProjectError, match="not a coder project"):
        Project.open(other)


def test_create_in_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="does not exist"):
        Project.create(tmp_path / "no" / "such" / "study.coder")


def test_unreachable_server_is_a_clear_error() -> None:
    with pytest.raises(ProjectError, match="cannot"):
        Project.open("postgresql+psycopg://nobody@127.0.0.1:1/nothing")


def test_unsupported_url() -> None:
    with pytest.raises(ProjectError, match="unsupported database"):
        Project.open("mysql://localhost/study")


def test_project_from_a_newer_version_is_refused(location: str) -> None:
    Project.create(location).close()
    engine = make_engine(location)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    engine.dispose()
    with pytest.raises(ProjectError, match="newer version of coder"):
        Project.open(location)


def test_older_project_is_upgraded_on_open(location: str) -> None:
    """A project made at the first schema version opens at head, content intact."""
    first = migrate.history()[0]
    assert first != migrate.head()
    Project.create(location).close()
    engine = make_engine(location)
    migrate.downgrade(engine, first)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO coder (name, role, created_at) VALUES ('old', 'coder', '2024-01-01')"
        )
    engine.dispose()

    told: list[str] = []
    with Project.open(location, on_wait=told.append) as project:
        assert project.upgraded_from == first
        assert project.info().schema_version == migrate.head()
        assert [c.name for c in project.coders()] == ["old"]
        backup = project.backup_path
    # Said before the work starts, once.
    assert len(told) == 1 and f"from schema {first} to {migrate.head()}" in told[0]
    if location.startswith("postgresql"):
        assert backup is None
        return
    # SQLite files are copied before the upgrade; the copy is still at the old version.
    assert backup is not None and backup.exists()
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (first,)
        assert conn.execute("SELECT name FROM coder").fetchall() == [("old",)]


def test_document_segments_reads_what_the_single_reads_read(
    project: Project, tmp_path: Path
) -> None:
    transcript = tmp_path / "focus.txt"
    transcript.write_text(
        "Facilitator: Welcome. Shall we start?\n\n"
        "Rosa: Thanks. I came because of the survey. It was short.\n\n"
        "Second paragraph of Rosa's answer.\n\n"
        "Tom: Me too.\n"
    )
    project.import_files([transcript])
    kinds: tuple[SegmentKind, ...] = ("turn", "sentence", "paragraph")
    document, found = project.document_segments("focus", kinds)
    assert document == project.document("focus")
    assert found == {kind: project.segments("focus", kind) for kind in kinds}
    assert [len(found[kind]) for kind in kinds] == [3, 7, 4]
    with pytest.raises(NotFoundError, match="no document named 'fokus'"):
        project.document_segments("fokus", kinds)
