"""Everything a project holds, in a form two projects can be compared by: names and paths
instead of row ids, which differ between projects."""

from __future__ import annotations

from typing import Any

from coder import Project, model
from coder.codebook.tree import CodeTree


def snapshot(project: Project) -> dict[str, Any]:
    with project._store.read() as tx:
        documents = {d.id: d for d, _ in tx.documents_with_encoding()}
        encodings = {d.id: e for d, e in tx.documents_with_encoding()}
        people = {p.id: p.name for p in tx.participants()}
        tree = CodeTree(tx.codes(model.CODE_STATUSES))
        coders = {c.id: c for c in tx.coders()}
        attributes = {a.id: a for a in tx.attributes()}
        codings = tx.all_codings()

        def path(code_id: int | None) -> str | None:
            return None if code_id is None else tree.path(tree.by_id[code_id])

        def coding_key(coding_id: int) -> tuple[Any, ...]:
            coding = next(c for c in codings if c.id == coding_id)
            return (
                documents[coding.document_id].name,
                path(coding.code_id),
                coders[coding.coder_id].name,
                coding.start,
                coding.end,
            )

        def memo_target(memo: model.Memo) -> tuple[Any, ...]:
            if memo.target == "document":
                return ("document", documents[memo.target_id or 0].name)
            if memo.target == "participant":
                return ("participant", people[memo.target_id or 0])
            if memo.target == "code":
                return ("code", path(memo.target_id))
            if memo.target == "coding":
                return ("coding", coding_key(memo.target_id or 0))
            if memo.target == "attribute":
                return ("attribute", attributes[memo.target_id or 0].name, memo.attribute_value)
            return ("project",)

        decisions = {
            int(row["id"]): (
                documents[int(row["document_id"])].name,
                path(int(row["code_id"])),
                int(row["start"]),
                int(row["end"]),
                row["unit"],
                tuple(row["coders"]),
                row["choice"],
                row["rationale"],
                row["decided_by"],
                str(row["decided_at"]),
            )
            for row in tx.decisions_frame().to_dict("records")
        }
        decided = tx.coding_decisions()
        return {
            "decisions": sorted(decisions.values()),
            "decided": sorted(
                (coding_key(coding), decisions[decision]) for coding, decision in decided.items()
            ),
            "reconciled_from": sorted(
                (coding_key(int(a)), coding_key(int(b)))
                for a, b in tx.sources_frame().itertuples(index=False)
            ),
            "title": tx.setting("title"),
            "phase": tx.setting("phase"),
            "codebook": tx.setting("codebook"),
            "documents": sorted(
                (
                    d.name,
                    d.text,
                    d.sha256,
                    d.source_name,
                    d.source_format,
                    encodings[d.id],
                )
                for d in documents.values()
            ),
            "segments": sorted(
                (
                    documents[s.document_id].name,
                    s.kind,
                    s.start,
                    s.end,
                    s.speaker or "",
                    s.speaker_role or "",
                    people.get(s.participant_id or 0, ""),
                    s.started_at or -1.0,
                    s.ended_at or -1.0,
                )
                for s in tx.all_segments()
            ),
            "participants": sorted(people.values()),
            "links": sorted(
                (documents[d].name, people[p], speaker or "")
                for d, p, speaker in tx.participant_links()
            ),
            "attributes": sorted((a.scope, a.name, a.type) for a in attributes.values()),
            "values": sorted(
                (scope, name_of(owner, scope, documents, people), a.name, str(value))
                for scope in model.ATTRIBUTE_SCOPES
                for owner, a, value in tx.attribute_values(scope)
            ),
            "codes": [
                (
                    tree.path(code),
                    depth,
                    code.guid,
                    code.kind,
                    code.ident,
                    code.definition,
                    code.include,
                    code.exclude,
                    code.examples,
                    code.color,
                    code.key,
                    code.keywords,
                    code.patterns,
                    code.status,
                    path(code.merged_into_id),
                )
                for code, depth in tree.walk()
            ],
            "coders": sorted((c.name, c.role) for c in coders.values()),
            "codings": sorted(
                (*coding_key(c.id), c.origin, c.created_at.isoformat()) for c in codings
            ),
            "memos": sorted(
                (
                    memo_target(m),
                    m.title,
                    m.body,
                    coders[m.author_id].name if m.author_id else "",
                    m.created_at.isoformat() if m.created_at else "",
                    m.updated_at.isoformat() if m.updated_at else "",
                )
                for m in tx.memos()
            ),
        }


def name_of(
    owner: int,
    scope: str,
    documents: dict[int, model.Document],
    people: dict[int, str],
) -> str:
    return documents[owner].name if scope == "document" else people[owner]
