"""Span arithmetic and snapping: worked examples, then properties checked on generated text."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from coder.coding.spans import (
    Span,
    coverage,
    intersection,
    is_word_boundary,
    is_word_char,
    merge_adjacent,
    overlap_length,
    overlaps,
    snap,
    trim,
    union,
)
from coder.errors import UsageError

SAMPLE = "Café — naïve résumé 👩‍⚕️ said “don’t”"
DOCTOR = "👩‍⚕️"


def words(text: str, start: int, end: int) -> str:
    span = snap(text, start, end, "word")
    return text[span.start : span.end]


def select(text: str, fragment: str) -> tuple[int, int]:
    start = text.index(fragment)
    return start, start + len(fragment)


# --- Span -------------------------------------------------------------------------------------


def test_span_is_ordered_and_normalises_integer_types() -> None:
    assert Span(1, 4) < Span(2, 3) < Span(2, 5)
    span = Span(np.int64(2), np.int32(5))  # type: ignore[arg-type]
    assert type(span.start) is int and type(span.end) is int
    assert span == Span(2, 5) and hash(span) == hash(Span(2, 5))
    assert span.length == 3


@pytest.mark.parametrize(("start", "end"), [(3, 3), (4, 2), (-1, 2)])
def test_empty_or_negative_span_is_refused(start: int, end: int) -> None:
    with pytest.raises(UsageError, match=f"{start}-{end}"):
        Span(start, end)


def test_non_integer_offsets_are_refused() -> None:
    with pytest.raises(UsageError, match="integers"):
        Span(1.5, 3)  # type: ignore[arg-type]


# --- snapping to words: examples -------------------------------------------------------------


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("fé — na", "Café — naïve"),  # both edges grow; the dash between words stays
        ("\u200d⚕", DOCTOR),  # a ZWJ emoji sequence is never split
        ("id ", "said"),  # trailing space trimmed
        ("n’", "don’t"),  # apostrophe inside a word
        ("don’t”", "don’t"),  # a closing quote with no opener in the span is dropped
        ("said “do", "said “don’t”"),  # ...and kept when its opener is inside
        (" résumé 👩", f"résumé {DOCTOR}"),
    ],
)
def test_snap_word_on_sample(fragment: str, expected: str) -> None:
    assert words(SAMPLE, *select(SAMPLE, fragment)) == expected


def test_snap_whole_sample_keeps_balanced_quotes() -> None:
    assert words(SAMPLE, 0, len(SAMPLE)) == SAMPLE


TURN = "P: “I don’t know,” she said. Then (mostly) we left... Really?! The students’ views; A&E and well-being, 3.5% of $1,000."


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("I do", "I don’t"),
        ("know,", "know"),  # a comma is not kept on its own
        ("“I don’t know,”", "I don’t know"),  # marks enclosing the whole span are dropped
        ("“I don’t know,” she", "“I don’t know,” she"),  # a comma before a needed closer stays
        ("don’t know,” she", "don’t know,” she"),  # inside the span nothing is removed
        ("sai", "said."),  # sentence-final punctuation stays with the last word
        ("ost", "mostly"),
        ("(mostly", "mostly"),
        ("(mostly)", "mostly"),
        ("mostly) we", "(mostly) we"),  # a closer inside brings back its opener
        ("Then (mostly", "Then (mostly)"),  # an opener inside brings back its closer
        ("left", "left..."),
        ("Really", "Really?!"),
        ("students", "students"),  # a trailing possessive apostrophe is punctuation
        ("views;", "views"),
        ("A&", "A&E"),
        ("being", "well-being"),
        ("3", "3.5%"),
        ("00", "$1,000."),
        ("P", "P"),  # a speaker label's colon is punctuation
    ],
)
def test_snap_word_on_turn(fragment: str, expected: str) -> None:
    assert words(TURN, *select(TURN, fragment)) == expected


def test_straight_quotes_balance_like_typographic_ones() -> None:
    text = 'He said "we tried it" twice.'
    assert words(text, *select(text, 'said "we tried it')) == 'said "we tried it"'
    assert words(text, *select(text, 'said "we')) == 'said "we'  # the quote goes on
    assert words(text, *select(text, "tried it")) == "tried it"
    assert words(text, *select(text, 'it" tw')) == 'it" twice.'  # its opener is not attached
    assert words(text, *select(text, 'we tried it" tw')) == '"we tried it" twice.'


def test_combining_marks_stay_with_their_letter() -> None:
    text = "a cafe\u0301 b"
    assert words(text, 2, 6) == "cafe\u0301"  # selection stops before the combining accent


def test_emoji_attached_to_a_word_joins_it() -> None:
    text = "really great👍🏽 stuff"
    assert words(text, *select(text, "great")) == "great👍🏽"
    assert words(text, *select(text, "👍")) == "great👍🏽"


@pytest.mark.parametrize("fragment", ["   ", "\n\n"])
def test_whitespace_selection_is_refused(fragment: str) -> None:
    text = f"one{fragment}two"
    with pytest.raises(UsageError, match="only whitespace"):
        snap(text, 3, 3 + len(fragment), "word")


def test_selection_without_words_is_refused() -> None:
    text = "yes — no"
    with pytest.raises(UsageError, match="no words"):
        snap(text, *select(text, " — "), "word")


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (2, 99), (5, 5), (6, 4)])
def test_out_of_range_selection_names_offsets_and_length(start: int, end: int) -> None:
    with pytest.raises(UsageError, match=rf"{start}-{end}.*\b12\b"):
        snap("twelve chars", start, end, "word")


def test_bad_unit_arguments() -> None:
    with pytest.raises(UsageError, match="cannot snap to 'clause'"):
        snap("text", 0, 2, "clause")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="needs the document's sentence spans"):
        snap("text", 0, 2, "sentence")
    with pytest.raises(UsageError, match="takes no `units`"):
        snap("text", 0, 2, "word", units=[(0, 4)])


# --- snapping to segments: examples ----------------------------------------------------------

DIALOGUE = "I: How did it start?\n\nP: It began slowly. Then it grew.\n\nI: Why?"
TURNS = [(3, 20), (25, 55), (60, 64)]
SENTENCES = [(3, 20), (25, 41), (42, 55), (60, 64)]


def test_segment_layout_is_what_the_examples_assume() -> None:
    assert [DIALOGUE[s:e] for s, e in SENTENCES] == [
        "How did it start?",
        "It began slowly.",
        "Then it grew.",
        "Why?",
    ]


@pytest.mark.parametrize(
    ("fragment", "unit", "expected"),
    [
        ("began", "sentence", "It began slowly."),
        ("slowly. Then", "sentence", "It began slowly. Then it grew."),
        ("slowly. ", "sentence", "It began slowly."),  # the space between is in no sentence
        ("began", "turn", "It began slowly. Then it grew."),
        ("start?\n\nP: It", "turn", "How did it start?\n\nP: It began slowly. Then it grew."),
    ],
)
def test_snap_to_segments(fragment: str, unit: str, expected: str) -> None:
    units = SENTENCES if unit == "sentence" else TURNS
    span = snap(DIALOGUE, *select(DIALOGUE, fragment), unit, units=units)  # type: ignore[arg-type]
    assert DIALOGUE[span.start : span.end] == expected


def test_snap_accepts_spans_as_units() -> None:
    span = snap(DIALOGUE, 30, 31, "sentence", units=[Span(s, e) for s, e in SENTENCES])
    assert span == Span(25, 41)


def test_selection_between_units_is_refused_naming_the_neighbours() -> None:
    start, end = select(DIALOGUE, "P:")
    with pytest.raises(UsageError, match=r"lies outside every turn, between 3-20 and 25-55"):
        snap(DIALOGUE, start, end, "turn", units=TURNS)


def test_selection_before_the_first_unit_is_refused() -> None:
    with pytest.raises(UsageError, match="between the start of the text and 3-20"):
        snap(DIALOGUE, 0, 2, "turn", units=TURNS)


@pytest.mark.parametrize(
    ("units", "message"),
    [
        ([(25, 55), (3, 20)], "starts before the previous"),
        ([(3, 30), (25, 55)], "starts before the previous"),
        ([(3, 200)], "does not fit"),
        ([(5, 5)], "does not fit"),
        ([], "no paragraph spans"),
        ([(3, 20), (20, 22)], r"paragraph #1 \(20-22\) holds only whitespace"),
    ],
)
def test_bad_units_are_refused(units: list[tuple[int, int]], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        snap(DIALOGUE, 19, 31, "paragraph", units=units)


# --- other span functions: examples ----------------------------------------------------------


def test_union_merges_overlapping_and_touching() -> None:
    spans = [Span(10, 12), Span(0, 3), Span(3, 5), Span(4, 8), Span(20, 25), Span(21, 22)]
    assert union(spans) == [Span(0, 8), Span(10, 12), Span(20, 25)]
    assert union([]) == []


def test_overlap_and_intersection() -> None:
    assert overlaps(Span(0, 5), Span(4, 9)) and overlap_length(Span(0, 5), Span(4, 9)) == 1
    assert intersection(Span(0, 5), Span(4, 9)) == Span(4, 5)
    assert not overlaps(Span(0, 5), Span(5, 9))  # touching is not overlapping
    assert intersection(Span(0, 5), Span(5, 9)) is None
    assert overlap_length(Span(0, 5), Span(7, 9)) == 0
    assert intersection(Span(2, 8), Span(3, 4)) == Span(3, 4)


def test_merge_adjacent_by_gap_length() -> None:
    spans = [Span(0, 3), Span(5, 8), Span(11, 12)]
    assert merge_adjacent(spans) == spans
    assert merge_adjacent(spans, max_gap=2) == [Span(0, 8), Span(11, 12)]
    assert merge_adjacent(spans, max_gap=3) == [Span(0, 12)]


def test_merge_adjacent_across_whitespace_or_given_characters() -> None:
    text = "alpha  beta, gamma\ndelta"
    spans = [Span(*select(text, w)) for w in ("alpha", "beta", "gamma", "delta")]
    assert merge_adjacent(spans, text=text) == [Span(0, 11), Span(13, 24)]
    assert merge_adjacent(spans, text=text, gap_text=" ,") == [Span(0, 18), Span(19, 24)]
    assert merge_adjacent(spans, text=text, max_gap=2) == [Span(0, 24)]


def test_merge_adjacent_misuse() -> None:
    with pytest.raises(UsageError, match="max_gap"):
        merge_adjacent([Span(0, 1)], max_gap=-1)
    with pytest.raises(UsageError, match="pass the text"):
        merge_adjacent([Span(0, 1)], gap_text=" ")
    with pytest.raises(UsageError, match="past the end"):
        merge_adjacent([Span(0, 9)], text="short")


def test_coverage() -> None:
    within = Span(10, 20)
    assert coverage([], within) == 0.0
    assert coverage([Span(0, 30)], within) == 1.0
    assert coverage([Span(8, 12), Span(11, 15), Span(19, 40)], within) == pytest.approx(0.6)


def test_trim() -> None:
    text = "  \n hello there \t"
    assert trim(text, Span(0, len(text))) == Span(4, 15)
    assert trim(text, Span(4, 9)) == Span(4, 9)
    with pytest.raises(UsageError, match="only whitespace"):
        trim(text, Span(0, 3))
    with pytest.raises(UsageError, match=str(len(text))):
        trim(text, Span(5, 50))


# --- properties --------------------------------------------------------------------------------

# Pieces that exercise every rule: accented and non-Latin letters, combining marks, emoji
# sequences (ZWJ, skin tone, flag, keycap), joiners, quotes, brackets, sentence ends, spaces.
PIECES = [
    "Café", "naïve", "résumé", "e\u0301", "Ωμέγα", "東京", "d", "x", "I", "42", "3.5",
    DOCTOR, "👍🏽", "🇨🇦", "1️⃣", "👍",
    "'", "’", "-", "—", "&", "/", ".", ",", ";", ":", "!", "?", "…", "%", "$",
    "“", "”", "‘", "\"", "(", ")", "[", "]", "«", "»",
    " ", " ", " ", "\n", "\t", "\u00a0",
]  # fmt: skip
texts = st.one_of(
    st.lists(st.sampled_from(PIECES), min_size=1, max_size=40).map("".join),
    st.text(min_size=1, max_size=40),
)


@st.composite
def text_and_selection(draw: st.DrawFn) -> tuple[str, int, int]:
    text = draw(texts)
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    return text, start, end


def word_runs(text: str) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for i in range(len(text)):
        if is_word_char(text, i):
            if runs and runs[-1][1] == i:
                runs[-1] = (runs[-1][0], i + 1)
            else:
                runs.append((i, i + 1))
    return runs


@given(text_and_selection())
def test_snap_word_properties(case: tuple[str, int, int]) -> None:
    text, start, end = case
    touched = [(s, e) for s, e in word_runs(text) if s < end and start < e]
    if not touched:
        with pytest.raises(UsageError):
            snap(text, start, end, "word")
        return
    span = snap(text, start, end, "word")
    assert 0 <= span.start < span.end <= len(text)
    assert is_word_boundary(text, span.start) and is_word_boundary(text, span.end)
    # The words inside the result are exactly the words the selection touches...
    inside = [(s, e) for s, e in word_runs(text) if span.start <= s and e <= span.end]
    assert inside == touched
    # ...so every word character of the selection is kept, and so is everything between them.
    assert span.start <= touched[0][0] and touched[-1][1] <= span.end
    # What lies outside the words is punctuation written against them, never whitespace.
    for piece in (text[span.start : touched[0][0]], text[touched[-1][1] : span.end]):
        assert not any(ch.isspace() for ch in piece)
    assert snap(text, span.start, span.end, "word") == span


@given(text_and_selection())
def test_snap_word_keeps_non_space_words_of_the_selection(case: tuple[str, int, int]) -> None:
    text, start, end = case
    assume(any(is_word_char(text, i) for i in range(start, end)))
    span = snap(text, start, end, "word")
    kept = {i for i in range(start, end) if is_word_char(text, i)}
    assert all(span.start <= i < span.end for i in kept)


@st.composite
def text_units_selection(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]], int, int]:
    text = draw(texts)
    n = len(text)
    cuts = sorted(draw(st.sets(st.integers(0, n), min_size=2, max_size=12)))
    # Consecutive cut points, some dropped, give sorted disjoint units with gaps between.
    pairs = list(pairwise(cuts))
    units = [
        p
        for p, keep in zip(
            pairs,
            draw(st.lists(st.booleans(), min_size=len(pairs), max_size=len(pairs))),
            strict=True,
        )
        if keep
    ]
    assume(units)
    start = draw(st.integers(0, n - 1))
    end = draw(st.integers(start + 1, n))
    return text, units, start, end


@given(text_units_selection())
def test_snap_to_units_covers_exactly_the_overlapped_units(
    case: tuple[str, list[tuple[int, int]], int, int],
) -> None:
    text, units, start, end = case
    if text[start:end].isspace():
        with pytest.raises(UsageError, match="whitespace"):
            snap(text, start, end, "sentence", units=units)
        return
    overlapped = [(s, e) for s, e in units if s < end and start < e]
    if not overlapped:
        with pytest.raises(UsageError, match="outside every"):
            snap(text, start, end, "sentence", units=units)
        return
    if any(text[s:e].isspace() for s, e in overlapped):
        with pytest.raises(UsageError, match="only whitespace"):
            snap(text, start, end, "sentence", units=units)
        return
    span = snap(text, start, end, "sentence", units=units)
    assert (span.start, span.end) == (overlapped[0][0], overlapped[-1][1])
    assert all(
        s >= span.end or e <= span.start or (span.start <= s and e <= span.end) for s, e in units
    )
    assert snap(text, span.start, span.end, "sentence", units=units) == span


spans_lists = st.lists(
    st.tuples(st.integers(0, 60), st.integers(1, 15)).map(lambda p: Span(p[0], p[0] + p[1])),
    max_size=12,
)


def chars(spans: list[Span]) -> set[int]:
    return {i for s in spans for i in range(s.start, s.end)}


@given(spans_lists)
def test_union_properties(spans: list[Span]) -> None:
    merged = union(spans)
    assert chars(merged) == chars(spans)
    assert merged == sorted(merged)
    assert all(a.end < b.start for a, b in pairwise(merged))
    assert union(merged) == merged
    assert union(reversed(spans)) == merged


@given(spans_lists.filter(lambda s: len(s) >= 2))
def test_intersection_and_overlap_agree(spans: list[Span]) -> None:
    a, b = spans[0], spans[1]
    shared = chars([a]) & chars([b])
    meet = intersection(a, b)
    assert overlaps(a, b) == overlaps(b, a) == bool(shared) == (meet is not None)
    assert overlap_length(a, b) == overlap_length(b, a) == len(shared)
    assert (chars([meet]) if meet else set()) == shared
    assert intersection(a, b) == intersection(b, a)


@given(spans_lists, st.integers(0, 5), st.one_of(st.none(), texts))
def test_merge_adjacent_properties(spans: list[Span], max_gap: int, text: str | None) -> None:
    if text is not None:
        text = (text * (80 // len(text) + 1))[:80]  # long enough for every generated span
    merged = merge_adjacent(spans, max_gap=max_gap, text=text)
    assert chars(merged) >= chars(spans)
    assert all(a.end < b.start for a, b in pairwise(merged))

    def bridgeable(gap_start: int, gap_end: int) -> bool:
        fits = gap_end - gap_start <= max_gap
        return fits or (text is not None and text[gap_start:gap_end].isspace())

    # Gaps left between results could not be bridged; gaps inside a result could.
    for a, b in pairwise(merged):
        assert not bridgeable(a.end, b.start)
    for span in merged:
        parts = [p for p in union(spans) if span.start <= p.start and p.end <= span.end]
        assert parts and parts[0].start == span.start and parts[-1].end == span.end
        assert all(bridgeable(p.end, q.start) for p, q in pairwise(parts))


@given(spans_lists, st.tuples(st.integers(0, 60), st.integers(1, 30)))
def test_coverage_is_the_covered_share(spans: list[Span], within_pair: tuple[int, int]) -> None:
    within = Span(within_pair[0], within_pair[0] + within_pair[1])
    share = coverage(spans, within)
    assert 0.0 <= share <= 1.0
    assert share == pytest.approx(len(chars(spans) & chars([within])) / within.length)


@given(text_and_selection())
def test_trim_properties(case: tuple[str, int, int]) -> None:
    text, start, end = case
    if text[start:end].isspace():
        with pytest.raises(UsageError):
            trim(text, Span(start, end))
        return
    span = trim(text, Span(start, end))
    assert text[span.start : span.end] == text[start:end].strip()
    assert trim(text, span) == span
