"""Code x group matrices, computed from plain tables (no storage here).

The inputs are a `Corpus` (codings, documents, units, participants' turns and who speaks where)
and `Groups` (which documents, or which participants in which documents, make up each column).
Every measure is computed set-wise with NumPy and pandas; nothing loops over codings, units or
characters in Python. See docs/matrices.md for what each measure counts.

Groups have a scope. With document groups (a document attribute such as site) a coding belongs to
its document's group, and all of its text counts. With participant groups (a participant
attribute, or a split mixing both kinds) only what participants said counts: each coding is cut
at the edges of the participants' turns, and each piece belongs to the group of the participant
who said it; interviewers' words belong to no participant group.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import pandas as pd

from coder.agreement.span_arithmetic import overlaps, union
from coder.matrix import by_document
from coder.matrix.rows import Rows

Measure = Literal[
    "segments", "sentences", "documents", "participants", "presence", "share", "coverage"
]
MEASURES: tuple[Measure, ...] = (
    "segments",
    "sentences",
    "documents",
    "participants",
    "presence",
    "share",
    "coverage",
)
# Measures whose values are proportions (0-1) rather than counts.
SHARES: tuple[Measure, ...] = ("share", "coverage")
Scope = Literal["document", "participant"]
Label = str | tuple[str, str]

EVIDENCE = "groups"  # the column saying in how many groups a row is evidenced
TOTAL = "Total"

IntArray = np.ndarray[tuple[int], np.dtype[np.int64]]


@dataclass(frozen=True)
class Corpus:
    """What matrices are computed from. Ids are integers; offsets are code points, end exclusive.

    - codings: document, code, start, end, and coder (an integer id; without the column all
      codings are taken as one coder's): the counted codings of the chosen coders;
    - documents: document, length;
    - units: document, start, end: the units the `sentences` measure counts (sentences by
      default, or turns or paragraphs), not overlapping within a document;
    - turns: document, start, end, participant: the participants' turns (not interviewers');
    - speakers: document, participant: who speaks in each document;
    - pairs: document, code: which codes the codings reach in which documents, when that is
      all that was read (then `codings` is empty); None: found from `codings`.
    """

    codings: pd.DataFrame
    documents: pd.DataFrame
    units: pd.DataFrame
    turns: pd.DataFrame
    speakers: pd.DataFrame
    pairs: pd.DataFrame | None = None

    def coded_documents(self) -> pd.DataFrame:
        """document, code: each code with each document it is coded in."""
        if self.pairs is not None:
            return self.pairs
        return self.codings[["document", "code"]].drop_duplicates()

    @property
    def stride(self) -> int:
        """A number larger than any offset, to lay all documents out on one line."""
        ends = [int(self.documents["length"].max()) if len(self.documents) else 0]
        for frame in (self.codings, self.units, self.turns):
            if len(frame):
                ends.append(int(frame["end"].max()))
        return max(ends) + 1


@dataclass(frozen=True)
class Groups:
    """The matrix's columns and who is in each.

    `members` has document and column (an index into `labels`) and, for participant groups,
    participant: each (document, participant) pair is in at most one column.
    """

    scope: Scope
    names: tuple[str, ...]  # the attribute, or the attribute and the split attribute
    labels: list[Label]
    members: pd.DataFrame

    def total(self) -> Groups:
        """One column holding every member (for the total column)."""
        members = self.members.assign(column=0)
        return replace(self, labels=[TOTAL], members=members)

    def keep(self, labels: Sequence[Label]) -> Groups:
        """Only the columns with these labels."""
        index = {label: i for i, label in enumerate(self.labels)}
        wanted = [index[label] for label in labels if label in index]
        renumber = {old: new for new, old in enumerate(wanted)}
        members = self.members[self.members["column"].isin(wanted)]
        members = members.assign(column=members["column"].map(renumber).astype("int64"))
        return replace(self, labels=[self.labels[i] for i in wanted], members=members)


# -- spans ---------------------------------------------------------------------------------


def _ints(frame: pd.DataFrame, column: str) -> IntArray:
    return frame[column].to_numpy(dtype=np.int64)


def _empty(columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="int64") for c in columns})


def union_spans(frame: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """Merge each key group's overlapping or touching spans: keys..., start, end.

    The key columns must hold non-negative integers.
    """
    columns = [*keys, "start", "end"]
    if frame.empty:
        return _empty(columns)
    sizes = [int(frame[k].max()) + 1 for k in keys]
    packed = np.ravel_multi_index(tuple(_ints(frame, k) for k in keys), sizes).astype(np.int64)
    key, start, end = union(packed, _ints(frame, "start"), _ints(frame, "end"))
    parts = np.unravel_index(key, sizes)
    data = {k: part.astype(np.int64) for k, part in zip(keys, parts, strict=True)}
    return pd.DataFrame({**data, "start": start, "end": end})


def clip(spans: pd.DataFrame, regions: pd.DataFrame, stride: int) -> pd.DataFrame:
    """Cut spans at the edges of regions (document, start, end, participant; regions sorted
    and disjoint within a document): one piece per span and region they share, with the span's
    other columns and the region's participant."""
    regions = regions.sort_values(["document", "start"], kind="stable")
    if spans.empty or regions.empty:
        return spans.iloc[0:0].assign(participant=pd.Series(dtype="int64"))
    span_index, region_index, _ = overlaps(
        _ints(spans, "document"),
        _ints(spans, "start"),
        _ints(spans, "end"),
        _ints(regions, "document"),
        _ints(regions, "start"),
        _ints(regions, "end"),
        stride,
    )
    pieces = spans.iloc[span_index].reset_index(drop=True)
    return pieces.assign(
        start=np.maximum(_ints(pieces, "start"), _ints(regions, "start")[region_index]),
        end=np.minimum(_ints(pieces, "end"), _ints(regions, "end")[region_index]),
        participant=_ints(regions, "participant")[region_index],
    )


