"""Documents, their segments, participants and attributes."""

from __future__ import annotations

import difflib
import functools
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

from sqlalchemy import (
    CompoundSelect,
    bindparam,
    delete,
    false,
    func,
    insert,
    null,
    select,
    true,
)
from sqlalchemy import text as sql_text
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.elements import TextClause

from coder import model
from coder.errors import NotFoundError
from coder.storage import changes, convert, schema
from coder.storage.base import TransactionBase, checked_name, log_rows
from coder.storage.bounds import pack_units
from coder.storage.schema import table_of

_SCOPE_TABLES: dict[
    str, type[schema.DocumentAttributeRow] | type[schema.ParticipantAttributeRow]
] = {
    "document": schema.DocumentAttributeRow,
    "participant": schema.ParticipantAttributeRow,
}


def typed_value(value: str, number: float | None, type_: str) -> model.AttributeValue:
    """The value of a number attribute from its exact text (the float column, `number`, only
    sorts, and is empty for numbers too large for a float): a 17-digit identifier read back
    through a float would come back rounded."""
    if type_ == "number":
        parsed = model.number_value(value)
        if parsed is None and _WHOLE.fullmatch(value):
            return int(value)  # a whole number too long for a float, exact all the same
        return value if parsed is None else parsed
    return value


_WHOLE = re.compile(r"[+-]?\d{1,4000}")


def sortable_number(value: model.AttributeValue) -> float | None:
    """The value as a float for sorting, when it is a number a float can hold."""
    if not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


# A segment to write: kind, start, end, speaker, speaker_role, participant_id, started_at,
# ended_at (the columns after the id and the document's in `_SEGMENT_COLUMNS`).
SegmentValues = tuple[str, int, int, str | None, str | None, int | None, float | None, float | None]

_SEGMENT_COLUMNS = (
    "id",
    "document_id",
    "document_length",
    "kind",
    "start",
    "end",
    "speaker",
    "speaker_role",
    "participant_id",
    "started_at",
    "ended_at",
)


# Statements run once per file of an import, built once: building one cost more than
# running it (the values are parameters).
_DOCUMENT = table_of(schema.DocumentRow)
_SAME_DOCUMENT = select(_DOCUMENT.c.name, _DOCUMENT.c.sha256).where(
    (_DOCUMENT.c.sha256 == bindparam("sha256")) | (_DOCUMENT.c.name == bindparam("name"))
)
_ATTRIBUTE = table_of(schema.AttributeRow)
_ATTRIBUTES_NAMED = select(_ATTRIBUTE.c.id, _ATTRIBUTE.c.name, _ATTRIBUTE.c.type).where(
    _ATTRIBUTE.c.scope == bindparam("scope"),
    _ATTRIBUTE.c.name.in_(bindparam("names", expanding=True)),
)


def _set_known_values(table: str, owner: str) -> TextClause:
    """PostgreSQL: the values given (as arrays of names, types, texts and numbers) of the
    attributes of scope `scope` there are, of the same type or text, set for a new `owner`;
    gives the names it set and their attributes' ids."""
    return sql_text(
        "WITH found AS (SELECT a.id, v.name, v.value, v.number "
        "FROM unnest(CAST(:names AS text[]), CAST(:types AS text[]), CAST(:values AS text[]), "
        "CAST(:numbers AS float8[])) AS v (name, type, value, number) "
        "JOIN attribute a ON a.scope = :scope AND a.name = v.name "
        "AND (a.type = v.type OR a.type = 'text')), "
        f"added AS (INSERT INTO {table} ({owner}, attribute_id, value, number) "
        "SELECT :owner, id, value, number FROM found) "
        "SELECT name, id FROM found"
    )


