"""Krippendorff's alpha_U against the book's worked example and a literal implementation.

Sources:

- Krippendorff, K. (2004). Content Analysis: An Introduction to Its Methodology, 2nd ed.,
  Sage, section 11.6, worked example p. 254: two observers, continuum [150, 450), categories
  c and k; the book gives cD_o = .0144, cD_e = .0532, c-alpha_U = .7286, kD_o = 0,
  kD_e = .0490, k-alpha_U = 1, and alpha_U = .859 over both categories. (The same numbers are
  asserted by DKPro Statistics' Krippendorff2004Test, which carries the data.)
- Krippendorff, K. (1995). On the reliability of unitizing continuous data. Sociological
  Methodology 25, 47-76, p. 57: four pairs of observers on a continuum of 24; observed
  disagreements .03125, 2.26736, .02777 and .38715 (D_o is defined the same way in 2004).
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from agreement_spans import literal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coder.agreement import unitizing_alpha
from coder.errors import UsageError

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
COLUMNS = ["coder", "category", "start", "end"]


def krippendorff_2004() -> pd.DataFrame:
    """p. 254, as (observer, category, begin, length)."""
    rows = [
        ("i", "c", 225, 70), ("i", "c", 370, 30), ("j", "c", 220, 80), ("j", "c", 355, 20),
        ("j", "c", 400, 20), ("i", "k", 180, 60), ("i", "k", 300, 50), ("j", "k", 180, 60),
        ("j", "k", 300, 50),
    ]  # fmt: skip
    return pd.DataFrame([(o, c, b, b + n) for o, c, b, n in rows], columns=COLUMNS)


def test_krippendorff_2004_worked_example() -> None:
    table = unitizing_alpha(krippendorff_2004(), (150, 450))
    assert table.loc["c", "D_o"] == pytest.approx(0.0144, abs=5e-5)
    assert table.loc["c", "D_e"] == pytest.approx(0.0532, abs=5e-5)
    assert table.loc["c", "alpha"] == pytest.approx(0.7286, abs=5e-5)
    assert table.loc["k", "D_o"] == 0.0
    assert table.loc["k", "D_e"] == pytest.approx(0.0490, abs=5e-5)
    assert table.loc["k", "alpha"] == 1.0
    # The book forms the overall coefficient from its rounded D's: 1 - .0144 / (.0532 + .0490).
    assert table.loc["pooled", "alpha"] == pytest.approx(0.859, abs=5e-4)
    assert table.loc["pooled", "D_o"] == pytest.approx(table.loc[["c", "k"], "D_o"].sum())
    assert list(table.index) == ["c", "k", "pooled", "binary"]


def krippendorff_1995() -> pd.DataFrame:
    """p. 57, as (observer, category, begin, length); A-D are four separate pairs."""
    rows = [
        (0, "A", 2, 8), (0, "A", 14, 6), (1, "A", 4, 4), (1, "A", 15, 2),
        (0, "B", 0, 18), (1, "B", 0, 2), (1, "B", 2, 1), (1, "B", 3, 1), (1, "B", 4, 1),
        (1, "B", 5, 1), (1, "B", 6, 3), (1, "B", 9, 1),
        (0, "C", 2, 6), (0, "C", 10, 2), (0, "C", 14, 4), (0, "C", 20, 2), (1, "C", 0, 2),
        (1, "C", 4, 4), (1, "C", 10, 4), (1, "C", 16, 2), (1, "C", 20, 2),
        (0, "D", 0, 2), (0, "D", 2, 8), (0, "D", 10, 4), (0, "D", 14, 6), (0, "D", 20, 4),
        (1, "D", 0, 4), (1, "D", 4, 4), (1, "D", 8, 7), (1, "D", 15, 2), (1, "D", 17, 7),
    ]  # fmt: skip
    return pd.DataFrame([(o, c, b, b + n) for o, c, b, n in rows], columns=COLUMNS)


def test_krippendorff_1995_observed_disagreement() -> None:
    """Adjacent units of one observer (Jill's in B, Heather's in D) stay separate units."""
    table = unitizing_alpha(krippendorff_1995(), (0, 24))
    for category, published in (("A", 0.03125), ("B", 2.26736), ("C", 0.02777), ("D", 0.38715)):
        assert table.loc[category, "D_o"] == pytest.approx(published, abs=1e-5)


# -- a literal implementation, section by section -------------------------------------------


@st.composite
def unitizations(draw: st.DrawFn) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Two to four coders, each with non-overlapping units per category on [0, 40)."""
    coders = tuple("PQRS"[: draw(st.integers(2, 4))])
    rows = []
    for coder in coders:
        for category in ("u", "v"):
            cuts = sorted(draw(st.sets(st.integers(0, 40), max_size=8)))
            for lo, hi in itertools.pairwise(cuts):
                if draw(st.booleans()):
                    rows.append((coder, category, lo, hi))
    return pd.DataFrame(rows, columns=COLUMNS), coders


