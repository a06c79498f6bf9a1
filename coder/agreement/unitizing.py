"""Krippendorff's alpha for unitizing (alpha_U), as in Content Analysis (2004, section 11.6).

Coders mark *stretches* of a continuum (characters of a text) and give each a category. For one
category c, each coder's continuum is cut into sections: the units that coder marked with c, and
the gaps between them (everything else, including text marked with other categories). Alpha_U
compares the coders' sections:

- observed disagreement D_o sums, over every ordered pair of coders and every pair of their
  sections, the squared distance delta^2 of the two sections: for two overlapping units, the
  squared difference of their starts plus that of their ends; for a unit lying wholly inside
  the other coder's gap, its squared length; nothing otherwise. The sum is divided by
  m (m - 1) L^2 for m coders and a continuum of length L.
- expected disagreement D_e is the same distance averaged over every way the units observed for
  c could have been placed in the gaps observed for c (Krippendorff 2004, p. 254):

      D_e = (2 / L) * sum_u [ (N_c - 1) (2 l^3 - 3 l^2 + l) / 3
                              + l^2 * sum_{gaps g >= l} (g - l + 1) ]
            / ( m L (m L - 1) - sum_u l (l - 1) )

  over the N_c units u of c of all coders (length l) and the gaps of all coders.

alpha_U = 1 - D_o / D_e. The row `pooled` is 1 - sum D_o / sum D_e over the categories, and
`binary` is alpha_U with all categories taken as one (each coder's units of any category, where
they overlap, joined into one unit): did the coders mark the same stretches at all?

A coder's overlapping units of one category are joined first; touching ones stay two units, as
Krippendorff's own examples have them. These are the 2004 coefficients, not the later
|u-alpha, cu-alpha and Cu-alpha of Krippendorff et al. (2016) that ATLAS.ti reports.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import numpy as np
import pandas as pd

from coder.agreement._inputs import frame, name_list, sorted_names, whole_numbers
from coder.agreement._kernels import IntArray
from coder.errors import UsageError

UNIT_COLUMNS = ("coder", "category", "start", "end")
NO_UNITS = (
    "expected disagreement is 0 (no unit of this category could lie anywhere else), so "
    "alpha_U is 0/0"
)
ONE_CODER = "alpha_U needs two or more coders"


def _join_overlaps(start: IntArray, end: IntArray) -> tuple[IntArray, IntArray]:
    """Sorted units with overlapping ones joined; units that only touch stay apart."""
    if start.size == 0:
        return start, end
    order = np.lexsort((end, start))
    start, end = start[order], end[order]
    reach = np.maximum.accumulate(end)
    head = np.concatenate(([True], start[1:] >= reach[:-1]))
    first = np.flatnonzero(head)
    return start[first], np.maximum.reduceat(end, first)


def _gaps(start: IntArray, end: IntArray, begin: int, stop: int) -> IntArray:
    """Lengths of the stretches of [begin, stop) between sorted, disjoint units."""
    edges_lo = np.concatenate(([begin], end))
    edges_hi = np.concatenate((start, [stop]))
    lengths = edges_hi - edges_lo
    return lengths[lengths > 0]


def _pair_distance(a: tuple[IntArray, IntArray], b: tuple[IntArray, IntArray]) -> float:
    """Sum of delta^2 over the sections of two coders (one category), one order of the pair.

    Each coder's units are sorted and disjoint, so the units of b that overlap a unit of a form
    one run, found by two binary searches: the cost grows with the overlapping pairs, not with
    the product of the two coders' unit counts.
    """
    a_lo, a_hi = a
    b_lo, b_hi = b
    first = np.searchsorted(b_hi, a_lo, side="right")  # first unit of b ending after a starts
    stop = np.searchsorted(b_lo, a_hi, side="left")  # units of b starting before a ends
    count = np.maximum(stop - first, 0)
    i = np.repeat(np.arange(a_lo.size), count)
    j = first[i] + (np.arange(i.size) - np.repeat(np.cumsum(count) - count, count))
    both = (a_lo[i] - b_lo[j]) ** 2 + (a_hi[i] - b_hi[j]) ** 2
    # A unit that overlaps none of the other coder's units lies inside one of that coder's gaps.
    alone_a = np.ones(a_lo.size, dtype=bool)
    alone_a[i] = False
    alone_b = np.ones(b_lo.size, dtype=bool)
    alone_b[j] = False
    lengths_a = ((a_hi - a_lo) ** 2)[alone_a]
    lengths_b = ((b_hi - b_lo) ** 2)[alone_b]
    return float(both.sum() + lengths_a.sum() + lengths_b.sum())


def _category(
    sections: list[tuple[IntArray, IntArray]], begin: int, stop: int
) -> tuple[float, float]:
    """D_o and D_e of one category, given each coder's sorted, joined units."""
    m, length = len(sections), stop - begin
    observed = sum(
        _pair_distance(sections[i], sections[j]) for i in range(m) for j in range(i + 1, m)
    )
    d_o = 2 * observed / (m * (m - 1) * length**2)
    lengths = np.concatenate([hi - lo for lo, hi in sections]).astype(np.float64)
    if lengths.size == 0:
        return d_o, 0.0
    gaps = np.sort(np.concatenate([_gaps(lo, hi, begin, stop) for lo, hi in sections]))
    gaps = gaps.astype(np.float64)
    # sum over gaps g >= l of (g - l + 1), for every unit length l, from suffix sums of gaps.
    after = np.concatenate((np.cumsum(gaps[::-1])[::-1], [0.0]))
    first = np.searchsorted(gaps, lengths, side="left")
    count = gaps.size - first
    fits = after[first] - (lengths - 1) * count
    n_c = lengths.size
    placed = (n_c - 1) * (2 * lengths**3 - 3 * lengths**2 + lengths) / 3 + lengths**2 * fits
    denominator = m * length * (m * length - 1) - float((lengths * (lengths - 1)).sum())
    return d_o, float(2 / length * placed.sum() / denominator)


