"""Migrations go up and down cleanly and produce exactly the schema the models describe."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from coder.storage import migrate
from coder.storage.engine import make_engine
from coder.storage.schema import Base
from coder.storage.store import Store


def _tables(location: str) -> set[str]:
    engine = make_engine(location)
    try:
        with engine.connect() as conn:
            return set(inspect(conn).get_table_names())
    finally:
        engine.dispose()


def test_up_down_up(location: str) -> None:
    store = Store.create(location)
    engine = store.engine
    assert migrate.current(engine) == migrate.head()
    tables_at_head = _tables(location)
    assert {"document", "segment", "code", "coding", "coder", "memo", "event"} <= tables_at_head

    migrate.downgrade(engine, "base")
    assert migrate.current(engine) is None
    assert _tables(location) == {"alembic_version"}

    migrate.upgrade(engine)
    assert migrate.current(engine) == migrate.head()
    assert _tables(location) == tables_at_head
    store.close()


def test_each_step_down_and_up(location: str) -> None:
    store = Store.create(location)
    for revision in reversed(migrate.history()[:-1]):
        migrate.downgrade(store.engine, revision)
        assert migrate.current(store.engine) == revision
    migrate.upgrade(store.engine)
    assert migrate.current(store.engine) == migrate.head()
    store.close()


# SQLite cannot reflect the expression index on sibling names; test_constraints checks it works.
@pytest.mark.filterwarnings("ignore:.*expression-based index:UserWarning")
@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_migrated_schema_matches_the_models(location: str) -> None:
    store = Store.create(location)
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    store.close()
    assert differences == []
