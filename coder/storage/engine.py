"""Where a project lives: a SQLite file or a PostgreSQL database, behind one engine factory.

On SQLite, coder runs its own transactions rather than the driver's implicit ones: reads begin
with `BEGIN` (one consistent snapshot for the whole read), writes with `BEGIN IMMEDIATE`,
which takes the file's write lock at once. A writer therefore never fails half-way because
another process started writing first: it waits for the lock before it does anything, saying
once what it waits for, and gives up with one line after `coder.limits.lock_wait()` seconds.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from coder.errors import ProjectError
from coder.limits import LOCK_WAIT_ENV, lock_wait

Backend = Literal["sqlite", "postgresql"]
Notice = Callable[[str], None]

# How long a statement waits for a lock held briefly by another connection (a reader's
# checkpoint, a commit in a file not yet in WAL mode). Writers wait for each other in
# `WriteLock`, with a message, however long the lock wait allows.
BUSY_TIMEOUT_MS = 10_000
# A writer's first try at the lock, before it says that it is waiting; then its polls.
_FIRST_TRY_MS = 1_000
_POLL_MS = 250


def is_url(location: str) -> bool:
    return "://" in location


def _url(location: str) -> Any:
    """The parsed URL, or one line saying why it is not one (make_url raises ValueError for
    a broken host or port, ArgumentError for other shapes)."""
    try:
        return make_url(location)
    except (ArgumentError, ValueError) as exc:
        raise ProjectError(
            f"not a database URL: {location!r} ({exc}); write it as "
            "postgresql+psycopg://user@host/dbname, or give a file path for SQLite"
        ) from None


def backend_of(location: str) -> Backend:
    if not is_url(location):
        return "sqlite"
    url = _url(location)
    if url.get_backend_name() == "postgresql":
        return "postgresql"
    if url.get_backend_name() == "sqlite":
        return "sqlite"
    raise ProjectError(
        f"unsupported database {url.get_backend_name()!r} in {location!r}: use a file path "
        "for SQLite or a postgresql+psycopg://user@host/dbname URL"
    )


def sqlite_path(location: str) -> Path | None:
    """The file behind a SQLite location, or None for PostgreSQL."""
    if not is_url(location):
        return Path(location).expanduser()
    url = _url(location)
    if url.get_backend_name() == "sqlite" and url.database:
        return Path(url.database).expanduser()
    return None


def display_location(location: str) -> str:
    """The location without any password, for messages and `coder info`."""
    if not is_url(location):
        return str(Path(location).expanduser())
    try:
        return str(make_url(location).render_as_string(hide_password=True))
    except (ArgumentError, ValueError):
        return location.split("@", 1)[-1] if "@" in location else location


def writable(path: Path) -> bool:
    """Whether this process may change the SQLite file: write the file itself and create the
    journal files SQLite keeps beside it."""
    folder = path.parent if str(path.parent) else Path(".")
    return os.access(path, os.W_OK) and os.access(folder, os.W_OK | os.X_OK)


def _set_sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # No implicit transactions from the driver: `_begin` starts each one (see the module).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    # WAL with NORMAL keeps every committed transaction consistent after a crash; a power cut
    # may lose the last commits, not corrupt the file. (journal_mode is set once, by the
    # store, after it has checked that the file is a coder project: see `use_wal`.)
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


class WriteLock:
    """Takes the SQLite write lock for a write transaction, waiting for another writer."""

    def __init__(self, display: str, notice: Notice | None) -> None:
        self.display = display
        self.notice = notice

    def acquire(self, raw: sqlite3.Connection) -> None:
        limit = lock_wait()
        deadline = time.monotonic() + limit
        waiting = False
        try:
            raw.execute(f"PRAGMA busy_timeout = {min(_FIRST_TRY_MS, int(limit * 1000))}")
            while True:
                try:
                    raw.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    if not _busy(exc):
                        raise
                if time.monotonic() >= deadline:
                    raise ProjectError(
                        f"{self.display} is busy: another process has been writing to it for "
                        f"more than {limit:g} s (the lock wait); nothing was changed. Try again "
                        f"when it has finished, or wait longer with {LOCK_WAIT_ENV}=SECONDS"
                    )
                if not waiting and self.notice is not None:
                    self.notice(
                        f"waiting for another process writing to {self.display} "
                        f"(up to {limit:g} s)…"
                    )
                waiting = True
                raw.execute(f"PRAGMA busy_timeout = {_POLL_MS}")
        finally:
            raw.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def _busy(exc: sqlite3.OperationalError) -> bool:
    message = str(exc).lower()
    return "locked" in message or "busy" in message


def _begin(connection: Connection) -> None:
    lock = connection.get_execution_options().get("coder_write_lock")
    raw = connection.connection.dbapi_connection
    assert isinstance(raw, sqlite3.Connection)
    if isinstance(lock, WriteLock):
        lock.acquire(raw)
    else:
        raw.execute("BEGIN")


def make_engine(location: str, *, read_only: bool = False) -> Engine:
    """An engine for a project location (a path or a URL). The file or database must exist.
    `read_only` opens a SQLite file without ever writing to it (nor creating files beside it)."""
    backend = backend_of(location)
    if backend == "sqlite":
        path = sqlite_path(location)
        assert path is not None
        target = f"sqlite:///{os.fspath(path)}"
        if read_only:
            target = f"sqlite:///file:{quote(os.fspath(path.resolve()))}?{_read_only_mode(path)}"
        engine = create_engine(target)
        event.listen(engine, "connect", _set_sqlite_pragmas)
        event.listen(engine, "begin", _begin)
        return engine
    url = _url(location)
    if url.drivername == "postgresql":
        # psycopg 3 is the driver we ship; plain postgresql:// would ask for psycopg2.
        url = url.set(drivername="postgresql+psycopg")
    return create_engine(url, pool_pre_ping=True)


def _read_only_mode(path: Path) -> str:
    """URI parameters for reading a file this process may not change. A WAL file needs its
    shared-memory file beside it, which a read-only folder cannot get: then the file is read
    as immutable, which is right when nobody can write there. Committed changes still in the
    journal (`-wal`) need the normal read-only mode, which reads them."""
    journal = path.with_name(path.name + "-wal")
    folder_writable = os.access(path.parent, os.W_OK | os.X_OK)
    if folder_writable or (journal.exists() and journal.stat().st_size > 0):
        return "mode=ro&uri=true"
    return "immutable=1&uri=true"


def write_engine(engine: Engine, display: str, notice: Notice | None) -> Engine:
    """The engine for write transactions: on SQLite each one takes the write lock first."""
    if engine.dialect.name != "sqlite":
        return engine
    return engine.execution_options(coder_write_lock=WriteLock(display, notice))


def use_wal(engine: Engine) -> None:
    """Put a SQLite project in WAL mode (kept in the file), once it is known to be one."""
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        assert raw is not None
        mode = raw.execute("PRAGMA journal_mode").fetchone()
        if mode is None or str(mode[0]).lower() != "wal":
            raw.execute("PRAGMA journal_mode = WAL")
