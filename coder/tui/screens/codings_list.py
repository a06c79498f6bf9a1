"""The codings of the open document, in text order: pick one to jump to it."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

Entry = tuple[int, int, str, str, str]  # start, end, code path, coder, coded text


class CodingsList(ModalScreen[tuple[int, int] | None]):
    DEFAULT_CSS = """
    CodingsList { align: center middle; }
    CodingsList > Vertical {
        width: 100; max-width: 95%; height: 80%; border: round $primary; background: $panel;
        padding: 0 1;
    }
    CodingsList OptionList { height: 1fr; border: none; }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", "Close", id="close-codings")]

    def __init__(self, entries: list[Entry]) -> None:
        super().__init__()
        self.entries = entries

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                f"[b]Codings in this document[/b] ({len(self.entries)})  "
                "enter jumps to one, escape closes"
            )
            options = []
            for index, (start, end, path, coder, text) in enumerate(self.entries):
                excerpt = " ".join(text.split())
                if len(excerpt) > 90:
                    excerpt = excerpt[:87] + "…"
                label = Text.assemble(
                    (path, "bold"), f"  {coder} · {start}-{end}\n  ", (excerpt, "italic")
                )
                options.append(Option(label, id=str(index)))
            if not options:
                options.append(Option(Text("Nothing coded here yet.", style="dim"), disabled=True))
            yield OptionList(*options, id="codings-list")

    @on(OptionList.OptionSelected, "#codings-list")
    def picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            start, end, *_ = self.entries[int(event.option.id)]
            self.dismiss((start, end))
