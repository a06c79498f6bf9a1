"""`project.attributes`: the attributes of documents and participants, set after import.

    project.attributes.set("partnership", "strong", Targets(where={"site": ["D", "E"]}))
    project.attributes.import_csv(Path("classification.csv"))
    project.matrices.matrix("partnership", split="role")   # the new column, at once

Every change is one transaction in the log, undone by `project.undo()`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from coder import model
from coder.attributes import edit
from coder.attributes.edit import AttributesImport, Targets
from coder.errors import UsageError
from coder.storage import Store

__all__ = ["Attributes", "AttributesImport", "Targets"]


class Attributes:
    """List, set, remove and import attribute values."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def table(self, *, lists: bool = False) -> pd.DataFrame:
        """Every attribute: scope, name, type, how many have a value, and the values (joined
        by commas, or as a list with `lists`)."""
        with self._store.read() as tx:
            return edit.table(tx, lists=lists)

    def values(self, scope: model.AttributeScope = "document") -> pd.DataFrame:
        """One row per document (or participant), named, one column per attribute."""
        with self._store.read() as tx:
            frame = tx.attributes_frame(scope)
            if scope == "document":
                names = {d.id: d.name for d in tx.document_summaries()}
            else:
                names = {p.id: p.name for p in tx.participants()}
        frame = frame.reindex(sorted(names, key=lambda i: names[i].casefold()))
        frame.index = pd.Index([names[i] for i in frame.index], name=scope)
        return frame

    def set(self, name: str, value: str, targets: Targets, *, actor: str | None = None) -> int:
        """Give `targets` the value (typed as on import); returns how many changed."""
        if not value.strip():
            raise UsageError("an empty value removes the attribute: use unset")
        with self._store.write(actor) as tx:
            return edit.change(tx, name, value, targets)

    def unset(self, name: str, targets: Targets, *, actor: str | None = None) -> int:
        """Remove the attribute's value from `targets`; returns how many had one."""
        with self._store.write(actor) as tx:
            return edit.change(tx, name, None, targets)

    def import_csv(self, path: str | Path, *, actor: str | None = None) -> AttributesImport:
        """Values from a CSV table (first column `document`, `participant` or a document
        attribute such as `site`), all or none."""
        with self._store.write(actor) as tx:
            return edit.import_csv(tx, Path(path))
