"""Whose codings a table, a figure or a list of quotes shows: one rule for every command.

By default (no coder named) a document that has consensus codings (the `consensus` coder's,
written by reconciliation) shows those alone, and every other document shows all coders'
codings merged: text two coders coded alike is one passage, one quote, one segment. Naming a
coder shows that coder's codings only (`consensus` for the consensus layer alone); naming
several shows theirs, merged. Tables of counts apply the same rule in the database
(coder/storage/counts.py); quotes apply it here, to the rows of `quoted_codings`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from coder import model
from coder.storage.quoting import QuotedCoding

# A passage: the id of its first coding, its code_id, start and end, and every coder who
# coded it so, by name in the order of their codings.
Passage = tuple[int, int, int, int, list[str]]


def passages(
    rows: Iterable[QuotedCoding],
    coders: Mapping[int, str],
    named: Sequence[str] | None,
    reconciled: Iterable[int] = (),
) -> dict[int, list[Passage]]:
    """The passages the view shows, by document id, of `rows` (by document, start, end and
    id, as `quoted_codings` gives them), whose coder ids `coders` names. Shown are the
    `named` coders' codings; with none named, the consensus coder's in the `reconciled`
    documents (those with consensus codings, whatever codes `rows` hold) and every coder's
    elsewhere.

    Codings of different coders with the same code on the same span are one passage that
    lists its coders ("maya, tomas") and is otherwise the first coding. Codings that only
    overlap stay apart: each is a reading of the passage, and a quote cut to their union
    would be neither. A document's passages come in the order of their first codings."""
    wanted = None if named is None else set(named)
    done = set(reconciled) if named is None else set()
    consensus = model.CONSENSUS_CODER
    found: dict[int, dict[tuple[int, int, int], Passage]] = {}
    current: int | None = None
    merged: dict[tuple[int, int, int], Passage] = {}
    for document, start, end, coding_id, code, coder_id in rows:
        coder = coders[coder_id]
        if wanted is not None and coder not in wanted:
            continue
        if done and coder != consensus and document in done:
            continue
        if document != current:
            current, merged = document, found.setdefault(document, {})
        key = (code, start, end)
        passage = merged.get(key)
        if passage is None:
            merged[key] = (coding_id, code, start, end, [coder])
        elif coder not in passage[4]:
            passage[4].append(coder)
    return {document: list(merged.values()) for document, merged in found.items()}
