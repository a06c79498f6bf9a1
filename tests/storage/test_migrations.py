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


def test_sentences_keep_their_turns_participant_through_0013(
    project: Project, tmp_path: Path
) -> None:
    """0013 keeps a participant on turns only; a project from before it reads the same
    speakers, participants and counts by participant after upgrading, and downgrading writes
    each paragraph's and sentence's participant (its turn's) back."""
    small_study.build(project, tmp_path)
    names = [summary.name for summary in project.documents()]
    kinds = ("turn", "paragraph", "sentence")

    def read() -> list[tuple[object, ...]]:
        found = []
        for name in names:
            for kind in kinds:
                found += [
                    (name, s.kind, s.start, s.end, s.speaker, s.participant_id)
                    for s in project.segments(name, kind)
                ]
        return found

    answers = read()

    def tables() -> list[dict[object, object]]:
        measures = ("sentences", "participants")
        return [project.matrices.matrix("role", measure=m).frame.to_dict() for m in measures]

    counts = tables()
    spoken = [row for row in answers if row[1] != "turn" and row[5] is not None]
    # Every participant's paragraph and sentence names them: 8 people, 1 paragraph and
    # 3 sentences each (small_study.build writes three sentences per answer).
    assert len(spoken) == len(names) * 4
    location = project.location
    project.close()
    engine = make_engine(location)
    stored = "SELECT kind, start, participant_id FROM segment WHERE participant_id IS NOT NULL"

    def copies() -> int:
        with engine.connect() as conn:
            return sum(1 for row in conn.execute(text(stored)) if row[0] != "turn")

    try:
        assert copies() == 0
        migrate.downgrade(engine, "0012")
        assert copies() == len(spoken)  # as an import before 0013 stored them
    finally:
        engine.dispose()
    with Project.open(location) as older:  # opening upgrades
        assert older.segments(names[0], "sentence")
    engine = make_engine(location)
    try:
        assert migrate.current(engine) == migrate.head()
        assert copies() == 0
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(
                text("UPDATE segment SET participant_id = (SELECT min(id) FROM participant)")
            )
    finally:
        engine.dispose()
    with Project.open(location) as upgraded:
        project = upgraded
        assert read() == answers
        assert tables() == counts


def test_the_sentences_ids_are_not_given_again_after_0014(project: Project, tmp_path: Path) -> None:
    """0014 removes the sentence rows; new segments do not take the ids they had, which the
    logs of the imports that wrote them name (undoing such an import deletes its segments
    by those ids)."""
    small_study.build(project, tmp_path / "study")
    location = project.location
    project.close()
    engine = make_engine(location)
    try:
        migrate.downgrade(engine, "0013")
        with engine.connect() as conn:
            top, kind = conn.execute(
                text("SELECT id, kind FROM segment ORDER BY id DESC LIMIT 1")
            ).one()
        assert kind == "sentence"  # as an import before 0014 numbered them: sentences last
    finally:
        engine.dispose()
    later = tmp_path / "later.txt"
    later.write_text("Interviewer: Anything else?\n\nP9: No. Thanks.", encoding="utf-8")
    with Project.open(location) as upgraded:  # opening upgrades
        assert not upgraded.import_files([later]).failed
        document = upgraded.document("later").id
        with upgraded._store.read() as tx:
            ids = tx.session.scalars(
                text("SELECT id FROM segment WHERE document_id = :d"), {"d": document}
            ).all()
    assert ids and min(ids) > top
