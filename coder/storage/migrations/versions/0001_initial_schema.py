"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "attribute",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.CheckConstraint("scope IN ('document', 'participant')", name=op.f("ck_attribute_scope")),
        sa.CheckConstraint("type IN ('text', 'number', 'date')", name=op.f("ck_attribute_type")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attribute")),
        sa.UniqueConstraint("scope", "name", name="uq_attribute_scope_name"),
    )
    op.create_table(
        "code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guid", sa.String(length=36), nullable=False),
        sa.Column("ident", sa.String(length=200), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("include", sa.Text(), nullable=False),
        sa.Column("exclude", sa.Text(), nullable=False),
        sa.Column("examples", sa.JSON(), nullable=False),
        sa.Column("color", sa.String(length=7), nullable=True),
        sa.Column("key", sa.String(length=1), nullable=True),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("patterns", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('organizing-theme', 'theme', 'code')", name=op.f("ck_code_kind")
        ),
        sa.CheckConstraint(
            "status IN ('active', 'merged', 'retired', 'split')", name=op.f("ck_code_status")
        ),
        sa.CheckConstraint(
            "key IS NULL OR length(key) = 1", name=op.f("ck_code_key_one_character")
        ),
        sa.CheckConstraint("length(trim(name)) > 0", name=op.f("ck_code_name_not_empty")),
        sa.CheckConstraint(
            "parent_id IS NULL OR parent_id <> id", name=op.f("ck_code_not_own_parent")
        ),
        sa.ForeignKeyConstraint(
            ["merged_into_id"],
            ["code.id"],
            name=op.f("fk_code_merged_into_id_code"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["code.id"], name=op.f("fk_code_parent_id_code"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_code")),
        sa.UniqueConstraint("guid", name=op.f("uq_code_guid")),
        sa.UniqueConstraint("ident", name=op.f("uq_code_ident")),
        sa.UniqueConstraint("key", name=op.f("uq_code_key")),
    )
    op.create_index("ix_code_parent_position", "code", ["parent_id", "position"], unique=False)
    # Active siblings have distinct names, case-insensitively (see schema.CodeRow).
    op.create_index(
        "uq_code_sibling_name",
        "code",
        [sa.text("coalesce(parent_id, 0)"), sa.text("lower(name)")],
        unique=True,
        sqlite_where=sa.text("status = 'active'"),
        postgresql_where=sa.text("status = 'active'"),
    )

    op.create_table(
        "coder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("role IN ('lead', 'coder', 'consensus')", name=op.f("ck_coder_role")),
        sa.CheckConstraint("length(trim(name)) > 0", name=op.f("ck_coder_name_not_empty")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coder")),
        sa.UniqueConstraint("name", name=op.f("uq_coder_name")),
    )
    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("length", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("source_name", sa.String(length=1000), nullable=True),
        sa.Column("source_format", sa.String(length=16), nullable=True),
        sa.Column("encoding", sa.String(length=32), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length >= 0", name=op.f("ck_document_length_not_negative")),
        sa.CheckConstraint("length(sha256) = 64", name=op.f("ck_document_sha256_hex")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
        sa.UniqueConstraint("id", "length", name="uq_document_id_length"),
        sa.UniqueConstraint("name", name=op.f("uq_document_name")),
        sa.UniqueConstraint("sha256", name=op.f("uq_document_sha256")),
    )
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=True),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("entity", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("grp", sa.String(length=36), nullable=True),
        sa.Column("reverts", sa.String(length=36), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
    )
    op.create_index("ix_event_entity", "event", ["entity", "entity_id"], unique=False)
    op.create_index("ix_event_grp", "event", ["grp"], unique=False)
    op.create_table(
        "change",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_change_event_id_event"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change")),
    )
    op.create_index(op.f("ix_change_event_id"), "change", ["event_id"], unique=False)

    op.create_table(
        "participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participant")),
        sa.UniqueConstraint("name", name=op.f("uq_participant_name")),
    )
    op.create_table(
        "setting",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_setting")),
    )
    op.create_table(
        "decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("code_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("coders", sa.JSON(), nullable=False),
        sa.Column("choice", sa.String(length=8), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "choice IN ('agree', 'a', 'b', 'both', 'neither', 'edit')",
            name=op.f("ck_decision_choice"),
        ),
        sa.CheckConstraint('0 <= start AND start < "end"', name=op.f("ck_decision_ordered")),
        sa.ForeignKeyConstraint(
            ["code_id"], ["code.id"], name=op.f("fk_decision_code_id_code"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_decision_document_id_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision")),
    )
    op.create_index(
        "ix_decision_document_code", "decision", ["document_id", "code_id"], unique=False
    )

    op.create_table(
        "document_attribute",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("attribute_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.String(length=1000), nullable=False),
        sa.Column("number", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["attribute_id"],
            ["attribute.id"],
            name=op.f("fk_document_attribute_attribute_id_attribute"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_document_attribute_document_id_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", "attribute_id", name=op.f("pk_document_attribute")),
    )
    op.create_index(
        "ix_document_attribute_attribute_value",
        "document_attribute",
        ["attribute_id", "value"],
        unique=False,
    )

    op.create_table(
        "document_participant",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("speaker", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_document_participant_document_id_document"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_document_participant_participant_id_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "document_id", "participant_id", name=op.f("pk_document_participant")
        ),
    )
    op.create_index(
        op.f("ix_document_participant_participant_id"),
        "document_participant",
        ["participant_id"],
        unique=False,
    )

    op.create_table(
        "participant_attribute",
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("attribute_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.String(length=1000), nullable=False),
        sa.Column("number", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["attribute_id"],
            ["attribute.id"],
            name=op.f("fk_participant_attribute_attribute_id_attribute"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_participant_attribute_participant_id_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "participant_id", "attribute_id", name=op.f("pk_participant_attribute")
        ),
    )
    op.create_index(
        "ix_participant_attribute_attribute_value",
        "participant_attribute",
        ["attribute_id", "value"],
        unique=False,
    )

    op.create_table(
        "segment",
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
        sa.CheckConstraint(
            "kind IN ('turn', 'paragraph', 'sentence')", name=op.f("ck_segment_kind")
        ),
        sa.CheckConstraint(
            "speaker_role IS NULL OR speaker_role IN ('interviewer', 'participant')",
            name=op.f("ck_segment_speaker_role"),
        ),
        sa.CheckConstraint('"end" <= document_length', name=op.f("ck_segment_inside_document")),
        sa.CheckConstraint('0 <= start AND start < "end"', name=op.f("ck_segment_ordered")),
        sa.ForeignKeyConstraint(
            ["document_id", "document_length"],
            ["document.id", "document.length"],
            name="fk_segment_document_extent",
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
    op.create_index(
        "ix_segment_document_kind_start", "segment", ["document_id", "kind", "start"], unique=False
    )
    op.create_index(op.f("ix_segment_participant_id"), "segment", ["participant_id"], unique=False)

    op.create_table(
        "coding",
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
        sa.CheckConstraint(
            "origin IN ('manual', 'suggested', 'accepted', 'rejected', 'reconciled', 'imported')",
            name=op.f("ck_coding_origin"),
        ),
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
            name="fk_coding_document_extent",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coding")),
        sa.UniqueConstraint(
            "document_id", "code_id", "coder_id", "start", "end", name="uq_coding_span"
        ),
    )
    op.create_index("ix_coding_code_coder", "coding", ["code_id", "coder_id"], unique=False)
    op.create_index("ix_coding_coder_document", "coding", ["coder_id", "document_id"], unique=False)
    op.create_index(op.f("ix_coding_decision_id"), "coding", ["decision_id"], unique=False)
    op.create_index("ix_coding_document_start", "coding", ["document_id", "start"], unique=False)

    op.create_table(
        "coding_source",
        sa.Column("coding_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["coding_id"],
            ["coding.id"],
            name=op.f("fk_coding_source_coding_id_coding"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["coding.id"],
            name=op.f("fk_coding_source_source_id_coding"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("coding_id", "source_id", name=op.f("pk_coding_source")),
    )
    op.create_index(
        op.f("ix_coding_source_source_id"), "coding_source", ["source_id"], unique=False
    )

    op.create_table(
        "memo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=16), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("code_id", sa.Integer(), nullable=True),
        sa.Column("coding_id", sa.Integer(), nullable=True),
        sa.Column("attribute_id", sa.Integer(), nullable=True),
        sa.Column("attribute_value", sa.String(length=1000), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(target = 'project' AND attribute_id IS NULL AND attribute_value IS NULL AND code_id IS NULL AND coding_id IS NULL AND document_id IS NULL AND participant_id IS NULL) OR (target = 'document' AND attribute_id IS NULL AND attribute_value IS NULL AND code_id IS NULL AND coding_id IS NULL AND document_id IS NOT NULL AND participant_id IS NULL) OR (target = 'participant' AND attribute_id IS NULL AND attribute_value IS NULL AND code_id IS NULL AND coding_id IS NULL AND document_id IS NULL AND participant_id IS NOT NULL) OR (target = 'code' AND attribute_id IS NULL AND attribute_value IS NULL AND code_id IS NOT NULL AND coding_id IS NULL AND document_id IS NULL AND participant_id IS NULL) OR (target = 'coding' AND attribute_id IS NULL AND attribute_value IS NULL AND code_id IS NULL AND coding_id IS NOT NULL AND document_id IS NULL AND participant_id IS NULL) OR (target = 'attribute' AND attribute_id IS NOT NULL AND attribute_value IS NOT NULL AND code_id IS NULL AND coding_id IS NULL AND document_id IS NULL AND participant_id IS NULL)",
            name=op.f("ck_memo_target_columns"),
        ),
        sa.CheckConstraint(
            "target IN ('project', 'document', 'participant', 'code', 'coding', 'attribute')",
            name=op.f("ck_memo_target"),
        ),
        sa.ForeignKeyConstraint(
            ["attribute_id"],
            ["attribute.id"],
            name=op.f("fk_memo_attribute_id_attribute"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["coder.id"], name=op.f("fk_memo_author_id_coder"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["code_id"], ["code.id"], name=op.f("fk_memo_code_id_code"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["coding_id"], ["coding.id"], name=op.f("fk_memo_coding_id_coding"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_memo_document_id_document"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_memo_participant_id_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memo")),
    )
    op.create_index(
        "ix_memo_target", "memo", ["target", "document_id", "code_id", "coding_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_memo_target", table_name="memo")

    op.drop_table("memo")
    op.drop_index(op.f("ix_coding_source_source_id"), table_name="coding_source")

    op.drop_table("coding_source")
    op.drop_index("ix_coding_document_start", table_name="coding")
    op.drop_index(op.f("ix_coding_decision_id"), table_name="coding")
    op.drop_index("ix_coding_coder_document", table_name="coding")
    op.drop_index("ix_coding_code_coder", table_name="coding")

    op.drop_table("coding")
    op.drop_index(op.f("ix_segment_participant_id"), table_name="segment")
    op.drop_index("ix_segment_document_kind_start", table_name="segment")

    op.drop_table("segment")
    op.drop_index("ix_participant_attribute_attribute_value", table_name="participant_attribute")

    op.drop_table("participant_attribute")
    op.drop_index(op.f("ix_document_participant_participant_id"), table_name="document_participant")

    op.drop_table("document_participant")
    op.drop_index("ix_document_attribute_attribute_value", table_name="document_attribute")

    op.drop_table("document_attribute")
    op.drop_index("ix_decision_document_code", table_name="decision")

    op.drop_table("decision")
    op.drop_table("setting")
    op.drop_table("participant")
    op.drop_index(op.f("ix_change_event_id"), table_name="change")
    op.drop_table("change")
    op.drop_index("ix_event_grp", table_name="event")
    op.drop_index("ix_event_entity", table_name="event")

    op.drop_table("event")
    op.drop_table("document")
    op.drop_table("coder")
    op.drop_index("uq_code_sibling_name", table_name="code")
    op.drop_index("ix_code_parent_position", table_name="code")

    op.drop_table("code")
    op.drop_table("attribute")
