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


def _check_coding_memo(
    tx: Transaction, coding_id: int, author: model.Coder, coders: list[model.Coder]
) -> None:
    """A memo on a coding is that coding's memo (exports attach it to the coding, as its
    coder's note): only the coding's own coder, or a lead, writes one. (On a team project
    the database enforces the same.)"""
    coding = tx.coding(coding_id)
    if author.role == "lead" or coding.coder_id == author.id:
        return
    owner = next((c.name for c in coders if c.id == coding.coder_id), "another coder")
    raise UsageError(
        f"coding {coding_id} is {owner}'s: a memo on a coding is its coder's (or a lead's). "
        "Write yours on the document or the code instead (--on document:NAME or code:PATH)"
    )


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
            coders = tx.coders()
            author = next((c for c in coders if c.name == tx.actor), None)
            if kind == "coding" and target_id is not None and author is not None:
                _check_coding_memo(tx, target_id, author, coders)
            return tx.add_memo(
                kind,
                target_id,
                body,
                title=title,
                author_id=author.id if author else None,
                attribute_value=value,
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
