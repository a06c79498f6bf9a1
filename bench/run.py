"""Run every benchmark against its baseline, print a table and write bench/results.json.

    python -m bench.run --size M                 # or: make bench SIZE=M
    python -m bench.run --size S --no-postgres
    python -m bench.run --size M --only matrix,agreement --profile

Each benchmark times coder's public API (or its command line, for import) and a hand-written
baseline (bench/baselines.py) in the same run, on the same data, one after the other, and
reports their ratio. Fast operations take the best of --repeat runs. Targets come from the
benchmarks issue; a target stated for another size than the one run is shown in parentheses
and is informational. Nothing here fails on a missed target unless --check is given.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from bench import generate
from bench.analysis import THEME, Subject, bench_agreement, bench_matrix, bench_retrieval
from bench.generate import CODEBOOK, CODERS, DATA, ROOT
from bench.peers import VERSIONS, PeerUnavailable
from bench.table import Row, Target, table
from bench.timing import Profiler, Timing, child, coder_command, measure
from bench.tui import bench_tui
from coder import Project
from coder.coding.quotes import QuoteFilter
from coder.importer import ImportOptions

RESULTS = ROOT / "bench" / "results.json"
BENCHMARKS = ("import", "matrix", "agreement", "retrieval", "tui", "large", "peers")
AT_L = " at L (2,000 transcripts)"


# -- PostgreSQL ----------------------------------------------------------------------------


@contextmanager
def postgres(mode: str) -> Iterator[tuple[Any | None, str]]:
    """(server, note): a throwaway server from tests/postgres_server.py, or None and why."""
    if mode == "no":
        yield None, "PostgreSQL rows skipped (--no-postgres)"
        return
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        import importlib

        servers = importlib.import_module("postgres_server")
        if not os.environ.get("CODER_TEST_POSTGRES_URL"):
            servers._bindir()
        server = servers.ThrowawayPostgres()
        server.start()
    except Exception as exc:  # no binaries, or the server would not start
        if mode == "yes":
            raise
        yield None, f"PostgreSQL rows skipped: {str(exc).splitlines()[0]}"
        return
    try:
        yield server, ""
    finally:
        server.stop()


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


# -- setting up the projects ---------------------------------------------------------------


def bench_import(corpus: Path, work: Path, repeat: int, profiler: Profiler) -> list[Row]:
    """`coder import` of the corpus vs the import baseline, each in its own process."""
    project, base = work / "project.coder", work / "baseline.sqlite"
    transcripts = str(corpus / "transcripts")
    manifest = str(corpus / "manifest.csv")
    coder = coder_command()
    ours: list[tuple[float, float, float]] = []
    theirs: list[tuple[float, float, float]] = []
    for attempt in range(repeat):  # interleaved, so that a busy moment hits both alike
        for path in work.glob("project.coder*"):
            path.unlink()
        for path in work.glob("baseline.sqlite*"):
            path.unlink()
        child([*coder, "init", str(project)], work / "init.log")
        ours.append(
            child(
                [*coder, "import", "-p", str(project), transcripts, "--manifest", manifest],
                work / "import.log",
            )
        )
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

    def load() -> int:
        return sum(
            project.coding.import_csv(corpus / f"codings-{c}.csv", actor="bench").added
            for c in CODERS
        )

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


def _ready(work: Path, corpus: Path) -> bool:
    stamp = work / "ready.json"
    return stamp.exists() and json.loads(stamp.read_text()) == json.loads(
        (corpus / "meta.json").read_text()
    )


class Imports:
    """This run's imports of the corpus by coder, each measured once, when first needed: the
    command line (from the import benchmark when it ran) and the API on SQLite."""

    def __init__(self, corpus: Path, work: Path) -> None:
        self.corpus, self.work = corpus, work
        self.cli_run: tuple[float, float, float] | None = None
        self.api_run: Timing | None = None
        self.api_summary = ""

    def cli(self) -> tuple[float, float, float]:
        if self.cli_run is None:
            path = self.work / "cli-import.coder"
            for old in self.work.glob("cli-import.coder*"):
                old.unlink()
            coder = coder_command()
            child([*coder, "init", str(path)], self.work / "init.log")
            argv = [*coder, "import", "-p", str(path), str(self.corpus / "transcripts")]
            manifest = ["--manifest", str(self.corpus / "manifest.csv")]
            self.cli_run = child([*argv, *manifest], self.work / "cli-import.log")
        return self.cli_run

    def api(self) -> Timing:
        if self.api_run is None:
            path = self.work / "api-import.coder"
            for old in self.work.glob("api-import.coder*"):
                old.unlink()
            with Project.create(path, title="bench") as project:
                self.api_run, report = measure(partial(_import_files, project, self.corpus), 1)
            self.api_summary = report.summary()
        return self.api_run

    def row(self) -> list[Row]:
        if self.api_run is None:
            return []
        return [
            Row(
                "import",
                "sqlite",
                f"import_files API ({self.api_summary})",
                self.api_run.wall,
                ours_cpu=self.api_run.cpu,
            )
        ]


def _import_files(project: Project, corpus: Path) -> Any:
    return project.import_files(
        [corpus / "transcripts"], ImportOptions(manifest=corpus / "manifest.csv")
    )


def _sqlite(path: Path) -> Subject:
    return Subject("sqlite", Project.open(path), partial(sqlite3.connect, path))


# -- the L rows of a run at another size -----------------------------------------------------


def bench_large(repeat: int, profiler: Profiler) -> list[Row]:
    """Matrices (themes x site, every measure) and a theme's quotes on the L corpus, built
    once through the API and kept under bench/data/L/work/ while the corpus and the schema
    are unchanged."""
    corpus = generate.corpus("L")
    work = DATA / "L" / "work"
    work.mkdir(parents=True, exist_ok=True)
    path = work / "project.coder"
    rows: list[Row] = []
    current = _ready(work, corpus)
    if current:
        with Project.open(path) as project:
            info = project.info()
            current = info.schema_version == info.schema_head
    if not current:
        print("large: building the L project (kept for later runs)", file=sys.stderr)
        (work / "ready.json").unlink(missing_ok=True)
        for old in work.glob("project.coder*"):
            old.unlink()
        with Project.create(path, title="bench L") as project:
            took, report = measure(partial(_import_files, project, corpus), 1)
            rows.append(
                Row(
                    "setup",
                    "sqlite",
                    f"import_files API ({report.summary()}){AT_L}",
                    took.wall,
                    ours_cpu=took.cpu,
                )
            )
            rows += fill(project, corpus, "sqlite", at=AT_L)
        (work / "ready.json").write_text((corpus / "meta.json").read_text())
    subject = _sqlite(path)
    try:
        print("large: matrices and retrieval at L", file=sys.stderr)
        rows += bench_matrix(
            subject, repeat, profiler, splits=(None,), at=AT_L, targets=(Target("seconds", 1.0),)
        )
        rows += bench_retrieval(
            subject, repeat, profiler, at=AT_L, targets=(Target("seconds", 0.5),)
        )
    finally:
        subject.project.close()
    return rows


# -- peers ---------------------------------------------------------------------------------


def bench_peers(
    corpus: Path, work: Path, project: Project, imports: Imports, repeat: int
) -> list[Row]:
    from bench.peers.qc_peer import bench_qc
    from bench.peers.taguette_peer import bench_taguette

    rows: list[Row] = []
    folder = work / "peers"
    quotes = partial(project.coding.quotes, QuoteFilter(code=THEME))
    runs: dict[str, Callable[[], list[Row]]] = {
        "qc": lambda: bench_qc(corpus, folder, work / "project.coder", THEME, repeat, imports.cli),
        "taguette": lambda: bench_taguette(corpus, folder, quotes, THEME, repeat, imports.api),
    }
    for name, run in runs.items():
        print(f"peers: {name}", file=sys.stderr)
        try:
            rows += run()
        except PeerUnavailable as exc:
            rows.append(Row("peer", name, "every workload", None, notes=f"not run: {exc}"))
        except Exception as exc:  # a peer's failure must not hide the rest of the table
            traceback.print_exc()
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
            rows.append(Row("peer", name, "every workload", None, failure=first))
    return rows


# -- the machine ---------------------------------------------------------------------------


def machine(server: Any | None) -> dict[str, Any]:
    found: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": None,
        "platform": platform.platform(),
        "load_average_at_start": list(os.getloadavg()),
        "peers": {name: f"{p}=={v}" for name, (p, v) in VERSIONS.items()},
    }
    if server is not None:
        import psycopg

        with psycopg.connect(_libpq(server.url(server.create_database()))) as con:
            row = con.execute("SHOW server_version").fetchone()
            found["postgresql"] = None if row is None else str(row[0])
    return found


# -- main ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(generate.SIZES), default="S")
    parser.add_argument("--repeat", type=int, default=3, help="runs per fast operation (best)")
    parser.add_argument("--import-repeat", type=int, help="import runs (default 3 for S, else 1)")
    pg = parser.add_mutually_exclusive_group()
    pg.add_argument(
        "--postgres",
        dest="postgres",
        action="store_const",
        const="yes",
        help="require PostgreSQL rows (fail if no server can be started)",
    )
    pg.add_argument("--no-postgres", dest="postgres", action="store_const", const="no")
    parser.add_argument("--only", help=f"comma-separated subset of {','.join(BENCHMARKS)}")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also write profiles of coder's side to bench/data/SIZE/profiles/",
    )
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when a target stated for this size is missed"
    )
    args = parser.parse_args(argv)
    size = args.size
    # The L rows build a 2,000-transcript project the first time: on by default for M only.
    default = set(BENCHMARKS) - (set() if size == "M" else {"large"})
    only = set(args.only.split(",")) if args.only else default
    unknown = only - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    import_repeat = args.import_repeat or (3 if size == "S" else 1)
    profiler = Profiler(DATA / size / "profiles" if args.profile else None)

    started = time.perf_counter()
    print(f"corpus {size}: generating or reusing bench/data/{size}/", file=sys.stderr)
    corpus = generate.corpus(size)
    meta = json.loads((corpus / "meta.json").read_text())
    work = DATA / size / "work"
    work.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    notes: list[str] = []
    imports = Imports(corpus, work)

    if "import" in only or not _ready(work, corpus):
        print("import: coder import vs baseline", file=sys.stderr)
        (work / "ready.json").unlink(missing_ok=True)
        imported = bench_import(corpus, work, import_repeat, profiler)
        with Project.open(work / "project.coder") as project:
            setup = fill(project, corpus, "sqlite")
        (work / "ready.json").write_text(json.dumps(meta))
        if "import" in only:
            rows += imported
            best_run = min(imported[0].details["runs_ours"], key=lambda run: run["wall_s"])
            imports.cli_run = (best_run["wall_s"], best_run["cpu_s"], best_run["peak_mib"])
        rows += setup

    targets = [_sqlite(work / "project.coder")]
    wants_pg = bool(only & {"import", "matrix", "agreement"})
    with postgres((args.postgres or "auto") if wants_pg else "no") as (server, note):
        about = machine(server)
        if note and wants_pg:
            notes.append(note)
        if server is not None:
            import psycopg

            print("postgresql: loading the corpus (and SQLite through the API)", file=sys.stderr)
            url = server.url(server.create_database())
            pg_project = Project.create(url, title="bench")
            sqlite_api = imports.api()
            took, report = measure(partial(_import_files, pg_project, corpus), 1)
            rows += imports.row()
            rows.append(
                Row(
                    "import",
                    "postgresql",
                    f"import_files API ({report.summary()}) vs the same on SQLite",
                    took.wall,
                    sqlite_api.wall,
                    targets=(Target("ratio", 1.5),),
                    ours_cpu=took.cpu,
                    baseline_cpu=sqlite_api.cpu,
                    notes="baseline: coder's own import through the API on SQLite, this run",
                )
            )
            rows += fill(pg_project, corpus, "postgresql")
            targets.append(Subject("postgresql", pg_project, partial(psycopg.connect, _libpq(url))))
        try:
            for target in targets:
                if "matrix" in only:
                    print(f"matrix: {target.backend}", file=sys.stderr)
                    rows += bench_matrix(target, args.repeat, profiler)
                if "agreement" in only:
                    print(f"agreement: {target.backend}", file=sys.stderr)
                    rows += bench_agreement(target, args.repeat, profiler)
            if "retrieval" in only:
                print("retrieval: sqlite", file=sys.stderr)
                rows += bench_retrieval(targets[0], args.repeat, profiler)
            if "peers" in only:
                rows += bench_peers(corpus, work, targets[0].project, imports, args.repeat)
        finally:
            for target in targets:
                target.project.close()
    if "large" in only and size != "L":
        rows += bench_large(1, profiler)
    if "tui" in only:
        print("tui: opening and paging a long transcript", file=sys.stderr)
        rows += bench_tui(work, args.repeat)

    elapsed = time.perf_counter() - started
    about["load_average_at_end"] = list(os.getloadavg())
    print()
    print(
        f"coder benchmarks, size {size}: {meta['transcripts']} transcripts, "
        f"{meta['total_words']:,} words, {meta['codings']:,} codings "
        f"({len(CODERS)} coders); {elapsed:.0f} s in all"
    )
    print(
        f"machine: {about['cpus']} CPUs, Python {about['python']}, SQLite {about['sqlite']}, "
        f"PostgreSQL {about['postgresql'] or '-'}; load average "
        f"{about['load_average_at_start'][0]:.1f} at start, "
        f"{about['load_average_at_end'][0]:.1f} at end"
    )
    print(table(rows, size))
    for note in notes:
        print(f"note: {note}")
    print("met: yes/NO for targets the issue states for this size; (yes)/(no) for other sizes;")
    print("     FAIL: the two sides did not compute the same thing (see notes)")
    print("cpu: user + system seconds of the timed run on each side, where measured")
    results = {
        "size": size,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": round(elapsed, 1),
        "machine": about,
        "corpus": meta,
        "notes": notes,
        "rows": [row.as_json(size) for row in rows],
    }
    args.output.write_text(json.dumps(results, indent=2, default=float) + "\n")
    shown = args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output
    print(f"wrote {shown}")
    if args.check:
        missed = [
            r
            for r in rows
            if r.failure or any(applies and met is False for _, met, applies in r.verdicts(size))
        ]
        return 1 if missed else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
