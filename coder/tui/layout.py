"""Laying a transcript out in lines, and finding what is coded on each line, fast.

The transcript view draws only the lines on screen; this module gives it, for any width, the
list of wrapped lines as (start, end) offsets into the text (built once per width in one pass),
and an index of codings by position so each visible line finds its codings by bisection.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import NamedTuple, overload


class Line(NamedTuple):
    """A line on screen; a tuple, as tens of thousands are made at each new width."""

    start: int
    end: int  # exclusive; the text of the line is text[start:end]


class Lines(Sequence[Line]):
    """Wrapped lines as two lists of offsets: a `Line` is made only for a line asked for
    (the ones on screen), not for each of the tens of thousands of a long transcript."""

    def __init__(self, starts: list[int], ends: list[int]) -> None:
        self.starts, self.ends = starts, ends

    def __len__(self) -> int:
        return len(self.starts)

    @overload
    def __getitem__(self, index: int) -> Line: ...

    @overload
    def __getitem__(self, index: slice) -> list[Line]: ...

    def __getitem__(self, index: int | slice) -> Line | list[Line]:
        if isinstance(index, slice):
            return [Line(s, e) for s, e in zip(self.starts[index], self.ends[index], strict=True)]
        return Line(self.starts[index], self.ends[index])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]


def wrap(text: str, width: int) -> Lines:
    """Greedy word wrap of every paragraph ("\n"-separated) at `width` columns. Words longer
    than a line are cut. Blank lines are kept (as empty lines) to show paragraph breaks.

    It steps a line at a time, looking back from the line's last column for a space, rather
    than a word at a time: a 60,000-word transcript wraps in a few milliseconds."""
    width = max(width, 8)
    starts: list[int] = []
    ends: list[int] = []
    position = 0
    for paragraph in text.split("\n"):
        base = position
        position += len(paragraph) + 1
        end = len(paragraph.rstrip())
        i = len(paragraph) - len(paragraph.lstrip())
        if i >= end:
            starts.append(base)
            ends.append(base)
            continue
        while i < end:
            if end - i <= width:
                starts.append(base + i)
                ends.append(base + end)
                break
            limit = i + width  # a space here ends a line of exactly `width` columns
            cut = max(paragraph.rfind(" ", i, limit + 1), paragraph.rfind("\t", i, limit + 1))
            if cut <= i:  # a word longer than the line: cut it
                starts.append(base + i)
                ends.append(base + limit)
                i = limit
                continue
            stop = cut
            while paragraph[stop - 1] in " \t":
                stop -= 1
            starts.append(base + i)
            ends.append(base + stop)
            i = cut + 1
            while i < end and paragraph[i] in " \t":
                i += 1
    return Lines(starts, ends)


def line_at(lines: Sequence[Line], offset: int, starts: Sequence[int] | None = None) -> int:
    """Index of the line holding `offset` (or the nearest line before it); pass the lines'
    `starts` when asking often, so they are not gathered on every call."""
    if starts is None:
        starts = [line.start for line in lines]
    return max(0, bisect.bisect_right(starts, offset) - 1)


class Mark(NamedTuple):
    """A coding (or a pending suggestion) to draw; a tuple, as thousands are made at once."""

    start: int
    end: int
    code_id: int
    coding_id: int
    suggested: bool = False  # a pending suggestion, drawn apart from codings
    coder: str = ""
    memo: bool = False  # a memo is written on this coding


class MarkIndex:
    """Codings by position. `overlapping(a, b)` finds those touching [a, b) in O(log n + k):
    the start of a mark touching [a, b) is at most its length before a, so the marks are kept
    sorted by start and searched from `a - longest`. The few longest marks (a coding of a whole
    document, say) are kept apart and always checked, so that they do not widen every search."""

    APART = 32  # how many of the longest marks are checked on every search

    def __init__(self, marks: Sequence[Mark]) -> None:
        ordered = sorted(marks, key=lambda m: (m.start, m.end, m.coding_id))
        lengths = sorted((m.end - m.start for m in ordered), reverse=True)
        bound = lengths[self.APART] if len(lengths) > self.APART else 0
        self.marks = ordered
        self._long = [m for m in ordered if m.end - m.start > bound]
        self._short = [m for m in ordered if m.end - m.start <= bound]
        self._starts = [m.start for m in self._short]
        self._longest = bound

    def overlapping(self, start: int, end: int) -> list[Mark]:
        low = bisect.bisect_left(self._starts, start - self._longest)
        high = bisect.bisect_left(self._starts, end)
        found = [m for m in self._short[low:high] if m.end > start and m.start < end]
        if self._long:
            found += [m for m in self._long if m.end > start and m.start < end]
            found.sort(key=lambda m: (m.start, m.end, m.coding_id))
        return found
