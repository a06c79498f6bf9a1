"""The workbench's screens driven by the keyboard; each test checks the database afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest

from coder import Project
from coder.coding.suggestions.run import SuggestOptions
from coder.tui.app import CoderApp
from coder.tui.screens.agreement import AgreementScreen
from coder.tui.screens.codebook import CodebookScreen
from coder.tui.screens.coding import CodingScreen
from coder.tui.screens.reconcile import ReconcileScreen
from coder.tui.widgets.transcript import TranscriptView

INTERVIEW = """Interviewer: What got in the way?
Dana: Time, mostly. Meetings were at noon. I work days. The jargon was hard too. Nobody explained PDSA.
Interviewer: What helped?
Dana: A glossary. And the coach. She came every month.
"""


def span(project: Project, text: str) -> tuple[int, int]:
    start = project.document("interview").text.index(text)
    return start, start + len(text)


@pytest.fixture
def study(tmp_path: Path) -> Project:
    (tmp_path / "interview.txt").write_text(INTERVIEW)
    project = Project.create(tmp_path / "study.coder")
    project.import_files([tmp_path / "interview.txt"])
    cb = project.codebook
    cb.add("Challenges", kind="organizing-theme")
    cb.add("Time", parent="Challenges", key="t", keywords=["noon", "time"])
    cb.add("Jargon", parent="Challenges", key="j")
    cb.add("Support", key="s")

    def code(coder: str, path: str, text: str) -> None:
        project.coding.apply("interview", path, *span(project, text), coder=coder)

    code("maya", "Challenges/Time", "Time, mostly.")
    code("tomas", "Challenges/Time", "Time, mostly.")
    code("maya", "Challenges/Jargon", "Nobody explained PDSA.")
    code("tomas", "Support", "A glossary.")
    return project


async def settle(app: CoderApp, pilot: object) -> None:
    await pilot.pause()  # type: ignore[attr-defined]
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]


async def test_codebook_screen_merges_with_confirmation_and_undoes(study: Project) -> None:
    app = CoderApp(study, "maya")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, CodebookScreen)
        screen = app.screen
        # Highlight Challenges/Jargon and merge it into Time by typing in the palette.
        await pilot.press("down", "down")
        assert screen.current() is not None and screen.current().name == "Jargon"
        await pilot.press("g")
        await pilot.pause()
        await pilot.press(*"time", "enter")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        frame = study.coding.frame()
        tree = study.codebook.tree()
        time_id = tree.find("Challenges/Time").id
        assert set(frame["code_id"]) == {time_id, tree.find("Support").id}
        assert (frame["code_id"] == time_id).sum() == 3
        assert (
            study.codebook.tree(include_inactive=True).find("Challenges/Jargon").status == "merged"
        )
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert study.codebook.code("Challenges/Jargon").status == "active"


async def test_codebook_screen_renames_and_refuses_deleting_a_used_code(study: Project) -> None:
    app = CoderApp(study, "maya")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        app.push_screen(CodebookScreen(study, "maya"))
        await settle(app, pilot)
        await pilot.press("down", "r")
        await pilot.pause()
        await pilot.press(*["backspace"] * 4, *"Timing", "enter")
        await settle(app, pilot)
        assert study.codebook.code("Challenges/Timing").key == "t"
        await pilot.press("delete")
        await pilot.pause()
        assert study.codebook.code("Challenges/Timing")  # still there: it has codings
        await pilot.press("escape")
        await pilot.press("x", "n")  # retire, then say no
        await settle(app, pilot)
        assert study.codebook.code("Challenges/Timing").status == "active"


async def test_agreement_screen_shows_codes_and_switches_unit(study: Project) -> None:
    app = CoderApp(study, "lead")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("a")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, AgreementScreen)
        table = screen.query_one("#agreement-table")
        codes = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]  # type: ignore[attr-defined]
        assert codes == ["  Jargon", "  Time", "Support", "(pooled)"]
        assert screen.coders == ["maya", "tomas"]
        await pilot.press("u")
        await settle(app, pilot)
        assert screen.unit == "turn"


async def test_reconcile_screen_writes_the_consensus(study: Project) -> None:
    app = CoderApp(study, "lead")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, ReconcileScreen)
        first = screen.current
        assert first is not None and first.code == "Challenges/Jargon"
        await pilot.press("r", *"maya is right", "enter", "a")
        await settle(app, pilot)
        consensus = study.coding.frame(coders=["consensus"])
        assert [tuple(r) for r in consensus[["start", "end"]].to_numpy()] == [
            span(study, "Nobody explained PDSA.")
        ]
        decisions = study.reconcile.decisions()
        assert decisions["rationale"].tolist()[-1] == "maya is right"
        assert screen.current is not None and screen.current.code == "Support"
        await pilot.press("n")
        await settle(app, pilot)
        assert screen.current is None
        assert len(study.coding.frame(coders=["consensus"])) == 1


async def test_coding_screen_accepts_and_rejects_suggestions(study: Project) -> None:
    study.coding.suggest("maya", SuggestOptions(codes=["Challenges/Time"], participant_only=True))
    pending = {s.text: s.coding_id for s in study.coding.suggestions("maya")}
    assert list(pending) == ["Meetings were at noon."]  # Time, mostly. is already coded
    app = CoderApp(study, "maya")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        app.push_screen(CodingScreen(study, "interview", "maya"))
        await settle(app, pilot)
        view = app.screen.query_one(TranscriptView)
        view.select(*span(study, "Meetings were at noon."))
        await pilot.press("plus")
        await settle(app, pilot)
        accepted = study.coding.frame(coders=["maya"])
        assert "accepted" in set(accepted["origin"])
        assert study.coding.suggestions("maya") == []
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert len(study.coding.suggestions("maya")) == 1
        await pilot.press("minus")
        await settle(app, pilot)
        assert study.coding.suggestions("maya") == []
        assert "rejected" not in set(study.coding.frame(coders=["maya"])["origin"])


async def test_command_palette_lists_screens_and_actions(study: Project) -> None:
    app = CoderApp(study, "maya")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        app.push_screen(CodebookScreen(study, "maya"))
        await settle(app, pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for wanted in ("Open Codebook", "Open Reconcile", "Merge", "Retire", "Undo", "Quit"):
            assert wanted in titles


async def test_mouse_drag_selects_whole_words_and_a_key_codes_them(study: Project) -> None:
    app = CoderApp(study, "maya")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        app.push_screen(CodingScreen(study, "interview", "maya"))
        await settle(app, pilot)
        view = app.screen.query_one(TranscriptView)
        text = view.text
        target = text.index("Meetings were at noon.")
        line = next(i for i, ln in enumerate(view.lines) if ln.start <= target < ln.end)
        column = 7 + target - view.lines[line].start  # after the gutter
        # Press inside "Meetings", release inside "noon": whole words, with the full stop.
        await pilot.mouse_down(view, offset=(column + 2, line))
        await pilot.hover(view, offset=(column + 19, line))
        await pilot.mouse_up(view, offset=(column + 19, line))
        await pilot.pause()
        assert text[view.selection.start : view.selection.end] == "Meetings were at noon."
        await pilot.press("t")
        await settle(app, pilot)
        coded = study.coding.frame(coders=["maya"])
        assert (target, target + len("Meetings were at noon.")) in {
            (int(a), int(b)) for a, b in zip(coded["start"], coded["end"], strict=True)
        }


async def test_documents_screen_sets_an_attribute_and_undoes_it(study: Project) -> None:
    from coder.tui.screens.documents import DocumentsScreen

    app = CoderApp(study, "maya")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, DocumentsScreen)
        await pilot.press("a", *"partnership=strong", "enter")
        await settle(app, pilot)
        values = study.attributes.values("document")
        assert values.loc["interview", "partnership"] == "strong"
        await pilot.press("a", "ctrl+u", *"partnership=", "enter")
        await settle(app, pilot)
        assert "partnership" not in study.attributes.values("document").dropna(axis=1)
        study.undo(actor="maya")
        assert study.attributes.values("document").loc["interview", "partnership"] == "strong"
