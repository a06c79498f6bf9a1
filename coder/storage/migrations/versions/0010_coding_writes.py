"""codings cost less to write: two indexes others answer dropped, the origin checked by comparisons

`ix_coding_document_start` (document, start) and `ix_coding_coder_document` (coder, document)
cost a tenth of inserting each coding and no query needs them any more: the codings of a
document are found through `ix_coding_document_code_origin` (document first, and it holds the
code, coder and origin the view filters on), and the codings of some coders by scanning that
index, which is no slower than looking them up by coder when two coders share a project, as
they do. Deleting a coder (refused while it has codings) then scans the codings once.

SQLite evaluates `origin IN (...)` by building a lookup table for every row it checks (see
0008 for the segments' kind): six comparisons accept and refuse the same rows for a third of
the cost. SQLite cannot change a CHECK constraint in place, so the table is rebuilt; dropping
the old one deletes what refers to its rows (memos on codings, consensus links), so those are
kept aside and put back, with their ids, in the same transaction. PostgreSQL swaps the
constraint.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ORIGINS = ("manual", "suggested", "accepted", "rejected", "reconciled", "imported")
_AS_COMPARISONS = " OR ".join(f"origin = '{o}'" for o in _ORIGINS)
_AS_LIST = "origin IN (" + ", ".join(f"'{o}'" for o in _ORIGINS) + ")"
_COLUMNS = (
    'id, document_id, document_length, code_id, coder_id, start, "end", origin, decision_id, '
    "created_at"
)
_SPAN = ["code_id", "coder_id", "document_id", "start", "end", "origin"]
_COUNTS = ["document_id", "code_id", "coder_id", "origin"]


def upgrade() -> None:
    op.drop_index("ix_coding_document_start", table_name="coding")
    op.drop_index("ix_coding_coder_document", table_name="coding")
    _origin_check(_AS_COMPARISONS)


def downgrade() -> None:
    _origin_check(_AS_LIST)
    op.create_index("ix_coding_coder_document", "coding", ["coder_id", "document_id"])
    op.create_index("ix_coding_document_start", "coding", ["document_id", "start"])


def _origin_check(condition: str) -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f("ck_coding_origin"), "coding", type_="check")
        op.create_check_constraint(op.f("ck_coding_origin"), "coding", condition)
        return
    _coding_table("coding_rebuilt", condition)
    op.execute(f"INSERT INTO coding_rebuilt ({_COLUMNS}) SELECT {_COLUMNS} FROM coding")
    op.execute("CREATE TEMP TABLE kept_memo AS SELECT * FROM memo WHERE coding_id IS NOT NULL")
    op.execute("CREATE TEMP TABLE kept_source AS SELECT * FROM coding_source")
    for index in ("ix_coding_decision_id", "ix_coding_code_span", "ix_coding_document_code_origin"):
        op.drop_index(index, table_name="coding")
    op.drop_table("coding")  # its memos and links go too, from the cascade
    op.rename_table("coding_rebuilt", "coding")
    op.execute("INSERT INTO memo SELECT * FROM kept_memo")
    op.execute("INSERT INTO coding_source SELECT * FROM kept_source")
    op.execute("DROP TABLE kept_memo")
    op.execute("DROP TABLE kept_source")
    op.create_index("ix_coding_decision_id", "coding", ["decision_id"])
    op.create_index("ix_coding_code_span", "coding", _SPAN)
    op.create_index("ix_coding_document_code_origin", "coding", _COUNTS)


def _coding_table(name: str, origin_check: str) -> None:
    """The coding table as 0001 made it, under `name`, with `origin_check` for its origin."""
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("document_length", sa.Integer(), nullable=False),
        sa.Column("code_id", sa.Integer(), nullable=False),
        sa.Column("coder_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=12), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(origin_check, name=op.f("ck_coding_origin")),
        sa.CheckConstraint('"end" <= document_length', name=op.f("ck_coding_inside_document")),
        sa.CheckConstraint('0 <= start AND start < "end"', name=op.f("ck_coding_ordered")),
        sa.ForeignKeyConstraint(
            ["code_id"], ["code.id"], name=op.f("fk_coding_code_id_code"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["coder_id"], ["coder.id"], name=op.f("fk_coding_coder_id_coder"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decision.id"],
            name=op.f("fk_coding_decision_id_decision"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["document_id", "document_length"],
            ["document.id", "document.length"],
            name=op.f("fk_coding_document_extent"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coding")),
        sa.UniqueConstraint(
            "document_id", "code_id", "coder_id", "start", "end", name=op.f("uq_coding_span")
        ),
    )
