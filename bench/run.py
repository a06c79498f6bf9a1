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
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

import numpy as np

from bench import baselines, generate
from bench.generate import CODEBOOK, CODERS, DATA, ROOT
from coder import Project
from coder.coding.quotes import QuoteFilter
from coder.importer import ImportOptions

T = TypeVar("T")
RESULTS = ROOT / "bench" / "results.json"
THEME = "Resources/Sociocultural resources"  # the theme whose quotes are retrieved
MEASURES = baselines.MATRIX_MEASURES
BENCHMARKS = ("import", "matrix", "agreement", "retrieval", "tui")
MIB = 1024 * 1024


# -- results -------------------------------------------------------------------------------


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
            return f"<{_duration(self.limit)}{where}"
        return (
            f"≤{self.limit / 1024:g} GiB{where}" if self.limit >= 1024 else f"≤{self.limit:g} MiB"
        )

    def check(self, row: Row) -> bool | None:
        if self.kind == "ratio":
            return None if row.ratio is None else row.ratio <= self.limit
        return None if row.ours is None else row.ours <= self.limit


@dataclass
class Row:
    benchmark: str
    backend: str
    case: str
    ours: float | None
    baseline: float | None = None
    unit: Literal["s", "MiB"] = "s"
    targets: tuple[Target, ...] = ()
    notes: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.ours is None or not self.baseline:
            return None
        return self.ours / self.baseline

    def verdicts(self, size: str) -> list[tuple[Target, bool | None, bool]]:
        """(target, met, whether the issue states it for this size)."""
        return [(t, t.check(self), not t.sizes or size in t.sizes) for t in self.targets]

    def met_text(self, size: str) -> str:
        words = []
        for _, met, applies in self.verdicts(size):
            word = "?" if met is None else ("yes" if met else "NO" if applies else "no")
            words.append(word if applies else f"({word})")
        return " ".join(words) or "-"

    def as_json(self, size: str) -> dict[str, Any]:
        return {
            "benchmark": self.benchmark,
            "backend": self.backend,
            "case": self.case,
            "unit": self.unit,
            "ours": self.ours,
            "baseline": self.baseline,
            "ratio": self.ratio,
            "targets": [
                {"target": t.text(), "met": met, "applies_to_this_size": applies}
                for t, met, applies in self.verdicts(size)
            ],
            "notes": self.notes,
            **({"details": self.details} if self.details else {}),
        }


def _duration(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.1f} ms"
    return f"{seconds:.1f} s" if seconds < 100 else f"{seconds:.0f} s"


def _value(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    return _duration(value) if unit == "s" else f"{value:.0f} MiB"


def table(rows: list[Row], size: str) -> str:
    header = ("benchmark", "backend", "case", "ours", "baseline", "ratio", "target", "met")
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
        )
        for r in rows
    ]
    widths = [max(len(str(x)) for x in column) for column in zip(header, *lines, strict=True)]
    right = {3, 4, 5}

    def fmt(cells: tuple[str, ...]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    out = [fmt(header), fmt(tuple("-" * w for w in widths))]
    out += [fmt(line) for line in lines]
    notes = [f"  {r.benchmark} {r.backend} {r.case}: {r.notes}" for r in rows if r.notes]
    if notes:
        out += ["", "notes:", *notes]
    return "\n".join(out)


# -- timing --------------------------------------------------------------------------------


def best(call: Callable[[], T], repeat: int) -> tuple[float, T]:
    """The fastest of `repeat` runs, and the last result."""
    times = []
    result: T
    for _ in range(max(1, repeat)):
        began = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - began)
    return min(times), result


def child(
    argv: list[str], log: Path, env: dict[str, str] | None = None
) -> tuple[float, float, float]:
    """Run a program: its wall time, CPU time (user + system) and peak resident memory (MiB),
    the last two from wait4's rusage of that one process."""
    with log.open("w") as out:
        began = time.perf_counter()
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - began
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        tail = log.read_text(errors="replace")[-2000:]
        raise RuntimeError(f"{' '.join(argv)} failed ({process.returncode}):\n{tail}")
    cpu = usage.ru_utime + usage.ru_stime
    return elapsed, cpu, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def coder_command() -> list[str]:
    script = Path(sys.executable).with_name("coder")
    if script.exists():
        return [sys.executable, str(script)]
    return [sys.executable, "-c", "import sys; from coder.cli import main; sys.exit(main())"]


