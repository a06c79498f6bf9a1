"""What the concurrency tests run in separate processes (spawned, so importable by name)."""

from __future__ import annotations

from multiprocessing.synchronize import Barrier

from coder import Project
from coder.errors import ConflictError


def code_spans(url: str, coder: str, spans: list[tuple[str, int, int]], start: Barrier) -> int:
    """Apply each (code, start, end) as `coder`, one transaction each; returns how many."""
    with Project.open(url) as project:
        start.wait()
        for code, begin, end in spans:
            applied = project.coding.apply("interview", code, begin, end, coder=coder)
            assert applied.created
    return len(spans)


def edit_definition(url: str, text: str, seen_version: int, start: Barrier) -> str:
    """Edit the definition of Time from the version every contender read; report the outcome."""
    with Project.open(url) as project:
        start.wait()
        try:
            project.codebook.edit("Time", definition=text, seen_version=seen_version)
        except ConflictError as error:
            return f"refused: {error}"
    return "saved"
