"""Krippendorff's alpha_U disagreements for many categories and continua at once.

`unitizing.py` states the coefficient; this module computes its D_o and D_e for G groups (a
category on its continuum: a code on the documents laid end to end, or a code in one document)
with one pass of sorting and binary searches over every unit, not one Python call per group.
Each group's units are shifted to a stretch of one number line of their own (position p of
group g becomes g * stride + p, stride longer than any continuum), so the units one coder
marked in different groups never meet.

The arithmetic is the formula's, operation for operation: the integer parts (distances, gap
sums) are exact, and each group's one floating-point sum is taken over the same values in the
same order as a group computed alone, so every D_o and D_e is the number the one-group
computation gives.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from coder.agreement._kernels import FloatArray, IntArray


@dataclass(frozen=True)
class Sections:
    """Every (group, coder)'s units, overlapping ones joined (touching ones stay apart, as in
    Krippendorff's examples): parallel arrays sorted by (group, coder, start)."""

    group: IntArray
    coder: IntArray
    start: IntArray
    end: IntArray
    groups: int
    coders: int

    def units(self) -> IntArray:
        """(groups, coders): how many units each coder has in each group."""
        slot = self.group * self.coders + self.coder
        counts = np.bincount(slot, minlength=self.groups * self.coders)
        return counts.astype(np.int64).reshape(self.groups, self.coders)

    def characters(self) -> IntArray:
        """(groups, coders): characters inside each coder's units in each group."""
        return _sum_by(
            self.group * self.coders + self.coder,
            self.end - self.start,
            self.groups * self.coders,
        ).reshape(self.groups, self.coders)


