"""`ProjectData` into a project, in the caller's one transaction.

Into a new project everything is added. Into an existing one (`into=True`) nothing already
there is changed: documents are matched by the SHA-256 of their text (never by name alone),
codes by codebook id, GUID, then path, coders and participants by name; what is new is added,
and a value that differs from the project's is reported and left as it is.

Documents from other programs get speaker turns, paragraphs and sentences found in their text
as it stands (their selections count characters in exactly that text); documents coder
exported carry their own segments and come back as they were.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from coder import model
from coder.codebook.tree import CodeTree
from coder.exchange.model import Note, ProjectData, Source, guid_key
from coder.exchange.report import ExchangeReport
from coder.exchange.turns import find_turns, transcript
from coder.storage import Transaction

SpanKey = tuple[int, int, int, int, int]
_MEMO_COLUMNS: dict[str, str] = {
    "document": "document_id",
    "participant": "participant_id",
    "code": "code_id",
    "coding": "coding_id",
    "attribute": "attribute_id",
}


def load(
    tx: Transaction, data: ProjectData, report: ExchangeReport, *, into: bool, file: str
) -> None:
    _Loader(tx, data, report, into).run(file)


class _Loader:
    def __init__(
        self, tx: Transaction, data: ProjectData, report: ExchangeReport, into: bool
    ) -> None:
        self.tx = tx
        self.data = data
        self.report = report
        self.into = into
        self.coders: dict[str, int] = {}  # user GUID -> coder id
        self.codes: dict[str, int] = {}  # code GUID key -> code id
        self.cases: dict[str, int] = {}  # case GUID -> participant id
        self.documents: dict[str, int] = {}  # source GUID -> document id
        self.new_documents: set[int] = set()
        self.attributes: dict[tuple[model.AttributeScope, str], model.Attribute] = {}
        self.codings: dict[str, int] = {}  # coding GUID -> coding id
        self._nlp: Any = None
        # Attribute values already set, per scope: (owner, attribute id) -> canonical value.
        self.known: dict[model.AttributeScope, dict[tuple[int, int], str]] = {
            scope: self.values(scope) for scope in model.ATTRIBUTE_SCOPES
        }
        self.links = {(d, p) for d, p, _ in tx.participant_links()} if into else set()

    def run(self, file: str) -> None:
        self.add_coders()
        self.add_codes()
        for (scope, name), kind in self.data.attributes.items():
            self.attributes[(scope, name)] = self.tx.ensure_attribute(scope, name, kind)
        self.add_participants()
        for source in self.data.sources:
            self.add_source(source)
        self.add_codings()
        self.add_memos()
        self.add_reconciliation()
        if not self.into:
            if self.data.phase in model.PHASES and self.data.phase != "open":
                self.tx.set_setting("phase", self.data.phase)
            if self.data.codebook_about:
                self.tx.set_setting("codebook", self.data.codebook_about)
        self.tx.log(
            "project.import",
            "project",
            None,
            {"file": file, "into": self.into, **dict(self.report.carried)},
        )

    # -- coders and codes --------------------------------------------------------------------

    def add_coders(self) -> None:
        existing = {c.name: c for c in self.tx.coders()}
        used = {c.user for s in self.data.sources for c in s.codings}
        used |= {n.author for n in self.data.notes if n.author}
        coder_made = self.data.origin.startswith("coder")
        for user in self.data.users:
            if user.guid not in used and not coder_made:
                continue
            coder = existing.get(user.name)
            if coder is None:
                role = user.role if user.role in model.CODER_ROLES else "coder"
                coder = self.tx.add_coder(user.name, role)
                existing[user.name] = coder
                self.report.carry("coders")
            self.coders[user.guid] = coder.id

    def add_codes(self) -> None:
        tx, data = self.tx, self.data
        everything = tx.codes(model.CODE_STATUSES)
        by_ident = {c.ident: c for c in everything if c.ident}
        by_guid = {guid_key(c.guid): c for c in everything}
        keys = {c.key for c in everything if c.key}
        live = CodeTree(tx.codes())
        mapped: dict[int, model.Code] = {}
        merges: list[tuple[model.Code, str]] = []
        for visit in data.codebook.walk():
            code = visit.code
            guid = guid_key(code.guid or "")
            parent = mapped[id(visit.parent)] if visit.parent is not None else None
            status, merged = data.code_status.get(guid, ("active", None))
            existing = (by_ident.get(code.id) if code.id else None) or by_guid.get(guid)
            if existing is None and status == "active":
                existing = live.find_child(parent, code.name)
            if existing is not None:
                mapped[id(code)] = existing
                self.codes[guid] = existing.id
                self.report.carry("codes matched")
                continue
            key = code.key if code.key and code.key not in keys else None
            if code.key and key is None:
                self.report.drop("shortcut keys", "another code has the key", code.name)
            keys.add(key or "")
            created = tx.add_code(
                {
                    "name": self.clip(code.name, 300, "code names"),
                    "parent_id": parent.id if parent is not None else None,
                    "ident": code.id if code.id and len(code.id) <= 200 else None,
                    "guid": code.guid,
                    "kind": code.kind,
                    "definition": code.definition,
                    "include": code.include,
                    "exclude": code.exclude,
                    "examples": list(code.examples),
                    "source": code.source,
                    "color": code.color.lower() if code.color else None,
                    "key": key,
                    "keywords": list(code.keywords),
                    "patterns": [list(p) for p in code.patterns],
                    "exclusive": code.exclusive,
                    "status": status,
                },
                log=False,
            )
            mapped[id(code)] = created
            self.codes[guid] = created.id
            self.report.carry("codes")
            if merged:
                merges.append((created, merged))
        for made, target in merges:
            if target in self.codes:
                tx.edit_code(tx.code(made.id), {"merged_into_id": self.codes[target]})

    # -- people and documents ----------------------------------------------------------------

    def add_participants(self) -> None:
        known = {p.name for p in self.tx.participants()}
        for case in self.data.cases:
            person = self.tx.ensure_participant(case.name)
            self.cases[case.guid] = person.id
            self.report.carry("participants matched" if case.name in known else "participants")
            known.add(case.name)
            self.set_values("participant", person.id, case.values, case.name)

    def values(self, scope: model.AttributeScope) -> dict[tuple[int, int], str]:
        if not self.into:
            return {}
        return {
            (owner, attribute.id): model.value_text(value)
            for owner, attribute, value in self.tx.attribute_values(scope)
        }

    def set_values(
        self,
        scope: model.AttributeScope,
        owner: int,
        values: Mapping[str, model.AttributeValue],
        who: str,
    ) -> None:
        known = self.known[scope]
        for name, value in values.items():
            attribute = self.attributes[(scope, name)]
            current = known.get((owner, attribute.id))
            if current is not None:
                if current != model.value_text(value):
                    self.report.drop(
                        f"{scope} attribute values",
                        "the project already has another value, which was kept",
                        f"{who}: {name}",
                    )
                continue
            if isinstance(value, str):
                value = self.clip(value, 1000, "attribute values")
            self.tx.add_attribute_values(attribute, [(owner, _typed(value, attribute.type))])
            known[(owner, attribute.id)] = model.value_text(value)
            self.report.carry(f"{scope} attribute values")

    def add_source(self, source: Source) -> None:
        tx = self.tx
        sha256 = hashlib.sha256(source.text.encode("utf-8")).hexdigest()
        found = tx.find_document(sha256=sha256)
        if found is not None:
            self.documents[source.guid] = found.id
            if found.name != source.name or found.id in self.new_documents:
                same = "the project's" if found.id not in self.new_documents else "the file's"
                self.report.notes.append(
                    f"{source.name!r} has the same text as {same} document {found.name!r}; "
                    "its codings and memos went there"
                )
            self.report.carry("documents matched by content")
            for guid, speaker in source.people:
                if guid in self.cases:
                    self.link(found.id, self.cases[guid], speaker)
        else:
            name = self.free_name(source.name)
            found = tx.add_document(
                name=name,
                text=source.text,
                sha256=sha256,
                source_name=source.source_name,
                source_format=source.source_format,
                encoding=source.encoding,
            )
            self.documents[source.guid] = found.id
            self.new_documents.add(found.id)
            self.report.carry("documents")
            self.segments(found, source)
        self.set_values("document", found.id, source.values, found.name)

    def free_name(self, wanted: str) -> str:
        base = wanted[:480] or "Untitled source"
        name, number = base, 2
        while self.tx.find_document(name=name) is not None:
            name, number = f"{base} ({number})", number + 1
        if name != wanted:
            self.report.notes.append(f"document {wanted!r} was named {name!r} (name taken)")
        return name

    def link(self, document: int, person: int, speaker: str | None) -> None:
        if (document, person) not in self.links:
            self.links.add((document, person))
            self.tx.link_participant(document, person, speaker)

    def segments(self, document: model.Document, source: Source) -> None:
        people = [(self.cases[g], speaker) for g, speaker in source.people if g in self.cases]
        if source.segments is not None:
            for person, speaker in people:
                self.link(document.id, person, speaker)
            rows = [
                {
                    "kind": s.kind,
                    "start": s.start,
                    "end": s.end,
                    "speaker": s.speaker,
                    "speaker_role": s.speaker_role,
                    "participant_id": self.cases.get(s.participant or ""),
                    "started_at": s.started_at,
                    "ended_at": s.ended_at,
                }
                for s in source.segments
                if 0 <= s.start < s.end <= document.length and s.kind in model.SEGMENT_KINDS
            ]
            if len(rows) < len(source.segments):
                self.report.drop("segments", "they do not fit their document", document.name)
            self.tx.add_segments(document, rows)
            self.report.carry("segments", len(rows))
            return
        self.found_segments(document, source, people)

    def found_segments(
        self, document: model.Document, source: Source, people: list[tuple[int, str | None]]
    ) -> None:
        """Turns, paragraphs and sentences of a text from another program, as `coder import`
        finds them, with its participants linked as `coder import` links them."""
        from coder.ingest import load_pipeline, segment_many
        from coder.ingest.run import link_participants, roles_of_speakers

        turns, _ = find_turns(document.text)
        parsed = transcript(document.text, turns, source.source_format)
        roles, _ = roles_of_speakers(parsed, ())
        speakers = [label for label, role in roles.items() if role == "participant"]
        by_speaker: dict[str, int] = {}
        if people:
            # One case and one participant speaker: that case is who speaks.
            if len(people) == 1 and len(speakers) == 1:
                people = [(people[0][0], speakers[0])]
                by_speaker[speakers[0]] = people[0][0]
            for person, speaker in people:
                self.link(document.id, person, speaker)
        else:
            by_speaker = link_participants(self.tx, document, parsed, roles, None, {})
        if self._nlp is None:
            self._nlp = load_pipeline(None)
        rows = [
            {
                "kind": spec.kind,
                "start": spec.start,
                "end": spec.end,
                "speaker": spec.speaker,
                "speaker_role": roles.get(spec.speaker) if spec.speaker else None,
                "participant_id": by_speaker.get(spec.speaker) if spec.speaker else None,
                "started_at": spec.started_at,
                "ended_at": spec.ended_at,
            }
            for spec in segment_many([parsed], self._nlp)[0]
        ]
        self.tx.add_segments(document, rows)
        self.report.carry("segments", len(rows))

    # -- codings and memos -------------------------------------------------------------------

    def add_codings(self) -> None:
        rows: list[dict[str, Any]] = []
        keys: dict[str, SpanKey] = {}
        for source in self.data.sources:
            document = self.documents.get(source.guid)
            if document is None:
                continue
            for coding in source.codings:
                key = (
                    document,
                    self.codes[coding.code],
                    self.coders[coding.user],
                    coding.start,
                    coding.end,
                )
                keys[coding.guid] = key
                row: dict[str, Any] = {
                    "document_id": key[0],
                    "code_id": key[1],
                    "coder_id": key[2],
                    "start": key[3],
                    "end": key[4],
                    "origin": coding.origin,
                }
                if coding.created_at is not None:
                    row["created_at"] = coding.created_at
                rows.append(row)
        created, skipped = self.tx.add_codings(rows)
        self.report.carry("codings", len(created))
        # The same document, code, coder and span can be coded only once.
        self.report.carry("codings already there", skipped)
        missing = [key for key in keys.values() if key not in created]
        known = {**self.tx.coding_ids(missing), **created} if missing else created
        self.codings = {guid: known[key] for guid, key in keys.items() if key in known}

    def add_memos(self) -> None:
        existing = {
            (m.target, m.target_id, m.attribute_value, m.title, m.body) for m in self.tx.memos()
        }
        rows: list[dict[str, Any]] = []
        for note in self.data.notes:
            target_id = self.target(note)
            if note.target != "project" and target_id is None:
                self.report.drop(
                    f"memos on a {note.target}",
                    f"the {note.target} they are on was not imported",
                    note.title or note.body[:40],
                )
                continue
            value = note.value if note.target == "attribute" else None
            if (note.target, target_id, value, note.title, note.body) in existing:
                self.report.carry("memos already there")
                continue
            existing.add((note.target, target_id, value, note.title, note.body))
            row: dict[str, Any] = {
                "target": note.target,
                "title": note.title[:300],
                "body": note.body,
                "author_id": self.coders.get(note.author or ""),
                "attribute_value": self.clip(value, 1000, "attribute values") if value else value,
                "created_at": note.created_at,
                "updated_at": note.updated_at,
            }
            if note.target in _MEMO_COLUMNS:
                row[_MEMO_COLUMNS[note.target]] = target_id
            rows.append(row)
        self.tx.add_memo_rows(rows)
        self.report.carry("memos", len(rows))

    def add_reconciliation(self) -> None:
        """Decisions and the links of consensus codings to their sources, into a new project
        (into an existing one they would be mixed up with its own reconciliation)."""
        found = self.data.reconciliation
        if found is None or not found.decisions:
            return
        if self.into:
            self.report.drop(
                "reconciliation decisions",
                "they are restored only into a new project",
                count=len(found.decisions),
            )
            return
        ids: list[int | None] = []
        for decision in found.decisions:
            document = self.documents.get(decision["source"])
            code = self.codes.get(decision["code"])
            if document is None or code is None:
                ids.append(None)
                continue
            ids.append(
                self.tx.add_decision(
                    {
                        "document_id": document,
                        "code_id": code,
                        "start": decision["start"],
                        "end": decision["end"],
                        "unit": decision["unit"],
                        "coders": decision["coders"],
                        "choice": decision["choice"],
                        "rationale": decision["rationale"],
                        "decided_by": decision["decided_by"],
                        "decided_at": _moment(decision["decided_at"]),
                    }
                )
            )
        by_decision: dict[int, list[int]] = {}
        for guid, index in found.decided.items():
            decision_id = ids[index] if 0 <= index < len(ids) else None
            if decision_id is not None and guid in self.codings:
                by_decision.setdefault(decision_id, []).append(self.codings[guid])
        for decision_id, coding_ids in by_decision.items():
            self.tx.set_decision_of(coding_ids, decision_id)
        self.tx.link_sources(
            [
                (self.codings[a], self.codings[b])
                for a, b in found.sources
                if a in self.codings and b in self.codings
            ]
        )
        self.report.carry("reconciliation decisions", sum(1 for i in ids if i is not None))

    def clip(self, value: str, limit: int, what: str) -> str:
        """coder's columns have limits other programs do not; longer texts are cut (and said)."""
        if len(value) <= limit:
            return value
        self.report.notes.append(f"{what} longer than {limit} characters were cut: {value[:40]!r}…")
        return value[: limit - 1] + "…"

    def target(self, note: Note) -> int | None:
        ref = note.ref or ""
        if note.target == "document":
            return self.documents.get(ref)
        if note.target == "participant":
            return self.cases.get(ref)
        if note.target == "code":
            return self.codes.get(ref)
        if note.target == "coding":
            return self.codings.get(ref)
        if note.target == "attribute":
            key: tuple[model.AttributeScope, str] = ("document", ref)
            if key not in self.attributes:
                self.attributes[key] = self.tx.ensure_attribute("document", ref, "text")
            return self.attributes[key].id
        return None


def _typed(value: model.AttributeValue, kind: model.AttributeType) -> model.AttributeValue:
    if kind == "number" and isinstance(value, str):
        number = model.number_value(value)
        return value if number is None else number
    if kind != "number" and not isinstance(value, str):
        return model.value_text(value)
    return value


def _moment(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return datetime.now(UTC)
