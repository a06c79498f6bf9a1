"""Undo and redo through the event log's change records, on both engines."""

from __future__ import annotations

import pytest

from coder import Project
from coder.errors import ConflictError


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
