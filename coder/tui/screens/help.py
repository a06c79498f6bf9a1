"""Help for the current screen: its own text and every key it answers to."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="close-help")]

    def __init__(self, about: Screen[object]) -> None:
        super().__init__()
        self.about = about

    def compose(self) -> ComposeResult:
        text = getattr(self.about, "HELP", "") or "No help for this screen yet."
        keys = []
        for _, binding, enabled, _tooltip in self.about.active_bindings.values():
            if binding.show and enabled:
                keys.append(f"  [b]{binding.key_display or binding.key}[/b]  {binding.description}")
        with VerticalScroll():
            yield Static(text)
            if keys:
                yield Static("\n[b]Keys[/b]\n" + "\n".join(keys))
            yield Static("\n[dim]escape to close[/dim]")
