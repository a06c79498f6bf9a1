"""`project.memos`: notes on the project, a document, a participant, a code, a coding, or an
attribute value (what characterised site C, say)."""

from __future__ import annotations

from coder import model
from coder.codebook.tree import CodeTree
from coder.errors import NotFoundError, UsageError
from coder.storage import Store, Transaction

TARGET_HELP = (
    "project, document:NAME, participant:NAME, code:PATH, coding:ID, or ATTRIBUTE=VALUE "
    "(e.g. site=C)"
)


def resolve(tx: Transaction, target: str) -> tuple[model.MemoTarget, int | None, str | None]:
    """A target written as in TARGET_HELP → (kind, id, attribute value)."""
    if target == "project":
        return "project", None, None
    kind, sep, rest = target.partition(":")
    if sep:
        if kind == "document":
            return "document", tx.document(rest).id, None
        if kind == "participant":
            for person in tx.participants():
                if person.name == rest:
                    return "participant", person.id, None
            raise NotFoundError(f"no participant named {rest!r}")
        if kind == "code":
            return "code", CodeTree(tx.codes(model.CODE_STATUSES)).find(rest).id, None
        if kind == "coding":
            if not rest.isdigit():
                raise UsageError(f"coding:ID takes a number, got {rest!r}")
            return "coding", tx.coding(int(rest)).id, None
    name, eq, value = target.partition("=")
    if eq:
        for attribute in tx.attributes("document"):
            if attribute.name == name.strip():
                return "attribute", attribute.id, value.strip()
        raise NotFoundError(f"no document attribute named {name.strip()!r}")
    raise UsageError(f"cannot tell what {target!r} is; a memo goes on {TARGET_HELP}")


class Memos:
    def __init__(self, store: Store) -> None:
        self._store = store

    def add(
        self, target: str, body: str, *, title: str = "", actor: str | None = None
    ) -> model.Memo:
        if not body.strip():
            raise UsageError("a memo needs some text")
        with self._store.write(actor) as tx:
            kind, target_id, value = resolve(tx, target)
            author = next((c.id for c in tx.coders() if c.name == actor), None)
            return tx.add_memo(
                kind, target_id, body, title=title, author_id=author, attribute_value=value
            )

    def list(self, target: str | None = None) -> list[model.Memo]:
        with self._store.read() as tx:
            if target is None:
                return tx.memos()
            kind, target_id, value = resolve(tx, target)
            found = tx.memos(kind, target_id)
            return [m for m in found if value is None or m.attribute_value == value]

    def edit(
        self,
        memo_id: int,
        *,
        body: str | None = None,
        title: str | None = None,
        actor: str | None = None,
    ) -> None:
        with self._store.write(actor) as tx:
            tx.edit_memo(memo_id, body=body, title=title)

    def delete(self, memo_id: int, *, actor: str | None = None) -> None:
        with self._store.write(actor) as tx:
            tx.delete_memo(memo_id)
