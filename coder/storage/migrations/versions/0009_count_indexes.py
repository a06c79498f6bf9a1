"""covering indexes for tables of counts

Matrices ask which codes reach which documents, who speaks in which turns and where each unit
lies; indexes answer all three without reading the coding and segment rows themselves:
codings by document, code, coder and origin; the turns alone (a partial index) by document and
participant with their extent; and the segments' index by document, kind and start takes
their end as well.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_segment_document_kind_start", table_name="segment")
    op.create_index(
        "ix_segment_document_kind_span", "segment", ["document_id", "kind", "start", "end"]
    )
    op.create_index(
        "ix_coding_document_code_origin",
        "coding",
        ["document_id", "code_id", "coder_id", "origin"],
    )
    op.create_index(
        "ix_segment_turn_speaker",
        "segment",
        ["document_id", "participant_id", "start", "end"],
        sqlite_where=sa.text("kind = 'turn'"),
        postgresql_where=sa.text("kind = 'turn'"),
    )


def downgrade() -> None:
    op.drop_index("ix_segment_turn_speaker", table_name="segment")
    op.drop_index("ix_coding_document_code_origin", table_name="coding")
    op.drop_index("ix_segment_document_kind_span", table_name="segment")
    op.create_index(
        "ix_segment_document_kind_start", "segment", ["document_id", "kind", "start"]
    )
