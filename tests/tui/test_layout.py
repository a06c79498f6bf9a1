"""Laying a transcript out in lines: the fast wrap against a plain word-by-word greedy wrap,
and the stripes' columns."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from coder.tui.layout import Line, Mark, wrap
from coder.tui.widgets.stripes import coder_look, lay_out

WORD = re.compile(r"[^ \t\n]+")


def greedy(text: str, width: int) -> list[Line]:
    """The textbook greedy wrap, a word at a time (words: runs without space, tab or newline);
    words longer than a line are cut at the line's width."""
    width = max(width, 8)
    lines: list[Line] = []
    position = 0
    for paragraph in text.split("\n"):
        base = position
        position += len(paragraph) + 1
        if not paragraph.strip(" \t"):
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
            while end - line_start > width:
                lines.append(Line(line_start, line_start + width))
                line_start += width
            line_end = end
        if line_start is not None:
            lines.append(Line(line_start, line_end))
    return lines


@given(
    st.text(alphabet=st.sampled_from("ab  \t\nxyzw"), max_size=300),
    st.integers(min_value=1, max_value=40),
)
def test_wrap_is_the_greedy_wrap(text: str, width: int) -> None:
    assert wrap(text, width) == greedy(text, width)


def test_a_long_word_is_cut_and_the_rest_goes_on() -> None:
    text = "tiny " + "x" * 20 + " end"
    assert [text[line.start : line.end] for line in wrap(text, 8)] == [
        "tiny",
        "xxxxxxxx",
        "xxxxxxxx",
        "xxxx end",
    ]


def test_nested_and_overlapping_codings_get_their_own_columns() -> None:
    # Lines are 10 offsets each here; the outer coding spans lines 0-3.
    def line_of(offset: int) -> int:
        return offset // 10

    marks = [
        Mark(0, 40, 1, 101),  # outer, lines 0-3
        Mark(5, 15, 2, 102),  # nested, lines 0-1
        Mark(20, 25, 3, 103),  # nested later, line 2: column 1 is free again
        Mark(12, 38, 4, 104),  # overlapping, lines 1-3
        Mark(30, 31, 5, 105, suggested=True),  # a suggestion has no stripe
    ]
    window = lay_out(marks, 0, 10, 3, line_of)
    assert window.lanes == {101: 0, 102: 1, 104: 2, 103: 1}
    crowded = lay_out(marks, 0, 10, 2, line_of)
    assert crowded.lanes[104] == 2  # more than fit: drawn as "+"


def test_each_coder_has_a_pattern_and_distinct_initials() -> None:
    patterns, initials = coder_look(["maya", "mark", "tomas", "consensus"])
    assert patterns["maya"] == "┃" and len(set(patterns.values())) == 4
    assert initials == {"maya": "my", "mark": "mr", "tomas": "t", "consensus": "c"}


@given(
    st.lists(
        st.tuples(st.integers(0, 500), st.integers(1, 400)).map(lambda t: (t[0], t[0] + t[1])),
        max_size=80,
    ),
    st.integers(0, 600),
    st.integers(1, 100),
)
def test_overlapping_finds_exactly_the_marks_touching_a_range(
    spans: list[tuple[int, int]], start: int, length: int
) -> None:
    from coder.tui.layout import MarkIndex

    marks = [Mark(s, e, 1, i) for i, (s, e) in enumerate(spans)]
    found = MarkIndex(marks).overlapping(start, start + length)
    expected = sorted(
        (m for m in marks if m.end > start and m.start < start + length),
        key=lambda m: (m.start, m.end, m.coding_id),
    )
    assert found == expected


def test_a_margin_label_takes_as_much_path_as_tells_namesakes_apart(tmp_path: Path) -> None:
    from coder import Project
    from coder.tui.screens.coding_data import labels

    with Project.create(tmp_path / "study.coder") as project:
        for name, parent in [
            ("Numbers", None),
            ("Missing", "Numbers"),
            ("Support", None),
            ("Missing", "Support"),
            ("Met", "Support"),
        ]:
            project.codebook.add(name, parent=parent)
        tree = project.codebook.tree()
        named = {tree.path(tree.by_id[code]): label for code, label in labels(tree).items()}
    assert named == {
        "Numbers": "Numbers",
        "Numbers/Missing": "Numbers/Missing",
        "Support": "Support",
        "Support/Missing": "Support/Missing",
        "Support/Met": "Met",
    }
