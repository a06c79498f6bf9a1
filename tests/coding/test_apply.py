"""Applying and removing codes through the API."""

from __future__ import annotations

import pytest
from coding_study import LEADER, span_of

from coder import Project
from coder.errors import ConflictError, NotFoundError, UsageError


def test_apply_a_code_to_a_span(study: Project) -> None:
    start, end = span_of(LEADER, "Time was the big thing")
    applied = study.coding.apply("site-a-leader", "Challenges/Time", start, end, coder="amira")
    assert applied.created
    frame = study.coding.frame()
    assert frame[["document", "coder", "start", "end", "origin"]].values.tolist() == [
        ["site-a-leader", "amira", start, end, "manual"]
    ]


def test_the_same_coding_twice_is_kept_once(study: Project) -> None:
    first = study.coding.apply("site-a-leader", "Challenges/Time", 60, 80, coder="amira")
    again = study.coding.apply("site-a-leader", "Challenges/Time", 60, 80, coder="amira")
    assert not again.created and again.coding_id == first.coding_id
    other = study.coding.apply("site-a-leader", "Challenges/Time", 60, 80, coder="ben")
    assert other.created
    assert len(study.coding.frame()) == 2


def test_overlapping_and_nested_codings_are_allowed(study: Project) -> None:
    study.coding.apply("site-a-leader", "Challenges/Time", 50, 120, coder="amira")
    study.coding.apply("site-a-leader", "Challenges/Jargon", 60, 80, coder="amira")
    study.coding.apply("site-a-leader", "Challenges/Time", 70, 130, coder="amira")
    assert len(study.coding.frame()) == 3


@pytest.mark.parametrize(("start", "end"), [(-1, 5), (10, 10), (20, 5), (0, len(LEADER) + 1)])
def test_bad_offsets_name_the_document_length(study: Project, start: int, end: int) -> None:
    with pytest.raises(UsageError, match=f"offsets run from 0 to {len(LEADER)}"):
        study.coding.apply("site-a-leader", "Challenges/Time", start, end, coder="amira")


def test_unknown_document_and_code(study: Project) -> None:
    with pytest.raises(NotFoundError, match="did you mean site-a-leader"):
        study.coding.apply("site-a-leadr", "Challenges/Time", 0, 5, coder="amira")
    with pytest.raises(NotFoundError, match="did you mean 'Time'"):
        study.coding.apply("site-a-leader", "Challenges/Tim", 0, 5, coder="amira")


def test_split_code_takes_no_new_codings(study: Project) -> None:
    study.codebook.split("Challenges/Time", ["Meeting time", "Preparation time"])
    with pytest.raises(ConflictError, match="was split"):
        study.coding.apply("site-a-leader", "Challenges/Time", 0, 5, coder="amira")


def test_nobody_writes_the_consensus_layer_by_hand(study: Project) -> None:
    with pytest.raises(ConflictError, match="consensus"):
        study.coding.apply("site-a-leader", "Challenges/Time", 0, 5, coder="consensus")


def test_remove_and_undo(study: Project) -> None:
    applied = study.coding.apply(
        "site-a-leader", "Challenges/Time", 60, 80, coder="amira", memo="noon meetings"
    )
    study.coding.remove(applied.coding_id, actor="amira")
    assert study.coding.frame().empty
    study.undo(actor="amira")
    frame = study.coding.frame()
    assert frame["id"].tolist() == [applied.coding_id]
    with study._store.read() as tx:
        assert [m.body for m in tx.memos("coding", applied.coding_id)] == ["noon meetings"]


def test_coding_undo_by_coder(study: Project) -> None:
    study.coding.apply("site-a-leader", "Challenges/Time", 60, 80, coder="amira")
    study.coding.apply("site-a-leader", "Challenges/Jargon", 60, 80, coder="ben")
    study.undo(actor="amira")
    assert study.coding.frame()["coder"].tolist() == ["ben"]
