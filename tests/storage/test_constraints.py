"""The database itself refuses what would corrupt a project, whatever program writes to it.

These tests bypass coder's API and write raw SQL, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from coder.storage.engine import make_engine
from coder.storage.store import Store

TEXT = "Interviewer: How did it start?\n\nAmira: Slowly, with a survey."


@pytest.fixture
def engine(location: str) -> Iterator[Engine]:
    Store.create(location).close()
    engine = make_engine(location)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO document (id, name, text, length, sha256, imported_at) "
                "VALUES (1, 'site-a-leader', :t, :n, :h, CURRENT_TIMESTAMP)"
            ),
            {"t": TEXT, "n": len(TEXT), "h": hashlib.sha256(TEXT.encode()).hexdigest()},
        )
        conn.execute(
            text(
                "INSERT INTO coder (id, name, role, created_at) VALUES (1, 'amira', 'coder', CURRENT_TIMESTAMP)"
            )
        )
        _code(conn, 1, None, "Challenges")
        _code(conn, 2, 1, "Time")
    yield engine
    engine.dispose()


def _code(conn: Connection, id: int, parent: int | None, name: str, status: str = "active") -> None:
    conn.execute(
        text(
            "INSERT INTO code (id, guid, parent_id, name, kind, definition, include, exclude, "
            "examples, keywords, patterns, status, position, version, created_at) VALUES "
            "(:id, :guid, :parent, :name, 'code', '', '', '', '[]', '[]', '[]', :status, 0, 1, "
            "CURRENT_TIMESTAMP)"
        ),
        {
            "id": id,
            "guid": f"00000000-0000-0000-0000-{id:012d}",
            "parent": parent,
            "name": name,
            "status": status,
        },
    )


def _coding(
    conn: Connection, start: int, end: int, length: int | None = None, **extra: object
) -> None:
    values = {
        "doc": 1,
        "length": len(TEXT) if length is None else length,
        "code": 2,
        "coder": 1,
        "start": start,
        "end": end,
        "origin": "manual",
    }
    values.update(extra)
    conn.execute(
        text(
            'INSERT INTO coding (document_id, document_length, code_id, coder_id, start, "end", '
            "origin, created_at) VALUES (:doc, :length, :code, :coder, :start, :end, :origin, "
            "CURRENT_TIMESTAMP)"
        ),
        values,
    )


def refused(engine: Engine, statement: object) -> None:
    with pytest.raises((IntegrityError, DBAPIError)), engine.begin() as conn:
        statement(conn)  # type: ignore[operator]


def test_a_valid_coding_is_accepted(engine: Engine) -> None:
    with engine.begin() as conn:
        _coding(conn, 45, 60)
        count = conn.execute(text("SELECT count(*) FROM coding")).scalar()
    assert count == 1


def test_coding_past_the_end_of_its_document(engine: Engine) -> None:
    refused(engine, lambda conn: _coding(conn, 45, len(TEXT) + 1))


def test_coding_cannot_lie_about_its_document_length(engine: Engine) -> None:
    # The length travels in a composite foreign key, so a wrong one is refused too.
    refused(engine, lambda conn: _coding(conn, 45, 500, length=1000))


@pytest.mark.parametrize(("start", "end"), [(10, 10), (12, 10), (-1, 5)])
def test_coding_offsets_must_be_ordered(engine: Engine, start: int, end: int) -> None:
    refused(engine, lambda conn: _coding(conn, start, end))


def test_exact_duplicate_coding(engine: Engine) -> None:
    with engine.begin() as conn:
        _coding(conn, 45, 60)
    refused(engine, lambda conn: _coding(conn, 45, 60))


def test_unknown_origin(engine: Engine) -> None:
    refused(engine, lambda conn: _coding(conn, 45, 60, origin="guessed"))


def test_segment_past_the_end_of_its_document(engine: Engine) -> None:
    def insert(conn: Connection) -> None:
        conn.execute(
            text(
                'INSERT INTO segment (document_id, document_length, kind, start, "end") '
                "VALUES (1, :n, 'sentence', 40, :end)"
            ),
            {"n": len(TEXT), "end": len(TEXT) + 5},
        )

    refused(engine, insert)


def test_only_a_turn_names_its_participant(engine: Engine) -> None:
    """A paragraph's or sentence's participant is its turn's, stored on the turn alone."""
    segment = (
        'INSERT INTO segment (document_id, document_length, kind, start, "end", speaker, '
        "participant_id) VALUES (1, :n, :kind, :start, :end, 'Amira', 1)"
    )
    answer = {"n": len(TEXT), "start": TEXT.index("Amira"), "end": len(TEXT)}
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO participant (id, name) VALUES (1, 'P01')"))
        conn.execute(text(segment), {**answer, "kind": "turn"})
    for kind in ("paragraph", "sentence"):
        refused(
            engine, lambda conn, kind=kind: conn.execute(text(segment), {**answer, "kind": kind})
        )


