"""Each coefficient against a reference implementation or an independent by-hand computation.

References: scikit-learn's cohen_kappa_score; statsmodels' fleiss_kappa (method "fleiss" and
"randolph") with aggregate_raters; the krippendorff package's alpha at all four levels with
missing data; pandas by hand for percent agreement; Gwet's formulas written out unit by unit.
"""

from __future__ import annotations

import itertools
import math
import pickle
import warnings
from typing import Any

import krippendorff
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss_kappa

from coder.agreement import (
    Estimate,
    brennan_prediger,
    cohen_kappa,
    conger_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    scott_pi,
)
from coder.errors import UsageError

FAST = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def tables(
    draw: st.DrawFn,
    *,
    coders: tuple[int, int] = (2, 5),
    labels: tuple[Any, ...] = ("a", "b", "c", "d"),
    missing: bool = True,
    units: tuple[int, int] = (1, 30),
) -> pd.DataFrame:
    m = draw(st.integers(*coders))
    n = draw(st.integers(*units))
    cell = st.sampled_from(labels) | st.none() if missing else st.sampled_from(labels)
    rows = draw(st.lists(st.lists(cell, min_size=m, max_size=m), min_size=n, max_size=n))
    return pd.DataFrame(rows, columns=[f"c{j}" for j in range(m)], dtype=object)


def same(ours: float, reference: float) -> None:
    if math.isnan(reference):
        assert math.isnan(ours)
    else:
        assert ours == pytest.approx(reference, rel=1e-9, abs=1e-12)


# -- two coders ---------------------------------------------------------------------------


@FAST
@given(tables(coders=(2, 2)))
def test_cohen_kappa_matches_sklearn(df: pd.DataFrame) -> None:
    complete = df.dropna()
    ours = cohen_kappa(df)
    if complete.empty:
        assert math.isnan(ours) and ours.reason
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = cohen_kappa_score(complete["c0"].tolist(), complete["c1"].tolist())
    same(ours, reference)
    if math.isnan(ours):
        assert pd.unique(complete.to_numpy().ravel()).size == 1


@FAST
@given(tables(coders=(2, 2)))
def test_scott_pi_is_fleiss_kappa_for_two_coders(df: pd.DataFrame) -> None:
    """Fleiss' kappa generalises Scott's pi when units one coder left unrated are dropped."""
    same(scott_pi(df), fleiss_kappa(df.dropna()))
    complete = df.dropna()
    if len(complete) and pd.unique(complete.to_numpy().ravel()).size > 1:
        table, _ = aggregate_raters(complete.to_numpy())
        same(scott_pi(df), sm_fleiss_kappa(table, method="fleiss"))


# -- many coders --------------------------------------------------------------------------


@FAST
@given(tables(missing=False))
def test_fleiss_and_randolph_match_statsmodels(df: pd.DataFrame) -> None:
    table, _ = aggregate_raters(df.to_numpy())
    if table.shape[1] < 2:  # one category: statsmodels divides by zero
        assert math.isnan(fleiss_kappa(df)) and fleiss_kappa(df).reason
        return
    same(fleiss_kappa(df), sm_fleiss_kappa(table, method="fleiss"))
    # statsmodels' "randolph" (free-marginal) kappa is Brennan-Prediger with q = labels used.
    same(brennan_prediger(df), sm_fleiss_kappa(table, method="randolph"))


def gwet_by_hand(df: pd.DataFrame, keep_single: bool, q: int | None = None) -> dict[str, float]:
    """Gwet's (2014) formulas for unequal ratings per unit, written out one unit at a time."""
    units = [[v for v in row if v is not None and v == v] for row in df.itertuples(index=False)]
    pairable = [u for u in units if len(u) >= 2]
    base = [u for u in units if len(u) >= (1 if keep_single else 2)]
    labels = sorted({v for u in base for v in u})
    if not pairable:
        return {}
    pa = sum(
        sum(u.count(c) * (u.count(c) - 1) for c in set(u)) / (len(u) * (len(u) - 1))
        for u in pairable
    ) / len(pairable)
    pi = {c: sum(u.count(c) / len(u) for u in base) / len(base) for c in labels}
    q = q or len(labels)
    out = {"pa": pa}
    if len(labels) >= 2:
        pe = sum(p * p for p in pi.values())
        out["fleiss"] = (pa - pe) / (1 - pe)
    if q >= 2:
        pe = sum(p * (1 - p) for p in pi.values()) / (q - 1)
        out["ac1"] = (pa - pe) / (1 - pe)
        out["bp"] = (pa - 1 / q) / (1 - 1 / q)
    return out


