"""The coder workbench: `coder tui -p PROJECT`."""

from __future__ import annotations

import gc
from collections.abc import Iterable
from functools import cache, partial
from types import SimpleNamespace
from typing import Any, cast

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.css.types import CSSLocation
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen

from coder.project import Project
from coder.tui.screens.home import HomeScreen
from coder.tui.waiting import LockNotice

# Screens reachable from anywhere: name -> (title in the command palette, what it is for).
PLACES = {
    "documents": ("Documents", "The transcripts, their attributes and codings; open one to code"),
    "codebook": ("Codebook", "Read, add, rename, move, merge and retire codes"),
    "agreement": ("Agreement", "How far two coders agree, code by code"),
    "reconcile": ("Reconcile", "Decide two coders' disagreements into the consensus"),
    "themes": ("Themes by site", "The theme × site matrix and its quotes"),
}


@cache  # once per process
def freeze_start_up() -> None:
    """Keep the garbage collector from walking what start-up loaded on every full
    collection: the modules of pandas, SQLAlchemy, spaCy and Textual are some 130,000
    objects, and walking them took 60-70 ms of CPU, a pause felt while opening a long
    transcript. They live until the program ends, so nothing is kept that would have been
    freed; what the session makes later is collected as before."""
    gc.freeze()


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

    def _get_default_css(self) -> list[tuple[CSSLocation, str, int, str]]:
        # With the app's own, the default CSS of the widgets the coding screen adds to those
        # of the home screen: Textual reads a widget class's when its first widget is
        # mounted, and parses every source again each time, three times over when a
        # transcript is first opened.
        from textual.widgets import Input

        from coder.tui.widgets.code_tree import CodeTreePanel
        from coder.tui.widgets.transcript import TranscriptView

        css = super()._get_default_css()
        for widget in (Input, TranscriptView, CodeTreePanel):
            # What a widget of the class registers (DOMNode._get_default_css reads nothing
            # but the classes a widget inherits its CSS from).
            bases = SimpleNamespace(_node_bases=DOMNode._css_bases(widget))
            css += DOMNode._get_default_css(cast(DOMNode, bases))
        return css

    def on_mount(self) -> None:
        freeze_start_up()
        self.sub_title = self.project.location
        self.push_screen(HomeScreen(self.project))

    def action_help(self) -> None:
        from coder.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def make_screen(self, name: str) -> Screen[None]:
        if name == "documents":
            from coder.tui.screens.documents import DocumentsScreen

            return DocumentsScreen(self.project, self.coder)
        if name == "codebook":
            from coder.tui.screens.codebook import CodebookScreen

            return CodebookScreen(self.project, self.coder)
        if name == "agreement":
            from coder.tui.screens.agreement import AgreementScreen

            return AgreementScreen(self.project)
        if name == "reconcile":
            from coder.tui.screens.reconcile import ReconcileScreen

            return ReconcileScreen(self.project, self.coder)
        if name == "themes":
            from coder.tui.screens.themes import ThemesScreen

            return ThemesScreen(self.project)
        raise ValueError(f"no screen {name!r}")

    def action_open(self, name: str) -> None:
        """Open a screen on top of home (replacing another such screen)."""
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.push_screen(self.make_screen(name))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The command palette (ctrl+p): every place, and every action of this screen."""
        for name, (title, about) in PLACES.items():
            yield SystemCommand(f"Open {title}", about, partial(self.action_open, name))
        seen = set()
        for node, binding, enabled, _tooltip in screen.active_bindings.values():
            if not enabled or not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            keys = binding.key_display or binding.key
            yield SystemCommand(
                binding.description,
                f"{binding.description} (key: {keys})",
                partial(self.run_action, binding.action, node),
            )
        for command in super().get_system_commands(screen):
            if command.title == "Theme":  # Textual's: not to be taken for "Themes by site"
                command = SystemCommand(
                    "Colour scheme", "Change the workbench's colours", command.callback
                )
            yield command

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        """A notification belongs to the screen it was about: going to another screen
        leaves them behind (a dialog on top keeps them)."""
        if not isinstance(screen, ModalScreen):
            self.clear_notifications()
        return super().push_screen(screen, *args, **kwargs)

    def pop_screen(self) -> Any:
        if not isinstance(self.screen, ModalScreen):
            self.clear_notifications()
        return super().pop_screen()


def run(location: str, coder: str) -> None:
    # The project reads as the coder at the keyboard (the blind phase's rule, coder/access.py).
    notice = LockNotice()
    project = Project.open(location, as_coder=coder, on_wait=notice)
    try:
        # On a team server the connection says who is coding, whatever --as said.
        coder = project.team.acting_as(coder) or coder
        app = CoderApp(project, coder)
        notice.app = app
        app.run()
    finally:
        project.close()
