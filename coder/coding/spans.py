"""Spans of a document's text: snapping rough selections, and interval arithmetic.

A span is a half-open range [start, end) of Python `str` indices (Unicode code points) into a
document's text, the offset convention used everywhere in coder. Everything here is pure: it
takes text and offsets and returns new spans, touching no storage.

Word snapping (`snap(..., "word")`) works on *word characters*, decided per position:

- letters and digits of any script (`str.isalnum`), combining marks (so "é" written as
  "e" + U+0301 stays whole), currency signs and `%` (so "$50" and "3%" are one word), and
  symbols of category So, which is where emoji live, plus emoji skin-tone modifiers and tag
  characters. An emoji therefore counts as a word character: it is never split, it is kept in
  a quote like a word, and an emoji written against a word ("great👍") joins that word.
- joiners count only *between* two word characters: apostrophes ' and ’ (don't, don’t),
  hyphens - U+2010 U+2011 (well-being), `&` (A&E), `/` (and/or, 24/7), and the zero-width
  (non-)joiners that glue emoji sequences such as 👩‍⚕️ together; `.` and `,` join only two
  digits (3.5, 1,000). A joiner at the edge of a word is punctuation: "students’ views"
  gives the words "students" and "views".

A *word* is a maximal run of word characters; a *word boundary* is any position that does
not fall between two characters of the same word (0 and len(text) are boundaries).
"""

from __future__ import annotations

import operator
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from coder.errors import UsageError

SnapUnit = Literal["word", "sentence", "turn", "paragraph"]
SNAP_UNITS: tuple[SnapUnit, ...] = ("word", "sentence", "turn", "paragraph")
SEGMENT_UNITS: frozenset[str] = frozenset({"sentence", "turn", "paragraph"})

_JOINERS = frozenset("'’-\u2010\u2011&/\u200c\u200d")
_DIGIT_JOINERS = frozenset(".,")
_WORD_CATEGORIES = frozenset({"Mn", "Mc", "Me", "So", "Sc"})
# Punctuation a quote keeps after its last word (see `snap`).
_TERMINATORS = frozenset(".!?…")
_OPENERS = {"“": "”", "‘": "’", "«": "»", "‹": "›", "(": ")", "[": "]", "{": "}"}
_CLOSERS = {close: open_ for open_, close in _OPENERS.items()}
_STRAIGHT = frozenset("\"'")


@dataclass(frozen=True, order=True)
class Span:
    """Characters [start, end) of a text; never empty (0 <= start < end).

    Offsets given as NumPy or other integer-like values are stored as plain `int`, so spans
    built from a DataFrame compare and hash like spans built by hand.
    """

    start: int
    end: int

    def __post_init__(self) -> None:
        try:
            start, end = operator.index(self.start), operator.index(self.end)
        except TypeError:
            raise UsageError(
                f"span offsets must be integers, got {self.start!r} and {self.end!r}"
            ) from None
        if not 0 <= start < end:
            raise UsageError(
                f"span {start}-{end} is not a span: offsets must satisfy 0 <= start < end"
            )
        # Frozen dataclass: normalising the stored values needs object.__setattr__.
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)

    @property
    def length(self) -> int:
        return self.end - self.start


# --- snapping ------------------------------------------------------------------------------


