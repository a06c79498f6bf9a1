"""Codebook editing through the API: each operation, its effect on codings, and its undo."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest

from coder import Project
from coder.errors import ConflictError, NotFoundError, UsageError
from coder.storage import schema
from coder.storage.schema import table_of

TEXT = "Interviewer: What got in the way?\n\nDana: Time, mostly. Meetings at noon."


@pytest.fixture
def study(project: Project) -> Iterator[Project]:
    cb = project.codebook
    cb.add("Challenges", kind="organizing-theme")
    cb.add("Material", parent="Challenges", kind="theme")
    cb.add("Time", parent="Challenges/Material", key="t", color="#D55E00")
    cb.add("Meeting timing", parent="Challenges/Material")
    cb.add("Technical", parent="Challenges", kind="theme")
    cb.add("Jargon", parent="Challenges/Technical", key="j")
    yield project


def _coding(project: Project, code_path: str, start: int, end: int, coder: str = "amira") -> None:
    """Codings are written directly until the coding engine lands."""
    code = project.codebook.code(code_path)
    with project._store.write("setup") as tx:
        doc = tx.find_document(name="d")
        if doc is None:
            doc = tx.add_document(
                name="d",
                text=TEXT,
                sha256=hashlib.sha256(TEXT.encode()).hexdigest(),
                source_name=None,
                source_format=None,
                encoding=None,
            )
        coders = {c.name: c for c in tx.coders()}
        who = coders.get(coder) or tx.add_coder(coder)
        tx.insert_rows(
            table_of(schema.CodingRow),
            [
                {
                    "document_id": doc.id,
                    "document_length": len(TEXT),
                    "code_id": code.id,
                    "coder_id": who.id,
                    "start": start,
                    "end": end,
                    "origin": "manual",
                }
            ],
        )
        tx.log("test.coding", "coding", None)


def _paths(project: Project) -> list[str]:
    tree = project.codebook.tree()
    return [tree.path(code) for code, _ in tree.walk()]


def test_add_builds_a_tree(study: Project) -> None:
    assert _paths(study) == [
        "Challenges",
        "Challenges/Material",
        "Challenges/Material/Time",
        "Challenges/Material/Meeting timing",
        "Challenges/Technical",
        "Challenges/Technical/Jargon",
    ]
    time = study.codebook.code("challenges/material/TIME")
    assert (time.key, time.color, time.kind) == ("t", "#d55e00", "code")


def test_add_refuses_duplicates_keys_and_bad_colours(study: Project) -> None:
    with pytest.raises(ConflictError, match="already a code 'Time'"):
        study.codebook.add("time", parent="Challenges/Material")
    with pytest.raises(ConflictError, match="already the shortcut of 'Challenges/Material/Time'"):
        study.codebook.add("Attrition", parent="Challenges/Material", key="t")
    with pytest.raises(UsageError, match="#rrggbb"):
        study.codebook.add("Attrition", parent="Challenges/Material", color="red")
    with pytest.raises(NotFoundError, match="did you mean 'Material'"):
        study.codebook.add("Attrition", parent="Challenges/Materal")


def test_rename_and_undo(study: Project) -> None:
    study.codebook.rename("Challenges/Material/Time", "Time pressure", actor="lead")
    assert "Challenges/Material/Time pressure" in _paths(study)
    study.undo(actor="lead")
    assert "Challenges/Material/Time" in _paths(study)


def test_stale_edit_is_refused(study: Project) -> None:
    seen = study.codebook.code("Challenges/Material/Time")
    study.codebook.edit("Challenges/Material/Time", definition="Lack of time.")
    with pytest.raises(ConflictError, match="changed by someone else"):
        study.codebook.edit(
            "Challenges/Material/Time", definition="Mine.", seen_version=seen.version
        )
    assert study.codebook.code("Challenges/Material/Time").definition == "Lack of time."


def test_move_refuses_cycles(study: Project) -> None:
    with pytest.raises(ConflictError, match="under itself"):
        study.codebook.move("Challenges", "Challenges/Material")
    study.codebook.move("Challenges/Technical/Jargon", "Challenges/Material", actor="lead")
    assert "Challenges/Material/Jargon" in _paths(study)
    study.undo(actor="lead")
    assert "Challenges/Technical/Jargon" in _paths(study)


def test_merge_moves_codings_and_undo_restores_them(study: Project) -> None:
    _coding(study, "Challenges/Material/Meeting timing", 41, 53)
    _coding(study, "Challenges/Material/Meeting timing", 55, 70)
    _coding(study, "Challenges/Material/Time", 55, 70)  # same span: merged, not duplicated
    counts_before = study.codebook.coding_counts()
    moved, dropped = study.codebook.merge(
        "Challenges/Material/Meeting timing", "Challenges/Material/Time", actor="lead"
    )
    assert (moved, dropped) == (1, 1)
    time = study.codebook.code("Challenges/Material/Time")
    assert study.codebook.coding_counts() == {time.id: 2}
    merged = [c for c in study.codebook.tree(include_inactive=True).codes if c.status == "merged"]
    assert [(c.name, c.merged_into_id) for c in merged] == [("Meeting timing", time.id)]

    study.undo(actor="lead")
    assert study.codebook.coding_counts() == counts_before
    assert "Challenges/Material/Meeting timing" in _paths(study)


def test_split_flags_codings_for_recoding(study: Project) -> None:
    _coding(study, "Challenges/Material/Time", 41, 53)
    created = study.codebook.split(
        "Challenges/Material/Time", ["Time for meetings", "Time to prepare"], actor="lead"
    )
    assert [c.name for c in created] == ["Time for meetings", "Time to prepare"]
    old = study.codebook.code("Challenges/Material/Time")
    assert old.status == "split" and old.key is None
    assert study.codebook.coding_counts() == {old.id: 1}
    study.undo(actor="lead")
    assert study.codebook.code("Challenges/Material/Time").status == "active"
    assert "Challenges/Material/Time for meetings" not in _paths(study)


def test_retire_frees_the_key_and_keeps_codings(study: Project) -> None:
    _coding(study, "Challenges/Technical/Jargon", 41, 53)
    study.codebook.retire("Challenges/Technical/Jargon")
    assert "Challenges/Technical/Jargon" not in _paths(study)
    assert sum(study.codebook.coding_counts().values()) == 1
    study.codebook.add("Acronyms", parent="Challenges/Technical", key="j")


def test_delete_refused_with_codings_unless_forced(study: Project) -> None:
    _coding(study, "Challenges/Technical/Jargon", 41, 53)
    with pytest.raises(ConflictError, match="has 1 codings"):
        study.codebook.delete("Challenges/Technical/Jargon")
    assert study.codebook.delete("Challenges/Technical/Jargon", force=True, actor="lead") == 1
    assert study.codebook.coding_counts() == {}
    study.undo(actor="lead")
    jargon = study.codebook.code("Challenges/Technical/Jargon")
    assert study.codebook.coding_counts() == {jargon.id: 1}


def test_delete_refuses_a_code_with_children(study: Project) -> None:
    with pytest.raises(ConflictError, match="sub-codes"):
        study.codebook.delete("Challenges/Material")


def test_names_with_slashes_round_trip_through_paths(study: Project) -> None:
    study.codebook.add("Surveys / questionnaires", parent="Challenges")
    assert (
        study.codebook.code("Challenges/Surveys \\/ questionnaires").name
        == "Surveys / questionnaires"
    )
