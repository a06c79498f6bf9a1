"""Gwet's analytic standard errors and confidence intervals, beside the bootstrap.

Gwet (2014, Handbook of Inter-Rater Reliability, 4th ed.; his irrCAC package) linearises each
coefficient into one term per unit and takes the variance of those terms. With n units,

    var = (1 - f) / (n (n - 1)) * sum_i (kappa*_i - kappa)^2,

where kappa*_i is unit i's contribution corrected for the chance agreement the unit itself
brings, and f = n / N the sampling fraction when the units are drawn from a finite population
of N (none by default). The interval is kappa -/+ t_{n-1} * se, its upper end capped at 1, as
irrCAC prints it. Two-coder statistics given as a contingency table in Gwet's book (Cohen's
kappa, Scott's pi) use his table formulas on the units both coders rated, which for Cohen's
kappa is the large-sample variance of Fleiss, Cohen and Everitt (1969).

Only identity (nominal) weights are covered; for ordinal or interval alpha use the bootstrap.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from coder.agreement import _kernels as k
from coder.agreement.coefficients import (
    Categories,
    _checked,
    _keep,
    _resolve_q,
    brennan_prediger,
    cohen_kappa,
    conger_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    scott_pi,
)
from coder.agreement.estimate import AnalyticInterval
from coder.errors import UsageError

# A unit's linearised terms, the coefficient, the units behind it, and the t degrees of freedom.
_Terms = tuple[k.FloatArray, float, int, int]


def _base(r: k.Ratings, keep_single: bool) -> k.Ratings:
    """The units the coefficient is computed on: rated at least once (or twice)."""
    per_unit = r.ratings_per_unit
    return k.Ratings(r.codes[per_unit >= (1 if keep_single else 2)], r.categories, r.values)


def _agreement(r: k.Ratings) -> tuple[k.FloatArray, k.BoolArray, float, int]:
    """Per-unit pairwise agreement, which units have two ratings, p_a and how many do."""
    counts, per_unit = r.counts, r.ratings_per_unit
    pairable = per_unit >= 2
    agree = np.zeros(r.n)
    c, m = counts[pairable], per_unit[pairable]
    agree[pairable] = (c * (c - 1)).sum(axis=1) / (m * (m - 1))
    n2 = int(pairable.sum())
    return agree, pairable, float(agree[pairable].sum() / n2) if n2 else math.nan, n2


def _shares(r: k.Ratings) -> k.FloatArray:
    """Each unit's share of ratings in each category, r_ik / r_i."""
    return r.counts / np.maximum(r.ratings_per_unit, 1)[:, None]


def _chance_corrected(
    r: k.Ratings, pe: float, pe_unit: k.FloatArray | None
) -> tuple[k.FloatArray, float]:
    """Gwet's kappa*_i for a coefficient of the form (p_a - p_e) / (1 - p_e)."""
    agree, pairable, pa, n2 = _agreement(r)
    value = (pa - pe) / (1 - pe)
    terms = (r.n / n2) * (agree - pe * pairable) / (1 - pe)
    if pe_unit is not None:
        terms = terms - 2 * (1 - value) * (pe_unit - pe) / (1 - pe)
    return terms, value


def _percent_terms(r: k.Ratings) -> _Terms:
    agree, _, pa, n2 = _agreement(r)
    return (r.n / n2) * agree, pa, r.n, r.n - 1


def _fleiss_terms(r: k.Ratings) -> _Terms:
    pi = _shares(r).mean(axis=0)
    pe = float((pi**2).sum())
    terms, value = _chance_corrected(r, pe, _shares(r) @ pi)
    return terms, value, r.n, r.n - 1


def _ac1_terms(r: k.Ratings, q: int) -> _Terms:
    pi = _shares(r).mean(axis=0)
    pe = float((pi * (1 - pi)).sum() / (q - 1))
    terms, value = _chance_corrected(r, pe, (_shares(r) @ (1 - pi)) / (q - 1))
    return terms, value, r.n, r.n - 1


def _bp_terms(r: k.Ratings, q: int) -> _Terms:
    terms, value = _chance_corrected(r, 1.0 / q, None)
    return terms, value, r.n, r.n - 1


