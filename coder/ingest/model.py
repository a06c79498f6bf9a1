"""What the ingest layer hands to the rest of coder: a transcript as text, turns and segments.

Offsets are Python `str` indices (Unicode code points) into `ParsedTranscript.text`, `end`
exclusive, the same convention as every other offset in coder.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SegmentKind = Literal["turn", "paragraph", "sentence"]


@dataclass(frozen=True)
class Turn:
    """One speaker's utterance. The span covers the utterance only, never the `Label: ` prefix."""

    start: int
    end: int
    speaker: str | None
    started_at: float | None = None
    ended_at: float | None = None


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

    @property
    def speakers(self) -> tuple[str, ...]:
        """Speaker labels in order of first appearance."""
        return tuple(dict.fromkeys(t.speaker for t in self.turns if t.speaker is not None))


@dataclass(frozen=True)
class SegmentSpec:
    """A segment to store: a turn, a paragraph or a sentence, with the turn it lies in."""

    kind: SegmentKind
    start: int
    end: int
    speaker: str | None = None
    started_at: float | None = None
    ended_at: float | None = None
    turn_index: int | None = None
