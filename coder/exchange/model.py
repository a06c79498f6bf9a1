"""A REFI-QDA project as plain data, between the project and the file.

Export gathers a project into this shape and writes it; import reads a file into it and loads
it. Nothing here knows about XML or the database. References between parts are GUIDs in
their normal form (`normal_guid`: lower case, no braces), whatever case the file used; codes
keep the GUID they arrived with in `CodeSpec.guid`, so that a later export matches the program
they came from.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from coder import model
from coder.codebook.checks import normal_guid
from coder.codebook.spec import CodebookSpec

# Fixed forever: GUIDs derived from it must not change between coder versions, so that
# exporting an unchanged project twice gives the same file.
GUID_NAMESPACE = uuid.UUID("2f0d5c8e-8a1b-4d7e-b3c6-5e9a0f1d2c47")


def derived_guid(*parts: object) -> str:
    """A GUID that depends only on `parts` (stable from one export to the next)."""
    return str(uuid.uuid5(GUID_NAMESPACE, "\x1f".join(str(p) for p in parts)))


def guid_key(guid: str) -> str:
    return normal_guid(guid)


@dataclass
class User:
    guid: str
    name: str
    role: model.CoderRole = "coder"


@dataclass
class Segment:
    kind: model.SegmentKind
    start: int
    end: int
    speaker: str | None = None
    speaker_role: model.SpeakerRole | None = None
    participant: str | None = None  # a case's GUID
    started_at: float | None = None
    ended_at: float | None = None


@dataclass
class Coding:
    guid: str
    code: str  # the code's GUID
    user: str  # the user's GUID
    start: int
    end: int
    origin: model.CodingOrigin = "imported"
    created_at: datetime | None = None


@dataclass
class Source:
    """A text source: one document."""

    guid: str
    name: str
    text: str
    source_name: str | None = None
    source_format: str | None = None
    encoding: str | None = None
    created_at: datetime | None = None
    values: dict[str, model.AttributeValue] = field(default_factory=dict)
    # None: find speaker turns in the text (sources from other programs).
    segments: list[Segment] | None = None
    people: list[tuple[str, str | None]] = field(default_factory=list)  # (case GUID, speaker)
    codings: list[Coding] = field(default_factory=list)
    line: int | None = None


@dataclass
class Case:
    """A participant, with their attribute values and the documents they speak in."""

    guid: str
    name: str
    values: dict[str, model.AttributeValue] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)


@dataclass
class Note:
    """A memo. `ref` is the GUID of what it is on (source, case, code or coding); for a memo on
    an attribute value, `ref` is the document attribute's name and `value` the value."""

    guid: str
    body: str
    title: str = ""
    target: model.MemoTarget = "project"
    ref: str | None = None
    value: str | None = None
    author: str | None = None  # a user's GUID
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass
class ProjectData:
    title: str
    codebook: CodebookSpec
    origin: str = ""
    phase: model.Phase | None = None
    codebook_about: dict[str, Any] | None = None
    users: list[User] = field(default_factory=list)
    # Codes that are not active: GUID -> (status, GUID of the code merged into).
    code_status: dict[str, tuple[model.CodeStatus, str | None]] = field(default_factory=dict)
    attributes: dict[tuple[model.AttributeScope, str], model.AttributeType] = field(
        default_factory=dict
    )
    sources: list[Source] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    created_at: datetime | None = None
    reconciliation: Reconciliation | None = None


@dataclass
class Reconciliation:
    """How a consensus layer came about, which REFI-QDA has no place for (coder's extras)."""

    # Each decision: source and code GUIDs, start, end, unit, coders, choice, rationale,
    # decided_by, decided_at (ISO).
    decisions: list[dict[str, Any]] = field(default_factory=list)
    decided: dict[str, int] = field(default_factory=dict)  # coding GUID -> decision index
    sources: list[tuple[str, str]] = field(default_factory=list)  # (consensus, coder's) codings
