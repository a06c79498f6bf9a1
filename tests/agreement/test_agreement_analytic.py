"""Gwet's analytic standard errors and intervals against the numbers irrCAC publishes.

Source of every number below: the README / "overview" vignette of Gwet's R package irrCAC
(Gwet, K. L. (2014). Handbook of Inter-Rater Reliability, 4th ed.), which prints, for each data
set, the coefficient, its standard error (coeff.se / stderr) and the 95% interval rounded to
three decimals. Data sets are in conftest.py. A second reference is statsmodels' Cohen's kappa,
whose standard error is the Fleiss, Cohen and Everitt (1969) large-sample formula.
"""

from __future__ import annotations

import math
import pickle
import warnings
from collections.abc import Callable
from functools import partial

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from statsmodels.stats.inter_rater import cohens_kappa as sm_cohens_kappa

from coder.agreement import (
    analytic_ci,
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

Stat = Callable[..., float]


@pytest.mark.parametrize(
    ("statistic", "se", "low"),
    [
        (percent_agreement, 0.12561, 0.542),
        (gwet_ac1, 0.14295, 0.461),
        (fleiss_kappa, 0.15302, 0.424),
        (krippendorff_alpha, 0.14557, 0.419),
        (conger_kappa, 0.14917, 0.435),
        (brennan_prediger, 0.14472, 0.454),
    ],
)
def test_raw4raters(gwet_raw4raters: pd.DataFrame, statistic: Stat, se: float, low: float) -> None:
    """irrCAC README, cac.raw4raters (Gwet 2014, p. 120): pa.coeff.raw se 0.12561 (0.542, 1),
    gwet.ac1.raw 0.14295 (0.461, 1), fleiss.kappa.raw 0.15302 (0.424, 1), krippen.alpha.raw
    0.14557 (0.419, 1), conger.kappa.raw 0.14917 (0.435, 1), bp.coeff.raw 0.14472 (0.454, 1)."""
    interval = analytic_ci(gwet_raw4raters, statistic)
    assert interval.se == pytest.approx(se, abs=5e-6)
    assert interval.low == pytest.approx(low, abs=5e-4)
    assert interval.high == 1.0  # irrCAC caps the upper end at 1
    assert interval.level == 0.95 and interval.reason is None


@pytest.mark.parametrize(
    ("statistic", "se", "low", "high"),
    [
        (gwet_ac1, 0.08418757, 0.264, 0.625),
        (fleiss_kappa, 0.08119291, 0.24, 0.588),
        (brennan_prediger, 0.08312142, 0.261, 0.617),
    ],
)
def test_distrib_6raters(
    gwet_distrib_6raters: pd.DataFrame, statistic: Stat, se: float, low: float, high: float
) -> None:
    """irrCAC README, distrib.6raters (six raters, fifteen patients, Fleiss 1971):
    gwet.ac1.dist stderr 0.08418757 (0.264, 0.625), fleiss.kappa.dist 0.08119291 (0.24, 0.588),
    bp.coeff.dist 0.08312142 (0.261, 0.617)."""
    interval = analytic_ci(gwet_distrib_6raters, statistic)
    assert interval.se == pytest.approx(se, abs=5e-9)
    assert interval.low == pytest.approx(low, abs=5e-4)
    assert interval.high == pytest.approx(high, abs=5e-4)


@pytest.mark.parametrize(
    ("statistic", "se", "low", "high"),
    [(cohen_kappa, 0.05891072, 0.68, 0.913), (scott_pi, 0.05905473, 0.679, 0.913)],
)
def test_cont3x3abstractors_two_coder_tables(
    gwet_cont3x3: pd.DataFrame, statistic: Stat, se: float, low: float, high: float
) -> None:
    """irrCAC README, cont3x3abstractors: kappa2.table coeff.se 0.05891072 (0.68, 0.913),
    scott2.table 0.05905473 (0.679, 0.913)."""
    interval = analytic_ci(gwet_cont3x3, statistic)
    assert interval.se == pytest.approx(se, abs=5e-9)
    assert interval.low == pytest.approx(low, abs=5e-4)
    assert interval.high == pytest.approx(high, abs=5e-4)


@pytest.mark.parametrize(
    ("statistic", "table_se"),
    [(gwet_ac1, 0.04321747), (brennan_prediger, 0.04693346), (percent_agreement, 0.03128898)],
)
def test_cont3x3abstractors_raw_formula(
    gwet_cont3x3: pd.DataFrame, statistic: Stat, table_se: float
) -> None:
    """For two coders irrCAC publishes gwet.ac1.table 0.04321747, bp2.table 0.04693346 and
    pa2.table 0.03128898, whose variance divides by n where the raw-data formula used for any
    number of coders divides by n - 1: the raw-data standard error is theirs times
    sqrt(n / (n - 1)), n = 100."""
    interval = analytic_ci(gwet_cont3x3, statistic)
    assert interval.se == pytest.approx(table_se * math.sqrt(100 / 99), abs=5e-8)


def test_cohen_se_matches_statsmodels(gwet_cont3x3: pd.DataFrame) -> None:
    table = pd.crosstab(gwet_cont3x3["A"], gwet_cont3x3["B"]).to_numpy()
    assert analytic_ci(gwet_cont3x3, cohen_kappa).se == pytest.approx(
        sm_cohens_kappa(table).std_kappa, rel=1e-9
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from("abc")), min_size=3, max_size=40))
def test_cohen_se_matches_statsmodels_on_random_tables(pairs: list[tuple[str, str]]) -> None:
    df = pd.DataFrame(pairs, columns=["A", "B"])
    kappa = cohen_kappa(df)
    interval = analytic_ci(df, cohen_kappa)
    if math.isnan(kappa):
        assert math.isnan(interval.se) and interval.reason
        return
    labels = sorted(set(df["A"]) | set(df["B"]))
    table = np.zeros((len(labels), len(labels)))
    np.add.at(table, (df["A"].map(labels.index), df["B"].map(labels.index)), 1)
    if (table.sum(axis=0) > 0).sum() < 2 or (table.sum(axis=1) > 0).sum() < 2:
        return  # one coder used one label: the variance is 0 and statsmodels' is rounding noise
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = sm_cohens_kappa(table).std_kappa
    assert interval.se == pytest.approx(reference, rel=1e-7)


