"""`coder matrix`, `coder cooccurrence`, `coder exemplars` and `coder matrix-report`."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from coder import Project
from coder.cli import cli


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_matrix_as_text(study_path: Path) -> None:
    code, out, err = run("matrix", "-p", str(study_path), "--by", "site", "--level", "themes")
    assert code == 0, err
    assert out.startswith(
        "Coded segments by site (rows: themes; consensus where reconciled, else all coders; "
        "n: documents per group)\n"
    )
    # Each column says how many documents its group holds (matrix_study: A 2, B 2, C 1).
    assert "A (n=2)  B (n=2)  C (n=1)" in out
    assert "Challenges/Jargon" in out and "groups" in out
    assert "Note: 1 document has no site and is left out." in err


def test_matrix_on_a_narrow_terminal_folds_with_every_group(study_path: Path) -> None:
    args = ["matrix", "-p", str(study_path), "--by", "site", "--split", "role"]
    whole = CliRunner().invoke(cli, args).stdout
    folded = CliRunner(env={"COLUMNS": "50"}).invoke(cli, args).stdout
    table = folded.split("\n\n", 1)[1]
    assert max(map(len, whole.splitlines()[2:])) > 50
    assert all(len(line) <= 50 for line in table.splitlines())
    blocks = table.rstrip("\n").split("\n\n")
    assert len(blocks) > 1
    # Each block names the sites over its columns (A: leader, patient; B: patient, provider).
    assert [block.splitlines()[0].split() for block in blocks] == [["A"], ["B"], ["C", "groups"]]

    # The rows' numbers, block by block, are the whole table's.
    def numbers(text: str) -> list[str]:
        return [w for line in text.splitlines() for w in line.split() if w.isdigit()]

    assert sorted(numbers(table)) == sorted(numbers(whole.split("\n\n", 1)[1]))


def test_matrix_as_json(study_path: Path) -> None:
    code, out, err = run(
        "matrix",
        "-p",
        str(study_path),
        "--by",
        "site",
        "--split",
        "role",
        "--measure",
        "participants",
        "--level",
        "themes",
        "--min-groups",
        "2",
        "--format",
        "json",
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["measure"] == "participants" and data["split"] == "role"
    assert data["columns"][0] == ["A", "leader"]
    assert all(n >= 2 for n in data["groups"])


def test_matrix_to_files(study_path: Path, tmp_path: Path) -> None:
    for name in ("m.xlsx", "m.png", "m.svg", "m.csv", "m.tex", "m.html", "m.md"):
        code, _, err = run(
            "matrix",
            "-p",
            str(study_path),
            "--by",
            "site",
            "--level",
            "themes",
            "--totals",
            "-o",
            str(tmp_path / name),
        )
        assert code == 0, err
        assert f"to {tmp_path / name}" in err
    frame = pd.read_excel(tmp_path / "m.xlsx", index_col=0)
    assert list(frame.columns) == ["A", "B", "C", "Total", "groups"]


def test_binary_formats_need_a_file(study_path: Path) -> None:
    code, _out, err = run("matrix", "-p", str(study_path), "--by", "site", "--format", "png")
    assert code == 2
    assert err == "coder: error: png is not for the terminal: write it to a file with -o FILE\n"


def test_errors_are_one_line(study_path: Path) -> None:
    code, _, err = run("matrix", "-p", str(study_path), "--by", "region")
    assert code == 1
    assert err.startswith("coder: error: no attribute named 'region'; attributes: role")
    assert len(err.strip().splitlines()) == 1
    code, _, err = run("matrix", "-p", str(study_path), "--by", "site", "-o", "m.doc")
    assert code == 2 and "cannot tell the format" in err


@pytest.mark.parametrize("location", ["sqlite"], indirect=True)
def test_blind_phase_needs_one_coder(project: Project, tmp_path: Path) -> None:
    project.set_phase("blind")
    code, _, err = run("matrix", "-p", project.location, "--by", "site")
    assert code == 2 and "blind phase" in err


def test_cooccurrence(study_path: Path) -> None:
    code, out, err = run(
        "cooccurrence",
        "-p",
        str(study_path),
        "--rows",
        "Challenges",
        "--columns",
        "Resources",
        "--where",
        "site=B",
        "--format",
        "csv",
    )
    assert code == 0, err
    assert out.splitlines() == [
        "code,Resources/Training",
        "Challenges/Time,0",
        "Challenges/Jargon,0",
    ]


def test_exemplars(study_path: Path, tmp_path: Path) -> None:
    code, out, err = run(
        "exemplars",
        "-p",
        str(study_path),
        "--by",
        "site",
        "--per-cell",
        "1",
        "--template",
        "(Site {site} {role:title})",
    )
    assert code == 0, err
    assert "> Time was the big thing, honestly. (Site A Leader)" in out
    assert "Meetings at noon" not in out  # one per cell
    code, _, err = run(
        "exemplars", "-p", str(study_path), "--by", "site", "-o", str(tmp_path / "q.docx")
    )
    assert code == 0, err
    assert (tmp_path / "q.docx").stat().st_size > 0


@pytest.mark.parametrize("location", ["sqlite"], indirect=True)
def test_report_with_notes(project: Project, tmp_path: Path) -> None:
    from matrix_study import build

    build(project, tmp_path / "corpus")
    project.memos.add(
        "site=C", "Recruited late; one interview only.", title="Late start", actor="lead"
    )
    for name in ("report.xlsx", "report.md", "report.html"):
        code, _, err = run(
            "matrix-report", "-p", project.location, "--by", "site", "-o", str(tmp_path / name)
        )
        assert code == 0, err
    sheets = pd.read_excel(tmp_path / "report.xlsx", sheet_name=None)
    assert list(sheets) == ["segments", "participants", "share", "Quotes", "Notes", "About"]
    assert list(sheets["Notes"]["body"]) == ["Recruited late; one interview only."]
    text = (tmp_path / "report.md").read_text()
    assert "### site C: Late start" in text and "## Exemplar quotes by site" in text
    assert "<h3>site C: Late start</h3>" in (tmp_path / "report.html").read_text()


def test_quotes_and_exemplars_share_one_citation_template(study_path: Path) -> None:
    template = "(Site {site} {role:title})"
    code, out, err = run(
        "quotes", "-p", str(study_path), "--code", "Challenges/Jargon", "--template", template
    )
    assert code == 0, err
    # a-patient has consensus codings: its jargon quote is the consensus's, once.
    assert out.count("The jargon.") == 1
    assert "> The jargon. (Site A Patient)" in out
    code, _, err = run("quotes", "-p", str(study_path), "--template", "({site:>>>})")
    assert code == 2
    assert err.startswith("coder: error: citation template '({site:>>>})' does not work")
    assert len(err.strip().splitlines()) == 1
