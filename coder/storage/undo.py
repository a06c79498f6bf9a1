"""Undo and redo, per person, over the event log.

A user action is a group of events (one transaction). Undo reverses the person's latest
action that is still in effect, in a new group whose events name it in `reverts`; redo
reverses that undo. A new action clears what could be redone, as in any editor.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from coder import model
from coder.errors import ConflictError
from coder.storage import changes, convert, schema
from coder.storage.base import TransactionBase

# Actions that cannot be undone: undoing the creation of the project makes no sense.
NOT_UNDOABLE = frozenset({"project.create"})


@dataclass(frozen=True)
class _Group:
    grp: str
    first_id: int
    action: str
    actor: str | None
    reverts: str | None


class UndoMixin(TransactionBase):
    def _groups(self, actor: str | None) -> list[_Group]:
        e = schema.EventRow
        first = (
            select(e.grp, func.min(e.id).label("first_id"))
            .where(e.grp.is_not(None), e.actor.is_(None) if actor is None else e.actor == actor)
            .group_by(e.grp)
            .subquery()
        )
        rows = self.session.execute(
            select(e.grp, e.id, e.action, e.actor, e.reverts)
            .join(first, e.id == first.c.first_id)
            .order_by(e.id)
        )
        return [
            _Group(str(grp), first_id, action, who, reverts)
            for grp, first_id, action, who, reverts in rows
        ]

    def _stacks(self, actor: str | None) -> tuple[list[str], list[tuple[str, str]]]:
        """(actions in effect, oldest first; (action, its undo) pairs that can be redone)."""
        done: list[str] = []
        undone: list[tuple[str, str]] = []
        undo_of: dict[str, str] = {}
        fixed = set(
            self.session.scalars(
                select(schema.EventRow.grp).where(schema.EventRow.action.in_(NOT_UNDOABLE))
            )
        )
        for group in self._groups(actor):
            if group.grp in fixed:
                continue
            if group.action == "undo" and group.reverts is not None:
                if group.reverts in done:
                    done.remove(group.reverts)
                undone.append((group.reverts, group.grp))
                undo_of[group.grp] = group.reverts
            elif group.action == "redo" and group.reverts is not None:
                original = undo_of.get(group.reverts)
                undone = [pair for pair in undone if pair[1] != group.reverts]
                if original is not None:
                    done.append(original)
            else:
                done.append(group.grp)
                undone = []
        return done, undone

    def _first_event(self, grp: str) -> model.Event:
        """The event that names an action: its first, passing over the coders, participants
        and attributes created along the way (coding as a new coder logs "coder.add" first)."""
        rows = self.session.scalars(
            select(schema.EventRow).where(schema.EventRow.grp == grp).order_by(schema.EventRow.id)
        ).all()
        assert rows
        main = [row for row in rows if row.action not in _ALONG_THE_WAY]
        return convert.event((main or rows)[0])

    def _reverse(self, grp: str) -> None:
        """Apply the inverse of every change of a group, newest first, recording each."""
        self.write_changes()
        records = self.session.scalars(
            select(schema.ChangeRow.record)
            .join(schema.EventRow, schema.EventRow.id == schema.ChangeRow.event_id)
            .where(schema.EventRow.grp == grp)
            .order_by(schema.ChangeRow.id.desc())
        ).all()
        for record in records:
            self._pending.extend(changes.apply_inverse(self.session, record))
        self.session.expire_all()

    def undo(self) -> model.Event:
        """Undo this transaction's actor's latest action; returns that action's first event."""
        done, _ = self._stacks(self.actor)
        if not done:
            raise ConflictError("nothing to undo")
        target = done[-1]
        event = self._first_event(target)
        self._reverse(target)
        self.log("undo", "group", None, _about(event), reverts=target)
        return event

    def redo(self) -> model.Event:
        _, undone = self._stacks(self.actor)
        if not undone:
            raise ConflictError("nothing to redo")
        original, undo_group = undone[-1]
        event = self._first_event(original)
        self._reverse(undo_group)
        self.log("redo", "group", None, _about(event), reverts=undo_group)
        return event


_ALONG_THE_WAY = frozenset({"coder.add", "participant.add", "attribute.add"})


def _about(event: model.Event) -> dict[str, object]:
    """What an undo or redo event says about the action it reverses, for the log."""
    return {"action": event.action, "event": event.id, "data": event.data}
