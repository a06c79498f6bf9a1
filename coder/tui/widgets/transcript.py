"""The transcript: wrapped text with speaker labels, timestamps, coloured codings and a
keyboard selection. Only the lines on screen are ever rendered."""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.color import Color
from textual.events import MouseDown, MouseMove, MouseUp, Resize
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from coder import model
from coder.coding.spans import snap
from coder.errors import CoderError
from coder.tui.layout import Line, Mark, MarkIndex, line_at, wrap

GUTTER = 8  # "1:02:03 " timestamps, right-aligned
WORD = re.compile(r"\w[\w'’-]*|[^\w\s]", re.UNICODE)


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


@dataclass(frozen=True)
class Selection:
    start: int
    end: int


class TranscriptView(ScrollView, can_focus=True):
    """Read and select. The screen owning it applies codes to `selection`."""

    DEFAULT_CSS = """
    TranscriptView {
        background: $surface;
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;
        scrollbar-background: $surface;
        scrollbar-color: $primary 40%;
    }
    """

    BINDINGS = [
        Binding("down", "sentence(1)", "Next sentence", show=False),
        Binding("up", "sentence(-1)", "Previous sentence", show=False),
        Binding("shift+down", "extend(1)", "Extend", show=False),
        Binding("shift+up", "extend(-1)", "Shrink", show=False),
        Binding("right", "word(1)", "Word +", show=False),
        Binding("left", "word(-1)", "Word -", show=False),
        Binding("space", "turn", "Whole turn", id="select-turn"),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home", "edge(0)", "Start", show=False),
        Binding("end", "edge(1)", "End", show=False),
    ]

    class SelectionChanged(Message):
        def __init__(self, view: TranscriptView, selection: Selection) -> None:
            super().__init__()
            self.view = view
            self.selection = selection

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = ""
        self.turns: list[model.Segment] = []
        self.sentences: list[model.Segment] = []
        self.lines: list[Line] = []
        self.marks = MarkIndex([])
        self.code_styles: dict[int, Style] = {}
        self.suggestion_styles: dict[int, Style] = {}
        self.selection = Selection(0, 0)
        self._line_width = 0
        self._turn_starts: list[int] = []
        self._stamps: dict[int, float] = {}
        self._sentence_starts: list[int] = []
        self._drag_from: int | None = None

    # -- content -----------------------------------------------------------------------------

    def load(
        self,
        text: str,
        turns: list[model.Segment],
        sentences: list[model.Segment],
        paragraphs: list[model.Segment] | None = None,
    ) -> None:
        self.text = text
        self.turns = turns
        self.sentences = sentences or [
            model.Segment(0, 0, "sentence", t.start, t.end) for t in turns
        ]
        self._turn_starts = [t.start for t in turns]
        self._stamps = self._timestamps(turns, paragraphs or [])
        self._sentence_starts = [s.start for s in self.sentences]
        self._line_width = 0  # new text: lay it out again even at the same width
        self._relayout()
        if self.sentences:
            first = self.sentences[0]
            self.select(first.start, first.end)

    def set_marks(self, marks: list[Mark], colors: dict[int, str]) -> None:
        background = Color.parse("#1e1e1e")
        self.code_styles = {
            code_id: Style(
                bgcolor=Color.parse(color).blend(background, 0.45).rich_color, color="#ffffff"
            )
            for code_id, color in colors.items()
        }
        self.suggestion_styles = {
            code_id: Style(color=Color.parse(color).rich_color, underline=True, italic=True)
            for code_id, color in colors.items()
        }
        self.marks = MarkIndex(marks)
        self.refresh()

    def _relayout(self) -> None:
        width = max(20, self.scrollable_content_region.width - GUTTER - 1)
        if width == self._line_width and self.lines:
            return
        self._line_width = width
        self.lines = wrap(self.text, width)
        self.virtual_size = Size(width + GUTTER, len(self.lines))
        self.refresh()

    def on_resize(self, event: Resize) -> None:
        self._relayout()

    # -- selection -----------------------------------------------------------------------------

    def select(self, start: int, end: int, *, scroll: bool = True) -> None:
        start, end = max(0, start), min(len(self.text), end)
        if end <= start:
            return
        self.selection = Selection(start, end)
        if scroll and self.lines:
            first, last = line_at(self.lines, start), line_at(self.lines, max(start, end - 1))
            top, height = self.scroll_offset.y, self.scrollable_content_region.height
            if first < top or last >= top + height:
                self.scroll_to(y=max(0, first - height // 3), animate=False)
        self.refresh()
        self.post_message(self.SelectionChanged(self, self.selection))

    # -- mouse -------------------------------------------------------------------------------

    def offset_at(self, x: int, y: int) -> int | None:
        """The text offset under a point of the widget (None in the gutter or below the text)."""
        scroll_x, scroll_y = self.scroll_offset
        index = y + scroll_y
        if not 0 <= index < len(self.lines):
            return None
        line = self.lines[index]
        column = x + scroll_x - GUTTER
        return line.start + max(0, min(column, line.end - line.start))

    def on_mouse_down(self, event: MouseDown) -> None:
        self._drag_from = self.offset_at(event.x, event.y)
        if self._drag_from is not None:
            self.capture_mouse()

    def on_mouse_move(self, event: MouseMove) -> None:
        if self._drag_from is not None and event.button:
            self._drag_to(event.x, event.y)

    def on_mouse_up(self, event: MouseUp) -> None:
        if self._drag_from is not None:
            self._drag_to(event.x, event.y)
            self.release_mouse()
        self._drag_from = None

    def _drag_to(self, x: int, y: int) -> None:
        """Select the words between where the drag started and here (a click: one word)."""
        here = self.offset_at(x, y)
        if here is None or self._drag_from is None:
            return
        start, end = sorted((self._drag_from, here))
        end = max(end, start + 1)
        try:
            span = snap(self.text, start, min(end, len(self.text)), "word")
        except CoderError:
            return  # whitespace only: keep the current selection
        self.select(span.start, span.end, scroll=False)

    def _sentence_index(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self._sentence_starts, offset) - 1)

    def turn_at(self, offset: int) -> model.Segment | None:
        index = bisect.bisect_right(self._turn_starts, offset) - 1
        if index >= 0 and self.turns[index].start <= offset < self.turns[index].end:
            return self.turns[index]
        return None

    def action_sentence(self, step: int) -> None:
        if not self.sentences:
            return
        anchor = self.selection.end - 1 if step > 0 else self.selection.start
        index = self._sentence_index(anchor) + step
        index = min(max(index, 0), len(self.sentences) - 1)
        sentence = self.sentences[index]
        self.select(sentence.start, sentence.end)

    def action_extend(self, step: int) -> None:
        """Grow or shrink the selection by a sentence, within the speaker's turn."""
        if not self.sentences:
            return
        last = self._sentence_index(self.selection.end - 1)
        first = self._sentence_index(self.selection.start)
        if step > 0 and last + 1 < len(self.sentences):
            turn = self.turn_at(self.selection.start)
            following = self.sentences[last + 1]
            if turn is not None and following.end > turn.end:
                self.app.bell()
                return
            self.select(self.selection.start, following.end)
        elif step < 0 and last > first:
            self.select(self.selection.start, self.sentences[last - 1].end)

    def action_word(self, step: int) -> None:
        """Grow or shrink the selection's end by one word."""
        start, end = self.selection.start, self.selection.end
        if step > 0:
            match = WORD.search(self.text, end)
            if match:
                self.select(start, match.end())
            return
        words = [m for m in WORD.finditer(self.text, start, end)]
        if len(words) > 1:
            self.select(start, words[-2].end())

    def action_turn(self) -> None:
        turn = self.turn_at(self.selection.start)
        if turn is not None:
            self.select(turn.start, turn.end)

    def action_page(self, step: int) -> None:
        height = max(1, self.scrollable_content_region.height - 1)
        self.scroll_to(y=self.scroll_offset.y + step * height, animate=False)
        top = min(
            max(0, self.scroll_offset.y + (step * height if step > 0 else 0)), len(self.lines) - 1
        )
        if self.lines:
            offset = self.lines[max(0, min(top, len(self.lines) - 1))].start
            sentence = self.sentences[self._sentence_index(offset)] if self.sentences else None
            if sentence is not None:
                self.select(sentence.start, sentence.end, scroll=False)

    def action_edge(self, which: int) -> None:
        if self.sentences:
            sentence = self.sentences[0 if which == 0 else -1]
            self.select(sentence.start, sentence.end)

    # -- rendering -----------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = y + scroll_y
        width = self.scrollable_content_region.width
        if index >= len(self.lines):
            return Strip.blank(width, self.rich_style)
        line = self.lines[index]
        gutter = self._gutter(line).rjust(GUTTER - 1) + " "
        segments = [Segment(gutter, self.rich_style + Style(color="#808080"))]
        segments += self._text_segments(line)
        strip = Strip(segments).crop(scroll_x, scroll_x + width)
        return strip.extend_cell_length(width, self.rich_style)

    def _timestamps(
        self, turns: list[model.Segment], paragraphs: list[model.Segment]
    ) -> dict[int, float]:
        """Where each time is shown: a turn's start on its label's line, and a paragraph's own
        start on the paragraph's first line (a turn is often several timed blocks)."""
        stamps: dict[int, float] = {}
        for turn in turns:
            if turn.started_at is not None:
                stamps[self.text.rfind("\n", 0, turn.start) + 1] = turn.started_at
        for paragraph in paragraphs:
            if paragraph.started_at is None:
                continue
            line_start = self.text.rfind("\n", 0, paragraph.start) + 1
            stamps.setdefault(line_start, paragraph.started_at)
        return stamps

    def _gutter(self, line: Line) -> str:
        # Wrapped lines start mid-paragraph, so only a paragraph's first line starts at a stamp.
        return _clock(self._stamps.get(line.start))

    def _text_segments(self, line: Line) -> list[Segment]:
        if line.end <= line.start:
            return []
        marks = self.marks.overlapping(line.start, line.end)
        cuts = {line.start, line.end}
        for mark in marks:
            cuts.update(p for p in (mark.start, mark.end) if line.start < p < line.end)
        selection = self.selection
        for p in (selection.start, selection.end):
            if line.start < p < line.end:
                cuts.add(p)
        turn = self.turn_at(line.start) or self.turn_at(line.end - 1)
        label_end = turn.start if turn is not None else -1
        label_start = self.text.rfind("\n", 0, label_end) + 1 if turn is not None else -1
        if line.start < label_end < line.end:
            cuts.add(label_end)
        points = sorted(cuts)
        out: list[Segment] = []
        base = self.rich_style
        for a, b in itertools.pairwise(points):
            style = base
            if label_start <= a < label_end:
                style += Style(bold=True, color="#7fb4ff")
            covering = [m for m in marks if m.start <= a < m.end and not m.suggested]
            proposed = [m for m in marks if m.start <= a < m.end and m.suggested]
            if covering:
                inner = min(covering, key=lambda m: (m.end - m.start, -m.coding_id))
                style += self.code_styles.get(inner.code_id, Style(bgcolor="#444444"))
                if len({m.code_id for m in covering}) > 1:
                    style += Style(underline=True)
            elif proposed:
                style += self.suggestion_styles.get(proposed[0].code_id, Style(underline=True))
            if selection.start <= a < selection.end:
                style += Style(reverse=True)
            out.append(Segment(self.text[a:b], style))
        return out
