"""Confidence intervals for the coefficients of the agreement tables, per code and pooled.

Each code's units x coders table (present/absent, from `unit_table`) gets an interval for each
coefficient asked for, by one of two methods:

- "analytic": Gwet's (2014) linearised standard error and t interval (`analytic_ci`), the
  interval his irrCAC package prints. The pooled coefficient has none: its variance would
  need the covariances between codes, which Gwet's formulas do not give.
- "bootstrap": percentile intervals from resampling units. Every code is coded on the same
  units, so one resample of units is one resample of the whole study: each resample gives
  every code's coefficient and the pooled one (de Vries et al. 2008) together, and the pooled
  interval reflects how codes co-vary. A resample is a multinomial draw of n units out of n
  from `numpy.random.default_rng(seed)`; the same seed gives the same intervals.

Both treat units as independent. Character units are not: neighbouring characters are coded
together, so an interval over characters would be far too narrow, and none is given (each row
says so).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from coder.agreement import _kernels as k
from coder.agreement._inputs import UnitKind
from coder.agreement._statistics import _parts
from coder.agreement.analytic import analytic_ci
from coder.agreement.coefficients import (
    brennan_prediger,
    cohen_kappa,
    conger_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    scott_pi,
)
from coder.agreement.units import unit_table
from coder.errors import UsageError

Method = Literal["analytic", "bootstrap"]
METHODS: tuple[Method, ...] = ("analytic", "bootstrap")
POOLED = "(pooled)"

STATISTICS: dict[str, Callable[..., float]] = {
    "percent_agreement": percent_agreement,
    "cohen_kappa": cohen_kappa,
    "scott_pi": scott_pi,
    "conger_kappa": conger_kappa,
    "fleiss_kappa": fleiss_kappa,
    "brennan_prediger": brennan_prediger,
    "gwet_ac1": gwet_ac1,
    "krippendorff_alpha": krippendorff_alpha,
}
# Present/absent: two possible categories even where a code's units show only one.
BINARY: dict[str, dict[str, Any]] = {
    "brennan_prediger": {"categories": [0, 1]},
    "gwet_ac1": {"categories": [0, 1]},
}
CHARACTERS = (
    "no interval over character units: neighbouring characters are coded together, not "
    "independently, so any interval would be far too narrow"
)
NO_POOLED = (
    "no analytic interval for the pooled coefficient (it would need the covariances between "
    "codes); use the bootstrap"
)
UNDEFINED = "the coefficient was undefined on every resample"
TWO_ONLY = "defined for two coders only"
COLUMNS = [
    "code",
    "coefficient",
    "estimate",
    "low",
    "high",
    "se",
    "method",
    "level",
    "units",
    "draws",
    "dropped",
    "notes",
]


def shown_coefficients(n_coders: int) -> tuple[str, ...]:
    """The coefficients the agreement tables show: Cohen's kappa for two coders (Conger's
    for more), Krippendorff's alpha and Gwet's AC1."""
    kappa = "cohen_kappa" if n_coders == 2 else "conger_kappa"
    return (kappa, "krippendorff_alpha", "gwet_ac1")


def interval_table(
    codings: pd.DataFrame,
    units: pd.DataFrame | None,
    coders: Sequence[Hashable],
    codes: Iterable[Hashable] | None = None,
    unit_kind: UnitKind = "segment",
    *,
    method: Method = "analytic",
    level: float = 0.95,
    coefficients: Sequence[str] | None = None,
    draws: int = 1000,
    seed: int = 0,
    min_share: float = 0.0,
    documents: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per code and coefficient, then the pooled rows (`code` "(pooled)").

    Columns: `estimate` (as in the agreement table), `low`, `high`, `se` (analytic only),
    `method`, `level`, `units`, `draws` and `dropped` (bootstrap resamples, and those left
    out because the coefficient was undefined on them), `notes` (why an interval is NaN).
    Inputs as for `agreement_table`; `coefficients` are column names of that table (default:
    `shown_coefficients`).
    """
    if method not in METHODS:
        raise UsageError(f"method must be one of {', '.join(METHODS)}; got {method!r}")
    if not 0 < level < 1:
        raise UsageError(f"level is the interval's coverage between 0 and 1, not {level!r}")
    chosen = list(coefficients or shown_coefficients(len(list(coders))))
    unknown = [c for c in chosen if c not in STATISTICS]
    if unknown:
        raise UsageError(
            f"no interval for {', '.join(unknown)}; choose from {', '.join(STATISTICS)}"
        )
    if unit_kind == "character":
        found = list(codes) if codes is not None else sorted(set(codings["code"]))
        blank = {"estimate": math.nan, "low": math.nan, "high": math.nan, "se": math.nan}
        rows = [
            {"code": code, "coefficient": name, **blank, "method": method, "level": level}
            | {"units": 0, "draws": 0, "dropped": 0, "notes": CHARACTERS}
            for code in [*found, POOLED]
            for name in chosen
        ]
        return pd.DataFrame(rows, columns=COLUMNS)
    table = unit_table(
        codings, units, coders, codes, unit_kind, min_share=min_share, documents=documents
    )
    if method == "analytic":
        rows = [
            _analytic(code, name, table.loc[code], level)
            for code in pd.unique(table.index.get_level_values("code"))
            for name in chosen
        ]
        blank = {"estimate": math.nan, "low": math.nan, "high": math.nan, "se": math.nan}
        rows += [
            {"code": POOLED, "coefficient": name, **blank, "method": method, "level": level}
            | {"units": 0, "draws": 0, "dropped": 0, "notes": NO_POOLED}
            for name in chosen
        ]
        return pd.DataFrame(rows, columns=COLUMNS)
    return _bootstrap(table, chosen, level, draws, seed)


