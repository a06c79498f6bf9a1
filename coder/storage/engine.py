"""Where a project lives: a SQLite file or a PostgreSQL database, behind one engine factory."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from coder.errors import ProjectError

Backend = Literal["sqlite", "postgresql"]

# How long a writer waits for another one to finish before giving up.
BUSY_TIMEOUT_MS = 10_000


def is_url(location: str) -> bool:
    return "://" in location


def backend_of(location: str) -> Backend:
    if not is_url(location):
        return "sqlite"
    try:
        url = make_url(location)
    except ArgumentError as exc:
        raise ProjectError(f"not a database URL: {location!r} ({exc})") from None
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
    url = make_url(location)
    if url.get_backend_name() == "sqlite" and url.database:
        return Path(url.database).expanduser()
    return None


def display_location(location: str) -> str:
    """The location without any password, for messages and `coder info`."""
    if not is_url(location):
        return str(Path(location).expanduser())
    return make_url(location).render_as_string(hide_password=True)


def _set_sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    # WAL with NORMAL keeps every committed transaction consistent after a crash; a power cut
    # may lose the last commits, not corrupt the file.
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def make_engine(location: str) -> Engine:
    """An engine for a project location (a path or a URL). The file or database must exist."""
    backend = backend_of(location)
    if backend == "sqlite":
        path = sqlite_path(location)
        assert path is not None
        engine = create_engine(f"sqlite:///{os.fspath(path)}")
        event.listen(engine, "connect", _set_sqlite_pragmas)
        return engine
    url = make_url(location)
    if url.drivername == "postgresql":
        # psycopg 3 is the driver we ship; plain postgresql:// would ask for psycopg2.
        url = url.set(drivername="postgresql+psycopg")
    return create_engine(url, pool_pre_ping=True)
