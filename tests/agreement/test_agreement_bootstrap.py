"""Bootstrap percentile intervals: seeded, vectorised, and honest about undefined resamples."""

from __future__ import annotations

import math
from functools import partial

import numpy as np
import pandas as pd
import pytest

from coder.agreement import (
    Interval,
    bootstrap_ci,
    brennan_prediger,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    scott_pi,
)
from coder.errors import UsageError


@pytest.fixture
def typical() -> pd.DataFrame:
    """200 units, two coders who agree about 80% of the time on three labels."""
    rng = np.random.default_rng(7)
    truth = rng.choice(["a", "b", "c"], size=200, p=[0.5, 0.3, 0.2])
    noisy = np.where(rng.random(200) < 0.8, truth, rng.choice(["a", "b", "c"], size=200))
    return pd.DataFrame({"ann": truth, "bob": noisy})


STATISTICS = [
    (percent_agreement, {}),
    (cohen_kappa, {}),
    (scott_pi, {}),
    (fleiss_kappa, {}),
    (brennan_prediger, {}),
    (gwet_ac1, {}),
    (krippendorff_alpha, {}),
]


@pytest.mark.parametrize(("statistic", "kwargs"), STATISTICS)
def test_interval_contains_the_estimate(
    typical: pd.DataFrame, statistic: object, kwargs: dict[str, str]
) -> None:
    point = statistic(typical, **kwargs)  # type: ignore[operator]
    low, high = bootstrap_ci(typical, statistic, draws=400, **kwargs)  # type: ignore[arg-type]
    assert low < point < high
    assert high - low < 0.3


@pytest.mark.parametrize(("statistic", "kwargs"), STATISTICS)
def test_vectorised_resamples_equal_the_plain_loop(
    typical: pd.DataFrame, statistic: object, kwargs: dict[str, str]
) -> None:
    """The same seed draws the same resamples whether they are evaluated as unit weights
    (the registered coefficients) or one by one on df.iloc[rows] (any other callable)."""
    fast = bootstrap_ci(typical, statistic, draws=60, seed=3, **kwargs)  # type: ignore[arg-type]
    slow = bootstrap_ci(
        typical,
        lambda df, **kw: statistic(df, **kw),  # type: ignore[operator]
        draws=60,
        seed=3,
        **kwargs,
    )
    assert fast == pytest.approx(slow, rel=1e-9)


def test_seeded_and_reproducible(typical: pd.DataFrame) -> None:
    first = bootstrap_ci(typical, gwet_ac1, draws=300, seed=11)
    assert bootstrap_ci(typical, gwet_ac1, draws=300, seed=11) == first
    assert bootstrap_ci(typical, gwet_ac1, draws=300, seed=12) != first


def test_draws_and_level_are_configurable(typical: pd.DataFrame) -> None:
    narrow = bootstrap_ci(typical, cohen_kappa, draws=250, level=0.5)
    wide = bootstrap_ci(typical, cohen_kappa, draws=250, level=0.99)
    assert isinstance(narrow, Interval) and narrow.draws == 250 and narrow.level == 0.5
    assert wide.low < narrow.low < narrow.high < wide.high
    assert narrow.dropped == 0 and narrow.reason is None


@pytest.mark.parametrize("measurement", ["nominal", "ordinal", "interval", "ratio"])
def test_alpha_levels_with_missing_data(krippendorff_c: pd.DataFrame, measurement: str) -> None:
    """`level` is the coverage here, so alpha's level of measurement goes in a partial; the
    partial is recognised and still evaluated as unit weights."""
    statistic = partial(krippendorff_alpha, level=measurement)
    got = bootstrap_ci(krippendorff_c, statistic, draws=300, level=0.9)
    assert got.low <= statistic(krippendorff_c) <= got.high
    slow = bootstrap_ci(krippendorff_c, lambda df: statistic(df), draws=300, level=0.9)
    assert got == pytest.approx(slow, rel=1e-9)
    assert got.dropped == slow.dropped


def test_undefined_resamples_are_dropped_and_counted() -> None:
    """A rare label: resamples without it have no variation and are left out."""
    df = pd.DataFrame({"a": ["x"] * 9 + ["y"], "b": ["x"] * 9 + ["y"]})
    interval = bootstrap_ci(df, cohen_kappa, draws=500, seed=1)
    expected_dropped = sum(
        math.isnan(cohen_kappa(df.iloc[rows]))
        for rows in np.random.default_rng(1).integers(0, 10, size=(500, 10))
    )
    assert interval.dropped == expected_dropped > 0
    assert interval == (1.0, 1.0)


def test_never_defined_gives_nan_with_a_reason() -> None:
    df = pd.DataFrame({"a": ["x"] * 5, "b": ["x"] * 5})
    interval = bootstrap_ci(df, cohen_kappa, draws=50)
    assert math.isnan(interval.low) and interval.dropped == 50 and interval.reason
    empty = bootstrap_ci(pd.DataFrame(columns=["a", "b"]), fleiss_kappa, draws=10)
    assert math.isnan(empty.high) and empty.reason


def test_bad_arguments(typical: pd.DataFrame) -> None:
    with pytest.raises(UsageError, match="draws"):
        bootstrap_ci(typical, cohen_kappa, draws=0)
    with pytest.raises(UsageError, match="level"):
        bootstrap_ci(typical, cohen_kappa, level=95)
    with pytest.raises(UsageError, match="partial"):
        bootstrap_ci(typical, krippendorff_alpha, level="ordinal")  # type: ignore[arg-type]