def _conger_terms(r: k.Ratings) -> _Terms:
    """Conger's kappa, with irrCAC's conger.kappa.raw linearisation of the chance agreement."""
    active = (r.codes >= 0).any(axis=0)
    codes = r.codes[:, active]
    n, m, q = codes.shape[0], codes.shape[1], r.q
    rated = (codes >= 0).astype(np.float64)  # epsilon_ig
    delta = (codes[:, :, None] == np.arange(q)[None, None, :]).astype(np.float64)  # (n, m, q)
    n_g = rated.sum(axis=0)  # units each coder rated
    p = delta.sum(axis=0) / n_g[:, None]  # (m, q) coder g's share in category k
    p_mean = p.mean(axis=0)
    pe = float(((m * p_mean) ** 2 - (p**2).sum(axis=0)).sum() / (m * (m - 1)))
    lam = (delta - (rated - n_g / n)[:, :, None] * p[None, :, :]) * (n / n_g)[None, :, None]
    pe_unit = (lam * (m * p_mean[None, None, :] - p[None, :, :])).sum(axis=(1, 2)) / (m * (m - 1))
    terms, value = _chance_corrected(r, pe, pe_unit)
    return terms, value, r.n, r.n - 1


def _alpha_terms(r: k.Ratings) -> _Terms:
    """Krippendorff's alpha (nominal) as irrCAC's krippen.alpha.raw linearises it."""
    rows = r.n
    pairable = r.ratings_per_unit >= 2
    counts, per_unit = r.counts[pairable], r.ratings_per_unit[pairable]
    n = int(pairable.sum())
    mean_r = float(per_unit.mean())
    eps = 1.0 / float(per_unit.sum())
    agree = (counts * (counts - 1)).sum(axis=1)
    pa_prime = float((agree / (mean_r * (per_unit - 1))).sum() / n)
    pa = (1 - eps) * pa_prime + eps
    pi = counts.sum(axis=0) / (n * mean_r)
    pe = float((pi**2).sum())
    value = (pa - pe) / (1 - pe)
    prime = (pa_prime - pe) / (1 - pe)
    pa_unit = agree / (mean_r * (per_unit - 1)) - pa * (per_unit - mean_r) / mean_r
    pe_unit = counts @ pi / mean_r - pe * (per_unit - mean_r) / mean_r
    terms = (pa_unit - pe) / (1 - pe) - 2 * (1 - prime) * (pe_unit - pe) / (1 - pe)
    # The variance is centred on alpha' (alpha without the small-sample term), as in irrCAC.
    return terms - prime + value, value, n, rows - 1


def _table(r: k.Ratings) -> tuple[k.FloatArray, int]:
    complete = (r.codes >= 0).all(axis=1)
    cells = r.codes[complete, 0] * r.q + r.codes[complete, 1]
    n = int(complete.sum())
    return np.bincount(cells, minlength=r.q * r.q).reshape(r.q, r.q) / max(n, 1), n


def _two_coder_variance(r: k.Ratings, chance: str) -> tuple[float, float, int]:
    """Gwet's contingency-table variance of Cohen's kappa or Scott's pi (identity weights)."""
    p, n = _table(r)
    rows, cols = p.sum(axis=1), p.sum(axis=0)
    pa = float(np.trace(p))
    if chance == "cohen":
        pe = float(rows @ cols)
        left, right = cols, rows  # p_{+k} for the row category, p_{l+} for the column one
    else:
        pi = (rows + cols) / 2
        pe = float(pi @ pi)
        left = right = pi
    value = (pa - pe) / (1 - pe)
    weight = np.eye(r.q) - (1 - value) * (left[:, None] + right[None, :])
    total = float((p * weight**2).sum())
    variance = (total - (pa - 2 * (1 - value) * pe) ** 2) / (n * (1 - pe) ** 2)
    return max(variance, 1e-100), value, n


