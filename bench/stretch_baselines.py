"""Baselines for the stretch-based agreement measures, written by hand as for baselines.py:
read the codings with one SQL query, then vectorised NumPy over sorted integer spans.

- unitized: Krippendorff's (2004) alpha_U per code (the compared documents laid end to end in
  name order), per document x code, pooled (1 - sum D_o / sum D_e) and binary (every code
  as one). Each coder's overlapping units of a code are joined, touching ones stay apart.
- overlap: MAXQDA's segment agreement at a minimum overlap of 90 %: each coder's codings of a
  code in a document joined where they overlap or touch, segments matched when their overlap
  reaches 90 % of their union. Above one half a segment can match at most one segment of the
  other coder, so the matches are simply the pairs over the threshold.

Both compare the documents every coder has coded, as coder does by default.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from bench.baselines import _fetch_codings, run_sql

THRESHOLD = 0.9


def _compared(con: Any, coders: Sequence[str]) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The codings on documents every coder coded, and those documents' lengths, with each
    coding's document as its position in name order (`doc`; the names in `names`) and its
    code as a position in the sorted code ids (`code`; the ids in `codes`)."""
    c = _fetch_codings(con, coders)
    shared = np.unique(c["doc"][c["coder"] == 0])
    for k in range(1, len(coders)):
        shared = np.intersect1d(shared, c["doc"][c["coder"] == k])
    ids, names, lengths = zip(*run_sql(con, "SELECT id, name, length FROM document"), strict=True)
    by_name = sorted((n, i, n_chars) for i, n, n_chars in zip(ids, names, lengths, strict=True))
    coded = set(shared.tolist())
    by_name = [(n, i, n_chars) for n, i, n_chars in by_name if i in coded]
    order = np.array([i for _, i, _ in by_name], dtype=np.int64)
    size = {i: n_chars for _, i, n_chars in by_name}
    keep = np.isin(c["doc"], order)
    c = {k: v[keep] for k, v in c.items()}
    position = np.argsort(order)
    c["doc"] = position[np.searchsorted(order[position], c["doc"])]
    c["codes"], c["code"] = np.unique(c["code"], return_inverse=True)
    c["names"] = np.array([n for n, _, _ in by_name], dtype=object)
    return c, np.array([size[int(i)] for i in order], dtype=np.int64)


def _join(
    key: np.ndarray, start: np.ndarray, end: np.ndarray, touching: bool
) -> tuple[np.ndarray, ...]:
    """Each key's spans sorted, overlapping ones joined (touching ones too if `touching`)."""
    order = np.lexsort((start, key))
    key, start, end = key[order], start[order], end[order]
    stride = int(end.max()) + 1
    reach = np.maximum.accumulate(key * stride + end)
    lo = key * stride + start
    previous = np.concatenate(([-1], reach[:-1]))
    first = np.flatnonzero(lo > previous if touching else lo >= previous)
    return key[first], start[first], np.maximum.reduceat(end, first)


