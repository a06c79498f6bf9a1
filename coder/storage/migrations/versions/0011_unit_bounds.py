"""each document's sentences and turns, packed

`unit_bounds`: one row per document holding where its sentences lie and where its turns lie
with who speaks them (packed by coder/storage/bounds.py), so that a table of sentences reads
a value per document instead of every sentence, and quotes find the turn of each coding
without a query per coding. Filled here from the segments of the documents already imported.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from collections.abc import Sequence
from itertools import groupby

import sqlalchemy as sa
from alembic import op

from coder.storage.bounds import pack_units

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 500  # documents written at once


def upgrade() -> None:
    bounds = op.create_table(
        "unit_bounds",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("turns", sa.Text(), nullable=False),
        sa.Column("voices", sa.Text(), nullable=False),
        sa.Column("sentences", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_unit_bounds_document_id_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_unit_bounds")),
    )
    assert bounds is not None
    segment = sa.table(
        "segment",
        sa.column("id"),
        sa.column("document_id"),
        sa.column("kind"),
        sa.column("start"),
        sa.column("end"),
        sa.column("speaker"),
        sa.column("speaker_role"),
        sa.column("participant_id"),
    )
    found = op.get_bind().execute(
        sa.select(
            segment.c.document_id,
            segment.c.kind,
            segment.c.start,
            segment.c.end,
            segment.c.speaker,
            segment.c.speaker_role,
            segment.c.participant_id,
        )
        .where(segment.c.kind.in_(["sentence", "turn"]))
        .order_by(segment.c.document_id)
    )
    rows: list[dict[str, object]] = []
    for document, segments in groupby(found, key=lambda row: row[0]):
        sentences, turns, voices = pack_units(u[1:] for u in segments)
        rows.append(
            {"document_id": document, "sentences": sentences, "turns": turns, "voices": voices}
        )
        if len(rows) == BATCH:
            op.bulk_insert(bounds, rows)
            rows = []
    if rows:
        op.bulk_insert(bounds, rows)


def downgrade() -> None:
    op.drop_table("unit_bounds")
