"""The coder workbench: `coder tui -p PROJECT`."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from coder.project import Project
from coder.tui.screens.home import HomeScreen


class CoderApp(App[None]):
    """One project open in the terminal."""

    CSS_PATH = "app.tcss"
    TITLE = "coder"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark,f1", "help", "Help", id="help"),
    ]

    def __init__(self, project: Project, coder: str = "coder") -> None:
        super().__init__()
        self.project = project
        self.coder = coder

    def on_mount(self) -> None:
        self.sub_title = self.project.location
        self.push_screen(HomeScreen(self.project))

    def action_help(self) -> None:
        from coder.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.screen))


def run(location: str, coder: str) -> None:
    project = Project.open(location)
    try:
        CoderApp(project, coder).run()
    finally:
        project.close()
