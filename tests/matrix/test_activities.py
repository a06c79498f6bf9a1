"""Lind's activities: a passage carrying a Place and a Phase is one unit; co-occurrence by
passage counts them, by overlap counts stretches of text, and layers make three-way tables.

Every expected number is counted here from the list of activities, not read from coder."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from coder import Project
from coder.cli import cli
from coder.errors import UsageError
from coder.ingest.api import ImportOptions

# (person, activity text, place, phase, level): each activity coded once with its three codes.
ACTIVITIES = [
    ("Ann", "I rang the clinic before my visit.", "Home", "Before", "Front"),
    ("Ann", "At the desk we sorted the forms together.", "Clinic", "During", "Front"),
    ("Ann", "Afterwards the nurse called me at home.", "Home", "After", "Middle"),
    ("Bo", "We planned the meeting in the ward.", "Clinic", "Before", "Middle"),
    ("Bo", "In the ward the plan changed twice.", "Clinic", "During", "Middle"),
]
# A long coding of Parity that runs over Ann's first two activities: by overlap it meets
# both their places; it is no activity's code, so by passage it meets nothing.
PARITY = "I rang the clinic before my visit. At the desk we sorted the forms together."


def text_of(person: str) -> str:
    said = " ".join(a[1] for a in ACTIVITIES if a[0] == person)
    return f"Interviewer: Tell me.\n{person}: {said}\n"


@pytest.fixture
def lind(project: Project, tmp_path: Path) -> Project:
    for person in ("Ann", "Bo"):
        (tmp_path / f"{person.lower()}.txt").write_text(text_of(person))
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        "file,site,role,participant\nann.txt,North,patient,Ann\nbo.txt,South,professional,Bo\n"
    )
    project.import_files(
        [tmp_path / "ann.txt", tmp_path / "bo.txt"],
        ImportOptions(manifest=manifest, interviewer_labels=("Interviewer",)),
    )
    cb = project.codebook
    for dimension, values in (
        ("Place", ["Home", "Clinic"]),
        ("Phase", ["Before", "During", "After"]),
        ("Level", ["Front", "Middle"]),
    ):
        cb.add(dimension)
        for value in values:
            cb.add(value, parent=dimension)
    cb.add("Parity")
    for person, said, place, phase, level in ACTIVITIES:
        doc = person.lower()
        start = project.document(doc).text.index(said)
        for code in (f"Place/{place}", f"Phase/{phase}", f"Level/{level}"):
            project.coding.apply(doc, code, start, start + len(said), coder="maya")
    start = project.document("ann").text.index(PARITY)
    project.coding.apply("ann", "Parity", start, start + len(PARITY), coder="maya")
    return project


def cells(frame: object) -> Counter[tuple[str, str]]:
    """A co-occurrence frame's non-zero cells, as Counter((row, column))."""
    import pandas as pd

    assert isinstance(frame, pd.DataFrame)
    stacked = frame.stack()
    return Counter({(str(r), str(c)): int(v) for (r, c), v in stacked.items() if v})


def test_counts_by_activity(lind: Project) -> None:
    expected = Counter((f"Place/{a[2]}", f"Phase/{a[3]}") for a in ACTIVITIES)
    m = lind.matrices.cooccurrence(rows="Place", columns="Phase", unit="passage")
    assert cells(m.frame) == expected
    # Parity is no activity's code: by passage it meets no place...
    parity = lind.matrices.cooccurrence(rows="top", codes=["Parity", "Place"], unit="passage")
    assert parity.frame.loc["Parity", "Place"] == 0
    # ...while by overlap its one long coding meets the text of two Home/Clinic passages.
    overlap = lind.matrices.cooccurrence(rows="top", codes=["Parity", "Place"], unit="overlap")
    assert overlap.frame.loc["Parity", "Place"] == 2


def test_counts_by_activity_at_any_level(lind: Project) -> None:
    by_passage = lind.matrices.cooccurrence(rows="Place", columns="Level", unit="passage")
    expected = Counter((f"Place/{a[2]}", f"Level/{a[4]}") for a in ACTIVITIES)
    assert cells(by_passage.frame) == expected
    # Rolled up to the top level, each activity meets each of its dimensions once.
    top = lind.matrices.cooccurrence(rows="top", unit="passage")
    assert top.frame.loc["Place", "Phase"] == len(ACTIVITIES)
    assert top.frame.loc["Place", "Place"] == len(ACTIVITIES)