def touched_units(spans: pd.DataFrame, units: pd.DataFrame, stride: int) -> pd.DataFrame:
    """For each span (by position in `spans`), the units it shares a character with:
    span, unit (position in `units`, which must be sorted by document and start)."""
    if spans.empty or units.empty:
        return _empty(["span", "unit"])
    span_index, unit_index, _ = overlaps(
        _ints(spans, "document"),
        _ints(spans, "start"),
        _ints(spans, "end"),
        _ints(units, "document"),
        _ints(units, "start"),
        _ints(units, "end"),
        stride,
    )
    return pd.DataFrame({"span": span_index, "unit": unit_index})


def sorted_units(units: pd.DataFrame) -> pd.DataFrame:
    """Units by document and start. They are usually read in that order (from an index), and
    checking costs far less than sorting a million of them again."""
    document, start = _ints(units, "document"), _ints(units, "start")
    ordered = bool(
        np.all(
            (document[1:] > document[:-1])
            | ((document[1:] == document[:-1]) & (start[1:] >= start[:-1]))
        )
    )
    if ordered:
        return units.reset_index(drop=True)
    return units.sort_values(["document", "start"], kind="stable").reset_index(drop=True)


# -- locating codings in groups -----------------------------------------------------------


def _coded(corpus: Corpus, rows: Rows) -> pd.DataFrame:
    """The row-coded text: document, row, coder, start, end."""
    codings = corpus.codings
    if "coder" not in codings:
        codings = codings.assign(coder=0)
    return codings.merge(rows.members, on="code")[["document", "row", "coder", "start", "end"]]


def _located(corpus: Corpus, rows: Rows, groups: Groups) -> pd.DataFrame:
    """The row-coded text in each group (document, row, column, coder, start, end): for
    participant groups only what the group's participants said."""
    if groups.scope == "participant":
        return _speech(corpus, rows, groups)
    return _coded(corpus, rows).merge(groups.members[["document", "column"]], on="document")