class Profiler:
    """Profiles of coder's side of each benchmark (pyinstrument if installed, else cProfile),
    written to bench/data/SIZE/profiles/ when --profile is given."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
        try:
            import pyinstrument  # noqa: F401

            self.tool = "pyinstrument"
        except ImportError:
            self.tool = "cProfile"

    def name(self, label: str) -> Path:
        assert self.folder is not None
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in label)
        return self.folder / f"{safe}.txt"

    def call(self, label: str, call: Callable[[], Any]) -> None:
        if self.folder is None:
            return
        out = self.name(label)
        if self.tool == "pyinstrument":
            from pyinstrument import Profiler as Instrument

            profiler = Instrument(interval=0.0005)
            profiler.start()
            call()
            profiler.stop()
            out.write_text(profiler.output_text(unicode=True, show_all=False))
        else:
            import cProfile
            import io
            import pstats

            profile = cProfile.Profile()
            profile.runcall(call)
            text = io.StringIO()
            pstats.Stats(profile, stream=text).sort_stats("cumulative").print_stats(40)
            out.write_text(text.getvalue())
        print(f"  profile: {out.relative_to(ROOT)}", file=sys.stderr)

    def command(self, label: str, argv: list[str], log: Path) -> None:
        if self.folder is None:
            return
        out = self.name(label)
        if self.tool == "pyinstrument":
            wrapped = [argv[0], "-m", "pyinstrument", "-r", "text", "-o", str(out), *argv[1:]]
        else:
            wrapped = [argv[0], "-m", "cProfile", "-s", "cumulative", *argv[1:]]
        child(wrapped, log)
        if self.tool == "cProfile":
            out.write_text(log.read_text())
        print(f"  profile: {out.relative_to(ROOT)}", file=sys.stderr)


# -- PostgreSQL ----------------------------------------------------------------------------


@contextmanager
def postgres(mode: str) -> Iterator[tuple[Any | None, str]]:
    """(server, note): a throwaway server from tests/postgres_server.py, or None and why."""
    if mode == "no":
        yield None, "PostgreSQL rows skipped (--no-postgres)"
        return
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        from postgres_server import ThrowawayPostgres, _bindir

        if not os.environ.get("CODER_TEST_POSTGRES_URL"):
            _bindir()
        server = ThrowawayPostgres()
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


@dataclass
class Subject:
    """A project under test and a plain DB-API connection to the same database."""

    backend: str
    project: Project
    connect: Callable[[], Any]


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


def fill(project: Project, corpus: Path, backend: str) -> list[Row]:
    """Load the codebook and both coders' codings (timed, for information)."""
    took, _ = best(lambda: project.codebook.load(CODEBOOK, actor="bench"), 1)
    rows = [Row("setup", backend, "codebook load (61 codes)", took)]
    began = time.perf_counter()
    added = 0
    for coder in CODERS:
        added += project.coding.import_csv(corpus / f"codings-{coder}.csv", actor="bench").added
    rows.append(
        Row("setup", backend, f"codings import ({added} rows)", time.perf_counter() - began)
    )
    return rows


def _ready(work: Path, corpus: Path) -> bool:
    stamp = work / "ready.json"
    return stamp.exists() and json.loads(stamp.read_text()) == json.loads(
        (corpus / "meta.json").read_text()
    )


# -- matrix --------------------------------------------------------------------------------


def _code_paths(project: Project) -> dict[int, str]:
    tree = project.codebook.tree(include_inactive=True)
    return {code.id: tree.path(code) for code in tree.codes}


def _compare_matrix(
    frame: Any, rows: list[tuple[Any, ...]], paths: dict[int, str], split: str | None
) -> tuple[bool, float]:
    """Whether coder's matrix and the SQL rows hold the same numbers (and the largest gap)."""
    columns = [c for c in frame.columns if (c[0] if isinstance(c, tuple) else c) != "groups"]
    expected = np.zeros((len(frame.index), len(columns)))
    row_at = {label: i for i, label in enumerate(frame.index)}
    column_at = {
        (tuple(str(x) for x in c) if isinstance(c, tuple) else str(c)): j
        for j, c in enumerate(columns)
    }
    for values in rows:
        key = tuple(str(v) for v in values[1:-1]) if split else str(values[1])
        path = paths.get(int(values[0]))
        if path not in row_at or key not in column_at:
            return False, float("inf")
        expected[row_at[path], column_at[key]] = float(values[-1])
    ours = frame[columns].to_numpy(dtype=float)
    gap = float(np.abs(ours - expected).max()) if ours.size else 0.0
    return bool(np.allclose(ours, expected, rtol=1e-9, atol=1e-12)), gap


