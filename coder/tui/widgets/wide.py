"""Tables that show every row whole, and say when columns lie past the right edge."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.events import Resize
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey


def _width(value: Any) -> int:
    text = value.plain if isinstance(value, Text) else str(value)
    return max((cell_len(line) for line in text.splitlines()), default=0)


class MeasuredTable(DataTable[Any]):
    """A table whose rows are never shown cut to their header's width."""

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """Measure new rows, then have every row drawn again. The table draws rows added since
        it was last idle at their header's width, and keeps those drawings, keyed by a count
        of changes that measuring does not move; on a busy machine it can draw before it is
        idle, and the cells stayed cut to their header until the cursor moved."""
        super()._update_dimensions(new_rows)
        self._update_count += 1
        self.refresh()


class WideTable(MeasuredTable):
    """A table that says under itself, in its border, how many columns lie past the right
    edge (`keys`, or the scroll bar, reach them), and says it again when the terminal (or its
    pane) is resized."""

    def __init__(self, *, keys: str = "← → scroll", **options: Any) -> None:
        super().__init__(**options)
        self.keys = keys

    def mark_wide(self) -> None:
        """The sign, or nothing when every column fits. Column widths are measured from the
        cells, as the table itself measures them only when it is next idle."""
        room = self.scrollable_content_region.width
        hidden, used = 0, 0
        for index, column in enumerate(self.ordered_columns):
            cells = self.get_column_at(index) if self.row_count else []
            widest = max([_width(column.label), *(_width(c) for c in cells)])
            used += widest + 2 * self.cell_padding
            hidden += used > room
        columns = "column" if hidden == 1 else "columns"
        self.border_subtitle = f"→ {hidden} more {columns}: {self.keys}" if hidden else ""

    def on_resize(self, event: Resize) -> None:
        self.call_after_refresh(self.mark_wide)
