"""Applying codes to spans of text, and removing them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from coder import model
from coder.codebook.tree import CodeTree
from coder.coding.exclusive import alternatives, refusal
from coder.errors import ConflictError, InputError, NotFoundError, UsageError
from coder.names import FieldProblem, clean_name
from coder.storage import Transaction


@dataclass(frozen=True)
class Applied:
    coding_id: int
    created: bool  # False when the same coder had already applied that code to that span


def check_span(document: model.Document, start: int, end: int) -> None:
    length = len(document.text)
    if not 0 <= start < end <= length:
        raise UsageError(
            f"span {start}-{end} does not fit document {document.name!r} "
            f"(offsets run from 0 to {length}, and start must be before end)"
        )


def codable(tree: CodeTree, path: str) -> model.Code:
    """The code at `path`, if it can take new codings."""
    code = tree.find(path)
    if code.status == "split":
        raise ConflictError(f"{path!r} was split; apply one of the codes it was split into instead")
    return code


def check_coder(name: str, known: Mapping[str, model.Coder]) -> str:
    """The name of who is coding, as `coder_for` will take it: one that is already a coder,
    or one that may become one (the rule for names, and never the consensus layer's)."""
    name = name.strip()
    if not name:
        raise UsageError("say who is coding (--coder NAME)")
    if name in known:
        return name
    if name == model.CONSENSUS_CODER:
        raise ConflictError("the consensus layer is written by reconciliation, not by hand")
    try:
        return clean_name(name, "a coder")
    except FieldProblem as exc:
        raise UsageError(f"coder {name[:60]!r}: {exc}") from None


def coder_for(tx: Transaction, name: str, created: list[str]) -> model.Coder:
    """The named coder, added on first use (and reported through `created`)."""
    known = {coder.name: coder for coder in tx.coders()}
    name = check_coder(name, known)
    if name in known:
        return known[name]
    created.append(name)
    return tx.add_coder(name)


def apply(
    tx: Transaction,
    *,
    document: str,
    code: str,
    coder: str,
    start: int,
    end: int,
    origin: model.CodingOrigin = "manual",
) -> Applied:
    doc = tx.document(document)
    check_span(doc, start, end)
    tree = CodeTree(tx.codes())
    target = codable(tree, code)
    who = coder_for(tx, coder, [])
    if alternatives(tree, target):
        mine = tx.codings_frame(document_ids=[doc.id], coder_names=[who.name])
        here = mine[(mine["start"] == start) & (mine["end"] == end)]
        present = [
            tree.by_id[int(i)]
            for i in set(here["code_id"])
            if int(i) != target.id and int(i) in tree.by_id  # retired codes bind nothing
        ]
        if (why := refusal(tree, target, present)) is not None:
            raise ConflictError(f"{document} {start}-{end}: {why}")
    created, _ = tx.add_codings(
        [
            {
                "document_id": doc.id,
                "code_id": target.id,
                "coder_id": who.id,
                "start": start,
                "end": end,
                "origin": origin,
            }
        ]
    )
    if not created:
        existing = tx.codings_frame(
            document_ids=[doc.id],
            code_ids=[target.id],
            coder_names=[who.name],
            origins=model.CODING_ORIGINS,
        )
        match = existing[(existing["start"] == start) & (existing["end"] == end)]
        return Applied(int(match["id"].iloc[0]), created=False)
    (coding_id,) = created.values()
    tx.log(
        "coding.add",
        "coding",
        coding_id,
        {"document": doc.name, "code": code, "coder": who.name, "start": start, "end": end},
    )
    return Applied(coding_id, created=True)


def unapply(
    tx: Transaction, *, document: str, code: str, coder: str, start: int, end: int
) -> model.Coding:
    """Remove `coder`'s coding of `code` on exactly [start, end) of `document`: what `apply`
    made, named the way `coder check` reports it."""
    doc = tx.document(document)
    tree = CodeTree(tx.codes(model.CODE_STATUSES))
    target = tree.find(code)
    mine = tx.codings_frame(
        document_ids=[doc.id],
        code_ids=[target.id],
        coder_names=[coder],
        origins=model.CODING_ORIGINS,
    )
    here = mine[(mine["start"] == start) & (mine["end"] == end)]
    if here.empty:
        spans = ", ".join(f"{a}-{b}" for a, b in zip(mine["start"], mine["end"], strict=True))
        elsewhere = f" ({coder}'s codings of it there: {spans})" if spans else ""
        raise NotFoundError(
            f"{document} {start}-{end}: {coder} has no coding of {tree.path(target)!r} on "
            f"exactly that span{elsewhere}; `coder codings export --coder {coder}` lists them"
        )
    return remove(tx, int(here["id"].iloc[0]))


def remove(tx: Transaction, coding_id: int) -> model.Coding:
    coding = tx.coding(coding_id)
    tx.delete_codings([coding_id])
    tx.log("coding.remove", "coding", coding_id, {"start": coding.start, "end": coding.end})
    return coding


def located(document: model.Document, text: str, row: int, path: str) -> tuple[int, int]:
    """Where a quoted passage sits in a document, when a codings file gives no offsets."""
    first = document.text.find(text)
    if first < 0:
        raise InputError(f"the text is not in document {document.name!r}", path=path, line=row)
    if document.text.find(text, first + 1) >= 0:
        raise InputError(
            f"the text appears more than once in {document.name!r}; give start and end",
            path=path,
            line=row,
        )
    return first, first + len(text)