def bench_matrix(t: Subject, size: str, repeat: int, profiler: Profiler) -> list[Row]:
    paths = _code_paths(t.project)
    con = t.connect()
    rows = []
    try:
        for split in (None, "role"):
            for measure in MEASURES:
                sql = baselines.matrix_sql(measure, split)
                took, frame = best(
                    lambda m=measure, s=split: t.project.matrices.matrix(
                        "site", split=s, measure=m, level="themes"
                    ).frame,
                    repeat,
                )
                base, found = best(lambda q=sql: baselines.run_sql(con, q), repeat)
                same, gap = _compare_matrix(frame, found, paths, split)
                case = f"{measure}, themes × site" + (" × role" if split else "")
                rows.append(
                    Row(
                        "matrix",
                        t.backend,
                        case,
                        took,
                        base,
                        targets=(Target("ratio", 1.5, ("M",)), Target("seconds", 1.0, ("L",))),
                        notes="" if same else f"values differ from the SQL baseline by {gap:g}",
                        details={"same_values": same, "shape": list(frame.shape)},
                    )
                )
                if split is None and measure == "segments":
                    profiler.call(
                        f"matrix-{t.backend}-segments",
                        lambda: t.project.matrices.matrix(
                            "site", measure="segments", level="themes"
                        ),
                    )
    finally:
        con.close()
    return rows


# -- agreement -----------------------------------------------------------------------------


def _compare_agreement(report: Any, base: dict[str, Any], paths: dict[int, str]) -> bool:
    ours = report.per_code.set_index("code")
    index = [paths[int(c)] for c in base["codes"]]
    if sorted(index) != sorted(ours.index):
        return False
    ours = ours.loc[index]
    pairs = [
        ("n_units", "n_units"),
        ("coded_by_all", "coded_by_all"),
        (f"coded_by_{CODERS[0]}", "coded_by_0"),
        (f"coded_by_{CODERS[1]}", "coded_by_1"),
        ("percent_agreement", "percent_agreement"),
        ("cohen_kappa", "cohen_kappa"),
        ("scott_pi", "scott_pi"),
        ("gwet_ac1", "gwet_ac1"),
        ("krippendorff_alpha", "krippendorff_alpha"),
    ]
    for mine, theirs in pairs:
        a = ours[mine].to_numpy(dtype=float)
        b = np.asarray(base["per_code"][theirs], dtype=float)
        if not np.allclose(a, b, rtol=1e-9, atol=1e-12, equal_nan=True):
            return False
    pooled = float(report.pooled["cohen_kappa"].iloc[0])
    return bool(np.isclose(pooled, base["pooled_kappa"], rtol=1e-9))


def bench_agreement(t: Subject, size: str, repeat: int, profiler: Profiler) -> list[Row]:
    paths = _code_paths(t.project)
    con = t.connect()
    rows = []
    try:
        for unit in ("sentence", "character"):
            took, report = best(lambda u=unit: t.project.agreement(list(CODERS), u), repeat)
            base, found = best(lambda u=unit: baselines.agreement(con, CODERS, u), repeat)
            same = _compare_agreement(report, found, paths)
            rows.append(
                Row(
                    "agreement",
                    t.backend,
                    f"{unit}-level, per code/document/pooled",
                    took,
                    base,
                    targets=(Target("ratio", 2.0, ("M",)), Target("seconds", 2.0, ("M",))),
                    notes="" if same else "per-code figures differ from the NumPy baseline",
                    details={"same_values": same, "codes": len(report.per_code)},
                )
            )
            profiler.call(
                f"agreement-{t.backend}-{unit}",
                lambda u=unit: t.project.agreement(list(CODERS), u),
            )
    finally:
        con.close()
    return rows


# -- retrieval -----------------------------------------------------------------------------


