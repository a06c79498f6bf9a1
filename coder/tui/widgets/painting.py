"""One line of transcript text as styled segments: speaker labels, codings' highlights,
pending suggestions, the selection and, in selection mode, the moving end."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style

from coder.tui.layout import Line, Mark

LABEL = Style(bold=True, color="#7fb4ff")


@dataclass(frozen=True)
class Painting:
    """What every line is painted with."""

    text: str
    base: Style
    code_styles: dict[int, Style]
    suggestion_styles: dict[int, Style]
    selection_start: int
    selection_end: int
    moving_end: int | None  # in selection mode, where the moving end is


def paint_line(
    paint: Painting, line: Line, marks: Sequence[Mark], label: tuple[int, int]
) -> list[Segment]:
    """The segments of `line`, given the `marks` touching it and the speaker `label`'s span
    (start, end) of the turn it belongs to."""
    start, end = paint.selection_start, paint.selection_end
    caret = paint.moving_end is not None and end <= start
    moving = paint.moving_end if paint.moving_end is not None else -1
    base = paint.base
    if line.end <= line.start:
        if caret and line.start == moving:
            return [Segment(" ", base + Style(reverse=True))]
        return []
    cuts = {line.start, line.end}
    for mark in marks:
        cuts.update(p for p in (mark.start, mark.end) if line.start < p < line.end)
    for p in (start, end, moving, moving + 1):
        if line.start < p < line.end:
            cuts.add(p)
    label_start, label_end = label
    if line.start < label_end < line.end:
        cuts.add(label_end)
    out: list[Segment] = []
    for a, b in itertools.pairwise(sorted(cuts)):
        style = base
        if label_start <= a < label_end:
            style += LABEL
        covering = [m for m in marks if m.start <= a < m.end and not m.suggested]
        proposed = [m for m in marks if m.start <= a < m.end and m.suggested]
        if covering:
            inner = min(covering, key=lambda m: (m.end - m.start, -m.coding_id))
            style += paint.code_styles.get(inner.code_id, Style(bgcolor="#444444"))
            if len({m.code_id for m in covering}) > 1:
                style += Style(underline=True)
        elif proposed:
            style += paint.suggestion_styles.get(proposed[0].code_id, Style(underline=True))
        if start <= a < end:
            style += Style(reverse=True)
        if a == moving:
            style += Style(underline=True, bold=True, reverse=caret)
        out.append(Segment(paint.text[a:b], style))
    if caret and moving == line.end:
        out.append(Segment(" ", base + Style(reverse=True)))
    return out
