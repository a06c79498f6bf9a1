"""What the ingest layer hands to the rest of coder: a transcript as text, turns and segments.

Offsets are Python `str` indices (Unicode code points) into `ParsedTranscript.text`, `end`
exclusive, the same convention as every other offset in coder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal, NamedTuple

SegmentKind = Literal["turn", "paragraph", "sentence"]


@dataclass(frozen=True)
class Paragraph:
    """One block of a turn as the file had it (a labelled paragraph, a caption stretch), with
    its own times when the file gives them."""

    start: int
    end: int
    started_at: float | None = None
    ended_at: float | None = None


@dataclass(frozen=True)
class Turn:
    """One speaker's uninterrupted speech: the maximal run of consecutive blocks by the same
    speaker. The span covers the utterance only, never the `Label: ` prefix; `paragraphs` are
    its blocks, in order (empty when the turn was found in text that cannot be rewritten, where
    each line is a paragraph)."""

    start: int
    end: int
    speaker: str | None
    started_at: float | None = None
    ended_at: float | None = None
    paragraphs: tuple[Paragraph, ...] = ()


@dataclass(frozen=True)
class ParsedTranscript:
    """A transcript as read from its file, before anything is stored.

    `text` is the stored text: each turn written as `Speaker: utterance`, turns separated by a
    blank line, a turn's own paragraphs by a single newline. Text outside turns (a preamble, or a
    whole document without speaker labels) is kept as blank-line separated paragraphs.
    """

    text: str
    turns: tuple[Turn, ...]
    format: str
    encoding: str | None
    encoding_guessed: bool
    convention: str | None
    warnings: tuple[str, ...] = ()
    # The convention that came closest to being chosen (None when no other one matched).
    runner_up: str | None = None
    # How the format was told when not by the file's extension (sniffed from the content).
    format_note: str | None = None
    # How sure the encoding is, 0-1: 1 for a byte-order mark or valid UTF-8.
    encoding_confidence: float | None = None

    @property
    def speakers(self) -> tuple[str, ...]:
        """Speaker labels in order of first appearance."""
        return tuple(dict.fromkeys(t.speaker for t in self.turns if t.speaker is not None))


class SegmentSpec(NamedTuple):
    """A segment to store: a turn, a paragraph or a sentence, with the turn it lies in.

    A named tuple, not a frozen dataclass: an import makes one per sentence, and a frozen
    dataclass sets each field through `object.__setattr__`, several times slower."""

    kind: SegmentKind
    start: int
    end: int
    speaker: str | None = None
    started_at: float | None = None
    ended_at: float | None = None
    turn_index: int | None = None


# A segment as a plain tuple of `SegmentSpec`'s fields, in their order (as it travels from a
# reader process: see coder/ingest/run.py).
SegmentRow = tuple[SegmentKind, int, int, str | None, float | None, float | None, int | None]

# A SegmentSpec from a tuple of all its fields, made by tuple.__new__ in C: the named tuple's
# own constructor is a Python call, once per sentence of an import.
spec_of: Callable[[tuple[Any, ...]], SegmentSpec] = partial(tuple.__new__, SegmentSpec)
