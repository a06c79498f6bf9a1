"""`project.team`: a team of coders on a PostgreSQL server (see docs/team.md).

Each person logs in with their own database role, mapped to their coder row; the connection
then says who is coding, and the database enforces what each may see and change:

    with Project.open("postgresql+psycopg://lena@db.example.org/study") as project:
        added = project.team.add_coder("amira", "coder", password="…")
        print(added.url)   # what amira connects with

On SQLite (one person, one file) there is no team: these calls say so, except the ones that
read the event log, which the workbench polls on every engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from coder import model
from coder.errors import ConflictError, NotFoundError, UsageError
from coder.storage import Store
from coder.storage.team import (
    MemberRow,
    NotPermittedError,
    copy_rows,
    sees_everything,
    url_for,
)

__all__ = ["Added", "Member", "NotPermittedError", "Team", "copy_project"]

TEAM_ROLES: tuple[model.CoderRole, ...] = ("coder", "lead")


@dataclass(frozen=True)
class Member:
    """A coder and the database role they log in as."""

    name: str
    role: model.CoderRole
    db_role: str | None
    can_login: bool | None  # None when the role does not exist on the server
    groups: tuple[str, ...]


@dataclass(frozen=True)
class Added:
    member: Member
    created_role: bool  # False when the database role existed already
    url: str  # what the new member connects with (no password in it)


class Team:
    def __init__(self, store: Store) -> None:
        self._store = store

    def _require_postgres(self) -> None:
        if self._store.backend != "postgresql":
            raise UsageError(
                f"{self._store.display} is a single-user SQLite project: teams need a "
                "PostgreSQL server (copy the project there with `coder team copy`)"
            )

    # -- who is connected --------------------------------------------------------------------

    def me(self) -> model.Coder | None:
        """The coder this connection logs in as; None on SQLite or for an unmapped role."""
        with self._store.read() as tx:
            return tx.connected_coder()[1]

    def database_role(self) -> str | None:
        with self._store.read() as tx:
            return tx.connected_coder()[0]

    def acting_as(self, name: str | None) -> str | None:
        """The name to act under: the connection's coder on a team connection (a different
        name is refused when something is written), `name` otherwise."""
        me = self.me()
        return name if me is None else me.name

    # -- setting up ---------------------------------------------------------------------------

    def setup(self, *, actor: str | None = None) -> tuple[str, str]:
        """Create the project's two group roles and grant them its tables (idempotent; run
        again after upgrading coder). Returns (coders' group, leads' group). Needs the
        project's owner, with CREATEROLE."""
        self._require_postgres()
        with self._store.write(actor) as tx:
            return tx.grant_team_privileges()

    def add_coder(
        self,
        name: str,
        role: model.CoderRole = "coder",
        *,
        db_role: str | None = None,
        password: str | None = None,
        login: bool = True,
        actor: str | None = None,
    ) -> Added:
        """Add a coder (or lead) and the database role they log in as, in one transaction.
        An existing coder of the same role gets a role; an existing database role (the
        project owner's, say) is mapped and left as it is."""
        self._require_postgres()
        name = name.strip()
        if not name:
            raise UsageError("a coder needs a name")
        if role not in TEAM_ROLES:
            raise UsageError(f"a team member is a coder or a lead, not {role!r}")
        if password and not login:
            raise UsageError("a role that cannot log in has no use for a password")
        db_role = (db_role or default_role(name)).strip()
        if not db_role or len(db_role) > 63:
            raise UsageError(f"{db_role!r} is not a usable database role name (1-63 characters)")
        with self._store.write(actor) as tx:
            coders_group, leads_group = tx.grant_team_privileges()
            try:
                coder = tx.coder(name)
            except NotFoundError:
                coder = tx.add_coder(name, role)
            if coder.role != role:
                raise ConflictError(f"coder {name!r} exists with role {coder.role!r}, not {role!r}")
            why = tx.bypasses_security(db_role) if role == "coder" else None
            if why is not None:
                raise UsageError(
                    f"database role {db_role!r} is {why}, which PostgreSQL exempts from "
                    f"row-level security: coder {name!r} would see and change everyone's work, "
                    "blind or not. Give them a role of their own (leave out --db-role), or add "
                    "them as a lead (--role lead), who sees everything anyway"
                )
            tx.map_db_role(coder, db_role)
            created = not tx.role_exists(db_role)
            if created:
                tx.create_login(db_role, password=password, login=login)
            tx.grant_group(db_role, leads_group if role == "lead" else coders_group)
            tx.log("team.add", "coder", coder.id, {"name": name, "role": role, "db_role": db_role})
            member = next(m for m in _members(tx.team_members()) if m.name == name)
        return Added(member, created, url_for(self._store.location, db_role))

    def members(self) -> list[Member]:
        """Every coder, with their database role and whether it exists and can log in."""
        with self._store.read() as tx:
            return _members(tx.team_members())

    def url_for(self, member: Member) -> str:
        if member.db_role is None:
            raise UsageError(f"coder {member.name!r} has no database role")
        return url_for(self._store.location, member.db_role)

    # -- what others did ---------------------------------------------------------------------

    def last_event_id(self) -> int:
        """The newest entry of the log this connection may read; poll it to notice others'
        changes."""
        with self._store.read() as tx:
            return tx.last_event_id()

    def changes_since(self, event_id: int, *, limit: int = 1000) -> list[model.Event]:
        """Log entries after `event_id`, oldest first: what happened since the last poll
        (while blind, other coders' coding is not among them)."""
        with self._store.read() as tx:
            return tx.events_since(event_id, limit)


def _members(rows: list[MemberRow]) -> list[Member]:
    return [
        Member(row.coder.name, row.coder.role, row.db_role, row.can_login, row.groups)
        for row in rows
    ]


def default_role(name: str) -> str:
    """A database role name for a coder: lower case letters, digits and underscores."""
    role = re.sub(r"[^a-z0-9_]+", "_", name.strip().lower()).strip("_")
    if not role or role[0].isdigit():
        role = f"coder_{role}"
    return role[:63]


def copy_project(source: str | Path, target: str | Path) -> dict[str, int]:
    """Copy a whole project, history included, to a new location: a SQLite file to a
    PostgreSQL database or back. The target must not exist yet (or be an empty database).
    Returns the rows copied per table."""
    origin = Store.open(str(source))
    try:
        if not sees_everything(origin.engine):
            raise UsageError(
                f"{origin.display} is open as a coder, who does not see all of it: copy the "
                "project as its owner or as a lead"
            )
        destination = Store.create(str(target))
        try:
            return copy_rows(origin.engine, destination.engine)
        finally:
            destination.close()
    finally:
        origin.close()
