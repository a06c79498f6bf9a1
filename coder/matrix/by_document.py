"""The counts of a matrix whose columns are document groups (a document attribute such as
site), on NumPy arrays.

With document groups every coding belongs, whole, to the group of its document, so a cell's
text is the codings of its row's codes in its column's documents. The counts are those of
coder/matrix/measures.py for any groups (docs/matrices.md says what each one means); here each
step is a sort, a search or a count over integer arrays, with no table built in between, which
matters at half a million codings. A cell is numbered row * columns + column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from coder.agreement.span_arithmetic import overlaps

if TYPE_CHECKING:
    import pandas as pd

IntArray = np.ndarray[tuple[int], np.dtype[np.int64]]
Count = Literal["segments", "sentences", "documents", "presence", "participants", "characters"]


@dataclass(frozen=True)
class Table:
    """What a matrix of document groups counts: the codes of each row (code, row), the
    documents of each column (document, column), and how many rows and columns there are."""

    codes: pd.DataFrame
    documents: pd.DataFrame
    shape: tuple[int, int]


@dataclass(frozen=True)
class Text:
    """Row-coded text in each cell: one entry per coding and cell it counts in."""

    cell: IntArray
    document: IntArray
    coder: IntArray
    start: IntArray
    end: IntArray


def _ints(frame: pd.DataFrame, column: str) -> IntArray:
    return frame[column].to_numpy(dtype=np.int64)


def join(keys: IntArray, table_keys: IntArray, values: IntArray) -> tuple[IntArray, IntArray]:
    """Every (position in `keys`, value) pair whose table key equals the key: an inner join on
    one integer column, for tables where a key may have several values (a code counted in
    two rows)."""
    order = np.argsort(table_keys, kind="stable")
    table_keys, values = table_keys[order], values[order]
    bound = max(_bound(table_keys), _bound(keys))
    if bound <= 4 * (keys.size + table_keys.size) + 1024:
        # Ids are small integers: where each key's run begins and how long it is, by indexing
        # (a binary search per key costs several times that on half a million codings).
        runs = np.bincount(table_keys, minlength=bound)
        count = runs[keys]
        low = (np.cumsum(runs) - runs)[keys]
        if not runs.size or runs.max() <= 1:
            found = np.flatnonzero(count)
            return found, values[low[found]]
    else:
        low = np.searchsorted(table_keys, keys, side="left")
        count = np.searchsorted(table_keys, keys, side="right") - low
    position = np.repeat(np.arange(keys.size, dtype=np.int64), count)
    within = np.arange(position.size, dtype=np.int64) - np.repeat(np.cumsum(count) - count, count)
    return position, values[low[position] + within]


def _cells(codes: IntArray, documents: IntArray, table: Table) -> tuple[IntArray, IntArray]:
    """For codings given by code and document: the position of each (coding, cell) entry
    and its cell."""
    at, row = join(codes, _ints(table.codes, "code"), _ints(table.codes, "row"))
    columns = table.documents
    found, column = join(documents[at], _ints(columns, "document"), _ints(columns, "column"))
    return at[found], row[found] * table.shape[1] + column


def located(codings: pd.DataFrame, table: Table) -> Text:
    at, cell = _cells(_ints(codings, "code"), _ints(codings, "document"), table)
    coder = _ints(codings, "coder") if "coder" in codings else np.zeros(len(codings), np.int64)
    return Text(
        cell=cell,
        document=_ints(codings, "document")[at],
        coder=coder[at],
        start=_ints(codings, "start")[at],
        end=_ints(codings, "end")[at],
    )


def _order(keys: IntArray, starts: IntArray, stride: int) -> IntArray:
    """The order by key, then start: one sort of one number when key and start fit in one."""
    if keys.size and (int(keys.max()) + 1) * stride < 2**62:
        return np.argsort(keys * stride + starts, kind="stable")
    return np.lexsort((starts, keys))


def _runs(keys: IntArray) -> IntArray:
    """For sorted keys: 0 for the first key's entries, 1 for the next key's, and so on."""
    return np.concatenate(([0], np.cumsum(keys[1:] != keys[:-1]))).astype(np.int64)


def _heads(
    keys: IntArray, starts: IntArray, ends: IntArray, stride: int, touching: bool
) -> IntArray:
    """For spans sorted by key and start: where each merged span begins. Spans of a key
    overlapping what came before merge, and touching ones too when `touching`."""
    # The running furthest end within each key: each key's run is shifted past the ones
    # before it, so one cumulative maximum restarts at every key.
    offset = _runs(keys) * stride
    reach = np.concatenate(([-1], np.maximum.accumulate(ends + offset)[:-1]))
    begins = starts + offset
    return np.flatnonzero(begins > reach if touching else begins >= reach)


def merged(keys: IntArray, starts: IntArray, ends: IntArray, stride: int) -> tuple[IntArray, ...]:
    """Each key's spans merged where they overlap or touch: key, start, end, sorted."""
    order = _order(keys, starts, stride)
    keys, starts, ends = keys[order], starts[order], ends[order]
    if keys.size == 0:
        return keys, starts, ends
    heads = _heads(keys, starts, ends, stride, touching=True)
    return keys[heads], starts[heads], np.maximum.reduceat(ends, heads)


