"""The workbench's smaller habits: one-line VTT turns show their time, Documents filters as
you type and opens with one enter, notifications stay with their screen, the palette names
Textual's theme apart from Themes by site, wide tables say what lies past the edge."""

from __future__ import annotations

from pathlib import Path

import pytest
from settling import open_coding, settle

from coder import Project
from coder.ingest.api import ImportOptions
from coder.tui.app import CoderApp
from coder.tui.screens.coding import CodingScreen
from coder.tui.screens.documents import DocumentsScreen, matches
from coder.tui.widgets.transcript import TranscriptView

VTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
<v Interviewer>How did it start?</v>

00:00:05.000 --> 00:00:07.500
<v Dana>Slowly.</v>

00:01:12.000 --> 00:01:15.000
<v Interviewer>And then?</v>
"""


@pytest.fixture
def study(tmp_path: Path) -> Project:
    project = Project.create(tmp_path / "study.coder")
    for site, role in (("A", "provider"), ("D", "provider"), ("D", "patient")):
        path = tmp_path / f"site-{site.lower()}-{role}.vtt"
        path.write_text(VTT.replace("Slowly.", f"Slowly, at site {site}, as a {role}."))
        project.import_files([path], ImportOptions(attributes={"site": site, "role": role}))
    return project


async def test_one_line_vtt_turns_show_their_time_in_the_gutter(study: Project) -> None:
    app = CoderApp(study, "maya")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_coding(app, pilot, "site-a-provider", "maya")
        view = app.screen.query_one(TranscriptView)
        gutters = [
            "".join(s.text for s in view.render_line(y))[:8].strip() for y in range(len(view.lines))
        ]
        assert [g for g in gutters if g] == ["00:01", "00:05", "01:12"]


def test_every_typed_word_begins_a_word_of_the_fields() -> None:
    assert matches(["prov", "d"], ["site-d-provider", "D", "provider"])
    assert not matches(["prov", "d"], ["site-a-provider", "A", "provider"])  # no word "d…"
    assert matches([], ["anything"])


async def test_documents_filter_as_you_type_and_open_with_one_enter(study: Project) -> None:
    app = CoderApp(study, "maya")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, DocumentsScreen)
        await pilot.press(*"prov d")
        table = app.screen.query_one("#documents")
        assert table.row_count == 1  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CodingScreen)
        assert app.screen.document_name == "site-d-provider"


async def test_notifications_stay_with_their_screen_and_the_palette_names(
    study: Project,
) -> None:
    app = CoderApp(study, "maya")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_coding(app, pilot, "site-a-provider", "maya")
        await pilot.press("delete")  # nothing to remove: a warning on this screen
        assert len(app._notifications) == 1
        await pilot.press("escape")
        await settle(app, pilot)
        assert len(app._notifications) == 0
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Open Themes by site" in titles and "Colour scheme" in titles
        assert "Theme" not in titles


async def test_a_wide_table_says_how_many_columns_lie_past_the_edge(tmp_path: Path) -> None:
    from coder.demo import build
    from coder.tui.screens.themes import ThemesScreen

    build(tmp_path / "demo.coder")
    with Project.open(tmp_path / "demo.coder") as demo:
        app = CoderApp(demo, "lead")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            await pilot.press("t")
            await settle(app, pilot)
            assert isinstance(app.screen, ThemesScreen)
            table = app.screen.query_one("#themes-table")
            assert table.border_subtitle == "→ 3 more columns: ← → scroll"
            # Documents too: its three coders' counts lie past the edge of 80 columns.
            await pilot.press("escape", "d")
            await settle(app, pilot)
            sign = str(app.screen.query_one("#documents").border_subtitle)
            assert sign.startswith("→ ") and sign.endswith("more columns: tab, then ← → scroll")
        app = CoderApp(demo, "lead")
        async with app.run_test(size=(200, 40)) as pilot:
            await settle(app, pilot)
            await pilot.press("t")
            await settle(app, pilot)
            assert app.screen.query_one("#themes-table").border_subtitle == ""
            # A pane made narrower says so again, without reopening the screen.
            await pilot.resize_terminal(80, 24)
            await settle(app, pilot)
            assert table_sign(app) == "→ 3 more columns: ← → scroll"
            await pilot.resize_terminal(200, 40)
            await settle(app, pilot)
            assert table_sign(app) == ""


def table_sign(app: CoderApp) -> str:
    return str(app.screen.query_one("#themes-table").border_subtitle)


async def test_ctrl_o_cycles_me_each_coder_all_consensus_and_memos_are_marked(
    study: Project,
) -> None:
    study.codebook.add("Pace", key="p")
    text = study.document("site-a-provider").text
    start = text.index("Slowly")
    mine = study.coding.apply("site-a-provider", "Pace", start, start + 6, coder="maya")
    study.coding.apply("site-a-provider", "Pace", start, start + 6, coder="tomas")
    study.memos.add(f"coding:{mine.coding_id}", "the pace of change", actor="maya")
    app = CoderApp(study, "maya")
    async with app.run_test(size=(160, 30)) as pilot:  # room for whole labels
        await open_coding(app, pilot, "site-a-provider", "maya")
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        view = screen.query_one(TranscriptView)
        line = view.line_of(start) - int(view.scroll_offset.y)
        drawn = "".join(s.text for s in view.render_line(line))
        assert "┃" not in drawn and "Pace✎" in drawn  # one line: the key heads the stripe
        seen = []
        for _ in range(4):
            await pilot.press("ctrl+o")
            await settle(app, pilot)
            seen.append((screen.showing, sorted({who for *_, who in screen.codings})))
        assert seen == [
            ("tomas", ["tomas"]),
            ("all", ["maya", "tomas"]),
            ("consensus", []),
            ("me", ["maya"]),
        ]
        await pilot.press("ctrl+o", "ctrl+o")  # everyone's: initials name the coders
        await settle(app, pilot)
        drawn = "".join(s.text for s in view.render_line(line))
        assert "mt:Pace✎" in drawn


async def test_the_footer_shows_help_first_on_every_screen(study: Project) -> None:
    from textual.widgets._footer import FooterKey

    from coder.tui.app import PLACES
    from coder.tui.widgets.footer import KeyFooter

    app = CoderApp(study, "maya")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        for place in [None, *PLACES, "coding"]:
            if place == "coding":
                app.push_screen(CodingScreen(study, "site-a-provider", "maya"))
            elif place is not None:
                app.action_open(place)
            await settle(app, pilot)
            keys = list(app.screen.query_one(KeyFooter).query(FooterKey))
            assert keys and keys[0].action in ("help", "app.help"), (place, keys[0].action)
            assert keys[0].region.right <= 80
