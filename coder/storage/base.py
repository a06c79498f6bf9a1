"""The core of a transaction: its session, the event log with its change records, settings,
counts and coders.

Every mutation goes through `insert_rows`, `add_row`, `delete_where` or `update_row`, which
record what they changed; `log` writes an event and attaches the changes made since the last
one, so that any user action can be undone (see changes.py and history.py). Entity-specific
queries live in mixins beside this module, combined into `store.Transaction`.
"""

from __future__ import annotations

import functools
import itertools
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    CTE,
    Insert,
    Select,
    Table,
    bindparam,
    func,
    insert,
    literal,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from coder import model
from coder.errors import ConflictError, NotFoundError, ValidationError
from coder.names import FieldProblem, clean_name
from coder.storage import bulk, changes, convert, schema

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


_EVENT = schema.table_of(schema.EventRow)
_CHANGE = schema.table_of(schema.ChangeRow)
# One statement for every event, its values given as parameters: building the statement
# with its values for each event cost more than running it.
_LOG_EVENT = insert(_EVENT).returning(_EVENT.c.id)


def log_rows(added: CTE, entity: str) -> Insert:
    """PostgreSQL: an insert into the log of one event for each row `added` (its `id` the
    event's entity id), to run in the same statement as the insert that adds them. The
    event's values are the parameters of `TransactionBase.event_values`."""
    event = select(
        bindparam("event_at", type_=_EVENT.c.at.type),
        bindparam("event_actor", type_=_EVENT.c.actor.type),
        bindparam("event_action", type_=_EVENT.c.action.type),
        literal(entity, _EVENT.c.entity.type),
        added.c.id,
        bindparam("event_grp", type_=_EVENT.c.grp.type),
        bindparam("event_data", type_=_EVENT.c.data.type),
    )
    columns = ["at", "actor", "action", "entity", "entity_id", "grp", "data"]
    return insert(_EVENT).from_select(columns, event)


@functools.cache
def _add_and_log(table: Table, names: tuple[str, ...]) -> Insert:
    """PostgreSQL: insert one row of `table` (the values of `names`) and log its event, in
    one statement returning the new id and the event's."""
    added = insert(table).values({n: bindparam(n) for n in names}).returning(table.c.id)
    return log_rows(added.cte("added"), table.name).returning(_EVENT.c.entity_id, _EVENT.c.id)


def checked_name(value: str, noun: str) -> str:
    """`value` under the one rule for names (coder.names), whatever path it came by: the last
    gate before a name is stored, after the readers' own checks with file and line."""
    try:
        return clean_name(value, f"a {noun}")
    except FieldProblem as exc:
        shown = value if len(value) <= 60 else value[:59] + "…"
        raise ValidationError(f"{noun} {shown!r}: {exc}") from None


