"""Interval arithmetic on half-open spans [start, end), vectorised over many groups at once.

Spans of different groups (a document, or a document x code x coder) are kept apart by shifting
each group to its own stretch of one number line: position p of group g becomes g * stride + p,
with stride larger than any document. One sort and one searchsorted then serve every group,
with no Python loop over groups, units or characters.
"""

from __future__ import annotations

import numpy as np

from coder.agreement._kernels import IntArray


def union(keys: IntArray, starts: IntArray, ends: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """Merge the spans of each key into disjoint, sorted spans (touching spans merge too).

    A coder who applies one code twice to overlapping text has coded that text once; the union is
    what a coder "marked" with the code.
    """
    keep = ends > starts
    keys, starts, ends = keys[keep], starts[keep], ends[keep]
    if keys.size == 0:
        return keys, starts, ends
    order = np.lexsort((starts, keys))
    keys, starts, ends = keys[order], starts[order], ends[order]
    stride = int(ends.max()) + 1
    # Running maximum of the end within each key: the offset makes every key's values exceed
    # those of all earlier keys, so one global cumulative maximum restarts at each key.
    reach = np.maximum.accumulate(ends + keys * stride)
    previous = np.concatenate(([-1], reach[:-1]))
    first = starts + keys * stride > previous
    heads = np.flatnonzero(first)
    return keys[heads], starts[heads], np.maximum.reduceat(ends, heads)


def overlaps(
    span_doc: IntArray,
    span_start: IntArray,
    span_end: IntArray,
    unit_doc: IntArray,
    unit_start: IntArray,
    unit_end: IntArray,
    stride: int,
) -> tuple[IntArray, IntArray, IntArray]:
    """Every (span, unit) pair of the same document that share characters, and how many.

    Units must be sorted by (document, start) and not overlap within a document, so their ends
    are sorted too and the units a span touches form one run found by two binary searches.
    Returns (span index, unit index, shared characters).
    """
    u_lo = unit_doc * stride + unit_start
    u_hi = unit_doc * stride + unit_end
    s_lo = span_doc * stride + span_start
    s_hi = span_doc * stride + span_end
    first = np.searchsorted(u_hi, s_lo, side="right")  # first unit ending after the span starts
    stop = np.searchsorted(u_lo, s_hi, side="left")  # units starting before the span ends
    count = np.maximum(stop - first, 0)
    span_index = np.repeat(np.arange(span_doc.size), count)
    within = np.arange(span_index.size) - np.repeat(np.cumsum(count) - count, count)
    unit_index = first[span_index] + within
    shared = np.minimum(s_hi[span_index], u_hi[unit_index]) - np.maximum(
        s_lo[span_index], u_lo[unit_index]
    )
    return span_index, unit_index, shared


def sweep(
    group: IntArray, starts: IntArray, ends: IntArray, bits: IntArray, stride: int
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """Cut each group's line into pieces of constant coder set.

    Each span adds its coder's bit where it starts and removes it where it ends; within a group
    the spans of one coder are disjoint (see `union`), so the running sum of these events is the
    bit mask of coders covering each piece. Returns (group, start, end, mask) for every piece of
    positive length covered by at least one coder; the rest of a group is covered by nobody.
    """
    if group.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, empty
    where = np.concatenate((group * stride + starts, group * stride + ends))
    delta = np.concatenate((bits, -bits))
    order = np.argsort(where, kind="stable")
    where, delta = where[order], delta[order]
    # Every group's events sum to zero, so the running sum restarts at each group by itself.
    mask = np.cumsum(delta)
    lengths = np.diff(where)
    keep = (mask[:-1] != 0) & (lengths > 0)
    lo = where[:-1][keep]
    piece_group = lo // stride
    piece_start = lo - piece_group * stride
    return piece_group, piece_start, piece_start + lengths[keep], mask[:-1][keep]
