"""Codes whose sub-codes are alternatives: one Place and one Phase per passage."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from coding_study import LEADER, span_of

from coder import Project
from coder.cli import cli
from coder.codebook.csv_format import read_csv
from coder.codebook.qdc import read_qdc
from coder.codebook.yaml_format import dump_yaml, load_yaml
from coder.errors import ConflictError

CODEBOOK = """\
title: Lind
codes:
  - name: Place
    exclusive: true
    children:
      - name: Home
      - name: Clinic
        children:
          - name: Ward
  - name: Phase
    exclusive: true
    children:
      - name: Before
      - name: During
"""


@pytest.fixture
def lind(study: Project, tmp_path: Path) -> Project:
    path = tmp_path / "lind.yaml"
    path.write_text(CODEBOOK)
    study.codebook.load(path)
    return study


def test_the_codebook_carries_exclusive_through_every_format(lind: Project) -> None:
    tree = lind.codebook.tree()
    assert {tree.path(c) for c in tree.codes if c.exclusive} == {"Place", "Phase"}
    spec = lind.codebook.spec()
    yaml_text = dump_yaml(spec)
    assert "exclusive: true" in yaml_text
    assert load_yaml(yaml_text).spec == spec
    qdc = read_qdc(lind.codebook.export("qdc")).spec
    assert [c.exclusive for c in qdc.codes if c.name in ("Place", "Phase")] == [True, True]
    rows = "name,parent,exclusive\nPlace,,yes\nHome,Place,\nPhase,,no\n"
    read = read_csv(rows).spec
    assert [(c.name, c.exclusive) for c in read.codes] == [("Place", True), ("Phase", False)]


def test_a_passage_takes_one_code_of_an_exclusive_code(lind: Project) -> None:
    span = span_of(LEADER, "Time was the big thing, honestly.")
    apply = lind.coding.apply
    apply("site-a-leader", "Place/Clinic", *span, coder="amira")
    apply("site-a-leader", "Place/Clinic/Ward", *span, coder="amira")  # the same branch
    apply("site-a-leader", "Phase/Before", *span, coder="amira")  # another dimension
    with pytest.raises(ConflictError, match="'Place' takes one code per passage"):
        apply("site-a-leader", "Place/Home", *span, coder="amira")
    apply("site-a-leader", "Place/Home", *span, coder="ben")  # another coder's passage
    wider = span_of(LEADER, "Slowly. Time was the big thing, honestly.")
    apply("site-a-leader", "Place/Home", *wider, coder="amira")  # another passage
    assert lind.coding.check() == []


def test_check_reports_clashes_that_arrived_another_way(lind: Project, tmp_path: Path) -> None:
    span = span_of(LEADER, "Time was the big thing, honestly.")
    rows = [f"site-a-leader,{span[0]},{span[1]},Place/{p},amira" for p in ("Home", "Clinic")]
    (tmp_path / "codings.csv").write_text("document,start,end,code,coder\n" + "\n".join(rows))
    lind.coding.import_csv(tmp_path / "codings.csv")
    (clash,) = lind.coding.check()
    assert (clash.dimension, clash.codes, clash.coder) == (
        "Place",
        ("Place/Home", "Place/Clinic"),
        "amira",
    )
    result = CliRunner().invoke(cli, ["check", "-p", lind.location])
    assert result.exit_code == 1
    assert result.stdout == (
        f"site-a-leader {span[0]}-{span[1]} (amira): Place takes one code per passage, "
        "has Place/Home; Place/Clinic\n"
    )


def test_uncode_removes_the_code_check_reports(lind: Project, tmp_path: Path) -> None:
    span = span_of(LEADER, "Time was the big thing, honestly.")
    rows = [f"site-a-leader,{span[0]},{span[1]},Place/{p},amira" for p in ("Home", "Clinic")]
    (tmp_path / "codings.csv").write_text("document,start,end,code,coder\n" + "\n".join(rows))
    lind.coding.import_csv(tmp_path / "codings.csv")
    where = ["--document", "site-a-leader", "--start", str(span[0]), "--end", str(span[1])]
    runner = CliRunner()
    result = runner.invoke(
        cli, ["uncode", "-p", lind.location, *where, "--code", "Place/Home", "--coder", "amira"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        f"Removed 'Place/Home' from site-a-leader {span[0]}-{span[1]} for amira"
    )
    assert "“Time was the big thing, honestly.”" in result.stdout
    assert lind.coding.check() == []
    assert set(lind.coding.frame()["code_id"]) == {lind.codebook.tree().find("Place/Clinic").id}
    # Undone by the one who removed it, the clash is back.
    lind.undo(actor="amira")
    assert len(lind.coding.check()) == 1


def test_uncode_names_what_is_there_when_nothing_matches(lind: Project) -> None:
    span = span_of(LEADER, "Time was the big thing, honestly.")
    lind.coding.apply("site-a-leader", "Place/Home", *span, coder="amira")
    args = ["uncode", "-p", lind.location, "--document", "site-a-leader"]
    args += ["--start", str(span[0]), "--end", str(span[1] + 1), "--code", "Place/Home"]
    for coder, hint in (("amira", f"{span[0]}-{span[1]}"), ("ben", "codings export --coder ben")):
        result = CliRunner().invoke(cli, [*args, "--coder", coder])
        assert result.exit_code == 1
        assert "has no coding of 'Place/Home' on exactly that span" in result.stderr
        assert hint in result.stderr
        assert "Traceback" not in result.output
    assert len(lind.coding.frame()) == 1
