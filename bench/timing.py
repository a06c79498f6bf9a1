"""Timing: in-process calls (best of n, with CPU time), child programs (wall, CPU and peak
memory from their rusage), other processes' CPU from /proc, and optional profiles."""

from __future__ import annotations

import functools
import gc
import importlib
import importlib.util
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from bench.generate import ROOT

T = TypeVar("T")
U = TypeVar("U")


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float  # user + system of this process (all its threads) during the run


# A repeated operation that takes under a second in all runs more times, up to this many:
# on a shared machine one load spike can hit three runs of 40 ms, rarely ten.
MOST_RUNS = 10
FAST = 1.0


def measure(call: Callable[[], T], repeat: int) -> tuple[Timing, T]:
    """The fastest of `repeat` runs (with its CPU time), and the last result. With more than
    one run asked, a fast operation runs on while all its runs took under `FAST` seconds,
    up to `MOST_RUNS`, as timeit's autorange does; an operation asked once runs once."""
    runs: list[Timing] = []
    result: T
    while _more(runs, repeat):
        timing, result = _run(call)
        runs.append(timing)
    return min(runs, key=lambda t: t.wall), result


def measure_both(
    ours: Callable[[], T], theirs: Callable[[], U], repeat: int
) -> tuple[tuple[Timing, T], tuple[Timing, U]]:
    """`measure` of each side, their runs alternated (ours, theirs, ours, ...) while both
    run on: each side makes as many runs as `measure` makes it, but a busy moment on the
    machine falls on both sides alike instead of on all the runs of one."""
    mine: list[Timing] = []
    other: list[Timing] = []
    result: T
    answer: U
    while _more(mine, repeat) or _more(other, repeat):
        if _more(mine, repeat):
            timing, result = _run(ours)
            mine.append(timing)
        if _more(other, repeat):
            spent, answer = _run(theirs)
            other.append(spent)
    return (min(mine, key=lambda t: t.wall), result), (min(other, key=lambda t: t.wall), answer)


def _more(runs: list[Timing], repeat: int) -> bool:
    """Whether `measure` makes another run after `runs`."""
    return len(runs) < max(1, repeat) or (
        repeat > 1 and len(runs) < MOST_RUNS and sum(run.wall for run in runs) < FAST
    )


def _run(call: Callable[[], T]) -> tuple[Timing, T]:
    # The garbage of earlier rows (the bench runs them all in one process) is collected
    # before, untimed, so that no run pays for another's; the run's own is still timed.
    gc.collect()
    cpu = time.process_time()
    began = time.perf_counter()
    result = call()
    return Timing(time.perf_counter() - began, time.process_time() - cpu), result


def best(call: Callable[[], T], repeat: int) -> tuple[float, T]:
    """The fastest of `repeat` runs, and the last result."""
    timing, result = measure(call, repeat)
    return timing.wall, result


def child(
    argv: list[str], log: Path, env: dict[str, str] | None = None, cwd: Path = ROOT
) -> tuple[float, float, float]:
    """Run a program: its wall time, CPU time (user + system) and peak resident memory (MiB),
    the last two from wait4's rusage of that one process."""
    with log.open("w") as out:
        began = time.perf_counter()
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, cwd=cwd, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - began
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        tail = log.read_text(errors="replace")[-2000:]
        raise RuntimeError(f"{' '.join(argv)} failed ({process.returncode}):\n{tail}")
    cpu = usage.ru_utime + usage.ru_stime
    return elapsed, cpu, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) a running process has used so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_cpu(data: Path) -> float:
    """CPU seconds (user + system) a PostgreSQL server has used so far, from /proc: its
    postmaster's, its running backends', and those of the backends that have ended (the
    postmaster has waited for them, so they count in its children's times)."""
    postmaster = int((data / "postmaster.pid").read_text().split()[0])
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        pid = int(stat.parent.name)
        if pid == postmaster:
            total += sum(int(f) for f in fields[11:15])
        elif int(fields[1]) == postmaster:
            total += int(fields[11]) + int(fields[12])
    return total / tick


def coder_command() -> list[str]:
    """The command line of coder, its modules compiled to bytecode first (see `compiled`)."""
    compiled()
    script = Path(sys.executable).with_name("coder")
    if script.exists():
        return [sys.executable, str(script)]
    return [sys.executable, "-c", "import sys; from coder.cli import main; sys.exit(main())"]


@functools.cache
def compiled() -> None:
    """Compile coder's and the bench's own modules to bytecode, as installing a package does.

    A program that times its start-up should find them compiled: a checkout installed in
    development mode has no bytecode until a run writes it, and none is ever written where
    PYTHONDONTWRITEBYTECODE is set, so every run would compile the sources again (0.3 s of
    CPU for coder's modules), which no installed copy does."""
    import compileall

    # Not the peers' virtual environments under bench/, nor the generated data.
    skipped = re.compile(r"[\\/](\.venv[^\\/]*|data)[\\/]")
    for package in ("coder", "bench"):
        compileall.compile_dir(ROOT / package, quiet=1, rx=skipped)


class Profiler:
    """Profiles of coder's side of each benchmark (pyinstrument if installed, else cProfile),
    written to bench/data/SIZE/profiles/ when --profile is given."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
        # pyinstrument is optional (not a dependency of coder): found at run time.
        self.tool = "pyinstrument" if importlib.util.find_spec("pyinstrument") else "cProfile"

    def name(self, label: str) -> Path:
        assert self.folder is not None
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in label)
        return self.folder / f"{safe}.txt"

    def call(self, label: str, call: Callable[[], Any]) -> None:
        if self.folder is None:
            return
        out = self.name(label)
        if self.tool == "pyinstrument":
            instrument = importlib.import_module("pyinstrument")
            profiler = instrument.Profiler(interval=0.0005)
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