def test_unknown_segment_kind(engine: Engine) -> None:
    refused(
        engine,
        lambda conn: conn.execute(
            text(
                'INSERT INTO segment (document_id, document_length, kind, start, "end") '
                "VALUES (1, :n, 'chapter', 0, 5)"
            ),
            {"n": len(TEXT)},
        ),
    )


def test_sibling_names_are_unique_ignoring_case(engine: Engine) -> None:
    refused(engine, lambda conn: _code(conn, 3, 1, "time"))


def test_top_level_names_are_unique(engine: Engine) -> None:
    refused(engine, lambda conn: _code(conn, 3, None, "Challenges"))


def test_same_name_under_another_parent_is_fine(engine: Engine) -> None:
    with engine.begin() as conn:
        _code(conn, 3, None, "Resources")
        _code(conn, 4, 3, "Time")


def test_retired_code_frees_its_name(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE code SET status = 'retired' WHERE id = 2"))
        _code(conn, 3, 1, "Time")


def test_empty_code_name(engine: Engine) -> None:
    refused(engine, lambda conn: _code(conn, 3, 1, "   "))


def test_code_with_codings_cannot_be_deleted(engine: Engine) -> None:
    with engine.begin() as conn:
        _coding(conn, 45, 60)
    refused(engine, lambda conn: conn.execute(text("DELETE FROM code WHERE id = 2")))


def test_deleting_a_document_removes_its_segments_and_codings(engine: Engine) -> None:
    with engine.begin() as conn:
        _coding(conn, 45, 60)
        conn.execute(
            text(
                'INSERT INTO segment (document_id, document_length, kind, start, "end") '
                "VALUES (1, :n, 'turn', 45, :n)"
            ),
            {"n": len(TEXT)},
        )
        conn.execute(text("DELETE FROM document WHERE id = 1"))
        assert conn.execute(text("SELECT count(*) FROM coding")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM segment")).scalar() == 0


def test_memo_must_point_at_exactly_its_target(engine: Engine) -> None:
    insert = (
        "INSERT INTO memo (target, document_id, code_id, title, body, created_at, updated_at) "
        "VALUES (:target, :doc, :code, '', 'note', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
    )
    with engine.begin() as conn:
        conn.execute(text(insert), {"target": "document", "doc": 1, "code": None})
        conn.execute(text(insert), {"target": "project", "doc": None, "code": None})
    refused(
        engine, lambda c: c.execute(text(insert), {"target": "document", "doc": None, "code": None})
    )
    refused(engine, lambda c: c.execute(text(insert), {"target": "code", "doc": 1, "code": 2}))


def test_event_log_is_append_only(engine: Engine) -> None:
    with engine.begin() as conn:
        assert conn.execute(text("SELECT count(*) FROM event")).scalar() == 0
        conn.execute(
            text(
                "INSERT INTO event (at, action, entity, data) VALUES (CURRENT_TIMESTAMP, 'x', 'y', '{}')"
            )
        )
    refused(engine, lambda conn: conn.execute(text("UPDATE event SET action = 'forged'")))
    refused(engine, lambda conn: conn.execute(text("DELETE FROM event")))
    with engine.begin() as conn:
        assert conn.execute(text("SELECT action FROM event")).scalar() == "x"