@FAST
@given(unitizations())
def test_matches_the_literal_definition(case: tuple[pd.DataFrame, tuple[str, ...]]) -> None:
    units, coders = case
    table = unitizing_alpha(units, (0, 40), coders=coders)
    for category in table.index.drop(["pooled", "binary"]):
        mine = units[units["category"] == category]
        per_coder = {
            c: list(mine.loc[mine["coder"] == c, ["start", "end"]].itertuples(index=False))
            for c in coders
        }
        d_o, d_e = literal(per_coder, 0, 40)
        assert table.loc[category, "D_o"] == pytest.approx(d_o, rel=1e-12, abs=1e-15)
        assert table.loc[category, "D_e"] == pytest.approx(d_e, rel=1e-12, abs=1e-15)


@FAST
@given(unitizations(), st.randoms())
def test_invariant_to_coder_order_and_category_names(
    case: tuple[pd.DataFrame, tuple[str, ...]], random: object
) -> None:
    units, coders = case
    table = unitizing_alpha(units, (0, 40), coders=coders)
    shuffled = list(coders)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    reordered = unitizing_alpha(units.iloc[::-1], (0, 40), coders=shuffled)
    pd.testing.assert_frame_equal(table, reordered, rtol=1e-12)
    renamed = units.assign(category=units["category"].map({"u": "zeta", "v": "alpha"}))
    relabelled = unitizing_alpha(renamed, (0, 40), coders=coders)
    for old, new in (("u", "zeta"), ("v", "alpha")):
        if old in table.index:
            assert relabelled.loc[new].equals(table.loc[old])
    for row in ("pooled", "binary"):
        assert relabelled.loc[row].equals(table.loc[row])


def test_binary_joins_categories_and_perfect_agreement_is_one() -> None:
    units = pd.DataFrame(
        [("a", "x", 0, 10), ("a", "y", 5, 20), ("b", "x", 0, 20), ("a", "x", 30, 40)],
        columns=COLUMNS,
    )
    twins = pd.concat([units.assign(coder="a"), units.assign(coder="b")])
    table = unitizing_alpha(twins, (0, 50))
    assert (table["alpha"] == 1.0).all()
    binary = unitizing_alpha(units, (0, 50)).loc["binary"]
    # Coder a's x [0, 10) and y [5, 20) join into [0, 20), which b marked exactly; a's [30, 40)
    # lies in b's gap: D_o = 2 * 10^2 / (2 * 1 * 50^2).
    assert binary["D_o"] == pytest.approx(2 * 100 / (2 * 2500))


def test_a_coder_who_marked_nothing_still_counts() -> None:
    units = pd.DataFrame([("a", "x", 0, 10)], columns=COLUMNS)
    with pytest.raises(UsageError, match="two or more coders"):
        unitizing_alpha(units, (0, 50))
    table = unitizing_alpha(units, (0, 50), coders=["a", "b"])
    assert table.loc["x", "D_o"] == pytest.approx(2 * 100 / (2 * 2500))
    assert table.loc["x", "alpha"] < 0


@pytest.mark.parametrize(
    ("units", "continuum", "message"),
    [
        (pd.DataFrame([("a", "x", 5, 5)], columns=COLUMNS), (0, 10), "empty or outside"),
        (pd.DataFrame([("a", "x", 5, 12)], columns=COLUMNS), (0, 10), "outside the continuum"),
        (pd.DataFrame([("a", "x", 1, 2)], columns=COLUMNS), (10, 10), "is empty"),
        (pd.DataFrame([("a", "x", 1, 2)], columns=COLUMNS), 10, "pair"),
        (pd.DataFrame([("a", "pooled", 1, 2)], columns=COLUMNS), (0, 10), "summary rows"),
        (pd.DataFrame([("a", "x", 1.5, 2)], columns=COLUMNS), (0, 10), "whole number"),
        (pd.DataFrame({"coder": ["a"], "start": [1], "end": [2]}), (0, 10), "category"),
    ],
)
def test_bad_input_is_a_clear_error(units: pd.DataFrame, continuum: object, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        unitizing_alpha(units, continuum, coders=["a", "b"])  # type: ignore[arg-type]


def test_undefined_alpha_is_explained() -> None:
    units = pd.DataFrame([("a", "x", 0, 1), ("b", "x", 0, 1)], columns=COLUMNS)
    table = unitizing_alpha(units, (0, 1))
    # Both coders' only unit fills the continuum: no other placement, so D_e = D_o = 0.
    assert np.isnan(table.loc["x", "alpha"]) and "0/0" in table.loc["x", "notes"]
