"""Coding with the keyboard in the workbench; every test checks the database afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest

from coder import Project
from coder.tui.app import CoderApp
from coder.tui.screens.coding import CodingScreen
from coder.tui.screens.palette import CodePalette
from coder.tui.widgets.transcript import TranscriptView

TRANSCRIPT = """Interviewer: How did it start?
Dana: Slowly. Time was the problem. We met at noon.
Interviewer: And the jargon?
Dana: PDSA this, run chart that. I was lost.
"""


@pytest.fixture
def project(tmp_path: Path) -> Project:
    path = tmp_path / "transcript.txt"
    path.write_text(TRANSCRIPT)
    project = Project.create(tmp_path / "study.coder")
    project.import_files([path])
    project.codebook.add("Challenges", kind="organizing-theme")
    project.codebook.add("Time", parent="Challenges", key="t")
    project.codebook.add("Jargon", parent="Challenges", key="j")
    return project


async def open_coding(project: Project, coder: str = "amira", size: tuple[int, int] = (100, 30)):  # type: ignore[no-untyped-def]
    app = CoderApp(project, coder)
    context = app.run_test(size=size)
    pilot = await context.__aenter__()
    app.push_screen(CodingScreen(project, "transcript", coder))
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    return app, pilot, context


def sentence(project: Project, text: str) -> tuple[int, int]:
    body = project.document("transcript").text
    start = body.index(text)
    return start, start + len(text)


async def test_shortcut_key_codes_the_selected_sentence(project: Project) -> None:
    app, pilot, context = await open_coding(project)
    view = app.screen.query_one(TranscriptView)
    assert (view.selection.start, view.selection.end) == sentence(project, "How did it start?")
    await pilot.press("down", "down", "t")
    await pilot.pause()
    frame = project.coding.frame()
    assert frame[["coder", "start", "end"]].values.tolist() == [
        ["amira", *sentence(project, "Time was the problem.")]
    ]
    await context.__aexit__(None, None, None)


async def test_extend_and_whole_turn(project: Project) -> None:
    app, pilot, context = await open_coding(project)
    await pilot.press("down", "shift+down", "shift+down", "j")
    await pilot.press("down", "space", "t")
    await pilot.pause()
    rows = sorted(project.coding.frame()[["start", "end"]].values.tolist())
    slowly = sentence(project, "Slowly. Time was the problem. We met at noon.")
    question = sentence(project, "And the jargon?")
    assert rows == [list(slowly), list(question)]
    # Extending stops at the end of the speaker's turn.
    view = app.screen.query_one(TranscriptView)
    await pilot.press("up", "up", "up", "shift+down", "shift+down", "shift+down", "shift+down")
    assert view.selection.end == slowly[1]
    await context.__aexit__(None, None, None)


async def test_palette_remove_and_undo(project: Project) -> None:
    app, pilot, context = await open_coding(project)
    await pilot.press("down", "down", "enter")
    assert isinstance(app.screen, CodePalette)
    await pilot.press(*"jarg", "enter")
    await pilot.pause()
    assert project.coding.frame()["start"].tolist() == [
        sentence(project, "Time was the problem.")[0]
    ]
    jargon = project.codebook.code("Challenges/Jargon").id
    assert project.coding.frame()["code_id"].tolist() == [jargon]
    await pilot.press("delete")
    await pilot.pause()
    assert project.coding.frame().empty
    await pilot.press("ctrl+z")
    await pilot.pause()
    assert len(project.coding.frame()) == 1
    await context.__aexit__(None, None, None)


async def test_next_uncoded_turn_skips_interviewer_and_coded_turns(project: Project) -> None:
    app, pilot, context = await open_coding(project)
    await pilot.press("down", "space", "t", "up", "up", "ctrl+n")
    view = app.screen.query_one(TranscriptView)
    assert (view.selection.start, view.selection.end) == sentence(
        project, "PDSA this, run chart that. I was lost."
    )
    await context.__aexit__(None, None, None)


async def test_blind_phase_shows_only_my_codings(project: Project) -> None:
    start, end = sentence(project, "Time was the problem.")
    project.coding.apply("transcript", "Challenges/Time", start, end, coder="ben")
    with project._store.write("lead") as tx:
        tx.set_setting("phase", "blind")
    app, pilot, context = await open_coding(project)
    screen = app.screen
    assert isinstance(screen, CodingScreen)
    assert screen.codings == []
    await pilot.press("ctrl+o")
    assert screen.codings == []
    await context.__aexit__(None, None, None)


async def test_a_memo_on_a_coding(project: Project) -> None:
    _app, pilot, context = await open_coding(project)
    await pilot.press("down", "down", "t", "ctrl+e")
    await pilot.press(*"noon meetings", "ctrl+s")
    await pilot.pause()
    (memo,) = project.memos.list()
    assert memo.target == "coding" and memo.body == "noon meetings"
    await context.__aexit__(None, None, None)


async def test_codes_of_one_name_are_told_apart_by_their_parents(project: Project) -> None:
    # Lind's Parity: every condition has a Met and a Missing.
    project.codebook.add("Parity", kind="organizing-theme")
    for condition, keys in (("Numbers", "nN"), ("Support", "sS")):
        project.codebook.add(condition, parent="Parity")
        for name, key in zip(("Met", "Missing"), keys, strict=True):
            project.codebook.add(name, parent=f"Parity/{condition}", key=key)
    app, pilot, context = await open_coding(project)
    await pilot.press("down", "down", "N", "s")
    await pilot.pause()
    selection = str(app.screen.query_one("#selection").render())
    assert "Numbers/Missing, Support/Met" in selection
    # A name used once stays short.
    await pilot.press("t")
    await pilot.pause()
    assert "Support/Met, Time" in str(app.screen.query_one("#selection").render())
    assert len(project.coding.frame()) == 3
    await context.__aexit__(None, None, None)
