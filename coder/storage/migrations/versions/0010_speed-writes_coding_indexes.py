"""two indexes on codings that others already answer, dropped

`ix_coding_document_start` (document, start) and `ix_coding_coder_document` (coder, document)
cost a tenth of inserting each coding and no query needs them any more: the codings of a
document are found through `ix_coding_document_code_origin` (document first, and it holds the
code, coder and origin the view filters on), and the codings of some coders by scanning that
index, which is no slower than looking them up by coder when two coders share a project, as
they do. Deleting a coder (refused while it has codings) then scans the codings once.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_coding_document_start", table_name="coding")
    op.drop_index("ix_coding_coder_document", table_name="coding")


def downgrade() -> None:
    op.create_index("ix_coding_coder_document", "coding", ["coder_id", "document_id"])
    op.create_index("ix_coding_document_start", "coding", ["document_id", "start"])
