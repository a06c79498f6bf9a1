"""Inter-coder agreement coefficients on a units x coders table of nominal labels.

Input everywhere: a pandas DataFrame, one row per unit, one column per coder, each cell the label
that coder gave that unit (any hashable); NaN/None means the coder did not rate the unit.
Every coefficient returns an `Estimate` (a float; NaN with `.reason` when undefined) and never
raises for an undefined statistic. Misuse (three coders for Cohen's kappa, an unknown level of
measurement, text labels for interval alpha, a label outside `categories=`) raises `UsageError`.

Missing ratings, stated once for all coefficients:

- `cohen_kappa`, `scott_pi`: two coders only; units that either coder left unrated are dropped.
- `percent_agreement`, `fleiss_kappa`, `brennan_prediger`, `gwet_ac1` use Gwet's (2014)
  generalisation to unequal numbers of ratings per unit: a unit with r_i ratings agrees to the
  extent sum_k r_ik (r_ik - 1) / (r_i (r_i - 1)) (the share of coder pairs that agree), averaged
  over the units rated at least twice; category shares pi_k are the average over units of
  r_ik / r_i. By default a unit rated once still counts in pi_k, exactly as Gwet's formulas
  and his irrCAC package have it (it cannot show agreement). `single_ratings="drop"` leaves
  such units out of pi_k too, as earlier versions of coder did.
- `conger_kappa`: every rated unit counts in each coder's own category shares (Gwet 2014).
- `krippendorff_alpha`: units with one value are unpairable and contribute nothing.

With complete data, `fleiss_kappa` is Fleiss' (1971) kappa, and with two coders it equals
`scott_pi`, of which it is the generalisation.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from coder.agreement import _kernels as k
from coder.agreement.estimate import Estimate, Interval
from coder.errors import UsageError

Level = Literal["nominal", "ordinal", "interval", "ratio"]
SingleRatings = Literal["drop", "keep"]
Categories = Iterable[Hashable] | int | None


def ratings_from_frame(df: object, *, numeric: bool = False) -> k.Ratings:
    """Turn a units x coders DataFrame into category indices (sorted labels where possible)."""
    if not isinstance(df, pd.DataFrame):
        raise UsageError(
            "agreement statistics take a pandas DataFrame with one row per unit and one column "
            f"per coder, not {type(df).__name__}"
        )
    duplicated = df.columns[df.columns.duplicated()].tolist()
    if duplicated:
        raise UsageError(f"each coder must be one column; repeated coder columns: {duplicated}")
    raw = df.to_numpy(dtype=object)
    missing = np.asarray(pd.isna(raw), dtype=bool)
    labels = raw[~missing]
    index, uniques = pd.factorize(pd.Series(labels, dtype=object))
    found = list(uniques)
    values: k.FloatArray | None = None
    if numeric:
        values = _numeric(found)
        order = np.argsort(values, kind="stable")
        values = values[order]
    else:
        order = _sort_order(found)
    rank = np.empty(len(found), dtype=np.int64)
    rank[order] = np.arange(len(found))
    codes = np.full(raw.shape, -1, dtype=np.int64)
    codes[~missing] = rank[index]
    return k.Ratings(codes, tuple(found[i] for i in order), values)


def _sort_order(found: list[Hashable]) -> np.ndarray[Any, np.dtype[np.int64]]:
    try:
        ordered = sorted(range(len(found)), key=lambda i: found[i])  # type: ignore[arg-type,return-value]
    except TypeError:  # labels of mixed types: keep the order they first appear in
        ordered = list(range(len(found)))
    return np.asarray(ordered, dtype=np.int64)


def _numeric(found: list[Hashable]) -> k.FloatArray:
    out = np.empty(len(found))
    for i, label in enumerate(found):
        if isinstance(label, str | bytes) or not isinstance(label, int | float | np.number):
            raise UsageError(
                f"ordinal, interval and ratio alpha need numeric labels; found {label!r}. "
                "Recode the labels as numbers in their order, or use level='nominal'."
            )
        out[i] = float(label)
    if not np.isfinite(out).all():
        raise UsageError("numeric labels must be finite (infinity is not a rating)")
    return out


@dataclass(frozen=True)
class _Plan:
    """A statistic ready to be evaluated under any weighting of the units."""

    n_units: int
    evaluate: Callable[[k.FloatArray], k.Parts] | None  # None: undefined before any weighting
    reason: str | None = None
    width: int = 1  # memory per unit per resample, in floats, beyond the weights themselves


def _checked(df: pd.DataFrame, *, numeric: bool = False, two: str | None = None) -> k.Ratings | str:
    r = ratings_from_frame(df, numeric=numeric)
    if two is not None and r.m != 2:
        raise UsageError(
            f"{two} is defined for exactly two coders; this table has {r.m} "
            f"({', '.join(map(str, df.columns))}). "
            "Use fleiss_kappa, gwet_ac1 or krippendorff_alpha for more."
        )
    if r.m < 2:
        return k.ONE_CODER
    if r.n == 0:
        return k.NO_UNITS
    if r.q == 0:  # units, but not a single rating
        return k.NO_PAIRS
    return r


def _plan(
    r: k.Ratings | str,
    make: Callable[[k.Ratings], Callable[[k.FloatArray], k.Parts]],
    *,
    per_category: bool = False,
) -> _Plan:
    if isinstance(r, str):
        return _Plan(0, None, r)
    return _Plan(r.n, make(r), width=max(r.q, 1) if per_category else 1)


def _observed_q(r: k.Ratings, keep_single: bool) -> int:
    per_unit = r.ratings_per_unit
    base = per_unit >= (1 if keep_single else 2)
    return int((r.counts[base].sum(axis=0) > 0).sum())


def _resolve_q(r: k.Ratings, categories: Categories, keep_single: bool) -> int:
    if categories is None:
        return _observed_q(r, keep_single)
    if isinstance(categories, bool):
        raise UsageError("categories= takes the possible labels, or their number, not a bool")
    if isinstance(categories, int):
        if categories < _observed_q(r, True):
            raise UsageError(
                f"categories={categories}, but the data already use {r.q} different labels"
            )
        return categories
    possible = list(categories)
    allowed = set(possible)
    if len(allowed) != len(possible):
        raise UsageError(f"categories= lists a label twice: {possible}")
    outside = [c for c in r.categories if c not in allowed]
    if outside:
        raise UsageError(f"labels {outside} are not among categories={possible}")
    return len(possible)


def _keep(single_ratings: SingleRatings) -> bool:
    if single_ratings not in ("drop", "keep"):
        raise UsageError(f"single_ratings must be 'drop' or 'keep', not {single_ratings!r}")
    return single_ratings == "keep"


def _plan_percent(df: pd.DataFrame) -> _Plan:
    return _plan(_checked(df), lambda r: lambda w: k.percent_agreement_parts(r, w))


def _plan_cohen(df: pd.DataFrame) -> _Plan:
    r = _checked(df, two="Cohen's kappa")
    return _plan(r, lambda r: lambda w: k.two_coder_parts(r, w, chance="cohen"))


def _plan_scott(df: pd.DataFrame) -> _Plan:
    r = _checked(df, two="Scott's pi")
    return _plan(r, lambda r: lambda w: k.two_coder_parts(r, w, chance="scott"))


def _plan_fleiss(df: pd.DataFrame, single_ratings: SingleRatings = "keep") -> _Plan:
    keep = _keep(single_ratings)
    return _plan(_checked(df), lambda r: lambda w: k.fleiss_parts(r, w, keep_single=keep))


def _plan_conger(df: pd.DataFrame) -> _Plan:
    r = _checked(df)
    if not isinstance(r, str):
        # A coder who rated nothing has no category shares; leave that column out.
        active = (r.codes >= 0).any(axis=0)
        if active.sum() < 2:
            return _Plan(0, None, k.ONE_CODER)
        r = k.Ratings(r.codes[:, active], r.categories, r.values)
    return _plan(r, lambda r: lambda w: k.conger_parts(r, w), per_category=True)


def _plan_bp(df: pd.DataFrame, categories: Categories = None) -> _Plan:
    def make(r: k.Ratings) -> Callable[[k.FloatArray], k.Parts]:
        q = _resolve_q(r, categories, False)
        return lambda w: k.brennan_prediger_parts(r, w, q)

    return _plan(_checked(df), make)


def _plan_ac1(
    df: pd.DataFrame, categories: Categories = None, single_ratings: SingleRatings = "keep"
) -> _Plan:
    keep = _keep(single_ratings)

    def make(r: k.Ratings) -> Callable[[k.FloatArray], k.Parts]:
        q = _resolve_q(r, categories, keep)
        return lambda w: k.gwet_ac1_parts(r, w, q, keep_single=keep)

    return _plan(_checked(df), make)


def _plan_alpha(df: pd.DataFrame, level: Level = "nominal") -> _Plan:
    if level not in k.LEVELS:
        raise UsageError(f"level must be one of {', '.join(k.LEVELS)}; got {level!r}")
    r = _checked(df, numeric=level != "nominal")
    if (
        level == "ratio"
        and not isinstance(r, str)
        and r.values is not None
        and (r.values < 0).any()
    ):
        raise UsageError("ratio alpha needs values on a scale with a true zero; found negatives")
    return _plan(r, lambda r: lambda w: k.krippendorff_parts(r, w, level), per_category=True)


def _point(plan: _Plan) -> Estimate:
    if plan.evaluate is None:
        return Estimate.undefined(plan.reason or "undefined")
    parts = plan.evaluate(np.ones((1, plan.n_units)))
    value = float(parts.values()[0])
    return Estimate(value, parts.reason[0])


def percent_agreement(df: pd.DataFrame) -> Estimate:
    """Share of agreeing coder pairs per unit, averaged over units rated by two or more coders.

    With two coders this is the share of units on which they gave the same label. It is a
    proportion (0 to 1), not corrected for chance.
    """
    return _point(_plan_percent(df))


def cohen_kappa(df: pd.DataFrame) -> Estimate:
    """Cohen's (1960) kappa for exactly two coders; units either coder skipped are dropped.

    kappa = (p_o - p_e) / (1 - p_e), p_e = sum_k p_k(coder 1) * p_k(coder 2).
    """
    return _point(_plan_cohen(df))


def scott_pi(df: pd.DataFrame) -> Estimate:
    """Scott's (1955) pi for exactly two coders: chance from the coders' pooled label shares."""
    return _point(_plan_scott(df))


def fleiss_kappa(df: pd.DataFrame, *, single_ratings: SingleRatings = "keep") -> Estimate:
    """Fleiss' (1971) kappa for two or more coders, p_e = sum_k pi_k^2.

    Unequal numbers of ratings per unit follow Gwet's generalisation (see the module docstring):
    units rated once count in pi_k as in Gwet (2014) and irrCAC; `single_ratings="drop"` leaves
    them out.
    """
    return _point(_plan_fleiss(df, single_ratings))


def conger_kappa(df: pd.DataFrame) -> Estimate:
    """Conger's (1980) kappa for two or more coders; Cohen's kappa when two coders rate all units.

    Chance agreement averages the Cohen-type chance agreement of every pair of coders, each
    coder's category shares taken over the units that coder rated (Gwet 2014, irrCAC's
    conger.kappa.raw); observed agreement is that of Fleiss' kappa.
    """
    return _point(_plan_conger(df))


def brennan_prediger(df: pd.DataFrame, categories: Categories = None) -> Estimate:
    """Brennan and Prediger's (1981) coefficient: chance agreement 1/q for q categories.

    q is the number of labels in the data unless `categories` gives the possible labels (or
    their number); for present/absent coding pass `categories=[0, 1]` (or 2). This is the
    coefficient statsmodels calls Randolph's free-marginal kappa.
    """
    return _point(_plan_bp(df, categories))


def gwet_ac1(
    df: pd.DataFrame, categories: Categories = None, *, single_ratings: SingleRatings = "keep"
) -> Estimate:
    """Gwet's (2008) AC1: p_e = sum_k pi_k (1 - pi_k) / (q - 1), q as for brennan_prediger.

    Units rated once count in pi_k as in Gwet (2014) and irrCAC; `single_ratings="drop"`
    leaves them out.
    """
    return _point(_plan_ac1(df, categories, single_ratings))


def krippendorff_alpha(df: pd.DataFrame, level: Level = "nominal") -> Estimate:
    """Krippendorff's alpha from the coincidence matrix; missing values allowed.

    `level` is "nominal", "ordinal", "interval" or "ratio"; the last three need numeric labels
    (ordinal uses only their order; ratio needs non-negative values).
    """
    return _point(_plan_alpha(df, level))


_PLANS: dict[Callable[..., float], Callable[..., _Plan]] = {
    percent_agreement: _plan_percent,
    cohen_kappa: _plan_cohen,
    scott_pi: _plan_scott,
    fleiss_kappa: _plan_fleiss,
    conger_kappa: _plan_conger,
    brennan_prediger: _plan_bp,
    gwet_ac1: _plan_ac1,
    krippendorff_alpha: _plan_alpha,
}


def bootstrap_ci(
    df: pd.DataFrame,
    statistic: Callable[..., float],
    *,
    draws: int = 1000,
    seed: int = 0,
    level: float = 0.95,
    **kwargs: Any,
) -> Interval:
    """Percentile bootstrap interval for `statistic(df, **kwargs)`, resampling units.

    Units (rows) are drawn with replacement `draws` times from a `numpy.random.Generator` seeded
    with `seed`, so the same call gives the same interval. Resamples on which the statistic is
    undefined are dropped; `Interval.dropped` says how many. For the coefficients of this module
    each resample is a row of unit weights and all resamples are evaluated together from
    per-unit counts; any other callable is evaluated once per resample on `df.iloc[rows]`.
    Labels and the number of categories are those of the full data in every resample.

    `level` is the coverage of the interval; give Krippendorff's alpha its level of measurement
    with `functools.partial(krippendorff_alpha, level="ordinal")`.
    """
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 1:
        raise UsageError(f"draws must be a positive whole number, not {draws!r}")
    if isinstance(level, str):
        raise UsageError(
            f"level= is the interval's coverage (e.g. 0.95), not {level!r}; for alpha's level "
            f"of measurement pass functools.partial(krippendorff_alpha, level={level!r})"
        )
    if not 0 < level < 1:
        raise UsageError(f"level must be between 0 and 1 (e.g. 0.95), not {level!r}")
    rng = np.random.default_rng(seed)
    if isinstance(statistic, functools.partial) and not statistic.args:
        # partial(krippendorff_alpha, level="ordinal") is how alpha's level reaches us, since
        # `level` here is the coverage; unwrapping keeps the fast path.
        kwargs = {**statistic.keywords, **kwargs}
        statistic = statistic.func
    plan_maker = _PLANS.get(statistic)
    if plan_maker is not None:
        plan = plan_maker(df, **kwargs)
        if plan.evaluate is None:
            return Interval(
                math.nan, math.nan, draws=draws, dropped=draws, level=level, reason=plan.reason
            )
        values = _weighted_draws(plan, draws, rng)
    else:
        if not isinstance(df, pd.DataFrame):
            raise UsageError("bootstrap_ci resamples the rows of a pandas DataFrame")
        n = len(df)
        if n == 0:
            return Interval(
                math.nan, math.nan, draws=draws, dropped=draws, level=level, reason=k.NO_UNITS
            )
        rows = rng.integers(0, n, size=(draws, n))
        values = np.array([float(statistic(df.iloc[r], **kwargs)) for r in rows])
    kept = values[~np.isnan(values)]
    dropped = int(draws - kept.size)
    if kept.size == 0:
        return Interval(
            math.nan,
            math.nan,
            draws=draws,
            dropped=dropped,
            level=level,
            reason="the statistic was undefined on every resample",
        )
    tail = (1 - level) / 2
    low, high = np.quantile(kept, [tail, 1 - tail])
    return Interval(low, high, draws=draws, dropped=dropped, level=level)


def _weighted_draws(plan: _Plan, draws: int, rng: np.random.Generator) -> k.FloatArray:
    """Evaluate the plan on `draws` resamples, each a row of multinomial unit weights."""
    assert plan.evaluate is not None
    n = plan.n_units
    # Chunks bound memory for long tables (a chunk is chunk x n weights); the chunk size depends
    # only on the data, so a given seed always yields the same resamples.
    chunk = max(1, min(draws, 2_000_000 // max(n * plan.width, 1)))
    out: list[k.FloatArray] = []
    for start in range(0, draws, chunk):
        size = min(chunk, draws - start)
        rows = rng.integers(0, n, size=(size, n))
        out.append(plan.evaluate(_counts(rows, n)).values())
    return np.concatenate(out)


def _counts(rows: np.ndarray[Any, np.dtype[np.int64]], n: int) -> k.FloatArray:
    """How often each unit occurs in each resample: (draws, n) multinomial counts."""
    size = rows.shape[0]
    flat = (np.arange(size, dtype=np.int64)[:, None] * n + rows).ravel()
    return np.bincount(flat, minlength=size * n).reshape(size, n).astype(np.float64)
