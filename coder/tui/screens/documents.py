"""Documents: the corpus as a table with attributes and counts; open one to code it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input

from coder import model
from coder.errors import CoderError, UsageError
from coder.project import Project
from coder.tui.undo import step_history
from coder.tui.widgets.footer import KeyFooter
from coder.tui.widgets.wide import WideTable

HELP = """\
[b]Documents[/b]: every transcript with its attributes, speaker turns and codings.

Type to filter: every word you type must begin a word of the name or of an
attribute value ("prov d": the provider of site D).
[b]↑ ↓[/b]     move in the table    [b]enter[/b]  open the highlighted document to code it
[b]ctrl+s[/b]  sort by the next column (again: the other way round)
[b]tab[/b]     to the table and back    [b]escape[/b]  clear the filter, then back
In the table: [b]← →[/b] scroll the columns, [b]a[/b] set an attribute of the highlighted
document (NAME=VALUE; NAME= removes it). [b]ctrl+z ctrl+y[/b] undo, redo.
"""


def matches(words: list[str], fields: list[str]) -> bool:
    """Whether every typed word begins a word of the fields ("prov d": a provider at site D;
    the "d" inside "provider" does not count)."""
    known = re.findall(r"[^\W_]+", " ".join(fields).casefold())
    return all(any(k.startswith(word) for k in known) for word in words)


class DocumentsScreen(Screen[None]):
    @dataclass
    class DocumentsLoaded(Message):
        summaries: list[model.DocumentSummary]

    HELP = HELP
    BINDINGS = [
        Binding("enter", "open", "Open", id="open-document"),
        Binding("down", "move(1)", "Down", show=False),
        Binding("up", "move(-1)", "Up", show=False),
        Binding("pagedown", "move(10)", "Page down", show=False),
        Binding("pageup", "move(-10)", "Page up", show=False),
        Binding("slash", "focus_filter", "Filter", show=False, id="filter-documents"),
        Binding("ctrl+s", "sort", "Sort", id="sort-documents"),
        # A letter reaches the screen only from the table: in the filter it is typed.
        Binding("a", "set_attribute", "Attribute", id="set-attribute"),
        Binding("ctrl+z", "undo", "Undo", show=False, id="undo-documents"),
        Binding("ctrl+y", "redo", "Redo", show=False, id="redo-documents"),
        Binding("escape", "back", "Back", id="back"),
    ]

    def __init__(self, project: Project, coder: str) -> None:
        super().__init__()
        self.project = project
        self.coder = coder
        self.summaries: list[model.DocumentSummary] = []
        self.sort_reverse = False
        self.sort_column = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            placeholder="type to filter: words of a name or attribute (prov d)", id="filter"
        )
        # From the filter, tab reaches the table, whose ← → scroll it sideways.
        yield WideTable(
            id="documents",
            cursor_type="row",
            zebra_stripes=True,
            header_height=2,
            keys="tab, then ← → scroll",
        )
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Documents"
        self.load()

    @work(thread=True, exclusive=True, group="documents")
    def load(self) -> None:
        try:
            summaries = self.project.documents()
        except CoderError as error:
            self.notify(str(error), severity="error")
            return
        self.post_message(self.DocumentsLoaded(summaries))

    @on(DocumentsLoaded)
    def show(self, loaded: DocumentsLoaded) -> None:
        self.summaries = loaded.summaries
        self.fill(self.query_one("#filter", Input).value)
        if self.focused is None:  # the first load: typing filters; a reload keeps the focus
            self.query_one("#filter", Input).focus()

    def attribute_names(self) -> list[str]:
        names: dict[str, None] = {}
        for summary in self.summaries:
            names.update(dict.fromkeys(summary.attributes))
        return [n for n in names if n not in ("participant",)]

    def fill(self, query: str) -> None:
        table = self.query_one(WideTable)
        table.clear(columns=True)
        attributes = self.attribute_names()
        coders = sorted({c for s in self.summaries for c in s.codings})
        counts = [f"codings\n{c}" for c in coders]  # two lines: narrow columns of numbers
        table.add_columns("Document", *attributes, "Turns", "Words≈", *counts)
        words = query.casefold().split()
        for s in self.summaries:
            values = [str(s.attributes.get(a, "")) for a in attributes]
            if not matches(words, [s.name, *values]):
                continue
            table.add_row(
                s.name,
                *values,
                s.turns,
                s.characters // 6,
                *[s.codings.get(c, 0) for c in coders],
                key=s.name,
            )
        self.call_after_refresh(table.mark_wide)

    @on(Input.Changed, "#filter")
    def filtered(self, event: Input.Changed) -> None:
        self.fill(event.value)

    @on(Input.Submitted, "#filter")
    def action_open(self) -> None:
        """Open the highlighted document: one enter, from the filter or the table."""
        from coder.tui.screens.coding import CodingScreen

        table = self.query_one(DataTable)
        if not table.row_count:
            self.notify("No document matches the filter.", severity="warning")
            return
        row = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        if row.value is not None:
            self.app.push_screen(CodingScreen(self.project, row.value, self.coder))

    def action_move(self, step: int) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            row = min(max(table.cursor_row + step, 0), table.row_count - 1)
            table.move_cursor(row=row)

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_sort(self) -> None:
        """Sort by the next column each time the direction has come round."""
        table = self.query_one(DataTable)
        if not table.ordered_columns:
            return
        column = table.ordered_columns[self.sort_column % len(table.ordered_columns)]
        table.sort(column.key, reverse=self.sort_reverse)
        self.notify(f"Sorted by {column.label}", timeout=2)
        if self.sort_reverse:
            self.sort_column += 1
        self.sort_reverse = not self.sort_reverse

    def action_back(self) -> None:
        search = self.query_one("#filter", Input)
        if search.value:
            search.value = ""
            search.focus()
        else:
            self.app.pop_screen()

    def action_undo(self) -> None:
        if step_history(self, self.project.undo, self.coder):
            self.load()

    def action_redo(self) -> None:
        if step_history(self, self.project.redo, self.coder):
            self.load()

    def action_set_attribute(self) -> None:
        """Ask NAME=VALUE for the highlighted document, starting from the attribute under
        the cursor; undo (ctrl+z) takes it back like any other change."""
        from coder.tui.screens.dialogs import PromptModal

        table = self.query_one(DataTable)
        if not table.row_count:
            return
        document = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        column = str(table.ordered_columns[table.cursor_column].label)
        attributes = self.attribute_names()
        summary = next(s for s in self.summaries if s.name == document)
        value = f"{column}={summary.attributes.get(column, '')}" if column in attributes else ""
        self.app.push_screen(
            PromptModal(
                f"Set an attribute of {document}",
                value,
                "NAME=VALUE, e.g. partnership=strong (NAME= removes it)",
            ),
            lambda answer: self.answered(str(document), answer),
        )

    def answered(self, document: str, answer: str | None) -> None:
        if answer is not None:
            self.save_attribute(document, answer)

    @work(thread=True, group="documents")
    def save_attribute(self, document: str, answer: str) -> None:
        from coder.attributes.api import Targets

        name, sep, value = answer.partition("=")
        try:
            if not sep:
                raise UsageError(f"write NAME=VALUE, not {answer!r}")
            targets = Targets(names=[document])
            if value.strip():
                self.project.attributes.set(name, value, targets, actor=self.coder)
            else:
                self.project.attributes.unset(name, targets, actor=self.coder)
        except CoderError as error:
            self.notify(str(error), severity="error")
            return
        self.load()

    @on(DataTable.RowSelected, "#documents")
    def open_document(self, event: DataTable.RowSelected) -> None:
        from coder.tui.screens.coding import CodingScreen

        if event.row_key.value is not None:
            self.app.push_screen(CodingScreen(self.project, event.row_key.value, self.coder))
