"""A project, read in one transaction, as `ProjectData` ready to be written.

GUIDs are stable from one export to the next: codes keep their own; documents take one derived
from their content, participants and coders from their names, codings from what they are (the
same document, code, coder and span can be coded only once). Suggestions that were never
accepted are proposals, not codings, and stay behind (reported).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from coder import model
from coder.codebook.load import spec_tree
from coder.codebook.spec import CodebookSpec
from coder.codebook.tree import CodeTree
from coder.exchange.model import (
    Case,
    Coding,
    Note,
    ProjectData,
    Reconciliation,
    Segment,
    Source,
    User,
    derived_guid,
    guid_key,
)
from coder.exchange.report import ExchangeReport
from coder.storage import Transaction

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
EXPORTED_ORIGINS = ("manual", "accepted", "reconciled", "imported")


def _codebook(tx: Transaction, data: ProjectData) -> dict[int, str]:
    """Every code, whatever its status (codings may hang on retired or split codes); returns
    code id -> GUID."""
    tree = CodeTree(tx.codes(model.CODE_STATUSES))
    guids = {code.id: code.guid for code in tree.codes}

    for code in tree.codes:
        if code.status != "active":
            merged = guids.get(code.merged_into_id) if code.merged_into_id else None
            data.code_status[guid_key(code.guid)] = (code.status, merged)
    data.codebook = CodebookSpec(data.title, spec_tree(tree))
    return guids


def gather(tx: Transaction, report: ExchangeReport) -> ProjectData:
    about = tx.setting("codebook")
    created = tx.setting("created_at")
    data = ProjectData(
        title=str(tx.setting("title", "") or "Untitled project"),
        codebook=CodebookSpec("", []),
        phase=tx.setting("phase", "open"),
        codebook_about=about if isinstance(about, dict) else None,
        created_at=datetime.fromisoformat(created) if created else None,
    )
    code_guids = _codebook(tx, data)
    users = {c.id: User(derived_guid("coder", c.name), c.name, c.role) for c in tx.coders()}
    data.users = list(users.values())
    people = {p.id: derived_guid("participant", p.name) for p in tx.participants()}
    for attribute in tx.attributes():
        data.attributes[(attribute.scope, attribute.name)] = attribute.type

    sources: dict[int, Source] = {}
    for document, encoding in tx.documents_with_encoding():
        sources[document.id] = Source(
            guid=derived_guid("document", document.sha256),
            name=document.name,
            text=document.text,
            source_name=document.source_name,
            source_format=document.source_format,
            encoding=encoding,
            created_at=document.imported_at,
            segments=[],
        )
    data.sources = list(sources.values())
    astral = [s.name for s in data.sources if _ASTRAL.search(s.text)]
    if astral:
        report.notes.append(
            f"{len(astral)} document(s) hold characters beyond U+FFFF, such as emoji (e.g. "
            f"{astral[0]!r}): positions count them as one, as the standard says, but programs "
            "that count UTF-16 units (NVivo for Windows) may place codings after them later"
        )
    for doc_id, attribute, value in tx.attribute_values("document"):
        sources[doc_id].values[attribute.name] = value
    for segment in tx.all_segments():
        segments = sources[segment.document_id].segments
        assert segments is not None
        segments.append(
            Segment(
                kind=segment.kind,
                start=segment.start,
                end=segment.end,
                speaker=segment.speaker,
                speaker_role=segment.speaker_role,
                participant=people.get(segment.participant_id)
                if segment.participant_id is not None
                else None,
                started_at=segment.started_at,
                ended_at=segment.ended_at,
            )
        )

    cases = {person.id: Case(people[person.id], person.name) for person in tx.participants()}
    for person_id, attribute, value in tx.attribute_values("participant"):
        cases[person_id].values[attribute.name] = value
    for doc_id, person_id, speaker in tx.participant_links():
        sources[doc_id].people.append((people[person_id], speaker))
        cases[person_id].sources.append(sources[doc_id].guid)
    data.cases = list(cases.values())

    codings = _codings(tx, sources, code_guids, users, report)
    _memos(tx, data, sources, people, code_guids, codings, users, report)
    data.reconciliation = _reconciliation(tx, sources, code_guids, codings)
    if data.reconciliation.decisions:
        report.notes.append(
            f"{len(data.reconciliation.decisions)} reconciliation decisions travel in coder's "
            "own part of the file: other programs see the consensus codings (coder "
            "'consensus'), not who decided what and why"
        )
    return data


def _reconciliation(
    tx: Transaction,
    sources: dict[int, Source],
    code_guids: dict[int, str],
    codings: dict[int, str],
) -> Reconciliation:
    found = Reconciliation()
    index: dict[int, int] = {}
    for row in tx.decisions_frame().to_dict("records"):
        index[int(row["id"])] = len(found.decisions)
        found.decisions.append(
            {
                "source": sources[int(row["document_id"])].guid,
                "code": guid_key(code_guids[int(row["code_id"])]),
                "start": int(row["start"]),
                "end": int(row["end"]),
                "unit": str(row["unit"]),
                "coders": list(row["coders"] or []),
                "choice": str(row["choice"]),
                "rationale": str(row["rationale"] or ""),
                "decided_by": row["decided_by"] if isinstance(row["decided_by"], str) else None,
                "decided_at": _iso(row["decided_at"]),
            }
        )
    for coding_id, decision_id in tx.coding_decisions().items():
        if coding_id in codings and decision_id in index:
            found.decided[codings[coding_id]] = index[decision_id]
    for coding_id, source_id in tx.sources_frame().itertuples(index=False):
        if coding_id in codings and source_id in codings:
            found.sources.append((codings[coding_id], codings[source_id]))
    return found


def _codings(
    tx: Transaction,
    sources: dict[int, Source],
    code_guids: dict[int, str],
    users: dict[int, User],
    report: ExchangeReport,
) -> dict[int, str]:
    """Codings onto their sources; returns coding id -> GUID for the memos."""
    guids: dict[int, str] = {}
    for coding in tx.all_codings():
        source = sources[coding.document_id]
        if coding.origin not in EXPORTED_ORIGINS:
            report.drop(
                f"{coding.origin} codings",
                "suggestions count nowhere until accepted, so other programs must not "
                "see them as codings",
                source.name,
            )
            continue
        code, user = code_guids[coding.code_id], users[coding.coder_id]
        guid = derived_guid(
            "coding", source.guid, guid_key(code), user.name, coding.start, coding.end
        )
        guids[coding.id] = guid
        source.codings.append(
            Coding(
                guid=guid,
                code=guid_key(code),
                user=user.guid,
                start=coding.start,
                end=coding.end,
                origin=coding.origin,
                created_at=coding.created_at,
            )
        )
    return guids


def _memos(
    tx: Transaction,
    data: ProjectData,
    sources: dict[int, Source],
    people: dict[int, str],
    code_guids: dict[int, str],
    codings: dict[int, str],
    users: dict[int, User],
    report: ExchangeReport,
) -> None:
    attributes = {a.id: a.name for a in tx.attributes()}
    by_target: dict[model.MemoTarget, dict[int, str]] = {
        "document": {doc_id: source.guid for doc_id, source in sources.items()},
        "participant": people,
        "code": {code_id: guid_key(guid) for code_id, guid in code_guids.items()},
        "coding": codings,
        "attribute": attributes,
    }
    for memo in tx.memos():
        target: model.MemoTarget = memo.target
        ref: str | None = None
        if memo.target != "project":
            assert memo.target_id is not None
            ref = by_target[memo.target].get(memo.target_id)
        if memo.target == "coding" and ref is None:
            report.drop(
                "memos on suggestions",
                "the suggestion they are on is not exported",
                memo.title or memo.body[:40],
            )
            continue
        data.notes.append(
            Note(
                guid=derived_guid("memo", memo.id, memo.created_at),
                body=memo.body,
                title=memo.title,
                target=target,
                ref=ref,
                value=memo.attribute_value,
                author=users[memo.author_id].guid if memo.author_id in users else None,
                created_at=memo.created_at,
                updated_at=memo.updated_at,
            )
        )


def _iso(value: Any) -> str:
    moment: datetime = value.to_pydatetime() if hasattr(value, "to_pydatetime") else value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat()
