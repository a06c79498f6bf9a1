"""Opening, creating and upgrading a project's database, and transactions on it.

`Store` owns the engine. Every user action runs in one `Transaction` (`store.write(...)`):
all of it is committed together with its entries in the event log, or none of it is.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from coder import model
from coder.errors import ConflictError, NotFoundError, ProjectError
from coder.storage import convert, migrate, schema
from coder.storage.engine import Backend, backend_of, display_location, make_engine, sqlite_path

SQLITE_MAGIC = b"SQLite format 3\x00"
T = TypeVar("T")


class Transaction:
    """One unit of work on the project. Mutations append to the event log as they go."""

    def __init__(self, session: Session, actor: str | None, *, writable: bool) -> None:
        self.session = session
        self.actor = actor
        self.writable = writable
        self.group = str(uuid.uuid4())

    # -- event log -------------------------------------------------------------------------

    def log(
        self, action: str, entity: str, entity_id: int | None, data: dict[str, Any] | None = None
    ) -> None:
        assert self.writable, "a read transaction cannot change the project"
        self.session.add(
            schema.EventRow(
                actor=self.actor,
                action=action,
                entity=entity,
                entity_id=entity_id,
                grp=self.group,
                data=data or {},
            )
        )

    def events(self, limit: int | None = None) -> list[model.Event]:
        query = select(schema.EventRow).order_by(schema.EventRow.id.desc())
        if limit is not None:
            query = query.limit(limit)
        return [convert.event(row) for row in self.session.scalars(query)]

    # -- settings --------------------------------------------------------------------------

    def setting(self, key: str, default: Any = None) -> Any:
        row = self.session.get(schema.Setting, key)
        return default if row is None else row.value

    def set_setting(self, key: str, value: Any) -> None:
        row = self.session.get(schema.Setting, key)
        before = None if row is None else row.value
        if row is None:
            self.session.add(schema.Setting(key=key, value=value))
        else:
            row.value = value
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
        name = name.strip()
        exists = self.session.scalar(select(schema.CoderRow).where(schema.CoderRow.name == name))
        if exists is not None:
            raise ConflictError(f"a coder named {name!r} already exists")
        row = schema.CoderRow(name=name, role=role)
        self.session.add(row)
        self.session.flush()
        self.log("coder.add", "coder", row.id, {"name": name, "role": role})
        return convert.coder(row)


class Store:
    """A project's database: a SQLite file or a PostgreSQL database."""

    def __init__(self, location: str, engine: Engine) -> None:
        self.location = location
        self.engine = engine
        self.backend: Backend = backend_of(location)
        self.upgraded_from: str | None = None
        self.backup_path: Path | None = None

    @property
    def display(self) -> str:
        return display_location(self.location)

    # -- creating and opening --------------------------------------------------------------

    @classmethod
    def create(cls, location: str) -> Store:
        path = sqlite_path(location)
        if path is not None:
            if path.exists() and path.stat().st_size > 0:
                raise ConflictError(
                    f"{path} already exists; open it with `coder info -p {path}` "
                    "or choose a new file name"
                )
            if not path.parent.is_dir():
                raise ProjectError(f"cannot create {path}: folder {path.parent} does not exist")
        else:
            _create_postgres_database(location)
        store = cls(location, make_engine(location))
        if not migrate.is_empty(store.engine):
            store.close()
            raise ConflictError(
                f"{display_location(location)} already holds tables; "
                "use an empty database for a new project"
            )
        store._guard(lambda: migrate.upgrade(store.engine))
        return store

    @classmethod
    def open(cls, location: str) -> Store:
        path = sqlite_path(location)
        if path is not None:
            _check_sqlite_file(path)
        store = cls(location, make_engine(location))
        try:
            store._check_and_upgrade()
        except BaseException:
            store.close()
            raise
        return store

    def _check_and_upgrade(self) -> None:
        if not self._guard(lambda: migrate.is_versioned(self.engine)):
            raise ProjectError(
                f"{self.display} is not a coder project (no schema version found); "
                "create one with `coder init`"
            )
        revision = migrate.current(self.engine)
        head = migrate.head()
        if revision == head:
            return
        if revision is not None and not migrate.known(revision):
            raise ProjectError(
                f"{self.display} was written by a newer version of coder (schema {revision}, "
                f"this one knows up to {head}); upgrade coder to open it"
            )
        if self.backend == "sqlite":
            self.backup_path = self._backup_sqlite(revision or "base")
        self._guard(lambda: migrate.upgrade(self.engine))
        self.upgraded_from = revision or "base"

    def _backup_sqlite(self, revision: str) -> Path:
        """Copy the project before upgrading it, with SQLite's backup API (WAL-safe)."""
        path = sqlite_path(self.location)
        assert path is not None
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        target = path.with_name(f"{path.name}.schema-{revision}.{stamp}.bak")
        source = sqlite3.connect(path)
        try:
            destination = sqlite3.connect(target)
            with destination:
                source.backup(destination)
            destination.close()
        finally:
            source.close()
        return target

    def _guard(self, call: Callable[[], T]) -> T:
        """Turn connection failures into an error that names the project, not a traceback."""
        try:
            return call()
        except DatabaseError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise ProjectError(f"cannot open {self.display}: {reason}") from None

    def close(self) -> None:
        self.engine.dispose()

    # -- schema ----------------------------------------------------------------------------

    def schema_version(self) -> str:
        return migrate.current(self.engine) or "base"

    # -- transactions ----------------------------------------------------------------------

    @contextmanager
    def write(self, actor: str | None = None) -> Iterator[Transaction]:
        """One user action: committed whole with its log entries, or rolled back whole."""
        with Session(self.engine, expire_on_commit=False) as session:
            tx = Transaction(session, actor, writable=True)
            try:
                yield tx
                session.commit()
            except IntegrityError as exc:
                session.rollback()
                raise ConflictError(f"refused by the database: {_first_line(exc)}") from exc
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def read(self) -> Iterator[Transaction]:
        with Session(self.engine) as session:
            yield Transaction(session, None, writable=False)
            session.rollback()


def _first_line(exc: IntegrityError) -> str:
    return str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)


def _check_sqlite_file(path: Path) -> None:
    if not path.exists():
        raise NotFoundError(f"no project at {path}; create one with `coder init {path}`")
    if path.is_dir():
        raise ProjectError(f"{path} is a folder, not a project file")
    with path.open("rb") as handle:
        if handle.read(16) != SQLITE_MAGIC:
            raise ProjectError(f"{path} is not a coder project (not a SQLite database)")


def _create_postgres_database(location: str) -> None:
    """Create the URL's database when it does not exist yet (needs CREATEDB)."""
    import psycopg
    from psycopg import sql

    url = make_url(location)
    engine = make_engine(location)
    try:
        with engine.connect():
            return
    except OperationalError as exc:
        if "does not exist" not in str(exc.orig):
            reason = str(exc.orig).strip().splitlines()[0]
            raise ProjectError(f"cannot reach {display_location(location)}: {reason}") from None
    finally:
        engine.dispose()
    maintenance = url.set(drivername="postgresql", database="postgres")
    conninfo = maintenance.render_as_string(hide_password=False)
    try:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(url.database or "")))
    except psycopg.Error as exc:
        raise ProjectError(
            f"database {url.database!r} does not exist and could not be created ({exc}); "
            "ask your administrator to create it"
        ) from None
