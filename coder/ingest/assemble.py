"""Lines and blocks in, the stored text out.

Every reader ends here, so the stored text has one shape whatever the format: a turn is
written `Speaker: utterance`, turns are separated by a blank line, a turn's own paragraphs by a
single newline, and text outside turns is blank-line separated paragraphs. A turn is one
speaker's uninterrupted speech: the maximal run of consecutive blocks by the same speaker
(labelled paragraphs, caption stretches), each block staying a paragraph of the turn with its
own times. Turn offsets cover the utterance only, so codings and sentences never include a
label.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from coder.ingest.labels import (
    CONVENTIONS,
    Convention,
    Label,
    detect,
    edge_times,
    is_header_key,
    key_value,
    label_counts,
    match_custom,
    match_label,
    recurring,
    time_only,
)
from coder.ingest.model import Paragraph, ParsedTranscript, Turn
from coder.ingest.overlaps import split_overlaps

_SENTENCE_END = tuple('.?!:;"”’)]…')
_NAME_COLON = next(c for c in CONVENTIONS if c.name == "name-colon")
# Lines that may start like a label inside speech: examined only when a colon comes early.
_EARLY_COLON = 45


@dataclass
class Para:
    """A paragraph while it is being built, with the times the file gave it."""

    text: str
    started_at: float | None = None
    ended_at: float | None = None


@dataclass
class Block:
    """A labelled block (`is_turn`) or a run of paragraphs outside any turn, while being built.

    `started_at` and `ended_at` are the block's own times; they date its first and last
    paragraph when those have none of their own.
    """

    speaker: str | None
    is_turn: bool
    paragraphs: list[Para] = field(default_factory=list)
    started_at: float | None = None
    ended_at: float | None = None


@dataclass
class _Group:
    speaker: str | None
    is_turn: bool
    paragraphs: list[Para]


def build(
    blocks: Iterable[Block], rename: Callable[[str], str] | None = None
) -> tuple[str, tuple[Turn, ...], int]:
    """The stored text, its turns, and how many labelled blocks were dropped for having no
    words. `rename` gives each speaker label the name to store (aliases merge into one)."""
    groups: list[_Group] = []
    dropped = 0
    for block in blocks:
        paragraphs = _paragraphs(block)
        if not paragraphs:
            dropped += block.is_turn
            continue
        speaker = block.speaker
        if speaker is not None and rename is not None:
            speaker = rename(speaker)
        last = groups[-1] if groups else None
        # Unlabelled stretches (captions without speakers) stay apart: nobody is known to speak.
        if (
            last is not None
            and block.is_turn
            and last.is_turn
            and speaker is not None
            and last.speaker == speaker
        ):
            last.paragraphs.extend(paragraphs)
            continue
        groups.append(_Group(speaker, block.is_turn, paragraphs))
    text, turns = _write(groups)
    return text, turns, dropped


def _paragraphs(block: Block) -> list[Para]:
    """The block's non-empty paragraphs, one per line, with the block's times at its edges."""
    found: list[Para] = []
    for paragraph in block.paragraphs:
        if "\n" not in paragraph.text:
            text = paragraph.text.strip()
            if text:
                found.append(
                    paragraph if text == paragraph.text else Para(text, *_times(paragraph))
                )
            continue
        lines = [line for line in (x.strip() for x in paragraph.text.split("\n")) if line]
        for index, line in enumerate(lines):
            found.append(
                Para(
                    line,
                    paragraph.started_at if index == 0 else None,
                    paragraph.ended_at if index == len(lines) - 1 else None,
                )
            )
    if found and block.is_turn:
        if found[0].started_at is None:
            found[0].started_at = block.started_at
        if found[-1].ended_at is None:
            found[-1].ended_at = block.ended_at
    return found


def _times(paragraph: Para) -> tuple[float | None, float | None]:
    return paragraph.started_at, paragraph.ended_at


def _write(groups: list[_Group]) -> tuple[str, tuple[Turn, ...]]:
    parts: list[str] = []
    turns: list[Turn] = []
    position = 0
    for group in groups:
        if parts:
            position += 2
        if not group.is_turn:
            chunk = "\n\n".join(p.text for p in group.paragraphs)
            parts.append(chunk)
            position += len(chunk)
            continue
        prefix = f"{group.speaker}: " if group.speaker else ""
        start = at = position + len(prefix)
        spans = []
        for paragraph in group.paragraphs:
            end = at + len(paragraph.text)
            spans.append(Paragraph(at, end, paragraph.started_at, paragraph.ended_at))
            at += len(paragraph.text) + 1
        body = "\n".join(p.text for p in group.paragraphs)
        ends = [p.ended_at for p in spans if p.ended_at is not None]
        turns.append(
            Turn(
                start,
                start + len(body),
                group.speaker,
                spans[0].started_at,
                max(ends) if ends else None,
                tuple(spans),
            )
        )
        chunk = prefix + body
        parts.append(chunk)
        position += len(chunk)
    return "\n\n".join(parts), tuple(turns)


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


@dataclass
class Notes:
    """What reading the lines noticed, for the import report and the preview."""

    overlaps: int = 0
    label_like: list[tuple[int, str]] = field(default_factory=list)

    def warnings(self) -> list[str]:
        found = []
        if self.overlaps:
            found.append(
                f"{self.overlaps} overlapping passage(s) marked //…// became turns of their own"
            )
        if self.label_like:
            shown = ", ".join(f"{label!r} (line {n})" for n, label in self.label_like[:5])
            more = " …" if len(self.label_like) > 5 else ""
            found.append(
                f"{len(self.label_like)} line(s) inside turns start like a speaker label and "
                f"were kept as speech: {shown}{more}"
            )
        return found


def blocks_from_lines(
    lines: Sequence[str],
    convention: Convention | None,
    width: int | None = None,
    *,
    allowed: frozenset[str] | None = None,
    sections: frozenset[int] = frozenset(),
    notes: Notes | None = None,
) -> list[Block]:
    """Group lines into blocks by their labels; unlabelled lines continue the previous block.

    Lines before the first label form a preamble outside any turn, and so does a section
    heading (`sections`, by line index) with what follows it up to the next label. Each line
    is a paragraph, except that in hard-wrapped text (`width`) a line that reached the margin
    runs on into the next one. A strict convention takes only the labels in `allowed`.
    """
    notes = notes if notes is not None else Notes()
    blocks: list[Block] = []
    current: Block | None = None
    speaker: str | None = None  # whose turn it is, for the words after an overlap
    previous: str | None = None
    pending: float | None = None
    check_like = convention is not None and convention.name != _NAME_COLON.name
    for number, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            previous = None
            continue
        if number in sections:
            current, speaker, previous = Block(None, False, [Para(line)]), None, None
            blocks.append(current)
            continue
        # In a labelled transcript a line holding only a timestamp marks time, it is not speech:
        # it is left out of the text and dates the next turn that has no time of its own.
        stamp = time_only(line) if convention is not None else None
        if stamp is not None:
            if current is not None and current.is_turn and not current.paragraphs:
                # `Speaker 1` then `0:03` on the next line: the time of the turn just labelled.
                if current.started_at is None:
                    current.started_at = stamp
            else:
                pending = stamp
            previous = None
            continue
        label = _label(convention, line, allowed)
        if label is not None:
            started = label.time if label.time is not None else pending
            pending = None
            current = Block(label.speaker, True, [], started)
            speaker = label.speaker
            blocks.append(current)
            if label.rest:
                current, pending = _speech(blocks, current, speaker, label.rest, notes, None)
            previous = line
            continue
        if current is None:
            current = Block(None, False)
            blocks.append(current)
        paragraphs = current.paragraphs
        if previous is not None and width and paragraphs and len(previous) >= 0.7 * width:
            paragraphs[-1].text = _run_on(paragraphs[-1].text, line)
        elif current.is_turn:
            if check_like and ":" in line[:_EARLY_COLON]:
                _look_for_labels(line, number, notes)
            current, pending = _speech(blocks, current, speaker, line, notes, pending)
        else:
            paragraphs.append(Para(line))
        previous = line
    return blocks


def _speech(
    blocks: list[Block],
    current: Block,
    speaker: str | None,
    text: str,
    notes: Notes,
    pending: float | None,
) -> tuple[Block, float | None]:
    """Add a paragraph of speech to the turn: its edge timestamps date it (one at its end dates
    what follows), and overlaps marked //…// become blocks of their speakers."""
    text, started, ended = edge_times(text)
    if started is None and current.paragraphs:
        started = pending
    following = ended
    if "//" not in text:
        current.paragraphs.append(Para(text, started, ended))
        return current, following
    pieces = split_overlaps(text)
    for index, piece in enumerate(pieces):
        who = piece.speaker if piece.speaker is not None else speaker
        if piece.speaker is not None:
            notes.overlaps += 1
        if who != current.speaker:
            current = Block(who, True)
            blocks.append(current)
        current.paragraphs.append(
            Para(
                piece.text,
                started if index == 0 else None,
                ended if index == len(pieces) - 1 else None,
            )
        )
    return current, following