def test_finite_population_and_level(gwet_raw4raters: pd.DataFrame) -> None:
    """Gwet's finite population correction multiplies the variance by 1 - n/N."""
    full = analytic_ci(gwet_raw4raters, gwet_ac1)
    finite = analytic_ci(gwet_raw4raters, gwet_ac1, population=48)
    assert finite.se == pytest.approx(full.se * math.sqrt(1 - 12 / 48), rel=1e-12)
    narrow = analytic_ci(gwet_raw4raters, gwet_ac1, level=0.5)
    assert narrow.low > full.low
    assert pickle.loads(pickle.dumps(full)) == full
    assert pickle.loads(pickle.dumps(full)).se == full.se


def test_undefined_and_misuse() -> None:
    same = pd.DataFrame({"a": ["x", "x"], "b": ["x", "x"]})
    interval = analytic_ci(same, cohen_kappa)
    assert math.isnan(interval.low) and interval.reason
    ratings = pd.DataFrame({"a": [1, 2, 3], "b": [1, 2, 2]})
    with pytest.raises(UsageError, match="bootstrap"):
        analytic_ci(ratings, partial(krippendorff_alpha, level="interval"))
    with pytest.raises(UsageError, match="coverage"):
        analytic_ci(ratings, krippendorff_alpha, level="interval")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="bootstrap_ci"):
        analytic_ci(ratings, lambda df: 0.5)
    with pytest.raises(UsageError, match="coverage"):
        analytic_ci(ratings, gwet_ac1, level=1.5)
