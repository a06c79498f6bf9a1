"""Whole-project reads and bulk writes for project exchange (REFI-QDA .qdpx).

Export reads everything in a few set-wise queries rather than document by document; import
writes memos in bulk with the timestamps they arrived with. Writes go through the recorded
mutation helpers, so that undoing an import removes all of it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import Any, cast

from sqlalchemy import select, tuple_

from coder import model
from coder.storage import convert, schema
from coder.storage.attributes import (
    owner_column,
    sortable_number,
    typed_value,
    values_table,
)
from coder.storage.base import TransactionBase
from coder.storage.bounds import unpack_sentences, unpack_turns
from coder.storage.schema import table_of
from coder.storage.segments import (
    segment_fields,
    sentence_rows,
    speaking_turns,
    with_turn_participants,
)


class ExchangeMixin(TransactionBase):
    def documents_with_encoding(self) -> list[tuple[model.Document, str | None]]:
        """Every document with its text and the encoding its file had, by name."""
        rows = self.session.scalars(select(schema.DocumentRow).order_by(schema.DocumentRow.name))
        return [(convert.document(row), row.encoding) for row in rows]

    def all_segments(self) -> list[model.Segment]:
        """Every segment, paragraphs and sentences with their turn's participant, by
        document, kind, start and end."""
        s, b = schema.SegmentRow, schema.UnitBoundsRow
        query = select(*segment_fields()).order_by(s.document_id, s.kind, s.start, s.end, s.id)
        rows = self._raw_rows(query)
        turns = speaking_turns(
            (row[1], row[3], row[4], row[7])
            for row in rows
            if row[2] == "turn" and row[7] is not None
        )
        found = with_turn_participants(rows, turns)
        for document, packed, packed_turns, voices in self._raw_rows(
            select(b.document_id, b.sentences, b.turns, b.voices)
        ):
            found.extend(
                sentence_rows(
                    document, unpack_sentences(packed), unpack_turns(packed_turns, voices)
                )
            )
        found.sort(key=itemgetter(1, 2, 3, 4))
        return model.Segment.from_rows(found)

    def participant_links(self) -> list[tuple[int, int, str | None]]:
        """(document id, participant id, speaker label) for every link."""
        dp = schema.DocumentParticipantRow
        rows = self.session.execute(
            select(dp.document_id, dp.participant_id, dp.speaker).order_by(
                dp.document_id, dp.participant_id
            )
        )
        return [(doc, person, speaker) for doc, person, speaker in rows]

    def attribute_values(
        self, scope: model.AttributeScope
    ) -> list[tuple[int, model.Attribute, model.AttributeValue]]:
        """(owner id, attribute, typed value) for every value of the scope's attributes."""
        a = schema.AttributeRow
        table, owner = values_table(scope), owner_column(scope)
        rows = self.session.execute(
            select(table.c[owner], a.id, a.name, a.type, table.c.value, table.c.number)
            .join(a, a.id == table.c.attribute_id)
            .order_by(table.c[owner], a.name)
        )
        return [
            (
                owner_id,
                model.Attribute(
                    id=attribute_id,
                    scope=scope,
                    name=name,
                    type=cast(model.AttributeType, type_),
                ),
                typed_value(value, number, type_),
            )
            for owner_id, attribute_id, name, type_, value, number in rows
        ]

    def all_codings(self) -> list[model.Coding]:
        c = schema.CodingRow
        query = select(c).order_by(c.document_id, c.start, c.end, c.code_id, c.coder_id)
        return [convert.coding(row) for row in self.session.scalars(query)]

    def add_memo_rows(self, rows: Sequence[Mapping[str, Any]]) -> list[int]:
        """Insert memos as given (target columns, title, body, author and timestamps)."""
        columns = (
            "document_id",
            "participant_id",
            "code_id",
            "coding_id",
            "attribute_id",
            "attribute_value",
            "author_id",
        )
        now = schema.utcnow()
        full = [
            {
                **{column: None for column in columns},
                "title": "",
                **row,
                "created_at": row.get("created_at") or now,
                "updated_at": row.get("updated_at") or row.get("created_at") or now,
            }
            for row in rows
        ]
        return self.insert_rows(table_of(schema.MemoRow), full)

    def coding_ids(
        self, keys: Sequence[tuple[int, int, int, int, int]]
    ) -> dict[tuple[int, int, int, int, int], int]:
        """Ids of the codings with these (document, code, coder, start, end) keys."""
        c = schema.CodingRow
        found: dict[tuple[int, int, int, int, int], int] = {}
        wanted = list(dict.fromkeys(keys))
        for chunk in range(0, len(wanted), 500):
            part = wanted[chunk : chunk + 500]
            rows = self.session.execute(
                select(c.id, c.document_id, c.code_id, c.coder_id, c.start, c.end).where(
                    tuple_(c.document_id, c.code_id, c.coder_id, c.start, c.end).in_(part)
                )
            )
            for coding_id, *key in rows:
                found[(key[0], key[1], key[2], key[3], key[4])] = coding_id
        return found

    def coding_decisions(self) -> dict[int, int]:
        """Coding id -> the reconciliation decision it came from, for codings that have one."""
        c = schema.CodingRow
        rows = self.session.execute(select(c.id, c.decision_id).where(c.decision_id.is_not(None)))
        return {
            coding_id: decision_id for coding_id, decision_id in rows if decision_id is not None
        }

    def add_attribute_values(
        self, attribute: model.Attribute, values: Sequence[tuple[int, model.AttributeValue]]
    ) -> None:
        """Give owners (documents or participants) that have none a value of `attribute`,
        recorded so that undo takes them away again."""
        table, owner = values_table(attribute.scope), owner_column(attribute.scope)
        rows = [
            {
                owner: owner_id,
                "attribute_id": attribute.id,
                "value": model.value_text(value),
                "number": sortable_number(value),
            }
            for owner_id, value in values
        ]
        self.insert_rows(table, rows)
