"""Whose codings a table, a figure or a list of quotes shows: one rule for every command.

By default (no coder named) a document that has consensus codings (the `consensus` coder's,
written by reconciliation) shows those alone, and every other document shows all coders'
codings merged: text two coders coded alike is one passage, one quote, one segment. Naming a
coder shows that coder's codings only (`consensus` for the consensus layer alone); naming
several shows theirs, merged. Tables of counts apply the same rule in the database
(coder/storage/counts.py); quotes apply it here, to the rows of `quoted_codings`, and merge
as they cut each document's quotes (coder/coding/quotes.py).

Codings of different coders with the same code on the same span are one passage that lists
its coders ("maya, tomas") and is otherwise the first coding. Codings that only overlap stay
apart: each is a reading of the passage, and a quote cut to their union would be neither. A
document's passages come in the order of their first codings.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from operator import itemgetter

from coder import model
from coder.storage.quoting import QuotedCoding


def shown(
    rows: list[QuotedCoding],
    coders: Mapping[int, str],
    named: Sequence[str] | None,
    reconciled: Iterable[int] = (),
) -> list[QuotedCoding]:
    """The codings of `rows` (as `quoted_codings` gives them) the view shows, in their order,
    `coders` naming their coder ids. Shown are the `named` coders' codings; with none named,
    the consensus coder's in the `reconciled` documents (those with consensus codings,
    whatever codes `rows` hold) and every coder's elsewhere."""
    wanted = None if named is None else set(named)
    done = set(reconciled) if named is None else set()
    if wanted is None and not done:
        return rows
    consensus = model.CONSENSUS_CODER
    return [
        row
        for row in rows
        if (wanted is None or coders[row[5]] in wanted)
        and not (row[0] in done and coders[row[5]] != consensus)
    ]


def by_document(rows: list[QuotedCoding]) -> dict[int, tuple[int, int]]:
    """Where each document's codings lie in `rows` (by document, as `quoted_codings` sorts
    them): the start and end of its slice, by document id in id order."""
    document_of = list(map(itemgetter(0), rows))
    found: dict[int, tuple[int, int]] = {}
    start = 0
    for document in dict.fromkeys(document_of):
        end = bisect_right(document_of, document, start)
        found[document] = (start, end)
        start = end
    return found
