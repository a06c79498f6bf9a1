"""Lines and turns in, the stored text out.

Every reader ends here, so the stored text has one shape whatever the format: a turn is
written `Speaker: utterance`, turns are separated by a blank line, a turn's own paragraphs by a
single newline, and text outside turns is blank-line separated paragraphs. Turn offsets cover
the utterance only, so codings and sentences never include a label.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from coder.ingest.labels import (
    Convention,
    Label,
    detect,
    match_custom,
    match_label,
    time_only,
)
from coder.ingest.model import ParsedTranscript, Turn

_SENTENCE_END = tuple('.?!:;"”’)]…')


@dataclass
class Block:
    """A turn (`is_turn`) or a run of paragraphs outside any turn, while it is being built."""

    speaker: str | None
    is_turn: bool
    paragraphs: list[str] = field(default_factory=list)
    started_at: float | None = None
    ended_at: float | None = None


def build(blocks: Iterable[Block]) -> tuple[str, tuple[Turn, ...], int]:
    """The stored text, its turns, and how many turns were dropped for having no words."""
    parts: list[str] = []
    turns: list[Turn] = []
    position = 0
    dropped = 0
    for block in blocks:
        paragraphs = [p for p in (_clean(p) for p in block.paragraphs) if p]
        if not paragraphs:
            dropped += block.is_turn
            continue
        if parts:
            position += 2
        if block.is_turn:
            prefix = f"{block.speaker}: " if block.speaker else ""
            body = "\n".join(paragraphs)
            start = position + len(prefix)
            turns.append(
                Turn(start, start + len(body), block.speaker, block.started_at, block.ended_at)
            )
            chunk = prefix + body
        else:
            chunk = "\n\n".join(paragraphs)
        parts.append(chunk)
        position += len(chunk)
    return "\n\n".join(parts), tuple(turns), dropped


def _clean(paragraph: str) -> str:
    lines = (line.strip() for line in paragraph.split("\n"))
    return "\n".join(line for line in lines if line)


def wrap_width(lines: Sequence[str]) -> int | None:
    """The line width of hard-wrapped text (a PDF, an e-mailed transcript), else None.

    Text is taken as wrapped when most lines that are followed by another line are long (near
    the usual maximum width) and stop mid-sentence: then those line breaks are not paragraphs.
    """
    lengths = sorted(len(line) for line in lines if line)
    if len(lengths) < 8:
        return None
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if not 30 <= width <= 120:
        return None
    pairs = [a for a, b in itertools.pairwise(lines) if a and b]
    if len(pairs) < 5:
        return None
    wrapped = sum(1 for a in pairs if len(a) >= 0.7 * width and not a.endswith(_SENTENCE_END))
    return width if wrapped >= 0.5 * len(pairs) else None


def blocks_from_lines(
    lines: Sequence[str], convention: Convention | None, width: int | None = None
) -> list[Block]:
    """Group lines into turns by their labels; unlabelled lines continue the previous turn.

    Lines before the first label form a preamble outside any turn. Each line is a paragraph,
    except that in hard-wrapped text (`width`) a line that reached the margin runs on into the
    next one.
    """
    blocks: list[Block] = []
    current: Block | None = None
    previous: str | None = None
    pending: float | None = None
    for raw in lines:
        line = raw.strip()
        if not line:
            previous = None
            continue
        # In a labelled transcript a line holding only a timestamp marks time, it is not speech:
        # it is left out of the text and dates the next turn that has no time of its own.
        stamp = time_only(line) if convention is not None else None
        if stamp is not None:
            pending, previous = stamp, None
            continue
        label = _label(convention, line)
        if label is not None:
            started = label.time if label.time is not None else pending
            pending = None
            current = Block(label.speaker, True, [], started)
            blocks.append(current)
            if label.rest:
                current.paragraphs.append(label.rest)
            previous = line
            continue
        if current is None:
            current = Block(None, False)
            blocks.append(current)
        paragraphs = current.paragraphs
        if previous is not None and width and paragraphs and len(previous) >= 0.7 * width:
            paragraphs[-1] = _run_on(paragraphs[-1], line)
        else:
            paragraphs.append(line)
        previous = line
    return blocks


def _label(convention: Convention | None, line: str) -> Label | None:
    if convention is None:
        return None
    if convention.name == "custom":
        return match_custom(convention, line)
    return match_label(convention, line)


def _run_on(paragraph: str, line: str) -> str:
    # A word hyphenated at the margin keeps its hyphen: dropping it would merge real compounds.
    if paragraph.endswith("-") and line[:1].islower():
        return paragraph + line
    return f"{paragraph} {line}"


def from_lines(
    lines: Sequence[str],
    *,
    format: str,
    encoding: str | None,
    encoding_guessed: bool,
    custom: Convention | None,
    unwrap: bool = True,
) -> ParsedTranscript:
    """A transcript from text lines: detect (or apply) the label convention and build."""
    lines = [line.strip() for line in lines]
    notes: list[str] = []
    convention = custom if custom is not None else detect(lines)
    if custom is not None and not any(match_custom(custom, line) for line in lines):
        notes.append("the speaker pattern matched no line; the text is kept as paragraphs")
    elif convention is None:
        notes.append(
            "no speaker labels recognised; the text is kept as paragraphs "
            "(give a speaker pattern if the transcript has labels coder did not see)"
        )
    width = wrap_width(lines) if unwrap else None
    text, turns, dropped = build(blocks_from_lines(lines, convention, width))
    if dropped:
        notes.append(f"{dropped} speaker label(s) with no words after them were left out")
    return ParsedTranscript(
        text=text,
        turns=turns,
        format=format,
        encoding=encoding,
        encoding_guessed=encoding_guessed,
        convention=convention.name if convention is not None and turns else None,
        warnings=tuple(notes),
    )
