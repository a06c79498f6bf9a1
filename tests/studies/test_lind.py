"""Lind's worked example (docs/studies/lind.md): its commands print what the page shows, and its
tables are the counts made here, independently, from the corpus files.

The counts below come from corpora/lind-study/codings/lena.csv (rows grouped by passage: the
same document and text) and the transcripts, read with the csv module and str.find; nothing is
taken from coder's output. After a deliberate change of output, rewrite the page with
`CODER_UPDATE_STUDIES=1 .venv/bin/pytest tests/studies/test_lind.py` and read the diff.
"""

from __future__ import annotations

import csv
import os
from collections import Counter, defaultdict
from itertools import pairwise
from pathlib import Path

import pandas as pd
import pytest
from console_docs import check

from coder import Project

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpora" / "lind-study"
PAGE = ROOT / "docs" / "studies" / "lind.md"
PLACES = ["Direct care", "Clinic", "Organization", "Region or system"]
PHASES = ["Design", "Plan", "Implement", "Evaluate"]
CONDITIONS = [
    "Numbers",
    "Compensation",
    "Power balance and comfort",
    "Preparation and training",
    "Support",
    "Leadership",
    "Vulnerability",
]
PARITY = [f"Parity/{c}/{state}" for c in CONDITIONS for state in ("Met", "Missing")]
# The page's correction: the code it removes from the passage `coder check` reports.
REMOVED = "Place/Clinic"

Passage = tuple[str, str]  # (document, text)
Span = tuple[str, int, int]  # (document, start, end) in the transcript file


def passages() -> dict[Passage, set[str]]:
    """Every passage of the codings file with all of its codes."""
    found: dict[Passage, set[str]] = defaultdict(set)
    with (CORPUS / "codings" / "lena.csv").open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            found[(row["document"], row["text"])].add(row["code"])
    return dict(found)


def corrected() -> dict[Passage, set[str]]:
    """The passages after the page's fix: the one with two Places loses `REMOVED`."""
    fixed = passages()
    for codes in fixed.values():
        if len([c for c in codes if c.startswith("Place/")]) > 1:
            codes.discard(REMOVED)
    return fixed


def roles() -> dict[str, str]:
    with (CORPUS / "manifest.csv").open(newline="", encoding="utf-8") as f:
        return {Path(row["file"]).stem: row["role"] for row in csv.DictReader(f)}


def by_activity(
    found: dict[Passage, set[str]], rows: list[str], columns: list[str]
) -> Counter[tuple[str, str]]:
    """Cells counted by activity: the passages carrying a row code and a column code."""
    return Counter(
        (r, c) for codes in found.values() for r in rows for c in columns if {r, c} <= codes
    )


def spans(found: dict[Passage, set[str]], code: str) -> list[Span]:
    """Where each passage coded `code` sits in its transcript file. Every passage lies within
    one paragraph, which the import keeps as it is, so overlaps and touches are the same."""
    located = []
    for (document, text), codes in found.items():
        if code in codes:
            raw = (CORPUS / "transcripts" / f"{document}.txt").read_text(encoding="utf-8")
            start = raw.find(text)
            assert start >= 0 and raw.find(text, start + 1) < 0, (document, text[:30])
            located.append((document, start, start + len(text)))
    return located


def stretches(located: list[Span]) -> list[Span]:
    """Overlapping or touching spans merged, per document."""
    merged: list[Span] = []
    for document, start, end in sorted(located):
        if merged and merged[-1][0] == document and start <= merged[-1][2]:
            merged[-1] = (document, merged[-1][1], max(end, merged[-1][2]))
        else:
            merged.append((document, start, end))
    return merged


def by_overlap(
    found: dict[Passage, set[str]], rows: list[str], columns: list[str]
) -> Counter[tuple[str, str]]:
    """Cells counted by overlap: pairs of a row stretch and a column stretch sharing text."""
    counts: Counter[tuple[str, str]] = Counter()
    for r in rows:
        for c in columns:
            for a in stretches(spans(found, r)):
                for b in stretches(spans(found, c)):
                    if a[0] == b[0] and max(a[1], b[1]) < min(a[2], b[2]):
                        counts[(r, c)] += 1
    return counts


def cells(frame: pd.DataFrame) -> Counter[tuple[str, str]]:
    """A co-occurrence table's non-zero cells, as Counter((row, column))."""
    return Counter(
        {
            (str(r), str(c)): int(frame.loc[r, c])
            for r in frame.index
            for c in frame.columns
            if frame.loc[r, c]
        }
    )


def place(name: str) -> str:
    return f"Place/{name}"


def phase(name: str) -> str:
    return f"Phase/{name}"


