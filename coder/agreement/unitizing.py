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

from collections.abc import Hashable, Iterable, Sequence

import numpy as np
import pandas as pd

from coder.agreement._inputs import frame, name_list, sorted_names, whole_numbers
from coder.agreement._kernels import IntArray
from coder.agreement.unitizing_groups import Sections, disagreements, sections
from coder.errors import UsageError

UNIT_COLUMNS = ("coder", "category", "start", "end")
NO_UNITS = (
    "expected disagreement is 0 (no unit of this category could lie anywhere else), so "
    "alpha_U is 0/0"
)
ONE_CODER = "alpha_U needs two or more coders"


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


def _indices(values: pd.Series, names: Sequence[Hashable]) -> IntArray:
    found = pd.Index(list(names), dtype=object).get_indexer(
        pd.Index(values.to_numpy(), dtype=object)
    )
    return np.asarray(found, dtype=np.int64)


def alpha_rows(found: Sections, length: IntArray) -> list[tuple[float, float, float, str]]:
    """(alpha, D_o, D_e, notes) of every group of `found`, each group on a continuum of
    `length[group]` characters."""
    d_o, d_e = disagreements(found, length)
    return [(_alpha(o, e), o, e, "" if e > 0 else NO_UNITS) for o, e in zip(d_o, d_e, strict=True)]


def pooled_row(rows: Sequence[tuple[float, float, float, str]]) -> tuple[float, float, float, str]:
    """1 - sum D_o / sum D_e over the categories' rows."""
    sum_o = sum(r[1] for r in rows)
    sum_e = sum(r[2] for r in rows)
    return _alpha(sum_o, sum_e), sum_o, sum_e, "" if sum_e > 0 else NO_UNITS


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
    m = len(names)
    coder = _indices(table["coder"], names)
    start = table["start"].to_numpy(np.int64) - begin
    end = table["end"].to_numpy(np.int64) - begin
    length = np.full(len(categories), stop - begin, dtype=np.int64)
    which = _indices(table["category"], categories)
    found = alpha_rows(sections(which, coder, start, end, len(categories), m), length)
    rows: list[tuple[Hashable, float, float, float, str]] = [
        (category, *row) for category, row in zip(categories, found, strict=True)
    ]
    rows.append(("pooled", *pooled_row(found)))
    one = sections(np.zeros_like(coder), coder, start, end, 1, m)
    rows.append(("binary", *alpha_rows(one, np.array([stop - begin], dtype=np.int64))[0]))
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
