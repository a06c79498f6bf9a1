"""Whose codings a table, a figure or a list of quotes shows: one rule for every command.

By default (no coder named) a document that has consensus codings (the `consensus` coder's,
written by reconciliation) shows those alone, and every other document shows all coders'
codings merged: text two coders coded alike is one passage, one quote, one segment. Naming a
coder shows that coder's codings only (`consensus` for the consensus layer alone); naming
several shows theirs, merged. Tables of counts apply the same rule in the database
(coder/storage/counts.py); quotes apply it here, to the rows of `quoted_codings`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

from coder import model
from coder.storage.codings import QuotedCoding

# Positions in a QuotedCoding (coder/storage/codings.py).
DOCUMENT_ID: Final = 1
DOCUMENT: Final = 2
CODE_ID: Final = 3
CODER: Final = 4
START: Final = 5
END: Final = 6
ROLE: Final = 8
PERSON: Final = 9

Passage = tuple[QuotedCoding, list[str]]  # the first coding, and every coder who coded it so


def choose_codings(
    rows: list[QuotedCoding], coders: Sequence[str] | None, reconciled: Iterable[int] = ()
) -> list[QuotedCoding]:
    """The rows the view shows: the named coders' codings; with none named, the consensus
    coder's in the `reconciled` documents (those with consensus codings, whatever codes
    `rows` hold) and every coder's elsewhere."""
    if coders is not None:
        named = set(coders)
        return [row for row in rows if row[CODER] in named]
    done = set(reconciled)
    if not done:
        return rows
    consensus = model.CONSENSUS_CODER
    return [row for row in rows if row[CODER] == consensus or row[DOCUMENT_ID] not in done]


def merge_coders(rows: list[QuotedCoding]) -> list[Passage]:
    """Codings of different coders with the same code on the same span, as one passage that
    lists its coders ("maya, tomas") in the order of their codings, and is otherwise the
    first coding. Codings that only overlap stay apart: each is a reading of the passage, and
    a quote cut to their union would be neither. `rows` come by document, start, end and id
    (as `quoted_codings` gives them), and so do the passages."""
    passages: dict[tuple[int, int, int, int], Passage] = {}
    for row in rows:
        key = (row[DOCUMENT_ID], row[CODE_ID], row[START], row[END])
        found = passages.get(key)
        if found is None:
            passages[key] = (row, [row[CODER]])
        elif row[CODER] not in found[1]:
            found[1].append(row[CODER])
    # The database orders names by its own collation (PostgreSQL's may not be Python's), so
    # the documents are put in Python's order; a stable sort keeps each one's passages as
    # they came, and costs next to nothing on passages in order already.
    return sorted(passages.values(), key=lambda p: p[0][DOCUMENT])
