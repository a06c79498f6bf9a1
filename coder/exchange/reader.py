"""A project.qde (and the sources of its package) read into `ProjectData`.

Files come from other programs and other people, so the reader is tolerant where it can be and
strict where it must be. It accepts namespace variants, missing colours, undeclared users and
GUIDs in any case, and reports every element it cannot carry (REFI-QDA §7). It refuses what it
cannot use: XML that is unsafe or broken, a root that is not `<Project>`, a source whose text
is missing, a selection outside its source. How each REFI-QDA element maps onto coder is
described in docs/refi-qda.md.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from coder import model
from coder.codebook.qdc_reader import QdcReader
from coder.codebook.spec import CodebookSpec, CodeSpec, walk
from coder.exchange import extras
from coder.exchange.archive import Package
from coder.exchange.model import (
    Case,
    Note,
    ProjectData,
    Reconciliation,
    Source,
    User,
    derived_guid,
    guid_key,
)
from coder.exchange.read_state import ATTRIBUTE_TYPES, ReadState, moment, note_refs
from coder.exchange.report import ExchangeReport
from coder.exchange.sources import SourcesReader
from coder.exchange.validate import NAMESPACE, schema_errors
from coder.exchange.xmlparse import child, children, local, parse, text_of

_MAX_SCHEMA_WARNINGS = 5


class _CodeReader(QdcReader):
    """The codebook reader's conversion of `<Code>` elements, for a project's codes. A project's
    codes may carry NoteRefs, which the project reader reads itself."""

    def warn(self, element: ET.Element | None, message: str) -> None:
        if not message.startswith("<NoteRef> inside code"):
            super().warn(element, message)


def read_project(
    data: bytes, path: Path, package: Package | None
) -> tuple[ProjectData, ExchangeReport]:
    """Read a project.qde; `path` names it in messages. Returns the data and its report."""
    report = ExchangeReport()
    return ProjectReader(data, path, package, report).read(), report


class ProjectReader:
    def __init__(
        self, data: bytes, path: Path, package: Package | None, report: ExchangeReport
    ) -> None:
        root, lines = parse(data, path)
        self.root = root
        self.state = ReadState(path, lines, report, package)

    @property
    def report(self) -> ExchangeReport:
        return self.state.report

    def read(self) -> ProjectData:
        root, state = self.root, self.state
        namespace, name = local(root.tag)
        if name != "Project":
            raise state.fail(
                root,
                f"starts with <{name}>, not <Project>: it is not a REFI-QDA project"
                + (
                    " (it is a codebook; load it with `coder codebook load`)"
                    if name == "CodeBook"
                    else ""
                ),
            )
        if namespace != NAMESPACE:
            state.warn(
                root,
                f"namespace {namespace!r} is not the standard {NAMESPACE!r}; read anyway",
            )
        else:
            self.schema_warnings()
        state.origin = root.get("origin") or ""
        state.coder_made = state.origin.startswith("coder")
        if state.coder_made:
            state.extras = extras.read(root, extras.PROJECT) or {}
        state.project_user = root.get("creatingUserGUID")
        self.users()
        codebook = self.codebook()
        self.variables()
        sources = SourcesReader(state).read(child(root, "Sources"))
        by_guid = {source.guid: source for source in sources}
        cases = self.cases(by_guid)
        self.sets(by_guid)
        graphs = child(root, "Graphs")
        if graphs is not None:
            self.report.drop("graphs", "coder has no network views", count=len(graphs))
        description = text_of(child(root, "Description")).strip()
        if description:
            state.described("project", None, description, root)
        for note in note_refs(root):
            state.note_targets.append((note, "project", None, None))
        notes = self.notes()
        data = ProjectData(
            title=" ".join((root.get("name") or state.path.stem).split()) or "Imported project",
            codebook=codebook,
            origin=state.origin,
            phase=state.extras.get("phase"),
            codebook_about=state.extras.get("codebook"),
            users=list(state.users.values()),
            sources=sources,
            cases=cases,
            notes=notes,
            created_at=moment(root.get("creationDateTime")),
        )
        self.code_status(data)
        self.attribute_types(data)
        if state.extras.get("decisions"):
            data.reconciliation = Reconciliation(
                decisions=list(state.extras["decisions"]),
                decided={guid_key(k): int(v) for k, v in state.extras.get("decided", {}).items()},
                sources=[
                    (guid_key(a), guid_key(b)) for a, b in state.extras.get("reconciled_from", [])
                ],
            )
        return data

    def schema_warnings(self) -> None:
        problems = schema_errors(self.root)
        for element, reason in problems[:_MAX_SCHEMA_WARNINGS]:
            self.state.warn(element, f"does not follow the REFI-QDA schema: {reason}")
        if len(problems) > _MAX_SCHEMA_WARNINGS:
            self.state.warn(None, f"{len(problems) - _MAX_SCHEMA_WARNINGS} more schema problems")

    # -- users and codes ---------------------------------------------------------------------

    def users(self) -> None:
        roles = self.state.extras.get("roles", {})
        users = child(self.root, "Users")
        for element in children(users, "User") if users is not None else []:
            raw = (element.get("guid") or "").strip()
            if not raw:
                continue
            key = guid_key(raw)
            name = " ".join((element.get("name") or element.get("id") or "").split())
            role: model.CoderRole = "consensus" if name == model.CONSENSUS_CODER else "coder"
            if roles.get(key) in model.CODER_ROLES:
                role = roles[key]
            self.state.users[key] = User(key, name[:200] or f"user {key[:8]}", role)

    def codebook(self) -> CodebookSpec:
        state = self.state
        holder = child(self.root, "CodeBook")
        codes_element = child(holder, "Codes") if holder is not None else None
        if codes_element is None:
            return CodebookSpec(state.path.stem, [])
        reader = _CodeReader(b"", state.path)
        reader.lines = state.lines
        reader.extras = state.coder_made
        elements = children(codes_element, "Code")
        codes = [reader.code(element, 0) for element in elements]
        raw: dict[int, str] = {}

        def pair(element: ET.Element, code: CodeSpec) -> None:
            raw[id(code)] = element.get("guid") or ""
            for inner, spec in zip(children(element, "Code"), code.children, strict=True):
                pair(inner, spec)
            for note in note_refs(element):
                state.note_targets.append((note, "code", f"@{id(code)}", None))

        for element, code in zip(elements, codes, strict=True):
            pair(element, code)
        reader.drop_duplicates(codes)
        keys: dict[int, str] = {}
        for visit in walk(codes):
            code = visit.code
            found = raw[id(code)]
            guid = (code.guid or "").strip().strip("{}") or derived_guid("code", found, visit.path)
            code.guid = guid
            keys[id(code)] = guid_key(guid)
            if found:
                state.code_refs.setdefault(guid_key(found), guid_key(guid))
            state.code_refs.setdefault(guid_key(guid), guid_key(guid))
        # Notes met before the codes had their final GUIDs.
        state.note_targets = [
            (note, target, keys[int(ref[1:])] if ref and ref.startswith("@") else ref, value)
            for note, target, ref, value in state.note_targets
        ]
        statuses = state.extras.get("status", {})
        _repair(codes, {k: v[0] for k, v in statuses.items()}, self.report)
        self.report.warnings.extend(reader.warnings)
        return CodebookSpec(state.path.stem, codes)

    def code_status(self, data: ProjectData) -> None:
        for guid, value in self.state.extras.get("status", {}).items():
            status, merged = value
            if status in model.CODE_STATUSES and status != "active":
                data.code_status[guid_key(guid)] = (status, guid_key(merged) if merged else None)

    # -- variables and cases -----------------------------------------------------------------

    def variables(self) -> None:
        holder = child(self.root, "Variables")
        for element in children(holder, "Variable") if holder is not None else []:
            name = " ".join((element.get("name") or "").split())[:200]
            kind = (element.get("typeOfVariable") or "Text").strip()
            if element.get("guid") and name:
                self.state.variables[guid_key(element.get("guid") or "")] = (name, kind)
            if text_of(child(element, "Description")).strip():
                self.report.drop("variable descriptions", "coder's attributes have none", name)

    def cases(self, sources: dict[str, Source]) -> list[Case]:
        state = self.state
        holder = child(self.root, "Cases")
        found: list[Case] = []
        for element in children(holder, "Case") if holder is not None else []:
            guid = guid_key(element.get("guid") or derived_guid("case", state.line(element)))
            name = " ".join((element.get("name") or "").split())[:500]
            refs = [guid_key(r.get("targetGUID") or "") for r in children(element, "SourceRef")]
            members = [sources[r] for r in refs if r in sources]
            values = [v for v in map(state.value, children(element, "VariableValue")) if v]
            if children(element, "CodeRef"):
                self.report.drop("case codes", "coder classifies cases by attributes", name)
            if children(element, "SelectionRef"):
                self.report.drop(
                    "case selections", "coder links participants to whole documents", name
                )
            if not name:
                # MAXQDA and Quirkos write a document's variables as a nameless case.
                for source in members:
                    for variable, value, kind in values:
                        source.values[variable] = value
                        state.kinds.setdefault(("document", variable), set()).add(kind)
                if values and not members:
                    self.report.drop("values of nameless cases", "they belong to no document")
                continue
            case = Case(guid, name)
            for variable, value, kind in values:
                case.values[variable] = value
                state.kinds.setdefault(("participant", variable), set()).add(kind)
            for source in members:
                case.sources.append(source.guid)
                if not state.coder_made:
                    source.people.append((guid, None))
            description = text_of(child(element, "Description")).strip()
            if description:
                state.described("participant", guid, description, element)
            found.append(case)
        return found

    def attribute_types(self, data: ProjectData) -> None:
        declared = self.state.extras.get("attributes", [])
        for scope, name, kind in declared:
            if scope in model.ATTRIBUTE_SCOPES and kind in model.ATTRIBUTE_TYPES:
                data.attributes[(scope, name)] = kind
        for key, kinds in self.state.kinds.items():
            if key in data.attributes:
                continue
            mapped = {ATTRIBUTE_TYPES.get(kind, "text") for kind in kinds}
            data.attributes[key] = mapped.pop() if len(mapped) == 1 else "text"

    def sets(self, sources: dict[str, Source]) -> None:
        """A set of sources becomes a document attribute: "name: value" (ATLAS.ti's document
        variables, and what coder writes) sets `name` to `value`; any other set sets an
        attribute named after it to "yes"."""
        holder = child(self.root, "Sets")
        if self.state.coder_made:
            return  # coder's own sets mirror the variables, which are already read
        for element in children(holder, "Set") if holder is not None else []:
            name = " ".join((element.get("name") or "").split())
            if children(element, "MemberCode"):
                self.report.drop("code sets", "coder groups codes only in its code tree", name)
            if children(element, "MemberNote"):
                self.report.drop("note sets", "coder does not group memos", name)
            attribute, sep, value = name.partition(": ")
            if not sep or not attribute.strip() or not value.strip():
                attribute, value = name, "yes"
            attribute, value = attribute.strip()[:200], value.strip()[:1000]
            if not attribute:
                continue
            for ref in children(element, "MemberSource"):
                source = sources.get(guid_key(ref.get("targetGUID") or ""))
                if source is None:
                    continue
                current = source.values.get(attribute)
                if current is None:
                    source.values[attribute] = value
                    self.state.kinds.setdefault(("document", attribute), set()).add("Text")
                elif model.value_text(current) != value:
                    self.report.drop(
                        "set memberships",
                        f"the document already has another value for {attribute!r}",
                        f"{name} / {source.name}",
                    )

    # -- notes -------------------------------------------------------------------------------

    def notes(self) -> list[Note]:
        state = self.state
        holder = child(self.root, "Notes")
        found: dict[str, Note] = {}
        for element in children(holder, "Note") if holder is not None else []:
            guid = guid_key(element.get("guid") or derived_guid("note", state.line(element)))
            body = self.note_text(element)
            found[guid] = Note(
                guid=guid,
                body=body,
                title=" ".join((element.get("name") or "").split())[:300],
                author=state.user(element.get("creatingUser"))
                if element.get("creatingUser")
                else None,
                created_at=moment(element.get("creationDateTime")),
                updated_at=moment(element.get("modifiedDateTime")),
            )
            if children(element, "PlainTextSelection"):
                self.report.drop(
                    "selections inside notes", "memos are not coded", found[guid].title
                )
        self.links(found)
        # Memos on what REFI-QDA cannot point at (a participant, an attribute value).
        placed: dict[str, tuple[model.MemoTarget, str | None, str | None]] = {
            guid_key(key): (
                target,
                guid_key(ref) if target == "participant" and isinstance(ref, str) else ref,
                value,
            )
            for key, (target, ref, value) in self.state.extras.get("memos", {}).items()
            if target in model.MEMO_TARGETS
            and all(part is None or isinstance(part, str) for part in (ref, value))
        }
        notes: list[Note] = []
        used: set[str] = set()
        for key, target, ref, value in state.note_targets:
            note = found.get(key)
            if note is None:
                self.report.drop("note references", "they name no <Note>", key)
                continue
            used.add(key)
            if key in placed:
                if target != "project":
                    continue
                target, ref, value = placed[key]
            notes.append(self.placed(note, target, ref, value))
        for key, note in found.items():
            if key not in used:
                target, ref, value = placed.get(key, ("project", None, None))
                notes.append(self.placed(note, target, ref, value))
        notes.extend(self.placed(note, note.target, note.ref, None) for note in state.made)
        return notes

    def note_text(self, element: ET.Element) -> str:
        content = child(element, "PlainTextContent")
        if content is not None:
            return text_of(content)
        path = element.get("plainTextPath")
        package = self.state.package
        if path and package is not None:
            info = package.resolve(path)
            if info is None:
                raise self.state.fail(
                    element,
                    f"note {element.get('name')!r} refers to {path!r}, which is missing from "
                    "the package's sources/ folder",
                )
            return package.read(info).decode("utf-8-sig", errors="replace").replace("\r\n", "\n")
        return text_of(child(element, "Description"))

    def links(self, notes: dict[str, Note]) -> None:
        """A link between a note and something coder can hold a memo on attaches the note
        there (ATLAS.ti and NVivo link memos this way); other links are reported."""
        holder = child(self.root, "Links")
        state = self.state
        codes = set(state.code_refs)
        for element in children(holder, "Link") if holder is not None else []:
            ends = [guid_key(element.get(a) or "") for a in ("originGUID", "targetGUID")]
            note = next((e for e in ends if e in notes), None)
            other = next((e for e in ends if e != note), None)
            if note is not None and other is not None:
                if other in state.selections:
                    state.note_targets.append((note, "coding", other, None))
                    continue
                if other in codes:
                    state.note_targets.append((note, "code", state.code_refs[other], None))
                    continue
            self.report.drop("links", "coder has no links between elements", element.get("name"))

    def placed(
        self, note: Note, target: model.MemoTarget, ref: str | None, value: str | None
    ) -> Note:
        """The note on its target, with a selection resolved to its first coding (or to its
        document when it has none)."""
        if target == "coding" and ref in self.state.selections:
            codings, source = self.state.selections[ref]
            target, ref = ("coding", codings[0]) if codings else ("document", source)
        return Note(
            note.guid,
            note.body,
            note.title,
            target,
            ref,
            value,
            note.author,
            note.created_at,
            note.updated_at,
        )


def _repair(
    codes: list[CodeSpec], statuses: dict[str, str], report: ExchangeReport, path: str = ""
) -> None:
    """Active sibling codes need distinct names in coder (other programs allow repeats)."""
    seen: set[str] = set()
    for code in codes:
        status = statuses.get(guid_key(code.guid or ""), "active")
        if status == "active":
            base, number = code.name, 2
            while code.name.casefold() in seen:
                code.name, number = f"{base} ({number})", number + 1
            if code.name != base:
                report.notes.append(
                    f"a second code {base!r} under {path or 'the top level'} was renamed "
                    f"{code.name!r}"
                )
            seen.add(code.name.casefold())
        _repair(code.children, statuses, report, f"{path}/{code.name}" if path else code.name)
