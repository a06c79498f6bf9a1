"""Teams on PostgreSQL: who a connection is, the database roles of a team, what they may do.

A coder row may name the PostgreSQL role its person logs in as (`coder.db_role`). Connected
as that role, the connection says who is coding: `acting_as` refuses any other name, and the
row-level security policies of migration 0003 keep each coder to their own codings while the
project is blind. Two group roles per project database carry the table privileges:
`<database>_coders` (read everything, write codings, memos and log entries) and
`<database>_leads` (write everything). See docs/team.md.
"""

from __future__ import annotations

import getpass
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Connection, Engine, Table, bindparam, func, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.types import DateTime

from coder import model
from coder.errors import CoderError, ConflictError, UsageError
from coder.storage import convert, schema
from coder.storage.base import TransactionBase
from coder.storage.schema import table_of

if TYPE_CHECKING:
    import psycopg

# What each group may write, beyond reading every table. Row-level security narrows coders'
# writes further, to their own rows.
CODER_WRITES = {
    "coding": "INSERT, UPDATE, DELETE",
    "memo": "INSERT, UPDATE, DELETE",
    "coding_source": "INSERT, DELETE",
    "event": "INSERT",
    "change": "INSERT",
}
LEAD_WRITES = "INSERT, UPDATE, DELETE"

# Why a refused change was refused, by the table the database named.
_WHY = {
    "coding": "a coder changes only their own codings (the consensus layer is written by leads)",
    "coding_source": "a coder changes only their own codings",
    "memo": (
        "a coder writes and changes only their own memos, and puts a memo on a coding only "
        "if the coding is theirs"
    ),
    "event": "a coder writes log entries only under their own name",
    "change": "a coder writes log entries only under their own name",
    "code": (
        "only a lead changes the codebook; propose the change in a memo on the code "
        "(coder memo add --on code:PATH TEXT)"
    ),
    "coder": "only a lead adds coders (coder team add-coder)",
    "setting": "only a lead changes the project's settings and its phase",
    "decision": "only a lead reconciles",
}
_DOCUMENTS = "only a lead imports and changes documents, participants and attributes"
_TABLE = re.compile(r'(?:table|relation) "?([A-Za-z_][A-Za-z0-9_]*)"?')


class NotPermittedError(CoderError):
    """The database refused a change this connection's role may not make."""


# -- who is connected ------------------------------------------------------------------------


def connected(session: Session) -> tuple[str, model.Coder | None]:
    """The connection's database role, and the coder who logs in as it (None if nobody)."""
    role = str(session.scalar(select(func.current_user())))
    row = session.scalar(select(schema.CoderRow).where(schema.CoderRow.db_role == role))
    return role, None if row is None else convert.coder(row)


def _login_name() -> str | None:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None


def acting_as(session: Session, actor: str | None) -> str | None:
    """Who does this change. On a team connection the connection decides: naming someone
    else is refused. The login name, which the command line offers when nobody is named,
    gives way to the connection."""
    role, me = connected(session)
    if me is None or actor in (None, me.name, _login_name()):
        return actor if me is None else me.name
    raise UsageError(
        f"you are connected as database role {role!r}, which is coder {me.name!r}: you "
        f"cannot act as {actor!r}. Leave out --as/--coder (the connection says who you "
        f"are), or connect with {actor!r}'s own role"
    )


def refused(exc: DBAPIError) -> bool:
    """Whether the database refused a change for lack of privilege (row-level security
    included), rather than failing for another reason."""
    return getattr(exc.orig, "sqlstate", None) == "42501"


def refusal(exc: DBAPIError, actor: str | None) -> NotPermittedError:
    message = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    found = _TABLE.search(message)
    table = found.group(1) if found else ""
    why = _WHY.get(table, _DOCUMENTS if table else message)
    who = f"as {actor!r}" if actor else "on this connection"
    return NotPermittedError(f"the database refused this change {who}: {why}")


# -- copying a project between engines -------------------------------------------------------


def sees_everything(engine: Engine) -> bool:
    """Whether this connection reads every row: on SQLite, as a PostgreSQL project's owner,
    or as a lead; a coder's connection does not (while blind, or later on)."""
    if engine.dialect.name != "postgresql":
        return True
    with engine.connect() as connection:
        limited = connection.scalar(
            text("SELECT row_security_active('coding') AND NOT coder_is_lead()")
        )
    return not limited


