"""Decisions recorded in a file, applied in one action: `coder reconcile --decisions FILE`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from coder import Project
from coder.cli import cli

INTERVIEW = """Interviewer: What got in the way?
Ana: The meetings were at two on a Tuesday. Parking cost a fortune.
Interviewer: What helped?
Ana: The nurse phoned every week. My sister drove me.
"""
COLUMNS = "document,code,text,choice,rationale\n"


@pytest.fixture
def coded(project: Project, tmp_path: Path) -> Project:
    """Maya and Tomas disagree on three sentences (one code each) and agree on one."""
    (tmp_path / "interview.txt").write_text(INTERVIEW)
    project.import_files([tmp_path / "interview.txt"])
    for code in ("Time", "Cost", "Support"):
        project.codebook.add(code)
    text = project.document("interview").text

    def code(phrase: str, name: str, coder: str) -> None:
        start = text.index(phrase)
        project.coding.apply("interview", name, start, start + len(phrase), coder=coder)

    code("The meetings were at two on a Tuesday.", "Time", "maya")  # maya only
    code("Parking cost a fortune.", "Cost", "tomas")  # tomas only
    code("The nurse phoned every week.", "Support", "maya")  # both
    code("The nurse phoned every week.", "Support", "tomas")
    code("My sister drove me.", "Support", "tomas")  # tomas only
    return project


def reconcile(project: Project, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        cli, ["reconcile", "-p", project.location, "--as", "lead", "--coders", "maya,tomas", *args]
    )
    return result.exit_code, result.stdout, result.stderr


def consensus(project: Project) -> list[tuple[str, str]]:
    frame = project.coding.frame(coders=["consensus"])
    text = project.document("interview").text
    names = {c.id: c.name for c in project.codebook.tree().codes}
    return sorted(
        (names[int(c)], text[int(s) : int(e)])
        for c, s, e in zip(frame["code_id"], frame["start"], frame["end"], strict=True)
    )


def test_recorded_decisions_are_applied_in_one_action(coded: Project, tmp_path: Path) -> None:
    path = tmp_path / "decisions.csv"
    path.write_text(
        COLUMNS
        + "interview,Time,at two on a Tuesday,maya,Scheduling is Time.\n"
        + "interview,Cost,Parking cost a fortune.,neither,Not about the project.\n"
        + 'interview,Support,"My sister drove me.",b,\n'
    )
    code, out, err = reconcile(coded, "--accept-agreements", "--decisions", str(path))
    assert code == 0, err
    assert "Applied 3 recorded decisions: 3 disagreements decided." in out
    assert "3 disagreements decided, 0 to decide." in out
    assert consensus(coded) == [
        ("Support", "My sister drove me."),
        ("Support", "The nurse phoned every week."),
        ("Time", "The meetings were at two on a Tuesday."),
    ]
    decisions = coded.reconcile.decisions()
    decided = decisions[decisions["choice"] != "agree"]
    assert sorted(decided["choice"]) == ["a", "b", "neither"]
    assert "Scheduling is Time." in set(decided["rationale"])
    # One action: one undo takes all three back.
    assert coded.undo(actor="lead").startswith("Undid: ")
    assert len(coded.reconcile.pending(["maya", "tomas"])) == 3


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("interview,Time,at two on a Tuesday,zoe,", "line 3: choice 'zoe' is not one of"),
        ("interview,Time,at three on a Monday,a,", "line 3: the text is not in interview"),
        ("elsewhere,Time,at two,a,", "line 3: no document named 'elsewhere'"),
        ("interview,Support,The nurse phoned,a,", "line 3: no pending disagreement on Support"),
    ],
)
def test_a_bad_row_is_one_line_and_nothing_is_decided(
    coded: Project, tmp_path: Path, row: str, message: str
) -> None:
    path = tmp_path / "decisions.csv"
    # The first row is good: it must not be applied either.
    path.write_text(COLUMNS + "interview,Cost,Parking cost a fortune.,tomas,\n" + row + "\n")
    code, _, err = reconcile(coded, "--decisions", str(path))
    assert code == 1 and message in err, err
    assert len(err.strip().splitlines()) == 1
    assert coded.reconcile.decisions().empty
    assert len(coded.reconcile.pending(["maya", "tomas"])) == 3


def test_decisions_and_decide_are_alternatives(coded: Project, tmp_path: Path) -> None:
    path = tmp_path / "decisions.csv"
    path.write_text(COLUMNS)
    code, _, err = reconcile(coded, "--decisions", str(path), "--decide", "1", "--choice", "a")
    assert code == 2 and "alternatives" in err