def snap(
    text: str,
    start: int,
    end: int,
    unit: SnapUnit,
    *,
    units: Sequence[tuple[int, int] | Span] | None = None,
) -> Span:
    """Extend the rough selection [start, end) of `text` to whole words or whole segments.

    `unit="word"` (see the module docstring for what a word is):

    1. a selection edge that falls inside a word moves outwards to that word's edge;
    2. whitespace and punctuation at either end are trimmed, so the span runs from the first
       to the last word character the selection touches (punctuation between words stays);
    3. for a clean quote, punctuation written against the last word is added back when it
       ends a sentence (. ! ? … and runs such as "?!" or "...") or closes a quotation mark or
       bracket opened inside the span (“ ” ‘ ’ « » ‹ › ( ) [ ] { }, and straight " or ' when
       the span holds an odd number of them); an opening mark written against the first word
       is added back when the span holds its closing partner. Other punctuation (a comma,
       a colon) is kept only when it sits between the last word and such a kept character,
       as in `know,”`. Nothing else outside the words is kept, even when selected: marks
       that enclose the whole span are dropped (a report adds its own), so `“I don’t know,”`
       snaps to `I don’t know`, while `“I don’t know,” she said` keeps its marks.

    The result depends only on the words the selection touches, so snapping is idempotent,
    starts and ends on word boundaries, and contains every word character of the selection.

    `unit="sentence"|"turn"|"paragraph"`: `units` lists that kind of segment as (start, end)
    pairs or spans, sorted, non-overlapping and inside the text (the segments stored at
    import). The result runs from the start of the first unit the selection overlaps (shares a
    character with) to the end of the last one; whitespace in the selection that lies outside
    every unit pulls nothing in. A selection that overlaps no unit, such as a speaker label
    between two turns, raises UsageError rather than guessing: the nearest unit by distance
    is often the wrong one (a label sits closer to the end of the previous turn than to the
    turn it introduces). So does a selection overlapping a unit that is only whitespace.

    Raises UsageError when the offsets are out of range or not start < end, when the selection
    is only whitespace (or, for words, holds no word character), and when `units` is missing,
    unsorted, overlapping or out of range.
    """
    _check_range(text, start, end, "selection")
    if text[start:end].isspace():
        raise UsageError(
            f"the selection {start}-{end} is only whitespace; select some of the words to code"
        )
    if unit == "word":
        if units is not None:
            raise UsageError("snapping to words takes no `units`; they are found in the text")
        return _snap_word(text, start, end)
    if unit in SEGMENT_UNITS:
        if units is None:
            raise UsageError(f"snapping to a {unit} needs the document's {unit} spans (`units`)")
        return _snap_segments(text, start, end, unit, units)
    raise UsageError(f"cannot snap to {unit!r}; choose one of word, sentence, turn or paragraph")


def is_word_char(text: str, i: int) -> bool:
    """Whether `text[i]` belongs to a word (see the module docstring)."""
    ch = text[i]
    if _is_core(ch):
        return True
    if 0 < i < len(text) - 1:
        before, after = text[i - 1], text[i + 1]
        if ch in _JOINERS:
            return _is_core(before) and _is_core(after)
        if ch in _DIGIT_JOINERS:
            return before.isdigit() and after.isdigit()
    return False


def is_word_boundary(text: str, position: int) -> bool:
    """Whether `position` (0..len(text)) does not split a word."""
    if position <= 0 or position >= len(text):
        return True
    return not (is_word_char(text, position - 1) and is_word_char(text, position))


def _is_core(ch: str) -> bool:
    if ch.isalnum() or ch == "%":
        return True
    code = ord(ch)
    if 0x1F3FB <= code <= 0x1F3FF or 0xE0020 <= code <= 0xE007F:  # skin tones, emoji tags
        return True
    return unicodedata.category(ch) in _WORD_CATEGORIES


def _snap_word(text: str, start: int, end: int) -> Span:
    n = len(text)
    while start > 0 and not is_word_boundary(text, start):
        start -= 1
    while end < n and not is_word_boundary(text, end):
        end += 1
    first = next((i for i in range(start, end) if is_word_char(text, i)), None)
    if first is None:
        raise UsageError(
            f"the selection {start}-{end} ({text[start:end]!r}) holds no words to code; "
            "select at least part of a word"
        )
    last = next(i for i in range(end - 1, first - 1, -1) if is_word_char(text, i))
    return _attach_punctuation(text, first, last + 1)


