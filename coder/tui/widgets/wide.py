"""A sign that a table is wider than the screen: the columns past the edge are not lost."""

from __future__ import annotations

from textual.widgets import DataTable


def mark_wide(table: DataTable[object]) -> None:
    """Say under the table, in its border, that more columns lie to the right (← → or the
    scroll bar reach them); nothing when all of them fit."""
    hidden = table.virtual_size.width - table.scrollable_content_region.width
    table.border_subtitle = f"→ more columns ({hidden} cells): ← → scroll" if hidden > 0 else ""
