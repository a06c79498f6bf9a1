"""Codings in and out as CSV: bad rows are refused with their line, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from coding_study import LEADER, PATIENT, span_of

from coder import Project
from coder.errors import InputError

HEADER = "document,start,end,code,coder,memo,text\n"


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "codings.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_import_then_export_round_trip(study: Project, tmp_path: Path) -> None:
    s, e = span_of(LEADER, "Time was the big thing")
    s2, e2 = span_of(PATIENT, "I didn’t know what they were talking about.")
    path = write(
        tmp_path,
        f"site-a-leader,{s},{e},Challenges/Time,amira,noon,Time was the big thing\n"
        f'site-b-patient,{s2},{e2},Challenges/Jargon,ben,"",I didn’t know what they were talking about.\n'
        f"site-b-patient,,,Challenges/Time,ben,,meetings at noon\n",
    )
    result = study.coding.import_csv(path)
    assert (result.added, result.duplicates, result.memos) == (3, 0, 1)
    assert sorted(result.new_coders) == ["amira", "ben"]
    exported = study.coding.export_csv()
    lines = exported.splitlines()
    assert lines[0] == HEADER.strip()
    n, m = span_of(PATIENT, "meetings at noon")
    assert lines[1:] == [
        f"site-a-leader,{s},{e},Challenges/Time,amira,noon,Time was the big thing",
        f"site-b-patient,{s2},{e2},Challenges/Jargon,ben,,I didn’t know what they were talking about.",
        f"site-b-patient,{n},{m},Challenges/Time,ben,,meetings at noon",
    ]
    # Importing the export again adds nothing.
    again = study.coding.import_csv(write(tmp_path, "\n".join(lines[1:]) + "\n"))
    assert (again.added, again.duplicates) == (0, 3)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("nobody,0,5,Challenges/Time,amira,,", "line 3: no document named 'nobody'"),
        ("site-a-leader,0,5,Challenges/Tme,amira,,", "line 3: no code 'Tme' under 'Challenges'"),
        ("site-a-leader,0,9999,Challenges/Time,amira,,", "line 3: span 0-9999 does not fit"),
        ("site-a-leader,8,8,Challenges/Time,amira,,", "line 3: span 8-8 does not fit"),
        ("site-a-leader,x,8,Challenges/Time,amira,,", "line 3: start 'x' is not a whole number"),
        ("site-a-leader,0,11,Challenges/Time,amira,,Interviewr:", "line 3: the text at 0-11"),
        ("site-a-leader,,,Challenges/Time,amira,,nowhere in it", "line 3: the text is not in"),
    ],
)
def test_a_bad_row_refuses_the_whole_file(
    study: Project, tmp_path: Path, row: str, message: str
) -> None:
    good = f"site-a-leader,{LEADER.index('Time')},{LEADER.index('Time') + 4},Challenges/Time,amira,,Time\n"
    path = write(tmp_path, good + row + "\n")
    with pytest.raises(InputError) as caught:
        study.coding.import_csv(path)
    assert "nothing was imported" in str(caught.value)
    assert message in str(caught.value)
    assert study.coding.frame().empty
    assert study.coders() == []


def test_missing_columns(study: Project, tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("doc,start,end\n")
    with pytest.raises(InputError, match="line 1: missing column"):
        study.coding.import_csv(path)


def test_shifted_offsets_are_caught(study: Project, tmp_path: Path) -> None:
    s, e = span_of(LEADER, "Time was the big thing")
    path = write(
        tmp_path, f"site-a-leader,{s + 2},{e + 2},Challenges/Time,amira,,Time was the big thing\n"
    )
    with pytest.raises(InputError, match="are the offsets shifted"):
        study.coding.import_csv(path)
