"""Write a memo: a text area that returns its text, or None when cancelled."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea


class MemoModal(ModalScreen[str | None]):
    DEFAULT_CSS = """
    MemoModal { align: center middle; }
    MemoModal > Vertical {
        width: 70; max-width: 95%; height: 16; border: round $primary; background: $panel;
        padding: 0 1;
    }
    MemoModal TextArea { height: 1fr; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="save-memo"),
        Binding("escape", "cancel", "Cancel", id="cancel-memo"),
    ]

    def __init__(self, title: str, text: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.initial = text

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"[b]{self.title_text}[/b]  ctrl+s to save, escape to cancel")
            yield TextArea(self.initial, id="memo-text")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
