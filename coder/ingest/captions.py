"""WebVTT (.vtt) and SubRip (.srt) captions: cues in, speaker turns with times out.

Zoom writes the speaker as `Name: text` inside each cue; Microsoft Teams and noScribe write
`<v Name>text</v>` (noScribe without the closing tag, and `//Name: …//` for overlapping
speech); podcast editors name the speaker only on the first cue of a turn; some tools put
`[Name]` or `(Name)` on the cue's first line; many caption files name nobody. Cue numbers, cue
ids (Teams uses GUIDs), cue settings, NOTE/STYLE/REGION blocks and markup (`<i>`, `<c.x>`,
`<00:01.000>`, `{\\an8}`, entities) never reach the stored text.

Consecutive cues of the same speaker run on into one paragraph with the first start and the
last end; a pause of `PAUSE` seconds or more starts a new paragraph, with its own times, in
the same turn. A cue without a label continues the previous speaker, and the import report
says how many there were. In a file with no labels at all, each stretch of speech between
pauses becomes a turn with no speaker, so its times are kept.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from coder.errors import InputError
from coder.ingest.assemble import Block, Para, build
from coder.ingest.labels import (
    CONVENTIONS,
    Convention,
    Score,
    match_custom,
    match_label,
    plausible_bracketed,
    plausible_cue_name,
    score,
    seconds,
)
from coder.ingest.model import ParsedTranscript
from coder.ingest.overlaps import split_overlaps

PAUSE = 3.0

_STAMP = r"(?:\d+:)?\d{1,2}:\d{1,2}(?:[.,]\d{1,3})?"
_TIMING = re.compile(rf"(?P<start>{_STAMP})[ \t]*-->[ \t]*(?P<end>{_STAMP})(?:[ \t]+.*)?")
# Outside a cue, a line that starts like a timing line but lacks a proper arrow is a typo.
_TIMING_LIKE = re.compile(r"(?:\d+:)?\d{1,2}:\d{1,2}[.,:]\d{1,3}[ \t]*-")
_VTT_BLOCK = re.compile(r"(?:NOTE|STYLE|REGION)(?:\s|$)")
_VOICE = re.compile(r"<(/?)v(?:\.[^\s>]*)?(?:[ \t]+([^>]*))?>")
_TAG = re.compile(r"<[^>]*>")
_ASS = re.compile(r"\{\\[^}]*\}")
_DIALOGUE_DASH = re.compile(r"^(?:-|–|—)[ \t]+")
_NAME_COLON = next(c for c in CONVENTIONS if c.name == "name-colon")
# Labels a cue's first line may carry, best first when they score the same.
_CUE_LABELS: tuple[Convention, ...] = (
    Convention("name-colon", _NAME_COLON.pattern, plausible=plausible_cue_name),
    next(c for c in CONVENTIONS if c.name == "bracket-name"),
    next(c for c in CONVENTIONS if c.name == "name-line"),
    Convention(
        "paren-name",
        re.compile(r"\((?P<speaker>[^()\n]{1,60})\)(?:[ \t]*:)?(?:\s+|$)"),
        plausible=plausible_bracketed,
    ),
)


@dataclass
class _Cue:
    line: int
    start: float
    end: float
    payload: list[str]


@dataclass(frozen=True)
class _Piece:
    speaker: str | None  # None: whoever spoke before
    text: str
    overlap: bool = False  # said over the current speaker, who goes on after it


def parse_captions(
    text: str,
    *,
    format: str,
    path: Path,
    encoding: str,
    encoding_guessed: bool,
    custom: Convention | None,
    rename: Callable[[str], str] | None = None,
    format_note: str | None = None,
    encoding_confidence: float | None = None,
) -> ParsedTranscript:
    warnings: list[str] = []
    cues = _cues(text.split("\n"), format, path, warnings)
    voiced = format == "vtt" and any(_VOICE.search(line) for c in cues for line in c.payload)
    runner_up: str | None = None
    if voiced:
        pieces = [_voice_pieces(cue.payload) for cue in cues]
        convention: str | None = "vtt-voice"
    else:
        plain = [[_plain(line, format) for line in cue.payload] for cue in cues]
        labeller, runner = (custom, None) if custom is not None else _cue_labels(plain)
        pieces = [_label_pieces(lines, labeller) for lines in plain]
        convention = None if labeller is None else _caption_name(labeller, format)
        runner_up = None if runner is None else _caption_name(runner, format)
    pieces = [_with_overlaps(cue_pieces) for cue_pieces in pieces]
    blocks, unlabelled = _merge(cues, pieces)
    stored, turns, _ = build(blocks, rename)
    if not stored:
        raise InputError("the captions contain no words; nothing to import", path=path)
    if not any(t.speaker for t in turns):
        convention = None
    elif unlabelled:
        warnings.append(
            f"{unlabelled} of {len(cues)} cues have no speaker label; "
            "each was given to the speaker before it"
        )
    overlaps = sum(p.overlap for cue_pieces in pieces for p in cue_pieces)
    if overlaps:
        warnings.append(f"{overlaps} overlapping passage(s) marked //…// became turns of their own")
    return ParsedTranscript(
        stored,
        turns,
        format,
        encoding,
        encoding_guessed,
        convention,
        tuple(warnings),
        runner_up=runner_up,
        format_note=format_note,
        encoding_confidence=encoding_confidence,
    )


def _caption_name(convention: Convention, format: str) -> str:
    """`vtt-colon`, `srt-bracket`...: the convention as found inside cues."""
    if convention.name == "custom":
        return "custom"
    suffix = {
        "name-colon": "colon",
        "bracket-name": "bracket",
        "paren-name": "paren",
        "name-line": "name-line",
    }
    return f"{format}-{suffix.get(convention.name, convention.name)}"


def _cues(lines: Sequence[str], format: str, path: Path, warnings: list[str]) -> list[_Cue]:
    cues: list[_Cue] = []
    current: _Cue | None = None
    held: list[tuple[int, str]] = []
    skipping = False
    first = 0
    if format == "vtt":
        if lines and lines[0].startswith("WEBVTT"):
            # The header runs to the first blank line, or to the first cue if none comes first.
            first = next(
                (i for i, line in enumerate(lines) if not line.strip() or "-->" in line),
                len(lines),
            )
        else:
            warnings.append("the file does not start with WEBVTT; it was read as WebVTT anyway")
    stray: list[int] = []
    reversed_at: list[int] = []
    for number, raw in enumerate(lines[first:], start=first + 1):
        line = raw.strip()
        if skipping:
            skipping = bool(line)
            continue
        if "-->" in line or (current is None and _TIMING_LIKE.match(line)):
            timing = _TIMING.fullmatch(line)
            start = seconds(timing["start"]) if timing else None
            end = seconds(timing["end"]) if timing else None
            if start is None or end is None:
                example = (
                    "00:00:01,000 --> 00:00:04,000"
                    if format == "srt"
                    else "00:00:01.000 --> 00:00:04.000"
                )
                raise InputError(
                    f"malformed cue timing line {line!r}; expected a line like '{example}'",
                    path=path,
                    line=number,
                )
            if current is not None and current.payload and current.payload[-1].isdigit():
                # The previous cue ran into this one without a blank line: that was its number.
                current.payload.pop()
            _settle(held, cues, format, path, stray, before_timing=True)
            if end < start:
                reversed_at.append(number)
                end = start
            current = _Cue(number, start, end, [])
            cues.append(current)
        elif not line:
            current = None
            _settle(held, cues, format, path, stray, before_timing=False)
        elif current is not None:
            current.payload.append(line)
        elif format == "vtt" and not held and _VTT_BLOCK.match(line):
            skipping = True
        else:
            held.append((number, line))
    _settle(held, cues, format, path, stray, before_timing=False)
    if not cues:
        example = (
            "00:00:01,000 --> 00:00:04,000" if format == "srt" else "00:00:01.000 --> 00:00:04.000"
        )
        raise InputError(
            f"no caption cues found; each cue needs a timing line like '{example}'", path=path
        )
    if reversed_at:
        warnings.append(
            f"{len(reversed_at)} cue(s) end before they start (line "
            f"{', '.join(map(str, reversed_at[:5]))}); their end was set to their start"
        )
    if stray:
        warnings.append(
            f"text outside any cue (line {', '.join(map(str, stray[:5]))}) "
            "was added to the cue before it"
        )
    return cues


def _settle(
    held: list[tuple[int, str]],
    cues: list[_Cue],
    format: str,
    path: Path,
    stray: list[int],
    *,
    before_timing: bool,
) -> None:
    """Lines seen outside a cue: a cue id or number just before a timing line, else stray text."""
    if before_timing and held and (format == "vtt" or held[-1][1].isdigit()):
        held.pop()
    for index, (number, line) in enumerate(held):
        if format == "srt" and line.isdigit() and not before_timing and index + 1 < len(held):
            raise InputError(
                "expected a timing line like '00:00:01,000 --> 00:00:04,000' "
                f"after cue number {line}",
                path=path,
                line=held[index + 1][0],
            )
        if not cues:
            if format == "srt":
                raise InputError(
                    f"expected a cue number or a timing line, found {line!r}",
                    path=path,
                    line=number,
                )
            continue  # header text of a WebVTT file without a blank line after WEBVTT
        cues[-1].payload.append(line)
        stray.append(number)
    held.clear()


def _plain(line: str, format: str) -> str:
    line = _ASS.sub("", _TAG.sub("", line))
    if format == "vtt":
        line = html.unescape(line)
    return " ".join(line.split())


def _voice_pieces(payload: Sequence[str]) -> list[_Piece]:
    text = "\n".join(payload)
    pieces: list[_Piece] = []
    voice: str | None = None
    overlap = False
    position = 0
    for tag in _VOICE.finditer(text):
        _add(pieces, voice, text[position : tag.start()], overlap)
        position = tag.end()
        closing, name = tag.groups()
        name = " ".join((name or "").split())
        # noScribe names a voice `//S01` when it overlaps the current speaker.
        overlap = not closing and name.startswith("//")
        voice = None if closing else (name.lstrip("/ ") or None)
    _add(pieces, voice, text[position:], overlap)
    return pieces


def _add(pieces: list[_Piece], speaker: str | None, raw: str, overlap: bool = False) -> None:
    words = _plain(raw, "vtt")
    if words:
        pieces.append(_Piece(speaker, words, overlap))


def _cue_labels(plain: Sequence[Sequence[str]]) -> tuple[Convention | None, Convention | None]:
    """The labels on the cues' first lines, and the runner-up, when they recur enough to be
    speakers rather than chance colons or brackets."""
    firsts = [_DIALOGUE_DASH.sub("", lines[0]) for lines in plain if lines]
    # A name alone on a cue's first line counts only with words on the lines below it.
    headed = [lines[0] for lines in plain if len(lines) > 1]
    scores = [score(c, headed if c.strict else firsts) for c in _CUE_LABELS]
    good = [s for s in scores if _names_speakers(s)]
    chosen = max(good, key=lambda s: s.support) if good else None
    others = [s for s in scores if s is not chosen and s.matches]
    runner = max(others, key=lambda s: (s.support, s.matches), default=None)
    return (
        chosen.convention if chosen else None,
        runner.convention if runner else None,
    )


def _names_speakers(found: Score) -> bool:
    # A label at the start of a cue is the captioner's convention, so far less evidence is
    # needed than in running text: a name that recurs (podcast editors label only the first
    # cue of a turn), or a short file whose cues nearly all start with one.
    if found.qualifies:
        return True
    if found.support >= 2 and found.support >= 0.5 * found.matches:
        return True
    return found.matches >= 1 and found.share >= 0.8


def _label_pieces(lines: Sequence[str], labeller: Convention | None) -> list[_Piece]:
    pieces: list[_Piece] = []
    for index, line in enumerate(lines):
        if not line:
            continue
        bare = _DIALOGUE_DASH.sub("", line)
        label = None
        # A bare name heads a cue only on its first line, with the words below it.
        heads = labeller is not None and (not labeller.strict or (index == 0 and len(lines) > 1))
        if labeller is not None and heads:
            match = match_custom if labeller.name == "custom" else match_label
            label = match(labeller, bare)
        if label is not None:
            # Kept even when empty: the label may stand alone with the words on the next line.
            pieces.append(_Piece(label.speaker, label.rest))
        elif pieces:
            pieces[-1] = _Piece(pieces[-1].speaker, f"{pieces[-1].text} {line}".strip())
        else:
            pieces.append(_Piece(None, line))
    return pieces


def _with_overlaps(pieces: Sequence[_Piece]) -> list[_Piece]:
    """Split `//Name: …//` overlaps out of each piece (the words around them stay its own)."""
    found: list[_Piece] = []
    for piece in pieces:
        if "//" not in piece.text:
            found.append(piece)
            continue
        for part in split_overlaps(piece.text):
            if part.speaker is None:
                found.append(_Piece(piece.speaker, part.text, piece.overlap))
            else:
                found.append(_Piece(part.speaker, part.text, True))
    return found


def _merge(cues: Sequence[_Cue], pieces: Sequence[Sequence[_Piece]]) -> tuple[list[Block], int]:
    """Blocks of consecutive cues by one speaker, split at pauses, and how many cues had no
    label while someone was speaking (and so continue that speaker)."""
    blocks: list[Block] = []
    block: Block | None = None
    current: str | None = None  # whose turn it is, overlaps aside
    unlabelled = 0
    for cue, cue_pieces in zip(cues, pieces, strict=True):
        for index, piece in enumerate(cue_pieces):
            if not piece.text:
                continue
            if piece.speaker is None:
                unlabelled += index == 0 and current is not None
                speaker = current
            else:
                speaker = piece.speaker
                current = current if piece.overlap else speaker
            gap = cue.start - block.ended_at if block and block.ended_at is not None else 0.0
            if block is not None and speaker == block.speaker and gap < PAUSE:
                block.paragraphs[-1].text = f"{block.paragraphs[-1].text} {piece.text}"
                block.ended_at = max(block.ended_at or cue.end, cue.end)
            else:
                block = Block(speaker, True, [Para(piece.text)], cue.start, cue.end)
                blocks.append(block)
    return blocks, unlabelled