def bench_retrieval(t: Subject, size: str, repeat: int, profiler: Profiler) -> list[Row]:
    theme_id = next(i for i, p in _code_paths(t.project).items() if p == THEME)
    took, found = best(lambda: t.project.coding.quotes(QuoteFilter(code=THEME)), repeat)
    con = t.connect()
    try:
        base, rows = best(lambda: baselines.quotes(con, theme_id), repeat)
    finally:
        con.close()
    same = len(found) == len(rows)
    profiler.call(
        f"retrieval-{t.backend}", lambda: t.project.coding.quotes(QuoteFilter(code=THEME))
    )
    return [
        Row(
            "retrieval",
            t.backend,
            f"quotes of a theme ({len(found)} quotes)",
            took,
            base,
            targets=(Target("seconds", 0.5, ("L",)),),
            notes="" if same else f"baseline found {len(rows)} quotes",
            details={"quotes": len(found)},
        )
    ]


# -- the workbench -------------------------------------------------------------------------

TUI_DOCUMENT = "long-interview"


def tui_project(work: Path) -> tuple[Project, list[Row]]:
    folder = generate.tui_corpus()
    path = work / "tui.coder"
    for old in work.glob("tui.coder*"):
        old.unlink()
    began = time.perf_counter()
    project = Project.create(path, title="Workbench benchmark")
    project.import_files(
        [folder / f"{TUI_DOCUMENT}.txt"], ImportOptions(manifest=folder / "manifest.csv")
    )
    project.codebook.load(CODEBOOK, actor="bench")
    added = project.coding.import_csv(folder / "codings.csv", actor="bench").added
    meta = json.loads((folder / "meta.json").read_text())
    setup = Row(
        "setup",
        "sqlite",
        f"workbench project ({meta['total_words']} words, {added} codings)",
        time.perf_counter() - began,
    )
    return project, [setup]


async def _drive(project: Project, opens: int, pages: int) -> dict[str, Any]:
    from textual import events

    from coder.tui.app import CoderApp
    from coder.tui.screens.coding import CodingScreen
    from coder.tui.widgets.transcript import TranscriptView

    rendered = [0]
    original = TranscriptView.render_line

    def counting(self: Any, y: int) -> Any:
        rendered[0] += 1
        return original(self, y)

    async def settle(app: Any, pilot: Any) -> None:
        # What Pilot.pause() does, without its idle wait (at least 20 ms of sleeping): let
        # the screen process its messages, then run the compositor update that paints it.
        for _ in range(2):
            await pilot._wait_for_screen()
            app.screen._on_timer_update()
        await pilot._wait_for_screen()

    TranscriptView.render_line = counting  # type: ignore[method-assign]
    open_times: list[float] = []
    page_times: list[float] = []
    open_lines: list[int] = []
    page_lines: list[int] = []
    press_times: list[float] = []
    moved: list[bool] = []
    codings = 0
    try:
        for _ in range(opens):
            app = CoderApp(project, "ana")
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                rendered[0] = 0
                began = time.perf_counter()
                app.push_screen(CodingScreen(project, TUI_DOCUMENT, "ana"))
                await settle(app, pilot)
                await app.workers.wait_for_complete()
                await settle(app, pilot)
                open_times.append(time.perf_counter() - began)
                open_lines.append(rendered[0])
                screen = app.screen
                codings = len(getattr(screen, "codings", []))
                view = screen.query_one(TranscriptView)
                for _ in range(pages):
                    # The key goes in as the terminal driver would send it. Pilot.press adds
                    # two idle waits of at least 20 ms each after every key; it is timed
                    # below for reference.
                    rendered[0] = 0
                    before = float(view.scroll_y)
                    began = time.perf_counter()
                    key = events.Key("pagedown", None)
                    key.set_sender(app)
                    app._driver.send_message(key)
                    await settle(app, pilot)
                    page_times.append(time.perf_counter() - began)
                    page_lines.append(rendered[0])
                    moved.append(float(view.scroll_y) > before)
                for _ in range(pages):
                    began = time.perf_counter()
                    await pilot.press("pageup")
                    await settle(app, pilot)
                    press_times.append(time.perf_counter() - began)
                scrolled = float(view.scroll_y)
    finally:
        TranscriptView.render_line = original  # type: ignore[method-assign]
    return {
        "open": open_times,
        "page": page_times,
        "open_lines": open_lines,
        "page_lines": page_lines,
        "codings_shown": codings,
        "scrolled_to": scrolled,
        "pilot_press": press_times,
        "every_page_moved": all(moved),
    }


