"""Two coders' (or two groups') coded spans, read once for the stretch-based comparisons.

NVivo compares two users or two user groups: text counts as coded by a group when any member
coded it. `coders` is therefore a pair whose sides are a coder's name or a list of names. Each
side's codings of one code in one document are joined where they overlap or touch (what that
side marked with the code), which is also how MAXQDA and ATLAS.ti keep one coded segment.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt
import pandas as pd

from coder.agreement import span_arithmetic
from coder.agreement._inputs import (
    _index_of,
    check_within,
    frame,
    name_list,
    objects,
    offsets,
    sorted_names,
    whole_numbers,
)
from coder.agreement._kernels import IntArray
from coder.errors import UsageError

SPAN_COLUMNS = ("coder", "document", "code", "start", "end")


@dataclass(frozen=True)
class Sides:
    """Each side's joined segments: parallel arrays sorted by (side, document, code, start)."""

    labels: tuple[str, str]
    documents: tuple[Hashable, ...]
    lengths: IntArray | None
    codes: tuple[Hashable, ...]
    side: IntArray
    doc: IntArray
    code: IntArray
    start: IntArray
    end: IntArray

    @cached_property
    def key(self) -> IntArray:
        n_docs, n_codes = max(len(self.documents), 1), max(len(self.codes), 1)
        return (self.side * n_docs + self.doc) * n_codes + self.code

    def of(self, side: int, doc: int, code: int) -> tuple[IntArray, IntArray]:
        """One side's segments of one code in one document, sorted by start."""
        n_docs, n_codes = max(len(self.documents), 1), max(len(self.codes), 1)
        wanted = (side * n_docs + doc) * n_codes + code
        key = self.key
        lo, hi = np.searchsorted(key, wanted, "left"), np.searchsorted(key, wanted, "right")
        return self.start[lo:hi], self.end[lo:hi]


def _side(value: object) -> tuple[str, tuple[Hashable, ...]]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        return str(value), (value,)
    members = name_list(value, "a group of coders")
    if not members:
        raise UsageError("a group of coders needs at least one member")
    return " + ".join(map(str, members)), members


def document_sizes(lengths: Mapping[Hashable, int]) -> tuple[tuple[Hashable, ...], IntArray]:
    """The documents of a {document: length} mapping, in its order, and their lengths."""
    docs = tuple(lengths)
    sizes = whole_numbers(
        pd.DataFrame({"length": [lengths[d] for d in docs]}, index=list(docs)), "lengths", "length"
    )
    return docs, sizes


def choose(
    table: pd.DataFrame,
    start: IntArray,
    end: IntArray,
    chosen: npt.NDArray[np.bool_],
    docs: tuple[Hashable, ...],
    sizes: IntArray | None,
    codes: Iterable[Hashable] | None,
) -> tuple[npt.NDArray[np.bool_], tuple[Hashable, ...], IntArray, IntArray]:
    """The non-empty spans of the `chosen` rows in `docs` (and `codes`, default: those used
    there), refusing any past its document's end: (which rows, the codes, each row's document
    and code as positions)."""
    keep = chosen & (end > start) & table["document"].isin(pd.Index(objects(docs))).to_numpy()
    if codes is None:
        code_names = sorted_names(pd.unique(table.loc[keep, "code"]))
    else:
        code_names = name_list(codes, "codes")
        keep &= table["code"].isin(pd.Index(objects(code_names))).to_numpy()
    doc = _index_of(table.loc[keep, "document"], docs)
    code = _index_of(table.loc[keep, "code"], code_names)
    if sizes is not None:
        check_within(table, "spans", end, keep, doc, sizes)
    return keep, code_names, doc, code


def read_sides(
    spans: object,
    coders: Sequence[object],
    *,
    lengths: Mapping[Hashable, int] | None = None,
    codes: Iterable[Hashable] | None = None,
    documents: Sequence[Hashable] | None = None,
) -> Sides:
    """Validate `spans` and split them into side A (coders[0]) and side B (coders[1]).

    The documents are those of `lengths`, else `documents`, else those the spans name, in
    that order (spans in other documents are left out)."""
    table = frame(spans, "spans", SPAN_COLUMNS)
    if isinstance(coders, str) or len(coders) != 2:
        raise UsageError(
            "coders is a pair (A, B); each side is a coder's name or a list of names whose "
            "coding counts together"
        )
    (label_a, group_a), (label_b, group_b) = _side(coders[0]), _side(coders[1])
    overlap = set(group_a) & set(group_b)
    if overlap:
        raise UsageError(f"coders {sorted(map(str, overlap))} are on both sides of the comparison")
    start, end = offsets(table, "spans")
    who = table["coder"]
    side = np.where(who.isin(pd.Index(objects(group_a))), 0, -1)
    side = np.where(who.isin(pd.Index(objects(group_b))), 1, side)
    if lengths is not None:
        docs, sizes = document_sizes(lengths)
    elif documents is not None:
        docs, sizes = tuple(documents), None
    else:
        docs, sizes = tuple(pd.unique(table.loc[side >= 0, "document"])), None
    keep, code_names, doc, code = choose(table, start, end, side >= 0, docs, sizes, codes)
    n_docs, n_codes = max(len(docs), 1), max(len(code_names), 1)
    key = (side[keep].astype(np.int64) * n_docs + doc) * n_codes + code
    key, lo, hi = span_arithmetic.union(key, start[keep], end[keep])
    return Sides(
        labels=(label_a, label_b),
        documents=docs,
        lengths=sizes,
        codes=code_names,
        side=key // (n_docs * n_codes),
        doc=(key // n_codes) % n_docs,
        code=key % n_codes,
        start=lo,
        end=hi,
    )


def intersection(a: tuple[IntArray, IntArray], b: tuple[IntArray, IntArray]) -> IntArray:
    """(len(a), len(b)) characters shared by each segment of a with each segment of b."""
    lo = np.maximum(a[0][:, None], b[0][None, :])
    hi = np.minimum(a[1][:, None], b[1][None, :])
    return np.asarray(np.maximum(hi - lo, 0), dtype=np.int64)
