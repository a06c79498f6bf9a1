"""Rows of results, their targets, and the printed table."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass(frozen=True)
class Target:
    kind: Literal["ratio", "seconds", "mib"]
    limit: float
    sizes: tuple[str, ...] = ()  # the sizes the issue states it for; () for every size

    def text(self) -> str:
        where = f" ({'/'.join(self.sizes)})" if self.sizes else ""
        if self.kind == "ratio":
            return f"≤{self.limit:g}×{where}"
        if self.kind == "seconds":
            return f"<{duration(self.limit)}{where}"
        return (
            f"≤{self.limit / 1024:g} GiB{where}" if self.limit >= 1024 else f"≤{self.limit:g} MiB"
        )

    def check(self, row: Row) -> bool | None:
        if self.kind == "ratio":
            return None if row.ratio is None else row.ratio <= self.limit
        return None if row.ours is None else row.ours <= self.limit


@dataclass
class Row:
    """One line of the table. `baseline` is the other side of the ratio: a hand-written
    baseline, a peer tool (`against="peer"`), or coder itself in another configuration."""

    benchmark: str
    backend: str
    case: str
    ours: float | None
    baseline: float | None = None
    unit: Literal["s", "MiB"] = "s"
    targets: tuple[Target, ...] = ()
    notes: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    against: Literal["baseline", "peer"] = "baseline"
    # CPU seconds (user + system) of the timed run on each side, where measured: on a busy
    # machine wall time grows while CPU time stays put, so the pair says how noisy a row was.
    ours_cpu: float | None = None
    baseline_cpu: float | None = None
    # Set when the two sides did not compute the same thing: the times are then no comparison.
    failure: str = ""

    @property
    def ratio(self) -> float | None:
        if self.ours is None or not self.baseline:
            return None
        return self.ours / self.baseline

    def verdicts(self, size: str) -> list[tuple[Target, bool | None, bool]]:
        """(target, met, whether the issue states it for this size)."""
        return [(t, t.check(self), not t.sizes or size in t.sizes) for t in self.targets]

    def met_text(self, size: str) -> str:
        if self.failure:
            return "FAIL"
        words = []
        for _, met, applies in self.verdicts(size):
            word = "?" if met is None else ("yes" if met else "NO" if applies else "no")
            words.append(word if applies else f"({word})")
        return " ".join(words) or "-"

    def cpu_text(self) -> str:
        if self.ours_cpu is None and self.baseline_cpu is None:
            return "-"
        return f"{_value(self.ours_cpu, 's')} / {_value(self.baseline_cpu, 's')}"

    def as_json(self, size: str) -> dict[str, Any]:
        return {
            "benchmark": self.benchmark,
            "backend": self.backend,
            "case": self.case,
            "unit": self.unit,
            "ours": self.ours,
            "against": self.against,
            self.against: self.baseline,
            "ratio": self.ratio,
            "ours_cpu_s": self.ours_cpu,
            f"{self.against}_cpu_s": self.baseline_cpu,
            "targets": [
                {"target": t.text(), "met": met, "applies_to_this_size": applies}
                for t, met, applies in self.verdicts(size)
            ],
            "notes": self.notes,
            "failure": self.failure or None,
            **({"details": self.details} if self.details else {}),
        }


def duration(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.1f} ms"
    return f"{seconds:.1f} s" if seconds < 100 else f"{seconds:.0f} s"


def _value(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    return duration(value) if unit == "s" else f"{value:.0f} MiB"


def table(rows: list[Row], size: str) -> str:
    header = (
        "benchmark",
        "backend",
        "case",
        "ours",
        "baseline/peer",
        "ratio",
        "target",
        "met",
        "cpu ours / other",
    )
    lines = [
        (
            r.benchmark,
            r.backend,
            r.case,
            _value(r.ours, r.unit),
            _value(r.baseline, r.unit),
            "-" if r.ratio is None else f"{r.ratio:.2f}×",
            "; ".join(t.text() for t in r.targets) or "-",
            r.met_text(size),
            r.cpu_text(),
        )
        for r in rows
    ]
    widths = [max(len(str(x)) for x in column) for column in zip(header, *lines, strict=True)]
    right = {3, 4, 5, 8}

    def fmt(cells: tuple[str, ...]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    out = [fmt(header), fmt(tuple("-" * w for w in widths))]
    out += [fmt(line) for line in lines]
    notes = [
        f"  {r.benchmark} {r.backend} {r.case}: "
        + "; ".join(x for x in (f"FAILED: {r.failure}" if r.failure else "", r.notes) if x)
        for r in rows
        if r.notes or r.failure
    ]
    if notes:
        out += ["", "notes:", *notes]
    return "\n".join(out)
