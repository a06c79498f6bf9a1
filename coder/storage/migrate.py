"""Schema versions: create a project at head, upgrade an older one, report where it stands.

Migrations are Alembic scripts in `migrations/versions/`, driven from here through Alembic's
API with a connection we own, so the same code serves SQLite files and PostgreSQL databases.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect

MIGRATIONS = Path(__file__).parent / "migrations"


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def head() -> str:
    revision = _scripts().get_current_head()
    assert revision is not None
    return revision


def history() -> list[str]:
    """Every revision from the first to head."""
    return [s.revision for s in reversed(list(_scripts().walk_revisions()))]


def current(engine: Engine) -> str | None:
    """The project's revision; None when the database has never been migrated."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def is_versioned(engine: Engine) -> bool:
    """Whether the database carries Alembic's version table (it is a coder project)."""
    with engine.connect() as connection:
        return inspect(connection).has_table("alembic_version")


def is_empty(engine: Engine) -> bool:
    with engine.connect() as connection:
        return not inspect(connection).get_table_names()


def upgrade(engine: Engine, revision: str = "head") -> None:
    with engine.begin() as connection:
        command.upgrade(_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    with engine.begin() as connection:
        command.downgrade(_config(connection), revision)


def known(revision: str) -> bool:
    return revision in history()
