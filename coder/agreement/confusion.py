"""Code confusion between two coders: where A applied code X, which codes did B apply?

A codebook meeting wants the off-diagonal: the passages one coder put under "barriers" and the
other under "costs". `code_confusion` is a code x code table, A's codes as rows and B's as
columns, over text both coded, plus a row and a column `(none)` for text only one of them
coded at all. Two ways of counting:

- `unit="character"` (default): cell (X, Y) is the number of characters A coded X and B coded
  Y, in all documents. A passage coded with several codes counts under each, so a row can sum
  to more than the characters A coded X; column `(none)` is the characters A coded X that B
  left uncoded with every code, row `(none)` likewise for B. Characters are what NVivo
  compares, and they weigh a long passage more than a short one.
- `unit="segment"`: cell (X, Y) is the number of A's segments of X (codings joined where they
  overlap or touch) that share at least one character with a segment B coded Y; `(none)`
  counts A's segments of X that share no character with anything B coded, and the `(none)`
  row B's segments that A left wholly uncoded. This counts passages the way a meeting
  discusses them, one each, whatever their length.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from coder.agreement._kernels import IntArray
from coder.agreement._pairs import Sides, intersection, read_sides
from coder.agreement.span_arithmetic import union
from coder.errors import UsageError

NONE = "(none)"
Unit = Literal["character", "segment"]


def _everything(sides: Sides, side: int, doc: int) -> tuple[IntArray, IntArray]:
    """The union of all of one side's segments in a document, whatever their code."""
    pick = (sides.side == side) & (sides.doc == doc)
    _, lo, hi = union(np.zeros(int(pick.sum()), dtype=np.int64), sides.start[pick], sides.end[pick])
    return lo, hi


def code_confusion(
    spans: pd.DataFrame,
    coders: Sequence[object],
    *,
    unit: Unit = "character",
    codes: Iterable[Hashable] | None = None,
) -> pd.DataFrame:
    """A's codes (rows) against B's codes (columns) over overlapping text; see the module.

    `spans` has columns `coder`, `document`, `code`, `start`, `end`; `coders` is the pair
    (A, B), each side a coder or a list of coders. The index and columns are named after the
    two sides.
    """
    if unit not in ("character", "segment"):
        raise UsageError(f"unit must be 'character' or 'segment'; got {unit!r}")
    sides = read_sides(spans, coders, codes=codes)
    if NONE in sides.codes:
        raise UsageError(f"a code may not be called {NONE!r}: that name is kept for uncoded text")
    q = len(sides.codes)
    table = np.zeros((q + 1, q + 1), dtype=np.int64)
    for d in range(len(sides.documents)):
        all_a, all_b = _everything(sides, 0, d), _everything(sides, 1, d)
        segments_b = [sides.of(1, d, y) for y in range(q)]
        for x in range(q):
            a = sides.of(0, d, x)
            if a[0].size == 0:
                continue
            uncovered = intersection(a, all_b).sum(axis=1)
            for y, b in enumerate(segments_b):
                shared = intersection(a, b)
                table[x, y] += shared.sum() if unit == "character" else (shared > 0).any(1).sum()
            if unit == "character":
                table[x, q] += int(((a[1] - a[0]) - uncovered).sum())
            else:
                table[x, q] += int((uncovered == 0).sum())
        for y, b in enumerate(segments_b):
            if b[0].size == 0:
                continue
            covered = intersection(b, all_a).sum(axis=1)
            if unit == "character":
                table[q, y] += int(((b[1] - b[0]) - covered).sum())
            else:
                table[q, y] += int((covered == 0).sum())
    labels = [*sides.codes, NONE]
    return pd.DataFrame(
        table,
        index=pd.Index(labels, dtype=object, name=sides.labels[0]),
        columns=pd.Index(labels, dtype=object, name=sides.labels[1]),
    )
