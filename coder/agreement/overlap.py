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
import pandas as pd

from coder.agreement._inputs import objects
from coder.agreement._kernels import IntArray
from coder.agreement._pairs import intersection, read_sides
from coder.errors import UsageError

By = Literal["document", "code", "pooled"]
NO_SEGMENTS = "neither side coded a segment here"
ONE_CODE = "kappa needs two or more codes in the comparison (chance agreement 1/q)"


def match_segments(
    a: tuple[IntArray, IntArray], b: tuple[IntArray, IntArray], threshold: float
) -> list[tuple[int, int]]:
    """One-to-one pairs (index in a, index in b) whose overlap / union reaches `threshold`."""
    if a[0].size == 0 or b[0].size == 0:
        return []
    shared = intersection(a, b).astype(np.float64)
    union = (a[1] - a[0])[:, None] + (b[1] - b[0])[None, :] - shared
    ratio = np.where(shared > 0, shared / union, 0.0)
    rows, cols = np.nonzero((ratio >= threshold) & (shared > 0))
    # Largest ratio first; ties by position, so the result does not depend on input order.
    order = np.lexsort((cols, rows, -ratio[rows, cols]))
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for i, j in zip(rows[order].tolist(), cols[order].tolist(), strict=True):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j))
    return pairs


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
    if isinstance(threshold, bool) or not 0 < threshold <= 1:
        raise UsageError(
            f"threshold is the share of overlap in the union of two segments, in (0, 1]; "
            f"got {threshold!r}"
        )
    if by not in ("document", "code", "pooled"):
        raise UsageError(f"by must be 'document', 'code' or 'pooled'; got {by!r}")
    sides = read_sides(spans, coders, codes=codes)
    rows = []
    for d in range(len(sides.documents)):
        for c in range(len(sides.codes)):
            a, b = sides.of(0, d, c), sides.of(1, d, c)
            matched = len(match_segments(a, b, threshold))
            rows.append((d, c, a[0].size, b[0].size, matched))
    counts = pd.DataFrame(
        np.array(rows, dtype=np.int64).reshape(-1, 5),
        columns=["d", "c", "segments_a", "segments_b", "matched"],
    )
    counts = counts[(counts["segments_a"] > 0) | (counts["segments_b"] > 0)]
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