def _key(*parts: tuple[IntArray, int]) -> IntArray:
    """Several non-negative integer columns, each below its bound, as one number."""
    key = np.zeros(parts[0][0].size, dtype=np.int64)
    for values, bound in parts:
        key = key * bound + values
    return key


def _bound(values: IntArray) -> int:
    return int(values.max()) + 1 if values.size else 1


def distinct(cells: IntArray, values: IntArray) -> IntArray:
    """The cell of each distinct (cell, value) pair."""
    if cells.size == 0:
        return cells
    bound = _bound(values)
    if _bound(cells) * bound < 2**62:
        pairs = np.sort(cells * bound + values)
        keep = np.concatenate(([True], pairs[1:] != pairs[:-1]))
        return pairs[keep] // bound
    order = np.lexsort((values, cells))
    cells, values = cells[order], values[order]
    keep = np.concatenate(([True], (cells[1:] != cells[:-1]) | (values[1:] != values[:-1])))
    return cells[keep]


def per_column(columns: IntArray, values: IntArray, n: int) -> IntArray:
    """How many distinct values each of `n` columns holds."""
    found: IntArray = np.bincount(distinct(columns, values), minlength=n).astype(np.int64)
    return found


def _tally(cells: IntArray, shape: tuple[int, int], weights: IntArray | None = None) -> np.ndarray:
    size = shape[0] * shape[1]
    counts = np.bincount(cells, weights=weights, minlength=size)
    return counts.astype(np.int64).reshape(shape)


def _sorted_order(frame: pd.DataFrame) -> IntArray | None:
    """The order of units or turns by document and start; None when they are in it already
    (as they are read, from an index), which costs far less to check than to sort again."""
    document, start = _ints(frame, "document"), _ints(frame, "start")
    if np.all(
        (document[1:] > document[:-1])
        | ((document[1:] == document[:-1]) & (start[1:] >= start[:-1]))
    ):
        return None
    return np.lexsort((start, document))


def _column(frame: pd.DataFrame, name: str, order: IntArray | None) -> IntArray:
    values = _ints(frame, name)
    return values if order is None else values[order]


def fits(table: Table, codings: pd.DataFrame) -> bool:
    """Whether a cell, a document and a coder make one 64-bit number (always, but for
    absurdly large ids), as `counts` needs."""
    bound = table.shape[0] * table.shape[1] + 1
    for column in ("document", "coder"):
        if column in codings:
            bound *= _bound(_ints(codings, column))
    return bound < 2**62


def counts(
    table: Table, codings: pd.DataFrame, spans: pd.DataFrame, what: Count, stride: int
) -> np.ndarray:
    """Per cell (rows x columns): coded segments, units touched, documents, presence (0 or
    1), participants whose turns the coded text touches, or characters coded. `codings`:
    document, code, start, end and coder (documents and presence need only document and
    code, and any pair may repeat); `spans`: the units (document, start, end) for
    sentences, the participants' turns (with participant) for participants; see `fits`."""
    shape = table.shape
    if what in ("documents", "presence"):
        at, cell = _cells(_ints(codings, "code"), _ints(codings, "document"), table)
        if what == "presence":
            return (_tally(cell, shape) > 0).astype(np.int64)
        return _tally(distinct(cell, _ints(codings, "document")[at]), shape)
    text = located(codings, table)
    documents = _bound(text.document)
    if what == "segments":
        return _segments(text, shape, stride)
    # Every other count is of the cell's text, however many codings cover it.
    key, start, end = merged(
        _key((text.cell, shape[0] * shape[1]), (text.document, documents)),
        text.start,
        text.end,
        stride,
    )
    cell, document = key // documents, key % documents
    if what == "characters":
        return _tally(cell, shape, weights=end - start)
    order = _sorted_order(spans)
    found, unit, _ = overlaps(
        document,
        start,
        end,
        _column(spans, "document", order),
        _column(spans, "start", order),
        _column(spans, "end", order),
        stride,
    )
    if what == "participants":
        who = _column(spans, "participant", order)
        return _tally(distinct(cell[found], who[unit]), shape)
    alone = np.ones(cell.size, dtype=bool)
    alone[found] = False
    # A stretch of coded text touching no unit counts once.
    touched: np.ndarray = _tally(distinct(cell[found], unit), shape) + _tally(cell[alone], shape)
    return touched


def _segments(text: Text, shape: tuple[int, int], stride: int) -> np.ndarray:
    """Coded segments, as measures._coded_segments counts them: each coder's codings merged
    where they overlap or touch, then the coders' segments joined where they overlap (share
    a character); touching segments of different coders stay two."""
    documents, coders = _bound(text.document), _bound(text.coder)
    key, start, end = merged(
        _key((text.cell, shape[0] * shape[1]), (text.document, documents), (text.coder, coders)),
        text.start,
        text.end,
        stride,
    )
    place = key // coders  # the cell and the document
    order = _order(place, start, stride)
    place, start, end = place[order], start[order], end[order]
    heads = _heads(place, start, end, stride, touching=False)
    return _tally(place[heads] // documents, shape)
