"""The write paths an import takes, on SQLite and PostgreSQL: a few rows and many rows store
the same values, a participant is added once and recorded for undo, a new document's
segments are written without asking whether it has some, and on PostgreSQL long texts are
compressed with LZ4 where the server offers it."""

from __future__ import annotations

import psycopg
import pytest
from postgres_server import ThrowawayPostgres
from sqlalchemy import select

from coder import Project, model
from coder.storage import bulk, schema
from coder.storage.schema import table_of
from coder.storage.segments import _SEGMENT_COLUMNS as COLUMNS

# Values COPY's text format must escape, and the NULLs and floats of timed transcripts.
AWKWARD = ["tab\there", "new\nline", "back\\slash", "carriage\rreturn", "é ü 中", "", None]


def _segments(document_id: int, length: int, count: int) -> list[tuple[object, ...]]:
    return [
        (
            i + 1,
            document_id,
            length,
            "paragraph",
            i,
            i + 1,
            AWKWARD[i % len(AWKWARD)],
            None if i % 3 else "participant",
            None,
            None if i % 2 else i * 0.25,
            None if i % 2 else i * 0.25 + 0.125,
        )
        for i in range(count)
    ]


@pytest.mark.parametrize("count", [1, 5, 400])
def test_few_and_many_rows_store_the_values_given(project: Project, count: int) -> None:
    # Up to a few rows go in one INSERT on PostgreSQL, more by COPY: both store the same.
    table = table_of(schema.SegmentRow)
    with project._store.write() as tx:
        document = tx.add_document(
            name="d",
            text="x" * 1000,
            sha256="0" * 64,
            source_name=None,
            source_format=None,
            encoding=None,
        )
        rows = _segments(document.id, 1000, count)
        bulk.write_values(tx.session, table, COLUMNS, rows)
        tx.log("test.write", "document", document.id)
    with project._store.read() as tx:
        stored = tx.session.execute(
            select(*(table.c[name] for name in COLUMNS)).order_by(table.c.id)
        ).all()
    assert [tuple(row) for row in stored] == rows


def test_a_participant_is_added_once_and_its_addition_undone(project: Project) -> None:
    with project._store.write() as tx:
        first, added = tx.find_or_add_participant("Léa")
        assert added
        again, added_again = tx.find_or_add_participant("Léa")
        assert (again.id, added_again) == (first.id, False)
    with project._store.write() as tx:
        later, added_later = tx.find_or_add_participant("Léa")
        assert (later.id, added_later) == (first.id, False)
    with project._store.read() as tx:
        events = [e.action for e in tx.events() if e.action == "participant.add"]
    assert events == ["participant.add"]
    project.undo()
    with project._store.read() as tx:
        assert tx.participants() == []


def test_a_new_owners_attributes_known_widened_and_new_are_all_set(project: Project) -> None:
    # On PostgreSQL the values of attributes there already are set with their look-up in one
    # statement; one whose type must widen to text and a new one take the usual way.
    with project._store.write() as tx:
        tx.ensure_attributes("document", {"site": "text", "wave": "number"})
        tx.log("test.write", "attribute", None)
    with project._store.write("ana") as tx:
        document = tx.add_document(
            name="d",
            text="One.",
            sha256="3" * 64,
            source_name="d.txt",
            source_format="txt",
            encoding=None,
        )
        values: dict[str, tuple[model.AttributeValue, model.AttributeType]] = {
            "site": ("North", "text"),
            "wave": ("second", "text"),
            "age": (41, "number"),
        }
        tx.set_attributes("document", document.id, values, new_owner=True)
    with project._store.read() as tx:
        assert tx.owner_attribute_values("document", document.id) == {
            "site": "North",
            "wave": "second",
            "age": "41",
        }
        types = {a.name: a.type for a in tx.attributes("document")}
        added = [e for e in tx.events() if e.action == "document.add"]
    assert types == {"site": "text", "wave": "text", "age": "number"}
    assert [(e.entity_id, e.actor, e.data["source"]) for e in added] == [
        (document.id, "ana", "d.txt")
    ]


def _bounds(project: Project, document_id: int) -> int:
    with project._store.read() as tx:
        b = table_of(schema.UnitBoundsRow)
        return len(
            tx.session.execute(select(b.c.document_id).where(b.c.document_id == document_id)).all()
        )


def test_a_new_documents_segments_written_twice_are_packed_together(project: Project) -> None:
    # A new document's first segments are packed without a look-up; its second batch, in
    # the same transaction, must still be seen as a second one and packed with the first.
    with project._store.write() as tx:
        once = tx.add_document(
            name="once",
            text="One. Two.",
            sha256="1" * 64,
            source_name=None,
            source_format=None,
            encoding=None,
        )
        tx.add_segment_rows(once, [("sentence", 0, 4, None, None, None, None, None)])
        twice = tx.add_document(
            name="twice",
            text="One. Two.",
            sha256="2" * 64,
            source_name=None,
            source_format=None,
            encoding=None,
        )
        tx.add_segment_rows(twice, [("sentence", 5, 9, "ANN", None, None, None, None)])
        tx.add_segment_rows(twice, [("turn", 0, 9, "ANN", "participant", None, None, None)])
        tx.add_segment_rows(twice, [("sentence", 0, 4, None, None, None, None, None)])
        tx.log("test.write", "document", twice.id)
    assert _bounds(project, once.id) == 1
    assert _bounds(project, twice.id) == 1
    assert [(s.start, s.end) for s in project.segments("once", "sentence")] == [(0, 4)]
    # A sentence's speaker is its turn's, whatever it was given with.
    assert [
        (s.start, s.end, s.speaker, s.speaker_role) for s in project.segments("twice", "sentence")
    ] == [
        (0, 4, "ANN", "participant"),
        (5, 9, "ANN", "participant"),
    ]


def test_long_texts_are_compressed_with_lz4_where_the_server_offers_it(
    postgres: ThrowawayPostgres,
) -> None:
    name = postgres.create_database()
    try:
        Project.create(postgres.url(name), title="t").close()
        with psycopg.connect(postgres._libpq(name)) as conn:
            offered = conn.execute(
                "SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'"
            ).fetchone()
            methods: dict[str, str] = dict(
                conn.execute(
                    "SELECT attrelid::regclass::text || '.' || attname, attcompression "
                    "FROM pg_attribute WHERE attrelid IN ('document'::regclass, "
                    "'unit_bounds'::regclass) AND attname IN ('text', 'turns', 'voices', "
                    "'sentences')"
                ).fetchall()
            )
    finally:
        postgres.drop_database(name)
    # 'l' is LZ4; '' the server's default (a server built without LZ4 keeps pglz).
    expected = "l" if offered is not None and "lz4" in offered[0] else ""
    assert methods == {
        "document.text": expected,
        "unit_bounds.turns": expected,
        "unit_bounds.voices": expected,
        "unit_bounds.sentences": expected,
    }
