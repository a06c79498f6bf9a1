"""codings by code read from their index alone

`ix_coding_code_coder` (code, coder) becomes `ix_coding_code_span` (code, coder, document,
start, end, origin): retrieving a theme's quotes finds every column it needs for a coding in
the index, instead of one lookup in the table per coding (50,000 on a large study, scattered
over the whole table). Queries by code, or by code and coder, use it as they used the old one.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SPAN = ["code_id", "coder_id", "document_id", "start", "end", "origin"]


def upgrade() -> None:
    op.create_index("ix_coding_code_span", "coding", SPAN, unique=False)
    op.drop_index("ix_coding_code_coder", table_name="coding")


def downgrade() -> None:
    op.create_index("ix_coding_code_coder", "coding", ["code_id", "coder_id"], unique=False)
    op.drop_index("ix_coding_code_span", table_name="coding")
