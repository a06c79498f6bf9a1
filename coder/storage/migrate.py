"""Schema versions: create a project at head, upgrade an older one, report where it stands.

Migrations are Alembic scripts in `migrations/versions/`, driven from here through Alembic's
API with a connection we own, so the same code serves SQLite files and PostgreSQL databases.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

if TYPE_CHECKING:  # Alembic takes a third of a second to import: only migrating loads it
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).parent / "migrations"


def _config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _scripts() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config())


_REVISION = re.compile(r'^(down_)?revision(?:: [^=]+)? = "?([^"\n]*)"?$', re.MULTILINE)


@cache
def head() -> str:
    """The newest revision, read from the migration files themselves (the chain is linear),
    so that opening a project need not load Alembic."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        for down, value in _REVISION.findall(script.read_text(encoding="utf-8")):
            (parents if down else revisions).add(value)
    heads = revisions - parents
    assert len(heads) == 1, f"the migrations should form one chain, not end in {heads}"
    return heads.pop()


def history() -> list[str]:
    """Every revision from the first to head."""
    return [s.revision for s in reversed(list(_scripts().walk_revisions()))]


def current(engine: Engine) -> str | None:
    """The project's revision; None when the database has never been migrated."""
    with engine.connect() as connection:
        return current_on(connection)


def current_on(connection: Connection) -> str | None:
    """The revision as this connection's transaction sees it."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    found = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return None if found is None else str(found)


def is_versioned(engine: Engine) -> bool:
    """Whether the database carries Alembic's version table (it is a coder project)."""
    with engine.connect() as connection:
        return inspect(connection).has_table("alembic_version")


def is_empty(engine: Engine) -> bool:
    with engine.connect() as connection:
        return not inspect(connection).get_table_names()


def upgrade(engine: Engine, revision: str = "head") -> None:
    with engine.begin() as connection:
        upgrade_on(connection, revision)


def upgrade_on(connection: Connection, revision: str = "head") -> None:
    """Upgrade inside the connection's open transaction (the caller commits)."""
    from alembic import command

    command.upgrade(_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    with engine.begin() as connection:
        command.downgrade(_config(connection), revision)


def known(revision: str) -> bool:
    return revision in history()
