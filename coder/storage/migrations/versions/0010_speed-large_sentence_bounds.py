"""each document's sentence boundaries, packed

`sentence_bounds`: one row per document holding where its sentences lie (start, end pairs
packed by coder/storage/bounds.py), so that a table of sentences reads a value per document
instead of every sentence. Filled here from the segments of the documents already imported.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from collections.abc import Sequence
from itertools import groupby

import sqlalchemy as sa
from alembic import op

from coder.storage.bounds import pack

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 500  # documents written at once


def upgrade() -> None:
    bounds = op.create_table(
        "sentence_bounds",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("bounds", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_sentence_bounds_document_id_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_sentence_bounds")),
    )
    assert bounds is not None
    segment = sa.table(
        "segment", sa.column("document_id"), sa.column("kind"), sa.column("start"), sa.column("end")
    )
    sentences = op.get_bind().execute(
        sa.select(segment.c.document_id, segment.c.start, segment.c.end)
        .where(segment.c.kind == "sentence")
        .order_by(segment.c.document_id, segment.c.start)
    )
    rows: list[dict[str, object]] = []
    for document, spans in groupby(sentences, key=lambda row: row[0]):
        rows.append({"document_id": document, "bounds": pack((s, e) for _, s, e in spans)})
        if len(rows) == BATCH:
            op.bulk_insert(bounds, rows)
            rows = []
    if rows:
        op.bulk_insert(bounds, rows)


def downgrade() -> None:
    op.drop_table("sentence_bounds")
