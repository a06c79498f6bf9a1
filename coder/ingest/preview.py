"""What an import would make of each file, for a researcher to check before committing it:
format and encoding (and how sure), the speaker convention chosen and the runner-up, the
speakers with their roles, participants and number of turns, the first and last timestamp, the
first two turns, and every warning."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coder.ingest.prepare import Prepared
from coder.ingest.textio import sureness

_OPENING = 2


@dataclass(frozen=True)
class SpeakerSummary:
    name: str
    role: str
    participant: str | None
    turns: int


@dataclass(frozen=True)
class FilePreview:
    path: Path
    document: str
    # `new`, and with a project: `duplicate` (same text as `existing`), `exists` (a document of
    # that name has other text), or `failed` (the file cannot be imported: see `error`).
    status: str = "new"
    error: str | None = None
    existing: str | None = None
    format: str | None = None
    format_note: str | None = None
    encoding: str | None = None
    encoding_sureness: str | None = None
    encoding_confidence: float | None = None
    convention: str | None = None
    runner_up: str | None = None
    speakers: tuple[SpeakerSummary, ...] = ()
    turns: int = 0
    paragraphs: int = 0
    first_time: float | None = None
    last_time: float | None = None
    opening: tuple[tuple[str | None, str], ...] = ()
    warnings: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": str(self.path),
            "document": self.document,
            "status": self.status,
            "error": self.error,
            "existing": self.existing,
            "format": self.format,
            "format_note": self.format_note,
            "encoding": self.encoding,
            "encoding_sureness": self.encoding_sureness,
            "encoding_confidence": self.encoding_confidence,
            "convention": self.convention,
            "runner_up": self.runner_up,
            "speakers": [
                {"name": s.name, "role": s.role, "participant": s.participant, "turns": s.turns}
                for s in self.speakers
            ],
            "turns": self.turns,
            "paragraphs": self.paragraphs,
            "first_time": self.first_time,
            "last_time": self.last_time,
            "opening": [{"speaker": who, "text": text} for who, text in self.opening],
            "warnings": list(self.warnings),
        }


def summarise(prepared: Prepared, *, notes: tuple[str, ...] = ()) -> FilePreview:
    parsed = prepared.parsed
    counts = Counter(t.speaker for t in parsed.turns if t.speaker is not None)
    speakers = tuple(
        SpeakerSummary(
            name, prepared.roles.get(name, "participant"), prepared.people.get(name), counts[name]
        )
        for name in parsed.speakers
    )
    times = [
        moment
        for turn in parsed.turns
        for paragraph in turn.paragraphs or ()
        for moment in (paragraph.started_at, paragraph.ended_at)
        if moment is not None
    ] + [t.started_at for t in parsed.turns if t.started_at is not None]
    opening = tuple(
        (turn.speaker, parsed.text[turn.start : turn.end]) for turn in parsed.turns[:_OPENING]
    )
    guess = (
        (f"interviewer guessed: {prepared.guessed} (the most questions)",)
        if prepared.guessed
        else ()
    )
    return FilePreview(
        path=prepared.path,
        document=prepared.name,
        format=parsed.format,
        format_note=parsed.format_note,
        encoding=parsed.encoding,
        encoding_sureness=(
            sureness(parsed.encoding_confidence, parsed.encoding_guessed)
            if parsed.encoding
            else None
        ),
        encoding_confidence=parsed.encoding_confidence,
        convention=parsed.convention,
        runner_up=parsed.runner_up,
        speakers=speakers,
        turns=len(parsed.turns),
        paragraphs=sum(len(t.paragraphs) or 1 for t in parsed.turns),
        first_time=min(times) if times else None,
        last_time=max(times) if times else None,
        opening=opening,
        warnings=(*notes, *guess, *prepared.warnings),
    )


def failure(path: Path, document: str, error: str) -> FilePreview:
    return FilePreview(path=path, document=document, status="failed", error=error)
