"""Helpers shared by the ingest tests (imported by name: the test folder is on sys.path)."""

from __future__ import annotations

from collections.abc import Callable

from coder.ingest import ParsedTranscript

# What the `read` fixture returns: write a file, read it as a transcript.
Read = Callable[..., ParsedTranscript]


def turns(parsed: ParsedTranscript) -> list[tuple[str | None, str]]:
    """Each turn as (speaker, the text its offsets cover)."""
    return [(t.speaker, parsed.text[t.start : t.end]) for t in parsed.turns]


def times(parsed: ParsedTranscript) -> list[tuple[float | None, float | None]]:
    return [(t.started_at, t.ended_at) for t in parsed.turns]
