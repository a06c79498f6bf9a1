"""Importing the corpus: `coder import` against the import baseline, the import through the
API on SQLite and PostgreSQL, and loading the codebook and codings (with their targets)."""

from __future__ import annotations

import csv
import json
import sys
from functools import partial
from pathlib import Path
from typing import Any

from bench.generate import CODEBOOK, CODERS
from bench.table import Row, Target
from bench.timing import Profiler, Timing, child, coder_command, measure
from coder import Project
from coder.ingest.api import ImportOptions
from coder.limits import MAX_BYTES


def coder_import(corpus: Path, path: Path, log: Path) -> tuple[float, float, float]:
    """`coder import --manifest` of the corpus into a new project at `path` (an old one
    removed first, `coder init` untimed), timed as `child` times it."""
    for old in path.parent.glob(f"{path.name}*"):
        old.unlink()
    coder = coder_command()
    child([*coder, "init", str(path)], path.parent / "init.log")
    transcripts, manifest = str(corpus / "transcripts"), str(corpus / "manifest.csv")
    return child([*coder, "import", "-p", str(path), transcripts, "--manifest", manifest], log)


def bench_import(corpus: Path, work: Path, repeat: int, profiler: Profiler) -> list[Row]:
    """`coder import` of the corpus vs the import baseline, each in its own process."""
    project, base = work / "project.coder", work / "baseline.sqlite"
    transcripts = str(corpus / "transcripts")
    manifest = str(corpus / "manifest.csv")
    coder = coder_command()
    ours: list[tuple[float, float, float]] = []
    theirs: list[tuple[float, float, float]] = []
    for attempt in range(repeat):  # interleaved, so that a busy moment hits both alike
        for path in work.glob("baseline.sqlite*"):
            path.unlink()
        ours.append(coder_import(corpus, project, work / "import.log"))
        theirs.append(
            child(
                [sys.executable, "-m", "bench.baselines", "import", str(corpus), str(base)],
                work / "baseline-import.log",
            )
        )
        print(
            f"  import run {attempt + 1}: coder {ours[-1][0]:.1f} s, "
            f"baseline {theirs[-1][0]:.1f} s",
            file=sys.stderr,
        )
    if profiler.folder is not None:
        scratch = work / "profile.coder"
        for path in work.glob("profile.coder*"):
            path.unlink()
        child([*coder, "init", str(scratch)], work / "init.log")
        profiler.command(
            "import",
            [*coder, "import", "-p", str(scratch), transcripts, "--manifest", manifest],
            work / "profile-import.log",
        )
    summary = (work / "import.log").read_text().strip().splitlines()[-1]
    files = len(list((corpus / "transcripts").glob("*.txt")))
    fields = ("wall_s", "cpu_s", "peak_mib")
    details = {
        "runs_ours": [dict(zip(fields, run, strict=True)) for run in ours],
        "runs_baseline": [dict(zip(fields, run, strict=True)) for run in theirs],
    }
    return [
        Row(
            "import",
            "sqlite",
            f"coder import, {files} files",
            min(run[0] for run in ours),
            min(run[0] for run in theirs),
            targets=(Target("ratio", 1.5),),
            notes=f"{summary}; baseline: {(work / 'baseline-import.log').read_text().strip()}",
            ours_cpu=min(run[1] for run in ours),
            baseline_cpu=min(run[1] for run in theirs),
            details=details,
        ),
        Row(
            "import",
            "sqlite",
            "same, CPU time (user + system)",
            min(run[1] for run in ours),
            min(run[1] for run in theirs),
            notes="CPU time is what the work costs whatever else runs on the machine",
        ),
        Row(
            "import",
            "sqlite",
            "peak memory (RSS)",
            max(run[2] for run in ours),
            max(run[2] for run in theirs),
            unit="MiB",
            targets=(Target("mib", 1024, ("L",)),),
        ),
    ]


CODINGS_TARGETS = {
    "sqlite": (Target("seconds", 2.0, ("M",)),),
    "postgresql": (Target("seconds", 4.0, ("M",)),),
}


