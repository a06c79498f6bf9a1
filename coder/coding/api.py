"""`project.coding`: the coding part of the public API.

Every read of codings goes through `Access` first: while the project is blind, a coder reads
only their own (coder/access.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from coder import model
from coder.access import Access
from coder.codebook.tree import CodeTree
from coder.coding import apply as applying
from coder.coding import csvio, quotes
from coder.coding.exclusive import Clash, clashes
from coder.coding.quotes import Quote
from coder.coding.render import QuoteFormat, render_quotes
from coder.coding.spans import SnapUnit, Span, snap
from coder.storage import Store
from coder.storage.codings import CODING_COLUMNS

# pandas and the suggestion engine (numpy, regexes) are loaded by the methods that use them:
# a command that only reads quotes starts without them.
if TYPE_CHECKING:
    import pandas as pd

    from coder.coding.suggestions import run as suggestions


class Coding:
    """Apply and remove codes, read codings back, move them in and out as CSV."""

    def __init__(self, store: Store, access: Access | None = None) -> None:
        self._store = store
        self._access = access or Access()

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
            for kind in model.SEGMENT_KINDS:
                if kind == unit:
                    units = [(s.start, s.end) for s in tx.segments(doc.id, kind)]
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
        from coder.coding.suggestions import run as suggestions

        with self._store.write(actor or coder) as tx:
            return suggestions.make(tx, coder, options or suggestions.SuggestOptions())

    def evaluate_suggestions(
        self, against: str, options: suggestions.SuggestOptions | None = None
    ) -> pd.DataFrame:
        """Precision and recall per code of the suggestions, scored against a coder's codings
        at unit level. Nothing is stored."""
        from coder.coding.suggestions import run as suggestions

        with self._store.read() as tx:
            self._access.coders(tx, [against])
            return suggestions.scores(tx, against, options or suggestions.SuggestOptions())

    def suggestions(
        self, coder: str, *, code: str | None = None, document: str | None = None
    ) -> list[suggestions.Suggestion]:
        """`coder`'s pending suggestions, optionally for one code (and its descendants) or
        one document."""
        from coder.coding.suggestions import run as suggestions

        with self._store.read() as tx:
            self._access.coders(tx, [coder])
            return suggestions.pending(tx, coder, code=code, document=document)

    def accept(self, coding_ids: list[int], *, actor: str | None = None) -> int:
        from coder.coding.suggestions import run as suggestions

        with self._store.write(actor) as tx:
            return suggestions.review(tx, coding_ids, accept=True)

    def reject(self, coding_ids: list[int], *, actor: str | None = None) -> int:
        from coder.coding.suggestions import run as suggestions

        with self._store.write(actor) as tx:
            return suggestions.review(tx, coding_ids, accept=False)

    def get(self, coding_id: int) -> model.Coding:
        with self._store.read() as tx:
            coding = tx.coding(coding_id)
            names = {coder.id: coder.name for coder in tx.coders()}
            self._access.coders(tx, [names[coding.coder_id]])
            return coding

    def unapply(
        self,
        document: str,
        code: str,
        start: int,
        end: int,
        *,
        coder: str,
        actor: str | None = None,
    ) -> model.Coding:
        """Remove `coder`'s coding of `code` (a path) on exactly text[start:end] of
        `document`, e.g. the second Place that `check` reports on a passage. `undo` brings it
        back."""
        with self._store.write(actor or coder) as tx:
            return applying.unapply(
                tx, document=document, code=code, coder=coder, start=start, end=end
            )

    def remove(self, coding_id: int, *, actor: str | None = None) -> model.Coding:
        with self._store.write(actor) as tx:
            return applying.remove(tx, coding_id)

    def change(
        self,
        coding_id: int,
        *,
        code: str | None = None,
        start: int | None = None,
        end: int | None = None,
        actor: str | None = None,
    ) -> model.Coding:
        """Recode a coding (`code`, a path) or resize it (`start`, `end`) in place: its memos
        and reconciliation links stay with it, and undo restores it."""
        with self._store.write(actor) as tx:
            return applying.change(tx, coding_id, code=code, start=start, end=end)

    def frame(
        self,
        *,
        documents: list[str] | None = None,
        coders: list[str] | None = None,
        origins: tuple[str, ...] = ("manual", "accepted", "reconciled", "imported"),
        columns: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """Codings as a table: id, document_id, document, code_id, coder_id, coder, start,
        end, origin, created_at (or those of them in `columns`: each timestamp costs a
        conversion). `coders` None: everyone's (while blind, the reader's own)."""
        with self._store.read() as tx:
            allowed = self._access.coders(tx, coders)
            ids = [tx.document(name).id for name in documents] if documents else None
            return tx.codings_frame(
                document_ids=ids,
                coder_names=allowed,
                origins=origins,
                columns=CODING_COLUMNS if columns is None else columns,
            )

    def quotes(
        self,
        selection: quotes.QuoteFilter | None = None,
        *,
        template: str = quotes.DEFAULT_TEMPLATE,
    ) -> list[quotes.Quote]:
        """Coded passages matching `selection`, each cited with `template` over the
        document's and participant's attributes."""
        selection = selection or quotes.QuoteFilter()
        with self._store.read() as tx:
            allowed = self._access.coders(tx, list(selection.coders or []) or None)
            selection = replace(selection, coders=allowed)
            return quotes.quotes(tx, selection, template=template)

    def check(self, *, coders: list[str] | None = None) -> list[Clash]:
        """Passages carrying two alternatives of a code the codebook marks exclusive (two
        Places on one activity), for every coder (while blind, the reader's own)."""
        with self._store.read() as tx:
            allowed = self._access.coders(tx, coders)
            frame = tx.codings_frame(coder_names=allowed)
            tree = CodeTree(tx.codes(model.CODE_STATUSES))
            return clashes(tree, frame)

    def render_quotes(
        self, found: list[Quote], fmt: QuoteFormat = "md", *, by: str | None = None
    ) -> str:
        """Quotes as Markdown (under one heading per value of document attribute `by`), CSV
        or JSON, as `coder quotes` writes them."""
        return render_quotes(found, fmt, by)

    def import_csv(self, path: Path, *, actor: str | None = None) -> csvio.CodingsImport:
        """Import codings from CSV, all rows or none. The file is checked against the project
        first, without holding its write lock, so that other people's changes are not held
        up for as long as a large file takes to check; writing then takes one transaction."""
        with self._store.read() as tx:
            plan = csvio.plan_codings(tx, Path(path))
        with self._store.write(actor) as tx:
            return csvio.write_codings(tx, plan)

    def export_csv(self, *, coders: list[str] | None = None) -> str:
        """Codings as CSV (document,start,end,code,coder,memo,text); `coders` None:
        everyone's (while blind, the reader's own)."""
        with self._store.read() as tx:
            return csvio.export_codings(tx, coders=self._access.coders(tx, coders or None))