def _overlapping(
    group: np.ndarray, lo: np.ndarray, hi: np.ndarray, a: np.ndarray, b: np.ndarray, stride: int
) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (i in a, j in b) of the same group whose spans share characters; the
    spans of a and of b are each sorted by (group, start) and disjoint within a group."""
    at_lo, at_hi = group * stride + lo, group * stride + hi
    first = np.searchsorted(at_hi[b], at_lo[a], side="right")
    count = np.maximum(np.searchsorted(at_lo[b], at_hi[a], side="left") - first, 0)
    i = np.repeat(a, count)
    j = b[
        np.repeat(first, count)
        + np.arange(count.sum())
        - np.repeat(np.cumsum(count) - count, count)
    ]
    return i, j


def _alpha_u(
    group: np.ndarray,
    coder: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    size: np.ndarray,
    m: int,
) -> tuple[np.ndarray, np.ndarray]:
    """D_o and D_e of each group (a code on a continuum of size[group] characters)."""
    n = size.size
    key, lo, hi = _join(group * m + coder, start, end, touching=False)
    g, k, length = key // m, key % m, hi - lo
    stride = int(size.max()) + 1
    observed = np.zeros(n)
    for x in range(m):
        for y in range(x + 1, m):
            a, b = np.flatnonzero(k == x), np.flatnonzero(k == y)
            i, j = _overlapping(g, lo, hi, a, b, stride)
            observed += np.bincount(g[i], (lo[i] - lo[j]) ** 2 + (hi[i] - hi[j]) ** 2, n)
            alone = np.zeros(g.size, dtype=bool)
            alone[a] = alone[b] = True
            alone[i] = alone[j] = False
            observed += np.bincount(g[alone], length[alone] ** 2, n)
    d_o = 2 * observed / (m * (m - 1) * size.astype(float) ** 2)
    # Gaps: before each unit within its (code, coder), and after each (code, coder)'s last.
    new = np.concatenate(([True], key[1:] != key[:-1]))
    gap_before = lo - np.where(new, 0, np.concatenate(([0], hi[:-1])))
    last_end = np.zeros(n * m, dtype=np.int64)
    np.maximum.at(last_end, key, hi)
    after = np.repeat(size, m) - last_end
    gap_g = np.concatenate((g, np.arange(n * m) // m))
    gap = np.concatenate((gap_before, after))
    gap_g, gap = gap_g[gap > 0], gap[gap > 0]
    order = np.lexsort((gap, gap_g))
    gap_g, gap = gap_g[order], gap[order]
    first = np.searchsorted(gap_g * stride + gap, g * stride + length)
    ends = np.searchsorted(gap_g, g, side="right")
    total = np.concatenate(([0], np.cumsum(gap)))
    fits = (total[ends] - total[first]) - (length - 1) * (ends - first)
    n_c = np.bincount(g, minlength=n)
    l_ = length.astype(float)
    placed = (n_c[g] - 1) * (2 * l_**3 - 3 * l_**2 + l_) / 3 + l_**2 * fits
    denominator = m * size * (m * size - 1.0) - np.bincount(g, l_ * (l_ - 1), n)
    d_e = 2 / size * np.bincount(g, placed, n) / denominator
    return d_o, d_e


def unitized(con: Any, coders: Sequence[str]) -> dict[str, Any]:
    c, sizes = _compared(con, coders)
    m, n_codes = len(coders), c["codes"].size
    laid = np.concatenate(([0], np.cumsum(sizes)[:-1]))[c["doc"]]
    total = np.full(n_codes, sizes.sum())
    start, end = c["start"] + laid, c["end"] + laid
    d_o, d_e = _alpha_u(c["code"], c["coder"], start, end, total, m)
    everything = np.zeros_like(c["code"])
    b_o, b_e = _alpha_u(everything, c["coder"], start, end, total[:1], m)
    cell, where = np.unique(c["doc"] * n_codes + c["code"], return_inverse=True)
    cd_o, cd_e = _alpha_u(where, c["coder"], c["start"], c["end"], sizes[cell // n_codes], m)
    with np.errstate(divide="ignore", invalid="ignore"):
        return {
            "codes": c["codes"],
            "per_code": {"alpha": 1 - d_o / d_e, "D_o": d_o, "D_e": d_e},
            "pooled_alpha": 1 - d_o.sum() / d_e.sum(),
            "binary_alpha": float(1 - b_o[0] / b_e[0]),
            "per_document": {
                "document": c["names"][cell // n_codes],
                "code": c["codes"][cell % n_codes],
                "alpha": 1 - cd_o / cd_e,
            },
        }


def overlap(con: Any, coders: Sequence[str]) -> dict[str, Any]:
    c, sizes = _compared(con, coders)
    n_codes = c["codes"].size
    cell = (c["doc"] * n_codes + c["code"]) * 2 + c["coder"]
    key, lo, hi = _join(cell, c["start"], c["end"], touching=True)
    side, group = key % 2, key // 2
    i, j = _overlapping(
        group, lo, hi, np.flatnonzero(side == 0), np.flatnonzero(side == 1), int(sizes.max()) + 1
    )
    shared = np.minimum(hi[i], hi[j]) - np.maximum(lo[i], lo[j])
    union = (hi[i] - lo[i]) + (hi[j] - lo[j]) - shared
    matched = np.bincount(group[i][shared / union >= THRESHOLD] % n_codes, minlength=n_codes)
    segments = [np.bincount(group[side == s] % n_codes, minlength=n_codes) for s in (0, 1)]
    with np.errstate(divide="ignore", invalid="ignore"):
        agreement = matched / (segments[0] + segments[1] - matched)
    total = [int(x.sum()) for x in (matched, *segments)]
    pooled = total[0] / (total[1] + total[2] - total[0])
    return {
        "codes": c["codes"],
        "per_code": {
            "matched": matched,
            "segments_a": segments[0],
            "segments_b": segments[1],
            "agreement": agreement,
            "kappa": (agreement - 1 / n_codes) / (1 - 1 / n_codes),
        },
        "pooled_kappa": (pooled - 1 / n_codes) / (1 - 1 / n_codes),
    }
