"""`ProjectData` as a REFI-QDA project.qde and its `sources/` files.

Each document's text goes to `sources/<GUID>.txt` exactly as stored (UTF-8, no byte-order
mark, LF line ends), so positions counted in code points, as the standard says, agree with
coder's offsets, whichever way a reader counts line breaks. A coder's codings of one span
form one `PlainTextSelection` (its `name` the start of the quotation, as ATLAS.ti writes it)
with one `Coding` per code, `creatingUser` being the coder. Participants are named cases with
their attribute values and their documents; document attribute values sit in their text
sources and, for programs that read no variables, in sets named "attribute: value". Memos are
notes, referred to from what they are on; a memo on a participant or an attribute value,
which REFI-QDA cannot point at, is referred to from the project and its target kept in coder's
extras. The file is checked against the schema before it is handed out.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from coder import model
from coder.codebook import description
from coder.codebook.qdc import code_guid
from coder.codebook.spec import CodeSpec
from coder.exchange import extras
from coder.exchange.model import ProjectData, Source, derived_guid, guid_key
from coder.exchange.report import ExchangeReport
from coder.exchange.validate import NAMESPACE, SCHEMA_LOCATION, schema_errors
from coder.version import __version__

_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_QUOTE = 100
_KINDS = {"turn": "t", "paragraph": "p", "sentence": "s"}


def when(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat().replace("+00:00", "Z")


class _Writer:
    def __init__(self, data: ProjectData, report: ExchangeReport) -> None:
        self.data = data
        self.report = report
        self.replaced = 0
        self.notes_on: dict[tuple[model.MemoTarget, str | None], list[str]] = defaultdict(list)
        self.variables: dict[tuple[str, str], str] = {}
        self.kinds: dict[tuple[model.AttributeScope, str], str] = {}
        # References are written exactly as the code's own GUID, case included.
        self.code_refs = {
            guid_key(v.code.guid): v.code.guid for v in data.codebook.walk() if v.code.guid
        }

    # -- text ----------------------------------------------------------------------------

    def clean(self, value: str) -> str:
        """XML 1.0 cannot hold some control characters; they become U+FFFD (and are counted)."""
        cleaned, count = _NOT_XML.subn("\ufffd", value)
        self.replaced += count
        return cleaned

    def element(
        self, parent: ET.Element, tag: str, attributes: dict[str, str | None] | None = None
    ) -> ET.Element:
        kept = {k: self.clean(v) for k, v in (attributes or {}).items() if v is not None}
        return ET.SubElement(parent, tag, kept)

    def text_element(self, parent: ET.Element, tag: str, text: str) -> None:
        self.element(parent, tag).text = self.clean(text)

    # -- the whole ---------------------------------------------------------------------------

    def write(self) -> tuple[bytes, dict[str, bytes]]:
        data = self.data
        root = ET.Element(
            "Project",
            {
                "xmlns": NAMESPACE,
                "xmlns:xsi": _XSI,
                "xsi:schemaLocation": SCHEMA_LOCATION,
                "name": self.clean(data.title),
                "origin": f"coder {__version__}",
            },
        )
        if data.created_at is not None:
            root.set("creationDateTime", when(data.created_at) or "")
        root.append(extras.comment(extras.PROJECT, self.project_extras()))
        for note in data.notes:
            target: model.MemoTarget = note.target
            if target in ("participant", "attribute"):
                target = "project"
            self.notes_on[(target, note.ref if target != "project" else None)].append(note.guid)
        if data.users:
            users = self.element(root, "Users")
            for user in data.users:
                self.element(users, "User", {"guid": user.guid, "name": user.name})
        if data.codebook.codes:
            codes = self.element(self.element(root, "CodeBook"), "Codes")
            for code in data.codebook.codes:
                self.code(codes, code, code.name)
        self.variables_element(root)
        self.cases(root)
        files: dict[str, bytes] = {}
        if data.sources:
            sources = self.element(root, "Sources")
            for source in data.sources:
                self.source(sources, source)
                files[f"{source.guid}.txt"] = source.text.encode("utf-8")
        self.notes(root)
        self.sets(root)
        for guid in self.notes_on.get(("project", None), []):
            self.element(root, "NoteRef", {"targetGUID": guid})
        if self.replaced:
            self.report.warnings.append(
                f"{self.replaced} control character(s) that XML cannot hold were written as "
                "U+FFFD in names and memos (document texts are unchanged)"
            )
        ET.indent(root)
        body = ET.tostring(root, encoding="utf-8")
        # ElementTree writes a CR in text as is, and XML readers turn it into LF; a character
        # reference keeps it (attributes are already escaped).
        body = body.replace(b"\r", b"&#13;")
        xml = b'<?xml version="1.0" encoding="utf-8"?>\n' + body + b"\n"
        problems = schema_errors(ET.fromstring(xml))
        if problems:
            raise RuntimeError(
                f"the project.qde written does not follow the REFI-QDA schema: {problems[0][1]}"
            )
        return xml, files

    def project_extras(self) -> dict[str, Any]:
        data = self.data
        every = [coding for source in data.sources for coding in source.codings]
        usual = Counter(c.origin for c in every).most_common(1)[0][0] if every else "manual"
        origins = {c.guid: c.origin for c in every if c.origin != usual}
        reconciliation = data.reconciliation
        memos = {
            note.guid: [note.target, note.ref, note.value]
            for note in data.notes
            if note.target in ("participant", "attribute")
        }
        return {
            "format": extras.FORMAT,
            "phase": data.phase,
            "codebook": data.codebook_about,
            "roles": {user.guid: user.role for user in data.users if user.role != "coder"},
            "status": {guid: list(value) for guid, value in data.code_status.items()},
            "attributes": [[scope, name, kind] for (scope, name), kind in data.attributes.items()],
            "origin": usual,
            "origins": origins,
            "decisions": reconciliation.decisions if reconciliation else [],
            "decided": reconciliation.decided if reconciliation else {},
            "reconciled_from": reconciliation.sources if reconciliation else [],
            "memos": memos,
        }

    # -- codes -------------------------------------------------------------------------------

    def code(self, parent: ET.Element, code: CodeSpec, path: str) -> None:
        guid = code.guid or code_guid(code, path)
        attributes: dict[str, str | None] = {"guid": guid, "name": code.name, "isCodable": "true"}
        if code.color:
            attributes["color"] = code.color.upper()
        element = self.element(parent, "Code", attributes)
        text = description.compose(code)
        if text:
            self.text_element(element, "Description", text)
        for note in self.notes_on.get(("code", guid_key(guid)), []):
            self.element(element, "NoteRef", {"targetGUID": note})
        for child in code.children:
            self.code(element, child, f"{path}/{child.name}")

    # -- attributes --------------------------------------------------------------------------

    def variables_element(self, root: ET.Element) -> None:
        values: dict[tuple[model.AttributeScope, str], list[model.AttributeValue]] = defaultdict(
            list
        )
        for source in self.data.sources:
            for name, value in source.values.items():
                values[("document", name)].append(value)
        for case in self.data.cases:
            for name, value in case.values.items():
                values[("participant", name)].append(value)
        for key, kind in self.data.attributes.items():
            self.kinds[key] = _refi_type(kind, values.get(key, []))
        wanted = sorted({(name, refi) for (_, name), refi in self.kinds.items()})
        if not wanted:
            return
        element = self.element(root, "Variables")
        for name, refi in wanted:
            guid = derived_guid("variable", name, refi)
            self.variables[(name, refi)] = guid
            self.element(element, "Variable", {"guid": guid, "name": name, "typeOfVariable": refi})

    def values(
        self,
        parent: ET.Element,
        scope: model.AttributeScope,
        values: dict[str, model.AttributeValue],
    ) -> None:
        for name, value in values.items():
            kind = self.kinds.get((scope, name), "Text")
            element = self.element(parent, "VariableValue")
            self.element(element, "VariableRef", {"targetGUID": self.variables[(name, kind)]})
            self.text_element(element, f"{kind}Value", _value_text(value, kind))

    def cases(self, root: ET.Element) -> None:
        if not self.data.cases:
            return
        element = self.element(root, "Cases")
        for case in self.data.cases:
            item = self.element(element, "Case", {"guid": case.guid, "name": case.name})
            self.values(item, "participant", case.values)
            for source in dict.fromkeys(case.sources):
                self.element(item, "SourceRef", {"targetGUID": source})

    def sets(self, root: ET.Element) -> None:
        members: dict[tuple[str, str], list[str]] = defaultdict(list)
        for source in self.data.sources:
            for name, value in source.values.items():
                members[(name, _value_text(value, "Text"))].append(source.guid)
        if not members:
            return
        element = self.element(root, "Sets")
        for (name, value), guids in sorted(members.items()):
            item = self.element(
                element,
                "Set",
                {"guid": derived_guid("set", name, value), "name": f"{name}: {value}"},
            )
            for guid in guids:
                self.element(item, "MemberSource", {"targetGUID": guid})

    # -- sources ---------------------------------------------------------------------------

    def source(self, parent: ET.Element, source: Source) -> None:
        element = self.element(
            parent,
            "TextSource",
            {
                "guid": source.guid,
                "name": source.name,
                "plainTextPath": f"internal://{source.guid}.txt",
                "creationDateTime": when(source.created_at),
            },
        )
        element.append(extras.comment(extras.DOCUMENT, _document_extras(source)))
        spans: dict[tuple[str, int, int], list[int]] = defaultdict(list)
        for index, coding in enumerate(source.codings):
            spans[(coding.user, coding.start, coding.end)].append(index)
        for (user, start, end), indices in spans.items():
            codings = [source.codings[i] for i in indices]
            created = [c.created_at for c in codings if c.created_at is not None]
            selection = self.element(
                element,
                "PlainTextSelection",
                {
                    "guid": derived_guid("selection", source.guid, user, start, end),
                    "name": _quote(source.text[start:end]),
                    "startPosition": str(start),
                    "endPosition": str(end),
                    "creatingUser": user,
                    "creationDateTime": when(min(created)) if created else None,
                },
            )
            for coding in codings:
                item = self.element(
                    selection,
                    "Coding",
                    {
                        "guid": coding.guid,
                        "creatingUser": coding.user,
                        "creationDateTime": when(coding.created_at),
                    },
                )
                self.element(
                    item, "CodeRef", {"targetGUID": self.code_refs.get(coding.code, coding.code)}
                )
                for note in self.notes_on.get(("coding", coding.guid), []):
                    self.element(item, "NoteRef", {"targetGUID": note})
        for note in self.notes_on.get(("document", source.guid), []):
            self.element(element, "NoteRef", {"targetGUID": note})
        self.values(element, "document", source.values)

    def notes(self, root: ET.Element) -> None:
        if not self.data.notes:
            return
        element = self.element(root, "Notes")
        for note in self.data.notes:
            item = self.element(
                element,
                "Note",
                {
                    "guid": note.guid,
                    "name": note.title or None,
                    "creatingUser": note.author,
                    "creationDateTime": when(note.created_at),
                    "modifiedDateTime": when(note.updated_at),
                },
            )
            self.text_element(item, "PlainTextContent", note.body)


def _document_extras(source: Source) -> dict[str, Any]:
    cases: list[str] = []

    def index(guid: str | None) -> int | None:
        if guid is None:
            return None
        if guid not in cases:
            cases.append(guid)
        return cases.index(guid)

    people = [[index(guid), speaker] for guid, speaker in source.people]
    segments = []
    for s in source.segments or []:
        row: list[Any] = [
            _KINDS[s.kind],
            s.start,
            s.end,
            s.speaker,
            s.speaker_role,
            index(s.participant),
            s.started_at,
            s.ended_at,
        ]
        while row[-1] is None:
            row.pop()
        segments.append(row)
    return {
        "format": extras.FORMAT,
        "source_name": source.source_name,
        "source_format": source.source_format,
        "encoding": source.encoding,
        "cases": cases,
        "people": people,
        "segments": segments,
    }


def _quote(text: str) -> str:
    squashed = " ".join(text.split())
    return squashed if len(squashed) <= _QUOTE else squashed[: _QUOTE - 1] + "…"


def _refi_type(kind: model.AttributeType, values: list[model.AttributeValue]) -> str:
    if kind == "number":
        if all(isinstance(v, int) for v in values):
            return "Integer"
        return "Float" if all(isinstance(v, int | float) and _finite(v) for v in values) else "Text"
    if kind == "date":
        return "Date" if all(_is_date(v) for v in values) else "Text"
    return "Text"


def _finite(value: float) -> bool:
    return value == value and value not in (float("inf"), float("-inf"))


def _is_date(value: model.AttributeValue) -> bool:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _value_text(value: model.AttributeValue, kind: str) -> str:
    if kind == "Float" and isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def write_project(data: ProjectData, report: ExchangeReport) -> tuple[bytes, dict[str, bytes]]:
    """project.qde and the files of its `sources/` folder (name -> bytes)."""
    return _Writer(data, report).write()
