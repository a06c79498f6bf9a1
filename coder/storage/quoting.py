"""What a list of quotes reads: the codings, and each quoted document's text and turns.

A theme's quotes on a large study come from thousands of transcripts. Their texts (80 MB at
2,000 transcripts) are read one document at a time, each cut into its quotes and let go
before the next, rather than held all at once: the process then reuses the same memory for
every document instead of asking the system for all of it, which cost as much as reading it.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence

from sqlalchemy import select

from coder.storage import schema
from coder.storage.bounds import NO_TURNS, Turns, unpack_turns
from coder.storage.codings import COUNTED, CodingsMixin

# A coding as quotes read it: document_id, start, end, id, code_id, coder_id (in this order,
# so that tuples sort by document, then span, then id).
QuotedCoding = tuple[int, int, int, int, int, int]


class QuotingMixin(CodingsMixin):
    def quoted_codings(
        self,
        *,
        document_ids: Sequence[int] | None = None,
        code_ids: Sequence[int] | None = None,
        coder_names: Sequence[str] | None = None,
    ) -> list[QuotedCoding]:
        """The counted codings as plain tuples (QuotedCoding) by document id, start, end and
        id: a document's codings together, in the order its quotes are listed. Not made into
        a table, as building 50,000 quotes from tuples costs less than the table would; and
        sorted here, as Python sorts tuples of integers in a fraction of the time the
        database takes to sort the rows it sends."""
        query = self._codings_select(
            document_ids,
            code_ids,
            coder_names,
            COUNTED,
            ["document_id", "start", "end", "id", "code_id", "coder_id"],
            ordered=False,
        )
        rows: list[QuotedCoding] = self._raw_rows(query)
        rows.sort()
        return rows

    def names_by_id(self) -> tuple[dict[int, str], dict[int, str], dict[int, str]]:
        """The names of every document, coder and participant, by id. Plain rows: a study
        has thousands of participants, and an entity for each cost more than the query."""
        d, k, p = schema.DocumentRow, schema.CoderRow, schema.ParticipantRow
        return (
            dict(self._raw_rows(select(d.id, d.name))),
            dict(self._raw_rows(select(k.id, k.name))),
            dict(self._raw_rows(select(p.id, p.name))),
        )

    def quoted_documents(
        self, document_ids: Sequence[int]
    ) -> Generator[tuple[int, str, Turns], None, None]:
        """Each of these documents' id, text and turns (coder/storage/bounds.py), one at a
        time and in no particular order (module docstring). Turns come packed: a document
        with segments has them packed (schema.UnitBoundsRow), one without has no turns."""
        d, b = schema.DocumentRow, schema.UnitBoundsRow
        query = (
            select(d.id, d.text, b.turns, b.voices)
            .outerjoin(b, b.document_id == d.id)
            .where(d.id.in_(list(document_ids)))
        )
        for document, text, packed, voices in self._raw_stream(query):
            yield document, text, NO_TURNS if packed is None else unpack_turns(packed, voices)
