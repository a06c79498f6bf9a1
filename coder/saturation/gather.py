"""Which codes (or themes) each interview holds, in the order asked for, read from the project
with the same functions the matrices use: the same codings count (the consensus where a
document has one, every coder's elsewhere, or one coder's), and the same rows (`themes` rolls
sub-codes up into their theme)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from coder.errors import UsageError
from coder.matrix import gather as matrix_gather
from coder.matrix.rows import select_rows
from coder.storage import Transaction

ORDERS = ("imported", "name")


@dataclass(frozen=True)
class Items:
    """Interviews in order, each with the row labels (code or theme paths) found in it."""

    order: str
    level: str
    coder: str | None
    documents: tuple[str, ...]
    keys: tuple[str, ...]  # the value each was ordered by
    found: tuple[frozenset[str], ...]


def items(
    tx: Transaction, *, order: str = "imported", level: str = "codes", coder: str | None = None
) -> Items:
    corpus = matrix_gather.corpus(tx, coder)
    rows = select_rows(matrix_gather.tree(tx), level)
    documents = tx.documents_frame()  # document (id), name, length; sorted by name
    keys = _order_keys(tx, documents, order)
    documents = documents.assign(key=keys).sort_values(["key", "name"], kind="stable")
    coded = corpus.codings[["document", "code"]].merge(rows.members, on="code")
    labels = pd.Series(rows.labels)
    per_document = {
        int(str(doc)): frozenset(labels.iloc[sorted(set(group["row"]))])
        for doc, group in coded.groupby("document")
    }
    return Items(
        order=order,
        level=level,
        coder=coder,
        documents=tuple(documents["name"]),
        keys=tuple(str(k) for k in documents["key"]),
        found=tuple(per_document.get(int(d), frozenset()) for d in documents["document"]),
    )


def _order_keys(tx: Transaction, documents: pd.DataFrame, order: str) -> list[Any]:
    if order == "name":
        return list(documents["name"])
    if order == "imported":
        # Ids grow with each import, so they keep the order in which documents came in.
        return [int(d) for d in documents["document"]]
    attributes = tx.attributes_frame("document")
    name = order.split(":", 1)[1] if order.startswith("document:") else order
    if name not in attributes.columns:
        known = ", ".join([*ORDERS, *sorted(str(c) for c in attributes.columns)])
        raise UsageError(f"cannot order interviews by {order!r}; use one of: {known}")
    values = attributes[name].reindex(documents["document"])
    missing = documents["name"][values.isna().to_numpy()].tolist()
    if missing:
        raise UsageError(
            f"{len(missing)} documents have no {name} to order by ({', '.join(missing[:3])}"
            f"{'…' if len(missing) > 3 else ''}); set it with a manifest, or order by imported"
        )
    return list(values)