def test_each_cell_lists_its_activities(lind: Project) -> None:
    found = lind.matrices.passages(rows="Place", columns="Phase", unit="passage")
    listed = sorted(zip(found["row"], found["column"], found["text"], strict=True))
    expected = sorted((f"Place/{a[2]}", f"Phase/{a[3]}", a[1]) for a in ACTIVITIES)
    assert listed == expected
    first = found[found["text"] == ACTIVITIES[0][1]].iloc[0]
    # The codes on the passage in codebook order (Place, Phase, Level), not alphabetical.
    assert first["codes"] == "Place/Home; Phase/Before; Level/Front"


def test_cells_are_listed_in_the_tables_order(lind: Project) -> None:
    found = lind.matrices.passages(rows="Place", columns="Phase", unit="passage")
    # Row by row as the table reads (Home before Clinic, Before/During/After), which is the
    # codebook's order and not the alphabet's.
    rank = {"Place/Home": 0, "Place/Clinic": 1, "Phase/Before": 0, "Phase/During": 1}
    rank["Phase/After"] = 2
    cells_in_order = list(dict.fromkeys(zip(found["row"], found["column"], strict=True)))
    expected = sorted(
        {(f"Place/{a[2]}", f"Phase/{a[3]}") for a in ACTIVITIES},
        key=lambda c: (rank[c[0]], rank[c[1]]),
    )
    assert cells_in_order == expected
    assert cells_in_order[0] == ("Place/Home", "Phase/Before")


def test_three_way_tables_one_per_level(lind: Project, tmp_path: Path) -> None:
    assert lind.matrices.layers("Level") == ["Level/Front", "Level/Middle"]
    for level in ("Front", "Middle"):
        m = lind.matrices.cooccurrence(
            rows="Place", columns="Phase", unit="passage", where_code=[f"Level/{level}"]
        )
        expected = Counter((f"Place/{a[2]}", f"Phase/{a[3]}") for a in ACTIVITIES if a[4] == level)
        assert cells(m.frame) == expected
    out = tmp_path / "three-way.xlsx"
    result = CliRunner().invoke(
        cli,
        [
            "cooccurrence",
            "-p",
            lind.location,
            "--rows",
            "Place",
            "--columns",
            "Phase",
            "--unit",
            "passage",
            "--split-code",
            "Level",
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    import openpyxl

    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:2] == ["Front", "Middle"]
    sheet = book["Middle"]
    values = {
        (r[0].value, h.value): c.value
        for r in sheet.iter_rows(min_row=2)
        for h, c in zip(sheet[1][1:], r[1:], strict=True)
    }
    assert values[("Place/Clinic", "Phase/During")] == 1
    assert values[("Place/Home", "Phase/After")] == 1


def test_where_filters_documents_and_participants(lind: Project) -> None:
    north = lind.matrices.cooccurrence(
        rows="Place", columns="Phase", unit="passage", where={"site": ["North"]}
    )
    expected = Counter((f"Place/{a[2]}", f"Phase/{a[3]}") for a in ACTIVITIES if a[0] == "Ann")
    assert cells(north.frame) == expected
    matrix = lind.matrices.matrix(
        "site", measure="documents", level="Place", where={"participant:role": ["professional"]}
    )
    assert list(matrix.frame.columns[:-1]) == ["South"]
    assert matrix.frame.loc["Place/Clinic", "South"] == 1
    with pytest.raises(UsageError, match=r"site has no value 'East' \(values: North, South\)"):
        lind.matrices.matrix("site", where={"site": ["East"]})


def test_cooccurrence_list_on_the_command_line(lind: Project) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "cooccurrence",
            "-p",
            lind.location,
            "--rows",
            "Place",
            "--columns",
            "Phase",
            "--unit",
            "passage",
            "--list",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    assert len(listed) == len(ACTIVITIES)
