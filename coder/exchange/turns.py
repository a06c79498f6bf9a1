"""Speaker turns found in a text as it stands.

`coder import` rewrites a transcript into its own shape (`Speaker: utterance`, blank lines
between turns). A source from another program cannot be rewritten: its selections count
characters in its text exactly as it is. So the same speaker-label conventions are detected on
its lines (`coder.ingest.labels`), and each turn is located where it already is: from the
first character after the label to the end of the last line before the next label. A line
holding only a timestamp dates the next turn and ends the current one, as on import.
"""

from __future__ import annotations

from coder.ingest.labels import detect, label_counts, match_label, recurring, time_only
from coder.ingest.model import ParsedTranscript, Turn


def _lines(text: str) -> list[tuple[int, str]]:
    """Each line with the offset where its first non-space character is, stripped."""
    found: list[tuple[int, str]] = []
    position = 0
    for line in text.split("\n"):
        stripped = line.strip()
        found.append((position + len(line) - len(line.lstrip()), stripped))
        position += len(line) + 1
    return found


def find_turns(text: str) -> tuple[tuple[Turn, ...], str | None]:
    """The turns of `text` and the name of the label convention, without changing a character."""
    lines = _lines(text)
    stripped = [line for _, line in lines]
    convention = detect(stripped).convention
    if convention is None:
        return (), None
    allowed = recurring(label_counts(convention, stripped)) if convention.strict else None
    turns: list[Turn] = []
    speaker: str | None = None
    started: float | None = None
    start = end = -1
    pending: float | None = None

    def close() -> None:
        if speaker is not None and start >= 0:
            turns.append(Turn(start, end, speaker, started))

    for offset, line in lines:
        if not line:
            continue
        stamp = time_only(line)
        if stamp is not None:
            close()
            speaker, start, pending = None, -1, stamp
            continue
        label = match_label(convention, line)
        if label is not None and allowed is not None and label.speaker not in allowed:
            label = None
        if label is not None:
            close()
            started = label.time if label.time is not None else pending
            speaker, pending = label.speaker, None
            start = end = -1
            if label.rest:
                start = offset + len(line) - len(label.rest)
                end = offset + len(line)
            continue
        if speaker is None:
            continue  # text before the first label lies outside every turn
        if start < 0:
            start = offset
        end = offset + len(line)
    close()
    return tuple(turns), convention.name if turns else None


def transcript(text: str, turns: tuple[Turn, ...], format: str | None) -> ParsedTranscript:
    """A `ParsedTranscript` over stored text, for segmentation and speaker roles."""
    return ParsedTranscript(
        text=text,
        turns=turns,
        format=format or "txt",
        encoding="utf-8",
        encoding_guessed=False,
        convention=None,
    )