class TransactionBase:
    """A session plus the event log. Mutations append to the log as they go."""

    def __init__(self, session: Session, actor: str | None, *, writable: bool) -> None:
        self.session = session
        self.actor = actor
        self.writable = writable
        self.group = str(uuid.uuid4())
        self._pending: list[changes.Record] = []
        # Change records attached to their events, not yet written (see `write_changes`).
        self._changes: list[dict[str, Any]] = []
        self._last_event: int | None = None  # the id of the event the pending changes join
        # Documents added in this transaction that have no segments yet: their segments are
        # written without first asking the database whether there are some.
        self._unsegmented: set[int] = set()

    def _on_postgres(self) -> bool:
        """Whether this transaction's project is on PostgreSQL (else SQLite)."""
        return self.session.get_bind().dialect.name == "postgresql"

    # -- large reads -----------------------------------------------------------------------

    def _raw_rows(
        self, query: Select[*tuple[Any, ...]], values: Mapping[str, Any] | None = None
    ) -> list[Any]:
        """The rows of `query`, with `values` for its bound parameters (`bindparam`)."""
        with self._raw_cursor(query, values) as cursor:
            return list(cursor.fetchall())

    def _raw_stream(self, query: Select[*tuple[Any, ...]]) -> Iterator[Any]:
        """The rows of `_raw_rows` one at a time, for rows too large to hold all at once."""
        with self._raw_cursor(query) as cursor:
            yield from cursor

    @contextmanager
    def _raw_cursor(
        self, query: Select[*tuple[Any, ...]], values: Mapping[str, Any] | None = None
    ) -> Iterator[Any]:
        """The driver's cursor holding the rows of `query`. Executed through SQLAlchemy, so
        that a statement run again comes from its cache of compiled statements (compiling a
        select of a few joins costs more than running it on a small table), and read from
        the driver's cursor itself, without a Row object per row."""
        result = self.session.connection().execute(query, values)
        try:
            yield result.cursor
        finally:
            result.close()

    def fetch_ints(self, query: Select[*tuple[Any, ...]], columns: list[str]) -> pd.DataFrame:
        """As `fetch_frame`, for selects of integer columns that are never NULL: the rows go
        straight into one int64 array (a DataFrame built row by row costs several times
        that on half a million rows)."""
        import pandas as pd

        flat = self.int_rows(query, len(columns))
        return pd.DataFrame({name: flat[:, i].copy() for i, name in enumerate(columns)})

    def int_rows(self, query: Select[*tuple[Any, ...]], width: int) -> np.ndarray:
        """The rows of a select of `width` integer columns, never NULL, as an int64 array."""
        import numpy as np

        rows = self._raw_rows(query)
        return np.fromiter(
            itertools.chain.from_iterable(rows), dtype=np.int64, count=len(rows) * width
        ).reshape(len(rows), width)

    def fetch_frame(self, query: Select[*tuple[Any, ...]], columns: list[str]) -> pd.DataFrame:
        """The rows of a select as a DataFrame with these column names, for large tables.

        Runs on the session's own DB-API connection (same transaction, same role), without
        building a SQLAlchemy Row per row: on 100,000 rows those cost several times the query.
        Values of types that SQLAlchemy converts (timestamps on SQLite) are converted the same
        way. Bound values are passed as they are: use it for selects filtered on numbers and
        strings.
        """
        import pandas as pd

        rows = self._raw_rows(query)
        frame = pd.DataFrame.from_records(rows, columns=columns)
        dialect = self.session.connection().dialect
        for i, column in enumerate(query.selected_columns):
            convert = column.type.dialect_impl(dialect).result_processor(dialect, None)
            if convert is not None and rows:
                frame[columns[i]] = [None if row[i] is None else convert(row[i]) for row in rows]
        return frame

    # -- recorded mutations ----------------------------------------------------------------

    def insert_rows(self, table: Table, rows: Sequence[Mapping[str, Any]]) -> list[int]:
        """Bulk insert; returns the new ids for tables keyed by `id`."""
        assert self.writable, "a read transaction cannot change the project"
        if not rows:
            return []
        keyed_by_id = [c.name for c in table.primary_key.columns] == ["id"]
        if keyed_by_id:
            # Ids taken first and inserted with the rows: one bulk write without RETURNING,
            # which both drivers run several times faster than an insert returning each id.
            ids = [row["id"] for row in rows] if "id" in rows[0] else self.new_ids(table, len(rows))
            bulk.write(
                self.session, table, [{**row, "id": i} for row, i in zip(rows, ids, strict=True)]
            )
            self._pending.append(changes.ids_record(table, ids))
            return ids
        bulk.write(self.session, table, rows)
        keys = [changes.key_of(table, dict(row)) for row in rows]
        self._pending.append(changes.insert_record(table, keys))
        return []

    def insert_values(
        self, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> None:
        """Bulk insert of rows given as the values of `columns`, the table's key among them
        (take new ids from `new_ids`): the fastest way to write the most rows, such as an
        import's segments. Recorded as `insert_rows` records its inserts."""
        assert self.writable, "a read transaction cannot change the project"
        if not rows:
            return
        bulk.write_values(self.session, table, columns, rows)
        at = {name: i for i, name in enumerate(columns)}
        key = [c.name for c in table.primary_key.columns]
        if key == ["id"]:
            self._pending.append(changes.ids_record(table, [row[at["id"]] for row in rows]))
            return
        keys = [{name: row[at[name]] for name in key} for row in rows]
        self._pending.append(changes.insert_record(table, keys))

    def new_ids(self, table: Table, count: int) -> list[int]:
        """Ids for new rows of a table keyed by an integer `id`, as the database would give.

        On SQLite, a row without an id gets one more than the largest, or than the largest
        ever given in an AUTOINCREMENT table (the segments); the write transaction holds the
        file's lock, so nobody else inserts meanwhile. On PostgreSQL, the ids come from the
        column's own sequence, as the default would draw them, so concurrent writers never
        collide.
        """
        connection = self.session.connection()
        if connection.dialect.name == "postgresql":
            # The sequence is looked up once per connection and given as a value: called in
            # the query, pg_get_serial_sequence and the name's lookup ran once per id, three
            # quarters of the time an import's segments took to number. The ids come back as
            # one array on the driver's own cursor: a SQLAlchemy row per id cost more than
            # drawing them (an import draws one per segment, thousands per file).
            known: dict[str, str] = connection.info.setdefault("sequences", {})
            if table.name not in known:
                found = func.pg_get_serial_sequence(table.name, "id")
                known[table.name] = str(self.session.scalar(select(found)))
            cursor = connection.connection.cursor()
            try:
                cursor.execute(
                    "SELECT array_agg(nextval(%s::regclass)) FROM generate_series(1, %s)",
                    (known[table.name], count),
                )
                row = cursor.fetchone()
            finally:
                cursor.close()
            return sorted(row[0]) if row is not None and row[0] is not None else []
        top = int(self.session.scalar(select(func.max(table.c.id))) or 0)
        if table.dialect_options["sqlite"].get("autoincrement"):
            given = self.session.scalar(
                text("SELECT seq FROM sqlite_sequence WHERE name = :name"), {"name": table.name}
            )
            top = max(top, int(given or 0))
        return list(range(top + 1, top + 1 + count))

    def add_values(self, table: Table, values: Mapping[str, Any]) -> int:
        """Insert one row into a table keyed by an integer `id` and return its id, recorded as
        `add_row` records it: a Core insert, for rows written once per file of an import."""
        assert self.writable, "a read transaction cannot change the project"
        new_id = int(
            self.session.execute(
                insert(table).values(dict(values)).returning(table.c.id)
            ).scalar_one()
        )
        self._pending.append(changes.ids_record(table, [new_id]))
        return new_id

    def add_values_logged(
        self, table: Table, values: Mapping[str, Any], action: str, data: dict[str, Any]
    ) -> int:
        """`add_values`, then `log` of `action` on the new row: on PostgreSQL in one statement,
        one round trip to the server where an import adds a document per file."""
        assert self.writable, "a read transaction cannot change the project"
        if not self._on_postgres():
            new_id = self.add_values(table, values)
            self.log(action, table.name, new_id, data)
            return new_id
        self.session.flush()  # as `log` does: ORM rows changed before reach the database first
        given = {**values, **self.event_values(action, data)}
        new_id, event_id = self.session.execute(_add_and_log(table, tuple(values)), given).one()
        self._pending.append(changes.ids_record(table, [new_id]))
        self.logged(event_id)
        return int(new_id)

    def event_values(self, action: str, data: dict[str, Any]) -> dict[str, Any]:
        """The parameters of an event logged by a statement of `log_rows`."""
        return {
            "event_at": schema.utcnow(),
            "event_actor": self.actor,
            "event_action": action,
            "event_grp": self.group,
            "event_data": data,
        }

    def logged(self, event_id: int) -> None:
        """After a statement of `log_rows` logged `event_id`: the changes made since the
        previous event belong to it, as `log` would have attached them."""
        self._last_event = event_id
        self._attach_pending()

    def add_row(self, row: schema.Base) -> None:
        """Add one ORM row (flushed, so its id is known) and record the insert."""
        assert self.writable, "a read transaction cannot change the project"
        self.session.add(row)
        self.session.flush()
        table = row.__table__
        assert isinstance(table, Table)
        key = {c.name: getattr(row, c.key) for c in table.primary_key.columns}
        self._pending.append(changes.insert_record(table, [key]))

    def delete_where(self, table: Table, condition: ColumnElement[bool]) -> int:
        """Delete rows, keeping a full copy of them in the change record."""
        assert self.writable, "a read transaction cannot change the project"
        rows = changes.snapshot(self.session, table, condition)
        if rows:
            self.session.execute(table.delete().where(condition))
            self._pending.append({"op": "delete", "table": table.name, "rows": rows})
        return len(rows)

    def update_row(self, table: Table, key: Mapping[str, Any], values: Mapping[str, Any]) -> None:
        assert self.writable, "a read transaction cannot change the project"
        condition = changes.where(table, dict(key))
        current = changes.snapshot(self.session, table, condition)
        if not current:
            raise NotFoundError(f"no {table.name} with {dict(key)}")
        before = {k: current[0][k] for k in values}
        self.session.execute(update(table).where(condition).values(dict(values)))
        self.session.expire_all()
        self._pending.append(
            {
                "op": "update",
                "table": table.name,
                "key": dict(key),
                "before": before,
                "after": {k: changes.jsonable(v) for k, v in values.items()},
            }
        )

    def update_where(
        self, table: Table, condition: ColumnElement[bool], values: Mapping[str, Any]
    ) -> int:
        """Bulk update, recording each row's old values for undo."""
        assert self.writable, "a read transaction cannot change the project"
        keys = [c.name for c in table.primary_key.columns]
        rows = changes.snapshot(self.session, table, condition)
        if not rows:
            return 0
        self.session.execute(update(table).where(condition).values(dict(values)))
        self.session.expire_all()
        self._pending.append(
            {
                "op": "update_many",
                "table": table.name,
                "keys": [{k: row[k] for k in keys} for row in rows],
                "before": [{k: row[k] for k in values} for row in rows],
                "after": [{k: changes.jsonable(v) for k, v in values.items()}] * len(rows),
            }
        )
        return len(rows)

    # -- event log -------------------------------------------------------------------------

    def log(
        self,
        action: str,
        entity: str,
        entity_id: int | None,
        data: dict[str, Any] | None = None,
        *,
        reverts: str | None = None,
    ) -> None:
        """Append an event, with the changes made since the previous one."""
        assert self.writable, "a read transaction cannot change the project"
        self.session.flush()  # ORM rows changed before the event reach the database first
        # A Core insert, not an ORM row: the unit of work's flush of a new row cost more than
        # the insert, and an import logs several events per file.
        self._last_event = self.session.execute(
            _LOG_EVENT,
            {
                "actor": self.actor,
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "grp": self.group,
                "reverts": reverts,
                "data": data or {},
            },
        ).scalar_one()
        self._attach_pending()

    def log_each(
        self, action: str, entity: str, entries: Sequence[tuple[int | None, dict[str, Any]]]
    ) -> None:
        """Append one event per (entity id, data), in one insert: what calling `log` for each
        would write, with the changes made since the previous event joining the first."""
        assert self.writable, "a read transaction cannot change the project"
        if not entries:
            return
        table = _EVENT
        rows = [
            {
                "actor": self.actor,
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "grp": self.group,
                "reverts": None,
                "data": data,
            }
            for entity_id, data in entries
        ]
        ids = self.new_ids(table, len(rows))
        bulk.write(
            self.session, table, [{**row, "id": i} for row, i in zip(rows, ids, strict=True)]
        )
        self._last_event = ids[0]
        self._attach_pending()
        self._last_event = ids[-1]

    def _attach_pending(self) -> None:
        assert self._last_event is not None
        event = self._last_event
        self._changes.extend({"event_id": event, "record": record} for record in self._pending)
        self._pending = []

    def write_changes(self) -> None:
        """Write the change records of the events logged so far, in order, in one insert: an
        import logs several events per file, and each insert was a round trip of its own.
        Done before commit, and before anything reads the change records back."""
        if self._changes:
            self.session.execute(insert(_CHANGE), self._changes)
            self._changes = []

    def finish(self) -> None:
        """Before commit: changes made after the last event belong to it."""
        if self._pending:
            if self._last_event is None:
                raise AssertionError("a change was made without logging an event")
            self._attach_pending()
        self.write_changes()
        self.session.flush()

    def events(
        self,
        limit: int | None = None,
        *,
        since: datetime | int | None = None,
        actor: str | None = None,
        action: str | None = None,
    ) -> list[model.Event]:
        """Newest first. `since` is a moment or an event id (that event included); `action`
        is an action name ("code.rename") or its first part ("code": every code.* action)."""
        e = schema.EventRow
        query = select(e).order_by(e.id.desc())
        if isinstance(since, int):
            query = query.where(e.id >= since)
        elif since is not None:
            query = query.where(e.at >= since)
        if actor is not None:
            query = query.where(e.actor == actor)
        if action is not None:
            query = query.where(
                (e.action == action) | e.action.startswith(f"{action}.", autoescape=True)
            )
        if limit is not None:
            query = query.limit(limit)
        return [convert.event(row) for row in self.session.scalars(query)]

    def last_event_id(self, at_or_before: datetime | None = None) -> int:
        """The newest event's id (of those logged at or before a moment), 0 for none."""
        query = select(func.max(schema.EventRow.id))
        if at_or_before is not None:
            query = query.where(schema.EventRow.at <= at_or_before)
        return int(self.session.scalar(query) or 0)

    # -- settings --------------------------------------------------------------------------

    def setting(self, key: str, default: Any = None) -> Any:
        # A select of the value, not the session's `get` of a Setting: every table reads
        # whether the project is blind, and loading an ORM object costs more than the query.
        s = schema.Setting
        found = self.session.execute(select(s.value).where(s.key == key)).first()
        return default if found is None else found[0]

    def set_setting(self, key: str, value: Any) -> None:
        table = schema.Setting.__table__
        assert isinstance(table, Table)
        row = self.session.get(schema.Setting, key)
        before = None if row is None else row.value
        if row is None:
            self.add_row(schema.Setting(key=key, value=value))
        else:
            self.update_row(table, {"key": key}, {"value": value})
        self.log("setting.set", "setting", None, {"key": key, "before": before, "after": value})

    # -- counts ----------------------------------------------------------------------------

    def counts(self) -> model.Counts:
        def count(table: type[schema.Base]) -> int:
            return int(self.session.scalar(select(func.count()).select_from(table)) or 0)

        return model.Counts(
            documents=count(schema.DocumentRow),
            codes=count(schema.CodeRow),
            coders=count(schema.CoderRow),
            codings=count(schema.CodingRow),
            participants=count(schema.ParticipantRow),
            memos=count(schema.MemoRow),
        )

    # -- coders ----------------------------------------------------------------------------

    def coders(self) -> list[model.Coder]:
        rows = self.session.scalars(select(schema.CoderRow).order_by(schema.CoderRow.name))
        return [convert.coder(row) for row in rows]

    def coder(self, name: str) -> model.Coder:
        row = self.session.scalar(select(schema.CoderRow).where(schema.CoderRow.name == name))
        if row is None:
            known = ", ".join(c.name for c in self.coders()) or "none yet"
            raise NotFoundError(f"no coder named {name!r} (coders: {known})")
        return convert.coder(row)

    def add_coder(self, name: str, role: model.CoderRole = "coder") -> model.Coder:
        name = checked_name(name, "coder")
        exists = self.session.scalar(select(schema.CoderRow).where(schema.CoderRow.name == name))
        if exists is not None:
            raise ConflictError(f"a coder named {name!r} already exists")
        row = schema.CoderRow(name=name, role=role)
        self.add_row(row)
        self.log("coder.add", "coder", row.id, {"name": name, "role": role})
        return convert.coder(row)
