"""The Clavel worked example (docs/studies/clavel.md) runs as written, and its tables match
counts made here from the corpus files alone.

After a deliberate change of output, rewrite the page's outputs with
`CODER_UPDATE_STUDIES=1 .venv/bin/pytest tests/studies/test_clavel.py` and read the diff.

The independent counts: every coded passage is a row of claire.csv or malik.csv (a document
and an exact text); a table cell counts passages. In the three interviews both coders coded, the
consensus is rebuilt from the two files and decisions.csv: a code both coders put on a stretch
is kept; a stretch one coder coded and the other did not is kept when the decision on it keeps
that coder's version; what is kept of one code forms one passage wherever it overlaps or only
white space separates it inside one coder's passage.
"""

from __future__ import annotations

import csv
import os
from collections import Counter, defaultdict
from pathlib import Path

import openpyxl
import pandas as pd
from console_docs import check

from coder import Project

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpora" / "clavel-study"
PAGE = ROOT / "docs" / "studies" / "clavel.md"
PRACTICES, PHASE, LEVEL = "Managerial practices", "Change phase", "Management level"
FAMILIES = [
    "Design practices",
    "Structuration practices",
    "Operational practices",
    "Evaluation practices",
]
PHASES = ["Initiation", "Deployment", "Sustainability"]
LEVELS = ["Top-level managers", "Mid-level managers", "Front-line managers"]

Span = tuple[int, int]
Passage = tuple[str, int, int]  # document, start, end in the transcript file's text


