"""The project's tables, as SQLAlchemy 2.0 typed ORM models.

The database enforces the rules that must never break, whatever program writes to it:
offsets are ordered and lie inside their document, codes have unique names among their
siblings, enumerations hold known values. "Inside the document" is declarative and portable:
segments and codings carry their document's length in a composite foreign key to
(document.id, document.length) and a check compares their end with it. A document's text is
immutable, so the copy never goes stale.

Alembic migrations in `migrations/` create these tables; `metadata` here is their reference
and is compared with the migrated schema by a test.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from coder.model import (
    ATTRIBUTE_SCOPES,
    ATTRIBUTE_TYPES,
    CODE_KINDS,
    CODE_STATUSES,
    CODER_ROLES,
    CODING_ORIGINS,
    MEMO_TARGETS,
    SEGMENT_KINDS,
)

# Named constraints make migrations and error messages predictable on both engines.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _one_of(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


def _equal_to_one_of(column: str, values: tuple[str, ...]) -> str:
    """`_one_of` as comparisons, for tables written in bulk: SQLite evaluates `IN (...)` by
    building a lookup table for every row it checks, a third of inserting the row."""
    return " OR ".join(f"{column} = '{v}'" for v in values)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


Timestamp = DateTime(timezone=True)


class Setting(Base):
    """Project-wide settings: title, phase, attribution template, spaCy model..."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class DocumentRow(Base):
    __tablename__ = "document"
    __table_args__ = (
        UniqueConstraint("id", "length", name="uq_document_id_length"),
        CheckConstraint("length >= 0", name="length_not_negative"),
        CheckConstraint("length(sha256) = 64", name="sha256_hex"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(500), unique=True)
    text: Mapped[str] = mapped_column(Text)
    length: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    source_name: Mapped[str | None] = mapped_column(String(1000))
    source_format: Mapped[str | None] = mapped_column(String(16))
    encoding: Mapped[str | None] = mapped_column(String(32))
    imported_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)


class ParticipantRow(Base):
    __tablename__ = "participant"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(500), unique=True)


class DocumentParticipantRow(Base):
    """Which participants speak in a document; a focus group links several."""

    __tablename__ = "document_participant"
    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), primary_key=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    speaker: Mapped[str | None] = mapped_column(String(200))


# The kinds of segment stored as rows: a document's sentences are stored packed only, in
# `unit_bounds` (see UnitBoundsRow).
ROW_KINDS = tuple(kind for kind in SEGMENT_KINDS if kind != "sentence")


class SegmentRow(Base):
    """A document's turns and paragraphs (its sentences are in `unit_bounds`)."""

    __tablename__ = "segment"
    __table_args__ = (
        ForeignKeyConstraint(
            ["document_id", "document_length"],
            ["document.id", "document.length"],
            ondelete="CASCADE",
            name="fk_segment_document_extent",
        ),
        CheckConstraint('0 <= start AND start < "end"', name="ordered"),
        CheckConstraint('"end" <= document_length', name="inside_document"),
        CheckConstraint(_equal_to_one_of("kind", ROW_KINDS), name="kind"),
        CheckConstraint(
            "speaker_role IS NULL OR speaker_role IN ('interviewer', 'participant')",
            name="speaker_role",
        ),
        # A paragraph's participant is the one of the turn it lies in, stored once, on the
        # turn (readers take it from there), as a sentence's is: a foreign key check per
        # row is most of what PostgreSQL spends writing an import's segments.
        CheckConstraint("participant_id IS NULL OR kind = 'turn'", name="participant_on_turn"),
        # With the end too, a document's units are read from the index alone, at the cost of
        # one more integer per entry.
        Index("ix_segment_document_kind_span", "document_id", "kind", "start", "end"),
        # Who speaks where and the participants' turns, read by every table of counts, from
        # the index alone: the turns, without the paragraphs.
        Index(
            "ix_segment_turn_speaker",
            "document_id",
            "participant_id",
            "start",
            "end",
            sqlite_where=text("kind = 'turn'"),
            postgresql_where=text("kind = 'turn'"),
        ),
        # For deleting a participant (its turns' participant set to NULL): only the turns
        # that name one have an entry.
        Index(
            "ix_segment_participant_id",
            "participant_id",
            sqlite_where=text("participant_id IS NOT NULL"),
            postgresql_where=text("participant_id IS NOT NULL"),
        ),
        # On SQLite, an id is never given twice (AUTOINCREMENT keeps the largest ever
        # given), as PostgreSQL's sequence never does: undoing an import deletes the
        # segments by the ids it logged, and those must not be another document's since.
        {"sqlite_autoincrement": True},
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(Integer)
    document_length: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column("end", Integer)
    speaker: Mapped[str | None] = mapped_column(String(200))
    speaker_role: Mapped[str | None] = mapped_column(String(16))
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL")
    )
    started_at: Mapped[float | None] = mapped_column(Float)
    ended_at: Mapped[float | None] = mapped_column(Float)


