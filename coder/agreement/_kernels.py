"""Every coefficient as a function of a *weighted* unit table.

A study is reduced to `Ratings` (one row per unit, one column per coder, category indices) and a
weight matrix `W` of shape (B, n): row b says how many times each unit counts. One row of ones is
the plain statistic; rows of multinomial counts are bootstrap resamples; rows of pattern counts
are many documents or codes at once (see units.py). Because every coefficient below is built from
sums over units, `W @ per_unit_quantity` gives all B versions in one matrix product, which is how
the bootstrap and the per-code tables avoid Python loops over units.

Each kernel returns `Parts`: observed agreement `po`, chance agreement `pe`, the number of units
(or pairable values) behind them, and a reason where the coefficient is undefined. The
coefficient is `(po - pe) / (1 - pe)`; Krippendorff's alpha fits the same form with
`po = 1 - D_o` and `pe = 1 - D_e`. Keeping the parts, not just the ratio, is what lets codes be
pooled the way de Vries et al. (2008) pool kappa.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
ObjectArray = npt.NDArray[np.object_]

NO_UNITS = "no units to compare"
ONE_CODER = "fewer than two coders, so there is no one to agree with"
NO_PAIRS = "no unit was rated by two or more coders, so there is nothing to compare"
NO_COMPLETE = "no unit was rated by both coders"
NO_VARIATION = (
    "no variation: every rating is in the same category, so agreement expected by chance is "
    "total and the coefficient is 0/0"
)
ONE_CATEGORY = (
    "only one category occurs and the number of possible categories is unknown; "
    "pass categories= to state it"
)

LEVELS = ("nominal", "ordinal", "interval", "ratio")


@dataclass(frozen=True)
class Ratings:
    """Units x coders as category indices (-1 = this coder did not rate this unit)."""

    codes: IntArray
    categories: tuple[Hashable, ...]
    values: FloatArray | None = None  # numeric value of each category, for ordered levels

    @property
    def n(self) -> int:
        return int(self.codes.shape[0])

    @property
    def m(self) -> int:
        return int(self.codes.shape[1])

    @property
    def q(self) -> int:
        return len(self.categories)

    @cached_property
    def counts(self) -> FloatArray:
        """(n, q): how many coders put unit i in category k."""
        rows = np.broadcast_to(np.arange(self.n)[:, None], self.codes.shape)
        rated = self.codes >= 0
        flat = rows[rated] * self.q + self.codes[rated]
        out = np.bincount(flat, minlength=self.n * self.q).astype(np.float64)
        return out.reshape(self.n, self.q)

    @cached_property
    def ratings_per_unit(self) -> FloatArray:
        return np.asarray(self.counts.sum(axis=1), dtype=np.float64)


@dataclass(frozen=True)
class Parts:
    """Observed and chance agreement for B weightings of the same units."""

    po: FloatArray
    pe: FloatArray
    n: FloatArray
    reason: ObjectArray

    def values(self) -> FloatArray:
        with np.errstate(divide="ignore", invalid="ignore"):
            out = (self.po - self.pe) / (1.0 - self.pe)
        out[self.reason != None] = np.nan  # noqa: E711 (elementwise on an object array)
        return out


def reasons(size: int, *rules: tuple[BoolArray, str]) -> ObjectArray:
    """An object array of reasons; where several rules hold, the first one listed wins."""
    out = np.full(size, None, dtype=object)
    for mask, text in reversed(rules):
        out[mask] = text
    return out


def weighted_bincount(weights: FloatArray, index: IntArray, size: int) -> FloatArray:
    """Row-wise `np.bincount(index, weights=weights[b], minlength=size)` in one call."""
    batch = weights.shape[0]
    flat = (np.arange(batch, dtype=np.int64)[:, None] * size + index[None, :]).ravel()
    out = np.bincount(flat, weights=weights.ravel(), minlength=batch * size)
    return np.asarray(out, dtype=np.float64).reshape(batch, size)


def _pairwise_agreement(r: Ratings) -> tuple[BoolArray, FloatArray]:
    """Which units have two or more ratings, and the share of coder pairs agreeing on each."""
    counts, per_unit = r.counts, r.ratings_per_unit
    pairable = per_unit >= 2
    agree = np.zeros(r.n)
    c, k = counts[pairable], per_unit[pairable]
    agree[pairable] = (c * (c - 1)).sum(axis=1) / (k * (k - 1))
    return pairable, agree


def percent_agreement_parts(r: Ratings, w: FloatArray) -> Parts:
    """Mean over units (with two or more ratings) of the share of coder pairs that agree."""
    pairable, agree = _pairwise_agreement(r)
    n = w @ pairable.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        po = (w @ agree) / n
    return Parts(po, np.zeros_like(po), n, reasons(len(n), (n == 0, NO_PAIRS)))


def _category_shares(
    r: Ratings, w: FloatArray, keep_single: bool
) -> tuple[FloatArray, FloatArray, IntArray]:
    """Gwet's pi_k: the mean over units of each unit's share of ratings in category k.

    Returns (pi, number of units behind pi, number of categories in use).
    """
    per_unit = r.ratings_per_unit
    base = per_unit >= (1 if keep_single else 2)
    shares = np.where(base[:, None], r.counts / np.maximum(per_unit, 1)[:, None], 0.0)
    n_base = w @ base.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        pi = (w @ shares) / n_base[:, None]
    in_use = ((w @ (r.counts * base[:, None])) > 0).sum(axis=1)
    return pi, n_base, in_use


def fleiss_parts(r: Ratings, w: FloatArray, *, keep_single: bool = False) -> Parts:
    """Fleiss' kappa in Gwet's form for unequal numbers of ratings per unit."""
    agreement = percent_agreement_parts(r, w)
    pi, _, in_use = _category_shares(r, w, keep_single)
    pe = (pi**2).sum(axis=1)
    why = reasons(len(pe), (agreement.n == 0, NO_PAIRS), (in_use < 2, NO_VARIATION))
    return Parts(agreement.po, pe, agreement.n, why)


def gwet_ac1_parts(r: Ratings, w: FloatArray, q: int, *, keep_single: bool = False) -> Parts:
    """Gwet's AC1: chance agreement is sum_k pi_k (1 - pi_k) / (q - 1)."""
    agreement = percent_agreement_parts(r, w)
    pi, _, _ = _category_shares(r, w, keep_single)
    pe = (pi * (1 - pi)).sum(axis=1) / (q - 1) if q >= 2 else np.ones_like(agreement.po)
    why = reasons(len(pe), (agreement.n == 0, NO_PAIRS), (np.full(len(pe), q < 2), ONE_CATEGORY))
    return Parts(agreement.po, pe, agreement.n, why)


