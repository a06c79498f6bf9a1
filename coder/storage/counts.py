"""Reads for tables of counts (matrices): only the columns a count needs, in no particular
order, with the coder rule of coder/coding/view.py applied by the database.

A large study holds half a million codings and two hundred thousand turns; a matrix of
documents or presence needs only which codes reach which documents, and the database gives
that without sending every coding over.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from coder import model
from coder.storage import schema
from coder.storage.base import TransactionBase
from coder.storage.codings import COUNTED

if TYPE_CHECKING:
    import pandas as pd

VIEW_COLUMNS = ("document_id", "code_id", "coder_id", "start", "end")


class CountsMixin(TransactionBase):
    def _shown(self, coders: Sequence[str] | None) -> ColumnElement[bool]:
        """The counted codings the view shows: those of `coders`, or (None) the consensus
        coder's in documents that have any and every coder's elsewhere."""
        c, k = schema.CodingRow, schema.CoderRow
        counted = c.origin.in_(COUNTED)
        if coders is not None:
            return and_(counted, c.coder_id.in_(select(k.id).where(k.name.in_(list(coders)))))
        consensus = self.session.scalar(select(k.id).where(k.name == model.CONSENSUS_CODER))
        if consensus is None:
            return counted
        other = aliased(schema.CodingRow)
        reconciled = select(other.document_id).where(
            other.coder_id == consensus, other.origin.in_(COUNTED)
        )
        return and_(counted, or_(c.coder_id == consensus, c.document_id.not_in(reconciled)))

    def shown_codings_frame(
        self, coders: Sequence[str] | None, columns: Sequence[str] = VIEW_COLUMNS
    ) -> pd.DataFrame:
        """The codings the view shows (`columns` of VIEW_COLUMNS), unordered."""
        c = schema.CodingRow
        query = select(*(getattr(c, name) for name in columns)).where(self._shown(coders))
        return self.fetch_ints(query, list(columns))

    def coded_documents_frame(self, coders: Sequence[str] | None) -> pd.DataFrame:
        """document_id, code_id: each code with each document the view has it coded in."""
        c = schema.CodingRow
        query = (
            select(c.document_id, c.code_id)
            .where(self._shown(coders))
            .group_by(c.document_id, c.code_id)
        )
        return self.fetch_ints(query, ["document_id", "code_id"])

    def turn_speakers(self) -> pd.DataFrame:
        """document_id, participant_id: the participants with turns in each document."""
        d, s = schema.DocumentRow, schema.SegmentRow
        # `document_id IN documents` lets SQLite seek each document's turns in the
        # (document, kind, start) index rather than scan every sentence and paragraph.
        query = (
            select(s.document_id, s.participant_id)
            .where(s.kind == "turn", s.document_id.in_(select(d.id)), s.participant_id.is_not(None))
            .group_by(s.document_id, s.participant_id)
        )
        return self.fetch_ints(query, ["document_id", "participant_id"])

    def participant_turns_frame(self) -> pd.DataFrame:
        """document_id, start, end, participant_id of the turns participants speak."""
        d, s = schema.DocumentRow, schema.SegmentRow
        query = select(s.document_id, s.start, s.end, s.participant_id).where(
            s.kind == "turn", s.document_id.in_(select(d.id)), s.participant_id.is_not(None)
        )
        return self.fetch_ints(query, ["document_id", "start", "end", "participant_id"])

    def documents_with_turns(self) -> set[int]:
        d, s = schema.DocumentRow, schema.SegmentRow
        # One index probe per document, rather than a scan of every segment.
        turns = select(s.id).where(s.document_id == d.id, s.kind == "turn").exists()
        return {int(i) for i in self.session.scalars(select(d.id).where(turns))}

    def document_lengths(self) -> pd.DataFrame:
        """document, length of every document (read from an index, not the texts' pages)."""
        d = schema.DocumentRow
        return self.fetch_ints(select(d.id, d.length), ["document", "length"])
