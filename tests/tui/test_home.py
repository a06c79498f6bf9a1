"""The home screen, driven with Pilot on a real project file."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Static

from coder import Project
from coder.tui.app import CoderApp
from coder.tui.screens.help import HelpScreen
from coder.tui.screens.home import HomeScreen


async def test_home_shows_the_project(tmp_path: Path) -> None:
    with Project.create(tmp_path / "study.coder", title="Partnership study") as project:
        project.add_coder("amira", "lead", actor="amira")
        app = CoderApp(project)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            summary = str(app.screen.query_one("#summary", Static).render())
            assert "Partnership study" in summary
            assert "Coders        1" in summary
            steps = str(app.screen.query_one("#next-steps", Static).render())
            assert "Import transcripts" in steps
            table = app.screen.query_one("#events", DataTable)
            actions = [table.get_row_at(i)[2] for i in range(table.row_count)]
            assert actions[0] == "Added coder amira (lead)"
            assert table.get_row_at(0)[1] == "amira"


async def test_help_opens_and_closes(tmp_path: Path) -> None:
    with Project.create(tmp_path / "study.coder") as project:
        app = CoderApp(project)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape")
            assert isinstance(app.screen, HomeScreen)


async def test_m_writes_the_methods_report_beside_the_project_and_says_where(
    tmp_path: Path,
) -> None:
    with Project.create(tmp_path / "study.coder", title="Partnership study") as project:
        project.add_coder("amira", "lead", actor="amira")
        app = CoderApp(project)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("m")
            await app.workers.wait_for_complete()
            await pilot.pause()
            written = tmp_path / "study-methods.md"
            assert written.is_file()
            assert (tmp_path / "study-methods.docx").is_file()
            assert "# Methods: Partnership study" in written.read_text(encoding="utf-8")
            said = [n.message for n in app._notifications]
            assert any(str(written.resolve()) in message for message in said)
