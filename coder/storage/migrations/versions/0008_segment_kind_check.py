"""a segment's kind checked as three comparisons, not an IN list

SQLite evaluates `kind IN ('turn', 'paragraph', 'sentence')` by building a small lookup table
for every row it checks, which made the check alone cost a third of inserting an import's
segments. `kind = 'turn' OR kind = 'paragraph' OR kind = 'sentence'` refuses and accepts the
same rows at the cost of three comparisons. SQLite cannot change a table's CHECK constraint in
place, so there the table is rebuilt (nothing refers to a segment); PostgreSQL swaps the
constraint.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_AS_COMPARISONS = "kind = 'turn' OR kind = 'paragraph' OR kind = 'sentence'"
_AS_LIST = "kind IN ('turn', 'paragraph', 'sentence')"
_COLUMNS = (
    'id, document_id, document_length, kind, start, "end", speaker, speaker_role, '
    "participant_id, started_at, ended_at"
)


def upgrade() -> None:
    _kind_check(_AS_COMPARISONS)


def downgrade() -> None:
    _kind_check(_AS_LIST)


def _kind_check(condition: str) -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f("ck_segment_kind"), "segment", type_="check")
        op.create_check_constraint(op.f("ck_segment_kind"), "segment", condition)
        return
    _segment_table("segment_rebuilt", condition)
    op.execute(f"INSERT INTO segment_rebuilt ({_COLUMNS}) SELECT {_COLUMNS} FROM segment")
    op.drop_index("ix_segment_participant_id", table_name="segment")
    op.drop_index("ix_segment_document_kind_start", table_name="segment")
    op.drop_table("segment")
    op.rename_table("segment_rebuilt", "segment")
    op.create_index(
        "ix_segment_document_kind_start", "segment", ["document_id", "kind", "start"], unique=False
    )
    op.create_index("ix_segment_participant_id", "segment", ["participant_id"], unique=False)


def _segment_table(name: str, kind_check: str) -> None:
    """The segment table as 0001 made it, under `name`, with `kind_check` for its kind."""
    op.create_table(
        name,
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
