"""Documents: the corpus as a table with attributes and counts; open one to code it."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input

from coder import model
from coder.errors import CoderError, UsageError
from coder.project import Project

HELP = """\
[b]Documents[/b]: every transcript with its attributes, speaker turns and codings.

[b]enter[/b]   open the highlighted document to code it
[b]/[/b]       filter (matches name and attribute values)
[b]s[/b]       sort by the column under the cursor
[b]a[/b]       set an attribute of the highlighted document (NAME=VALUE; NAME= removes it)
[b]escape[/b]  back
"""


class DocumentsScreen(Screen[None]):
    @dataclass
    class DocumentsLoaded(Message):
        summaries: list[model.DocumentSummary]

    HELP = HELP
    BINDINGS = [
        Binding("slash", "focus_filter", "Filter", id="filter-documents"),
        Binding("s", "sort", "Sort", id="sort-documents"),
        Binding("a", "set_attribute", "Attribute", id="set-attribute"),
        Binding("escape", "back", "Back", id="back"),
    ]

    def __init__(self, project: Project, coder: str) -> None:
        super().__init__()
        self.project = project
        self.coder = coder
        self.summaries: list[model.DocumentSummary] = []
        self.sort_reverse = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="filter documents… (/)", id="filter")
        yield DataTable(id="documents", cursor_type="row", zebra_stripes=True)
        yield Footer()

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
        self.fill("")
        self.query_one(DataTable).focus()

    def attribute_names(self) -> list[str]:
        names: dict[str, None] = {}
        for summary in self.summaries:
            names.update(dict.fromkeys(summary.attributes))
        return [n for n in names if n not in ("participant",)]

    def fill(self, query: str) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        attributes = self.attribute_names()
        coders = sorted({c for s in self.summaries for c in s.codings})
        counts = [f"codings {c}" for c in coders]
        table.add_columns("Document", *attributes, "Turns", "Words≈", *counts)
        needle = query.casefold().strip()
        for s in self.summaries:
            values = [str(s.attributes.get(a, "")) for a in attributes]
            if needle and needle not in " ".join([s.name, *values]).casefold():
                continue
            table.add_row(
                s.name,
                *values,
                s.turns,
                s.characters // 6,
                *[s.codings.get(c, 0) for c in coders],
                key=s.name,
            )

    @on(Input.Changed, "#filter")
    def filtered(self, event: Input.Changed) -> None:
        self.fill(event.value)

    @on(Input.Submitted, "#filter")
    def to_table(self) -> None:
        self.query_one(DataTable).focus()

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_sort(self) -> None:
        table = self.query_one(DataTable)
        column = table.ordered_columns[table.cursor_column].key
        table.sort(column, reverse=self.sort_reverse)
        self.sort_reverse = not self.sort_reverse

    def action_back(self) -> None:
        if self.focused is self.query_one("#filter"):
            self.query_one(DataTable).focus()
        else:
            self.app.pop_screen()

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