class UnitBoundsRow(Base):
    """Where a document's sentences and turns lie, and who speaks each turn, packed into a
    value each (coder/storage/bounds.py). The sentences are stored here only: a hundred
    thousand sentences as rows of `segment` were two thirds of an import's rows and of
    PostgreSQL's foreign key checks, and a table of sentences at L reads two thousand of these
    values rather than a million rows. A sentence's speaker is its turn's, as `coder import`
    finds it. The turns are rows of `segment` too; here quotes find the turn each coding
    starts in without a query per coding. Written whenever segments are added to a document,
    so every document with segments has one."""

    __tablename__ = "unit_bounds"
    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), primary_key=True
    )
    # Turns first: SQLite reads a row's values in order, and quotes need only the turns.
    turns: Mapped[str] = mapped_column(Text)
    voices: Mapped[str] = mapped_column(Text)
    sentences: Mapped[str] = mapped_column(Text)


class AttributeRow(Base):
    """An attribute name with its type, for documents or for participants."""

    __tablename__ = "attribute"
    __table_args__ = (
        UniqueConstraint("scope", "name", name="uq_attribute_scope_name"),
        CheckConstraint(_one_of("scope", ATTRIBUTE_SCOPES), name="scope"),
        CheckConstraint(_one_of("type", ATTRIBUTE_TYPES), name="type"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(16), default="text")


class DocumentAttributeRow(Base):
    __tablename__ = "document_attribute"
    __table_args__ = (Index("ix_document_attribute_attribute_value", "attribute_id", "value"),)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), primary_key=True
    )
    attribute_id: Mapped[int] = mapped_column(
        ForeignKey("attribute.id", ondelete="CASCADE"), primary_key=True
    )
    # Canonical text (ISO for dates) for grouping; `number` keeps numbers sortable.
    value: Mapped[str] = mapped_column(String(1000))
    number: Mapped[float | None] = mapped_column(Float)


class ParticipantAttributeRow(Base):
    __tablename__ = "participant_attribute"
    __table_args__ = (Index("ix_participant_attribute_attribute_value", "attribute_id", "value"),)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True
    )
    attribute_id: Mapped[int] = mapped_column(
        ForeignKey("attribute.id", ondelete="CASCADE"), primary_key=True
    )
    value: Mapped[str] = mapped_column(String(1000))
    number: Mapped[float | None] = mapped_column(Float)


