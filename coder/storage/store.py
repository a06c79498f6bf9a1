"""Opening, creating and upgrading a project's database, and transactions on it.

`Store` owns the engine. Every user action runs in one `Transaction` (`store.write(...)`):
all of it is committed together with its entries in the event log, or none of it is.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager as ContextManager
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError, DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from coder.errors import ConflictError, NotFoundError, ProjectError
from coder.storage import migrate, team
from coder.storage.attributes import AttributesMixin
from coder.storage.base import TransactionBase
from coder.storage.codes import CodesMixin
from coder.storage.codings import CodingsMixin
from coder.storage.counts import CountsMixin
from coder.storage.documents import DocumentsMixin
from coder.storage.engine import (
    Backend,
    Notice,
    backend_of,
    display_location,
    make_engine,
    sqlite_path,
    use_wal,
    writable,
    write_engine,
)
from coder.storage.exchange import ExchangeMixin
from coder.storage.failures import explain
from coder.storage.memos import MemosMixin
from coder.storage.quoting import QuotingMixin
from coder.storage.reconcile import ReconcileMixin
from coder.storage.segments import SegmentsMixin
from coder.storage.team import TeamMixin
from coder.storage.undo import UndoMixin

SQLITE_MAGIC = b"SQLite format 3\x00"
T = TypeVar("T")


class Transaction(
    UndoMixin,
    ReconcileMixin,
    MemosMixin,
    QuotingMixin,
    CodingsMixin,
    CountsMixin,
    CodesMixin,
    DocumentsMixin,
    SegmentsMixin,
    AttributesMixin,
    ExchangeMixin,
    TeamMixin,
    TransactionBase,
):
    """One unit of work on the project: every query and change goes through one of these."""


class Store:
    """A project's database: a SQLite file or a PostgreSQL database."""

    def __init__(
        self,
        location: str,
        engine: Engine,
        *,
        read_only: bool = False,
        on_wait: Notice | None = None,
    ) -> None:
        self.location = location
        self.engine = engine
        self.backend: Backend = backend_of(location)
        self.read_only = read_only
        self.upgraded_from: str | None = None
        self.backup_path: Path | None = None
        self._on_wait = on_wait
        # Write transactions go through this engine: on SQLite each takes the write lock first,
        # waiting (and saying so through `on_wait`) while another process holds it.
        self._writer = write_engine(engine, self.display, on_wait)

    @property
    def display(self) -> str:
        return display_location(self.location)

    # -- creating and opening --------------------------------------------------------------

    @classmethod
    def create(cls, location: str, *, on_wait: Notice | None = None) -> Store:
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
        store = cls(location, make_engine(location), on_wait=on_wait)
        try:
            if not store._guard(lambda: migrate.is_empty(store.engine)):
                raise ConflictError(
                    f"{display_location(location)} already holds tables; "
                    "use an empty database for a new project"
                )
            store._guard(lambda: use_wal(store.engine))
            store._guard(lambda: migrate.upgrade(store._writer))
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    def open(cls, location: str, *, on_wait: Notice | None = None) -> Store:
        """Open a project, upgrading an older one. A SQLite file is looked at before anything
        touches it: a file that is not a coder project is refused unchanged, and one this
        process may not write is opened read-only (reading works, writing says why not)."""
        path = sqlite_path(location)
        read_only = False
        if path is not None:
            _check_sqlite_file(path)
            read_only = not writable(path)
        store = cls(
            location,
            make_engine(location, read_only=read_only),
            read_only=read_only,
            on_wait=on_wait,
        )
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
        revision = self._guard(lambda: migrate.current(self.engine))
        head = migrate.head()
        if revision is not None and revision != head and not migrate.known(revision):
            raise ProjectError(
                f"{self.display} was written by a newer version of coder (schema {revision}, "
                f"this one knows up to {head}); upgrade coder to open it"
            )
        if self.read_only:
            if revision != head:
                raise ProjectError(
                    f"{self.display} is at schema {revision or 'base'} and needs upgrading to "
                    f"{head}, but it is read-only for you; ask its owner to open it once with "
                    "this version of coder, or copy it somewhere you may write"
                )
            return
        self._guard(lambda: use_wal(self.engine))
        if revision != head:
            self._guard(self._upgrade)

    def _upgrade(self) -> None:
        """Upgrade once, whoever else opens the project at the same moment: the upgrade runs
        in one transaction holding the write lock (SQLite) or an advisory lock (PostgreSQL),
        and looks at the version again once it holds it. A process that finds the work done
        reports no upgrade."""
        with self._writer.connect() as connection, connection.begin():
            if self.backend == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK}
                )
            revision = migrate.current_on(connection)
            head = migrate.head()
            if revision == head:
                return
            if self._on_wait is not None:
                # Told before, not only after: a study of thousands of transcripts takes
                # seconds to upgrade, in which nothing else is said.
                copy = " (a copy is kept first)" if self.backend == "sqlite" else ""
                self._on_wait(
                    f"Upgrading {self.display} from schema {revision or 'base'} to {head}"
                    f"{copy}; a large project takes a minute…"
                )
            if self.backend == "sqlite":
                self.backup_path = self._backup_sqlite(revision or "base")
            migrate.upgrade_on(connection)
        self.upgraded_from = revision or "base"

    def _backup_sqlite(self, revision: str) -> Path:
        """Copy the project before upgrading it, with SQLite's backup API (WAL-safe), to a
        file name no earlier backup has: an existing backup is never overwritten."""
        path = sqlite_path(self.location)
        assert path is not None
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        for number in range(1, 1000):
            suffix = "" if number == 1 else f"-{number}"
            target = path.with_name(f"{path.name}.schema-{revision}.{stamp}{suffix}.bak")
            try:
                target.open("xb").close()  # claims the name, atomically
            except FileExistsError:
                continue
            break
        else:
            raise ProjectError(f"cannot find a free name for a backup of {path}")
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
        except (DatabaseError, sqlite3.Error, UnicodeDecodeError) as exc:
            known = explain(exc, self.display, sqlite_read=self.backend == "sqlite")
            if known is not None:
                raise known from None
            if isinstance(exc, UnicodeDecodeError):
                raise
            original = exc.orig if isinstance(exc, DatabaseError) else exc
            reason = str(original).strip().splitlines()[0] if original else str(exc)
            raise ProjectError(f"cannot open {self.display}: {reason}") from None

    def close(self) -> None:
        self.engine.dispose()

    # -- schema ----------------------------------------------------------------------------

    def schema_version(self) -> str:
        return self._guard(lambda: migrate.current(self.engine)) or "base"

    # -- transactions ----------------------------------------------------------------------

    @contextmanager
    def write(self, actor: str | None = None) -> Iterator[Transaction]:
        """One user action: committed whole with its log entries, or rolled back whole."""
        self._check_writable()
        with Session(self._writer, expire_on_commit=False) as session:
            if self.backend == "postgresql":
                # On a team connection the connection says who is acting (see team.py).
                actor = self._guarded(session, actor, lambda: team.acting_as(session, actor))
            with self._committed(session, actor) as tx:
                yield tx

    @contextmanager
    def writes(
        self, actor: str | None = None
    ) -> Iterator[Callable[[], ContextManager[Transaction]]]:
        """Many user actions in a row (an import's files), each as `write` makes it: its own
        transaction, committed or rolled back alone. They share one connection, so that what
        `write` settles per action (the connection checked out and tested, who is acting on
        it) is settled once."""
        self._check_writable()
        with (
            self._writer.connect() as connection,
            Session(bind=connection, expire_on_commit=False) as session,
        ):
            if self.backend == "postgresql":
                actor = self._guarded(session, actor, lambda: team.acting_as(session, actor))
                session.commit()

            @contextmanager
            def each() -> Iterator[Transaction]:
                with self._committed(session, actor) as tx:
                    yield tx
                session.expunge_all()  # rows read for one action are not kept for the next

            yield each

    def _check_writable(self) -> None:
        if self.read_only:
            raise ProjectError(
                f"{self.display} is read-only for you (you may not write the file or its "
                "folder): you may read it but not change it; nothing was changed. Copy it "
                "somewhere you may write, or ask its owner"
            )

    def _guarded(self, session: Session, actor: str | None, call: Callable[[], T]) -> T:
        with self._committed(session, actor, commit=False):
            return call()

    @contextmanager
    def _committed(
        self, session: Session, actor: str | None, *, commit: bool = True
    ) -> Iterator[Transaction]:
        """A transaction on `session`: committed with its log entries when the block ends
        (unless `commit` is false), rolled back whole when it fails, and the failure told
        as coder tells it."""
        try:
            tx = Transaction(session, actor, writable=True)
            yield tx
            if commit:
                tx.finish()
                session.commit()
        except IntegrityError as exc:
            session.rollback()
            raise ConflictError(f"refused by the database: {_first_line(exc)}") from exc
        except (DBAPIError, sqlite3.Error, UnicodeDecodeError, OverflowError) as exc:
            session.rollback()
            if isinstance(exc, DBAPIError) and team.refused(exc):
                raise team.refusal(exc, actor) from exc
            known = explain(exc, self.display, sqlite_read=self.backend == "sqlite")
            if known is None:
                raise
            raise known from exc
        except BaseException:
            session.rollback()
            raise

    @contextmanager
    def read(self) -> Iterator[Transaction]:
        with Session(self.engine) as session:
            try:
                yield Transaction(session, None, writable=False)
            except (DBAPIError, sqlite3.Error, UnicodeDecodeError, OverflowError) as exc:
                known = explain(exc, self.display, sqlite_read=self.backend == "sqlite")
                if known is None:
                    raise
                raise known from exc
            finally:
                session.rollback()


# Any fixed number: the key of the advisory lock upgrades of one database take.
_UPGRADE_LOCK = 0x636F646572


def _first_line(exc: IntegrityError) -> str:
    return str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)


def _check_sqlite_file(path: Path) -> None:
    try:
        _check_readable(path)
    except PermissionError:
        # A folder on the way that the user may not enter, or a file they may not read.
        raise ProjectError(
            f"{path} cannot be opened: permission denied; ask its owner for read access to the "
            "file and the folders above it"
        ) from None


def _check_readable(path: Path) -> None:
    if not path.exists():
        raise NotFoundError(f"no project at {path}; create one with `coder init {path}`")
    if path.is_dir():
        raise ProjectError(f"{path} is a folder, not a project file")
    if not path.is_file():  # a pipe or a device: reading it might never end
        raise ProjectError(f"{path} is not a regular file, so not a project file")
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
