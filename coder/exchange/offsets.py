"""Character offsets between REFI-QDA sources and coder's stored text.

REFI-QDA 1.5 §10.2 counts selection positions in Unicode code points of the source's plain
text, the first being 0; every producer we know of treats the end as exclusive, as Python
slices do. coder stores text newline-normalised (CRLF and lone CR become LF), so a source with
CRLF line ends needs its positions moved back by the CRs before them. Producers depart from the
standard in two known ways: ATLAS.ti counts a CRLF as one character, and NVivo for Windows
counts UTF-16 code units (an emoji is two). With no CR and no character beyond U+FFFF in the
text, every way of counting agrees; otherwise each is tried on the source's selections and the
one that fits best is kept (and reported when it is not the standard's).

Nothing else is changed in the text: no Unicode normalisation, no trimming, so that offsets
stay true. A byte-order mark is not text and is dropped before counting; a NUL, which no
database text column holds, becomes U+FFFD (one code point for one, offsets unchanged).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

Model = Literal["code points", "code points, CRLF as one", "UTF-16", "UTF-16, CRLF as one"]
STANDARD: Model = "code points"
MODELS: tuple[Model, ...] = (
    "code points",
    "code points, CRLF as one",
    "UTF-16",
    "UTF-16, CRLF as one",
)
_SINGLE_BREAKS = re.compile(r"[\r\u2028\u2029\v\f\x85]")
_WORD = re.compile(r"\w")


@dataclass(frozen=True)
class SourceText:
    """A source's text as found (`raw`, byte-order mark dropped) and as coder stores it."""

    raw: str
    text: str
    removed: tuple[int, ...]  # raw indices of the CRs dropped from CRLF pairs
    replaced_nul: int = 0

    @classmethod
    def of(cls, raw: str) -> SourceText:
        if raw.startswith("\ufeff"):
            raw = raw[1:]
        removed = tuple(m.start() for m in re.finditer("\r\n", raw))
        text = raw.replace("\r\n", "\n")
        # One character for one: a lone CR and the Unicode line breaks become LF, as on import.
        text = _SINGLE_BREAKS.sub("\n", text)
        nul = text.count("\x00")
        return cls(raw, text.replace("\x00", "\ufffd"), removed, nul)


@dataclass
class Span:
    """A selection as the file gives it: positions in the producer's counting."""

    start: int
    end: int
    name: str = ""


@dataclass
class Placed:
    """Selections converted into the stored text: (start, end) or None where a position does
    not exist under the chosen way of counting."""

    model: Model
    spans: list[tuple[int, int] | None] = field(default_factory=list)


def _astral(text: str) -> list[int]:
    return [i for i, c in enumerate(text) if ord(c) > 0xFFFF]


class _Counter:
    """Turns positions of one counting into code-point indices of the stored text."""

    def __init__(self, source: SourceText, model: Model) -> None:
        self.crlf_as_one = model.endswith("CRLF as one")
        self.utf16 = model.startswith("UTF-16")
        reference = source.text if self.crlf_as_one else source.raw
        self.limit = len(reference)
        self.removed = source.removed
        astral = _astral(reference) if self.utf16 else []
        # UTF-16 index just past the k-th astral character, and of its second half.
        self.ends = [a + k + 2 for k, a in enumerate(astral)]
        self.halves = {a + k + 1 for k, a in enumerate(astral)}
        if self.utf16:
            self.limit += len(astral)

    def convert(self, position: int) -> int | None:
        if position < 0 or position > self.limit or position in self.halves:
            return None
        if self.utf16:
            position -= bisect_right(self.ends, position)
        if not self.crlf_as_one:
            position -= bisect_left(self.removed, position)
        return position


def distinct_models(source: SourceText) -> tuple[Model, ...]:
    """The ways of counting that give different answers for this text."""
    crlf = bool(source.removed)
    astral = any(ord(c) > 0xFFFF for c in source.text)
    return tuple(
        m
        for m in MODELS
        if (crlf or not m.endswith("CRLF as one")) and (astral or not m.startswith("UTF-16"))
    )


def _boundary(text: str, position: int) -> bool:
    if position <= 0 or position >= len(text):
        return True
    return not (_WORD.match(text[position - 1]) and _WORD.match(text[position]))


def _squash(text: str) -> str:
    return " ".join(text.split())


def _quote_matches(text: str, start: int, end: int, name: str) -> int:
    """How well a selection's name (ATLAS.ti writes the quotation there, cut with "…") is the
    text it selects: 2 exactly, 1 but for white space, else 0 (also when it is no quotation)."""
    if name and text[start:end] == name:
        return 2
    wanted = name.strip()
    cut = False
    for ellipsis in ("…", "..."):
        if wanted.endswith(ellipsis):
            wanted, cut = wanted[: -len(ellipsis)].rstrip(), True
    wanted = _squash(wanted)
    if len(wanted) < 4:
        return 0
    quote = _squash(text[start:end])
    return int(quote.startswith(wanted) if cut else quote == wanted)


def place(
    source: SourceText,
    spans: Sequence[Span],
    preferred: Sequence[Model] = (STANDARD,),
    *,
    trusted: bool = False,
) -> Placed:
    """Convert `spans` with the way of counting that fits them best.

    Fit, in order: fewest positions that do not exist, most names that are the selected text,
    most starts and ends on word boundaries; a tie goes to the first of `preferred`, then the
    standard's way. `trusted` takes the first of `preferred` without trying the others (for
    files coder wrote itself).
    """
    candidates = distinct_models(source)
    order = [m for m in (*preferred, *MODELS) if m in candidates]
    ranked = list(dict.fromkeys(order))
    if trusted:
        ranked = ranked[:1] if ranked and ranked[0] == preferred[0] else [STANDARD]
    best: tuple[tuple[int, int, int, int], Placed] | None = None
    for rank, model in enumerate(ranked):
        counter = _Counter(source, model)
        placed = Placed(model)
        missing = quotes = bounds = 0
        for span in spans:
            start, end = counter.convert(span.start), counter.convert(span.end)
            if start is None or end is None or start > end:
                placed.spans.append(None)
                missing += 1
                continue
            placed.spans.append((start, end))
            if len(ranked) == 1:
                continue
            quotes += _quote_matches(source.text, start, end, span.name)
            bounds += _boundary(source.text, start) + _boundary(source.text, end)
        score = (-missing, quotes, bounds, -rank)
        if best is None or score > best[0]:
            best = (score, placed)
    assert best is not None
    return best[1]


def preferred_models(origin: str) -> tuple[Model, ...]:
    """What a producer is known to do, tried first (see the module's docstring)."""
    lowered = origin.casefold()
    if "nvivo" in lowered:
        return ("UTF-16", STANDARD)
    if "atlas" in lowered:
        return ("code points, CRLF as one", STANDARD)
    return (STANDARD, "code points, CRLF as one")
