"""covering indexes for tables of counts

Matrices ask which codes reach which documents and who speaks in which turns; two indexes
answer both without reading the coding and segment rows themselves: codings by document, code,
coder and origin, and the turns alone (a partial index) by document and participant with
their extent.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
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