def _analytic(code: Hashable, name: str, ratings: pd.DataFrame, level: float) -> dict[str, object]:
    statistic, options = STATISTICS[name], BINARY.get(name, {})
    found = analytic_ci(ratings, statistic, level=level, **options)
    return {
        "code": code,
        "coefficient": name,
        "estimate": float(statistic(ratings, **options)),
        "low": float(found.low),
        "high": float(found.high),
        "se": found.se,
        "method": "analytic",
        "level": level,
        "units": found.units,
        "draws": 0,
        "dropped": 0,
        "notes": found.reason or "",
    }


def _patterns(table: pd.DataFrame) -> tuple[list[Hashable], k.IntArray, k.IntArray]:
    """Codes, the distinct coder patterns (bit masks; 0 first) and each (code, unit)'s
    pattern as a column index, shape (codes, units)."""
    codes = list(pd.unique(table.index.get_level_values("code")))
    m = table.shape[1]
    masks = (table.to_numpy(np.int64) << np.arange(m)).sum(axis=1).reshape(len(codes), -1)
    patterns, where = np.unique(np.concatenate(([0], masks.ravel())), return_inverse=True)
    return codes, patterns.astype(np.int64), where[1:].reshape(masks.shape)


def _coefficients(
    weights: k.FloatArray, patterns: k.IntArray, m: int, chosen: list[str]
) -> tuple[dict[str, k.FloatArray], dict[str, k.FloatArray]]:
    """Per code and pooled values of each coefficient, for weights of shape (B, codes,
    patterns): ({name: (B, codes)}, {name: (B,)})."""
    batch, n_codes, width = weights.shape
    parts = _parts(weights.reshape(batch * n_codes, width), patterns, m)
    per_code, pooled = {}, {}
    for name in chosen:
        if name not in parts:  # Cohen's kappa and Scott's pi with more than two coders
            per_code[name] = np.full((batch, n_codes), np.nan)
            pooled[name] = np.full(batch, np.nan)
            continue
        found = parts[name]
        per_code[name] = found.values().reshape(batch, n_codes)
        n = found.n.reshape(batch, n_codes)
        usable = n > 0
        total = np.where(usable, n, 0.0).sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            po = np.where(usable, found.po.reshape(batch, n_codes) * n, 0.0).sum(axis=1) / total
            pe = np.where(usable, found.pe.reshape(batch, n_codes) * n, 0.0).sum(axis=1) / total
            value = (po - pe) / (1 - pe)
        # As k.pool: undefined with nothing to compare or with no variation at all.
        pooled[name] = np.where((total > 0) & (np.abs(1 - pe) >= 1e-12), value, np.nan)
    return per_code, pooled


def _bootstrap(
    table: pd.DataFrame, chosen: list[str], level: float, draws: int, seed: int
) -> pd.DataFrame:
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 1:
        raise UsageError(f"draws must be a positive whole number, not {draws!r}")
    codes, patterns, where = _patterns(table)
    m, n_units = table.shape[1], where.shape[1]
    onehot = [(where == p).astype(np.float64) for p in range(patterns.size)]  # (codes, units)

    def weigh(w: k.FloatArray) -> k.FloatArray:
        """(B, units) unit weights -> (B, codes, patterns) pattern weights."""
        return np.stack([w @ hot.T for hot in onehot], axis=2)

    full, full_pooled = _coefficients(weigh(np.ones((1, n_units))), patterns, m, chosen)
    rng = np.random.default_rng(seed)
    chunk = max(1, min(draws, 4_000_000 // max(n_units * max(len(codes), 1), 1)))
    per_code: dict[str, list[k.FloatArray]] = {name: [] for name in chosen}
    pooled: dict[str, list[k.FloatArray]] = {name: [] for name in chosen}
    done = 0
    while done < draws and n_units:
        size = min(chunk, draws - done)
        w = rng.multinomial(n_units, np.full(n_units, 1.0 / n_units), size=size)
        values, summary = _coefficients(weigh(w.astype(np.float64)), patterns, m, chosen)
        for name in chosen:
            per_code[name].append(values[name])
            pooled[name].append(summary[name])
        done += size
    if not n_units:
        per_code = {name: [np.full((draws, len(codes)), np.nan)] for name in chosen}
        pooled = {name: [np.full(draws, np.nan)] for name in chosen}
    resampled = {name: np.concatenate(per_code[name], axis=0) for name in chosen}
    rows = [
        _row(code, name, full[name][0, i], resampled[name][:, i], level, n_units, m)
        for i, code in enumerate(codes)
        for name in chosen
    ]
    rows += [
        _row(POOLED, name, full_pooled[name][0], np.concatenate(pooled[name]), level, n_units, m)
        for name in chosen
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


def _row(
    code: Hashable,
    name: str,
    estimate: float,
    values: k.FloatArray,
    level: float,
    units: int,
    m: int,
) -> dict[str, object]:
    kept = values[~np.isnan(values)]
    tail = (1 - level) / 2
    low, high = np.quantile(kept, [tail, 1 - tail]) if kept.size else (math.nan, math.nan)
    note = ""
    if name in ("cohen_kappa", "scott_pi") and m != 2:
        note = TWO_ONLY
    elif not kept.size:
        note = UNDEFINED
    return {
        "code": code,
        "coefficient": name,
        "estimate": float(estimate),
        "low": float(low),
        "high": float(high),
        "se": math.nan,
        "method": "bootstrap",
        "level": level,
        "units": units,
        "draws": int(values.size),
        "dropped": int(values.size - kept.size),
        "notes": note,
    }
