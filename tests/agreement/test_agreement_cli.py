"""`coder agree` on a real project (SQLite and PostgreSQL): every unit and measure, its JSON
against references from the raw codings, the files it writes, and its errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from agreement_study import (
    CODES,
    COST,
    HOME,
    alpha_u_reference,
    build,
    character_reference,
    confusion_reference,
    overlap_reference,
    passage,
)
from click.testing import CliRunner, Result

from coder import Project
from coder.cli import cli


@pytest.fixture
def study(project: Project, tmp_path: Path) -> Project:
    return build(project, tmp_path)


def agree(study: Project, *args: str) -> Result:
    return CliRunner().invoke(cli, ["agree", "-p", study.location, *args])


def test_character_json_is_nvivos_table(study: Project) -> None:
    result = agree(study, "--coders", "ana,ben", "--unit", "character", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["unit"] == "character" and data["average"] == "size_weighted"
    expected = character_reference("ana", "ben")
    rows = [
        (r["document"], r["code"], r["both"], r["only_ana"], r["only_ben"])
        for r in data["per_document"]
    ]
    assert rows == [
        tuple(r) for r in expected[["document", "code", "both", "only_a", "only_b"]].values
    ]
    kappas = [r["kappa"] for r in data["per_document"]]
    assert kappas == pytest.approx(expected["kappa"].tolist(), abs=1e-12)
    assert data["pooled"]["neither"] == expected["neither"].sum()


def test_unitized_json_with_three_coders(study: Project) -> None:
    result = agree(study, "--coders", "ana,ben,cy", "--unit", "unitized", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    for row in data["per_code"]:
        d_o, d_e = alpha_u_reference(("ana", "ben", "cy"), (row["code"],))
        assert row["alpha"] == pytest.approx(1 - d_o / d_e, rel=1e-12)
    d_o, d_e = alpha_u_reference(("ana", "ben", "cy"), CODES)
    assert data["binary"]["alpha"] == pytest.approx(1 - d_o / d_e, rel=1e-12)
    assert data["pooled"]["code"] == "(pooled)"


def test_overlap_text_and_threshold(study: Project) -> None:
    result = agree(
        study, "--coders", "ana,ben", "--unit", "overlap", "--threshold", "0.5", "--by", "pooled"
    )
    assert result.exit_code == 0, result.stderr
    assert "MAXQDA" in result.stdout and "50% overlap" in result.stdout
    expected = overlap_reference("ana", "ben", 0.5)
    matched = int(expected["matched"].sum())
    line = next(row for row in result.stdout.splitlines() if row.startswith("(pooled)"))
    numbers = line.split()[1:]
    assert numbers[:3] == [
        str(expected["segments_a"].sum()),
        str(expected["segments_b"].sum()),
        str(matched),
    ]


def test_confusion_json_and_csv(study: Project, tmp_path: Path) -> None:
    result = agree(study, "--coders", "ana,ben", "--confusion", "--count", "characters", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    found = {
        (row, column): count
        for row, counts in zip(data["rows"], data["table"], strict=True)
        for column, count in zip(data["columns"], counts, strict=True)
        if count
    }
    assert found == confusion_reference("ana", "ben", "characters")
    assert data["pairs"][0]["ana"] != data["pairs"][0]["ben"]
    out = tmp_path / "confusion.csv"
    assert agree(study, "--coders", "ana,ben", "--confusion", "-o", str(out)).exit_code == 0
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0] == ["ana", *CODES, "(none)"]
    expected = confusion_reference("ana", "ben", "segments")
    cells = {
        (r[0], c): int(v)
        for r in rows[1:]
        for c, v in zip(rows[0][1:], r[1:], strict=True)
        if v != "0"
    }
    assert cells == expected
    text = agree(study, "--coders", "ana,ben", "--confusion")
    assert "counting segments" in text.stdout and "(none)" in text.stdout


def test_units_cut_in_advance_show_intervals(study: Project, tmp_path: Path) -> None:
    result = agree(study, "--coders", "ana,ben")
    assert result.exit_code == 0, result.stderr
    assert "kappa is Cohen's; 95% intervals from Gwet's analytic standard errors" in result.stdout
    assert "kappa 95% CI" in result.stdout
    three = agree(study, "--coders", "ana,ben,cy", "--interval", "bootstrap", "--draws", "50")
    assert "kappa is Conger's; 95% intervals from bootstrap over units" in three.stdout
    none = agree(study, "--coders", "ana,ben", "--interval", "none", "--json")
    assert json.loads(none.stdout)["intervals"] == []
    out = tmp_path / "agreement.csv"
    assert agree(study, "--coders", "ana,ben", "-o", str(out)).exit_code == 0
    header = next(csv.reader(out.open(encoding="utf-8")))
    assert {"cohen_kappa_low", "cohen_kappa_high", "cohen_kappa_se", "conger_kappa"} <= set(header)
    by_doc = agree(study, "--coders", "ana,ben", "--by", "document", "--unit", "turn")
    assert by_doc.exit_code == 0 and by_doc.stdout.count("clinic") >= len(CODES)


def test_participants_speech_is_said_and_counted(study: Project) -> None:
    everyone = json.loads(agree(study, "--coders", "ana,ben", "--json").stdout)
    result = agree(study, "--coders", "ana,ben", "--speech", "participants", "--json")
    data = json.loads(result.stdout)
    assert data["speech"] == "participants" and everyone["speech"] == "all"
    # Three of the fourteen sentences are the interviewer's questions (agreement_study.TEXTS).
    assert [r["n_units"] for r in data["per_code"]] == [11] * len(CODES)
    assert [r["n_units"] for r in everyone["per_code"]] == [14] * len(CODES)
    text = agree(study, "--coders", "ana,ben", "--speech", "participants")
    assert "by sentence in the participants' speech over 2 documents" in text.stdout


def test_markdown_output_is_the_view(study: Project, tmp_path: Path) -> None:
    out = tmp_path / "alpha.md"
    result = agree(study, "--coders", "ana,ben", "--unit", "unitized", "-o", str(out))
    assert result.exit_code == 0 and f"Wrote {out}." in result.stderr
    first = out.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("| code | ana units | ben units |") and "alpha_U" in first


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--unit", "sentence", "--threshold", "0.8"],
            "--threshold applies only to --unit overlap",
        ),
        (["--unit", "unitized", "--interval", "bootstrap"], "--interval applies only to sentence"),
        (
            ["--unit", "overlap", "--average", "pooled"],
            "--average applies only to --unit character",
        ),
        (["--count", "segments"], "--count applies only to --confusion"),
        (["--confusion", "--unit", "turn"], "--unit applies only to agreement tables"),
        (["--unit", "character", "--coders", "ana,ben,cy"], "compares two coders, as NVivo"),
        (["--unit", "overlap", "--threshold", "1.5"], "threshold is the share of overlap"),
        (["-o", "table.xlsx"], "use a .csv or .md file"),
        (["--unit", "unitized", "--speech", "participants"], "--speech applies only to sentence"),
        (["--unit", "document", "--speech", "participants"], "only sentences, turns and"),
    ],
)
def test_mistakes_are_one_line(study: Project, args: list[str], message: str) -> None:
    coders = [] if "--coders" in args else ["--coders", "ana,ben"]
    result = agree(study, *coders, *args)
    assert result.exit_code == 2, result.stdout
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_help_names_the_tools() -> None:
    result = CliRunner().invoke(cli, ["agree", "--help"], terminal_width=200)
    for words in ("NVivo", "ATLAS.ti", "MAXQDA", "Krippendorff's alpha_U", "Gwet's"):
        assert words in result.stdout


def test_without_coders_the_pair_with_most_documents_in_common_is_compared(
    study: Project, tmp_path: Path
) -> None:
    # ana and ben have the most codings (ana + ben: 15); ana and cy share a third document.
    # The same words, another speaker of a name as long: the same offsets.
    (tmp_path / "visit.txt").write_text(HOME.replace("Sam", "Lee"), encoding="utf-8")
    study.import_files([tmp_path / "visit.txt"])
    study.coding.apply("visit", COST, *passage("home", "I paid", "expensive."), coder="ana")
    study.coding.apply("visit", COST, *passage("home", "I paid", "ran late"), coder="cy")
    assert study.agreement.default_coders() == ["ana", "cy"]
    result = agree(study, "--by", "pooled")
    assert result.exit_code == 0, result.stderr
    assert "Comparing ana and cy" in result.stderr and "--coders" in result.stderr
    assert result.stdout.startswith("Agreement of ana and cy by sentence over 3 documents")


def test_with_fewer_than_two_coders_it_says_whom_to_name(project: Project) -> None:
    result = agree(project, "--unit", "character")
    assert result.exit_code == 2
    assert "nobody has coded yet" in result.stderr and "--coders" in result.stderr


def test_a_wide_table_fits_the_terminal_with_every_column(study: Project) -> None:
    whole = agree(study, "--coders", "ana,ben")
    folded = CliRunner(env={"COLUMNS": "60"}).invoke(
        cli, ["agree", "-p", study.location, "--coders", "ana,ben"]
    )
    assert folded.exit_code == 0, folded.stderr
    table = folded.stdout.split("\n\n", 1)[1]
    assert max(len(line) for line in whole.stdout.splitlines()) > 60
    assert all(len(line) <= 60 for line in table.splitlines())
    wide_header = whole.stdout.split("\n\n", 1)[1].splitlines()[0].split("  ")
    headers = [
        name.strip()
        for block in table.split("\n\n")
        for name in block.splitlines()[0].split("  ")
        if name.strip() not in ("", "code")
    ]
    assert headers == [name.strip() for name in wide_header if name.strip() not in ("", "code")]
    pooled = [
        word
        for line in table.splitlines()
        if line.startswith("(pooled)")
        for word in line.split()[1:]
    ]
    whole_pooled = next(line for line in whole.stdout.splitlines() if line.startswith("(pooled)"))
    assert pooled == whole_pooled.split()[1:]
