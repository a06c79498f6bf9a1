"""Several processes on one project: a writer waits for another (or says in one line that it
gave up), an older project is upgraded once however many open it, and backups are never
overwritten. Real processes (`python -m coder`) on a real file or database."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import psycopg
import pytest

from coder import Project
from coder.storage import migrate
from coder.storage.engine import make_engine
from coder.storage.store import Store

INTERVIEW = "Interviewer: What got in the way?\nDana: Time, mostly. Meetings were at noon.\n"


def _coder(*args: str, wait: float = 60) -> subprocess.Popen[str]:
    env = {**os.environ, "CODER_LOCK_WAIT": str(wait), "CODER_USER": "maya"}
    return subprocess.Popen(
        [sys.executable, "-m", "coder", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _study(location: str, folder: Path) -> None:
    (folder / "interview.txt").write_text(INTERVIEW)
    (folder / "second.txt").write_text(INTERVIEW.replace("Dana", "Eli"))
    (folder / "codings.csv").write_text(
        "document,start,end,code,coder\n"
        + "".join(f"interview,0,{n},Time,bulk\n" for n in range(5, 30))
    )
    with Project.create(location) as project:
        project.import_files([folder / "interview.txt"])
        project.codebook.add("Time")


CODE = ["code", "--document", "interview", "--code", "Time", "--coder", "maya"]
# Each command, and what it leaves in the project: (documents, codings).
COMMANDS = {
    "code": ([*CODE, "--start", "0", "--end", "11"], (1, 1)),
    "import": (["import", "{folder}/second.txt"], (2, 0)),
    "codings-import": (["codings", "import", "{folder}/codings.csv"], (1, 25)),
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_writer_waits_for_another_and_says_what_it_waits_for(
    command: str, tmp_path: Path
) -> None:
    """The first writer holds the lock (a connection of its own, as another process would)
    for as long as it likes; the second says that it waits, then does its work."""
    path = tmp_path / "study.coder"
    _study(str(path), tmp_path)
    args = [a.format(folder=tmp_path) for a in COMMANDS[command][0]]
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    second = _coder(*args, "-p", str(path))
    try:
        assert second.stderr is not None
        said = second.stderr.readline()  # blocks until the second writer says something
        assert said.startswith("coder: waiting for another process writing to "), said
        assert str(path) in said
    finally:
        holder.execute("COMMIT")
        holder.close()
    _out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err
    with Project.open(path) as project:
        counts = project.info().counts
    assert (counts.documents, counts.codings) == COMMANDS[command][1]


def test_a_writer_that_waits_too_long_gives_one_line(tmp_path: Path) -> None:
    path = tmp_path / "study.coder"
    _study(str(path), tmp_path)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        second = _coder(*COMMANDS["code"][0], "-p", str(path), wait=1)
        _out, err = second.communicate(timeout=120)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert second.returncode == 1
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert lines[-1].startswith(f"coder: error: {path} is busy: another process has been writing")
    assert "CODER_LOCK_WAIT" in lines[-1]
    with Project.open(path) as project:
        assert project.info().counts.codings == 0


def test_an_open_reader_or_another_rows_writer_holds_no_writer_up(
    location: str, tmp_path: Path
) -> None:
    """A reader never holds up a writer (SQLite in WAL mode), and on PostgreSQL, which locks
    rows rather than the database, neither does another writer's long transaction."""
    _study(location, tmp_path)
    if not location.startswith("postgresql"):
        holder = sqlite3.connect(location, isolation_level=None)
        holder.execute("BEGIN")  # a reader, which never holds up a writer in WAL mode
        holder.execute("SELECT count(*) FROM coding").fetchone()
    else:
        holder = psycopg.connect(location.replace("+psycopg", ""))  # type: ignore[assignment]
        holder.execute("INSERT INTO coder (name, role, created_at) VALUES ('held', 'coder', now())")
    try:
        second = _coder(*COMMANDS["code"][0], "-p", location)
        _out, err = second.communicate(timeout=120)
    finally:
        holder.rollback()
        holder.close()
    assert second.returncode == 0, err
    assert "waiting" not in err


OPEN_ONCE = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from coder import Project
    start = Path(sys.argv[2])
    while not start.exists():
        time.sleep(0.01)
    with Project.open(sys.argv[1]) as project:
        print(project.upgraded_from or "-", project.backup_path or "-", project.info().schema_version)
    """
)


def test_an_older_project_opened_by_several_processes_is_upgraded_once(
    location: str, tmp_path: Path
) -> None:
    old = migrate.history()[1]
    Project.create(location).close()
    engine = make_engine(location)
    migrate.downgrade(engine, old)
    engine.dispose()
    start = tmp_path / "go"
    openers = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN_ONCE, location, str(start)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    start.touch()  # all four open at once
    results = [opener.communicate(timeout=180) for opener in openers]
    assert [opener.returncode for opener in openers] == [0] * 4, [err for _, err in results]
    said = [out.split() for out, _ in results]
    assert all(version == migrate.head() for *_, version in said)
    upgraders = [words for words in said if words[0] != "-"]
    assert len(upgraders) == 1, said  # the others found the work done, and say nothing of it
    assert upgraders[0][0] == old
    if location.startswith("postgresql"):
        return
    backups = sorted(Path(location).parent.glob("*.bak"))
    assert [str(b) for b in backups] == [upgraders[0][1]]
    copy = sqlite3.connect(backups[0])
    assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == (old,)
    copy.close()


def test_a_backup_never_overwrites_another(tmp_path: Path) -> None:
    """Two upgrades within the same second (the backups' names give the second) keep both."""
    path = tmp_path / "study.coder"
    Store.create(str(path)).close()
    store = Store.open(str(path))
    try:
        first = store._backup_sqlite("0001")
        first.write_bytes(first.read_bytes() + b"marked")
        second = store._backup_sqlite("0001")
    finally:
        store.close()
    assert first != second
    assert first.read_bytes().endswith(b"marked")
    assert second.exists()
