"""`project.memos`: a memo goes on the project, a document, a participant, a code, a coding or
an attribute value, is listed by its target, edited, deleted, and the deletion undone."""

from __future__ import annotations

from pathlib import Path

import pytest

from coder import Project
from coder.errors import NotFoundError, UsageError
from coder.ingest.api import ImportOptions

INTERVIEW = (
    "Interviewer: How did the council start?\n"
    "Amira Haddad: Slowly. Time was the big thing, honestly.\n"
)


@pytest.fixture
def study(project: Project, tmp_path: Path) -> Project:
    source = tmp_path / "site-c-leader.txt"
    source.write_text(INTERVIEW, encoding="utf-8")
    report = project.import_files([source], ImportOptions(attributes={"site": "C"}))
    assert report.summary().startswith("1 imported"), report.summary()
    project.add_coder("amira", "lead")
    project.codebook.add("Challenges", kind="organizing-theme")
    project.codebook.add("Time", parent="Challenges")
    start = INTERVIEW.index("Time was")
    project.coding.apply("site-c-leader", "Challenges/Time", start, start + 8, coder="amira")
    return project


def test_a_memo_on_each_kind_of_target(study: Project) -> None:
    coding = int(study.coding.frame()["id"].iloc[0])
    targets = {
        "project": "The study as a whole",
        "document:site-c-leader": "A long interview",
        "participant:site-c-leader/Amira Haddad": "Chairs the council",
        "code:Challenges/Time": "Time as a barrier",
        f"coding:{coding}": "Noon meetings",
        "site=C": "What characterised site C",
    }
    for target, body in targets.items():
        study.memos.add(target, body, actor="amira")
    for target, body in targets.items():
        assert [m.body for m in study.memos.list(target)] == [body], target
    assert len(study.memos.list()) == len(targets)
    (on_site,) = study.memos.list("site=C")
    assert (on_site.target, on_site.attribute_value) == ("attribute", "C")
    assert study.memos.list("site=B") == []
    amira = next(c.id for c in study.coders() if c.name == "amira")
    assert {m.author_id for m in study.memos.list()} == {amira}


def test_edit_delete_and_undo(study: Project) -> None:
    memo = study.memos.add("project", "first thoughts", title="Start", actor="amira")
    study.memos.edit(memo.id, body="second thoughts", actor="amira")
    (edited,) = study.memos.list("project")
    assert (edited.title, edited.body) == ("Start", "second thoughts")
    study.memos.delete(memo.id, actor="amira")
    assert study.memos.list("project") == []
    assert study.undo(actor="amira") == "Undid: Deleted a memo"
    assert [m.body for m in study.memos.list("project")] == ["second thoughts"]


@pytest.mark.parametrize(
    ("target", "error", "message"),
    [
        ("document:nowhere", NotFoundError, "nowhere"),
        ("participant:Nobody", NotFoundError, "no participant named 'Nobody'"),
        ("code:Challenges/Money", NotFoundError, "Money"),
        ("coding:x", UsageError, "coding:ID takes a number, got 'x'"),
        ("colour=blue", NotFoundError, "no document attribute named 'colour'"),
        ("somewhere", UsageError, "cannot tell what 'somewhere' is"),
    ],
)
def test_an_unknown_target_is_a_clear_error_and_writes_nothing(
    study: Project, target: str, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        study.memos.add(target, "a note", actor="amira")
    assert study.memos.list() == []


def test_a_memo_needs_some_text(study: Project) -> None:
    with pytest.raises(UsageError, match="a memo needs some text"):
        study.memos.add("project", "   ", actor="amira")
