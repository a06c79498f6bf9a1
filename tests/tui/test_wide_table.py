"""A table's cells are drawn at their measured width even when the table was drawn
before it measured them, as happens on a busy machine: Textual's own table keeps the
earlier drawing, cut to the header's width, until the cursor moves."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Input

from coder.tui.widgets.wide import MeasuredTable, WideTable


class Holder(App[None]):
    CSS = "DataTable { height: 1fr; }"  # room for rows before there are any, as on a screen

    def __init__(self, table: DataTable[object]) -> None:
        super().__init__()
        self.table = table

    def compose(self) -> ComposeResult:
        yield Input()  # holds the focus, as the Documents screen's filter does
        yield self.table


async def drawn_early(table: DataTable[object]) -> str:
    """The screen as shown (an SVG's text), once it was drawn between being filled and idle."""
    app = Holder(table)
    async with app.run_test(size=(60, 10)) as pilot:
        await pilot.pause()
        table.add_column("N")
        table.add_row("a long name")
        app.export_screenshot()  # the screen is drawn, and the table's rows
        for y in range(2):  # before the table is next idle and measures them
            table.render_line(y)
        await pilot.pause()
        await pilot.pause()
        shown = app.export_screenshot().replace("&#160;", " ")
        return shown[shown.index("</style>") :]


async def test_a_row_drawn_before_it_was_measured_is_drawn_again_at_its_width() -> None:
    assert "a long name" in await drawn_early(WideTable())
    assert "a long name" in await drawn_early(MeasuredTable())


async def test_textual_table_alone_keeps_the_cut_drawing() -> None:
    """The reason for WideTable's redraw: if Textual fixes this, the redraw can go."""
    assert "a long name" not in await drawn_early(DataTable())
