"""What an exchange carried, and what it could not: REFI-QDA §7 asks an importer to show which
elements it discarded, and coder says the same on export. Nothing is dropped without a line
here."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

_EXAMPLES = 3


@dataclass
class Dropped:
    what: str
    why: str
    count: int = 0
    examples: list[str] = field(default_factory=list)

    def line(self) -> str:
        shown = f" (e.g. {', '.join(self.examples)})" if self.examples else ""
        return f"{self.count} × {self.what}{shown}: {self.why}"


@dataclass
class ExchangeReport:
    """`carried` counts what went through; `dropped` groups what did not, with the reason;
    `notes` are decisions worth knowing (a renamed document, a way of counting offsets);
    `warnings` are problems in the file that were worked around."""

    carried: Counter[str] = field(default_factory=Counter)
    dropped: dict[tuple[str, str], Dropped] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def drop(self, what: str, why: str, example: str | None = None, count: int = 1) -> None:
        entry = self.dropped.setdefault((what, why), Dropped(what, why))
        entry.count += count
        if example and len(entry.examples) < _EXAMPLES and example not in entry.examples:
            entry.examples.append(example)

    def carry(self, what: str, count: int = 1) -> None:
        self.carried[what] += count

    def lines(self) -> list[str]:
        """The report as lines a researcher reads."""
        found = [f"{what}: {count}" for what, count in self.carried.items() if count]
        lines = ["carried: " + (", ".join(found) if found else "nothing")]
        lines += [f"not carried: {entry.line()}" for entry in self.dropped.values()]
        lines += [f"note: {note}" for note in self.notes]
        lines += [f"warning: {warning}" for warning in self.warnings]
        return lines
