"""The columns of an agreement table, from unit counts per coder pattern.

Rows are tables (a code, or a document x code) and columns are coder patterns: which coders
marked a unit, as a bit mask. `weights[row, pattern]` is how many units of that table have that
pattern. For binary present/absent data with every coder rating every unit, these counts are
all any of the coefficients needs, so all rows are computed in one vectorised pass by treating
each distinct pattern as a unit and the counts as unit weights (see _kernels).
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
import pandas as pd

from coder.agreement import _kernels as k

NO_MARKED = "no unit was marked by any coder"
TWO_ONLY = "defined for two coders only"

COEFFICIENTS = (
    "cohen_kappa",
    "scott_pi",
    "conger_kappa",
    "fleiss_kappa",
    "brennan_prediger",
    "gwet_ac1",
    "krippendorff_alpha",
)


def _parts(weights: k.FloatArray, patterns: k.IntArray, m: int) -> dict[str, k.Parts]:
    bits = (patterns[:, None] >> np.arange(m)) & 1
    ratings = k.Ratings(bits.astype(np.int64), (0, 1), np.array([0.0, 1.0]))
    marked_only = weights.copy()
    marked_only[:, patterns == 0] = 0.0
    parts = {
        "percent_agreement": k.percent_agreement_parts(ratings, weights),
        "percent_agreement_marked": k.percent_agreement_parts(ratings, marked_only),
    }
    if m == 2:
        parts["cohen_kappa"] = k.two_coder_parts(ratings, weights, chance="cohen")
        parts["scott_pi"] = k.two_coder_parts(ratings, weights, chance="scott")
    parts["conger_kappa"] = k.conger_parts(ratings, weights)
    parts["fleiss_kappa"] = k.fleiss_parts(ratings, weights)
    parts["brennan_prediger"] = k.brennan_prediger_parts(ratings, weights, 2)
    parts["gwet_ac1"] = k.gwet_ac1_parts(ratings, weights, 2)
    parts["krippendorff_alpha"] = k.krippendorff_parts(ratings, weights, "nominal")
    return parts


def _counts(
    weights: k.FloatArray, patterns: k.IntArray, coders: tuple[Hashable, ...]
) -> dict[str, k.IntArray]:
    m = len(coders)
    bits = (patterns[:, None] >> np.arange(m)) & 1
    size = bits.sum(axis=1)
    n = weights.sum(axis=1)
    out = {"n_units": n}
    for j, coder in enumerate(coders):
        out[f"coded_by_{coder}"] = weights @ bits[:, j]
    none = weights[:, size == 0].sum(axis=1)
    out["coded_by_all"] = weights[:, size == m].sum(axis=1)
    out["coded_by_any"] = n - none
    out["coded_by_none"] = none
    return {name: np.rint(v).astype(np.int64) for name, v in out.items()}


def _frame(
    kind: str,
    counts: dict[str, k.IntArray],
    values: dict[str, k.FloatArray],
    notes: list[str],
) -> pd.DataFrame:
    rows = len(notes)
    columns: dict[str, object] = {"unit_kind": [kind] * rows}
    columns.update(counts)
    columns.update(values)
    columns["notes"] = notes
    return pd.DataFrame(columns)


def _notes(why: dict[str, list[str | None]], rows: int) -> list[str]:
    """Each row's reasons, as "coefficient: reason; ...". A table has thousands of rows
    (documents x codes) but only a few distinct combinations of reasons: each is written
    once."""
    if not why:
        return [""] * rows
    names = list(why)
    written: dict[tuple[str | None, ...], str] = {}
    out = []
    for combination in zip(*why.values(), strict=True):
        text = written.get(combination)
        if text is None:
            said = [f"{n}: {r}" for n, r in zip(names, combination, strict=True) if r]
            text = written[combination] = "; ".join(said)
        out.append(text)
    return out


def describe(
    weights: k.FloatArray, patterns: k.IntArray, coders: tuple[Hashable, ...], kind: str
) -> pd.DataFrame:
    """One row of counts and coefficients per row of `weights`."""
    rows, m = weights.shape[0], len(coders)
    counts = _counts(weights, patterns, coders)
    empty = counts["n_units"] == 0
    parts = _parts(weights, patterns, m)
    values: dict[str, k.FloatArray] = {}
    why: dict[str, list[str | None]] = {}
    for name in ("percent_agreement", "percent_agreement_marked", *COEFFICIENTS):
        if name not in parts:  # Cohen's kappa and Scott's pi with more than two coders
            values[name] = np.full(rows, np.nan)
            why[name] = [TWO_ONLY] * rows
            continue
        reason = parts[name].reason.copy()
        if name == "percent_agreement_marked":
            reason[parts[name].n == 0] = NO_MARKED
        reason[empty] = k.NO_UNITS
        values[name] = parts[name].values()
        values[name][reason != None] = np.nan  # noqa: E711 (elementwise on an object array)
        why[name] = list(reason)
    return _frame(kind, counts, values, _notes(why, rows))


def pooled_row(
    weights: k.FloatArray, patterns: k.IntArray, coders: tuple[Hashable, ...], kind: str
) -> pd.DataFrame:
    """One row pooling all rows of `weights` (one per code) as de Vries et al. (2008) do."""
    m = len(coders)
    counts = {name: v.sum(keepdims=True) for name, v in _counts(weights, patterns, coders).items()}
    parts = _parts(weights, patterns, m)
    values: dict[str, k.FloatArray] = {}
    why: dict[str, list[str | None]] = {}
    for name in ("percent_agreement", "percent_agreement_marked", *COEFFICIENTS):
        if name not in parts:
            values[name], why[name] = np.array([np.nan]), [TWO_ONLY]
            continue
        po, pe, n, reason = k.pool(parts[name])
        if name == "percent_agreement_marked" and n == 0:
            reason = NO_MARKED
        if counts["n_units"][0] == 0:
            reason = k.NO_UNITS
        value = np.nan if reason else (po - pe) / (1 - pe)
        values[name], why[name] = np.array([value]), [reason]
    return _frame(kind, counts, values, _notes(why, 1))
