"""codes whose sub-codes are mutually exclusive on a passage

`code.exclusive`: when true, a passage (one coded span of one coder) carries at most one of
the code's sub-codes (with their own sub-codes): one Place, one Phase per activity. Coding
refuses a second one; `coder check` reports any that arrived otherwise.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLE on both engines (SQLite 3.35+ drops columns too): a batch copy of the
    # table would lose the expression index on sibling names.
    op.add_column(
        "code", sa.Column("exclusive", sa.Boolean(), nullable=False, server_default=sa.false())
    )


def downgrade() -> None:
    op.drop_column("code", "exclusive")