def _attach_punctuation(text: str, start: int, end: int) -> Span:
    """Add back the marks around the words [start, end) that a clean quote keeps."""
    opened: list[str] = []  # openers inside the span still waiting for their closer
    unopened: list[str] = []  # closers inside the span whose opener precedes it, left first
    odd: set[str] = set()  # straight quotes that occur an odd number of times
    for i in range(start, end):
        ch = text[i]
        if ch in _OPENERS:
            opened.append(ch)
        elif ch in _STRAIGHT and not is_word_char(text, i):
            odd ^= {ch}
        elif ch in _CLOSERS and not is_word_char(text, i):
            if opened and opened[-1] == _CLOSERS[ch]:
                opened.pop()
            elif not opened:
                unopened.append(ch)
            # A closer that crosses an open mark is malformed nesting; leave it alone.
    new_end, i = end, end
    while i < len(text) and not text[i].isspace() and not is_word_char(text, i):
        ch = text[i]
        if ch in _TERMINATORS:
            new_end = i + 1
        elif opened and _CLOSERS.get(ch) == opened[-1]:
            opened.pop()
            new_end = i + 1
        elif ch in odd:
            odd.discard(ch)
            new_end = i + 1
        elif ch in _OPENERS or ch in _CLOSERS or ch in _STRAIGHT:
            break  # a mark the span does not need: the quote ends before it
        i += 1
    new_start, i, waiting = start, start - 1, 0
    while i >= 0 and not text[i].isspace() and not is_word_char(text, i):
        ch = text[i]
        if waiting < len(unopened) and _OPENERS.get(ch) == unopened[waiting]:
            waiting += 1
            new_start = i
        elif ch in odd:
            odd.discard(ch)
            new_start = i
        elif ch in _OPENERS or ch in _CLOSERS or ch in _STRAIGHT or ch in _TERMINATORS:
            break
        i -= 1
    return Span(new_start, new_end)


def _snap_segments(
    text: str, start: int, end: int, unit: str, units: Sequence[tuple[int, int] | Span]
) -> Span:
    starts, ends = _check_units(text, unit, units)
    # Units are sorted and disjoint, so their ends are sorted too.
    first = bisect_right(ends, start)  # first unit ending after the selection starts
    last = bisect_left(starts, end) - 1  # last unit starting before the selection ends
    if first > last:
        before = f"{starts[last]}-{ends[last]}" if last >= 0 else "the start of the text"
        after = f"{starts[first]}-{ends[first]}" if first < len(starts) else "the end of the text"
        raise UsageError(
            f"the selection {start}-{end} ({text[start:end]!r}) lies outside every {unit}, "
            f"between {before} and {after}; extend it into the {unit} you mean to code"
        )
    for index in range(first, last + 1):
        # A blank unit cannot be quoted, and snapping to it would not be idempotent: the
        # snapped span would itself be a whitespace-only selection.
        if text[starts[index] : ends[index]].isspace():
            raise UsageError(
                f"{unit} #{index} ({starts[index]}-{ends[index]}) holds only whitespace; "
                "the document's segments need recomputing"
            )
    return Span(starts[first], ends[last])


def _check_units(
    text: str, unit: str, units: Sequence[tuple[int, int] | Span]
) -> tuple[list[int], list[int]]:
    starts: list[int] = []
    ends: list[int] = []
    for index, item in enumerate(units):
        u_start, u_end = (item.start, item.end) if isinstance(item, Span) else item
        if not 0 <= u_start < u_end <= len(text):
            raise UsageError(
                f"{unit} #{index} ({u_start}-{u_end}) does not fit the text "
                f"(offsets run from 0 to {len(text)}, start before end)"
            )
        if ends and u_start < ends[-1]:
            raise UsageError(
                f"{unit} #{index} ({u_start}-{u_end}) starts before the previous {unit} ends "
                f"({ends[-1]}); units must be sorted and must not overlap"
            )
        starts.append(u_start)
        ends.append(u_end)
    if not starts:
        raise UsageError(f"the document has no {unit} spans to snap to")
    return starts, ends