def _speech(corpus: Corpus, rows: Rows, groups: Groups) -> pd.DataFrame:
    """The part of the row-coded text in each group that participants said (as `_located`,
    with participant)."""
    speech = clip(_coded(corpus, rows), corpus.turns, corpus.stride)
    if groups.scope == "document":
        return speech.merge(groups.members[["document", "column"]], on="document")
    where = groups.members[["document", "participant", "column"]]
    return speech.merge(where, on=["document", "participant"])


def _documents_reached(corpus: Corpus, rows: Rows, groups: Groups) -> pd.DataFrame:
    """row, column, document: the documents of document groups the rows' codes reach."""
    found = corpus.coded_documents().merge(rows.members, on="code")
    return found.merge(groups.members[["document", "column"]], on="document")


def _grid(values: pd.Series, shape: tuple[int, int], dtype: type) -> np.ndarray:
    grid: np.ndarray = np.zeros(shape, dtype=dtype)
    if len(values):
        rows = values.index.get_level_values(0).to_numpy(dtype=np.int64)
        columns = values.index.get_level_values(1).to_numpy(dtype=np.int64)
        grid[rows, columns] = values.to_numpy(dtype=dtype)
    return grid


def _per_cell(frame: pd.DataFrame, column: str | None, shape: tuple[int, int]) -> np.ndarray:
    """Distinct values of `column` (or rows, when None) per (row, column) cell."""
    grouped = frame.groupby(["row", "column"])
    counts = grouped.size() if column is None else grouped[column].nunique()
    return _grid(counts, shape, np.int64)


def _participants_in(corpus: Corpus, groups: Groups, n: int) -> np.ndarray:
    if groups.scope == "document":
        people = corpus.speakers.merge(groups.members[["document", "column"]], on="document")
    else:
        people = groups.members
    counts = people.groupby("column")["participant"].nunique()
    out = np.zeros(n, dtype=np.int64)
    out[counts.index.to_numpy(dtype=np.int64)] = counts.to_numpy(dtype=np.int64)
    return out


def _text_in(corpus: Corpus, groups: Groups, n: int) -> np.ndarray:
    if groups.scope == "document":
        docs = corpus.documents.merge(groups.members[["document", "column"]], on="document")
        lengths = docs.groupby("column")["length"].sum()
    else:
        turns = corpus.turns.merge(
            groups.members[["document", "participant", "column"]],
            on=["document", "participant"],
        )
        spans = union_spans(turns, ["column", "document"])
        lengths = (spans["end"] - spans["start"]).groupby(spans["column"]).sum()
    out = np.zeros(n, dtype=np.int64)
    out[lengths.index.to_numpy(dtype=np.int64)] = lengths.to_numpy(dtype=np.int64)
    return out


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """Per-column shares; a group with nothing to divide by shows 0."""
    safe = np.where(denominator > 0, denominator, 1)
    return np.where(denominator > 0, numerator / safe, 0.0)


# What each measure counts in document groups; share and coverage divide it afterwards.
_COUNTS: dict[Measure, by_document.Count] = {
    "segments": "segments",
    "sentences": "sentences",
    "documents": "documents",
    "presence": "presence",
    "participants": "participants",
    "share": "participants",
    "coverage": "characters",
}