def copy_rows(source: Engine, target: Engine) -> dict[str, int]:
    """Copy every row of a project into an empty one at the same schema version, keeping
    ids, in one transaction on the target. Returns rows copied per table."""
    counts: dict[str, int] = {}
    code = table_of(schema.CodeRow)
    later: list[dict[str, Any]] = []
    with source.connect() as src, target.begin() as dst:
        for table in schema.Base.metadata.sorted_tables:
            order = list(table.primary_key.columns)
            found = src.execute(select(table).order_by(*order)).mappings()
            rows = [_portable(table, dict(r)) for r in found]
            if table is code:
                # A code's parent may come after it; link them once all codes are in.
                later = [
                    {"b_id": r["id"], "p": r["parent_id"], "m": r["merged_into_id"]} for r in rows
                ]
                rows = [{**r, "parent_id": None, "merged_into_id": None} for r in rows]
            for start in range(0, len(rows), 1000):
                dst.execute(table.insert(), rows[start : start + 1000])
            counts[table.name] = len(rows)
        if later:
            dst.execute(
                update(code)
                .where(code.c.id == bindparam("b_id"))
                .values(parent_id=bindparam("p"), merged_into_id=bindparam("m")),
                later,
            )
        if dst.dialect.name == "postgresql":
            _restart_sequences(dst)
    return counts


