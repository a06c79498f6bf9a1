"""Row-level change records, and applying them backwards: the machinery behind undo and redo.

Every mutation in a transaction records what it did: the keys of inserted rows, a full copy
of deleted rows, the before and after values of updated columns. The records travel in the
data of the transaction's events (`data["changes"]`). Undoing a transaction applies the
inverse of its records in reverse order, in a new transaction that records its own changes,
so that redo is the undo of an undo.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, and_, delete, func, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import Date, DateTime

from coder.errors import ConflictError
from coder.storage.bounds import pack, pack_turns
from coder.storage.schema import Base

Record = dict[str, Any]


def table(name: str) -> Table:
    return Base.metadata.tables[name]


def key_of(t: Table, row: dict[str, Any]) -> dict[str, Any]:
    return {c.name: row[c.name] for c in t.primary_key.columns}


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def restored(t: Table, row: dict[str, Any]) -> dict[str, Any]:
    restored = dict(row)
    for column in t.columns:
        value = restored.get(column.name)
        if isinstance(value, str) and isinstance(column.type, DateTime):
            restored[column.name] = datetime.fromisoformat(value)
        elif isinstance(value, str) and isinstance(column.type, Date):
            restored[column.name] = date.fromisoformat(value)
    if t.name == "segment" and restored.get("kind") != "turn" and "participant_id" in restored:
        # Logged before only turns kept a participant (schema.SegmentRow): a paragraph's is
        # its turn's, restored with it.
        restored["participant_id"] = None
    return restored


def _still_a_row(t: Table, row: dict[str, Any]) -> bool:
    """Whether a logged row is restored as a row: a sentence logged before sentences were
    stored packed only (schema.UnitBoundsRow, migration 0014) is not."""
    return t.name != "segment" or row.get("kind") != "sentence"


def _pack_logged_sentences(session: Session, logged: list[dict[str, Any]]) -> list[Record]:
    """Sentences restored from segment rows logged before they were stored packed only: a
    document whose packed bounds were logged with them (since migration 0011) has them back
    already; one whose were not gets them packed with its restored turns."""
    sentences: dict[int, list[tuple[int, int]]] = {}
    for row in logged:
        if row.get("kind") == "sentence":
            sentences.setdefault(row["document_id"], []).append((row["start"], row["end"]))
    b, s = table("unit_bounds"), table("segment")
    have = set(session.scalars(select(b.c.document_id).where(b.c.document_id.in_(sentences))))
    rows = []
    for document, spans in sentences.items():
        if document in have:
            continue
        turns = session.execute(
            select(s.c.start, s.c.end, s.c.speaker, s.c.speaker_role, s.c.participant_id).where(
                s.c.document_id == document, s.c.kind == "turn"
            )
        )
        packed, voices = pack_turns(
            (a, e, (who, role, person)) for a, e, who, role, person in turns
        )
        rows.append(
            {"document_id": document, "sentences": pack(spans), "turns": packed, "voices": voices}
        )
    if not rows:
        return []
    session.execute(insert(b), rows)
    return [insert_record(b, [{"document_id": row["document_id"]} for row in rows])]


def where(t: Table, key: dict[str, Any]) -> ColumnElement[bool]:
    return and_(*(t.c[name] == value for name, value in key.items()))


def snapshot(session: Session, t: Table, condition: ColumnElement[bool]) -> list[dict[str, Any]]:
    rows = session.execute(select(t).where(condition)).mappings().all()
    return [{k: jsonable(v) for k, v in row.items()} for row in rows]


def compress(ids: list[int]) -> list[list[int]]:
    """[1, 2, 3, 7] -> [[1, 3], [7, 7]]: bulk inserts take consecutive ids."""
    ranges: list[list[int]] = []
    for i in sorted(ids):
        if ranges and i == ranges[-1][1] + 1:
            ranges[-1][1] = i
        else:
            ranges.append([i, i])
    return ranges


def inserted_keys(record: Record) -> list[dict[str, Any]]:
    if "ids" in record:
        return [{"id": i} for a, b in record["ids"] for i in range(a, b + 1)]
    return list(record["keys"])


def insert_record(t: Table, keys: list[dict[str, Any]]) -> Record:
    if [c.name for c in t.primary_key.columns] == ["id"]:
        return ids_record(t, [k["id"] for k in keys])
    return {"op": "insert", "table": t.name, "keys": keys}


def ids_record(t: Table, ids: list[int]) -> Record:
    """The record of rows inserted into a table keyed by an integer `id`."""
    return {"op": "insert", "table": t.name, "ids": compress(ids)}


def _blockers(session: Session, t: Table, keys: list[dict[str, Any]]) -> str | None:
    """Rows elsewhere that still point at rows we are about to remove."""
    if [c.name for c in t.primary_key.columns] != ["id"]:
        return None
    ids = [k["id"] for k in keys]
    for other in Base.metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table is not t or fk.column.name != "id":
                continue
            count = session.scalar(
                select(func.count()).select_from(other).where(fk.parent.in_(ids))
            )
            if count:
                return f"{count} {other.name} row(s) now refer to this {t.name}"
    return None


def apply_inverse(session: Session, record: Record) -> list[Record]:
    """Undo one record; return the records of what undoing it changed."""
    t = table(record["table"])
    if record["op"] == "insert":
        keys = inserted_keys(record)
        rows: list[dict[str, Any]] = []
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            blocker = _blockers(session, t, chunk)
            if blocker:
                raise ConflictError(f"cannot undo: {blocker}; undo or remove those first")
            for key in chunk:
                rows += snapshot(session, t, where(t, key))
                session.execute(delete(t).where(where(t, key)))
        return [{"op": "delete", "table": t.name, "rows": rows}]
    if record["op"] == "delete":
        kept = [row for row in record["rows"] if _still_a_row(t, row)]
        rows = [restored(t, row) for row in kept]
        if rows:
            session.execute(insert(t), rows)
        done = [insert_record(t, [key_of(t, row) for row in kept])]
        if len(kept) < len(record["rows"]):
            done += _pack_logged_sentences(session, record["rows"])
        return done
    if record["op"] == "update":
        key, before, after = record["key"], record["before"], record["after"]
        current = snapshot(session, t, where(t, key))
        if not current or any(current[0].get(k) != jsonable(v) for k, v in after.items()):
            raise ConflictError(
                f"cannot undo: this {t.name} has been changed again since; undo that first"
            )
        session.execute(update(t).where(where(t, key)).values(restored(t, before)))
        return [{"op": "update", "table": t.name, "key": key, "before": after, "after": before}]
    if record["op"] == "update_many":
        return [_undo_update_many(session, t, record)]
    raise ValueError(f"unknown change record {record['op']!r}")


def _undo_update_many(session: Session, t: Table, record: Record) -> Record:
    """Rows updated together: each gets its own old values back, if nobody changed it since."""
    keys, befores, afters = record["keys"], record["before"], record["after"]
    for key, after in zip(keys, afters, strict=True):
        current = snapshot(session, t, where(t, key))
        if not current or any(current[0].get(k) != v for k, v in after.items()):
            raise ConflictError(
                f"cannot undo: a {t.name} has been changed again since; undo that first"
            )
    for key, before in zip(keys, befores, strict=True):
        session.execute(update(t).where(where(t, key)).values(restored(t, before)))
    return {"op": "update_many", "table": t.name, "keys": keys, "before": afters, "after": befores}


def rewind(rows: dict[int, dict[str, Any]], records: list[Record]) -> dict[int, dict[str, Any]]:
    """Rows of one id-keyed table as they were before `records` (newest first) were made.

    The in-memory twin of `apply_inverse`, for reading history without changing anything:
    `rows` maps id to a row as `snapshot` gives it, and is returned changed in place."""
    for record in records:
        op = record["op"]
        if op == "insert":
            for key in inserted_keys(record):
                rows.pop(key["id"], None)
        elif op == "delete":
            for row in record["rows"]:
                rows[row["id"]] = dict(row)
        elif op == "update":
            rows.setdefault(record["key"]["id"], {}).update(record["before"])
        elif op == "update_many":
            for key, before in zip(record["keys"], record["before"], strict=True):
                rows.setdefault(key["id"], {}).update(before)
    return rows
