"""where each code comes from

`code.source`: the section, table or page of the study a code was taken from (or who added
it and why), kept beside the definition so that a codebook states its provenance code by code.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLE, as for 0005: a batch copy would lose the index on sibling names.
    op.add_column("code", sa.Column("source", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    op.drop_column("code", "source")
