"""Themes by site: the theme x group matrix as a heat-coloured table, with its quotes."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Header, Static

from coder.errors import CoderError
from coder.matrix.measures import MEASURES, Measure
from coder.matrix.result import Matrix
from coder.project import Project
from coder.tui.screens.dialogs import PromptModal
from coder.tui.widgets.footer import KeyFooter
from coder.tui.widgets.wide import WideTable

HELP = """\
[b]Themes by site[/b]: codes or themes (rows) against the values of an attribute
(columns), counted with the chosen measure; the last column says in how many groups a
row is evidenced. Darker cells hold more. Counts use the consensus where two coders
were reconciled, and every coder's codings elsewhere (see docs/matrices.md).

[b]m[/b]  next measure (segments, sentences, documents, participants, presence, share,
          coverage)
[b]b[/b]  group by the next attribute       [b]s[/b]  split columns by another attribute
[b]l[/b]  themes or codes                   [b]enter[/b]  quotes of the highlighted cell
[b]x[/b]  export (the file name's extension picks csv, xlsx, md, tex, html, json, png, svg)
[b]f5[/b] recompute   [b]escape[/b] back
"""

LEVELS = ("themes", "codes")
# Sequential, colour-blind-safe backgrounds from light to dark (ColorBrewer "Blues").
SHADES = ["#1e1e1e", "#0b2a4a", "#0d3b66", "#144f85", "#1f65a6", "#2f7cc4", "#4a94d6"]


def heat(value: Any, top: float, share: bool) -> Text:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return Text("–", style="dim", justify="right")
    number = float(value)
    shown = f"{number:.0%}" if share else (f"{number:g}" if number % 1 else f"{int(number)}")
    if number <= 0:
        return Text(shown, style="dim", justify="right")
    step = 1 + min(len(SHADES) - 2, int((number / top) * (len(SHADES) - 2))) if top else 1
    return Text(f" {shown} ", style=f"white on {SHADES[step]}", justify="right")


def column_label(column: Any) -> str:
    return " ".join(str(part) for part in column) if isinstance(column, tuple) else str(column)


class QuotesModal(ModalScreen[None]):
    DEFAULT_CSS = """
    QuotesModal { align: center middle; }
    QuotesModal > Vertical {
        width: 100; max-width: 95%; height: 85%; border: round $primary; background: $panel;
        padding: 0 1; overflow-y: auto;
    }
    """
    BINDINGS = [Binding("escape,q", "dismiss", "Close", id="close-quotes")]

    def __init__(self, title: str, quotes: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.quotes = quotes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.title_text, style="bold"))
            yield Static(
                Text(
                    "Exemplars: one per participant, complete sentences and the shortest "
                    "first (the rule is in docs/matrices.md). escape closes.",
                    style="dim",
                )
            )
            if not self.quotes:
                yield Static(Text("\nNo participant quote in this cell.", style="dim"))
            for text, citation in self.quotes:
                yield Static(Text.assemble("\n“", (text, "italic"), "” ", (citation, "bold")))


class ThemesScreen(Screen[None]):
    @dataclass
    class MatrixComputed(Message):
        matrix: Matrix | None  # None: the project has no attribute to group by
        by: str | None
        attributes: list[str]

    @dataclass
    class QuotesFound(Message):
        title: str
        quotes: list[tuple[str, str]]

    HELP = HELP
    BINDINGS = [
        Binding("m", "next_measure", "Measure", id="themes-measure"),
        Binding("b", "next_by", "By", id="themes-by"),
        Binding("s", "next_split", "Split", id="themes-split"),
        Binding("l", "next_level", "Level", id="themes-level"),
        Binding("enter", "quotes", "Quotes", id="themes-quotes"),
        Binding("x", "export", "Export", id="themes-export"),
        Binding("f5", "compute", "Recompute", show=False, id="themes-refresh"),
        Binding("escape", "app.pop_screen", "Back", id="back"),
    ]

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.attributes: list[str] = []
        self.by: str | None = None
        self.split: str | None = None
        self.measure: Measure = "participants"
        self.level = "themes"
        self.matrix: Matrix | None = None
        self.frame = pd.DataFrame()

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="themes"):
            yield Static("", id="themes-about")
            yield WideTable(id="themes-table", cursor_type="cell", zebra_stripes=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Themes by site"
        self.action_compute()

    # -- choosing ------------------------------------------------------------------------------

    def action_next_measure(self) -> None:
        self.measure = MEASURES[(MEASURES.index(self.measure) + 1) % len(MEASURES)]
        self.action_compute()

    def action_next_level(self) -> None:
        self.level = LEVELS[(LEVELS.index(self.level) + 1) % len(LEVELS)]
        self.action_compute()

    def action_next_by(self) -> None:
        if self.attributes and self.by is not None:
            self.by = self.attributes[(self.attributes.index(self.by) + 1) % len(self.attributes)]
            if self.split == self.by:
                self.split = None
            self.action_compute()

    def action_next_split(self) -> None:
        choices: list[str | None] = [None, *(a for a in self.attributes if a != self.by)]
        self.split = choices[(choices.index(self.split) + 1) % len(choices)]
        self.action_compute()

    # -- computing -----------------------------------------------------------------------------

    def action_compute(self) -> None:
        about = self.query_one("#themes-about", Static)
        about.update(Text(f"Counting {self.measure} by {self.by or 'site'}…"))
        self.compute(self.by, self.split, self.measure, self.level)

    @work(thread=True, exclusive=True, group="themes")
    def compute(self, by: str | None, split: str | None, measure: Measure, level: str) -> None:
        """The matrix, grouped by `by` (None: site, or the first attribute there is)."""
        try:
            attributes = self.project.matrices.attributes()
            if by is None and attributes:
                by = "site" if "site" in attributes else attributes[0]
            found = (
                None
                if by is None
                else self.project.matrices.matrix(by, split=split, measure=measure, level=level)
            )
        except CoderError as error:
            self.notify(str(error), severity="error")
            return
        self.post_message(self.MatrixComputed(found, by, attributes))

    @on(MatrixComputed)
    def show(self, computed: MatrixComputed) -> None:
        self.attributes, self.by = computed.attributes, computed.by
        if computed.matrix is None:
            self.query_one("#themes-about", Static).update(
                Text(
                    "The project has no attributes to group by. Import transcripts with a "
                    "manifest (site, role…), or add attributes with --attr KEY=VALUE."
                )
            )
            return
        self.matrix = computed.matrix
        self.frame = frame = computed.matrix.frame
        table = self.query_one("#themes-table", WideTable)
        table.clear(columns=True)
        table.add_column(self.level.title(), key="row")
        for column in frame.columns:
            table.add_column(column_label(column), key=column_label(column))
        share = self.measure in ("share", "coverage")
        groups = [c for c in frame.columns if column_label(c) != "groups"]
        values = frame[groups].to_numpy(dtype=float) if groups else None
        top = float(pd.Series(values.ravel()).max()) if values is not None and values.size else 0
        for path, row in frame.iterrows():
            cells = [Text(str(path), overflow="ellipsis", no_wrap=True)]
            for column in frame.columns:
                value = row[column]
                if column_label(column) == "groups":
                    cells.append(Text(str(value), style="bold", justify="right"))
                else:
                    cells.append(heat(value, top, share))
            table.add_row(*cells, key=str(path))
        split = f", split by {self.split}" if self.split else ""
        self.query_one("#themes-about", Static).update(
            Text.assemble(
                (f"{self.level.title()} × {self.by}{split}", "bold"),
                f" · measure: {self.measure} · {len(frame)} rows · ",
                ("m", "bold"),
                " measure, ",
                ("b", "bold"),
                " by, ",
                ("s", "bold"),
                " split, ",
                ("enter", "bold"),
                " quotes, ",
                ("x", "bold"),
                " export",
            )
        )
        if len(frame.columns):
            table.cursor_coordinate = Coordinate(min(table.cursor_row, len(frame) - 1), 1)
        table.focus()
        self.call_after_refresh(table.mark_wide)

    # -- drilling and exporting ----------------------------------------------------------------

    @on(DataTable.CellSelected, "#themes-table")
    def cell_chosen(self) -> None:
        self.action_quotes()

    def action_quotes(self) -> None:
        table = self.query_one("#themes-table", DataTable)
        if self.frame.empty or self.by is None:
            return
        row, column = table.cursor_coordinate.row, table.cursor_coordinate.column - 1
        if column < 0 or column >= len(self.frame.columns):
            self.notify("Move to a group's column to see its quotes.", severity="warning")
            return
        label = self.frame.columns[column]
        if column_label(label) == "groups":
            return
        path = str(self.frame.index[row])
        self.drill(path, label)

    @work(thread=True, exclusive=True, group="themes-quotes")
    def drill(self, path: str, label: Any) -> None:
        assert self.by is not None
        try:
            found = self.project.matrices.exemplars(
                self.by, split=self.split, level=self.level, codes=[path], per_cell=25
            )
        except CoderError as error:
            self.notify(str(error), severity="error")
            return
        chosen = found.chosen
        wanted = found.labels.index(label) if label in found.labels else -1
        cell = chosen[chosen["column"] == wanted] if "column" in chosen else chosen.iloc[0:0]
        quotes = [(str(t), str(c)) for t, c in zip(cell["text"], cell["citation"], strict=True)]
        self.post_message(self.QuotesFound(f"{path} · {self.by} {column_label(label)}", quotes))

    @on(QuotesFound)
    def show_quotes(self, found: QuotesFound) -> None:
        self.app.push_screen(QuotesModal(found.title, found.quotes))

    def action_export(self) -> None:
        if self.matrix is None or self.frame.empty:
            return
        suggestion = f"themes-by-{self.by}.xlsx"

        def named(name: str | None) -> None:
            if name:
                self.export(Path(name).expanduser())

        self.app.push_screen(
            PromptModal("Export the matrix to (csv xlsx md tex html json png svg)", suggestion),
            named,
        )

    def export(self, path: Path) -> None:
        from coder.matrix.files import write_matrix

        if self.matrix is None:
            return
        try:
            write_matrix(self.matrix, path)
        except CoderError as error:
            self.notify(str(error), severity="error")
            return
        self.notify(f"Wrote {path.resolve()}", timeout=6)