def cells(corpus: Corpus, rows: Rows, groups: Groups, measure: Measure) -> np.ndarray:
    """The measure for every row (axis 0) and column (axis 1)."""
    shape = (len(rows.labels), len(groups.labels))
    table = by_document.Table(rows.members, groups.members, shape)
    if groups.scope == "document" and by_document.fits(table, corpus.codings):
        # Documents and presence need only which codes reach which documents.
        reached = corpus.pairs if corpus.pairs is not None else corpus.codings
        codings = reached if measure in ("documents", "presence") else corpus.codings
        spans = corpus.units if measure == "sentences" else corpus.turns
        found = by_document.counts(table, codings, spans, _COUNTS[measure], corpus.stride)
        if measure == "share":
            return _ratio(found, _participants_in(corpus, groups, shape[1]))
        if measure == "coverage":
            return _ratio(found, _text_in(corpus, groups, shape[1]))
        return found
    if measure in ("documents", "presence") and groups.scope == "document":
        reached = _documents_reached(corpus, rows, groups)
        if measure == "documents":
            return _per_cell(reached, "document", shape)
        return (_per_cell(reached, None, shape) > 0).astype(np.int64)
    if measure in ("participants", "share"):
        mentioning = _per_cell(_speech(corpus, rows, groups), "participant", shape)
        if measure == "participants":
            return mentioning
        return _ratio(mentioning, _participants_in(corpus, groups, shape[1]))
    text = _located(corpus, rows, groups)
    if measure == "segments":
        return _coded_segments(text, shape, corpus.stride)
    if measure == "sentences":
        return _units_touched(corpus, text, shape)
    if measure == "documents":
        return _per_cell(text, "document", shape)
    if measure == "presence":
        return (_per_cell(text, None, shape) > 0).astype(np.int64)
    if measure == "coverage":
        spans = union_spans(text, ["row", "column", "document"])
        coded = spans.assign(length=spans["end"] - spans["start"])
        lengths = _grid(coded.groupby(["row", "column"])["length"].sum(), shape, np.int64)
        return _ratio(lengths, _text_in(corpus, groups, shape[1]))
    raise ValueError(f"unknown measure {measure!r}")


def _coded_segments(text: pd.DataFrame, shape: tuple[int, int], stride: int) -> np.ndarray:
    """Coded segments per cell, as MAXQDA and ATLAS.ti count codings of a code.

    A coder's codings of the row's codes that overlap or touch are one segment; segments of
    different coders that overlap (share a character) are one too, so text two coders coded
    alike counts once in the merged view. Touching segments of different coders stay two.
    """
    per_coder = union_spans(text, ["row", "column", "document", "coder"])
    if per_coder.empty:
        return np.zeros(shape, dtype=np.int64)
    sizes = [int(per_coder[k].max()) + 1 for k in ("row", "column", "document")]
    key = np.ravel_multi_index(
        tuple(_ints(per_coder, k) for k in ("row", "column", "document")), sizes
    ).astype(np.int64)
    start, end = _ints(per_coder, "start"), _ints(per_coder, "end")
    order = np.lexsort((start, key))
    key, start, end = key[order], start[order], end[order]
    # Running end within each cell and document (the key offset restarts it at each key); a
    # segment starting at or after everything before it has ended begins a new one.
    reach = np.maximum.accumulate(end + key * stride)
    previous = np.concatenate(([-1], reach[:-1]))
    first = start + key * stride >= previous
    heads = per_coder.iloc[order[first]]
    return _per_cell(heads, None, shape)


def _units_touched(corpus: Corpus, text: pd.DataFrame, shape: tuple[int, int]) -> np.ndarray:
    """Distinct units touched per cell; a stretch of coded text touching no unit counts once."""
    spans = union_spans(text, ["row", "column", "document"])
    units = sorted_units(corpus.units)
    touched = touched_units(spans, units, corpus.stride)
    cell_of = spans[["row", "column"]]
    hits = cell_of.iloc[_ints(touched, "span")].assign(unit=_ints(touched, "unit"))
    counts = _per_cell(hits.drop_duplicates(), "unit", shape)
    alone = np.ones(len(spans), dtype=bool)
    alone[_ints(touched, "span")] = False
    total: np.ndarray = counts + _per_cell(cell_of[alone], None, shape)
    return total


# -- the matrix ----------------------------------------------------------------------------


def evidence(presence: np.ndarray, labels: Sequence[Label]) -> np.ndarray:
    """In how many groups (the first level of split labels) each row is present."""
    if presence.shape[1] == 0:
        return np.zeros(presence.shape[0], dtype=np.int64)
    columns: dict[object, list[int]] = {}
    for i, label in enumerate(labels):
        columns.setdefault(label[0] if isinstance(label, tuple) else label, []).append(i)
    present = presence > 0
    counts: np.ndarray = np.zeros(presence.shape[0], dtype=np.int64)
    for group in columns.values():
        counts += present[:, group].any(axis=1)
    return counts


