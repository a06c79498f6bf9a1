"""Failures of the project itself (damaged, read-only, not a project, a broken URL) and of
values the database cannot store are one line on stderr, exit status 1, nothing changed."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from coder import Project
from coder.cli import cli

TEXT = "Interviewer: What got in the way?\nDana: Time, mostly. Meetings were at noon.\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def one_error_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("coder: error: ")
    return lines[0]


@pytest.fixture
def study(tmp_path: Path) -> Path:
    path = tmp_path / "study.coder"
    (tmp_path / "interview.txt").write_text(TEXT)
    with Project.create(path) as project:
        project.import_files([tmp_path / "interview.txt"])
        project.codebook.add("Time")
    return path


CODE = ["code", "--document", "interview", "--code", "Time", "--coder", "maya"]


def test_a_file_that_is_not_a_project_is_looked_at_and_left_as_it_was(tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite"
    connection = sqlite3.connect(other)
    connection.execute("CREATE TABLE notes (body TEXT)")
    connection.commit()
    connection.close()
    before = other.read_bytes()
    code, _, err = run("info", "-p", str(other))
    assert code == 1
    assert "is not a coder project" in one_error_line(err)
    assert other.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.sqlite"]  # no -wal, -shm
    connection = sqlite3.connect(other)
    assert connection.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    connection.close()


def test_a_damaged_project_is_one_line(study: Path) -> None:
    data = bytearray(study.read_bytes())
    page = 4096
    for start in range(2 * page, len(data) - page, page):  # every page but the header's
        data[start + 200 : start + 1200] = b"\xde\xad\xbe\xef" * 250
    study.write_bytes(bytes(data))
    for args in (["documents"], [*CODE, "--start", "0", "--end", "5"], ["codebook", "show"]):
        code, _, err = run(*args, "-p", str(study))
        assert code == 1, args
        line = one_error_line(err)
        assert f"{study} is damaged" in line and "backup" in line


@pytest.mark.parametrize(
    "url",
    ["postgresql://[::1/x", "postgresql://user@host:port/db", "postgresql+psycopg://u@[::1"],
)
def test_a_broken_database_url_is_one_line(url: str) -> None:
    code, _, err = run("info", "-p", url)
    assert code == 1
    assert "not a database URL" in one_error_line(err)


def test_a_read_only_project_is_read_and_never_written(study: Path, tmp_path: Path) -> None:
    """A project in a folder you may not write (someone else's, or on read-only media):
    reading works, every change is refused in one line, and no file is touched."""
    folder = tmp_path / "theirs"
    folder.mkdir()
    project = folder / "study.coder"
    shutil.copy(study, project)
    before = project.read_bytes()
    as_other = _as_someone_else(folder)
    for args in (
        ["info"],
        [*CODE, "--start", "0", "--end", "5"],
        ["codebook", "add", "Jargon"],
        ["undo", "--as", "maya"],
    ):
        done = subprocess.run(
            [*as_other, sys.executable, "-m", "coder", *args, "-p", str(project)],
            capture_output=True,
            text=True,
            cwd=folder,
        )
        if args == ["info"]:
            assert done.returncode == 0, done.stderr
            assert "Documents     1" in done.stdout
        else:
            assert done.returncode == 1, args
            assert "is read-only for you" in one_error_line(done.stderr)
    assert project.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["study.coder"]


def test_a_project_behind_a_closed_folder_is_one_line(study: Path, tmp_path: Path) -> None:
    """A project inside a folder the user may not enter (or a file they may not read)."""
    closed = tmp_path / "closed"
    (closed / "inner").mkdir(parents=True)
    project = closed / "inner" / "study.coder"
    shutil.copy(study, project)
    as_other = _as_someone_else(closed)
    for locked in (closed, project):
        locked.chmod(0)
        done = subprocess.run(
            [*as_other, sys.executable, "-m", "coder", "info", "-p", str(project)],
            capture_output=True,
            text=True,
            cwd="/",
        )
        locked.chmod(0o755)
        assert done.returncode == 1, done.stdout
        assert "permission denied; ask its owner for read access" in one_error_line(done.stderr)


def _as_someone_else(folder: Path) -> list[str]:
    """The command prefix that runs as a user who may read `folder` but not write it."""
    if os.geteuid() == 0:  # root writes anything: run as nobody instead
        folder.chmod(0o755)
        for parent in folder.parents:
            parent.chmod(parent.stat().st_mode | 0o005)
        return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    folder.chmod(0o555)
    return []


def test_a_codings_cell_longer_than_the_csv_modules_limit_imports(
    project: Project, tmp_path: Path
) -> None:
    """A passage of 200,000 characters, exported and imported again: the csv module refuses
    cells over 131,072 characters unless told otherwise."""
    long_text = "Dana: " + "We met at noon and it was hard. " * 6_250
    (tmp_path / "long.txt").write_text(long_text)
    project.import_files([tmp_path / "long.txt"])
    project.codebook.add("Time")
    stored = project.document("long").text
    codings = tmp_path / "codings.csv"
    codings.write_text(
        f'document,start,end,code,coder,text\nlong,0,{len(stored)},Time,maya,"{stored}"\n'
    )
    code, out, err = run("codings", "import", str(codings), "-p", project.location)
    assert code == 0, err
    assert "Imported 1 codings" in out


def test_a_nul_in_a_coder_name_is_one_line_and_nothing_is_written(
    project: Project, tmp_path: Path
) -> None:
    (tmp_path / "interview.txt").write_text(TEXT)
    project.import_files([tmp_path / "interview.txt"])
    project.codebook.add("Time")
    before = project.info().counts
    codings = tmp_path / "codings.csv"
    codings.write_text("document,start,end,code,coder\ninterview,0,5,Time,ma\x00ya\n")
    code, _, err = run("codings", "import", str(codings), "-p", project.location)
    assert code == 1
    line = one_error_line(err)
    assert "line 2" in line and "U+0000" in line
    assert project.info().counts == before
