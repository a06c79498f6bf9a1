"""Checking and normalising the codings / units / documents tables before any arithmetic.

Every complaint names the table, the row (its index label) and the values, and says what would
work instead: these tables usually come from a project or a spreadsheet, and the person reading
the message needs to find the row.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from coder.agreement._kernels import IntArray, ObjectArray
from coder.errors import UsageError

UnitKind = Literal["segment", "character", "document"]
UNIT_KINDS = ("segment", "character", "document")
MAX_CODERS = 62  # coder sets are bit masks in int64

CODING_COLUMNS = ("document", "coder", "code", "start", "end")
UNIT_COLUMNS = ("document", "unit", "start", "end")
DOCUMENT_COLUMNS = ("document", "length")


def frame(table: object, name: str, columns: Sequence[str]) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        raise UsageError(f"{name} must be a pandas DataFrame with columns {', '.join(columns)}")
    absent = [c for c in columns if c not in table.columns]
    if absent:
        raise UsageError(
            f"{name} lacks column(s) {', '.join(absent)}; it needs {', '.join(columns)}"
        )
    return table


def whole_numbers(table: pd.DataFrame, name: str, column: str) -> IntArray:
    """A column of non-negative whole numbers (code-point offsets or lengths) as int64."""
    values = table[column]
    numeric = pd.to_numeric(values, errors="coerce")
    as_float = numeric.to_numpy(dtype=np.float64, na_value=np.nan)
    bad = ~np.isfinite(as_float) | (as_float < 0) | (as_float != np.floor(as_float))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        value = values.iloc[i]
        shown = value.item() if isinstance(value, np.generic) else value
        raise UsageError(
            f"{name} row {table.index[i]!r}: {column}={shown!r} is not a non-negative "
            "whole number (offsets are code-point positions in the document text)"
        )
    return as_float.astype(np.int64)


def offsets(table: pd.DataFrame, name: str) -> tuple[IntArray, IntArray]:
    """The `start` and `end` columns as whole numbers, refusing the first span that ends
    before it starts."""
    start = whole_numbers(table, name, "start")
    end = whole_numbers(table, name, "end")
    backwards = np.flatnonzero(end < start)
    if backwards.size:
        i = int(backwards[0])
        raise UsageError(f"{name} row {table.index[i]!r}: end {end[i]} is before start {start[i]}")
    return start, end


def name_list(values: Iterable[Hashable], what: str) -> tuple[Hashable, ...]:
    if isinstance(values, str | bytes):
        raise UsageError(f"{what} must be a list of names, not the single string {values!r}")
    out = tuple(values)
    seen: set[Hashable] = set()
    repeated: list[Hashable] = []
    for value in out:
        try:
            if value in seen:
                repeated.append(value)
            seen.add(value)
        except TypeError:
            raise UsageError(f"{what} must be hashable ids; got {value!r}") from None
    if repeated:
        raise UsageError(f"{what} lists {repeated} more than once")
    return out


@dataclass(frozen=True)
class Inputs:
    """Validated inputs: documents in order, and codings / units as index arrays."""

    kind: UnitKind
    coders: tuple[Hashable, ...]
    codes: tuple[Hashable, ...]
    documents: tuple[Hashable, ...]
    lengths: IntArray | None  # characters per document, when known
    # codings restricted to the chosen coders, codes and documents (positive length only)
    c_doc: IntArray
    c_coder: IntArray
    c_code: IntArray
    c_start: IntArray
    c_end: IntArray
    # units sorted by (document, start); empty unless kind == "segment"
    u_doc: IntArray
    u_id: tuple[Hashable, ...]
    u_start: IntArray
    u_end: IntArray

    @property
    def stride(self) -> int:
        """A number larger than any offset, to keep documents apart on one line."""
        ends = [self.c_end, self.u_end]
        if self.lengths is not None:
            ends.append(self.lengths)
        return int(max((int(e.max()) for e in ends if e.size), default=0)) + 1


def read(
    codings: object,
    units: object,
    coders: Iterable[Hashable],
    codes: Iterable[Hashable] | None,
    kind: str,
    documents: object,
) -> Inputs:
    if kind not in UNIT_KINDS:
        raise UsageError(f"unit_kind must be one of {', '.join(UNIT_KINDS)}; got {kind!r}")
    coder_names = name_list(coders, "coders")
    if len(coder_names) < 2:
        raise UsageError(f"agreement needs two or more coders; got {list(coder_names)}")
    if len(coder_names) > MAX_CODERS:
        raise UsageError(f"at most {MAX_CODERS} coders can be compared at once")
    coding = frame(codings, "codings", CODING_COLUMNS)
    c_start, c_end = offsets(coding, "codings")
    docs, lengths = _documents(coding, units, kind, documents, coder_names)
    u_doc, u_id, u_start, u_end = _units(units, docs, lengths) if kind == "segment" else _none()
    coder_index = pd.Index(list(coder_names), dtype=object)
    chosen = coding["coder"].isin(coder_index) & coding["document"].isin(pd.Index(docs))
    if codes is None:
        code_names = sorted_names(pd.unique(coding.loc[chosen, "code"]))
    else:
        code_names = name_list(codes, "codes")
    chosen &= coding["code"].isin(pd.Index(list(code_names), dtype=object))
    pick = chosen.to_numpy() & (c_end > c_start)  # empty codings mark nothing
    c_doc = _index_of(coding.loc[pick, "document"], docs)
    if lengths is not None:
        check_within(coding, "codings", c_end, pick, c_doc, lengths)
    return Inputs(
        kind=kind,  # type: ignore[arg-type]
        coders=coder_names,
        codes=code_names,
        documents=docs,
        lengths=lengths,
        c_doc=c_doc,
        c_coder=_index_of(coding.loc[pick, "coder"], coder_names),
        c_code=_index_of(coding.loc[pick, "code"], code_names),
        c_start=c_start[pick],
        c_end=c_end[pick],
        u_doc=u_doc,
        u_id=u_id,
        u_start=u_start,
        u_end=u_end,
    )


def check_within(
    table: pd.DataFrame,
    name: str,
    end: IntArray,
    pick: np.ndarray,
    doc: IntArray,
    lengths: IntArray,
) -> None:
    """Refuse the first picked row of `table` whose end lies past its document's length
    (`doc` indexes `lengths` for the picked rows)."""
    too_long = np.flatnonzero(end[pick] > lengths[doc])
    if too_long.size:
        i = int(np.flatnonzero(pick)[too_long[0]])
        raise UsageError(
            f"{name} row {table.index[i]!r}: end {end[i]} is past the end of document "
            f"{table['document'].iloc[i]!r} ({lengths[doc[too_long[0]]]} characters)"
        )


def _index_of(values: pd.Series, names: Sequence[Hashable]) -> IntArray:
    wanted = pd.Index(objects(values.tolist()), dtype=object)
    found = pd.Index(objects(names), dtype=object).get_indexer(wanted)
    return np.asarray(found, dtype=np.int64)


def objects(values: Sequence[Hashable]) -> ObjectArray:
    """A 1-d object array of ids, even when the ids are tuples (which np.array would unpack;
    np.fromiter takes each item whole)."""
    return np.fromiter(values, dtype=object, count=len(values))


def sorted_names(values: Iterable[Hashable]) -> tuple[Hashable, ...]:
    found = list(values)
    try:
        return tuple(sorted(found))  # type: ignore[type-var]
    except TypeError:
        return tuple(found)


def _none() -> tuple[IntArray, tuple[Hashable, ...], IntArray, IntArray]:
    empty = np.zeros(0, dtype=np.int64)
    return empty, (), empty, empty


def _documents(
    coding: pd.DataFrame,
    units: object,
    kind: str,
    documents: object,
    coders: tuple[Hashable, ...],
) -> tuple[tuple[Hashable, ...], IntArray | None]:
    """Which documents are compared, and their lengths where known.

    The documents table decides when given; else the units table; else (document units only)
    the documents in which at least one of the compared coders coded something. That last
    guess misses a double-coded document nobody coded at all, so prefer passing documents.
    """
    lengths: IntArray | None = None
    if documents is not None:
        table = frame(documents, "documents", DOCUMENT_COLUMNS)
        docs = name_list(table["document"], "documents")
        lengths = whole_numbers(table, "documents", "length")
    elif kind == "character":
        raise UsageError(
            "character units need the documents table (columns document, length): every "
            "character is a unit, including those nobody coded"
        )
    if kind == "segment":
        if units is None:
            raise UsageError("segment units need the units table (document, unit, start, end)")
        unit_docs = tuple(pd.unique(frame(units, "units", UNIT_COLUMNS)["document"]))
        if lengths is not None:
            known = set(docs)
            unknown = [d for d in unit_docs if d not in known]
            if unknown:
                raise UsageError(f"units refer to documents missing from documents: {unknown}")
            keep = pd.Index(objects(docs), dtype=object).get_indexer(
                pd.Index(objects(unit_docs), dtype=object)
            )
            return unit_docs, lengths[keep]
        return unit_docs, None
    if documents is not None:
        return docs, lengths
    if units is not None:
        return tuple(pd.unique(frame(units, "units", UNIT_COLUMNS)["document"])), None
    ours = coding["coder"].isin(pd.Index(objects(coders), dtype=object))
    return tuple(pd.unique(coding.loc[ours, "document"])), None


def _units(
    units: object, docs: tuple[Hashable, ...], lengths: IntArray | None
) -> tuple[IntArray, tuple[Hashable, ...], IntArray, IntArray]:
    table = frame(units, "units", UNIT_COLUMNS)
    start = whole_numbers(table, "units", "start")
    end = whole_numbers(table, "units", "end")
    empty = np.flatnonzero(end <= start)
    if empty.size:
        i = int(empty[0])
        raise UsageError(
            f"units row {table.index[i]!r}: unit {table['unit'].iloc[i]!r} is empty or backwards "
            f"(start {start[i]}, end {end[i]}); units must cover at least one character"
        )
    if table.duplicated(["document", "unit"]).any():
        i = int(np.flatnonzero(table.duplicated(["document", "unit"]).to_numpy())[0])
        raise UsageError(
            f"units row {table.index[i]!r}: unit {table['unit'].iloc[i]!r} appears twice in "
            f"document {table['document'].iloc[i]!r}"
        )
    doc = _index_of(table["document"], docs)
    if lengths is not None and (end > lengths[doc]).any():
        i = int(np.flatnonzero(end > lengths[doc])[0])
        raise UsageError(
            f"units row {table.index[i]!r}: end {end[i]} is past the end of document "
            f"{table['document'].iloc[i]!r} ({lengths[doc[i]]} characters)"
        )
    order = np.lexsort((start, doc))
    doc, start, end = doc[order], start[order], end[order]
    ids = objects(table["unit"].tolist())[order]
    clash = np.flatnonzero((doc[1:] == doc[:-1]) & (start[1:] < end[:-1]))
    if clash.size:
        i = int(clash[0])
        raise UsageError(
            f"units {ids[i]!r} and {ids[i + 1]!r} of document {docs[doc[i]]!r} overlap "
            f"([{start[i]}, {end[i]}) and [{start[i + 1]}, {end[i + 1]})); units of one document "
            "must not overlap"
        )
    return doc, tuple(ids), start, end