def brennan_prediger_parts(r: Ratings, w: FloatArray, q: int) -> Parts:
    """Brennan and Prediger's coefficient: chance agreement is 1/q (uniform categories)."""
    agreement = percent_agreement_parts(r, w)
    pe = np.full_like(agreement.po, 1.0 / q if q >= 1 else 1.0)
    why = reasons(len(pe), (agreement.n == 0, NO_PAIRS), (np.full(len(pe), q < 2), ONE_CATEGORY))
    return Parts(agreement.po, pe, agreement.n, why)


def conger_parts(r: Ratings, w: FloatArray) -> Parts:
    """Conger's (1980) kappa: chance agreement averaged over the Cohen-type pairs of coders.

    Each coder's own category shares p_gk are taken over the units that coder rated (every
    unit with at least one rating counts, as in Gwet 2014 and irrCAC); chance agreement is the
    mean over ordered pairs of coders g != h of sum_k p_gk p_hk, which is
    sum_k ((sum_g p_gk)^2 - sum_g p_gk^2) / (m (m - 1)). Observed agreement is Fleiss'.
    """
    agreement = percent_agreement_parts(r, w)
    m, q = r.m, r.q
    rated = (r.codes >= 0).astype(np.float64)  # (n, m)
    index = np.where(r.codes >= 0, np.arange(m)[None, :] * q + r.codes, m * q)
    onehot = np.zeros((r.n, m * q + 1))
    np.put_along_axis(onehot, index, 1.0, axis=1)
    per_coder = (w @ onehot[:, : m * q]).reshape(-1, m, q)  # (B, m, q) ratings per category
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = per_coder / (w @ rated)[:, :, None]
    total = shares.sum(axis=1)
    pe = ((total**2) - (shares**2).sum(axis=1)).sum(axis=1) / (m * (m - 1))
    in_use = (per_coder.sum(axis=1) > 0).sum(axis=1)
    why = reasons(len(pe), (agreement.n == 0, NO_PAIRS), (in_use < 2, NO_VARIATION))
    return Parts(agreement.po, pe, agreement.n, why)


def _pair_table(r: Ratings, w: FloatArray) -> FloatArray:
    """(B, q, q) contingency table of coder 0 (rows) against coder 1, complete units only."""
    complete = (r.codes >= 0).all(axis=1)
    cell = r.codes[complete, 0] * r.q + r.codes[complete, 1]
    table = weighted_bincount(np.ascontiguousarray(w[:, complete]), cell, r.q * r.q)
    return table.reshape(-1, r.q, r.q)