@pytest.fixture(scope="module")
def lind(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project the page builds, after every command on it has printed what it shows."""
    workdir = tmp_path_factory.mktemp("lind")
    for folder in ("corpora", "codebooks"):
        (workdir / folder).symlink_to(ROOT / folder)
    update = os.environ.get("CODER_UPDATE_STUDIES") == "1"
    problems = check(PAGE, workdir, update=update)
    assert not problems, "\n\n".join(problems)
    return workdir / "lind.coder"


def test_the_corpus_is_what_the_page_says() -> None:
    found = passages()
    assert len(found) == 33  # 32 activities and one Parity remark beside two of them
    activities = [codes for codes in found.values() if any(c.startswith("Place/") for c in codes)]
    assert len(activities) == 32
    assert all(len([c for c in codes if c.startswith("Phase/")]) == 1 for codes in activities)
    # Each Parity condition is met somewhere and missing somewhere else.
    used = {code for codes in found.values() for code in codes}
    assert set(PARITY) <= used


def test_check_reports_the_activity_with_two_places(lind: Path) -> None:
    clashes = [
        (document, sorted(c for c in codes if c.startswith("Place/")))
        for (document, _), codes in passages().items()
        if len([c for c in codes if c.startswith("Place/")]) > 1
    ]
    assert clashes == [("elin-roos", ["Place/Clinic", "Place/Organization"])]
    page = PAGE.read_text(encoding="utf-8")
    assert (
        "elin-roos 1218-1434 (lena): Place takes one code per passage, has Place/Clinic; Place/Organization"
        in page
    )
    with Project.open(lind) as project:
        assert project.coding.check() == []  # fixed by the page's `coder uncode`


def test_place_by_phase_counts_activities(lind: Path) -> None:
    rows, columns = [place(p) for p in PLACES], [phase(p) for p in PHASES]
    expected = by_activity(corrected(), rows, columns)
    assert sum(expected.values()) == 32
    with Project.open(lind) as project:
        m = project.matrices.cooccurrence(rows="Place", columns="Phase", unit="passage")
        assert list(m.frame.index) == rows and list(m.frame.columns) == columns
        assert cells(m.frame) == expected


def test_each_cell_lists_its_activities(lind: Path) -> None:
    expected = sorted(
        (r, c, document, " ".join(text.split()))
        for (document, text), codes in corrected().items()
        for r in [place(p) for p in PLACES]
        for c in [phase(p) for p in PHASES]
        if {r, c} <= codes
    )
    with Project.open(lind) as project:
        found = project.matrices.passages(rows="Place", columns="Phase", unit="passage")
    listed = list(zip(found["row"], found["column"], found["document"], found["text"], strict=True))
    assert sorted(listed) == expected
    # Cell by cell in the table's order, as Lind's figure reads.
    order = [(place(p), phase(f)) for p in PLACES for f in PHASES]
    seen = list(dict.fromkeys((r, c) for r, c, _, _ in listed))
    assert seen == [cell for cell in order if cell in set(seen)]


def test_parity_met_and_missing_by_place_and_phase(lind: Path) -> None:
    found = corrected()
    with Project.open(lind) as project:
        for dimension, names in (("Place", PLACES), ("Phase", PHASES)):
            columns = [f"{dimension}/{n}" for n in names]
            m = project.matrices.cooccurrence(rows="3", columns=dimension, unit="passage")
            assert list(m.frame.index) == PARITY
            assert cells(m.frame) == by_activity(found, PARITY, columns)


def test_by_activity_and_by_overlap_differ_where_the_page_says(lind: Path) -> None:
    found = corrected()
    rows, columns = [place(p) for p in PLACES], [phase(p) for p in PHASES]
    passage_counts = by_activity(found, rows, columns)
    overlap_counts = by_overlap(found, rows, columns)
    parity = [f"Parity/Compensation/{s}" for s in ("Met", "Missing")]
    places = [place(p) for p in PLACES]
    parity_passage = by_activity(found, parity, places)
    parity_overlap = by_overlap(found, parity, places)
    # Two touching Clinic x Implement activities are one stretch by overlap...
    cell = (place("Clinic"), phase("Implement"))
    assert (passage_counts[cell], overlap_counts[cell]) == (3, 2)
    # ...and a Parity remark coded beside two Organization activities meets them only by overlap.
    cell = ("Parity/Compensation/Missing", place("Organization"))
    assert (parity_passage[cell], parity_overlap[cell]) == (0, 2)
    with Project.open(lind) as project:
        matrices = project.matrices
        assert cells(matrices.cooccurrence(rows="Place", columns="Phase").frame) == overlap_counts
        compensation = matrices.cooccurrence(rows="Parity/Compensation", columns="Place")
        assert cells(compensation.frame) == parity_overlap
        compensation = matrices.cooccurrence(
            rows="Parity/Compensation", columns="Place", unit="passage"
        )
        assert cells(compensation.frame) == parity_passage


def test_the_patients_accounts(lind: Path) -> None:
    patients = {d for d, role in roles().items() if role == "patient"}
    theirs = {key: codes for key, codes in corrected().items() if key[0] in patients}
    rows, columns = [place(p) for p in PLACES], [phase(p) for p in PHASES]
    with Project.open(lind) as project:
        m = project.matrices.cooccurrence(
            rows="Place", columns="Phase", unit="passage", where={"role": ["patient"]}
        )
        assert cells(m.frame) == by_activity(theirs, rows, columns)


def test_touching_passages_really_touch() -> None:
    # The corpus's two touching activities: one passage ends where the next begins.
    clinic = sorted(spans(corrected(), place("Clinic")))
    touching = [(a, b) for a, b in pairwise(clinic) if a[0] == b[0] and a[2] == b[1]]
    assert [(a[0], b[0]) for a, b in touching] == [("per-nyberg", "per-nyberg")]