def sections(
    group: IntArray, coder: IntArray, start: IntArray, end: IntArray, groups: int, coders: int
) -> Sections:
    """Join each (group, coder)'s overlapping units (`group` < groups, `coder` < coders)."""
    slot = group * coders + coder
    order = np.lexsort((end, start, slot))
    slot, start, end = slot[order], start[order], end[order]
    if slot.size:
        # One running maximum of the end over every slot: the offset puts each slot's values
        # above those of all earlier slots, so the maximum restarts at each slot by itself.
        stride = int(end.max()) + 1
        base = slot * stride
        reach = np.maximum.accumulate(base + end)
        head = np.ones(slot.size, dtype=bool)
        head[1:] = base[1:] + start[1:] >= reach[:-1]
        first = np.flatnonzero(head)
        slot, start, end = slot[first], start[first], np.maximum.reduceat(end, first)
    return Sections(slot // coders, slot % coders, start, end, groups, coders)


def _sum_by(key: IntArray, values: IntArray, size: int) -> IntArray:
    """Exact integer sums of `values` per `key` in [0, size)."""
    out = np.zeros(size, dtype=np.int64)
    np.add.at(out, key, values)
    return out


def _pair_distances(s: Sections, i: int, j: int, stride: int) -> IntArray:
    """Per group, the sum of delta^2 over the sections of coders i and j (one order).

    Each coder's units are sorted and disjoint within a group, and groups lie apart on the
    line, so the units of j that overlap a unit of i form one run found by two binary
    searches: the cost grows with the overlapping pairs, not with the product of unit counts.
    Two overlapping units are apart by their starts' and ends' squared differences; a unit
    overlapping none of the other coder's lies in that coder's gap and counts its squared
    length.
    """
    a, b = s.coder == i, s.coder == j
    a_group, b_group = s.group[a], s.group[b]
    a_lo, a_hi = a_group * stride + s.start[a], a_group * stride + s.end[a]
    b_lo, b_hi = b_group * stride + s.start[b], b_group * stride + s.end[b]
    first = np.searchsorted(b_hi, a_lo, side="right")  # first unit of j ending after i's start
    stop = np.searchsorted(b_lo, a_hi, side="left")  # units of j starting before i's end
    count = np.maximum(stop - first, 0)
    ia = np.repeat(np.arange(a_lo.size), count)
    ib = first[ia] + (np.arange(ia.size) - np.repeat(np.cumsum(count) - count, count))
    both = (a_lo[ia] - b_lo[ib]) ** 2 + (a_hi[ia] - b_hi[ib]) ** 2
    alone_a = np.ones(a_lo.size, dtype=bool)
    alone_a[ia] = False
    alone_b = np.ones(b_lo.size, dtype=bool)
    alone_b[ib] = False
    key = np.concatenate((a_group[ia], a_group[alone_a], b_group[alone_b]))
    values = np.concatenate((both, ((a_hi - a_lo) ** 2)[alone_a], ((b_hi - b_lo) ** 2)[alone_b]))
    return _sum_by(key, values, s.groups)


def _placed(s: Sections, length: IntArray) -> FloatArray:
    """Per unit (in the order of `s`): its term of D_e's numerator, the disagreement of the
    group's units placed in every way they fit into the group's gaps (Krippendorff 2004,
    p. 254): (N_c - 1)(2l^3 - 3l^2 + l)/3 + l^2 * sum over gaps g >= l of (g - l + 1)."""
    m, n = s.coders, s.groups
    slot = s.group * m + s.coder
    # Every coder's gaps in every group: before each unit, and after the last one (the whole
    # continuum for a coder without units there). Empty gaps (touching units) are none.
    same = np.zeros(slot.size, dtype=bool)
    same[1:] = slot[1:] == slot[:-1]
    follows = np.flatnonzero(same)
    previous_end = np.zeros(slot.size, dtype=np.int64)
    previous_end[follows] = s.end[follows - 1]
    last = np.ones(slot.size, dtype=bool)
    last[:-1] = ~same[1:]
    reach = np.zeros(n * m, dtype=np.int64)
    reach[slot[last]] = s.end[last]
    before = s.start - previous_end
    after_last = np.repeat(length, m) - reach
    gap_group = np.concatenate((s.group[before > 0], (np.arange(n * m) // m)[after_last > 0]))
    gap = np.concatenate((before[before > 0], after_last[after_last > 0]))
    order = np.lexsort((gap, gap_group))
    gap_group, gap = gap_group[order], gap[order]
    # The gaps at least as long as a unit are a run at the end of its group's sorted gaps;
    # their sum comes from prefix sums (exact integers, as the one-group suffix sums are).
    stride = int(length.max()) + 1 if length.size else 1
    size = s.end - s.start
    first = np.searchsorted(gap_group * stride + gap, s.group * stride + size, side="left")
    ends = np.searchsorted(gap_group, np.arange(n), side="right")[s.group]
    prefix = np.concatenate(([0], np.cumsum(gap)))
    fits_sum = (prefix[ends] - prefix[first]).astype(np.float64)
    count = ends - first
    lengths = size.astype(np.float64)
    fits = fits_sum - (lengths - 1) * count
    n_c = np.bincount(s.group, minlength=n)[s.group].astype(np.float64)
    return np.asarray(
        (n_c - 1) * (2 * lengths**3 - 3 * lengths**2 + lengths) / 3 + lengths**2 * fits,
        dtype=np.float64,
    )


def _group_sums(values: FloatArray, group: IntArray, groups: int) -> FloatArray:
    """Each group's `values.sum()` (values sorted by group), the very number NumPy gives for
    the group's slice alone. NumPy adds fewer than eight values one after the other from
    0.0, and that is done here for all such groups at once, a column at a time (the rows
    padded with zeros, which change no sum of non-negative terms); the larger groups, whose
    sums NumPy takes pairwise, are summed slice by slice."""
    bounds = np.searchsorted(group, np.arange(groups + 1))
    sizes = np.diff(bounds)
    sums = np.zeros(groups, dtype=np.float64)
    small = sizes < 8
    table = np.zeros((groups, 7), dtype=np.float64)
    row = np.repeat(np.arange(groups), sizes)
    column = np.arange(group.size) - bounds[row]
    fits = small[row]
    table[row[fits], column[fits]] = values[fits]
    for c in range(7):
        sums += table[:, c]
    for g in np.flatnonzero(~small).tolist():
        sums[g] = values[bounds[g] : bounds[g + 1]].sum()
    return sums


def disagreements(s: Sections, length: IntArray) -> tuple[list[float], list[float]]:
    """D_o and D_e of every group (`length`: each group's continuum, in characters).

    D_o = sum over coder pairs of delta^2, times 2 / (m (m - 1) L^2); D_e = (2 / L) * the
    sum of the units' placed terms / (m L (m L - 1) - sum l (l - 1)); a group without units
    has D_e = 0.
    """
    m, n = s.coders, s.groups
    stride = int(length.max()) + 1 if length.size else 1
    pairs = [_pair_distances(s, i, j, stride) for i in range(m) for j in range(i + 1, m)]
    if m == 2:
        observed = pairs[0].astype(np.float64)
    else:  # the pairs' distances added as the builtin sum adds them
        observed = np.array([sum(float(p[g]) for p in pairs) for g in range(n)], np.float64)
    d_o = 2 * observed / (m * (m - 1) * length**2)
    size = s.end - s.start
    denominator = m * length * (m * length - 1) - _sum_by(s.group, size * (size - 1), n).astype(
        np.float64
    )
    placed = _group_sums(_placed(s, length), s.group, n)
    units = np.bincount(s.group, minlength=n)
    with np.errstate(divide="ignore", invalid="ignore"):
        d_e = np.where(units > 0, 2 / length * placed / denominator, 0.0)
    return d_o.tolist(), d_e.tolist()
