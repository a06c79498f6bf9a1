"""Matrix, agreement and retrieval: coder's API against hand-written SQL and NumPy baselines
on the same database, with a check that both give the same numbers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np

from bench import baselines, stretch_baselines
from bench.generate import CODERS
from bench.table import Row, Target
from bench.timing import Profiler, Timing, measure, measure_both
from coder import Project
from coder.coding.quotes import Quote, QuoteFilter

THEME = "Resources/Sociocultural resources"  # the theme whose quotes are retrieved
MEASURES = baselines.MATRIX_MEASURES


@dataclass
class Subject:
    """A project under test and a plain DB-API connection to the same database."""

    backend: str
    project: Project
    connect: Callable[[], Any]


def _client_cpu(t: Subject, base: Timing) -> float | None:
    """A baseline's CPU time, where this process does its work: on PostgreSQL the SQL runs in
    the server, so the client's few milliseconds would say nothing."""
    return base.cpu if t.backend == "sqlite" else None


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


def bench_matrix(
    t: Subject,
    repeat: int,
    profiler: Profiler,
    *,
    splits: tuple[str | None, ...] = (None, "role"),
    at: str = "",
    targets: tuple[Target, ...] = (Target("ratio", 1.5, ("M",)), Target("seconds", 1.0, ("L",))),
    no_baseline: tuple[str, ...] = (),
) -> list[Row]:
    """Every measure, themes by site (and by site and role), against one SQL query each.
    `at` names the corpus in the case when it is not the run's size (the L rows of an M run)."""
    paths = _code_paths(t.project)
    con = t.connect()
    baselines.sentence_table(con)
    rows = []
    try:
        for split in splits:
            for measure_name in MEASURES:
                sql = baselines.matrix_sql(measure_name, split)
                call = partial(
                    t.project.matrices.matrix,
                    "site",
                    split=split,
                    measure=measure_name,  # type: ignore[arg-type]
                    level="themes",
                )
                case = f"{measure_name}, themes × site" + (" × role" if split else "") + at
                if measure_name in no_baseline:
                    took, matrix = measure(call, repeat)
                    note = "baseline not run here (it takes minutes)"
                    rows.append(
                        Row("matrix", t.backend, case, took.wall, targets=targets, notes=note)
                    )
                    rows[-1].ours_cpu = took.cpu
                    continue
                (took, matrix), (base, found) = measure_both(
                    call, partial(baselines.run_sql, con, sql), repeat
                )
                frame = matrix.frame
                same, gap = _compare_matrix(frame, found, paths, split)
                rows.append(
                    Row(
                        "matrix",
                        t.backend,
                        case,
                        took.wall,
                        base.wall,
                        targets=targets,
                        notes="" if same else f"values differ from the SQL baseline by {gap:g}",
                        details={"same_values": same, "shape": list(frame.shape)},
                        ours_cpu=took.cpu,
                        baseline_cpu=_client_cpu(t, base),
                    )
                )
                if split is None and measure_name == "segments" and not at:
                    profiler.call(f"matrix-{t.backend}-segments", call)
    finally:
        con.close()
    return rows


# -- agreement -----------------------------------------------------------------------------


def _aligned(report: Any, base: dict[str, Any], paths: dict[int, str]) -> Any:
    """coder's per-code table in the baseline's order of codes, or None if the codes differ."""
    ours = report.per_code.set_index("code")
    index = [paths[int(c)] for c in base["codes"]]
    return ours.loc[index] if sorted(index) == sorted(ours.index) else None


def _compare_agreement(report: Any, base: dict[str, Any], paths: dict[int, str]) -> bool:
    ours = _aligned(report, base, paths)
    if ours is None:
        return False
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


def bench_agreement(t: Subject, repeat: int, profiler: Profiler) -> list[Row]:
    paths = _code_paths(t.project)
    con = t.connect()
    baselines.sentence_table(con)
    rows = []
    try:
        for unit in ("sentence", "character"):
            call = partial(t.project.agreement, list(CODERS), unit)
            (took, report), (base, found) = measure_both(
                call, partial(baselines.agreement, con, CODERS, unit), repeat
            )
            same = _compare_agreement(report, found, paths)
            rows.append(
                Row(
                    "agreement",
                    t.backend,
                    f"{unit}-level, per code/document/pooled",
                    took.wall,
                    base.wall,
                    targets=(Target("ratio", 2.0, ("M",)), Target("seconds", 2.0, ("M",))),
                    notes="" if same else "per-code figures differ from the NumPy baseline",
                    details={"same_values": same, "codes": len(report.per_code)},
                    ours_cpu=took.cpu,
                    baseline_cpu=_client_cpu(t, base),
                )
            )
            profiler.call(f"agreement-{t.backend}-{unit}", call)
        rows += _bench_stretch(t, con, paths, repeat, profiler)
    finally:
        con.close()
    return rows


