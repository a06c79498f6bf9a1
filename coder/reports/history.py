"""The codebook's history from the event log: where each code came from (loaded a priori, or
added during coding) and every change, dated, with undone changes taken out of the counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from coder.history import describe
from coder.model import Event

CHANGES = {
    "code.rename": "renamed",
    "code.merge": "merged",
    "code.split": "split",
    "code.retire": "retired",
    "code.move": "moved",
    "code.edit": "edited",
    "code.delete": "deleted",
}


@dataclass(frozen=True)
class Change:
    event: Event
    text: str


@dataclass(frozen=True)
class CodebookHistory:
    loads: tuple[Event, ...]  # codebook.load (a priori), in order
    added: tuple[Event, ...]  # code.add (during the analysis), in order
    changes: tuple[Change, ...]  # every code.* change and its undoing, in order
    counts: dict[str, int]  # renamed, merged, ... still in effect

    @property
    def a_priori(self) -> int:
        return sum(int(e.data.get("added", 0)) for e in self.loads)


def read(events: list[Event]) -> CodebookHistory:
    """`events` oldest first."""
    counts: Counter[str] = Counter()
    added: list[Event] = []
    loads: list[Event] = []
    changes: list[Change] = []
    for event in events:
        action = event.action
        if action in ("undo", "redo"):
            original = str(event.data.get("action"))
            if original in CHANGES or original in ("code.add", "codebook.load"):
                step = -1 if action == "undo" else 1
                if original in CHANGES:
                    counts[CHANGES[original]] += step
                changes.append(Change(event, describe(event)))
                if original == "code.add":
                    counts["added"] += step
            continue
        if action == "codebook.load":
            loads.append(event)
        elif action == "code.add":
            added.append(event)
            counts["added"] += 1
        elif action in CHANGES:
            counts[CHANGES[action]] += 1
            changes.append(Change(event, describe(event)))
    ordered = {name: counts.get(name, 0) for name in ("added", *CHANGES.values())}
    return CodebookHistory(tuple(loads), tuple(added), tuple(changes), ordered)
