"""Documents and their participants (their segments: storage/segments.py; their attributes:
storage/attributes.py)."""

from __future__ import annotations

import difflib
import functools
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    CompoundSelect,
    bindparam,
    false,
    func,
    null,
    select,
    true,
)
from sqlalchemy.dialects import postgresql

from coder import model
from coder.errors import NotFoundError
from coder.storage import changes, convert, schema
from coder.storage.attributes import typed_value
from coder.storage.base import TransactionBase, checked_name, log_rows
from coder.storage.bounds import sentence_count
from coder.storage.schema import table_of

# Statements run once per file of an import, built once: building one cost more than
# running it (the values are parameters).
_DOCUMENT = table_of(schema.DocumentRow)
_SAME_DOCUMENT = select(_DOCUMENT.c.name, _DOCUMENT.c.sha256).where(
    (_DOCUMENT.c.sha256 == bindparam("sha256")) | (_DOCUMENT.c.name == bindparam("name"))
)


class DocumentsMixin(TransactionBase):
    # -- documents -------------------------------------------------------------------------

    def find_document(
        self, *, name: str | None = None, sha256: str | None = None
    ) -> model.Document | None:
        query = select(schema.DocumentRow)
        if name is not None:
            query = query.where(schema.DocumentRow.name == name)
        if sha256 is not None:
            query = query.where(schema.DocumentRow.sha256 == sha256)
        row = self.session.scalar(query)
        return None if row is None else convert.document(row)

    def same_document(self, name: str, sha256: str) -> tuple[str | None, bool]:
        """For a file about to be imported, in one query: the name of the document with the
        same text (a duplicate), if any, and whether a document has this name already."""
        rows = self.session.execute(_SAME_DOCUMENT, {"sha256": sha256, "name": name}).all()
        duplicate = next((found for found, sha in rows if sha == sha256), None)
        return duplicate, any(found == name for found, _ in rows)

    def documents_named(self, names: Iterable[str]) -> dict[str, model.Document]:
        """The documents of these names that exist, by name, in one query."""
        wanted = list(dict.fromkeys(names))
        rows = self.session.scalars(
            select(schema.DocumentRow).where(schema.DocumentRow.name.in_(wanted))
        )
        return {row.name: convert.document(row) for row in rows}

    def document(self, name: str) -> model.Document:
        found = self.find_document(name=name)
        if found is None:
            names = list(self.session.scalars(select(schema.DocumentRow.name)))
            close = difflib.get_close_matches(name, names, n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise NotFoundError(f"no document named {name!r}{hint}")
        return found

    def add_document(
        self,
        *,
        name: str,
        text: str,
        sha256: str,
        source_name: str | None,
        source_format: str | None,
        encoding: str | None,
        file_sha256: str | None = None,
    ) -> model.Document:
        """`file_sha256`, the hash of the file as read, goes to the log for the audit trail."""
        name = checked_name(name, "document")
        imported_at = schema.utcnow()
        document_id = self.add_values_logged(
            table_of(schema.DocumentRow),
            {
                "name": name,
                "text": text,
                "length": len(text),
                "sha256": sha256,
                "source_name": source_name,
                "source_format": source_format,
                "encoding": encoding,
                "imported_at": imported_at,
            },
            "document.add",
            {
                "name": name,
                "sha256": sha256,
                "source": source_name,
                "format": source_format,
                **({"file_sha256": file_sha256} if file_sha256 else {}),
            },
        )
        self._unsegmented.add(document_id)
        return model.Document(
            id=document_id,
            name=name,
            text=text,
            sha256=sha256,
            source_name=source_name,
            source_format=source_format,
            imported_at=imported_at,
        )

    def document_hashes(self) -> dict[int, str]:
        """Every document's id and the SHA-256 of its text."""
        d = schema.DocumentRow
        return {doc_id: sha for doc_id, sha in self.session.execute(select(d.id, d.sha256))}

    def delete_document(self, document: model.Document) -> None:
        """Delete a document and what hangs on it, children first so undo can restore them."""
        for row_class in (
            schema.MemoRow,
            schema.CodingRow,
            schema.SegmentRow,
            schema.UnitBoundsRow,
            schema.DocumentAttributeRow,
            schema.DocumentParticipantRow,
        ):
            table = table_of(row_class)
            self.delete_where(table, table.c.document_id == document.id)
        documents = table_of(schema.DocumentRow)
        self.delete_where(documents, documents.c.id == document.id)
        self._unsegmented.discard(document.id)
        self.log("document.delete", "document", document.id, {"name": document.name})

    def coding_count(self, document_id: int) -> int:
        query = select(func.count()).where(schema.CodingRow.document_id == document_id)
        return int(self.session.scalar(query) or 0)

    # -- participants ----------------------------------------------------------------------

    def ensure_participant(self, name: str) -> model.Participant:
        return self.find_or_add_participant(name)[0]

    def find_or_add_participant(self, name: str) -> tuple[model.Participant, bool]:
        """The participant of this name, and whether it was added just now."""
        name = checked_name(name, "participant")
        table = table_of(schema.ParticipantRow)
        added: int | None = None
        if self._on_postgres():
            # One round trip to the server rather than a look-up and then an insert: an
            # import adds a participant with nearly every file. Added, it is recorded too,
            # and its event logged in the same statement.
            self.session.flush()  # as `log` does before an event
            event = self.event_values("participant.add", {"name": name})
            row = self.session.execute(_added_or_found(), {"name": name, **event}).first()
            if row is not None and not row.added:
                return model.Participant(id=row.id, name=name), False
            if row is not None:
                self._pending.append(changes.ids_record(table, [row.id]))
                self.logged(row.event)
                return model.Participant(id=row.id, name=name), True
            # Nothing: another writer added the name since this statement began; it is
            # found below, by a statement that sees what was committed before it.
        found = self.session.scalar(select(table.c.id).where(table.c.name == name))
        if found is not None:
            return model.Participant(id=found, name=name), False
        added = self.add_values(table, {"name": name})
        self.log("participant.add", "participant", added, {"name": name})
        return model.Participant(id=added, name=name), True

    def participants(self) -> list[model.Participant]:
        rows = self.session.scalars(
            select(schema.ParticipantRow).order_by(schema.ParticipantRow.name)
        )
        return [model.Participant(id=row.id, name=row.name) for row in rows]

    def link_participant(self, document_id: int, participant_id: int, speaker: str | None) -> None:
        self.insert_rows(
            table_of(schema.DocumentParticipantRow),
            [{"document_id": document_id, "participant_id": participant_id, "speaker": speaker}],
        )

    # -- listings --------------------------------------------------------------------------

    def document_summaries(self) -> list[model.DocumentSummary]:
        """Every document with its attributes, people and counts, in a handful of queries."""
        d = schema.DocumentRow
        docs = self.session.execute(
            select(
                d.id, d.name, d.sha256, d.source_format, d.source_name, d.length, d.imported_at
            ).order_by(d.name)
        ).all()

        attributes: dict[int, dict[str, model.AttributeValue]] = defaultdict(dict)
        a, da = schema.AttributeRow, schema.DocumentAttributeRow
        for doc_id, name, value, number, type_ in self.session.execute(
            select(da.document_id, a.name, da.value, da.number, a.type)
            .join(a, a.id == da.attribute_id)
            .order_by(a.name)
        ):
            attributes[doc_id][name] = typed_value(value, number, type_)

        participants: dict[int, list[str]] = defaultdict(list)
        p, dp = schema.ParticipantRow, schema.DocumentParticipantRow
        for doc_id, name in self.session.execute(
            select(dp.document_id, p.name).join(p, p.id == dp.participant_id).order_by(p.name)
        ):
            participants[doc_id].append(name)

        speakers: dict[int, list[str]] = defaultdict(list)
        s = schema.SegmentRow
        first_turn = func.min(s.start).label("first")
        for doc_id, speaker, _ in self.session.execute(
            select(s.document_id, s.speaker, first_turn)
            .where(s.kind == "turn", s.speaker.is_not(None))
            .group_by(s.document_id, s.speaker)
            .order_by(s.document_id, first_turn)
        ):
            if speaker is not None:
                speakers[doc_id].append(speaker)

        kinds: dict[int, dict[str, int]] = defaultdict(dict)
        for doc_id, kind, count in self.session.execute(
            select(s.document_id, s.kind, func.count()).group_by(s.document_id, s.kind)
        ):
            kinds[doc_id][kind] = count
        b = schema.UnitBoundsRow
        for doc_id, packed in self._raw_rows(select(b.document_id, b.sentences)):
            kinds[doc_id]["sentence"] = sentence_count(packed)

        codings: dict[int, dict[str, int]] = defaultdict(dict)
        c, coder = schema.CodingRow, schema.CoderRow
        for doc_id, coder_name, count in self.session.execute(
            select(c.document_id, coder.name, func.count())
            .join(coder, coder.id == c.coder_id)
            .where(c.origin.not_in(("suggested", "rejected")))
            .group_by(c.document_id, coder.name)
        ):
            codings[doc_id][coder_name] = count

        return [
            model.DocumentSummary(
                id=doc_id,
                name=name,
                sha256=sha,
                format=fmt,
                source_name=source,
                characters=length,
                imported_at=convert.aware(imported),
                attributes=dict(attributes[doc_id]),
                participants=tuple(participants[doc_id]),
                speakers=tuple(speakers[doc_id]),
                turns=kinds[doc_id].get("turn", 0),
                paragraphs=kinds[doc_id].get("paragraph", 0),
                sentences=kinds[doc_id].get("sentence", 0),
                codings=dict(sorted(codings[doc_id].items())),
            )
            for doc_id, name, sha, fmt, source, length, imported in docs
        ]


@functools.cache
def _added_or_found() -> CompoundSelect[*tuple[Any, ...]]:
    """PostgreSQL: the participant of the name given as `name` added if there is none, with
    its event logged (id, added=true, the event's id), or the one there is (added=false), in
    one statement. The insert's own row is not visible to the select beside it, so exactly
    one of the two gives a row, unless another transaction committed the name after this
    statement began (then neither does)."""
    table = table_of(schema.ParticipantRow)
    new = (
        postgresql.insert(table)
        .values(name=bindparam("name"))
        .on_conflict_do_nothing(index_elements=[table.c.name])
        .returning(table.c.id)
        .cte("added")
    )
    event = log_rows(new, table.name).returning(table_of(schema.EventRow).c.id).cte("logged")
    added = select(new.c.id, true().label("added"), event.c.id.label("event"))
    return added.select_from(new.join(event, true())).union_all(
        select(table.c.id, false().label("added"), null().label("event")).where(
            table.c.name == bindparam("name")
        )
    )