def fill(project: Project, corpus: Path, backend: str, at: str = "") -> list[Row]:
    """Load the codebook and both coders' codings."""
    took, _ = measure(partial(project.codebook.load, CODEBOOK, actor="bench"), 1)
    rows = [Row("setup", backend, f"codebook load (61 codes){at}", took.wall, ours_cpu=took.cpu)]

    files = [part for c in CODERS for part in within_limit(corpus / f"codings-{c}.csv")]

    def load() -> int:
        return sum(project.coding.import_csv(path, actor="bench").added for path in files)

    took, added = measure(load, 1)
    rows.append(
        Row(
            "codings",
            backend,
            f"codings import, {added:,} rows{at}",
            took.wall,
            targets=() if at else CODINGS_TARGETS[backend],
            ours_cpu=took.cpu,
        )
    )
    return rows


def within_limit(path: Path) -> list[Path]:
    """The codings file, or when it is larger than coder reads in one file (at L), its rows
    in consecutive parts that are not, written beside it once: as a user would split it."""
    if path.stat().st_size <= MAX_BYTES:
        return [path]
    folder = path.parent / "parts"
    folder.mkdir(exist_ok=True)
    with path.open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    count = path.stat().st_size // (MAX_BYTES // 2) + 1
    size = len(rows) // count + 1
    parts = []
    for i in range(count):
        part = folder / f"{path.stem}-{i + 1}.csv"
        if not part.exists() or part.stat().st_mtime < path.stat().st_mtime:
            with part.open("w", newline="", encoding="utf-8") as out:
                writer = csv.writer(out, lineterminator="\n")
                writer.writerow(header)
                writer.writerows(rows[i * size : (i + 1) * size])
        parts.append(part)
    return parts


def ready(work: Path, corpus: Path) -> bool:
    stamp = work / "ready.json"
    return stamp.exists() and json.loads(stamp.read_text()) == json.loads(
        (corpus / "meta.json").read_text()
    )


class Imports:
    """This run's imports of the corpus by coder, measured when first needed: the command
    line (the best of `repeat` runs, from the import benchmark when it ran) and the API on
    SQLite (once)."""

    def __init__(self, corpus: Path, work: Path, repeat: int = 1) -> None:
        self.corpus, self.work, self.repeat = corpus, work, repeat
        self.cli_run: tuple[float, float, float] | None = None
        self.api_runs: list[Timing] = []
        self.api_summary = ""
        self.reported = False

    def cli(self) -> tuple[float, float, float]:
        if self.cli_run is None:
            path, log = self.work / "cli-import.coder", self.work / "cli-import.log"
            runs = [coder_import(self.corpus, path, log) for _ in range(max(1, self.repeat))]
            self.cli_run = min(runs, key=lambda run: run[0])
        return self.cli_run

    def api(self, runs: int = 1) -> Timing:
        """The best of (at least) `runs` imports through the API on SQLite, each into a new
        project: call with 1, 2, 3… to interleave them with other imports."""
        while len(self.api_runs) < runs:
            path = self.work / "api-import.coder"
            for old in self.work.glob("api-import.coder*"):
                old.unlink()
            with Project.create(path, title="bench") as project:
                took, report = measure(partial(import_files, project, self.corpus), 1)
            self.api_runs.append(took)
            self.api_summary = report.summary()
        return min(self.api_runs, key=lambda run: run.wall)

    def row(self) -> list[Row]:
        """The SQLite import through the API, if it was measured (once)."""
        if not self.api_runs or self.reported:
            return []
        self.reported = True
        best = self.api()
        runs = len(self.api_runs)
        return [
            Row(
                "import",
                "sqlite",
                f"import_files API ({self.api_summary})",
                best.wall,
                ours_cpu=best.cpu,
                notes=f"best of {runs} run{'s' if runs > 1 else ''}",
            )
        ]


def import_files(project: Project, corpus: Path) -> Any:
    return project.import_files(
        [corpus / "transcripts"], ImportOptions(manifest=corpus / "manifest.csv")
    )
