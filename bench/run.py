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
from bench.generate import CODERS, DATA, ROOT
from bench.imports import Imports, bench_import, fill, import_files, ready
from bench.peers import VERSIONS, PeerUnavailable
from bench.summary import summary
from bench.table import Row, Target, table
from bench.timing import Profiler, Timing, measure, server_cpu
from bench.tui import bench_tui
from coder import Project
from coder.coding.quotes import QuoteFilter

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


def settle(url: str) -> None:
    """Vacuum and analyse the freshly loaded database, as autovacuum does on any server within
    a minute of a bulk load (bench/README.md, PostgreSQL): the timed queries then meet the
    state a team's server is in, not whichever half of it the daemon had reached."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        con.execute("VACUUM (ANALYZE)")


def _sqlite(path: Path) -> Subject:
    return Subject("sqlite", Project.open(path), partial(sqlite3.connect, path))


# -- the L rows of a run at another size -----------------------------------------------------


def bench_large(repeat: int, profiler: Profiler, work: Path) -> list[Row]:
    """Matrices (themes x site, every measure) and a theme's quotes on the L corpus, built
    once through the API and kept in `work` (bench/data/L/work/ unless --work says) while the
    corpus and the schema are unchanged."""
    corpus = generate.corpus("L")
    work.mkdir(parents=True, exist_ok=True)
    path = work / "project.coder"
    rows: list[Row] = []
    current = ready(work, corpus)
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
            took, report = measure(partial(import_files, project, corpus), 1)
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
            subject,
            repeat,
            profiler,
            splits=(None,),
            at=AT_L,
            targets=(Target("seconds", 1.0),),
            no_baseline=("sentences",),  # its overlap join takes minutes at L
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
    """The peers' rows; their imports are the best of as many runs as coder's."""
    from bench.peers.qc_peer import bench_qc
    from bench.peers.taguette_peer import bench_taguette

    rows: list[Row] = []
    folder = work / "peers"
    quotes = partial(project.coding.quotes, QuoteFilter(code=THEME))
    runs: dict[str, Callable[[], list[Row]]] = {
        "qc": lambda: bench_qc(
            corpus, folder, work / "project.coder", THEME, repeat, imports.cli, imports.repeat
        ),
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
    parser.add_argument(
        "--import-repeat", type=int, help="import runs, best kept (default 3, 1 for L)"
    )
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
        "--work",
        type=Path,
        help="folder for the projects a run builds, one subfolder per size (default: "
        "bench/data/SIZE/work): give one of your own to run beside another run",
    )
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
    import_repeat = args.import_repeat or (1 if size == "L" else 3)
    profiler = Profiler(DATA / size / "profiles" if args.profile else None)

    started = time.perf_counter()
    print(f"corpus {size}: generating or reusing bench/data/{size}/", file=sys.stderr)
    corpus = generate.corpus(size)
    meta = json.loads((corpus / "meta.json").read_text())
    work = args.work / size if args.work else DATA / size / "work"
    work.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    notes: list[str] = []
    imports = Imports(corpus, work, import_repeat)

    if "import" in only or not ready(work, corpus):
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
            # Each engine's import into a new project, interleaved, the best of each kept.
            pg_runs: list[Timing] = []
            server_cpus: list[float | None] = []
            data = server.data_dir
            pg_project: Project | None = None
            # Loaded once when only the matrices or agreement need the data.
            loads = import_repeat if "import" in only else 1
            for attempt in range(loads):
                sqlite_api = imports.api(attempt + 1)
                if pg_project is not None:
                    pg_project.close()
                url = server.url(server.create_database())
                pg_project = Project.create(url, title="bench")
                before = 0.0 if data is None else server_cpu(data)
                took, report = measure(partial(import_files, pg_project, corpus), 1)
                server_cpus.append(None if data is None else server_cpu(data) - before)
                pg_runs.append(took)
                print(
                    f"  API import run {attempt + 1}: SQLite {imports.api_runs[-1].wall:.1f} s,"
                    f" PostgreSQL {took.wall:.1f} s",
                    file=sys.stderr,
                )
            assert pg_project is not None
            fastest = min(range(len(pg_runs)), key=lambda i: pg_runs[i].wall)
            took, served = pg_runs[fastest], server_cpus[fastest]
            rows += imports.row()
            # On SQLite the database's work is done in coder's process; on PostgreSQL in the
            # server's: its CPU time is added, so that the two CPU columns compare.
            cpu_note = ""
            if served is not None:
                cpu_note = (
                    f"; CPU on PostgreSQL: coder's process {took.cpu:.1f} s"
                    f" + the server's {served:.1f} s"
                )
            rows.append(
                Row(
                    "import",
                    "postgresql",
                    f"import_files API ({report.summary()}) vs the same on SQLite",
                    took.wall,
                    sqlite_api.wall,
                    targets=(Target("ratio", 1.5),),
                    ours_cpu=took.cpu + (served or 0.0),
                    baseline_cpu=sqlite_api.cpu,
                    notes="baseline: coder's own import through the API on SQLite, this run"
                    f" (best of {loads} each, interleaved){cpu_note}",
                )
            )
            rows += fill(pg_project, corpus, "postgresql")
            settle(_libpq(url))
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
    rows += imports.row()  # when only a peer needed it
    if "large" in only and size != "L":
        work_l = args.work / "L" if args.work else DATA / "L" / "work"
        rows += bench_large(args.repeat, profiler, work_l)
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
    results = {
        "size": size,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": round(elapsed, 1),
        "machine": about,
        "corpus": meta,
        "notes": notes,
        "rows": [row.as_json(size) for row in rows],
    }
    print(table(rows, size))
    print()
    for note in notes:
        print(f"note: {note}")
    print("met: yes/NO for targets the issue states for this size; (yes)/(no) for other sizes;")
    print("     FAIL: the two sides did not compute the same thing (see notes)")
    print("cpu: user + system seconds of the timed run on each side, where measured")
    print()
    print(summary(results))
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
