"""Bootstrap intervals for the agreement table: per code with `bootstrap_ci`, and for the
pooled coefficient by resampling the same units for every code at once (all codes are rated on
the same units, so a resample of units is one resample of the whole table).

Pooling follows the agreement tables (de Vries et al. 2008): observed and chance agreement are
averaged over codes and the coefficient is formed from the averages. Intervals are for two
coders and Cohen's kappa or Krippendorff's alpha (nominal), the coefficients a methods section
usually reports.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from coder.agreement.coefficients import bootstrap_ci, cohen_kappa, krippendorff_alpha
from coder.errors import UsageError

COEFFICIENTS = {"cohen_kappa": cohen_kappa, "krippendorff_alpha": krippendorff_alpha}
POOLED = "(pooled)"


def intervals(
    table: pd.DataFrame,
    coefficient: str = "cohen_kappa",
    *,
    draws: int = 1000,
    seed: int = 0,
    level: float = 0.95,
) -> pd.DataFrame:
    """`table` is `unit_table(...)` for two coders: index (code, document, unit), 0/1 columns.
    Returns code, low, high, draws, dropped, with a last row for the pooled coefficient."""
    if coefficient not in COEFFICIENTS:
        raise UsageError(f"intervals are for {', '.join(COEFFICIENTS)}, not {coefficient!r}")
    if table.shape[1] != 2:
        raise UsageError("intervals are computed for two coders")
    statistic = COEFFICIENTS[coefficient]
    rows = []
    codes: list[Any] = list(dict.fromkeys(table.index.get_level_values("code")))
    for code in codes:
        found = bootstrap_ci(
            table.loc[code].reset_index(drop=True),
            statistic,
            draws=draws,
            seed=seed,
            level=level,
        )
        rows.append((code, found.low, found.high, draws, found.dropped))
    low, high, dropped = _pooled(table, codes, coefficient, draws, seed, level)
    rows.append((POOLED, low, high, draws, dropped))
    return pd.DataFrame(rows, columns=["code", "low", "high", "draws", "dropped"])


def _pooled(
    table: pd.DataFrame, codes: list[Any], coefficient: str, draws: int, seed: int, level: float
) -> tuple[float, float, int]:
    # a[c, u], b[c, u]: the two coders' marks of code c on unit u (the same units for all codes).
    a = np.stack([table.loc[c].iloc[:, 0].to_numpy(dtype=float) for c in codes])
    b = np.stack([table.loc[c].iloc[:, 1].to_numpy(dtype=float) for c in codes])
    n = a.shape[1]
    if n == 0 or not codes:
        return math.nan, math.nan, draws
    rng = np.random.default_rng(seed)
    values = np.empty(draws)
    for i in range(draws):
        pick = rng.integers(0, n, size=n)
        values[i] = pooled(a[:, pick], b[:, pick], coefficient)
    kept = values[~np.isnan(values)]
    if kept.size == 0:
        return math.nan, math.nan, draws
    tail = (1 - level) / 2
    low, high = np.quantile(kept, [tail, 1 - tail])
    return float(low), float(high), int(draws - kept.size)


def pooled(a: np.ndarray, b: np.ndarray, coefficient: str) -> float:
    """The pooled coefficient of codes x units 0/1 arrays for two coders."""
    pa, pb = a.mean(axis=1), b.mean(axis=1)
    observed = (a == b).mean(axis=1)
    if coefficient == "cohen_kappa":
        chance = pa * pb + (1 - pa) * (1 - pb)
    else:
        # Nominal alpha for two coders and no missing ratings: 1 - D_o / D_e with the
        # coincidence margins; as p_o, p_e it is observed = 1 - D_o, chance = 1 - D_e.
        m = 2 * a.shape[1]
        ones = (a.sum(axis=1) + b.sum(axis=1)) / m
        chance = 1 - 2 * ones * (1 - ones) * m / (m - 1)
    p_o, p_e = observed.mean(), chance.mean()
    return math.nan if p_e >= 1 else float((p_o - p_e) / (1 - p_e))