def _alpha(d_o: float, d_e: float) -> float:
    return 1 - d_o / d_e if d_e > 0 else float("nan")


def _read(
    units: object, continuum: object, coders: Iterable[Hashable] | None
) -> tuple[pd.DataFrame, int, int, tuple[Hashable, ...]]:
    table = frame(units, "units", UNIT_COLUMNS)
    if not isinstance(continuum, tuple | list) or len(continuum) != 2:
        raise UsageError("continuum is a (begin, end) pair of character offsets")
    bounds = whole_numbers(pd.DataFrame({"continuum": list(continuum)}), "continuum", "continuum")
    begin, stop = int(bounds[0]), int(bounds[1])
    if stop <= begin:
        raise UsageError(f"continuum ({begin}, {stop}) is empty; its end must follow its begin")
    start = whole_numbers(table, "units", "start")
    end = whole_numbers(table, "units", "end")
    bad = np.flatnonzero((end <= start) | (start < begin) | (end > stop))
    if bad.size:
        i = int(bad[0])
        raise UsageError(
            f"units row {table.index[i]!r}: [{start[i]}, {end[i]}) is empty or outside the "
            f"continuum [{begin}, {stop}); units must be non-empty stretches within it"
        )
    found = tuple(pd.unique(table["coder"]))
    names = found if coders is None else name_list(coders, "coders")
    missing = [c for c in found if c not in set(names)]
    if missing:
        raise UsageError(f"units name coders {missing} that are not among coders={list(names)}")
    clean = pd.DataFrame(
        {"coder": table["coder"].to_numpy(), "category": table["category"].to_numpy()}
    )
    clean["start"], clean["end"] = start, end
    return clean, begin, stop, names


def _per_coder(
    who: IntArray, start: IntArray, end: IntArray, m: int
) -> list[tuple[IntArray, IntArray]]:
    """Each coder's joined units (`who`: the coder's index among the m coders)."""
    return [_join_overlaps(start[who == j], end[who == j]) for j in range(m)]


def _by_category(
    table: pd.DataFrame, names: tuple[Hashable, ...], categories: list[Hashable]
) -> tuple[list[tuple[IntArray, IntArray, IntArray]], IntArray, IntArray, IntArray]:
    """Per category, its units as (coder index, start, end) arrays, sorted once; and all
    units' coder index, start and end for the binary alpha."""
    coder = np.asarray(
        pd.Index(list(names), dtype=object).get_indexer(
            pd.Index(table["coder"].to_numpy(), dtype=object)
        ),
        np.int64,
    )
    which = np.asarray(
        pd.Index(categories, dtype=object).get_indexer(
            pd.Index(table["category"].to_numpy(), dtype=object)
        ),
        np.int64,
    )
    start = table["start"].to_numpy(np.int64)
    end = table["end"].to_numpy(np.int64)
    order = np.argsort(which, kind="stable")
    bounds = np.searchsorted(which[order], np.arange(len(categories) + 1))
    groups = []
    for c in range(len(categories)):
        pick = order[bounds[c] : bounds[c + 1]]
        groups.append((coder[pick], start[pick], end[pick]))
    return groups, coder, start, end


def unitizing_alpha(
    units: pd.DataFrame,
    continuum: tuple[int, int],
    *,
    coders: Iterable[Hashable] | None = None,
) -> pd.DataFrame:
    """Krippendorff's (2004) alpha_U per category, pooled, and for all categories as one.

    `units` has columns `coder`, `category`, `start`, `end` (integer offsets, end exclusive);
    `continuum` is the `(begin, end)` stretch every coder worked through. `coders` lists the
    coders when one of them may have marked nothing (by default, the coders found in `units`).
    Returns a DataFrame indexed by category, then `pooled` and `binary`, with columns `alpha`,
    `D_o`, `D_e` and `notes` (why an alpha is NaN).
    """
    table, begin, stop, names = _read(units, continuum, coders)
    if len(names) < 2:
        raise UsageError(f"{ONE_CODER}; got {list(names)}")
    categories = list(sorted_names(pd.unique(table["category"])))
    clash = [c for c in categories if isinstance(c, str) and c in ("pooled", "binary")]
    if clash:
        raise UsageError(
            f"a category may not be called {clash[0]!r}: that name is kept for the summary rows"
        )
    rows: list[tuple[Hashable, float, float, float, str]] = []
    groups, coder, start, end = _by_category(table, names, categories)
    m = len(names)
    for category, (who, lo, hi) in zip(categories, groups, strict=True):
        d_o, d_e = _category(_per_coder(who, lo, hi, m), begin, stop)
        rows.append((category, _alpha(d_o, d_e), d_o, d_e, "" if d_e > 0 else NO_UNITS))
    sum_o = sum(r[2] for r in rows)
    sum_e = sum(r[3] for r in rows)
    rows.append(("pooled", _alpha(sum_o, sum_e), sum_o, sum_e, "" if sum_e > 0 else NO_UNITS))
    merged = _category(_per_coder(coder, start, end, m), begin, stop)
    rows.append(("binary", _alpha(*merged), *merged, "" if merged[1] > 0 else NO_UNITS))
    index = pd.Index([r[0] for r in rows], dtype=object, name="category")
    return pd.DataFrame(
        {
            "alpha": [r[1] for r in rows],
            "D_o": [r[2] for r in rows],
            "D_e": [r[3] for r in rows],
            "notes": [r[4] for r in rows],
        },
        index=index,
    )