@FAST
@given(tables(), st.sampled_from(["drop", "keep"]))
def test_gwet_generalisation_with_missing_data(df: pd.DataFrame, single: str) -> None:
    expected = gwet_by_hand(df, single == "keep")
    checks = {
        "pa": percent_agreement(df),
        "fleiss": fleiss_kappa(df, single_ratings=single),  # type: ignore[arg-type]
        "ac1": gwet_ac1(df, single_ratings=single),  # type: ignore[arg-type]
    }
    if single == "drop":
        checks["bp"] = brennan_prediger(df)
    for name, ours in checks.items():
        if name in expected:
            assert ours == pytest.approx(expected[name], rel=1e-9, abs=1e-12), name
        else:
            assert math.isnan(ours) and ours.reason, name


@FAST
@given(tables(labels=(0, 1)), st.integers(2, 5))
def test_declared_categories(df: pd.DataFrame, q: int) -> None:
    """With categories given, q is their number whether or not all of them occur."""
    expected = gwet_by_hand(df, True, q)
    for ours, name in ((gwet_ac1(df, categories=q), "ac1"), (brennan_prediger(df, q), "bp")):
        if name in expected:
            assert ours == pytest.approx(expected[name], rel=1e-9, abs=1e-12)
        else:
            assert math.isnan(ours)
    same(gwet_ac1(df, categories=[0, 1]), gwet_ac1(df, categories=2))


@FAST
@given(tables())
def test_percent_agreement_by_hand_in_pandas(df: pd.DataFrame) -> None:
    """Share of agreeing coder pairs per unit, averaged over units with a pair."""
    agreeing = pd.Series(0.0, index=df.index)
    pairs = pd.Series(0.0, index=df.index)
    for a, b in itertools.combinations(df.columns, 2):
        both = df[a].notna() & df[b].notna()
        pairs += both
        agreeing += both & (df[a] == df[b])
    rated = pairs > 0
    if not rated.any():
        assert math.isnan(percent_agreement(df))
        return
    same(percent_agreement(df), (agreeing[rated] / pairs[rated]).mean())


# -- Krippendorff's alpha ------------------------------------------------------------------


@st.composite
def numeric_tables(draw: st.DrawFn, nonnegative: bool) -> pd.DataFrame:
    values = (0, 1, 2, 3.5, 7) if nonnegative else (-2, 0, 1, 2, 3.5, 7)
    df = draw(tables(labels=values, units=(1, 25)))
    return df.astype(float)


def reference_alpha(df: pd.DataFrame, level: str) -> float:
    data = df.to_numpy(dtype=float).T
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return float(krippendorff.alpha(reliability_data=data, level_of_measurement=level))
    except ValueError:  # the package refuses data with one value or nothing pairable
        return math.nan


@FAST
@given(st.sampled_from(["nominal", "ordinal", "interval", "ratio"]), st.data())
def test_alpha_matches_krippendorff_package(level: str, data: st.DataObject) -> None:
    df = data.draw(numeric_tables(nonnegative=level == "ratio"))
    ours = krippendorff_alpha(df, level)  # type: ignore[arg-type]
    same(ours, reference_alpha(df, level))
    if math.isnan(ours):
        assert ours.reason


def test_alpha_levels_differ_on_ordered_data(krippendorff_c: pd.DataFrame) -> None:
    found = {krippendorff_alpha(krippendorff_c, lv) for lv in ("nominal", "ordinal", "interval")}
    assert len({round(v, 6) for v in found}) == 3


def test_alpha_ignores_unpairable_units(krippendorff_c: pd.DataFrame) -> None:
    extra = pd.DataFrame([[np.nan, 9.0, np.nan, np.nan]] * 4, columns=krippendorff_c.columns)
    padded = pd.concat([krippendorff_c, extra], ignore_index=True)
    assert krippendorff_alpha(padded) == pytest.approx(krippendorff_alpha(krippendorff_c))


# -- undefined is NaN with a reason --------------------------------------------------------

ALL = [percent_agreement, fleiss_kappa, brennan_prediger, gwet_ac1, krippendorff_alpha]


@pytest.mark.parametrize(
    "df",
    [
        pd.DataFrame(columns=["a", "b"]),  # no units
        pd.DataFrame({"a": [1, 2, 3]}),  # one coder
        pd.DataFrame({"a": [1, None, 2], "b": [None, 3, None]}),  # nothing pairable
    ],
    ids=["empty", "one coder", "nothing pairable"],
)
def test_undefined_statistics_are_nan_with_a_reason(df: pd.DataFrame) -> None:
    for statistic in ALL:
        value = statistic(df)
        assert isinstance(value, Estimate) and math.isnan(value), statistic.__name__
        assert value.reason, statistic.__name__
    if df.shape[1] == 2:
        assert cohen_kappa(df).reason and scott_pi(df).reason


