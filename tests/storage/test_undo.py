"""Undo and redo through the event log's change records, on both engines."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, select

from coder import Project
from coder.errors import ConflictError
from coder.storage import changes, schema
from coder.storage.schema import table_of


def test_undo_and_redo_an_insert(project: Project) -> None:
    amira = project.add_coder("amira", actor="amira")
    assert project.undo(actor="amira") == "Undid: Added coder amira (coder)"
    assert project.coders() == []
    assert project.redo(actor="amira") == "Redid: Added coder amira (coder)"
    assert project.coders() == [amira]  # same id: later references stay valid


def test_undo_an_update_restores_the_old_value(project: Project) -> None:
    project.set_title("Second title", actor="ben")
    project.set_title("Third title", actor="ben")
    project.undo(actor="ben")
    assert project.title == "Second title"
    project.undo(actor="ben")
    assert project.title == "Test study"
    project.redo(actor="ben")
    assert project.title == "Second title"


def test_each_person_undoes_their_own_actions(project: Project) -> None:
    project.add_coder("amira", actor="amira")
    project.add_coder("ben", actor="ben")
    project.undo(actor="amira")
    assert [c.name for c in project.coders()] == ["ben"]


def test_nothing_to_undo_or_redo(project: Project) -> None:
    with pytest.raises(ConflictError, match="nothing to undo"):
        project.undo(actor="amira")
    with pytest.raises(ConflictError, match="nothing to redo"):
        project.redo(actor="amira")


def test_project_creation_cannot_be_undone(project: Project) -> None:
    # The creation group (actor None) holds only project.create and its settings.
    with pytest.raises(ConflictError, match="nothing to undo"):
        project.undo()


def test_a_new_action_clears_redo(project: Project) -> None:
    project.add_coder("amira", actor="lead")
    project.undo(actor="lead")
    project.add_coder("ben", actor="lead")
    with pytest.raises(ConflictError, match="nothing to redo"):
        project.redo(actor="lead")


def test_undo_twice_walks_back_in_order(project: Project) -> None:
    project.add_coder("amira", actor="lead")
    project.add_coder("ben", actor="lead")
    project.undo(actor="lead")
    project.undo(actor="lead")
    assert project.coders() == []
    project.redo(actor="lead")
    assert [c.name for c in project.coders()] == ["amira"]


def test_undo_refuses_when_a_later_change_depends_on_it(project: Project) -> None:
    project.set_title("A", actor="lead")
    with project._store.write("other") as tx:
        tx.set_setting("title", "B")
    with pytest.raises(ConflictError, match="changed again since"):
        project.undo(actor="lead")
    assert project.title == "B"


def test_undo_and_redo_are_logged(project: Project) -> None:
    project.add_coder("amira", actor="lead")
    project.undo(actor="lead")
    project.redo(actor="lead")
    actions = [e.action for e in project.events(limit=3)]
    assert actions == ["redo", "undo", "coder.add"]


TALK = "Interviewer: Why?\n\nANN: One. Two. Three.\n\nInterviewer: And then?\n\nANN: Four."


def _segment_ids(project: Project, name: str) -> set[int]:
    s = table_of(schema.SegmentRow)
    document = project.document(name).id
    with project._store.read() as tx:
        return set(tx.session.scalars(select(s.c.id).where(s.c.document_id == document)))


def test_a_segment_id_is_never_given_twice(project: Project, tmp_path: Path) -> None:
    # Undoing an import deletes the segments by the ids it logged: on SQLite as on
    # PostgreSQL, those ids must not have become another document's since.
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_text(TALK, encoding="utf-8")
    second.write_text(TALK.replace("Four", "Five"), encoding="utf-8")
    assert not project.import_files([first]).failed
    taken = _segment_ids(project, "first")
    project.undo()
    assert not project.import_files([second]).failed
    assert taken and min(_segment_ids(project, "second")) > max(taken)


def test_undoing_a_deletion_logged_with_sentence_rows_packs_them(
    project: Project, tmp_path: Path
) -> None:
    """A document deletion logged before sentences were stored packed only (migration 0014)
    and before packed bounds (0011) holds the sentences as segment rows: undoing it brings
    them back, packed with the document's turns; redoing it removes them again."""
    path = tmp_path / "talk.txt"
    path.write_text(TALK, encoding="utf-8")
    assert not project.import_files([path]).failed
    sentences = [(s.start, s.end, s.speaker) for s in project.segments("talk", "sentence")]
    assert len(sentences) == 6  # two questions, four sentences of answers
    document = project.document("talk")
    s, b = table_of(schema.SegmentRow), table_of(schema.UnitBoundsRow)
    with project._store.write() as tx:
        logged = changes.snapshot(tx.session, s, s.c.document_id == document.id)
        logged += [
            {
                "id": 10_000 + i,
                "document_id": document.id,
                "document_length": document.length,
                "kind": "sentence",
                "start": start,
                "end": end,
                "speaker": speaker,
                "speaker_role": None,
                "participant_id": None,
                "started_at": None,
                "ended_at": None,
            }
            for i, (start, end, speaker) in enumerate(sentences)
        ]
        tx.session.execute(delete(s).where(s.c.document_id == document.id))
        tx.session.execute(delete(b).where(b.c.document_id == document.id))
        record = {"op": "delete", "table": "segment", "rows": logged}
        done = changes.apply_inverse(tx.session, record)
        tx.log("test.restore", "document", document.id)
    assert [r["table"] for r in done] == ["segment", "unit_bounds"]
    found = project.segments("talk", "sentence")
    assert [(x.start, x.end, x.speaker) for x in found] == sentences
    assert {x.speaker_role for x in found} == {"interviewer", "participant"}
    with project._store.write() as tx:
        for step in reversed(done):
            changes.apply_inverse(tx.session, step)
        tx.log("test.redo", "document", document.id)
    assert project.segments("talk", "sentence") == []
    assert project.segments("talk", "turn") == []
