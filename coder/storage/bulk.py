"""Writing many rows of one table at once, the fastest way each engine offers.

On PostgreSQL an executemany still sends one INSERT per row; COPY streams the rows in one
statement, ten times faster for the tens of thousands of sentences or codings an import
writes. A few rows go in one multi-row INSERT instead: COPY waits for the server twice.
The rows are completed as an INSERT would complete them (the columns' Python-side defaults)
and converted by the columns' own types, so the stored values are the same.
On SQLite the rows go to the driver's executemany as plain tuples: SQLAlchemy's own
executemany builds and processes a parameter dictionary per row, which costs more than the
insert itself.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import BigInteger, Column, Float, Integer, String, Table, Text, func, insert, select
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

# Values (rows × columns) up to which a PostgreSQL write is one INSERT rather than a COPY.
_FEW = 200
_STRINGS = (String, Text)


def write(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert `rows` (all with the same keys) into `table` in the current transaction."""
    if not rows:
        return
    given = list(rows[0])
    pick = itemgetter(*given)
    values = [pick(row) for row in rows] if len(given) > 1 else [(row[given[0]],) for row in rows]
    write_values(session, table, given, values)


def write_values(
    session: Session, table: Table, given: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert `rows`, each the values of the columns `given` in that order, into `table` in
    the current transaction: for the largest writes (an import's segments), which need not
    build a dictionary per row."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    defaults, columns, converters = _columns(table, tuple(given), dialect)
    # The columns' own defaults, filled and converted once for the whole write: the rows of
    # one statement share its moment (`created_at`), as SQL's CURRENT_TIMESTAMP would.
    fills = []
    for column, convert in zip(defaults, converters[len(given) :], strict=True):
        default: Any = column.default
        value = default.arg(None) if default.is_callable else default.arg
        fills.append(convert(value) if convert is not None and value is not None else value)
    # A column that is None in every row needs no converting (an untimed transcript's
    # segment times): then the rows can go to the driver as they are, not copied one by one.
    converting = [
        (i, convert)
        for i, convert in enumerate(converters[: len(given)])
        if convert is not None and any(row[i] is not None for row in rows)
    ]

    def values(row: Sequence[Any]) -> Sequence[Any]:
        found = [*row, *fills]
        for i, convert in converting:
            if found[i] is not None:
                found[i] = convert(found[i])
        return found

    # Most often the rows go to the driver as given; else each is completed as it goes.
    ready: Iterable[Sequence[Any]] = rows if not fills and not converting else map(values, rows)

    session.flush()  # rows the session holds go first, as they would with session.execute
    driver = connection.connection.driver_connection
    assert driver is not None
    if dialect.name == "postgresql" and _row_security(session, table):
        # COPY refuses a table whose rows the user sees through a policy (a team's coder):
        # the rows go through INSERT, where the policy checks each one.
        session.execute(insert(table), [dict(zip(given, row, strict=True)) for row in rows])
        return
    if dialect.name == "postgresql":
        if len(rows) * len(columns) <= _FEW:
            # A few rows (a document's participants, its packed bounds) in one INSERT: one
            # round trip to the server, where COPY takes two (it waits for the server to
            # be ready for the rows, then for it to take them).
            with driver.cursor() as cursor:
                cursor.execute(
                    _statement(table, columns, dialect, len(rows)),
                    [value for row in ready for value in row],
                )
            return
        types = _copy_types(columns)
        with (
            driver.cursor() as cursor,
            cursor.copy(_statement(table, columns, dialect, 0)) as copy,
        ):
            if types is not None:
                # Each value's converter chosen once per column, not looked up per value.
                copy.set_types(types)
            for row in ready:
                copy.write_row(row)
        return
    cursor = driver.cursor()
    try:
        cursor.executemany(_statement(table, columns, dialect, 1), ready)
    finally:
        cursor.close()


@functools.lru_cache(maxsize=256)
def _columns(
    table: Table, given: tuple[str, ...], dialect: Dialect
) -> tuple[tuple[Column[Any], ...], tuple[Column[Any], ...], tuple[Any, ...]]:
    """The columns a write fills by their defaults, all the columns it writes (`given`
    first), and each one's converter: the same for every write of these columns, and
    looking them up cost more than a small write itself."""
    defaults = tuple(c for c in table.columns if c.name not in given and c.default is not None)
    columns = (*(table.c[name] for name in given), *defaults)
    converters = tuple(c.type.dialect_impl(dialect).bind_processor(dialect) for c in columns)
    return defaults, columns, converters


@functools.lru_cache(maxsize=256)
def _statement(table: Table, columns: tuple[Column[Any], ...], dialect: Dialect, rows: int) -> str:
    """The driver's INSERT of `rows` rows of these columns, or (PostgreSQL, rows=0) their
    COPY."""
    quote = dialect.identifier_preparer.quote
    target = f"{quote(table.name)} ({', '.join(quote(c.name) for c in columns)})"
    if not rows:
        return f"COPY {target} FROM STDIN"
    mark = "%s" if dialect.name == "postgresql" else "?"
    marks = "(" + ", ".join([mark] * len(columns)) + ")"
    return f"INSERT INTO {target} VALUES {', '.join([marks] * rows)}"


def _row_security(session: Session, table: Table) -> bool:
    """Whether row-level security applies to this session's user on `table` (remembered for
    the session: it changes only with the user or the table's policies)."""
    known: dict[str, bool] = session.info.setdefault("coder_row_security", {})
    if table.name not in known:
        active = session.scalar(select(func.row_security_active(table.name)))
        known[table.name] = bool(active)
    return known[table.name]


def _copy_types(columns: Sequence[Column[Any]]) -> list[str] | None:
    """The PostgreSQL types of columns of plain integers, floats and strings, for COPY to
    convert their values with; None when another type is among them (JSON, timestamps),
    whose values COPY converts as it finds them."""
    names = []
    for column in columns:
        kind = column.type
        if isinstance(kind, BigInteger):
            names.append("int8")
        elif isinstance(kind, Integer):
            names.append("int4")
        elif isinstance(kind, Float):
            names.append("float8")
        elif type(kind) in _STRINGS:
            names.append("text")
        else:
            return None
    return names