class CodeRow(Base):
    __tablename__ = "code"
    __table_args__ = (
        CheckConstraint("length(trim(name)) > 0", name="name_not_empty"),
        CheckConstraint(_one_of("kind", CODE_KINDS), name="kind"),
        CheckConstraint(_one_of("status", CODE_STATUSES), name="status"),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        CheckConstraint("key IS NULL OR length(key) = 1", name="key_one_character"),
        # Active siblings have distinct names, case-insensitively. COALESCE puts top-level
        # codes (no parent) in one sibling group; retired and merged codes free their name.
        Index(
            "uq_code_sibling_name",
            func.coalesce(text("parent_id"), 0),
            func.lower(text("name")),
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
        Index("ix_code_parent_position", "parent_id", "position"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guid: Mapped[str] = mapped_column(String(36), unique=True)
    # The codebook's own stable id ("challenge.material.time"), by which a newer version of
    # the codebook finds this code again even after a rename.
    ident: Mapped[str | None] = mapped_column(String(200), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("code.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), default="code")
    definition: Mapped[str] = mapped_column(Text, default="")
    include: Mapped[str] = mapped_column(Text, default="")
    exclude: Mapped[str] = mapped_column(Text, default="")
    examples: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Where the code comes from (the study's section or page), shown beside its definition.
    source: Mapped[str] = mapped_column(Text, default="", server_default="")
    color: Mapped[str | None] = mapped_column(String(7))
    key: Mapped[str | None] = mapped_column(String(1), unique=True)
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    patterns: Mapped[list[Any]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(10), default="active")
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("code.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Its sub-codes are alternatives: a passage carries at most one of them (one Place).
    exclusive: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Optimistic concurrency: an edit names the version it saw and is refused if it moved on.
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)


class CoderRow(Base):
    __tablename__ = "coder"
    __table_args__ = (
        CheckConstraint(_one_of("role", CODER_ROLES), name="role"),
        CheckConstraint("length(trim(name)) > 0", name="name_not_empty"),
        Index("uq_coder_db_role", "db_role", unique=True),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(16), default="coder")
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    # On PostgreSQL, the database role this coder logs in as: the connection says who codes.
    db_role: Mapped[str | None] = mapped_column(String(63))


class DecisionRow(Base):
    """A reconciliation decision on one disagreement, with who made it and why."""

    __tablename__ = "decision"
    __table_args__ = (
        CheckConstraint(
            _one_of("choice", ("agree", "a", "b", "both", "neither", "edit")), name="choice"
        ),
        CheckConstraint('0 <= start AND start < "end"', name="ordered"),
        Index("ix_decision_document_code", "document_id", "code_id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    code_id: Mapped[int] = mapped_column(ForeignKey("code.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column("end", Integer)
    unit: Mapped[str] = mapped_column(String(16))
    coders: Mapped[list[str]] = mapped_column(JSON, default=list)
    choice: Mapped[str] = mapped_column(String(8))
    rationale: Mapped[str] = mapped_column(Text, default="")
    # Who decided, by name as in the event log: a lead need not be one of the coders.
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)


class CodingRow(Base):
    __tablename__ = "coding"
    __table_args__ = (
        ForeignKeyConstraint(
            ["document_id", "document_length"],
            ["document.id", "document.length"],
            ondelete="CASCADE",
            name="fk_coding_document_extent",
        ),
        CheckConstraint('0 <= start AND start < "end"', name="ordered"),
        CheckConstraint('"end" <= document_length', name="inside_document"),
        CheckConstraint(_equal_to_one_of("origin", CODING_ORIGINS), name="origin"),
        # The same coder cannot apply the same code to the same span twice.
        UniqueConstraint(
            "document_id", "code_id", "coder_id", "start", "end", name="uq_coding_span"
        ),
        # By code (and coder), holding every column retrieval reads: the quotes of a theme
        # come from the index alone, not from a lookup in the table per coding.
        Index(
            "ix_coding_code_span", "code_id", "coder_id", "document_id", "start", "end", "origin"
        ),
        # Which codes reach which documents (documents and presence) from the index alone,
        # with the origin and coder the view filters on; also a document's codings, and
        # (scanned) a coder's: one index fewer to write per coding than one for each.
        Index("ix_coding_document_code_origin", "document_id", "code_id", "coder_id", "origin"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(Integer)
    document_length: Mapped[int] = mapped_column(Integer)
    # RESTRICT: a code with codings cannot disappear by accident; merging moves them first.
    code_id: Mapped[int] = mapped_column(ForeignKey("code.id", ondelete="RESTRICT"))
    coder_id: Mapped[int] = mapped_column(ForeignKey("coder.id", ondelete="RESTRICT"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column("end", Integer)
    origin: Mapped[str] = mapped_column(String(12), default="manual")
    decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("decision.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)


class CodingSourceRow(Base):
    """Links a consensus coding to the coders' codings it was reconciled from."""

    __tablename__ = "coding_source"
    coding_id: Mapped[int] = mapped_column(
        ForeignKey("coding.id", ondelete="CASCADE"), primary_key=True
    )
    source_id: Mapped[int] = mapped_column(
        ForeignKey("coding.id", ondelete="CASCADE"), primary_key=True, index=True
    )


_MEMO_TARGET_COLUMNS = {
    "project": (),
    "document": ("document_id",),
    "participant": ("participant_id",),
    "code": ("code_id",),
    "coding": ("coding_id",),
    "attribute": ("attribute_id", "attribute_value"),
}


def _memo_target_check() -> str:
    """Each memo kind sets exactly the columns that locate its target."""
    all_columns = sorted({c for cols in _MEMO_TARGET_COLUMNS.values() for c in cols})
    clauses = []
    for target, columns in _MEMO_TARGET_COLUMNS.items():
        parts = [f"target = '{target}'"]
        parts += [f"{c} IS {'NOT ' if c in columns else ''}NULL" for c in all_columns]
        clauses.append("(" + " AND ".join(parts) + ")")
    return " OR ".join(clauses)


class MemoRow(Base):
    __tablename__ = "memo"
    __table_args__ = (
        CheckConstraint(_one_of("target", MEMO_TARGETS), name="target"),
        CheckConstraint(_memo_target_check(), name="target_columns"),
        Index("ix_memo_target", "target", "document_id", "code_id", "coding_id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target: Mapped[str] = mapped_column(String(16))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE")
    )
    code_id: Mapped[int | None] = mapped_column(ForeignKey("code.id", ondelete="CASCADE"))
    coding_id: Mapped[int | None] = mapped_column(ForeignKey("coding.id", ondelete="CASCADE"))
    attribute_id: Mapped[int | None] = mapped_column(ForeignKey("attribute.id", ondelete="CASCADE"))
    attribute_value: Mapped[str | None] = mapped_column(String(1000))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("coder.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)


class EventRow(Base):
    """Append-only log of every change. Triggers (migration 0002) refuse updates and deletes.

    `entity_id` is a plain integer, not a foreign key: the log must outlive what it describes.
    `grp` ties together the events of one user action, which undo reverts as a whole.
    """

    __tablename__ = "event"
    __table_args__ = (
        Index("ix_event_grp", "grp"),
        Index("ix_event_entity", "entity", "entity_id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    actor: Mapped[str | None] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    grp: Mapped[str | None] = mapped_column(String(36))
    # For undo and redo events: the group of events they reverse.
    reverts: Mapped[str | None] = mapped_column(String(36))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ChangeRow(Base):
    """What an event changed, row by row (see storage/changes.py): the material for undo.

    Kept apart from `event` so that reading the log stays cheap however much was changed.
    Append-only, like the log.
    """

    __tablename__ = "change"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="RESTRICT"), index=True)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)


def table_of(row_class: type[Base]) -> Table:
    """The Core table behind an ORM class, typed as such."""
    table = row_class.__table__
    assert isinstance(table, Table)
    return table
