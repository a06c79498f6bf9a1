"""Reconciliation records: decisions and the links from consensus codings to their sources,
plus the unit and document tables that agreement is computed on."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from coder.storage import schema
from coder.storage.base import TransactionBase
from coder.storage.bounds import sentence_id, unpack
from coder.storage.schema import table_of

if TYPE_CHECKING:
    import pandas as pd


class ReconcileMixin(TransactionBase):
    def units_frame(self, kind: str, document_ids: Sequence[int] | None = None) -> pd.DataFrame:
        """Segments of one kind: document (id), unit (segment id; a sentence's
        `bounds.sentence_id`), start, end."""
        if kind == "sentence":
            return self._sentence_units(document_ids)
        s = schema.SegmentRow
        query = select(s.document_id, s.id, s.start, s.end).where(s.kind == kind)
        if document_ids is not None:
            query = query.where(s.document_id.in_(list(document_ids)))
        return self.fetch_ints(
            query.order_by(s.document_id, s.start), ["document", "unit", "start", "end"]
        )

    def _sentence_units(self, document_ids: Sequence[int] | None) -> pd.DataFrame:
        """`units_frame` of sentences, from their packed bounds (schema.UnitBoundsRow)."""
        import numpy as np
        import pandas as pd

        b = schema.UnitBoundsRow
        query = select(b.document_id, b.sentences).order_by(b.document_id)
        if document_ids is not None:
            query = query.where(b.document_id.in_(list(document_ids)))
        documents, spans = unpack(self._raw_rows(query))
        # Each document's sentences come together, in order: numbered from 1 in each.
        firsts = np.flatnonzero(np.r_[True, documents[1:] != documents[:-1]])
        sizes = np.diff(np.r_[firsts, len(documents)])
        number = np.arange(len(documents)) - np.repeat(firsts, sizes) + 1
        return pd.DataFrame(
            {
                "document": documents,
                "unit": sentence_id(documents, number),
                "start": spans[:, 0],
                "end": spans[:, 1],
            }
        )

    def documents_frame(self, document_ids: Sequence[int] | None = None) -> pd.DataFrame:
        import pandas as pd

        d = schema.DocumentRow
        query = select(d.id, d.name, d.length)
        if document_ids is not None:
            query = query.where(d.id.in_(list(document_ids)))
        rows = self.session.execute(query.order_by(d.name)).all()
        return pd.DataFrame.from_records(rows, columns=["document", "name", "length"])

    def add_decision(self, values: dict[str, Any]) -> int:
        row = schema.DecisionRow(**values)
        self.add_row(row)
        return row.id

    def link_sources(self, links: Sequence[tuple[int, int]]) -> None:
        """(consensus coding id, source coding id) pairs."""
        rows = [{"coding_id": c, "source_id": s} for c, s in dict.fromkeys(links)]
        self.insert_rows(table_of(schema.CodingSourceRow), rows)

    def set_decision_of(self, coding_ids: Sequence[int], decision_id: int) -> None:
        codings = table_of(schema.CodingRow)
        self.update_where(codings, codings.c.id.in_(list(coding_ids)), {"decision_id": decision_id})

    def decisions_frame(self) -> pd.DataFrame:
        import pandas as pd

        d = schema.DecisionRow
        rows = self.session.execute(
            select(
                d.id,
                d.document_id,
                d.code_id,
                d.start,
                d.end,
                d.unit,
                d.coders,
                d.choice,
                d.rationale,
                d.decided_by,
                d.decided_at,
            ).order_by(d.id)
        ).all()
        columns = [
            "id",
            "document_id",
            "code_id",
            "start",
            "end",
            "unit",
            "coders",
            "choice",
            "rationale",
            "decided_by",
            "decided_at",
        ]
        return pd.DataFrame.from_records(rows, columns=columns)

    def sources_frame(self) -> pd.DataFrame:
        import pandas as pd

        s = schema.CodingSourceRow
        rows = self.session.execute(select(s.coding_id, s.source_id)).all()
        return pd.DataFrame.from_records(rows, columns=["coding_id", "source_id"])
