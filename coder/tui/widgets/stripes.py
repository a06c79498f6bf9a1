"""Coding stripes: the margin beside the transcript, one column per coding on screen.

Each coding on screen gets a column (a lane) from its first line to its last, the leftmost free
one, longer codings first so that an enclosing coding stands left of what it contains. A
stripe is drawn in its code's colour with the code's key (or initial) on its first line, in the
pattern of its coder when several coders are shown, and the names of the codings that start on
a line stand beside the lanes. Only the window on screen is laid out, so the cost does not grow
with the document.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rich.segment import Segment
from rich.style import Style

from coder.tui.layout import Mark

# One pattern per coder shown: the first (the coder at the keyboard) solid, the others broken.
PATTERNS = ("┃", "╏", "┇", "║", "│", "┊")
CONSENSUS_PATTERN = "║"
MEMO = "✎"


@dataclass(frozen=True)
class StripeLook:
    """How stripes are drawn: per code its colour, key and name; per coder a pattern and an
    initial (shown only when several coders are on screen)."""

    colors: dict[int, str] = field(default_factory=dict)
    keys: dict[int, str] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    patterns: dict[str, str] = field(default_factory=dict)
    initials: dict[str, str] = field(default_factory=dict)

    @property
    def several_coders(self) -> bool:
        return len(self.patterns) > 1


def coder_look(coders: Sequence[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Patterns and initials for the coders shown, the first being the coder at the keyboard.
    Initials take a third letter where first letters clash (maya, mark: "my", "mr")."""
    patterns: dict[str, str] = {}
    others = iter(PATTERNS[1:] * 4)
    for index, coder in enumerate(coders):
        if coder == "consensus":
            patterns[coder] = CONSENSUS_PATTERN
        else:
            patterns[coder] = PATTERNS[0] if index == 0 else next(others)
    initials: dict[str, str] = {}
    for coder in coders:
        short = coder[:1] or "?"
        if any(other != coder and other[:1] == short for other in coders):
            short = coder[:1] + (coder[2:3] or coder[1:2])
        initials[coder] = short
    return patterns, initials


@dataclass
class Window:
    """The lanes of the codings on the lines [top, bottom)."""

    top: int
    bottom: int
    lanes: dict[int, int]  # coding id -> column (== count: more than fit, drawn as "+")
    spans: dict[int, tuple[int, int]]  # coding id -> (first line, last line), unclipped
    marks: list[Mark]


def lay_out(
    marks: Sequence[Mark], top: int, bottom: int, count: int, line_of: Callable[[int], int]
) -> Window:
    """Give each coding on lines [top, bottom) the leftmost column free over its lines."""
    spans = {
        m.coding_id: (line_of(m.start), line_of(max(m.start, m.end - 1)))
        for m in marks
        if not m.suggested
    }
    ordered = sorted(
        (m for m in marks if not m.suggested),
        key=lambda m: (
            max(spans[m.coding_id][0], top),
            -(m.end - m.start),
            m.coding_id,
        ),
    )
    free_from = [top] * count  # the first line at which each column is free again
    lanes: dict[int, int] = {}
    for mark in ordered:
        first, last = spans[mark.coding_id]
        first = max(first, top)
        lane = next((i for i, free in enumerate(free_from) if free <= first), count)
        if lane < count:
            free_from[lane] = last + 1
        lanes[mark.coding_id] = lane
    return Window(top, bottom, lanes, spans, list(ordered))


def margin(
    window: Window,
    line: int,
    look: StripeLook,
    count: int,
    label_width: int,
    base: Style,
    selected: int | None,
) -> list[Segment]:
    """The margin of one line: `count` stripe columns, a space, then the labels."""
    cells: list[Segment | None] = [None] * count
    labels: dict[int, tuple[list[str], Style, bool]] = {}  # code -> coders, style, memo
    more = 0
    for mark in window.marks:
        first, last = window.spans[mark.coding_id]
        if not first <= line <= last:
            continue
        lane = window.lanes[mark.coding_id]
        color = look.colors.get(mark.code_id, "#888888")
        chosen = mark.coding_id == selected
        if lane >= count:
            more += 1
            continue
        if line == first:
            key = look.keys.get(mark.code_id) or look.names.get(mark.code_id, "?")[:1]
            style = Style(color="#000000", bgcolor=color, bold=True)
            glyph = key
            who, label_style, memo = labels.get(mark.code_id, ([], Style(color=color), False))
            who.append(look.initials.get(mark.coder, "?"))
            if chosen:
                label_style += Style(bold=True, reverse=True)
            labels[mark.code_id] = (who, label_style, memo or mark.memo)
        else:
            style = Style(color=color)
            glyph = look.patterns.get(mark.coder, PATTERNS[0])
        if chosen:
            style += Style(reverse=True)
        cells[lane] = Segment(glyph, base + style)
    out = [cell or Segment(" ", base) for cell in cells]
    if more and cells[-1] is None:  # more codings than columns: say so where there is room
        out[-1] = Segment("+", base + Style(dim=True, bold=True))
    out.append(Segment(" ", base))
    used = 0
    for code_id, (who, style, memo) in labels.items():
        name = look.names.get(code_id, "?") + (MEMO if memo else "")
        if look.several_coders:  # one label per code, with the initials of who coded it
            joiner = "," if any(len(w) > 1 for w in who) else ""
            name = f"{joiner.join(dict.fromkeys(who))}:{name}"
        if used >= label_width:
            break
        piece = (" " if used else "") + name
        piece = piece[: label_width - used]
        out.append(Segment(piece, base + style))
        used += len(piece)
    if used < label_width:
        out.append(Segment(" " * (label_width - used), base))
    return out


def coding_at(window: Window, line: int, column: int, count: int) -> int | None:
    """The coding drawn at `column` of the margin on `line`: a stripe's, or in the labels
    the first coding starting on that line."""
    here = [
        m
        for m in window.marks
        if window.spans[m.coding_id][0] <= line <= window.spans[m.coding_id][1]
    ]
    if column < count:
        hit = [m for m in here if window.lanes[m.coding_id] == column]
    else:
        hit = [m for m in here if window.spans[m.coding_id][0] == line]
    return hit[0].coding_id if hit else None
