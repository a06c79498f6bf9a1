"""Segment-overlap agreement, the way MAXQDA's intercoder agreement at segment level works.

Each side's coded segments of one code in one document (codings joined where they overlap or
touch) are paired one to one. Two segments can be paired when their overlap divided by their
union reaches `threshold` (MAXQDA's "minimum overlap", default 90%); pairs are taken greedily,
largest overlap ratio first. Then, per code and document:

- `matched` (a): segments paired across the sides; `a_only` (b), `b_only` (c): segments of one
  side left unpaired;
- `agreement` = a / (a + b + c), MAXQDA's percentage of agreeing segments, and
  `dice` = 2a / (2a + b + c), the same count with each pair counted once per side;
- `kappa` = (agreement - 1/q) / (1 - 1/q), MAXQDA's chance-corrected coefficient after Brennan
  and Prediger (1981): chance agreement is one over q, the number of codes in the comparison.
  There is no cell for text neither side coded, so Cohen's kappa cannot be formed.

MAXQDA shows kappa for the whole comparison; here every row has one, with the same q.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from coder.agreement._inputs import objects
from coder.agreement._kernels import FloatArray, IntArray
from coder.agreement._pairs import Sides, read_sides
from coder.errors import UsageError

By = Literal["document", "code", "pooled"]
NO_SEGMENTS = "neither side coded a segment here"
ONE_CODE = "kappa needs two or more codes in the comparison (chance agreement 1/q)"


def _candidates(sides: Sides, threshold: float) -> tuple[IntArray, IntArray, FloatArray]:
    """Every pair (segment of side A, segment of side B) of the same document and code whose
    overlap / union reaches `threshold`: (A's index, B's index, ratio), in `sides`' order.

    Each side's segments of one document and code are sorted and disjoint, and every
    (document, code) lies on its own stretch of one number line, so the B segments a segment
    of A overlaps form one run found by two binary searches, for all groups at once.
    """
    group = sides.doc * max(len(sides.codes), 1) + sides.code
    stride = int(sides.end.max()) + 1 if sides.end.size else 1
    lo, hi = group * stride + sides.start, group * stride + sides.end
    a, b = np.flatnonzero(sides.side == 0), np.flatnonzero(sides.side == 1)
    first = np.searchsorted(hi[b], lo[a], side="right")  # first B ending after A starts
    stop = np.searchsorted(lo[b], hi[a], side="left")  # B segments starting before A ends
    count = np.maximum(stop - first, 0)
    i = np.repeat(np.arange(a.size), count)
    j = first[i] + (np.arange(i.size) - np.repeat(np.cumsum(count) - count, count))
    i, j = a[i], b[j]
    shared = (np.minimum(hi[i], hi[j]) - np.maximum(lo[i], lo[j])).astype(np.float64)
    union = (sides.end[i] - sides.start[i]) + (sides.end[j] - sides.start[j]) - shared
    ratio = shared / union
    keep = ratio >= threshold
    return i[keep], j[keep], ratio[keep]


def _matched(i: IntArray, j: IntArray, ratio: FloatArray) -> npt.NDArray[np.bool_]:
    """Which candidate pairs are paired one to one: greedily, largest ratio first, ties by
    position (so the result does not depend on input order). Where no segment is in two
    candidate pairs (always so above a threshold of one half: a segment cannot overlap two
    disjoint segments by more than half of each union), every candidate is a pair."""
    chosen = np.ones(i.size, dtype=bool)
    clash = (np.bincount(i)[i] > 1) | (np.bincount(j)[j] > 1) if i.size else chosen[:0]
    if not clash.any():
        return chosen
    order = np.lexsort((j, i, -ratio))
    used_a: set[int] = set()
    used_b: set[int] = set()
    for k, a, b in zip(order.tolist(), i[order].tolist(), j[order].tolist(), strict=True):
        if a in used_a or b in used_b:
            chosen[k] = False
            continue
        used_a.add(a)
        used_b.add(b)
    return chosen


def segment_counts(sides: Sides, threshold: float) -> pd.DataFrame:
    """Per document and code either side coded, in that order: `d`, `c` (positions),
    `segments_a`, `segments_b` and `matched` segments."""
    n_codes = max(len(sides.codes), 1)
    group = sides.doc * n_codes + sides.code
    i, j, ratio = _candidates(sides, threshold)
    pairs = i[_matched(i, j, ratio)]
    size = max(len(sides.documents), 1) * n_codes
    per_side = [np.bincount(group[sides.side == s], minlength=size) for s in (0, 1)]
    matched = np.bincount(group[pairs], minlength=size)
    cells = np.flatnonzero((per_side[0] > 0) | (per_side[1] > 0))
    return pd.DataFrame(
        {
            "d": cells // n_codes,
            "c": cells % n_codes,
            "segments_a": per_side[0][cells],
            "segments_b": per_side[1][cells],
            "matched": matched[cells],
        },
        dtype=np.int64,
    )


def _rates(
    matched: np.ndarray, a_only: np.ndarray, b_only: np.ndarray, q: int
) -> dict[str, object]:
    total = matched + a_only + b_only
    with np.errstate(divide="ignore", invalid="ignore"):
        agreement = np.where(total > 0, matched / total, np.nan)
        dice = np.where(total > 0, 2 * matched / (2 * matched + a_only + b_only), np.nan)
        kappa = (agreement - 1 / q) / (1 - 1 / q) if q >= 2 else np.full(total.shape, np.nan)
    notes = np.where(total == 0, NO_SEGMENTS, "" if q >= 2 else ONE_CODE)
    return {"agreement": agreement, "dice": dice, "kappa": kappa, "notes": notes}


def overlap_agreement(
    spans: pd.DataFrame,
    coders: Sequence[object],
    *,
    threshold: float = 0.9,
    by: By = "document",
    codes: Iterable[Hashable] | None = None,
) -> pd.DataFrame:
    """MAXQDA-style segment agreement between two coders (or groups), with its counts.

    `spans` has columns `coder`, `document`, `code`, `start`, `end`; `coders` is the pair
    (A, B), each side a coder or a list of coders. `by="document"` gives one row per document
    and code, `by="code"` sums the counts over documents, `by="pooled"` over everything.
    Columns: the keys, `segments_a`, `segments_b`, `matched`, `a_only`, `b_only`,
    `agreement`, `dice`, `kappa`, `notes`.
    """
    return overlap_agreements(spans, coders, threshold=threshold, bys=(by,), codes=codes)[by]


def overlap_agreements(
    spans: pd.DataFrame,
    coders: Sequence[object],
    *,
    threshold: float = 0.9,
    bys: Sequence[By] = ("document", "code", "pooled"),
    codes: Iterable[Hashable] | None = None,
    documents: Sequence[Hashable] | None = None,
) -> dict[By, pd.DataFrame]:
    """`overlap_agreement` for each of `bys`, the segments paired once for all of them;
    `documents`, when given, are the documents compared, in the order the rows list them."""
    if isinstance(threshold, bool) or not 0 < threshold <= 1:
        raise UsageError(
            f"threshold is the share of overlap in the union of two segments, in (0, 1]; "
            f"got {threshold!r}"
        )
    for by in bys:
        if by not in ("document", "code", "pooled"):
            raise UsageError(f"by must be 'document', 'code' or 'pooled'; got {by!r}")
    sides = read_sides(spans, coders, codes=codes, documents=documents)
    counts = segment_counts(sides, threshold)
    return {by: segment_table(sides, counts, by) for by in bys}


def segment_table(sides: Sides, counts: pd.DataFrame, by: By) -> pd.DataFrame:
    """`segment_counts` summed `by` document x code, code or everything, with the rates."""
    keys: list[str] = {"document": ["d", "c"], "code": ["c"], "pooled": []}[by]
    numbers = ["segments_a", "segments_b", "matched"]
    if keys:
        table = counts.groupby(keys, sort=True)[numbers].sum().reset_index()
    else:
        table = counts[numbers].sum().to_frame().T.reset_index(drop=True)
    table["a_only"] = table["segments_a"] - table["matched"]
    table["b_only"] = table["segments_b"] - table["matched"]
    rates = _rates(
        table["matched"].to_numpy(),
        table["a_only"].to_numpy(),
        table["b_only"].to_numpy(),
        len(sides.codes),
    )
    columns: dict[str, object] = {}
    if "d" in keys:
        columns["document"] = pd.Series(objects(sides.documents)[table["d"]], dtype=object)
    if "c" in keys:
        columns["code"] = pd.Series(objects(sides.codes)[table["c"]], dtype=object)
    if not keys:
        columns["n_codes"] = [len(sides.codes)] * len(table)
    for name in (*numbers, "a_only", "b_only"):
        columns[name] = table[name].to_numpy(np.int64)
    columns.update(rates)
    out = pd.DataFrame(columns)
    return out
