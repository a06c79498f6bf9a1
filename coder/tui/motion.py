"""Where a selection's end goes when it moves by a character, a word, a sentence or a turn.

Pure functions over the text and its segments, so the keyboard selection can be tested (and
reasoned about) without a terminal.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import Literal

Step = Literal["character", "word", "sentence", "turn"]

WORD = re.compile(r"\w[\w'’-]*|[^\w\s]", re.UNICODE)


def by_character(text: str, position: int, direction: int) -> int:
    return min(max(position + direction, 0), len(text))


def by_word(text: str, position: int, direction: int) -> int:
    """Forward: the end of the next word; back: the start of the word before."""
    if direction > 0:
        match = WORD.search(text, position)
        while match is not None and match.end() <= position:
            match = WORD.search(text, match.end())
        return match.end() if match else len(text)
    low = max(0, position - 200)  # words are short: no need to look further back
    starts = [m.start() for m in WORD.finditer(text, low, position) if m.start() < position]
    return starts[-1] if starts else low


def by_boundary(boundaries: Sequence[int], position: int, direction: int, length: int) -> int:
    """The next (or previous) of the sorted `boundaries` past `position`."""
    if direction > 0:
        index = bisect.bisect_right(boundaries, position)
        return boundaries[index] if index < len(boundaries) else length
    index = bisect.bisect_left(boundaries, position) - 1
    return boundaries[index] if index >= 0 else 0


def boundaries(spans: Sequence[tuple[int, int]]) -> list[int]:
    """Every start and end of the spans, sorted: where a sentence or turn begins or ends."""
    return sorted({p for span in spans for p in span})


def find(text: str, term: str, position: int, direction: int) -> tuple[int, int] | None:
    """The next match of `term` (ignoring case) after `position`, or the previous one before
    it, wrapping round the text; None when there is none."""
    needle = term.casefold()
    if not needle:
        return None
    haystack = text.casefold()
    if direction > 0:
        found = haystack.find(needle, position + 1)
        if found < 0:
            found = haystack.find(needle)
    else:
        found = haystack.rfind(needle, 0, max(position, 0))
        if found < 0:
            found = haystack.rfind(needle)
    return None if found < 0 else (found, found + len(term))