def _terms_for(
    statistic: Callable[..., float], r: k.Ratings, kwargs: dict[str, Any]
) -> _Terms | None:
    keep = _keep(kwargs.pop("single_ratings", "keep"))
    categories: Categories = kwargs.pop("categories", None)
    if kwargs:
        raise UsageError(f"{statistic.__name__} takes no option(s) {', '.join(kwargs)} here")
    if statistic is percent_agreement:
        return _percent_terms(_base(r, True))
    if statistic is fleiss_kappa:
        return _fleiss_terms(_base(r, keep))
    if statistic is gwet_ac1:
        base = _base(r, keep)
        return _ac1_terms(base, _resolve_q(base, categories, keep))
    if statistic is brennan_prediger:
        base = _base(r, True)
        return _bp_terms(base, _resolve_q(base, categories, False))
    if statistic is conger_kappa:
        return _conger_terms(_base(r, True))
    return None


def _undefined(level: float, reason: str) -> AnalyticInterval:
    return AnalyticInterval(math.nan, math.nan, se=math.nan, level=level, units=0, reason=reason)


def analytic_ci(
    df: pd.DataFrame,
    statistic: Callable[..., float],
    *,
    level: float = 0.95,
    population: int | None = None,
    **kwargs: Any,
) -> AnalyticInterval:
    """Gwet's analytic standard error and t interval for `statistic(df, **kwargs)`.

    `statistic` is one of percent_agreement, cohen_kappa, scott_pi, conger_kappa, fleiss_kappa,
    brennan_prediger, gwet_ac1 or krippendorff_alpha (nominal). Options reach it as for the
    coefficient itself (`categories=`, `single_ratings=`). `population` is the number of units
    the sample was drawn from, for the finite population correction. The result unpacks as
    `(low, high)` and carries `se`, `level`, `units` and, when it is NaN, `reason`.
    """
    if isinstance(level, str):
        raise UsageError(
            f"level= is the interval's coverage (e.g. 0.95), not {level!r}; the analytic "
            "interval of alpha is for nominal data, so use bootstrap_ci with "
            f"functools.partial(krippendorff_alpha, level={level!r})"
        )
    if not 0 < level < 1:
        raise UsageError(f"level is the interval's coverage between 0 and 1, not {level!r}")
    if isinstance(statistic, functools.partial) and not statistic.args:
        kwargs = {**statistic.keywords, **kwargs}
        statistic = statistic.func
    if population is not None and (isinstance(population, bool) or population < 1):
        raise UsageError(f"population is a number of units, not {population!r}")
    names: dict[Callable[..., float], str] = {cohen_kappa: "Cohen's kappa", scott_pi: "Scott's pi"}
    two = names.get(statistic)
    supported = (percent_agreement, fleiss_kappa, gwet_ac1, brennan_prediger, conger_kappa)
    if statistic is krippendorff_alpha and kwargs.pop("level", "nominal") != "nominal":
        raise UsageError("the analytic interval of alpha is for nominal data; use bootstrap_ci")
    if two is None and statistic not in (*supported, krippendorff_alpha):
        raise UsageError(
            "analytic_ci covers percent_agreement, cohen_kappa, scott_pi, conger_kappa, "
            "fleiss_kappa, brennan_prediger, gwet_ac1 and krippendorff_alpha; use bootstrap_ci "
            "for anything else"
        )
    point = statistic(df, **kwargs)
    if math.isnan(point):
        return _undefined(level, getattr(point, "reason", None) or "undefined")
    r = _checked(df, two=two)
    assert not isinstance(r, str)  # the point estimate would have been undefined
    if two is not None:
        variance, _, n = _two_coder_variance(r, "cohen" if statistic is cohen_kappa else "scott")
        dof = n - 1
    else:
        made = (
            _alpha_terms(_base(r, False))
            if statistic is krippendorff_alpha
            else _terms_for(statistic, r, dict(kwargs))
        )
        assert made is not None
        terms, value, n, dof = made
        variance = float(((terms - value) ** 2).sum() / (n * (n - 1))) if n >= 2 else math.nan
    if n < 2 or math.isnan(variance):
        return _undefined(level, "fewer than two units, so the variance cannot be estimated")
    fraction = 0.0 if population is None else (dof + 1) / population
    se = math.sqrt((1 - fraction) * variance)
    # The t quantile from scipy.special: scipy.stats takes seconds to import.
    from scipy.special import stdtrit

    half = se * float(stdtrit(dof, 1 - (1 - level) / 2))
    return AnalyticInterval(
        float(point) - half, min(1.0, float(point) + half), se=se, level=level, units=n
    )
