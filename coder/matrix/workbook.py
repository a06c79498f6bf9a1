"""Excel workbooks: one sheet per matrix, a sheet of quotes, a sheet of notes.

Each matrix sheet has the column headers on its first row (two rows when split: the group
repeated over each of its subgroups, so that the sheet reads back with pandas), the code paths
in column A, the panes frozen below and right of them, numbers stored as numbers (shares as
fractions shown as percentages), and columns wide enough for their contents. A last sheet,
"About", says what each matrix sheet counts.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from coder.matrix import export
from coder.matrix.measures import EVIDENCE
from coder.matrix.result import Matrix

BAD_CHARACTERS = re.compile(r"[\[\]:*?/\\]")


def sheet_name(name: str, taken: set[str]) -> str:
    """A valid, unused sheet name (at most 31 characters, none of []:*?/\\)."""
    base = BAD_CHARACTERS.sub("-", name).strip("'") or "Sheet"
    base = base[:31]
    candidate, n = base, 2
    while candidate.casefold() in taken:
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(candidate.casefold())
    return candidate


def _plain(value: Any) -> Any:
    value = export._plain(value)
    if isinstance(value, float) and value != value:
        return None
    return value


def _fit(sheet: Any, widths: Sequence[float]) -> None:
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _matrix_sheet(book: Any, name: str, matrix: Matrix) -> None:
    from openpyxl.styles import Alignment, Font

    frame = matrix.frame
    sheet = book.create_sheet(name)
    bold = Font(bold=True)
    headers = export.header_rows(frame)
    names = [str(n) for n in frame.columns.names] if len(headers) == 2 else []
    first = (
        [names[0], str(frame.index.name or "code")] if names else [str(frame.index.name or "code")]
    )
    for level, header in enumerate(headers):
        sheet.append([first[level], *header])
        for cell in sheet[level + 1]:
            cell.font = bold
            cell.alignment = Alignment(horizontal="center" if cell.column > 1 else "left")
    share = export.is_share(matrix)
    for label, values in zip(frame.index, frame.itertuples(index=False), strict=True):
        sheet.append([str(label), *(_plain(v) for v in values)])
    data_start = len(headers) + 1
    for row in sheet.iter_rows(min_row=data_start, min_col=2):
        for cell, column in zip(row, frame.columns, strict=True):
            evidence = (column[0] if isinstance(column, tuple) else column) == EVIDENCE
            cell.number_format = "0.0%" if share and not evidence else "0"
    sheet.freeze_panes = sheet.cell(row=data_start, column=2)
    longest = max([len(str(r)) for r in frame.index] + [len(c) for c in first])
    widths = [min(max(longest + 2, 12), 70)]
    for i in range(len(frame.columns)):
        widest = max(len(h[i]) for h in headers)
        widths.append(max(widest + 2, 8))
    _fit(sheet, widths)


def _table_sheet(book: Any, name: str, table: pd.DataFrame, wrap: Sequence[str] = ()) -> None:
    from openpyxl.styles import Alignment, Font

    sheet = book.create_sheet(name)
    sheet.append([str(c) for c in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in table.itertuples(index=False):
        sheet.append([_cell(v) for v in values])
    sheet.freeze_panes = "A2"
    widths = []
    for column in table.columns:
        if column in wrap:
            widths.append(80.0)
            continue
        longest = max([len(str(column))] + [len(str(v)) for v in table[column]])
        widths.append(float(min(max(longest + 2, 8), 50)))
    _fit(sheet, widths)
    for index, column in enumerate(table.columns, start=1):
        if column in wrap:
            for row in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                row[0].alignment = Alignment(wrap_text=True, vertical="top")


def _cell(value: Any) -> Any:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        return value.replace(tzinfo=None)
    return _plain(value)


def workbook(
    matrices: Sequence[tuple[str, Matrix]],
    *,
    quotes: pd.DataFrame | None = None,
    notes: pd.DataFrame | None = None,
) -> bytes:
    """The workbook's bytes: a sheet per (name, matrix), then Quotes, Notes and About."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    taken: set[str] = set()
    about = []
    for name, matrix in matrices:
        title = sheet_name(name, taken)
        _matrix_sheet(book, title, matrix)
        about.append({"sheet": title, "what": export.describe(matrix), **_settings(matrix)})
    if quotes is not None:
        title = sheet_name("Quotes", taken)
        _table_sheet(book, title, quotes, wrap=("text",))
        about.append({"sheet": title, "what": "Exemplar quotes (see docs/matrices.md)"})
    if notes is not None and not notes.empty:
        title = sheet_name("Notes", taken)
        _table_sheet(book, title, notes, wrap=("body",))
        about.append({"sheet": title, "what": "Memos on the groups"})
    _table_sheet(book, sheet_name("About", taken), pd.DataFrame(about).fillna(""))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _settings(matrix: Matrix) -> dict[str, Any]:
    return {k: str(v) for k, v in matrix.settings().items() if v is not None}
