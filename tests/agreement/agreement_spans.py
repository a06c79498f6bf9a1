"""Random coded spans for the stretch-based agreement tests, and per-character references.

The references materialise every character as a boolean array, the slow and obvious way, so
the interval arithmetic of coder.agreement is checked against something that shares none of it.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from hypothesis import strategies as st

LENGTHS = {"d1": 60, "d2": 35}
CODES = ("x", "y", "z")


@st.composite
def spans(
    draw: st.DrawFn,
    coders: tuple[str, ...] = ("A", "B"),
    codes: tuple[str, ...] = CODES,
    lengths: dict[str, int] = LENGTHS,
    most: int = 12,
) -> pd.DataFrame:
    rows = []
    for _ in range(draw(st.integers(0, most))):
        document = draw(st.sampled_from(sorted(lengths)))
        start = draw(st.integers(0, lengths[document] - 1))
        end = draw(st.integers(start + 1, min(lengths[document], start + 25)))
        rows.append(
            (draw(st.sampled_from(coders)), document, draw(st.sampled_from(codes)), start, end)
        )
    return pd.DataFrame(rows, columns=["coder", "document", "code", "start", "end"])


def marks(table: pd.DataFrame, coder: str, document: str, code: str, length: int) -> np.ndarray:
    """Which characters of a document `coder` coded with `code`."""
    out = np.zeros(length, dtype=bool)
    pick = (table["coder"] == coder) & (table["document"] == document) & (table["code"] == code)
    for start, end in table.loc[pick, ["start", "end"]].itertuples(index=False):
        out[start:end] = True
    return out


def segments(flags: np.ndarray) -> list[tuple[int, int]]:
    """Maximal runs of True: a coder's segments once overlapping or touching codings join."""
    padded = np.concatenate(([False], flags, [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))


def slow_pairs(a: list[tuple[int, int]], b: list[tuple[int, int]], threshold: float) -> int:
    candidates = []
    for (i, (lo1, hi1)), (j, (lo2, hi2)) in itertools.product(enumerate(a), enumerate(b)):
        shared = max(0, min(hi1, hi2) - max(lo1, lo2))
        ratio = shared / (max(hi1, hi2) - min(lo1, lo2)) if shared else 0.0
        if shared and ratio >= threshold:
            candidates.append((-ratio, i, j))
    used_a, used_b, matched = set(), set(), 0
    for _, i, j in sorted(candidates):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            matched += 1
    return matched


def sections(units: list[tuple[int, int]], begin: int, end: int) -> list[tuple[int, int, bool]]:
    """A coder's continuum as (start, end, is_unit), gaps included."""
    out, position = [], begin
    for lo, hi in sorted(units):
        if lo > position:
            out.append((position, lo, False))
        out.append((lo, hi, True))
        position = hi
    if position < end:
        out.append((position, end, False))
    return out


def delta2(g: tuple[int, int, bool], h: tuple[int, int, bool]) -> int:
    """Krippendorff's (2004) difference of two sections, case by case."""
    (b1, e1, unit1), (b2, e2, unit2) = g, h
    if unit1 and unit2 and b1 < e2 and b2 < e1:
        return (b1 - b2) ** 2 + (e1 - e2) ** 2
    if unit1 and not unit2 and b2 <= b1 and e1 <= e2:
        return (e1 - b1) ** 2
    if unit2 and not unit1 and b1 <= b2 and e2 <= e1:
        return (e2 - b2) ** 2
    return 0


def literal(units: dict[str, list[tuple[int, int]]], begin: int, end: int) -> tuple[float, float]:
    m, length = len(units), end - begin
    cut = {coder: sections(spans, begin, end) for coder, spans in units.items()}
    observed = sum(
        delta2(g, h) for i, j in itertools.permutations(cut, 2) for g in cut[i] for h in cut[j]
    )
    d_o = observed / (m * (m - 1) * length**2)
    lengths = [hi - lo for spans in units.values() for lo, hi in spans]
    gaps = [hi - lo for parts in cut.values() for lo, hi, unit in parts if not unit]
    if not lengths:
        return d_o, 0.0
    n_c = len(lengths)
    total = 0.0
    for size in lengths:
        total += (n_c - 1) * (2 * size**3 - 3 * size**2 + size) / 3
        total += size**2 * sum(g - size + 1 for g in gaps if g >= size)
    denominator = m * length * (m * length - 1) - sum(s * (s - 1) for s in lengths)
    return d_o, 2 / length * total / denominator
