"""The speed targets in a few lines, from the rows of a run (bench/results.json).

    python -m bench.summary [bench/results.json]

Each line gathers the rows one target is about (the import's ratio, the matrices on one
backend, the peers' workloads...) and says whether all of them meet it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.generate import ROOT
from bench.table import duration

Json = dict[str, Any]


def _met(row: Json) -> bool | None:
    """Whether the row meets its targets: those stated for the run's size, or failing any,
    the others (informational)."""
    if row.get("failure"):
        return False
    stated = [t for t in row["targets"] if t["applies_to_this_size"]] or row["targets"]
    verdicts = [t["met"] for t in stated]
    if not verdicts or any(v is None for v in verdicts):
        return None
    return all(verdicts)


def _stated(rows: list[Json]) -> bool:
    return any(t["applies_to_this_size"] for r in rows for t in r["targets"])


def _ratio(row: Json) -> str:
    return "-" if row["ratio"] is None else f"{row['ratio']:.2f}×"


def _seconds(row: Json) -> str:
    return "-" if row["ours"] is None else duration(row["ours"])


def _line(
    rows: list[Json], what: str, pick: Callable[[Json], bool], show: Callable[[Json], str]
) -> tuple[str, str, str]:
    chosen = [r for r in rows if pick(r)]
    if not chosen:
        return what, "not measured in this run", "-"
    verdicts = [_met(r) for r in chosen]
    now = " / ".join(show(r) for r in chosen)
    if len(chosen) > 3:
        within = sum(1 for v in verdicts if v)
        now = f"{within} of {len(chosen)} within target"
    if any(v is False for v in verdicts):
        met = "NO"
    elif all(v is True for v in verdicts):
        met = "yes"
    else:
        met = "?"
    return what, now, met if _stated(chosen) else f"({met.lower()})"


def _is(benchmark: str, backend: str, case: str = "", at_l: bool = False) -> Callable[[Json], bool]:
    def pick(row: Json) -> bool:
        return (
            row["benchmark"] == benchmark
            and row["backend"] == backend
            and str(row["case"]).startswith(case)
            and ("at L" in str(row["case"])) == at_l
        )

    return pick


def summary(results: Json) -> str:
    rows: list[Json] = results["rows"]
    lines = [
        _line(rows, "import, wall (SQLite)", _is("import", "sqlite", "coder import"), _ratio),
        _line(rows, "codings import (SQLite)", _is("codings", "sqlite"), _seconds),
        _line(rows, "codings import (PostgreSQL)", _is("codings", "postgresql"), _seconds),
        _line(
            rows,
            "import through the API (PostgreSQL vs SQLite)",
            _is("import", "postgresql"),
            _ratio,
        ),
        _line(rows, "matrices (SQLite)", _is("matrix", "sqlite"), _ratio),
        _line(rows, "matrices (PostgreSQL)", _is("matrix", "postgresql"), _ratio),
        _line(rows, "matrices at L", _is("matrix", "sqlite", at_l=True), _seconds),
        _line(rows, "agreement (SQLite)", _is("agreement", "sqlite"), _ratio),
        _line(rows, "agreement (PostgreSQL)", _is("agreement", "postgresql"), _ratio),
        _line(rows, "all quotes of a theme at L", _is("retrieval", "sqlite", at_l=True), _seconds),
        _line(rows, "workbench: open the long transcript", _is("tui", "sqlite", "open"), _seconds),
        _line(rows, "workbench: page down", _is("tui", "sqlite", "page"), _seconds),
        _line(
            rows,
            "peers: coder ahead on every shared workload",
            lambda r: (
                r["benchmark"] == "peer" and (r["ours"] is not None or bool(r.get("failure")))
            ),
            _ratio,
        ),
    ]
    width = [max(len(line[i]) for line in lines) for i in range(3)]
    head = ("target", "now", "met")
    out = [
        "  ".join(h.ljust(w) for h, w in zip(head, width, strict=True)).rstrip(),
        "  ".join("-" * w for w in width),
    ]
    out += [
        "  ".join(c.ljust(w) for c, w in zip(line, width, strict=True)).rstrip() for line in lines
    ]
    out.append("met: for the targets stated for this size; in parentheses for another size")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else ROOT / "bench" / "results.json"
    print(summary(json.loads(path.read_text())))


if __name__ == "__main__":
    main()
