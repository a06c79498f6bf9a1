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
