"""a paragraph's or sentence's participant stored on its turn only

Paragraphs and sentences took their speaker's participant from the turn they lie in, and
stored it again, each: a foreign key check per sentence, a quarter of PostgreSQL's time
writing an import's segments. Now only turns carry a participant (a check says so), and
readers take a paragraph's or sentence's from the turn it lies in; the index on participants,
for deleting one, holds only the segments that name one. Upgrading clears the copies (they
were their turn's); downgrading writes them back from the turns.

SQLite cannot add a CHECK constraint to a table, so there the table is rebuilt (nothing
refers to a segment); PostgreSQL adds the constraint in place.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ON_TURN = "participant_id IS NULL OR kind = 'turn'"
_NAMED = "participant_id IS NOT NULL"
_COLUMNS = (
    'id, document_id, document_length, kind, start, "end", speaker, speaker_role, '
    "{participant}, started_at, ended_at"
)
# The participant of the turn a segment starts in, for writing the copies back.
_TURNS_PARTICIPANT = (
    "(SELECT t.participant_id FROM segment AS t WHERE t.document_id = segment.document_id"
    " AND t.kind = 'turn' AND t.start <= segment.start AND segment.start < t.\"end\""
    " ORDER BY t.start DESC LIMIT 1)"
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute("UPDATE segment SET participant_id = NULL WHERE kind <> 'turn'")
        op.create_check_constraint(op.f("ck_segment_participant_on_turn"), "segment", _ON_TURN)
    else:
        _rebuild(_ON_TURN, "CASE WHEN kind = 'turn' THEN participant_id END")
    _participant_index(_NAMED)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f("ck_segment_participant_on_turn"), "segment", type_="check")
    else:
        _rebuild(None, "participant_id")
    op.execute(
        f"UPDATE segment SET participant_id = {_TURNS_PARTICIPANT}"
        " WHERE kind <> 'turn' AND speaker IS NOT NULL"
    )
    _participant_index(None)


def _participant_index(where: str | None) -> None:
    op.drop_index("ix_segment_participant_id", table_name="segment")
    condition = None if where is None else sa.text(where)
    op.create_index(
        "ix_segment_participant_id",
        "segment",
        ["participant_id"],
        sqlite_where=condition,
        postgresql_where=condition,
    )


def _rebuild(participant_check: str | None, participant: str) -> None:
    """SQLite: the segment table as 0012 left it, with `participant_check` if given, its rows
    copied with `participant` as their participant_id, and its indexes."""
    checks = [] if participant_check is None else [participant_check]
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
        sa.CheckConstraint(
            "kind = 'turn' OR kind = 'paragraph' OR kind = 'sentence'",
            name=op.f("ck_segment_kind"),
        ),
        sa.CheckConstraint(
            "speaker_role IS NULL OR speaker_role IN ('interviewer', 'participant')",
            name=op.f("ck_segment_speaker_role"),
        ),
        *(
            sa.CheckConstraint(check, name=op.f("ck_segment_participant_on_turn"))
            for check in checks
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
    )
    columns = _COLUMNS.format(participant="participant_id")
    values = _COLUMNS.format(participant=participant)
    op.execute(f"INSERT INTO segment_rebuilt ({columns}) SELECT {values} FROM segment")
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
    # _participant_index drops and makes this one as it should be.
    op.create_index("ix_segment_participant_id", "segment", ["participant_id"])
