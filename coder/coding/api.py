"""`project.coding`: the coding part of the public API."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from coder import model
from coder.coding import apply as applying
from coder.coding import csvio, quotes
from coder.coding.spans import SEGMENT_UNITS, SnapUnit, Span, snap
from coder.coding.suggestions import run as suggestions
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
        snap_to: SnapUnit | None = None,
        actor: str | None = None,
    ) -> applying.Applied:
        """Apply `code` (a path) to text[start:end] of `document` for `coder`, first widened
        to whole words, sentences, turns or paragraphs when `snap_to` says so. Applying the
        same code to the same span twice keeps one coding (`created` is False)."""
        if snap_to is not None:
            span = self.snap(document, start, end, snap_to)
            start, end = span.start, span.end
        with self._store.write(actor or coder) as tx:
            applied = applying.apply(
                tx, document=document, code=code, coder=coder, start=start, end=end
            )
            if memo:
                tx.add_memo("coding", applied.coding_id, memo)
            return applied

    def snap(self, document: str, start: int, end: int, unit: SnapUnit) -> Span:
        """The rough selection [start, end) of `document` widened to whole `unit`s."""
        with self._store.read() as tx:
            doc = tx.document(document)
            units = None
            if unit in SEGMENT_UNITS:
                units = [(s.start, s.end) for s in tx.segments(doc.id, unit)]  # type: ignore[arg-type]
            return snap(doc.text, start, end, unit, units=units)

    def suggest(
        self,
        coder: str,
        options: suggestions.SuggestOptions | None = None,
        *,
        actor: str | None = None,
    ) -> suggestions.SuggestRun:
        """Store suggestions for `coder` from the codebook's keywords and patterns. They count
        nowhere until accepted; see coder/coding/suggestions/."""
        with self._store.write(actor or coder) as tx:
            return suggestions.make(tx, coder, options or suggestions.SuggestOptions())

    def evaluate_suggestions(
        self, against: str, options: suggestions.SuggestOptions | None = None
    ) -> pd.DataFrame:
        """Precision and recall per code of the suggestions, scored against a coder's codings
        at unit level. Nothing is stored."""
        with self._store.read() as tx:
            return suggestions.scores(tx, against, options or suggestions.SuggestOptions())

    def suggestions(
        self, coder: str, *, code: str | None = None, document: str | None = None
    ) -> list[suggestions.Suggestion]:
        """`coder`'s pending suggestions, optionally for one code (and its descendants) or
        one document."""
        with self._store.read() as tx:
            return suggestions.pending(tx, coder, code=code, document=document)

    def accept(self, coding_ids: list[int], *, actor: str | None = None) -> int:
        with self._store.write(actor) as tx:
            return suggestions.review(tx, coding_ids, accept=True)

    def reject(self, coding_ids: list[int], *, actor: str | None = None) -> int:
        with self._store.write(actor) as tx:
            return suggestions.review(tx, coding_ids, accept=False)

    def get(self, coding_id: int) -> model.Coding:
        with self._store.read() as tx:
            return tx.coding(coding_id)

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
        """Import codings from CSV, all rows or none. The file is checked against the project
        first, without holding its write lock, so that other people's changes are not held
        up for as long as a large file takes to check; writing then takes one transaction."""
        with self._store.read() as tx:
            plan = csvio.plan_codings(tx, Path(path))
        with self._store.write(actor) as tx:
            return csvio.write_codings(tx, plan)

    def export_csv(self, *, coders: list[str] | None = None) -> str:
        with self._store.read() as tx:
            return csvio.export_codings(tx, coders=coders)
