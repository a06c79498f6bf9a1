"""A change while another process holds the project's write lock: on the UI thread it is
refused after a second with a message (the screen never freezes for the lock wait); in a
worker it waits, says so in the corner, and goes through once the lock is free. SQLite only:
PostgreSQL has no whole-database write lock to wait for."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from settling import open_coding, settle

from coder import Project
from coder.tui.app import CoderApp
from coder.tui.waiting import BUSY, WAITING, LockNotice

INTERVIEW = "Interviewer: How is it?\nDana: My A1c went up last spring.\n"


def study(tmp_path: Path) -> tuple[Path, Project, LockNotice]:
    (tmp_path / "interview.txt").write_text(INTERVIEW)
    path = tmp_path / "study.coder"
    with Project.create(path) as created:
        created.import_files([tmp_path / "interview.txt"])
        created.codebook.add("Health", key="h")
    notice = LockNotice()
    return path, Project.open(path, on_wait=notice), notice


@contextmanager
def another_writer(path: Path) -> Iterator[sqlite3.Connection]:
    """Another process's write transaction, holding the lock until the block ends."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield other
    finally:
        other.execute("ROLLBACK")
        other.close()


def messages(app: CoderApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_a_code_key_while_another_process_writes_is_refused_with_a_message(
    tmp_path: Path,
) -> None:
    path, project, notice = study(tmp_path)
    app = CoderApp(project, "maya")
    notice.app = app
    async with app.run_test(size=(80, 24)) as pilot:
        await open_coding(app, pilot, "interview", "maya")
        await pilot.press("down")  # Dana's sentence
        with another_writer(path):
            await pilot.press("h")
            await settle(app, pilot)
            assert BUSY in messages(app)
            assert project.coding.frame(coders=["maya"]).empty  # nothing was changed
        await pilot.press("h")
        await settle(app, pilot)
        assert len(project.coding.frame(coders=["maya"])) == 1
    project.close()


async def test_a_change_in_a_worker_waits_and_says_so(tmp_path: Path) -> None:
    path, project, notice = study(tmp_path)
    app = CoderApp(project, "maya")
    notice.app = app
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        with another_writer(path):
            worker = app.run_worker(
                lambda: project.memos.add("project", "a note", actor="maya"), thread=True
            )
            while WAITING not in messages(app):
                await pilot.pause(0.1)
            assert not worker.is_finished  # still waiting for the lock
        await worker.wait()
        assert [m.body for m in project.memos.list()] == ["a note"]
    project.close()