def _check_range(text: str, start: int, end: int, what: str) -> None:
    if not 0 <= start < end <= len(text):
        raise UsageError(
            f"the {what} {start}-{end} does not fit the text: offsets run from 0 to "
            f"{len(text)} (the text's length) and start must be before end"
        )


def trim(text: str, span: Span) -> Span:
    """`span` without the whitespace (`str.isspace`) at either end.

    Raises UsageError when the span lies outside the text or holds only whitespace.
    """
    _check_range(text, span.start, span.end, "span")
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise UsageError(f"the span {span.start}-{span.end} is only whitespace")
    return Span(start, end)


# --- interval arithmetic -------------------------------------------------------------------


def union(spans: Iterable[Span]) -> list[Span]:
    """The characters covered by any of `spans`, as sorted, disjoint, non-touching spans.

    Overlapping spans merge, and so do touching ones ([0, 3) and [3, 5) give [0, 5)): the two
    cover one unbroken stretch of text.
    """
    merged: list[Span] = []
    for span in sorted(spans):
        if merged and span.start <= merged[-1].end:
            if span.end > merged[-1].end:
                merged[-1] = Span(merged[-1].start, span.end)
        else:
            merged.append(span)
    return merged


def overlaps(a: Span, b: Span) -> bool:
    """Whether `a` and `b` share at least one character (touching spans do not)."""
    return a.start < b.end and b.start < a.end


def overlap_length(a: Span, b: Span) -> int:
    """How many characters `a` and `b` share (0 when they do not overlap)."""
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def intersection(a: Span, b: Span) -> Span | None:
    """The characters `a` and `b` share, or None when they share none."""
    if not overlaps(a, b):
        return None
    return Span(max(a.start, b.start), min(a.end, b.end))


def merge_adjacent(
    spans: Iterable[Span],
    *,
    gap_text: str | None = None,
    text: str | None = None,
    max_gap: int = 0,
) -> list[Span]:
    """The union of `spans`, with neighbours separated by a small gap merged across it.

    Two consecutive spans of the union merge when the gap between them is at most `max_gap`
    characters long, or, when `text` is given, when every character of the gap is whitespace
    (`str.isspace`) or, if `gap_text` is given, one of the characters of `gap_text` (for
    example `gap_text=" \\n,;"` also bridges commas and semicolons). With the defaults this is
    `union`. The result is sorted and disjoint; gaps that were not bridged are at least
    `max_gap + 1` characters long.

    Raises UsageError for a negative `max_gap`, for `gap_text` without `text`, and for a span
    that runs past the end of `text`.
    """
    if max_gap < 0:
        raise UsageError(f"max_gap must be 0 or more, got {max_gap}")
    if gap_text is not None and text is None:
        raise UsageError("gap_text says which characters may fill a gap; pass the text too")
    allowed = frozenset(gap_text) if gap_text is not None else None
    merged: list[Span] = []
    for span in union(spans):
        if text is not None and span.end > len(text):
            raise UsageError(
                f"span {span.start}-{span.end} runs past the end of the text ({len(text)})"
            )
        if merged:
            previous = merged[-1]
            gap = span.start - previous.end
            if gap <= max_gap or (
                text is not None and _fillable(text[previous.end : span.start], allowed)
            ):
                merged[-1] = Span(previous.start, span.end)
                continue
        merged.append(span)
    return merged


def _fillable(gap: str, allowed: frozenset[str] | None) -> bool:
    if allowed is None:
        return gap.isspace()
    return all(ch in allowed for ch in gap)


def coverage(spans: Iterable[Span], within: Span) -> float:
    """The share of `within`'s characters covered by at least one of `spans`, in [0, 1].

    Overlapping spans count once (the union is measured); parts outside `within` are ignored.
    """
    covered = sum(overlap_length(span, within) for span in union(spans))
    return covered / within.length