def bench_tui(work: Path, repeat: int, pages: int = 10) -> list[Row]:
    project, rows = tui_project(work)
    try:
        found = asyncio.run(_drive(project, max(1, repeat), pages))
    finally:
        project.close()
    lines = f"{min(found['open_lines'])} lines painted"
    rows += [
        Row(
            "tui",
            "sqlite",
            "open a 60,000-word transcript (3,000 codings)",
            min(found["open"]),
            targets=(Target("seconds", 0.3),),
            notes=f"best of {len(found['open'])}; {lines}; {found['codings_shown']} codings shown",
            details={"runs": found["open"], "lines_painted": found["open_lines"]},
        ),
        Row(
            "tui",
            "sqlite",
            "page down (median)",
            statistics.median(found["page"]),
            targets=(Target("seconds", 0.05),),
            notes=(
                f"{len(found['page'])} key events, slowest {_duration(max(found['page']))}, "
                f"{statistics.median(found['page_lines']):.0f} lines painted per page"
                + ("" if found["every_page_moved"] else ", SOME PAGES DID NOT SCROLL")
                + f"; through Pilot.press (its idle waits included): median "
                f"{_duration(statistics.median(found['pilot_press']))}"
            ),
            details={
                "runs": found["page"],
                "lines_painted": found["page_lines"],
                "pilot_press_runs": found["pilot_press"],
            },
        ),
    ]
    return rows


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
    only = set(args.only.split(",")) if args.only else set(BENCHMARKS)
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

    if "import" in only or not _ready(work, corpus):
        print("import: coder import vs baseline", file=sys.stderr)
        (work / "ready.json").unlink(missing_ok=True)
        imported = bench_import(corpus, work, import_repeat, profiler)
        with Project.open(work / "project.coder") as project:
            setup = fill(project, corpus, "sqlite")
        (work / "ready.json").write_text(json.dumps(meta))
        if "import" in only:
            rows += imported
        rows += setup

    sqlite_project = Project.open(work / "project.coder")
    targets = [
        Subject(
            "sqlite",
            sqlite_project,
            lambda: __import__("sqlite3").connect(work / "project.coder"),
        )
    ]
    wants_pg = bool(only & {"matrix", "agreement"})
    with postgres((args.postgres or "auto") if wants_pg else "no") as (server, note):
        if note and wants_pg:
            notes.append(note)
        if server is not None:
            import psycopg

            print("postgresql: loading the corpus", file=sys.stderr)
            url = server.url(server.create_database())
            pg_project = Project.create(url, title="bench")
            took, report = best(
                lambda: pg_project.import_files(
                    [corpus / "transcripts"], ImportOptions(manifest=corpus / "manifest.csv")
                ),
                1,
            )
            rows.append(Row("setup", "postgresql", f"import_files API ({report.summary()})", took))
            rows += fill(pg_project, corpus, "postgresql")
            targets.append(Subject("postgresql", pg_project, lambda: psycopg.connect(_libpq(url))))
        try:
            for target in targets:
                if "matrix" in only:
                    print(f"matrix: {target.backend}", file=sys.stderr)
                    rows += bench_matrix(target, size, args.repeat, profiler)
                if "agreement" in only:
                    print(f"agreement: {target.backend}", file=sys.stderr)
                    rows += bench_agreement(target, size, args.repeat, profiler)
            if "retrieval" in only:
                print("retrieval: sqlite", file=sys.stderr)
                rows += bench_retrieval(targets[0], size, args.repeat, profiler)
        finally:
            for target in targets:
                target.project.close()
    if "tui" in only:
        print("tui: opening and paging a long transcript", file=sys.stderr)
        rows += bench_tui(work, args.repeat)

    elapsed = time.perf_counter() - started
    print()
    print(
        f"coder benchmarks, size {size}: {meta['transcripts']} transcripts, "
        f"{meta['total_words']:,} words, {meta['codings']:,} codings "
        f"({len(CODERS)} coders); {os.cpu_count()} CPUs; {elapsed:.0f} s in all"
    )
    print(table(rows, size))
    for note in notes:
        print(f"note: {note}")
    print("met: yes/NO for targets the issue states for this size; (yes)/(no) for other sizes")
    results = {
        "size": size,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": round(elapsed, 1),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "corpus": meta,
        "notes": notes,
        "rows": [row.as_json(size) for row in rows],
    }
    args.output.write_text(json.dumps(results, indent=2, default=float) + "\n")
    shown = args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output
    print(f"wrote {shown}")
    if args.check:
        missed = [
            r for r in rows for _, met, applies in r.verdicts(size) if applies and met is False
        ]
        return 1 if missed else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
