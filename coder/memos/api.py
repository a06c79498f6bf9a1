"""`project.memos`: notes on the project, a document, a participant, a code, a coding, or an
attribute value (what characterised site C, say)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from coder import model
from coder.codebook.tree import CodeTree
from coder.errors import NotFoundError, UsageError

if TYPE_CHECKING:
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


def _about(tx: Transaction, memo: model.Memo, tree: CodeTree) -> str:
    """What a memo is on, in words a reader recognises (names, not ids)."""
    if memo.target == "coding" and memo.target_id is not None:
        coding = tx.coding(memo.target_id)
        frame = tx.codings_frame(document_ids=[coding.document_id], origins=model.CODING_ORIGINS)
        row = frame[frame["id"] == coding.id].iloc[0]
        code = tree.by_id.get(coding.code_id)
        path = tree.path(code) if code is not None else "?"
        return (
            f"coding {coding.id}: {path} on {row['document']} {coding.start}-{coding.end} "
            f"by {row['coder']}"
        )
    if memo.target == "document" and memo.target_id is not None:
        found = tx.documents_frame([memo.target_id])
        return f"document {found['name'].iloc[0]}" if len(found) else "document"
    if memo.target == "code" and memo.target_id is not None:
        code = tree.by_id.get(memo.target_id)
        return f"code {tree.path(code)}" if code is not None else "code"
    if memo.target == "participant":
        people = {p.id: p.name for p in tx.participants()}
        return f"participant {people.get(memo.target_id or -1, '?')}"
    if memo.target == "attribute":
        names = {a.id: a.name for a in tx.attributes()}
        return f"{names.get(memo.target_id or -1, '?')}={memo.attribute_value}"
    return memo.target


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


def _memos_on(tx: Transaction, target: str | None) -> list[model.Memo]:
    """Every memo, or those on `target` (written as in TARGET_HELP)."""
    if target is None:
        return tx.memos()
    kind, target_id, value = resolve(tx, target)
    found = tx.memos(kind, target_id)
    return [m for m in found if value is None or m.attribute_value == value]


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
            return _memos_on(tx, target)

    def described(self, target: str | None = None) -> Sequence[tuple[model.Memo, str, str | None]]:
        """Memos with what each is on, in words (a coding: its code, document, span and
        coder), and its author's name."""
        with self._store.read() as tx:
            memos = _memos_on(tx, target)
            tree = CodeTree(tx.codes(model.CODE_STATUSES))
            authors = {c.id: c.name for c in tx.coders()}
            return [(m, _about(tx, m, tree), authors.get(m.author_id or -1)) for m in memos]

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
