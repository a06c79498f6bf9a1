"""Migrations go up and down cleanly and produce exactly the schema the models describe."""

from __future__ import annotations

from pathlib import Path

import pytest
import small_study
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from coder import Project
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


def test_rebuilding_the_codings_keeps_what_refers_to_them(project: Project, tmp_path: Path) -> None:
    """0010 rebuilds the coding table on SQLite; the memos on codings and the consensus's
    links, which dropping the old table deletes, are back with their ids afterwards."""
    small_study.build(project, tmp_path)
    project.add_coder("bob")
    text_of = project.document("p1").text
    start = text_of.index("It was fine.")
    for code in ("A/a1", "B"):
        project.coding.apply("p1", code, start, start + 12, coder="bob")
    project.reconcile.accept_agreements(["ann", "bob"], actor="lead")
    first = project.coding.frame(coders=["ann"]).iloc[0]
    project.memos.add(f"coding:{int(first['id'])}", "Kept through the rebuild", actor="ann")
    location = project.location
    project.close()
    engine = make_engine(location)
    queries = {
        "codings": 'SELECT id, document_id, code_id, coder_id, start, "end", origin FROM coding',
        "memos": "SELECT id, coding_id, body FROM memo WHERE coding_id IS NOT NULL",
        "links": "SELECT coding_id, source_id FROM coding_source",
    }

    def contents() -> dict[str, set[tuple[object, ...]]]:
        with engine.connect() as conn:
            return {k: {tuple(r) for r in conn.execute(text(q))} for k, q in queries.items()}

    try:
        before = contents()
        assert before["memos"] and before["links"]
        migrate.downgrade(engine, "0009")
        assert contents() == before
        migrate.upgrade(engine)
        assert contents() == before
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(text("UPDATE coding SET origin = 'guessed'"))
    finally:
        engine.dispose()