_SET_KNOWN_VALUES = {
    "document": _set_known_values("document_attribute", "document_id"),
    "participant": _set_known_values("participant_attribute", "participant_id"),
}


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

    # -- segments --------------------------------------------------------------------------

    def add_segments(self, document: model.Document, segments: Iterable[Mapping[str, Any]]) -> int:
        """Bulk-insert segments (dicts with kind, start, end and optional speaker fields)."""
        return self.add_segment_rows(
            document,
            [
                (
                    s["kind"],
                    s["start"],
                    s["end"],
                    s.get("speaker"),
                    s.get("speaker_role"),
                    s.get("participant_id"),
                    s.get("started_at"),
                    s.get("ended_at"),
                )
                for s in segments
            ],
        )

    def add_segment_rows(self, document: model.Document, segments: Sequence[SegmentValues]) -> int:
        """Bulk-insert segments given as `SegmentValues` tuples. Tens of thousands per
        transcript: the tuples go to the driver with their ids in one pass, no dictionary
        per segment on the way."""
        table = table_of(schema.SegmentRow)
        fresh = document.id in self._unsegmented
        had_segments = bool(segments) and not fresh and self._has_segments(document.id)
        if segments:
            self._unsegmented.discard(document.id)
        ids = self.new_ids(table, len(segments))
        doc, length = document.id, document.length
        rows = [(i, doc, length, *s) for i, s in zip(ids, segments, strict=True)]
        self.insert_values(table, _SEGMENT_COLUMNS, rows)
        if segments:
            self._store_unit_bounds(document.id, rows, had_segments)
        return len(rows)

    def _has_segments(self, document_id: int) -> bool:
        s = schema.SegmentRow
        found = select(s.id).where(s.document_id == document_id).limit(1)
        return self.session.scalar(found) is not None

    def _store_unit_bounds(
        self, document_id: int, rows: Sequence[Sequence[Any]], had_segments: bool
    ) -> None:
        """The document's sentences and turns packed (coder/storage/bounds.py), from rows
        (id, document, length, kind, start, end, speaker, speaker_role, participant_id, ...).
        Segments added to a document that had some already leave it without packed bounds,
        and it is read from its segments, as before they existed."""
        table = table_of(schema.UnitBoundsRow)
        if had_segments:
            self.delete_where(table, table.c.document_id == document_id)
            return
        sentences, turns, voices = pack_units(r[3:9] for r in rows)
        self.insert_values(
            table,
            ("document_id", "sentences", "turns", "voices"),
            [(document_id, sentences, turns, voices)],
        )

    def segments(self, document_id: int, kind: model.SegmentKind) -> list[model.Segment]:
        s = schema.SegmentRow
        # Plain columns, not ORM objects: a long transcript has thousands of sentences, and
        # building entities for them was most of the time it took to open one.
        query = (
            select(
                s.id,
                s.document_id,
                s.kind,
                s.start,
                s.end,
                s.speaker,
                s.speaker_role,
                s.participant_id,
                s.started_at,
                s.ended_at,
            )
            .where(s.document_id == document_id, s.kind == kind)
            .order_by(s.start)
        )
        # Straight from the DB-API cursor, each row's values in the fields' order: a long
        # transcript has thousands of sentences, and SQLAlchemy's rows for them cost most of
        # the time it took to open one (no column here needs converting).
        return [model.Segment(*row) for row in self._raw_rows(query)]

    # -- participants ----------------------------------------------------------------------

    def ensure_participant(self, name: str) -> model.Participant:
        return self.find_or_add_participant(name)[0]

    def find_or_add_participant(self, name: str) -> tuple[model.Participant, bool]:
        """The participant of this name, and whether it was added just now."""
        name = checked_name(name, "participant")
        table = table_of(schema.ParticipantRow)
        added: int | None = None
        if self.session.get_bind().dialect.name == "postgresql":
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

    # -- attributes ------------------------------------------------------------------------

    def attributes(self, scope: model.AttributeScope | None = None) -> list[model.Attribute]:
        a = schema.AttributeRow
        # Plain rows: every table grouped by an attribute reads these first.
        query = select(a.id, a.scope, a.name, a.type).order_by(a.name)
        if scope is not None:
            query = query.where(a.scope == scope)
        return [
            model.Attribute(id=id_, scope=scope_, name=name, type=type_)
            for id_, scope_, name, type_ in self._raw_rows(query)
        ]

    def ensure_attribute(
        self, scope: model.AttributeScope, name: str, type_: model.AttributeType
    ) -> model.Attribute:
        """The attribute, created if new. A type clash widens it to text, which holds anything."""
        name = checked_name(name, "attribute")
        row = self.session.scalar(
            select(schema.AttributeRow).where(
                schema.AttributeRow.scope == scope, schema.AttributeRow.name == name
            )
        )
        if row is None:
            row = schema.AttributeRow(scope=scope, name=name, type=type_)
            self.add_row(row)
            self.log(
                "attribute.add", "attribute", row.id, {"scope": scope, "name": name, "type": type_}
            )
            return model.Attribute(id=row.id, scope=scope, name=name, type=type_)
        if row.type != type_ and row.type != "text":
            self.update_row(table_of(schema.AttributeRow), {"id": row.id}, {"type": "text"})
            self.log("attribute.retype", "attribute", row.id, {"before": row.type, "after": "text"})
            return model.Attribute(id=row.id, scope=scope, name=name, type="text")
        return model.Attribute(
            id=row.id, scope=scope, name=name, type=cast(model.AttributeType, row.type)
        )

    def ensure_attributes(
        self, scope: model.AttributeScope, types: Mapping[str, model.AttributeType]
    ) -> dict[str, model.Attribute]:
        """`ensure_attribute` for each name (in order), looking the known ones up at once."""
        names = {name: checked_name(name, "attribute") for name in types}
        found_rows = self.session.execute(
            _ATTRIBUTES_NAMED, {"scope": scope, "names": list(names.values())}
        )
        known = {row.name: row for row in found_rows}
        found: dict[str, model.Attribute] = {}
        for given, name in names.items():
            row = known.get(name)
            if row is None or (row.type != types[given] and row.type != "text"):
                found[given] = self.ensure_attribute(scope, name, types[given])
            else:
                kind = cast(model.AttributeType, row.type)
                found[given] = model.Attribute(id=row.id, scope=scope, name=name, type=kind)
        return found

    def set_attributes(
        self,
        scope: model.AttributeScope,
        owner_id: int,
        attributes: Mapping[str, tuple[model.AttributeValue, model.AttributeType]],
        *,
        new_owner: bool = False,
    ) -> None:
        """`ensure_attributes` for these names and types, then `set_attribute_values` of
        these values. On PostgreSQL, for an owner added in this transaction, the values of
        the attributes there are already (of a type that holds them) go in one statement
        with their look-up: one round trip where an import made two per document and
        participant. The others go the usual way."""
        rest = dict(attributes)
        if rest and new_owner and self.session.get_bind().dialect.name == "postgresql":
            names = {given: checked_name(given, "attribute") for given in rest}
            if len(set(names.values())) == len(names):
                values = [rest[given] for given in names]
                found = self.session.execute(
                    _SET_KNOWN_VALUES[scope],
                    {
                        "owner": owner_id,
                        "scope": scope,
                        "names": list(names.values()),
                        "types": [type_ for _, type_ in values],
                        "values": [model.value_text(value) for value, _ in values],
                        "numbers": [sortable_number(value) for value, _ in values],
                    },
                ).all()
                written = {name for name, _ in found}
                # Recorded like any insert, so that undoing the import removes the values
                # before the attributes it added, and redo puts them back.
                table = table_of(_SCOPE_TABLES[scope])
                owner = "document_id" if scope == "document" else "participant_id"
                keys = [{owner: owner_id, "attribute_id": id_} for _, id_ in found]
                if keys:
                    self._pending.append(changes.insert_record(table, keys))
                rest = {given: rest[given] for given, name in names.items() if name not in written}
        if not rest:
            return
        known = self.ensure_attributes(scope, {key: type_ for key, (_, type_) in rest.items()})
        self.set_attribute_values(
            scope,
            owner_id,
            [(known[key], value) for key, (value, _) in rest.items()],
            new_owner=new_owner,
        )

    def owner_attribute_values(self, scope: model.AttributeScope, owner_id: int) -> dict[str, str]:
        """Attribute name → value (as text) of one document or participant."""
        a = table_of(schema.AttributeRow)
        table = table_of(_SCOPE_TABLES[scope])
        owner = "document_id" if scope == "document" else "participant_id"
        rows = self.session.execute(
            select(a.c.name, table.c.value)
            .join(a, a.c.id == table.c.attribute_id)
            .where(table.c[owner] == owner_id)
        )
        return {name: value for name, value in rows}

    def set_attribute_values(
        self,
        scope: model.AttributeScope,
        owner_id: int,
        values: Sequence[tuple[model.Attribute, model.AttributeValue]],
        *,
        new_owner: bool = False,
    ) -> None:
        """`set_attribute_value` for several attributes of one owner, in two statements; in
        one for an owner added in this transaction (`new_owner`), which has no values yet."""
        if not values:
            return
        # The Core table, not the ORM class: ORM-enabled statements cost several times more.
        table = table_of(_SCOPE_TABLES[scope])
        owner = "document_id" if scope == "document" else "participant_id"
        # One value per attribute, the last given, as successive single sets would leave.
        last = {attribute.id: (attribute, value) for attribute, value in values}
        ids = list(last)
        if not new_owner:
            self.delete_where(table, (table.c[owner] == owner_id) & table.c.attribute_id.in_(ids))
        # As plain rows to the driver (one INSERT on PostgreSQL): SQLAlchemy's executemany
        # cost more than the rows, written for every file an import reads. Recorded, so that
        # undo removes them before any attribute added with them.
        self.insert_values(
            table,
            (owner, "attribute_id", "value", "number"),
            [
                (owner_id, attribute.id, model.value_text(value), sortable_number(value))
                for attribute, value in last.values()
            ],
        )

    def set_attribute_value(
        self, attribute: model.Attribute, owner_id: int, value: model.AttributeValue
    ) -> None:
        table = _SCOPE_TABLES[attribute.scope]
        owner = "document_id" if attribute.scope == "document" else "participant_id"
        number = sortable_number(value)
        text = model.value_text(value)
        self.session.execute(
            delete(table).where(
                getattr(table, owner) == owner_id, table.attribute_id == attribute.id
            )
        )
        self.session.execute(
            insert(table),
            [{owner: owner_id, "attribute_id": attribute.id, "value": text, "number": number}],
        )

    def change_attribute_values(
        self, attribute: model.Attribute, values: Mapping[int, model.AttributeValue | None]
    ) -> int:
        """Set (or, for None, remove) the attribute's value for each owner id, recording the
        changes so that undo restores the values there were. Returns how many changed."""
        table = table_of(_SCOPE_TABLES[attribute.scope])
        owner = "document_id" if attribute.scope == "document" else "participant_id"
        ids = list(values)
        before = {
            row[owner]: row["value"]
            for row in self.session.execute(
                select(table).where(table.c[owner].in_(ids), table.c.attribute_id == attribute.id)
            ).mappings()
        }
        wanted = {i: None if v is None else model.value_text(v) for i, v in values.items()}
        changed = [i for i in ids if before.get(i) != wanted[i]]
        if not changed:
            return 0
        self.delete_where(
            table, table.c[owner].in_(changed) & (table.c.attribute_id == attribute.id)
        )
        rows = []
        for i in changed:
            value = values[i]
            if value is not None:
                number = sortable_number(value)
                rows.append(
                    {owner: i, "attribute_id": attribute.id, "value": wanted[i], "number": number}
                )
        self.insert_rows(table, rows)
        return len(changed)

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
