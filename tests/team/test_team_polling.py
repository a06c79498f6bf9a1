"""The coding screen picks up what others did by polling the event log."""

from __future__ import annotations

from pathlib import Path

import pytest

from coder import Project
from coder.tui.app import CoderApp
from coder.tui.screens.coding import CodingScreen

TRANSCRIPT = """Interviewer: How did it start?
Dana: Slowly. Time was the problem. We met at noon.
"""


@pytest.fixture
def project(tmp_path: Path) -> Project:
    path = tmp_path / "transcript.txt"
    path.write_text(TRANSCRIPT)
    project = Project.create(tmp_path / "study.coder")
    project.import_files([path])
    project.codebook.add("Time", key="t")
    return project


def test_changes_since_lists_newer_entries_oldest_first(project: Project) -> None:
    mark = project.team.last_event_id()
    project.codebook.add("Parking", actor="lena")
    start = TRANSCRIPT.index("Slowly.")
    project.coding.apply("transcript", "Time", start, start + 7, coder="bruno")
    events = project.team.changes_since(mark)
    assert [(e.actor, e.action) for e in events] == [
        ("lena", "code.add"),
        ("bruno", "coder.add"),
        ("bruno", "coding.add"),
    ]
    assert events[-1].id == project.team.last_event_id()
    assert project.team.changes_since(events[-1].id) == []


async def test_the_coding_screen_shows_others_work_after_a_poll(project: Project) -> None:
    app = CoderApp(project, "amira")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = CodingScreen(project, "transcript", "amira")
        app.push_screen(screen)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.press("ctrl+o")  # show other coders' codings too
        start = TRANSCRIPT.index("Time was the problem.")
        # Meanwhile, elsewhere: the lead adds a code and bruno codes.
        project.codebook.add("Parking", actor="lena")
        project.coding.apply("transcript", "Time", start, start + 21, coder="bruno")
        assert "Parking" not in [c.name for c in screen.codes_tree.codes]
        screen.poll_log()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Parking" in [c.name for c in screen.codes_tree.codes]
        assert [(s, e, who) for _, _, s, e, who in screen.codings] == [(start, start + 21, "bruno")]
        seen = screen.seen_event
        screen.poll_log()  # nothing new: nothing to do
        await app.workers.wait_for_complete()
        assert screen.seen_event == seen == project.team.last_event_id()