def _portable(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """Timestamps as aware UTC: SQLite gives them back naive, PostgreSQL in its time zone."""
    for column in table.columns:
        value = row.get(column.name)
        if isinstance(value, datetime) and isinstance(column.type, DateTime):
            row[column.name] = convert.aware(value).astimezone(UTC)
    return row


def _restart_sequences(connection: Connection) -> None:
    for table in schema.Base.metadata.sorted_tables:
        if "id" not in table.c:
            continue
        connection.execute(
            text(
                "SELECT setval(pg_get_serial_sequence(:table, 'id'), "
                f'COALESCE((SELECT max(id) FROM "{table.name}"), 0) + 1, false)'
            ),
            {"table": table.name},
        )


def url_for(location: str, role: str) -> str:
    """The project's URL for a member: the same server and database, their role, no password."""
    url = make_url(location).set(username=role, password=None)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


# -- the team inside a transaction ---------------------------------------------------------


@dataclass(frozen=True)
class MemberRow:
    coder: model.Coder
    db_role: str | None
    can_login: bool | None  # None: the role does not exist on the server
    groups: tuple[str, ...]


class TeamMixin(TransactionBase):
    def events_since(self, event_id: int, limit: int = 1000) -> list[model.Event]:
        """Log entries after `event_id`, oldest first (only those this connection may read)."""
        e = schema.EventRow
        query = select(e).where(e.id > event_id).order_by(e.id).limit(limit)
        return [convert.event(row) for row in self.session.scalars(query)]

    def connected_coder(self) -> tuple[str | None, model.Coder | None]:
        if not self._on_postgres():
            return None, None
        return connected(self.session)

    def _raw(self) -> psycopg.Connection[Any]:
        """The driver connection of this transaction, for statements that take identifiers
        and literals (roles, passwords) rather than parameters."""
        raw = self.session.connection().connection.driver_connection
        return cast("psycopg.Connection[Any]", raw)

    def team_groups(self) -> tuple[str, str]:
        """(coders' group, leads' group) of this project's database."""
        database = str(self.session.scalar(select(func.current_database())))
        if len(database) > 56:
            raise UsageError(f"database name {database!r} is too long for its group roles")
        return f"{database}_coders", f"{database}_leads"

    def role_exists(self, role: str) -> bool:
        found = self.session.scalar(
            text("SELECT count(*) FROM pg_roles WHERE rolname = :role"), {"role": role}
        )
        return bool(found)

    def grant_team_privileges(self) -> tuple[str, str]:
        """Create the two group roles if need be, and grant them the project's tables.
        Idempotent: run again after an upgrade that added tables."""
        from psycopg import sql  # the driver is loaded only for PostgreSQL projects

        coders, leads = self.team_groups()
        raw = self._raw()
        for group in (coders, leads):
            if not self.role_exists(group):
                raw.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(group)))
        groups = sql.SQL(", ").join([sql.Identifier(coders), sql.Identifier(leads)])
        database = str(self.session.scalar(select(func.current_database())))
        namespace = str(self.session.scalar(select(func.current_schema())))
        raw.execute(
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), groups)
        )
        raw.execute(
            sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sql.Identifier(namespace), groups)
        )
        names = ["alembic_version", *(t.name for t in schema.Base.metadata.sorted_tables)]
        for name in names:
            target = sql.Identifier(namespace, name)
            raw.execute(sql.SQL("GRANT SELECT ON {} TO {}").format(target, groups))
            if name == "alembic_version":
                continue
            raw.execute(
                sql.SQL(f"GRANT {LEAD_WRITES} ON {{}} TO {{}}").format(
                    target, sql.Identifier(leads)
                )
            )
            if name in CODER_WRITES:
                raw.execute(
                    sql.SQL(f"GRANT {CODER_WRITES[name]} ON {{}} TO {{}}").format(
                        target, sql.Identifier(coders)
                    )
                )
        for sequence in self._sequences():
            raw.execute(
                sql.SQL("GRANT USAGE, SELECT ON SEQUENCE {} TO {}").format(
                    sql.SQL(sequence), groups
                )
            )
        return coders, leads

    def _sequences(self) -> Iterator[str]:
        for table in schema.Base.metadata.sorted_tables:
            if "id" in table.c:
                found = self.session.scalar(
                    text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table.name}
                )
                if found:
                    yield str(found)

    def bypasses_security(self, role: str) -> str | None:
        """Why PostgreSQL would exempt `role` from row-level security (it is a superuser,
        has BYPASSRLS, owns the project's tables or may act as their owner), or None."""
        found = self.session.execute(
            text(
                "SELECT r.rolsuper, r.rolbypassrls, t.tableowner, "
                "pg_has_role(r.oid, t.tableowner, 'MEMBER') "
                "FROM pg_roles r, pg_tables t WHERE r.rolname = :role "
                "AND t.schemaname = current_schema() AND t.tablename = 'coding'"
            ),
            {"role": role},
        ).first()
        if found is None:
            return None
        superuser, bypass, owner, member = found
        if superuser:
            return "a superuser"
        if bypass:
            return "a role with BYPASSRLS"
        if owner == role:
            return "the owner of the project's tables"
        if member:
            return f"a member of {owner!r}, the owner of the project's tables"
        return None

    def create_login(self, role: str, *, password: str | None, login: bool) -> None:
        from psycopg import sql

        statement = sql.SQL("CREATE ROLE {} ").format(sql.Identifier(role))
        if not login:
            statement += sql.SQL("NOLOGIN")
        elif password:
            statement += sql.SQL("LOGIN PASSWORD {}").format(sql.Literal(password))
        else:
            statement += sql.SQL("LOGIN")
        self._raw().execute(statement)

    def grant_group(self, role: str, group: str) -> None:
        from psycopg import sql

        self._raw().execute(
            sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), sql.Identifier(role))
        )

    def map_db_role(self, coder: model.Coder, role: str) -> None:
        """Record that `coder` logs in as `role`, refusing a role that is someone else's."""
        c = schema.CoderRow
        holder = self.session.scalar(select(c.name).where(c.db_role == role, c.id != coder.id))
        if holder is not None:
            raise ConflictError(f"database role {role!r} already belongs to coder {holder!r}")
        self.update_row(table_of(c), {"id": coder.id}, {"db_role": role})

    def team_members(self) -> list[MemberRow]:
        c = schema.CoderRow
        rows = self.session.scalars(select(c).order_by(c.name)).all()
        logins: dict[str, bool] = {}
        groups: dict[str, list[str]] = {}
        if self._on_postgres():
            coders, leads = self.team_groups()
            found = self.session.execute(
                text(
                    "SELECT r.rolname, r.rolcanlogin, g.rolname FROM pg_roles r "
                    "LEFT JOIN pg_auth_members m ON m.member = r.oid "
                    "LEFT JOIN pg_roles g ON g.oid = m.roleid AND g.rolname IN (:c, :l)"
                ),
                {"c": coders, "l": leads},
            )
            for name, can_login, group in found:
                logins[name] = bool(can_login)
                if group:
                    groups.setdefault(name, []).append(str(group))
        return [
            MemberRow(
                coder=convert.coder(row),
                db_role=row.db_role,
                can_login=logins.get(row.db_role) if row.db_role else None,
                groups=tuple(sorted(groups.get(row.db_role or "", []))),
            )
            for row in rows
        ]
