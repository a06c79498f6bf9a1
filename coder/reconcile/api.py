"""`project.reconcile`: the reconciliation part of the public API.

Reconciling reads every compared coder's codings: while the project is blind, only a lead may
(coder/access.py); the phase for it is `reconcile`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from coder.access import Access
from coder.agreement.api import Disagreement, Unit
from coder.errors import InputError, NotFoundError, UsageError
from coder.reconcile import consensus
from coder.reconcile import passages as by_passage
from coder.reconcile.decisions_file import matching, read_decisions
from coder.reconcile.passages import Passage
from coder.storage import Store


class Reconciliation:
    """Walk through disagreements and write the consensus layer, one decision at a time."""

    def __init__(self, store: Store, access: Access | None = None) -> None:
        self._store = store
        self._access = access or Access()

    def accept_agreements(
        self,
        coders: Sequence[str],
        unit: Unit = "sentence",
        *,
        documents: Sequence[str] | None = None,
        actor: str | None = None,
    ) -> int:
        with self._store.write(actor) as tx:
            self._access.coders(tx, coders)
            return consensus.accept_agreements(
                tx, coders, unit, documents=documents, decided_by=actor
            )

    def pending(
        self,
        coders: Sequence[str],
        unit: Unit = "sentence",
        *,
        documents: Sequence[str] | None = None,
    ) -> list[Disagreement]:
        with self._store.read() as tx:
            self._access.coders(tx, coders)
            return consensus.pending(tx, coders, unit, documents=documents)

    def decide(
        self,
        disagreement: Disagreement,
        choice: consensus.Choice,
        *,
        coders: Sequence[str],
        unit: Unit = "sentence",
        rationale: str = "",
        span: tuple[int, int] | None = None,
        actor: str | None = None,
    ) -> consensus.Decided:
        with self._store.write(actor) as tx:
            self._access.coders(tx, coders)
            return consensus.decide(
                tx,
                disagreement,
                choice,
                coders=coders,
                unit=unit,
                rationale=rationale,
                decided_by=actor,
                span=span,
            )

    def passages(
        self,
        coders: Sequence[str],
        unit: Unit = "sentence",
        *,
        documents: Sequence[str] | None = None,
    ) -> list[Passage]:
        """The disagreements still to decide, grouped by passage: every disputed code on one
        stretch of text together (see coder/reconcile/passages.py)."""
        return by_passage.passages(self.pending(coders, unit, documents=documents))

    def decide_passage(
        self,
        passage: Passage,
        kept: Sequence[str],
        *,
        coders: Sequence[str],
        unit: Unit = "sentence",
        rationale: str = "",
        actor: str | None = None,
    ) -> str:
        """Keep the disputed codes in `kept` (paths) and drop the others, in one action;
        returns the decision in words, as the log records it."""
        with self._store.write(actor) as tx:
            self._access.coders(tx, coders)
            _, words = by_passage.decide(
                tx,
                passage,
                kept,
                coders=coders,
                unit=unit,
                rationale=rationale,
                decided_by=actor,
            )
            return words

    def apply_decisions(
        self,
        path: str | Path,
        coders: Sequence[str],
        unit: Unit = "sentence",
        *,
        actor: str | None = None,
    ) -> tuple[int, int]:
        """Apply the decisions recorded in a CSV file (coder/reconcile/decisions_file.py) in
        one action: every row is checked first, and a row that settles no pending
        disagreement is an error, so nothing is half applied. Returns (rows, disagreements
        decided)."""
        if len(coders) != 2:
            raise UsageError("reconcile two coders, e.g. --coders maya,tomas")
        pair = (coders[0], coders[1])
        with self._store.write(actor) as tx:
            self._access.coders(tx, coders)

            def text_of(name: str) -> str | None:
                try:
                    return tx.document(name).text
                except NotFoundError:
                    return None

            recorded = read_decisions(Path(path), pair, text_of)
            documents = sorted({r.document for r in recorded})
            pending = consensus.pending(tx, coders, unit, documents=documents)
            decided = 0
            for row in recorded:
                found = matching(pending, row)
                if not found:
                    raise InputError(
                        f"no pending disagreement on {row.code} in {row.document} overlaps "
                        "this text (decided already, or the coders agree there)",
                        path=path,
                        line=row.line,
                    )
                for disagreement in found:
                    consensus.decide(
                        tx,
                        disagreement,
                        row.choice,
                        coders=coders,
                        unit=unit,
                        rationale=row.rationale,
                        decided_by=actor,
                    )
                    pending.remove(disagreement)
                    decided += 1
            return len(recorded), decided

    def decisions(self) -> pd.DataFrame:
        with self._store.read() as tx:
            return tx.decisions_frame()

    def sources(self) -> pd.DataFrame:
        """Links from consensus codings (coding_id) to the codings they came from (source_id)."""
        with self._store.read() as tx:
            return tx.sources_frame()