def _look_for_labels(line: str, number: int, notes: Notes) -> None:
    found = match_label(_NAME_COLON, line)
    if found is not None:
        notes.label_like.append((number + 1, f"{found.speaker}:"))


def _label(
    convention: Convention | None, line: str, allowed: frozenset[str] | None
) -> Label | None:
    if convention is None:
        return None
    if convention.name == "custom":
        return match_custom(convention, line)
    found = match_label(convention, line)
    if found is not None and allowed is not None and found.speaker not in allowed:
        return None
    return found


def _run_on(paragraph: str, line: str) -> str:
    # A word hyphenated at the margin keeps its hyphen: dropping it would merge real compounds.
    if paragraph.endswith("-") and line[:1].islower():
        return paragraph + line
    return f"{paragraph} {line}"


_HEADER_LINES = 15


def _header(lines: Sequence[str]) -> frozenset[int]:
    """A block of `Key: value` lines opening the document (`Interviewer: Mary Jones`, `Date:
    12 May 2021`, `Location: Site B`), set off by a blank line: a header, not speech. One
    key no speaker is called (Date, Location...) tells it from a short exchange."""
    first = next((i for i, line in enumerate(lines) if line), None)
    if first is None:
        return frozenset()
    end = next((i for i in range(first, len(lines)) if not lines[i]), len(lines))
    if not 2 <= end - first <= _HEADER_LINES or not any(lines[end:]):
        return frozenset()
    keys = [key_value(line) for line in lines[first:end]]
    if any(key is None for key in keys) or not any(is_header_key(k) for k in keys if k):
        return frozenset()
    return frozenset(range(first, end))


