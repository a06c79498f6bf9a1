"""The transcript: wrapped text with speaker labels, timestamps, coloured codings, coding
stripes in a margin, and a keyboard selection. Only the lines on screen are ever rendered."""

from __future__ import annotations

import bisect
import itertools
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
from coder.tui import motion
from coder.tui.layout import Line, Lines, Mark, MarkIndex, line_at, wrap
from coder.tui.widgets.painting import Painting, paint_line
from coder.tui.widgets.stripes import StripeLook, Window, coding_at, lay_out, margin

GUTTER = 8  # "1:02:03 " timestamps, right-aligned


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def stripe_room(width: int) -> tuple[int, int]:
    """Stripe columns and label width of the margin for a view `width` cells wide: fewer
    on a narrow terminal, so the text keeps at least about 45 columns."""
    if width < 70:
        return 3, 6
    if width < 100:
        return 5, 9
    return 6, 16


@dataclass(frozen=True)
class Selection:
    start: int
    end: int


class TranscriptView(ScrollView, can_focus=True):
    """Read and select. The screen owning it applies codes to `selection`.

    Two ways to select: by default the arrows select sentences and grow the end by words or
    sentences; in selection mode (`ctrl+s`) the selection starts at the cursor and the arrows
    move one end (`tab` switches which) by character, word, sentence or turn."""

    DEFAULT_CSS = """
    TranscriptView {
        background: $surface;
        /* Always there (blank while the text fits): a scrollbar that appears once the text
           is in is laid out, and the whole screen painted, a second time. */
        overflow-y: scroll;
        scrollbar-size-vertical: 1;
        scrollbar-background: $surface;
        scrollbar-color: $primary 40%;
    }
    """

    BINDINGS = [
        Binding("down", "vertical(1)", "Next sentence", show=False),
        Binding("up", "vertical(-1)", "Previous sentence", show=False),
        Binding("shift+down", "shift_vertical(1)", "Extend", show=False),
        Binding("shift+up", "shift_vertical(-1)", "Shrink", show=False),
        Binding("right", "horizontal(1)", "Word +", show=False),
        Binding("left", "horizontal(-1)", "Word -", show=False),
        Binding("ctrl+right,shift+right", "word(1)", "Word end +", show=False),
        Binding("ctrl+left,shift+left", "word(-1)", "Word end -", show=False),
        Binding("space", "turn", "Whole turn", id="select-turn"),
        Binding("ctrl+s", "selecting", "Select", id="selection-mode"),
        Binding("tab", "other_end", "Other end", show=False),
        Binding("right_square_bracket", "stripe(1)", "Next stripe", show=False),
        Binding("left_square_bracket", "stripe(-1)", "Previous stripe", show=False),
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

    @dataclass
    class StripeSelected(Message):
        """A stripe was chosen (click, or [ and ]): its coding is the one to act on."""

        coding_id: int

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = ""
        self.turns: list[model.Segment] = []
        self.sentences: list[model.Segment] = []
        self.paragraphs: list[model.Segment] = []
        self.lines: Lines = Lines([], [])
        self.marks = MarkIndex([])
        self.code_styles: dict[int, Style] = {}
        self.suggestion_styles: dict[int, Style] = {}
        self.look = StripeLook()
        self.stripes = True
        self.selection = Selection(0, 0)
        self.selecting = False  # selection mode: `fixed_end` stays, `moving_end` moves
        self.fixed_end = 0
        self.moving_end = 0
        self.selected_coding: int | None = None  # the stripe chosen, if any
        self._line_width = 0
        self._line_starts: list[int] = []
        self._clocks: dict[int, str] = {}  # line index -> time of a turn or paragraph there
        self._turn_starts: list[int] = []
        self._sentence_starts: list[int] = []
        self._sentence_bounds: list[int] = []
        self._turn_bounds: list[int] = []
        self._window: Window | None = None
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
        self.paragraphs = paragraphs or []
        self.sentences = sentences or [
            model.Segment(0, 0, "sentence", t.start, t.end) for t in turns
        ]
        self._turn_starts = [t.start for t in turns]
        self._sentence_starts = [s.start for s in self.sentences]
        self._sentence_bounds = motion.boundaries([(s.start, s.end) for s in self.sentences])
        self._turn_bounds = motion.boundaries([(t.start, t.end) for t in turns])
        self._line_width = 0  # new text: lay it out again even at the same width
        self._relayout()
        if self.sentences:
            first = self.sentences[0]
            self.select(first.start, first.end)

    def set_marks(self, marks: list[Mark], colors: dict[int, str], look: StripeLook) -> None:
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
        self.look = look
        if self.selected_coding is not None and not any(
            m.coding_id == self.selected_coding for m in marks
        ):
            self.selected_coding = None
        self._window = None
        self.refresh()

    def margin_width(self) -> int:
        if not self.stripes:
            return 0
        lanes, labels = stripe_room(self.scrollable_content_region.width)
        return 1 + lanes + 1 + labels

    def toggle_stripes(self) -> None:
        self.stripes = not self.stripes
        self._line_width = 0
        self._relayout()

    def _relayout(self) -> None:
        room = self.scrollable_content_region.width - GUTTER - self.margin_width()
        width = max(20, room)
        if width == self._line_width and self.lines:
            return
        self._line_width = width
        self.lines = wrap(self.text, width)
        self._line_starts = self.lines.starts
        self._clocks = {}
        for segment in itertools.chain(self.turns, self.paragraphs):
            if segment.started_at is not None:
                index = self.line_of(segment.start)
                self._clocks.setdefault(index, _clock(segment.started_at))
        self._window = None
        self.virtual_size = Size(width + GUTTER + self.margin_width(), len(self.lines))
        self.refresh()

    def line_of(self, offset: int) -> int:
        return line_at(self.lines, offset, self._line_starts)

    def on_resize(self, event: Resize) -> None:
        self._relayout()

    # -- selection -----------------------------------------------------------------------------

    def select(
        self, start: int, end: int, *, scroll: bool = True, coding: int | None = None
    ) -> None:
        start, end = max(0, start), min(len(self.text), end)
        if end < start or (end == start and not self.selecting):
            return
        self.selection = Selection(start, end)
        if not self.selecting or coding is not None:  # resizing keeps the chosen coding
            self.selected_coding = coding
        if not self.selecting:
            self.fixed_end, self.moving_end = start, end
        if scroll:
            self.scroll_to_offsets(start, end)
        self.refresh()
        self.post_message(self.SelectionChanged(self, self.selection))

    def scroll_to_offsets(self, start: int, end: int) -> None:
        if not self.lines:
            return
        first, last = self.line_of(start), self.line_of(max(start, end - 1))
        top, height = self.scroll_offset.y, self.scrollable_content_region.height
        if first < top or last >= top + height:
            self.scroll_to(y=max(0, first - height // 3), animate=False)

    def _move_caret(self, to: int) -> None:
        self.moving_end = min(max(to, 0), len(self.text))
        low, high = sorted((self.fixed_end, self.moving_end))
        self.select(low, high, scroll=False)
        self.scroll_to_offsets(self.moving_end, self.moving_end + 1)

    def action_selecting(self) -> None:
        """Selection mode on (starting at the cursor: the start of the selection) or off."""
        self.selecting = not self.selecting
        if self.selecting and self.selected_coding is not None:
            # A chosen stripe: its coding's ends are the selection's, the end moves first.
            self.fixed_end, self.moving_end = self.selection.start, self.selection.end
            self.post_message(self.SelectionChanged(self, self.selection))
        elif self.selecting:
            self.fixed_end = self.moving_end = self.selection.start
            self.select(self.fixed_end, self.fixed_end, scroll=False)
        elif self.selection.end <= self.selection.start:
            self._select_word_at(self.selection.start)  # an empty selection cannot stay
        else:
            self.post_message(self.SelectionChanged(self, self.selection))
        self.refresh_bindings()

    def _select_word_at(self, offset: int) -> None:
        end = motion.by_word(self.text, offset, 1)
        start = motion.by_word(self.text, end, -1)
        if end > start:
            self.select(start, end)

    def action_other_end(self) -> None:
        self.fixed_end, self.moving_end = self.moving_end, self.fixed_end
        self.scroll_to_offsets(self.moving_end, self.moving_end + 1)
        self.refresh()
        self.post_message(self.SelectionChanged(self, self.selection))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "other_end":
            return self.selecting  # otherwise tab moves the focus, as everywhere
        return True

    def jump_to(self, span: tuple[int, int]) -> None:
        """A search found `span`: in selection mode the moving end goes there, else it is
        selected."""
        if self.selecting:
            self._move_caret(span[1] if span[0] >= self.fixed_end else span[0])
        else:
            self.select(*span)

    # -- mouse -------------------------------------------------------------------------------

    def offset_at(self, x: int, y: int) -> int | None:
        """The text offset under a point of the widget (None in the gutter, the margin or
        below the text)."""
        scroll_x, scroll_y = self.scroll_offset
        index = y + scroll_y
        if not 0 <= index < len(self.lines):
            return None
        line = self.lines[index]
        column = x + scroll_x - GUTTER
        if column >= self._line_width:
            return None
        return line.start + max(0, min(column, line.end - line.start))

    def stripe_at(self, x: int, y: int) -> int | None:
        """The coding whose stripe (or label) is under a point of the margin."""
        column = x + self.scroll_offset.x - GUTTER - self._line_width - 1
        if not self.stripes or column < 0 or self._window is None:
            return None
        lanes, _ = stripe_room(self.scrollable_content_region.width)
        return coding_at(self._window, y + self.scroll_offset.y, column, lanes)

    def on_mouse_down(self, event: MouseDown) -> None:
        stripe = self.stripe_at(event.x, event.y)
        if stripe is not None:
            self.choose_stripe(stripe)
            return
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
        self.selecting = False
        self.select(span.start, span.end, scroll=False)

    # -- stripes -------------------------------------------------------------------------------

    def choose_stripe(self, coding_id: int) -> None:
        for mark in self.marks.marks:
            if mark.coding_id == coding_id:
                self.selecting = False
                self.select(mark.start, mark.end, coding=coding_id)
                self.post_message(self.StripeSelected(coding_id))
                return

    def action_stripe(self, step: int) -> None:
        """Choose the next (or previous) coding on the selection's first line, in the
        order of the stripes."""
        line = self.lines[self.line_of(self.selection.start)] if self.lines else None
        if line is None:
            return
        here = [
            m
            for m in self.marks.overlapping(line.start, max(line.end, line.start + 1))
            if not m.suggested
        ]
        if not here:
            self.app.bell()
            return
        window = self._window
        if window is not None:
            here.sort(key=lambda m: (window.lanes.get(m.coding_id, 99), m.coding_id))
        ids = [m.coding_id for m in here]
        if self.selected_coding in ids:
            index = (ids.index(self.selected_coding) + step) % len(ids)
        else:
            index = 0 if step > 0 else len(ids) - 1
        self.choose_stripe(ids[index])

    # -- keys ----------------------------------------------------------------------------------

    def _sentence_index(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self._sentence_starts, offset) - 1)

    def turn_at(self, offset: int) -> model.Segment | None:
        index = bisect.bisect_right(self._turn_starts, offset) - 1
        if index >= 0 and self.turns[index].start <= offset < self.turns[index].end:
            return self.turns[index]
        return None

    def action_vertical(self, step: int) -> None:
        if self.selecting:
            self._move_caret(
                motion.by_boundary(self._sentence_bounds, self.moving_end, step, len(self.text))
            )
            return
        if not self.sentences:
            return
        anchor = self.selection.end - 1 if step > 0 else self.selection.start
        index = self._sentence_index(anchor) + step
        index = min(max(index, 0), len(self.sentences) - 1)
        sentence = self.sentences[index]
        self.select(sentence.start, sentence.end)

    def action_shift_vertical(self, step: int) -> None:
        """Grow or shrink the selection by a sentence, within the speaker's turn (in
        selection mode: move the end to the next turn boundary)."""
        if self.selecting:
            self._move_caret(
                motion.by_boundary(self._turn_bounds, self.moving_end, step, len(self.text))
            )
            return
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

    def action_horizontal(self, step: int) -> None:
        if self.selecting:
            self._move_caret(motion.by_character(self.text, self.moving_end, step))
        else:
            self.action_word(step)

    def action_word(self, step: int) -> None:
        """Grow or shrink the selection's end by one word (in selection mode: move the
        moving end by a word)."""
        if self.selecting:
            self._move_caret(motion.by_word(self.text, self.moving_end, step))
            return
        start, end = self.selection.start, self.selection.end
        if step > 0:
            self.select(start, motion.by_word(self.text, end, 1))
            return
        back = motion.by_word(self.text, end, -1)
        ends = [m.end() for m in motion.WORD.finditer(self.text, start, back)]
        if ends:
            self.select(start, ends[-1])

    def action_turn(self) -> None:
        turn = self.turn_at(self.selection.start)
        if turn is not None:
            self.selecting = False
            self.select(turn.start, turn.end)

    def action_page(self, step: int) -> None:
        height = max(1, self.scrollable_content_region.height - 1)
        self.scroll_to(y=self.scroll_offset.y + step * height, animate=False)
        if self.selecting or not self.lines:
            return
        top = min(
            max(0, self.scroll_offset.y + (step * height if step > 0 else 0)), len(self.lines) - 1
        )
        offset = self.lines[max(0, min(top, len(self.lines) - 1))].start
        sentence = self.sentences[self._sentence_index(offset)] if self.sentences else None
        if sentence is not None:
            self.select(sentence.start, sentence.end, scroll=False)

    def action_edge(self, which: int) -> None:
        if self.selecting:
            self._move_caret(0 if which == 0 else len(self.text))
        elif self.sentences:
            sentence = self.sentences[0 if which == 0 else -1]
            self.select(sentence.start, sentence.end)

    # -- rendering -----------------------------------------------------------------------------

    def _lanes(self) -> Window:
        """The stripes' columns for the lines on screen, laid out once per scroll position."""
        top = int(self.scroll_offset.y)
        bottom = top + self.scrollable_content_region.height
        window = self._window
        if window is not None and (window.top, window.bottom) == (top, bottom):
            return window
        lanes, _ = stripe_room(self.scrollable_content_region.width)
        if self.lines and top < len(self.lines):
            low = self.lines[top].start
            high = self.lines[min(bottom, len(self.lines)) - 1].end + 1
            marks = self.marks.overlapping(low, high)
        else:
            marks = []
        self._window = lay_out(marks, top, bottom, lanes, self.line_of)
        return self._window

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = y + scroll_y
        width = self.scrollable_content_region.width
        base = self.rich_style  # asked once a line: it walks the widget's ancestors
        if index >= len(self.lines):
            return Strip.blank(width, base)
        line = self.lines[index]
        gutter = self._clocks.get(index, "").rjust(GUTTER - 1) + " "
        segments = [Segment(gutter, base + Style(color="#808080"))]
        segments += self._text_segments(line, base)
        if self.stripes:
            used = sum(len(s.text) for s in segments)
            pad = GUTTER + self._line_width + 1 - used
            segments.append(Segment(" " * max(pad, 1), base))
            lanes, labels = stripe_room(width)
            segments += margin(
                self._lanes(), index, self.look, lanes, labels, base, self.selected_coding
            )
        strip = Strip(segments).crop(scroll_x, scroll_x + width)
        return strip.extend_cell_length(width, base)

    def _text_segments(self, line: Line, base: Style) -> list[Segment]:
        turn = (
            self.turn_at(line.start) or self.turn_at(line.end - 1)
            if line.end > line.start
            else None
        )
        label_end = turn.start if turn is not None else -1
        label_start = self.text.rfind("\n", 0, label_end) + 1 if turn is not None else -1
        return paint_line(
            Painting(
                self.text,
                base,
                self.code_styles,
                self.suggestion_styles,
                self.selection.start,
                self.selection.end,
                self.moving_end if self.selecting else None,
            ),
            line,
            self.marks.overlapping(line.start, line.end) if line.end > line.start else [],
            (label_start, label_end),
        )
