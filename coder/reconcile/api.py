"""`project.reconcile`: the reconciliation part of the public API.

Reconciling reads every compared coder's codings: while the project is blind, only a lead may
(coder/access.py); the phase for it is `reconcile`.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from coder.access import Access
from coder.agreement.api import Disagreement, Unit
from coder.reconcile import consensus
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

    def decisions(self) -> pd.DataFrame:
        with self._store.read() as tx:
            return tx.decisions_frame()

    def sources(self) -> pd.DataFrame:
        """Links from consensus codings (coding_id) to the codings they came from (source_id)."""
        with self._store.read() as tx:
            return tx.sources_frame()
