"""What the parts of a project.qde reader share: where things are, who the users are, and how
values, dates and references are read tolerantly."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from coder import model
from coder.codebook.checks import where
from coder.errors import InputError
from coder.exchange.archive import Package
from coder.exchange.model import Note, User, derived_guid, guid_key
from coder.exchange.report import ExchangeReport
from coder.exchange.xmlparse import Lines, child, children, local, text_of

# REFI-QDA variable types and the coder attribute type each becomes.
ATTRIBUTE_TYPES: dict[str, model.AttributeType] = {
    "Text": "text",
    "Boolean": "text",
    "Integer": "number",
    "Float": "number",
    "Date": "date",
    "DateTime": "text",
}
FALLBACK_USER = "imported"


@dataclass
class ReadState:
    path: Path
    lines: Lines
    report: ExchangeReport
    package: Package | None
    origin: str = ""
    coder_made: bool = False
    extras: dict[str, Any] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    project_user: str | None = None
    code_refs: dict[str, str] = field(default_factory=dict)  # file GUID key -> code GUID key
    variables: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (name, type)
    # What notes are attached to: (note GUID key, target, ref, attribute value).
    note_targets: list[tuple[str, model.MemoTarget, str | None, str | None]] = field(
        default_factory=list
    )
    # A selection's codings, for notes on the selection (key -> coding GUIDs, source GUID).
    selections: dict[str, tuple[list[str], str]] = field(default_factory=dict)
    # Memos made from descriptions (of a source, a selection, a case, the project).
    made: list[Note] = field(default_factory=list)
    # The REFI-QDA types an attribute's values came in, per (scope, name).
    kinds: dict[tuple[model.AttributeScope, str], set[str]] = field(default_factory=dict)

    def line(self, element: ET.Element | None) -> int | None:
        return self.lines.get(element) if element is not None else None

    def warn(self, element: ET.Element | None, message: str) -> None:
        self.report.warnings.append(f"{where(self.path, self.line(element))}{message}")

    def described(
        self, target: model.MemoTarget, ref: str | None, text: str, element: ET.Element
    ) -> None:
        """A description becomes a memo titled "Description" on what it describes."""
        guid = derived_guid("description", target, ref, self.line(element))
        self.made.append(Note(guid, text, "Description", target, ref))

    def fail(self, element: ET.Element | None, message: str) -> InputError:
        return InputError(message, path=self.path, line=self.line(element))

    # -- users -------------------------------------------------------------------------------

    def user(self, *candidates: str | None) -> str:
        """The GUID key of the first user named; a GUID no `<User>` declares (QualCoder writes
        such) becomes a user of its own; with none, every such coding goes to one fallback
        user, and that is reported."""
        for guid in candidates:
            if guid and guid.strip():
                key = guid_key(guid)
                if key not in self.users:
                    self.users[key] = User(key, f"user {key[:8]}")
                    self.report.notes.append(
                        f"user {guid.strip()!r} is not declared in <Users>; "
                        f"their work is attributed to coder {self.users[key].name!r}"
                    )
                return key
        key = derived_guid("user", FALLBACK_USER)
        if key not in self.users:
            self.users[key] = User(key, FALLBACK_USER)
            self.report.notes.append(
                f"some codings name no user; they are attributed to coder {FALLBACK_USER!r}"
            )
        return key

    # -- values ------------------------------------------------------------------------------

    def value(self, element: ET.Element) -> tuple[str, model.AttributeValue, str] | None:
        """(variable name, value, REFI-QDA type) of a `<VariableValue>`, or None if unusable."""
        ref = child(element, "VariableRef")
        target = guid_key(ref.get("targetGUID") or "") if ref is not None else ""
        if target not in self.variables:
            self.report.drop("variable values", "they name no declared <Variable>", target or None)
            return None
        name, declared = self.variables[target]
        found = [c for c in element if local(c.tag)[1].endswith("Value")]
        if not found:
            return None
        kind = local(found[0].tag)[1][: -len("Value")]
        raw = text_of(found[0]).strip()
        parsed = _parse_value(kind, raw)
        if parsed is None:
            self.warn(found[0], f"{kind} value {raw!r} of {name!r} is not valid; kept as text")
            return name, raw, "Text"
        return name, parsed, kind if kind in ATTRIBUTE_TYPES else declared


def _parse_value(kind: str, raw: str) -> model.AttributeValue | None:
    if kind == "Integer":
        try:
            return int(raw)
        except ValueError:
            return None
    if kind == "Float":
        try:
            number = Decimal(raw)
        except InvalidOperation:
            return None
        if not number.is_finite() or abs(number.adjusted()) > 300:
            return None  # not a number a float holds: kept as text, with a warning
        if number == number.to_integral_value() and number.adjusted() < model.NUMBER_DIGITS:
            return int(number)
        return float(number)
    if kind == "Date":
        try:
            return datetime.fromisoformat(raw[:10]).date().isoformat()
        except ValueError:
            return None
    return raw


def moment(value: str | None) -> datetime | None:
    """An xsd:dateTime as an aware datetime (UTC when the file gives no zone), else None."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def note_refs(element: ET.Element) -> list[str]:
    return [
        guid_key(ref.get("targetGUID") or "")
        for ref in children(element, "NoteRef")
        if ref.get("targetGUID")
    ]
