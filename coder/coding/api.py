"""`project.coding`: the coding part of the public API."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from coder import model
from coder.coding import apply as applying
from coder.coding import csvio, quotes
from coder.storage import Store


class Coding:
    """Apply and remove codes, read codings back, move them in and out as CSV."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def apply(
        self,
        document: str,
        code: str,
        start: int,
        end: int,
        *,
        coder: str,
        memo: str | None = None,
        actor: str | None = None,
    ) -> applying.Applied:
        """Apply `code` (a path) to text[start:end] of `document` for `coder`. Applying the
        same code to the same span twice keeps one coding (`created` is False)."""
        with self._store.write(actor or coder) as tx:
            applied = applying.apply(
                tx, document=document, code=code, coder=coder, start=start, end=end
            )
            if memo:
                tx.add_memo("coding", applied.coding_id, memo)
            return applied

    def remove(self, coding_id: int, *, actor: str | None = None) -> model.Coding:
        with self._store.write(actor) as tx:
            return applying.remove(tx, coding_id)

    def frame(
        self,
        *,
        documents: list[str] | None = None,
        coders: list[str] | None = None,
        origins: tuple[str, ...] = ("manual", "accepted", "reconciled", "imported"),
    ) -> pd.DataFrame:
        """Codings as a table: id, document_id, document, code_id, coder_id, coder, start,
        end, origin, created_at."""
        with self._store.read() as tx:
            ids = [tx.document(name).id for name in documents] if documents else None
            return tx.codings_frame(document_ids=ids, coder_names=coders, origins=origins)

    def quotes(
        self,
        selection: quotes.QuoteFilter | None = None,
        *,
        template: str = quotes.DEFAULT_TEMPLATE,
    ) -> list[quotes.Quote]:
        with self._store.read() as tx:
            return quotes.quotes(tx, selection or quotes.QuoteFilter(), template=template)

    def import_csv(self, path: Path, *, actor: str | None = None) -> csvio.CodingsImport:
        with self._store.write(actor) as tx:
            return csvio.import_codings(tx, Path(path))

    def export_csv(self, *, coders: list[str] | None = None) -> str:
        with self._store.read() as tx:
            return csvio.export_codings(tx, coders=coders)