def _same(ours: Any, theirs: Any) -> bool:
    a, b = np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-9, atol=1e-12, equal_nan=True))


def _compare_unitized(report: Any, base: dict[str, Any], paths: dict[int, str]) -> bool:
    ours = _aligned(report, base, paths)
    if ours is None:
        return False
    pooled = report.pooled.set_index("code")["alpha"]
    cells = report.per_document.set_index(["document", "code"])["alpha"]
    theirs = base["per_document"]
    keys = list(zip(theirs["document"], [paths[int(c)] for c in theirs["code"]], strict=True))
    return (
        all(_same(ours[k], base["per_code"][k]) for k in ("alpha", "D_o", "D_e"))
        and _same(pooled.loc["(pooled)"], base["pooled_alpha"])
        and _same(pooled.loc["(binary)"], base["binary_alpha"])
        and sorted(keys) == sorted(cells.index)
        and _same(cells.loc[keys], theirs["alpha"])
    )


def _compare_overlap(report: Any, base: dict[str, Any], paths: dict[int, str]) -> bool:
    ours = _aligned(report, base, paths)
    if ours is None:
        return False
    pairs = [
        ("matched", "matched"),
        (f"segments_{CODERS[0]}", "segments_a"),
        (f"segments_{CODERS[1]}", "segments_b"),
        ("agreement", "agreement"),
        ("kappa", "kappa"),
    ]
    return all(_same(ours[mine], base["per_code"][theirs]) for mine, theirs in pairs) and _same(
        report.pooled["kappa"].iloc[0], base["pooled_kappa"]
    )


def _bench_stretch(
    t: Subject, con: Any, paths: dict[int, str], repeat: int, profiler: Profiler
) -> list[Row]:
    """Krippendorff's alpha_U and MAXQDA's segment overlap against their NumPy baselines."""
    cases = [
        ("unitized", "unitized (alpha_U)", stretch_baselines.unitized, _compare_unitized),
        ("overlap", "overlap (MAXQDA, 90%)", stretch_baselines.overlap, _compare_overlap),
    ]
    rows = []
    for kind, name, baseline, compare in cases:
        call = partial(getattr(t.project.agreement, kind), list(CODERS))
        (took, report), (base, found) = measure_both(call, partial(baseline, con, CODERS), repeat)
        same = compare(report, found, paths)
        rows.append(
            Row(
                "agreement",
                t.backend,
                f"{name}, per code/document/pooled",
                took.wall,
                base.wall,
                targets=(Target("ratio", 2.0, ("M",)), Target("seconds", 2.0, ("M",))),
                notes="" if same else f"{kind} figures differ from the NumPy baseline",
                details={"same_values": same, "codes": len(report.per_code)},
                ours_cpu=took.cpu,
                baseline_cpu=_client_cpu(t, base),
            )
        )
        profiler.call(f"agreement-{t.backend}-{kind}", call)
    return rows


# -- retrieval -----------------------------------------------------------------------------


def codings_behind(quotes: list[Quote]) -> int:
    """The codings a list of quotes stands for: a quote lists every coder who coded its
    passage alike ("ana, ben")."""
    return sum(len(q.coder.split(", ")) for q in quotes)


def bench_retrieval(
    t: Subject,
    repeat: int,
    profiler: Profiler,
    *,
    at: str = "",
    targets: tuple[Target, ...] = (Target("seconds", 0.5, ("L",)),),
) -> list[Row]:
    theme_id = next(i for i, p in _code_paths(t.project).items() if p == THEME)
    call = partial(t.project.coding.quotes, QuoteFilter(code=THEME))
    con = t.connect()
    try:
        (took, found), (base, rows) = measure_both(
            call, partial(baselines.quotes, con, theme_id), repeat
        )
    finally:
        con.close()
    # Both coders' codings of the same passage are one quote in coder's view; the baseline
    # reads codings, so the quotes are compared by the codings they stand for.
    behind = codings_behind(found)
    same = behind == len(rows)
    if not at:
        profiler.call(f"retrieval-{t.backend}", call)
    return [
        Row(
            "retrieval",
            t.backend,
            f"quotes of a theme ({len(found)} quotes){at}",
            took.wall,
            base.wall,
            targets=targets,
            notes=(
                f"{len(found)} quotes for {behind} codings (a passage both coders coded alike "
                "is one quote)" + ("" if same else f"; baseline found {len(rows)} codings")
            ),
            details={"quotes": len(found)},
            ours_cpu=took.cpu,
            baseline_cpu=_client_cpu(t, base),
        )
    ]
