"""a document's sentences stored packed only, not as segment rows too

Each sentence was a row of `segment` and was also packed, with the document's other
sentences, in its `unit_bounds` row. The rows were two thirds of an import's rows, and each
cost PostgreSQL a foreign key check: most of its time writing an import. Now `unit_bounds`
is the only store of sentences, and the segment table holds turns and paragraphs (its kind
check says so). A sentence's speaker is its turn's, as it always was.

Upgrading packs the sentences of any document that has segments but no `unit_bounds` row
(one given more segments after its import lost it), then removes the sentence rows.
Downgrading writes them back as rows, with the speaker and role of the turn each starts in.

SQLite cannot change a table's CHECK constraint in place, so there the table is rebuilt
(nothing refers to a segment), now with AUTOINCREMENT ids: the sentences' ids, logged by the
imports that wrote them, are not given to other segments (PostgreSQL's sequence never gives
an id twice); PostgreSQL swaps the constraint.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

import bisect
from collections.abc import Sequence
from itertools import groupby

import sqlalchemy as sa
from alembic import op

from coder.storage.bounds import pack_units, unpack_sentences, unpack_turns

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 500  # documents written at once
_ROW_KINDS = "kind = 'turn' OR kind = 'paragraph'"
_ALL_KINDS = "kind = 'turn' OR kind = 'paragraph' OR kind = 'sentence'"
_COLUMNS = (
    'id, document_id, document_length, kind, start, "end", speaker, speaker_role, '
    "participant_id, started_at, ended_at"
)

_segment = sa.table(
    "segment",
    sa.column("document_id"),
    sa.column("document_length"),
    sa.column("kind"),
    sa.column("start"),
    sa.column("end"),
    sa.column("speaker"),
    sa.column("speaker_role"),
    sa.column("participant_id"),
)
_bounds = sa.table(
    "unit_bounds",
    sa.column("document_id"),
    sa.column("sentences"),
    sa.column("turns"),
    sa.column("voices"),
)


def upgrade() -> None:
    given = op.get_bind().execute(sa.text("SELECT max(id) FROM segment")).scalar()
    _pack_missing()
    op.execute("DELETE FROM segment WHERE kind = 'sentence'")
    _kind_check(_ROW_KINDS, autoincrement=True)
    if op.get_bind().dialect.name == "sqlite" and given is not None:
        # The sentences' ids are not given again: the log of an import made before names
        # them, and undoing it deletes the segments by those ids.
        op.execute("DELETE FROM sqlite_sequence WHERE name = 'segment'")
        op.execute(f"INSERT INTO sqlite_sequence (name, seq) VALUES ('segment', {int(given)})")


def downgrade() -> None:
    _kind_check(_ALL_KINDS, autoincrement=False)
    _write_sentence_rows()


def _pack_missing() -> None:
    """A `unit_bounds` row for each document with segments and none, as import writes it."""
    s, b = _segment.c, _bounds.c
    packed = sa.select(b.document_id).where(b.document_id == s.document_id).exists()
    found = op.get_bind().execute(
        sa.select(
            s.document_id, s.kind, s.start, s.end, s.speaker, s.speaker_role, s.participant_id
        )
        .where(~packed, s.kind.in_(["sentence", "turn"]))
        .order_by(s.document_id)
    )
    rows: list[dict[str, object]] = []
    for document, segments in groupby(found, key=lambda row: row[0]):
        sentences, turns, voices = pack_units(u[1:] for u in segments)
        rows.append(
            {"document_id": document, "sentences": sentences, "turns": turns, "voices": voices}
        )
        if len(rows) == BATCH:
            op.bulk_insert(_bounds, rows)
            rows = []
    if rows:
        op.bulk_insert(_bounds, rows)


def _write_sentence_rows() -> None:
    """Every document's packed sentences as segment rows again, each with the speaker and
    role of the turn it starts in (its participant is its turn's, as 0013 stores it)."""
    document = sa.table("document", sa.column("id"), sa.column("length"))
    b = _bounds.c
    found = op.get_bind().execute(
        sa.select(b.document_id, document.c.length, b.sentences, b.turns, b.voices).join(
            document, document.c.id == b.document_id
        )
    )
    rows: list[dict[str, object]] = []
    for doc, length, packed, packed_turns, voices in found:
        starts, ends, numbers, listed = unpack_turns(packed_turns, voices)
        for start, end in unpack_sentences(packed):
            i = bisect.bisect_right(starts, start) - 1
            speaker, role = (None, None)
            if i >= 0 and start < ends[i]:
                speaker, role, _ = listed[numbers[i]]
            rows.append(
                {
                    "document_id": doc,
                    "document_length": length,
                    "kind": "sentence",
                    "start": start,
                    "end": end,
                    "speaker": speaker,
                    "speaker_role": role,
                    "participant_id": None,
                }
            )
        if len(rows) >= BATCH * 100:
            op.bulk_insert(_segment, rows)
            rows = []
    if rows:
        op.bulk_insert(_segment, rows)


def _kind_check(condition: str, autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f("ck_segment_kind"), "segment", type_="check")
        op.create_check_constraint(op.f("ck_segment_kind"), "segment", condition)
        return
    _rebuild(condition, autoincrement)


def _rebuild(kind_check: str, autoincrement: bool) -> None:
    """SQLite: the segment table as 0013 left it, with `kind_check` for its kind, its ids
    AUTOINCREMENT (never given twice) if asked, its rows copied, and its indexes."""
    op.create_table(
        "segment_rebuilt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("document_length", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("speaker", sa.String(length=200), nullable=True),
        sa.Column("speaker_role", sa.String(length=16), nullable=True),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.Float(), nullable=True),
        sa.Column("ended_at", sa.Float(), nullable=True),
        sa.CheckConstraint(kind_check, name=op.f("ck_segment_kind")),
        sa.CheckConstraint(
            "speaker_role IS NULL OR speaker_role IN ('interviewer', 'participant')",
            name=op.f("ck_segment_speaker_role"),
        ),
        sa.CheckConstraint(
            "participant_id IS NULL OR kind = 'turn'",
            name=op.f("ck_segment_participant_on_turn"),
        ),
        sa.CheckConstraint('"end" <= document_length', name=op.f("ck_segment_inside_document")),
        sa.CheckConstraint('0 <= start AND start < "end"', name=op.f("ck_segment_ordered")),
        sa.ForeignKeyConstraint(
            ["document_id", "document_length"],
            ["document.id", "document.length"],
            name=op.f("fk_segment_document_extent"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_segment_participant_id_participant"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_segment")),
        sqlite_autoincrement=autoincrement,
    )
    op.execute(f"INSERT INTO segment_rebuilt ({_COLUMNS}) SELECT {_COLUMNS} FROM segment")
    for index in ("ix_segment_participant_id", "ix_segment_turn_speaker"):
        op.drop_index(index, table_name="segment")
    op.drop_index("ix_segment_document_kind_span", table_name="segment")
    op.drop_table("segment")
    op.rename_table("segment_rebuilt", "segment")
    op.create_index(
        "ix_segment_document_kind_span", "segment", ["document_id", "kind", "start", "end"]
    )
    op.create_index(
        "ix_segment_turn_speaker",
        "segment",
        ["document_id", "participant_id", "start", "end"],
        sqlite_where=sa.text("kind = 'turn'"),
    )
    op.create_index(
        "ix_segment_participant_id",
        "segment",
        ["participant_id"],
        sqlite_where=sa.text("participant_id IS NOT NULL"),
    )
