"""Laying a transcript out in lines, and finding what is coded on each line, fast.

The transcript view draws only the lines on screen; this module gives it, for any width, the
list of wrapped lines as (start, end) offsets into the text (built once per width in one pass),
and an index of codings by position so each visible line finds its codings by bisection.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Line:
    start: int
    end: int  # exclusive; the text of the line is text[start:end]


def wrap(text: str, width: int) -> list[Line]:
    """Greedy word wrap of every paragraph ("\n"-separated) at `width` columns. Words longer
    than a line are cut. Blank lines are kept (as empty lines) to show paragraph breaks."""
    width = max(width, 8)
    lines: list[Line] = []
    position = 0
    for paragraph in text.split("\n"):
        base = position
        position += len(paragraph) + 1
        if not paragraph.strip():
            lines.append(Line(base, base))
            continue
        line_start: int | None = None
        line_end = base
        for match in WORD.finditer(paragraph):
            start, end = base + match.start(), base + match.end()
            if line_start is None:
                line_start = start
            elif end - line_start > width:
                lines.append(Line(line_start, line_end))
                line_start = start
            while end - line_start > width:  # a word longer than the line
                lines.append(Line(line_start, line_start + width))
                line_start += width
            line_end = end
        if line_start is not None:
            lines.append(Line(line_start, line_end))
    return lines


def line_at(lines: Sequence[Line], offset: int, starts: Sequence[int] | None = None) -> int:
    """Index of the line holding `offset` (or the nearest line before it); pass the lines'
    `starts` when asking often, so they are not gathered on every call."""
    if starts is None:
        starts = [line.start for line in lines]
    return max(0, bisect.bisect_right(starts, offset) - 1)


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    code_id: int
    coding_id: int
    suggested: bool = False  # a pending suggestion, drawn apart from codings
    coder: str = ""
    memo: bool = False  # a memo is written on this coding


class MarkIndex:
    """Codings by position. `overlapping(a, b)` finds those touching [a, b) in O(log n + k)
    using the longest coding to bound how far back a start can be."""

    def __init__(self, marks: Sequence[Mark]) -> None:
        self.marks = sorted(marks, key=lambda m: (m.start, m.end, m.coding_id))
        self._starts = [m.start for m in self.marks]
        self._longest = max((m.end - m.start for m in self.marks), default=0)

    def overlapping(self, start: int, end: int) -> list[Mark]:
        low = bisect.bisect_left(self._starts, start - self._longest)
        high = bisect.bisect_left(self._starts, end)
        return [m for m in self.marks[low:high] if m.end > start and m.start < end]
