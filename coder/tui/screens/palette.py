"""Pick a code by typing part of its name or path."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.fuzzy import Matcher
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from coder import model
from coder.codebook.tree import CodeTree

# Stands for "no parent" when the palette chooses where to move a code.
TOP = model.Code(id=0, guid="", name="(top level)", parent_id=None)


class CodePalette(ModalScreen[model.Code | None]):
    """Returns the chosen code, or None when dismissed."""

    DEFAULT_CSS = """
    CodePalette { align: center top; }
    CodePalette > Vertical {
        width: 70; max-width: 95%; height: auto; max-height: 80%;
        margin-top: 2; border: round $primary; background: $panel; padding: 0 1;
    }
    CodePalette OptionList { height: auto; max-height: 20; border: none; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel-palette"),
        Binding("down", "move(1)", "Down", show=False),
        Binding("up", "move(-1)", "Up", show=False),
    ]

    def __init__(
        self,
        tree: CodeTree,
        title: str = "Apply code",
        *,
        top_level: bool = False,
        leave_out: frozenset[int] = frozenset(),
    ) -> None:
        super().__init__()
        self.codes_tree = tree
        self.title_text = title
        self.choices = [(TOP.name, TOP)] if top_level else []
        self.choices += [
            (self.codes_tree.path(code), code)
            for code, _ in tree.walk()
            if code.status == "active" and code.id not in leave_out
        ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"[b]{self.title_text}[/b]  type to filter, enter to choose")
            yield Input(placeholder="code name or path…", id="query")
            yield OptionList(id="choices")

    def on_mount(self) -> None:
        self.refill("")

    @on(Input.Changed, "#query")
    def filter(self, event: Input.Changed) -> None:
        self.refill(event.value)

    def refill(self, query: str) -> None:
        options = self.query_one("#choices", OptionList)
        options.clear_options()
        matcher = Matcher(query) if query else None
        scored = []
        for path, code in self.choices:
            score = matcher.match(path) if matcher else 1.0
            if score > 0:
                scored.append((score, path, code))
        scored.sort(key=lambda item: -item[0])
        for _, path, code in scored[:200]:
            key = f"[{code.key}] " if code.key else "    "
            options.add_option(Option(Text(f"{key}{path}"), id=str(code.id)))
        if options.option_count:
            options.highlighted = 0

    def action_move(self, step: int) -> None:
        options = self.query_one("#choices", OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    @on(Input.Submitted, "#query")
    def submit(self) -> None:
        options = self.query_one("#choices", OptionList)
        if options.highlighted is None:
            return
        self.choose(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected, "#choices")
    def picked(self, event: OptionList.OptionSelected) -> None:
        self.choose(event.option.id)

    def choose(self, option_id: str | None) -> None:
        if option_id is not None:
            chosen = int(option_id)
            self.dismiss(TOP if chosen == TOP.id else self.codes_tree.by_id[chosen])

    def action_cancel(self) -> None:
        self.dismiss(None)