def rows(name: str) -> list[dict[str, str]]:
    with (CORPUS / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def transcript(document: str) -> str:
    return (CORPUS / "transcripts" / f"{document}.txt").read_text(encoding="utf-8")


def located(row: dict[str, str]) -> Passage:
    text = transcript(row["document"])
    start = text.index(row["text"])
    assert text.count(row["text"]) == 1, row
    return row["document"], start, start + len(row["text"])


def codings(coder: str) -> dict[str, dict[str, list[Span]]]:
    """document -> code -> the coder's spans of it."""
    found: dict[str, dict[str, list[Span]]] = defaultdict(lambda: defaultdict(list))
    for row in rows(f"codings/{coder}.csv"):
        document, start, end = located(row)
        found[document][row["code"]].append((start, end))
    return found


def minus(spans: list[Span], others: list[Span]) -> list[Span]:
    """The parts of `spans` that no span of `others` covers."""
    left: list[Span] = []
    for start, end in spans:
        pieces = [(start, end)]
        for o_start, o_end in others:
            pieces = [
                piece
                for s, e in pieces
                for piece in ((s, min(e, o_start)), (max(s, o_end), e))
                if piece[1] > piece[0]
            ]
        left += pieces
    return left


def within(spans: list[Span], outer: list[Span]) -> list[Span]:
    """The parts of `spans` inside `outer`."""
    return [
        (max(s, o_s), min(e, o_e))
        for s, e in spans
        for o_s, o_e in outer
        if min(e, o_e) > max(s, o_s)
    ]


def consensus(document: str) -> dict[str, list[Span]]:
    """code -> consensus passages of one double-coded document, from the files alone."""
    a, b = codings("claire")[document], codings("malik")[document]
    text = transcript(document)
    decided = [r for r in rows("codings/decisions.csv") if r["document"] == document]

    def choice(code: str, span: Span) -> str:
        hits = {
            r["choice"]
            for r in decided
            if r["code"] == code
            and (
                text.index(r["text"]) < span[1] and text.index(r["text"]) + len(r["text"]) > span[0]
            )
        }
        assert len(hits) == 1, f"{document} {code} {span}: decided {hits or 'nowhere'}"
        return hits.pop()

    found: dict[str, list[Span]] = {}
    for code in sorted(set(a) | set(b)):
        mine, theirs = a.get(code, []), b.get(code, [])
        kept = within(mine, theirs)
        for coder, spans, other in (("claire", mine, theirs), ("malik", theirs, mine)):
            for piece in minus(spans, other):
                if text[piece[0] : piece[1]].strip() and choice(code, piece) in (coder, "both"):
                    kept.append(piece)
        # What is kept of one coder's passage is one passage; overlapping passages are one.
        passages = [
            (min(s for s, _ in inside), max(e for _, e in inside))
            for outer in mine + theirs
            if (inside := [k for k in kept if k[0] >= outer[0] and k[1] <= outer[1]])
        ]
        merged: list[Span] = []
        for start, end in sorted(passages):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        if merged:
            found[code] = merged
    return found


def passages() -> dict[Passage, set[str]]:
    """Every counted passage with its codes: the consensus where both coded, claire's
    elsewhere."""
    double = set(codings("malik"))
    found: dict[Passage, set[str]] = defaultdict(set)
    for document, by_code in codings("claire").items():
        source = consensus(document) if document in double else by_code
        for code, spans in source.items():
            for start, end in spans:
                found[(document, start, end)].add(code)
    return found


def under(codes: set[str], dimension: str) -> set[str]:
    return {code.split("/")[1] for code in codes if code.startswith(dimension + "/")}


def table(
    cells: Counter[tuple[str, str]], row_names: list[str], columns: list[str]
) -> list[list[int]]:
    return [[cells[(r, c)] for c in columns] for r in row_names]


def practice_by_phase(level: str | None = None) -> list[list[int]]:
    cells: Counter[tuple[str, str]] = Counter()
    for codes in passages().values():
        if level is not None and level not in under(codes, LEVEL):
            continue
        for family in under(codes, PRACTICES):
            for phase in under(codes, PHASE):
                cells[(family, phase)] += 1
    return table(cells, FAMILIES, PHASES)


def frame_counts(frame: pd.DataFrame, row_names: list[str], columns: list[str]) -> list[list[int]]:
    return [[int(frame.loc[r, c]) for c in columns] for r in row_names]


def test_the_page_runs_and_its_tables_match_the_corpus(tmp_path: Path) -> None:
    for folder in ("corpora", "codebooks"):
        (tmp_path / folder).symlink_to(ROOT / folder)
    update = os.environ.get("CODER_UPDATE_STUDIES") == "1"
    problems = check(PAGE, tmp_path, update=update)
    assert not problems, "\n\n".join(problems)

    family_rows = [f"{PRACTICES}/{f}" for f in FAMILIES]
    phase_columns = [f"{PHASE}/{p}" for p in PHASES]
    with Project.open(tmp_path / "clavel.coder") as project:
        # Practices x phases, on the consensus.
        whole = project.matrices.cooccurrence(rows=PRACTICES, columns=PHASE, unit="passage")
        assert frame_counts(whole.frame, family_rows, phase_columns) == practice_by_phase()
        # The reference-framework passage, agreed in one sentence and decided in the next,
        # is one consensus passage: it counts once.
        listed = project.matrices.passages(
            rows=PRACTICES,
            columns=PHASE,
            unit="passage",
            codes=[f"{PRACTICES}/Design practices", f"{PHASE}/Deployment"],
        )
        framework = listed[listed["document"] == "c1-2015-gendron"]
        assert len(framework) == 1
        assert framework.iloc[0]["text"].startswith("With our patient advisor, Lucie")
        assert framework.iloc[0]["text"].endswith("what a patient advisor is and is not.")
        # Each practice at each level (the article's Additional file 2).
        practices = sorted(
            {
                c
                for codes in passages().values()
                for c in codes
                if c.count("/") == 2 and c.startswith(PRACTICES)
            }
        )
        at_level: Counter[tuple[str, str]] = Counter(
            (code, level)
            for codes in passages().values()
            for code in codes
            if code in practices
            for level in under(codes, LEVEL)
        )
        levels = project.matrices.cooccurrence(rows="3", columns=LEVEL, unit="passage")
        assert frame_counts(levels.frame, practices, [f"{LEVEL}/{x}" for x in LEVELS]) == table(
            at_level, practices, LEVELS
        )
        # By period: passages of each practice family in the interviews of each period.
        period = {r["file"].split("/")[1][:-4]: r["period"] for r in rows("manifest.csv")}
        by_period: Counter[tuple[str, str]] = Counter(
            (family, period[document])
            for (document, _, _), codes in passages().items()
            for family in under(codes, PRACTICES)
        )
        matrix = project.matrices.matrix("period", level=PRACTICES, measure="segments")
        assert frame_counts(matrix.frame, family_rows, ["1", "2", "3"]) == table(
            by_period, FAMILIES, ["1", "2", "3"]
        )

    # Practices x phases at each level: one sheet per level of the page's workbook.
    book = openpyxl.load_workbook(tmp_path / "practices-phases-by-level.xlsx")
    assert book.sheetnames[:3] == LEVELS
    for level in LEVELS:
        sheet = list(book[level].iter_rows(values_only=True))
        assert list(sheet[0]) == ["code", *phase_columns]
        assert [row[0] for row in sheet[1:]] == family_rows
        assert [list(row[1:]) for row in sheet[1:]] == practice_by_phase(level)


def test_the_independent_counts_see_the_design() -> None:
    # The counting above is only worth something if the corpus gives it work to do: a
    # passage with two levels, a passage the coders marked with different boundaries, and
    # decisions both ways.
    counted = passages()
    assert any(len(under(codes, LEVEL)) == 2 for codes in counted.values())
    claire, malik = codings("claire"), codings("malik")
    framework = f"{PRACTICES}/Design practices/Reference framework"
    assert claire["c1-2015-gendron"][framework] != malik["c1-2015-gendron"][framework]
    assert {r["choice"] for r in rows("codings/decisions.csv")} == {"claire", "malik"}
    # The decision for malik moved the funding passage of c2-2015-benali from claire's
    # sustainability to deployment.
    funding = f"{PRACTICES}/Structuration practices/Funding and compensation"
    found = [
        codes
        for (document, _, _), codes in counted.items()
        if document == "c2-2015-benali" and funding in codes
    ]
    assert found == [{funding, f"{LEVEL}/Mid-level managers", f"{PHASE}/Deployment"}]
