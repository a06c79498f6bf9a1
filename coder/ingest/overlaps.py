"""Overlapping speech marked inline, as noScribe writes it: `so we went //S02: Right.// there`.

The overlap is said by another speaker while the current one goes on, so it becomes a block
of that speaker's, and the current speaker's words after it a block of theirs again. A
closing `//` may be missing (the overlap then runs to the end of the paragraph), and a
paragraph may start with the `//` that closes an overlap begun in the one before. `//` never
becomes part of a speaker's name or of the stored text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coder.ingest.labels import plausible_name

_OPEN = re.compile(
    r"//[ \t]*(?P<speaker>[^\W\d_][\w.'’&\-]*(?: [\w.'’&\-]+){0,3}?"
    r"(?:[ \t]*\([^()\n]{1,30}\))?)[ \t]*:(?:[ \t]+|$)"
)


@dataclass(frozen=True)
class Piece:
    speaker: str | None  # None: the speaker whose paragraph this is
    text: str


def strip_markers(text: str) -> str:
    """A paragraph without the `//` that opens or closes an overlap at its edges."""
    text = text.strip()
    if text.startswith("//") and not text.startswith("///"):
        text = text[2:].lstrip()
    if text.endswith("//") and not text.endswith("://"):
        text = text[:-2].rstrip()
    return text


def split_overlaps(text: str) -> list[Piece]:
    """The paragraph's pieces in order; a piece with a speaker is an overlap."""
    if "//" not in text:
        return [Piece(None, text)]
    pieces: list[Piece] = []
    position = 0
    for found in _OPEN.finditer(text):
        if found.start() < position or not plausible_name(found["speaker"]):
            continue
        _add(pieces, None, text[position : found.start()])
        close = text.find("//", found.end())
        end = close if close >= 0 else len(text)
        _add(pieces, " ".join(found["speaker"].split()), text[found.end() : end])
        position = end + 2 if close >= 0 else len(text)
    _add(pieces, None, text[position:])
    return pieces or [Piece(None, "")]


def _add(pieces: list[Piece], speaker: str | None, text: str) -> None:
    text = strip_markers(text)
    if text:
        pieces.append(Piece(speaker, text))
