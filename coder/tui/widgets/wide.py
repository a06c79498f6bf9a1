"""A sign that a table is wider than the screen: the columns past the edge are not lost."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.events import Resize
from textual.widgets import DataTable


def _width(value: Any) -> int:
    text = value.plain if isinstance(value, Text) else str(value)
    return max((cell_len(line) for line in text.splitlines()), default=0)


def mark_wide(table: DataTable[Any], keys: str = "← → scroll") -> None:
    """Say under the table, in its border, how many columns lie past the right edge (← → or
    the scroll bar reach them); nothing when all of them fit. Column widths are measured
    from the cells, as the table itself measures them only when it is next idle."""
    room = table.scrollable_content_region.width
    hidden, used = 0, 0
    for index, column in enumerate(table.ordered_columns):
        cells = table.get_column_at(index) if table.row_count else []
        widest = max([_width(column.label), *(_width(c) for c in cells)])
        used += widest + 2 * table.cell_padding
        hidden += used > room
    columns = "column" if hidden == 1 else "columns"
    table.border_subtitle = f"→ {hidden} more {columns}: {keys}" if hidden else ""
    if isinstance(table, WideTable):
        table.wide_keys = keys


class WideTable(DataTable[Any]):
    """A table that says again how many columns lie past the edge when the terminal (or its
    pane) is resized."""

    wide_keys = "← → scroll"

    def on_resize(self, event: Resize) -> None:
        self.call_after_refresh(mark_wide, self, self.wide_keys)
