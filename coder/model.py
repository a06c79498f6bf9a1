"""The domain objects the rest of coder passes around.

Frozen dataclasses with no behaviour and no link to the database: the storage layer converts
its rows into these, so the CLI, the TUI and analysis code never hold an ORM object.
Offsets (`start`, `end`) are Python `str` indices (Unicode code points) into a document's text,
`end` exclusive.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, Literal

SegmentKind = Literal["turn", "paragraph", "sentence"]
SEGMENT_KINDS: tuple[SegmentKind, ...] = ("turn", "paragraph", "sentence")

SpeakerRole = Literal["interviewer", "participant"]

CodeKind = Literal["organizing-theme", "theme", "code"]
CODE_KINDS: tuple[CodeKind, ...] = ("organizing-theme", "theme", "code")

# A `split` code keeps its codings, flagged for recoding into the codes it was split into.
CodeStatus = Literal["active", "merged", "retired", "split"]
CODE_STATUSES: tuple[CodeStatus, ...] = ("active", "merged", "retired", "split")

CoderRole = Literal["lead", "coder", "consensus"]
CODER_ROLES: tuple[CoderRole, ...] = ("lead", "coder", "consensus")

# Where a coding came from. `suggested` codings are proposals from the codebook's keywords and
# patterns; they count nowhere until `accepted`. `rejected` ones are kept so that the same
# suggestion is not made again.
CodingOrigin = Literal["manual", "suggested", "accepted", "rejected", "reconciled", "imported"]
CODING_ORIGINS: tuple[CodingOrigin, ...] = (
    "manual",
    "suggested",
    "accepted",
    "rejected",
    "reconciled",
    "imported",
)

AttributeScope = Literal["document", "participant"]
ATTRIBUTE_SCOPES: tuple[AttributeScope, ...] = ("document", "participant")

AttributeType = Literal["text", "number", "date"]
ATTRIBUTE_TYPES: tuple[AttributeType, ...] = ("text", "number", "date")

MemoTarget = Literal["project", "document", "participant", "code", "coding", "attribute"]
MEMO_TARGETS: tuple[MemoTarget, ...] = (
    "project",
    "document",
    "participant",
    "code",
    "coding",
    "attribute",
)

Phase = Literal["open", "blind", "reconcile"]
PHASES: tuple[Phase, ...] = ("open", "blind", "reconcile")

CONSENSUS_CODER = "consensus"


@dataclass(frozen=True)
class Counts:
    documents: int
    codes: int
    coders: int
    codings: int
    participants: int
    memos: int


@dataclass(frozen=True)
class ProjectInfo:
    title: str
    location: str
    backend: Literal["sqlite", "postgresql"]
    schema_version: str
    schema_head: str
    phase: Phase
    counts: Counts
    created_at: datetime | None


@dataclass(frozen=True)
class Document:
    id: int
    name: str
    text: str
    sha256: str
    source_name: str | None
    source_format: str | None
    imported_at: datetime

    @property
    def length(self) -> int:
        return len(self.text)


@dataclass(frozen=True)
class Segment:
    id: int
    document_id: int
    kind: SegmentKind
    start: int
    end: int
    speaker: str | None = None
    speaker_role: SpeakerRole | None = None
    participant_id: int | None = None
    started_at: float | None = None
    ended_at: float | None = None

    @classmethod
    def from_rows(cls, rows: Iterable[Sequence[Any]]) -> list[Segment]:
        """Segments from rows holding every field in order. A frozen dataclass's __init__
        sets each field through object.__setattr__, and opening a long transcript builds
        thousands: filling each instance's __dict__ at once is three times as fast, with
        the same objects (equal, hashed and printed alike)."""
        new, names = object.__new__, _SEGMENT_FIELDS
        out: list[Segment] = []
        for row in rows:
            segment = new(cls)
            segment.__dict__.update(zip(names, row, strict=True))
            out.append(segment)
        return out


_SEGMENT_FIELDS = tuple(f.name for f in fields(Segment))


@dataclass(frozen=True)
class Participant:
    id: int
    name: str


@dataclass(frozen=True)
class Attribute:
    id: int
    scope: AttributeScope
    name: str
    type: AttributeType


@dataclass(frozen=True)
class Code:
    id: int
    guid: str
    name: str
    parent_id: int | None
    kind: CodeKind = "code"
    ident: str | None = None
    definition: str = ""
    include: str = ""
    exclude: str = ""
    examples: tuple[str, ...] = ()
    source: str = ""  # where the code comes from: the study's section or page, or its author
    color: str | None = None
    key: str | None = None
    keywords: tuple[str, ...] = ()
    patterns: tuple[Any, ...] = ()
    status: CodeStatus = "active"
    merged_into_id: int | None = None
    position: int = 0
    version: int = 1
    exclusive: bool = False  # its sub-codes are alternatives: one per passage


@dataclass(frozen=True)
class Coder:
    id: int
    name: str
    role: CoderRole


@dataclass(frozen=True)
class Coding:
    id: int
    document_id: int
    code_id: int
    coder_id: int
    start: int
    end: int
    origin: CodingOrigin
    created_at: datetime


@dataclass(frozen=True)
class Memo:
    id: int
    target: MemoTarget
    body: str
    title: str = ""
    target_id: int | None = None
    attribute_value: str | None = None
    author_id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class Event:
    """One entry of the append-only log: who did what, when, with enough data to undo it."""

    id: int
    at: datetime
    actor: str | None
    action: str
    entity: str
    entity_id: int | None
    data: dict[str, Any] = field(default_factory=dict)
    group: str | None = None


AttributeValue = str | int | float

# A float carries 15 significant decimal digits exactly; longer numbers are identifiers (a
# record number, a phone number) that a float would round, so they stay text.
NUMBER_DIGITS = 15
_PLAIN_NUMBER = re.compile(r"[+-]?(?:0|[1-9]\d*)(?:\.\d+)?|[+-]?0?\.\d+")


def number_value(text: str) -> int | float | None:
    """A number written as plain decimal text, exactly: an `int` for a whole number, a finite
    `float` for a decimal, and None for anything else, including numbers of more than
    `NUMBER_DIGITS` significant digits (kept as text by whoever asked)."""
    text = text.strip()
    if not _PLAIN_NUMBER.fullmatch(text):
        return None
    digits = text.lstrip("+-").replace(".", "").lstrip("0")
    if "." in text:
        digits = digits.rstrip("0")
    if len(digits) > NUMBER_DIGITS:
        return None
    if "." not in text:
        return int(text)
    number = float(text)
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def value_text(value: AttributeValue) -> str:
    """An attribute value as stored and compared: whole floats without ".0", ints exact."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class DocumentSummary:
    """A document as listed: everything but its text."""

    id: int
    name: str
    sha256: str
    format: str | None
    source_name: str | None
    characters: int
    imported_at: datetime
    attributes: dict[str, AttributeValue] = field(default_factory=dict)
    participants: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    turns: int = 0
    paragraphs: int = 0
    sentences: int = 0
    codings: dict[str, int] = field(default_factory=dict)