def two_coder_parts(r: Ratings, w: FloatArray, *, chance: str) -> Parts:
    """Cohen's kappa (chance from each coder's own margins) or Scott's pi (pooled margins)."""
    table = _pair_table(r, w)
    n = table.sum(axis=(1, 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        po = np.trace(table, axis1=1, axis2=2) / n
        rows = table.sum(axis=2) / n[:, None]
        cols = table.sum(axis=1) / n[:, None]
    pe = (rows * cols).sum(axis=1) if chance == "cohen" else (((rows + cols) / 2) ** 2).sum(axis=1)
    # Both chance models reach 1 exactly when a single category is used by both coders.
    in_use = ((table.sum(axis=2) + table.sum(axis=1)) > 0).sum(axis=1)
    why = reasons(len(n), (n == 0, NO_COMPLETE), (in_use < 2, NO_VARIATION))
    return Parts(po, pe, n, why)


def _distances(level: str, values: FloatArray | None, totals: FloatArray) -> FloatArray:
    """Squared difference function delta^2(c, k), shape (B, q, q), after Krippendorff (2011)."""
    q = totals.shape[1]
    if level == "nominal":
        return np.broadcast_to(1.0 - np.eye(q), (totals.shape[0], q, q))
    assert values is not None
    if level == "interval":
        delta = (values[:, None] - values[None, :]) ** 2
        return np.broadcast_to(delta, (totals.shape[0], q, q))
    if level == "ratio":
        total = values[:, None] + values[None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            delta = np.where(total == 0, 0.0, ((values[:, None] - values[None, :]) / total) ** 2)
        return np.broadcast_to(delta, (totals.shape[0], q, q))
    # Ordinal: the distance between ranks c <= k is the number of pairable values from c to k,
    # less half of those at each end, so it depends on the (resampled) margins themselves.
    lo = np.minimum(np.arange(q)[:, None], np.arange(q)[None, :])
    hi = np.maximum(np.arange(q)[:, None], np.arange(q)[None, :])
    cum = np.cumsum(totals, axis=1)
    between = cum[:, hi] - cum[:, lo] + totals[:, lo]
    ends = (totals[:, lo] + totals[:, hi]) / 2
    return np.asarray((between - ends) ** 2, dtype=np.float64)


def krippendorff_parts(r: Ratings, w: FloatArray, level: str) -> Parts:
    """Krippendorff's alpha from the coincidence matrix (Krippendorff 2011, sections C-F).

    Each unit with m_u >= 2 values adds (n_uc n_uk - [c == k] n_uc) / (m_u - 1) to o_ck;
    units with one value are not pairable and add nothing.
    """
    counts, per_unit = r.counts, r.ratings_per_unit
    pairable = per_unit >= 2
    scaled = np.where(pairable[:, None], counts / np.maximum(per_unit - 1, 1)[:, None], 0.0)
    coincidences = np.einsum("bu,uc,uk->bck", w, scaled, counts, optimize=True)
    diagonal = w @ scaled
    idx = np.arange(r.q)
    coincidences[:, idx, idx] -= diagonal
    totals = coincidences.sum(axis=2)
    n = totals.sum(axis=1)
    delta = _distances(level, r.values, totals)
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = (coincidences * delta).sum(axis=(1, 2)) / n
        expected = (totals[:, :, None] * totals[:, None, :] * delta).sum(axis=(1, 2)) / (
            n * (n - 1)
        )
    in_use = (totals > 1e-9).sum(axis=1)
    why = reasons(len(n), (n < 1e-9, NO_PAIRS), (in_use < 2, NO_VARIATION))
    return Parts(1.0 - observed, 1.0 - expected, n, why)


def pool(parts: Parts) -> tuple[float, float, float, str | None]:
    """Pool several tables the way de Vries et al. (2008) pool kappa.

    Observed and chance agreement are averaged over the tables, each weighted by its number of
    units, and the coefficient is formed once from the averages. Tables whose own coefficient is
    undefined for lack of variation still count; tables with nothing to compare do not.
    """
    usable = parts.n > 0
    total = float(parts.n[usable].sum())
    if total == 0:
        return np.nan, np.nan, 0.0, NO_PAIRS
    po = float((parts.po[usable] * parts.n[usable]).sum() / total)
    pe = float((parts.pe[usable] * parts.n[usable]).sum() / total)
    if abs(1.0 - pe) < 1e-12:
        return po, pe, total, NO_VARIATION
    return po, pe, total, None