def from_lines(
    lines: Sequence[str],
    *,
    format: str,
    encoding: str | None,
    encoding_guessed: bool,
    custom: Convention | None,
    unwrap: bool = True,
    sections: frozenset[int] = frozenset(),
    rename: Callable[[str], str] | None = None,
    warnings: Sequence[str] = (),
    format_note: str | None = None,
    encoding_confidence: float | None = None,
) -> ParsedTranscript:
    """A transcript from text lines: detect (or apply) the label convention and build."""
    lines = [line.strip() for line in lines]
    notes_: list[str] = list(warnings)
    runner_up: Convention | None = None
    if custom is not None:
        convention: Convention | None = custom
    else:
        detection = detect(lines)
        convention, runner_up = detection.convention, detection.runner_up
    if custom is not None and not any(match_custom(custom, line) for line in lines):
        notes_.append("the speaker pattern matched no line; the text is kept as paragraphs")
    elif convention is None:
        notes_.append(
            "no speaker labels recognised; the text is kept as paragraphs "
            "(give a speaker pattern if the transcript has labels coder did not see)"
        )
    allowed = (
        recurring(label_counts(convention, lines))
        if convention is not None and convention.strict
        else None
    )
    header = _header(lines)
    if header and convention is not None:
        labelled = [lines[i] for i in sorted(header) if _label(convention, lines[i], allowed)]
        if labelled:
            shown = "; ".join(repr(line) for line in labelled[:3])
            notes_.append(
                f"{len(labelled)} line(s) of the header at the top look like speaker labels and "
                f"were kept outside turns: {shown}" + (" …" if len(labelled) > 3 else "")
            )
        sections = sections | header
    width = wrap_width(lines) if unwrap else None
    notes = Notes()
    blocks = blocks_from_lines(
        lines, convention, width, allowed=allowed, sections=sections, notes=notes
    )
    text, turns, dropped = build(blocks, rename)
    if dropped:
        notes_.append(f"{dropped} speaker label(s) with no words after them were left out")
    notes_.extend(notes.warnings())
    return ParsedTranscript(
        text=text,
        turns=turns,
        format=format,
        encoding=encoding,
        encoding_guessed=encoding_guessed,
        convention=convention.name if convention is not None and turns else None,
        warnings=tuple(notes_),
        runner_up=runner_up.name if runner_up is not None else None,
        format_note=format_note,
        encoding_confidence=encoding_confidence,
    )