def test_no_variation_is_nan_with_a_reason() -> None:
    df = pd.DataFrame({"a": ["x"] * 5, "b": ["x"] * 5})
    for statistic in (cohen_kappa, scott_pi, fleiss_kappa, krippendorff_alpha):
        value = statistic(df)
        assert math.isnan(value) and "no variation" in (value.reason or "")
    assert "categories=" in (gwet_ac1(df).reason or "")  # q unknown with one label
    assert gwet_ac1(df, categories=["x", "y"]) == 1.0  # AC1 is defined once q is known
    assert brennan_prediger(df, categories=2) == 1.0
    assert percent_agreement(df) == 1.0


def test_estimate_is_a_float() -> None:
    value = cohen_kappa(pd.DataFrame({"a": [1, 2, 1, 2], "b": [1, 2, 2, 2]}))
    assert isinstance(value, float) and value.reason is None and value.defined
    assert value * 2 == pytest.approx(1.0) and f"{value:.2f}" == "0.50"
    nan = Estimate.undefined("because")
    assert math.isnan(nan) and nan.reason == "because" and not nan.defined
    assert "because" in repr(nan)
    restored = pickle.loads(pickle.dumps(nan))
    assert isinstance(restored, Estimate) and restored.reason == "because"
    assert pd.Series([value, nan]).isna().tolist() == [False, True]


# -- misuse raises UsageError --------------------------------------------------------------


def test_misuse_raises_usage_error() -> None:
    three = pd.DataFrame({"a": [1, 2], "b": [1, 2], "c": [2, 2]})
    text = pd.DataFrame({"a": ["low", "high"], "b": ["low", "low"]})
    with pytest.raises(UsageError, match="exactly two coders"):
        cohen_kappa(three)
    with pytest.raises(UsageError, match="exactly two coders"):
        scott_pi(three)
    with pytest.raises(UsageError, match="level"):
        krippendorff_alpha(three, "cardinal")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="numeric labels"):
        krippendorff_alpha(text, "interval")
    with pytest.raises(UsageError, match="numeric labels"):
        krippendorff_alpha(pd.DataFrame({"a": ["1", "2"], "b": ["1", "1"]}), "ordinal")
    with pytest.raises(UsageError, match="negatives"):
        krippendorff_alpha(pd.DataFrame({"a": [-1, 2], "b": [1, 1]}), "ratio")
    with pytest.raises(UsageError, match="not among"):
        gwet_ac1(text, categories=["low"])
    with pytest.raises(UsageError, match="already use"):
        brennan_prediger(text, categories=1)
    with pytest.raises(UsageError, match="DataFrame"):
        percent_agreement([[1, 2], [1, 2]])  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="repeated"):
        fleiss_kappa(pd.DataFrame([[1, 2]], columns=["a", "a"]))
    with pytest.raises(UsageError, match="single_ratings"):
        fleiss_kappa(three, single_ratings="sometimes")  # type: ignore[arg-type]


def conger_by_hand(df: pd.DataFrame) -> float:
    """Conger (1980): Fleiss' observed agreement against the mean Cohen chance agreement over
    the pairs of coders, each coder's shares over the units that coder rated."""
    expected = gwet_by_hand(df, True)
    shares = {}
    for coder in df.columns:
        rated = [v for v in df[coder] if v is not None and v == v]
        shares[coder] = {c: rated.count(c) / len(rated) for c in set(rated)}
    pairs = list(itertools.permutations(shares, 2))
    pe = sum(
        sum(shares[g].get(c, 0.0) * shares[h].get(c, 0.0) for c in shares[g]) for g, h in pairs
    ) / len(pairs)
    return (expected["pa"] - pe) / (1 - pe)


@FAST
@given(tables(coders=(2, 4)))
def test_conger_kappa_by_hand(df: pd.DataFrame) -> None:
    rated = df.notna().any(axis=0)
    ours = conger_kappa(df)
    if rated.sum() < 2 or not gwet_by_hand(df, True):
        assert math.isnan(ours) and ours.reason
        return
    active = df.loc[:, rated]
    if len({v for v in active.to_numpy().ravel() if v is not None and v == v}) < 2:
        assert math.isnan(ours) and ours.reason
        return
    same(ours, conger_by_hand(active))


@FAST
@given(tables(coders=(2, 2), missing=False))
def test_conger_kappa_is_cohen_kappa_for_two_coders(df: pd.DataFrame) -> None:
    same(conger_kappa(df), cohen_kappa(df))