def _subset(rows: Rows, keep: np.ndarray) -> Rows:
    if keep.all():
        return rows
    wanted = np.flatnonzero(keep)
    renumber = {int(old): new for new, old in enumerate(wanted)}
    members = rows.members[rows.members["row"].isin(renumber)]
    members = members.assign(row=members["row"].map(renumber).astype("int64"))
    return Rows(
        labels=[rows.labels[i] for i in wanted],
        members=members.reset_index(drop=True),
        rolled_up=rows.rolled_up,
    )


def column_index(labels: Sequence[Label], names: Sequence[str]) -> pd.Index:
    if len(names) == 2:
        pairs = [label if isinstance(label, tuple) else (label, "") for label in labels]
        return pd.MultiIndex.from_tuples(pairs, names=list(names))
    return pd.Index([str(label) for label in labels], name=names[0], dtype=object)


def matrix(
    corpus: Corpus,
    rows: Rows,
    groups: Groups,
    measure: Measure,
    *,
    min_groups: int = 0,
    totals: bool = False,
) -> pd.DataFrame:
    """Rows x groups of `measure`, the rows evidenced in fewer than `min_groups` groups left out,
    with a last column EVIDENCE (groups in which the row has coded text). With `totals`, a
    TOTAL column (the measure over all groups together) and a TOTAL row (over all the rows'
    codes together): distinct counts, not sums."""
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}")
    presence = cells(corpus, rows, groups, "presence")
    found = evidence(presence, groups.labels)
    keep = found >= min_groups
    rows = _subset(rows, keep)
    # A row's presence does not depend on the other rows: the kept rows' are already known.
    values = presence[keep] if measure == "presence" else cells(corpus, rows, groups, measure)
    found = found[keep]
    labels: list[Label] = list(groups.labels)
    index = list(rows.labels)
    if totals:
        every, everything = groups.total(), rows.total()
        values = np.vstack(
            [
                np.hstack([values, cells(corpus, rows, every, measure)]),
                np.hstack(
                    [
                        cells(corpus, everything, groups, measure),
                        cells(corpus, everything, every, measure),
                    ]
                ),
            ]
        )
        total_presence = cells(corpus, everything, groups, "presence")
        found = np.concatenate([found, evidence(total_presence, groups.labels)])
        labels.append((TOTAL, "") if len(groups.names) == 2 else TOTAL)
        index.append(TOTAL)
    frame = pd.DataFrame(
        values.reshape(len(index), len(labels)),
        index=pd.Index(index, name="code", dtype=object),
        columns=column_index(labels, groups.names),
    )
    evidence_label: Label = (EVIDENCE, "") if len(groups.names) == 2 else EVIDENCE
    frame[evidence_label] = found.astype(np.int64)
    return frame


def value_columns(frame: pd.DataFrame) -> list[object]:
    """The columns holding measure values: all but EVIDENCE."""
    return [c for c in frame.columns if (c[0] if isinstance(c, tuple) else c) != EVIDENCE]


def within(corpus: Corpus, codes: Sequence[int]) -> Corpus:
    """The corpus with only the codings that share text with a coding of `codes` (a code
    and its descendants): one layer of a three-way table, e.g. what was coded at the
    tactical level. A coding in the layer counts whole."""
    assert corpus.pairs is None, "a layer needs every coding's span"
    codings = corpus.codings
    marks = union_spans(codings[codings["code"].isin(list(codes))], ["document"])
    if codings.empty or marks.empty:
        return replace(corpus, codings=codings.iloc[0:0])
    found, _, _ = overlaps(
        _ints(codings, "document"),
        _ints(codings, "start"),
        _ints(codings, "end"),
        _ints(marks, "document"),
        _ints(marks, "start"),
        _ints(marks, "end"),
        corpus.stride,
    )
    kept = codings.iloc[np.unique(found)].reset_index(drop=True)
    return replace(corpus, codings=kept)
