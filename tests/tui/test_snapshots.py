"""What each screen looks like on the demo project, at 120×36 and at 80×24 (a laptop terminal
or a tmux split), compared with reviewed SVGs.

After an intended change of the look, review the new pictures and accept them with
`.venv/bin/pytest tests/tui/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from settling import measured
from textual.pilot import Pilot

from coder import Project
from coder.demo import build
from coder.tui.app import CoderApp
from coder.tui.screens.coding import CodingScreen

SIZE = (120, 36)
Compare = Callable[..., bool]


@pytest.fixture(scope="session")
def demo_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    location = tmp_path_factory.mktemp("demo") / "demo.coder"
    build(location)
    return location


@pytest.fixture
def demo(demo_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Project]:
    """A copy of the demo opened by a relative name, so the screens show no temporary path."""
    shutil.copy(demo_project, tmp_path / "demo.coder")
    monkeypatch.chdir(tmp_path)
    with Project.open("demo.coder") as project:
        yield project


def keys(*pressed: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        for key in pressed:
            await pilot.press(key)
            await pilot.pause()
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await measured(pilot.app, pilot)

    return run


def coding(document: str, *pressed: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, CoderApp)
        app.push_screen(CodingScreen(app.project, document, "maya"))
        await keys(*pressed)(pilot)

    return run


def test_documents(snap_compare: Compare, demo: Project) -> None:
    assert snap_compare(CoderApp(demo, "maya"), terminal_size=SIZE, run_before=keys("d"))


def test_coding_screen(snap_compare: Compare, demo: Project) -> None:
    run = coding("site-d-patient", "ctrl+n", "shift+down")
    assert snap_compare(CoderApp(demo, "maya"), terminal_size=SIZE, run_before=run)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
def test_coding_stripes_two_coders(
    snap_compare: Compare, demo: Project, size: tuple[int, int]
) -> None:
    """Everyone's codings (ctrl+o twice): maya's solid stripes, tomas's broken ones and the
    consensus's double ones beside a passage all three coded, then nested and overlapping
    codes; at 80 columns the code tree is folded away."""
    run = coding("site-a-patient", "ctrl+o", "ctrl+o", "slash", *"terrifying", "enter")
    assert snap_compare(CoderApp(demo, "maya"), terminal_size=size, run_before=run)


def test_coding_screen_others_and_help(snap_compare: Compare, demo: Project) -> None:
    run = coding("site-a-patient", "ctrl+o", "pagedown", "question_mark")
    assert snap_compare(CoderApp(demo, "maya"), terminal_size=SIZE, run_before=run)


def test_codebook(snap_compare: Compare, demo: Project) -> None:
    run = keys("c", "down", "down", "down", "down")
    assert snap_compare(CoderApp(demo, "maya"), terminal_size=SIZE, run_before=run)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
def test_agreement(snap_compare: Compare, demo: Project, size: tuple[int, int]) -> None:
    """The code tree as it is (a parent nobody applied in grey), each coefficient with its
    symbol (● ◐ ○) and colour, the counts beside it, and the columns past the edge said."""
    assert snap_compare(CoderApp(demo, "lead"), terminal_size=size, run_before=keys("a"))


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
def test_reconcile(snap_compare: Compare, demo: Project, size: tuple[int, int]) -> None:
    """A passage at a time: the disputed codes with who put them there, the outcomes that
    differ in words, and both panes showing the passage from their first line."""
    assert snap_compare(CoderApp(demo, "lead"), terminal_size=size, run_before=keys("r"))


def test_small_terminal_coding(snap_compare: Compare, demo: Project) -> None:
    run = coding("site-b-focus-group", "down", "down")
    assert snap_compare(CoderApp(demo, "maya"), terminal_size=(80, 24), run_before=run)


def test_themes_by_site(snap_compare: Compare, demo: Project) -> None:
    assert snap_compare(CoderApp(demo, "lead"), terminal_size=SIZE, run_before=keys("t"))


async def test_themes_cell_opens_its_quotes_and_measures_switch(demo: Project) -> None:
    from coder.tui.screens.themes import QuotesModal, ThemesScreen

    app = CoderApp(demo, "lead")
    async with app.run_test(size=SIZE) as pilot:
        await keys("t")(pilot)
        screen = app.screen
        assert isinstance(screen, ThemesScreen)
        expected = demo.matrices.matrix("site", measure="participants", level="themes").frame
        assert screen.frame.equals(expected)
        await keys("right", "right", "right", "enter")(pilot)  # row 1, site D
        modal = app.screen
        assert isinstance(modal, QuotesModal)
        assert modal.title_text == f"{expected.index[0]} · site D"
        assert 0 < len(modal.quotes) <= expected.iloc[0]["D"]
        await keys("escape", "m")(pilot)
        assert screen.measure == "presence"
        assert set(screen.frame.drop(columns="groups").to_numpy().ravel()) <= {0, 1}


def test_agreement_confusion_small_terminal(snap_compare: Compare, demo: Project) -> None:
    run = keys("a", "x")
    assert snap_compare(CoderApp(demo, "lead"), terminal_size=(80, 24), run_before=run)


def test_agreement_unitized(snap_compare: Compare, demo: Project) -> None:
    run = keys("a", *["u"] * 5)  # sentence, turn, paragraph, document, character, unitized
    assert snap_compare(CoderApp(demo, "lead"), terminal_size=SIZE, run_before=run)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_agreement_units_and_confusion(demo: Project, size: tuple[int, int]) -> None:
    """Every unit and measure in turn, then the confusion table, each with its coefficient (or
    count) in view without scrolling, and the numbers the API gives."""
    from textual.widgets import DataTable

    from coder.tui.screens.agreement import AgreementScreen

    app = CoderApp(demo, "lead")
    async with app.run_test(size=size) as pilot:
        await keys("a")(pilot)
        screen = app.screen
        assert isinstance(screen, AgreementScreen)
        table = screen.query_one("#agreement-table", DataTable)

        def in_view(column: str) -> bool:
            keys_ = [str(c.key.value) for c in table.ordered_columns]
            widths = [c.get_render_width(table) for c in table.ordered_columns]
            return sum(widths[: keys_.index(column) + 1]) <= table.scrollable_content_region.width

        def shown(column: str) -> list[str]:
            """The first three numbers of a column, without the band's symbol (rows of
            parents nobody applied have none)."""
            index = table.get_column_index(column)
            cells = [str(table.get_cell_at((i, index))) for i in range(table.row_count)]
            numbers = [cell for cell in cells if cell]
            for cell in numbers:  # the symbol says the band: 0.80 and up, 0.60 and up, below
                value, symbol = cell.split() if " " in cell else (cell, "")
                if value != "–":
                    band = "●" if float(value) >= 0.8 else "◐" if float(value) >= 0.6 else "○"
                    assert symbol == band, cell
            return [cell.split()[0] for cell in numbers[:3]]

        seen = []
        expected = {
            "sentence": ("kappa", demo.agreement(["maya", "tomas"]).per_code, "cohen_kappa"),
            "character": ("kappa", demo.agreement.character(["maya", "tomas"]).per_code, "kappa"),
            "unitized": ("alpha_U", demo.agreement.unitized(["maya", "tomas"]).per_code, "alpha"),
            "overlap": ("kappa", demo.agreement.overlap(["maya", "tomas"]).per_code, "kappa"),
        }
        for _ in range(7):
            seen.append(screen.unit)
            if screen.unit in expected:
                column, frame, name = expected[screen.unit]
                assert in_view(column), (screen.unit, size)
                wanted = [f"{v + 0.0:.2f}" for v in frame[name].head(3)]
                assert shown(column) == [w.replace("-0.00", "0.00") for w in wanted]
            await keys("u")(pilot)
        assert seen == [
            "sentence",
            "turn",
            "paragraph",
            "document",
            "character",
            "unitized",
            "overlap",
        ]
        assert screen.unit == "sentence"
        await keys("x")(pilot)
        pairs = demo.agreement.confusion(["maya", "tomas"]).pairs()
        assert table.row_count == len(pairs) and in_view("maya") and in_view("segments")
        assert [int(str(table.get_cell_at((i, 0)))) for i in range(5)] == pairs["segments"].head(
            5
        ).tolist()
        await keys("n")(pilot)
        assert screen.count == "characters" and str(table.ordered_columns[0].label) == "characters"
        await keys("u")(pilot)  # u belongs to the tables: nothing happens here
        assert screen.unit == "sentence" and screen.mode == "confusion"
        await keys("x")(pilot)
        assert screen.mode == "tables" and str(table.get_cell_at((0, 0))).strip() == "Challenges"
