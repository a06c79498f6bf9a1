"""Code x code co-occurrence, computed from the same plain tables as the matrices (no storage
here): where the codes of a row and of a column meet (`meetings`: in one passage, in
overlapping passages, or in one unit) and how often (`cooccurrence`: the meetings, or the
documents where they meet). The span helpers and the `Corpus` they work on are those of
`coder.matrix.measures`; docs/matrices.md says what each way of meeting counts.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from coder.agreement.span_arithmetic import overlaps
from coder.matrix.measures import (
    Corpus,
    _empty,
    _ints,
    _per_cell,
    sorted_units,
    touched_units,
    union_spans,
)
from coder.matrix.rows import Rows

Cooccurrence = Literal["segments", "documents"]
COOCCURRENCE_MEASURES: tuple[Cooccurrence, ...] = ("segments", "documents")
Meeting = Literal["passage", "overlap", "units"]


def meetings(corpus: Corpus, rows: Rows, columns: Rows, how: Meeting) -> pd.DataFrame:
    """Every place where a row's codes and a column's codes meet, once per thing counted:
    row, column, document, start, end (what was counted: the passage, the shared text, or
    the unit).

    - passage: a passage (the stretch of text a coding marks: one span, however many codes
      and coders applied to it, as an ATLAS.ti quotation or one of Lind's activities)
      carrying codes of both;
    - overlap: each code's codings are first merged into passages (overlapping or touching
      ones become one), and each pair of a row passage and a column passage that share text
      meets once, over the text they share;
    - units: a unit (of `corpus.units`) that both touch.
    """
    columns_out = ["row", "column", "document", "start", "end"]
    if how == "passage":
        spans = corpus.codings[["document", "start", "end", "code"]].drop_duplicates()
        a = spans.merge(rows.members, on="code")[["document", "start", "end", "row"]]
        b = spans.merge(columns.members, on="code")[["document", "start", "end", "row"]]
        pairs = a.merge(b.rename(columns={"row": "column"}), on=["document", "start", "end"])
        return pairs[columns_out].drop_duplicates().reset_index(drop=True)
    a = _passages(corpus, rows)
    b = _passages(corpus, columns)
    if how == "units":
        units = sorted_units(corpus.units)
        ta = _units_of(a, units, corpus.stride)
        tb = _units_of(b, units, corpus.stride).rename(columns={"row": "column"})
        pairs = ta.merge(tb, on=["unit", "document"]).drop_duplicates(["row", "column", "unit"])
        bounds = units.iloc[_ints(pairs, "unit")]
        pairs = pairs.assign(start=_ints(bounds, "start"), end=_ints(bounds, "end"))
        return pairs[columns_out].reset_index(drop=True)
    return _overlapping(a, b, len(columns.labels), corpus.stride)


def cooccurrence(
    corpus: Corpus,
    rows: Rows,
    columns: Rows,
    *,
    how: Meeting,
    measure: Cooccurrence = "segments",
) -> pd.DataFrame:
    """Code x code: how often the codes of a row and of a column meet (see `meetings`).
    `segments` counts the meetings (passages, overlapping pairs, or units); `documents`
    the documents where they meet at all. A code meets itself in each of its passages or
    units."""
    shape = (len(rows.labels), len(columns.labels))
    found = meetings(corpus, rows, columns, how)
    values = _per_cell(found, "document" if measure == "documents" else None, shape)
    return pd.DataFrame(
        values,
        index=pd.Index(rows.labels, name="code", dtype=object),
        columns=pd.Index(columns.labels, name="code", dtype=object),
    )


def _passages(corpus: Corpus, rows: Rows) -> pd.DataFrame:
    coded = corpus.codings.merge(rows.members, on="code")
    return union_spans(coded, ["row", "document"])


def _units_of(passages: pd.DataFrame, units: pd.DataFrame, stride: int) -> pd.DataFrame:
    touched = touched_units(passages, units, stride)
    found = passages[["row", "document"]].iloc[_ints(touched, "span")]
    return found.assign(unit=_ints(touched, "unit")).drop_duplicates()


def _overlapping(a: pd.DataFrame, b: pd.DataFrame, n_columns: int, stride: int) -> pd.DataFrame:
    """Every (row passage, column passage) pair sharing text: row, column, document, and the
    shared text's start and end."""
    if a.empty or b.empty:
        return _empty(["row", "column", "document", "start", "end"])
    documents = int(max(a["document"].max(), b["document"].max())) + 1
    b = b.assign(key=_ints(b, "row") * documents + _ints(b, "document"))
    b = b.sort_values(["key", "start"], kind="stable").reset_index(drop=True)
    # Each row passage is looked up once per column code, among that code's passages.
    repeat = np.repeat(np.arange(len(a)), n_columns)
    column = np.tile(np.arange(n_columns, dtype=np.int64), len(a))
    a_rep = a.iloc[repeat].reset_index(drop=True)
    a_index, b_index, _ = overlaps(
        column * documents + _ints(a_rep, "document"),
        _ints(a_rep, "start"),
        _ints(a_rep, "end"),
        _ints(b, "key"),
        _ints(b, "start"),
        _ints(b, "end"),
        stride,
    )
    return pd.DataFrame(
        {
            "row": _ints(a_rep, "row")[a_index],
            "column": _ints(b, "row")[b_index],
            "document": _ints(b, "document")[b_index],
            "start": np.maximum(_ints(a_rep, "start")[a_index], _ints(b, "start")[b_index]),
            "end": np.minimum(_ints(a_rep, "end")[a_index], _ints(b, "end")[b_index]),
        }
    )
