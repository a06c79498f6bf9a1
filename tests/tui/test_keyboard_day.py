"""A day of coding by keyboard only: select mid-sentence, code, see the stripe, recode and
resize from the stripe, reconcile a two-code passage. Each step checks the database."""

from __future__ import annotations

from pathlib import Path

import pytest
from settling import open_coding, settle, span

from coder import Project
from coder.tui.app import CoderApp
from coder.tui.screens.coding import CodingScreen
from coder.tui.screens.reconcile import ReconcileScreen
from coder.tui.widgets.transcript import TranscriptView

INTERVIEW = """Interviewer: How is your diabetes?
Dana: My A1c went up last spring. Meetings were at noon, and I work days.
Interviewer: What helped?
Dana: A glossary. And the coach.
"""


@pytest.fixture
def study(tmp_path: Path) -> Project:
    (tmp_path / "interview.txt").write_text(INTERVIEW)
    project = Project.create(tmp_path / "study.coder")
    project.import_files([tmp_path / "interview.txt"])
    project.codebook.add("Challenges", kind="organizing-theme")
    project.codebook.add("Time and meeting timing", parent="Challenges", key="t")
    project.codebook.add("Attrition", parent="Challenges", key="a")
    project.codebook.add("Health", key="h")
    return project


async def test_select_mid_sentence_code_see_the_stripe_recode_and_resize(study: Project) -> None:
    app = CoderApp(study, "maya")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_coding(app, pilot, "interview", "maya")
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        view = screen.query_one(TranscriptView)
        # Search jumps to the phrase in the middle of the sentence; a key codes it.
        await pilot.press("slash", *"my a1c", "enter")
        await settle(app, pilot)
        assert view.text[view.selection.start : view.selection.end] == "My A1c"
        await pilot.press("h")
        await settle(app, pilot)
        health = study.codebook.code("Health").id
        frame = study.coding.frame(coders=["maya"])
        assert frame[["code_id", "start", "end"]].values.tolist() == [
            [health, *span(study, "My A1c")]
        ]
        # The stripe is in the margin of that line, with the code's key.
        line = view.line_of(span(study, "My A1c")[0])
        drawn = "".join(s.text for s in view.render_line(line - int(view.scroll_offset.y)))
        assert "h" in drawn[-15:] and "Health" in drawn
        # Selection mode from the cursor: the end moves by word, then by character.
        await pilot.press("down", "ctrl+s")  # the next sentence's start is the cursor
        start = span(study, "Meetings were at noon")[0]
        assert (view.selection.start, view.selection.end) == (start, start)
        await pilot.press("ctrl+right", "ctrl+right", "ctrl+right", "right", "right", "right")
        assert view.text[view.selection.start : view.selection.end] == "Meetings were at no"
        await pilot.press("right", "right", "t")
        await settle(app, pilot)
        time = study.codebook.code("Challenges/Time and meeting timing").id
        coded = study.coding.frame(coders=["maya"])
        assert [time, *span(study, "Meetings were at noon")] in coded[
            ["code_id", "start", "end"]
        ].values.tolist()
        assert not view.selecting  # coding ended the selection mode
        # The line has two stripes, the longer coding leftmost: ] chooses Time, then Health.
        await pilot.press("up", "right_square_bracket")
        first = screen.chosen()
        assert first is not None and first[1] == time
        await pilot.press("right_square_bracket")
        chosen = screen.chosen()
        assert chosen is not None and chosen[1] == health
        await pilot.press("a")
        await settle(app, pilot)
        attrition = study.codebook.code("Challenges/Attrition").id
        recoded = study.coding.get(chosen[0])
        assert (recoded.code_id, recoded.start, recoded.end) == (
            attrition,
            *span(study, "My A1c"),
        )
        # Resize it: choose it, selection mode keeps its ends, move the end two words on.
        while screen.chosen() is None or screen.chosen()[0] != chosen[0]:  # type: ignore[index]
            await pilot.press("right_square_bracket")
        await pilot.press("ctrl+s", "ctrl+right", "ctrl+right", "ctrl+r")
        await settle(app, pilot)
        resized = study.coding.get(chosen[0])
        assert (resized.start, resized.end) == span(study, "My A1c went up")
        assert resized.code_id == attrition
        # Undo puts the span back.
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert (study.coding.get(chosen[0]).end) == span(study, "My A1c")[1]


async def test_reconcile_a_two_code_passage_by_keyboard(study: Project) -> None:
    sentence = span(study, "Meetings were at noon, and I work days.")
    study.coding.apply("interview", "Challenges/Time and meeting timing", *sentence, coder="tomas")
    study.coding.apply("interview", "Challenges/Attrition", *sentence, coder="maya")
    app = CoderApp(study, "lead")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ReconcileScreen)
        passage = screen.current
        assert passage is not None
        assert passage.codes == ["Challenges/Attrition", "Challenges/Time and meeting timing"]
        # Both panes show the passage from their first line.
        for side in ("a", "b"):
            shown = str(screen.query_one(f"#version-{side}-text").render())
            assert "Meetings were at noon" in shown.splitlines()[0] + shown.splitlines()[1]
        # Marked: keep maya's Attrition (1, already kept as A's version), add tomas's Time (2).
        await pilot.press("2", "r", *"both hold", "enter", "enter")
        await settle(app, pilot)
        consensus = study.coding.frame(coders=["consensus"])
        codes = {study.codebook.tree().by_id[int(c)].name for c in consensus["code_id"]}
        assert codes == {"Attrition", "Time and meeting timing"}
        assert study.reconcile.decisions()["rationale"].tolist() == ["both hold", "both hold"]
        (event,) = study.events(limit=1)
        assert event.data["words"].startswith(
            "kept maya's Attrition on “Meetings were at noon, and I work days.” in interview; "
            "kept tomas's Time and meeting timing"
        )
        assert screen.current is None
