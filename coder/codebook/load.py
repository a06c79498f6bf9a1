"""Loading a codebook into a project, and exporting the project's codebook.

Loading maps each code of the file onto the project's codes by identity, so that a newer
version of a codebook updates the codes already there instead of duplicating them: first by
the codebook's stable `id`, then by REFI-QDA guid, then by path (parent and name). Codes of
the project that the file no longer has are kept, with their codings, and reported: loading
never drops a coding.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from coder import model
from coder.codebook.spec import CodebookSpec, CodeSpec
from coder.codebook.tree import CodeTree
from coder.errors import ConflictError
from coder.storage import Transaction

# A fixed namespace, so that the same codebook id always gives the same guid.
NAMESPACE = uuid.UUID("6f0c1d2e-5b7a-4c3d-9e8f-0a1b2c3d4e5f")
FIELDS = (
    "kind",
    "definition",
    "include",
    "exclude",
    "examples",
    "source",
    "color",
    "keywords",
    "patterns",
    "exclusive",
)


@dataclass
class LoadReport:
    title: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    kept: list[str] = field(default_factory=list)  # in the project, not in the file

    def summary(self) -> str:
        parts = [f"{len(self.added)} added", f"{len(self.updated)} updated"]
        parts.append(f"{self.unchanged} unchanged")
        if self.kept:
            parts.append(f"{len(self.kept)} kept that the file does not have")
        return ", ".join(parts)


def guid_for(code: CodeSpec, path: str) -> str:
    if code.guid:
        return code.guid
    return str(uuid.uuid5(NAMESPACE, code.id or path))


def _values(code: CodeSpec) -> dict[str, Any]:
    return {
        "kind": code.kind,
        "definition": code.definition,
        "include": code.include,
        "exclude": code.exclude,
        "examples": list(code.examples),
        "source": code.source,
        "color": code.color.lower() if code.color else None,
        "keywords": list(code.keywords),
        "patterns": [list(p) for p in code.patterns],
        "exclusive": code.exclusive,
    }


def _current(code: model.Code) -> dict[str, Any]:
    return {
        "kind": code.kind,
        "definition": code.definition,
        "include": code.include,
        "exclude": code.exclude,
        "examples": list(code.examples),
        "source": code.source,
        "color": code.color,
        "keywords": list(code.keywords),
        "patterns": [list(p) for p in code.patterns],
        "exclusive": code.exclusive,
    }


def load(tx: Transaction, spec: CodebookSpec) -> LoadReport:
    report = LoadReport(spec.title)
    everything = tx.codes(model.CODE_STATUSES)
    by_ident = {c.ident: c for c in everything if c.ident}
    by_guid = {c.guid: c for c in everything}
    live = CodeTree(tx.codes())
    mapped: dict[int, model.Code] = {}  # id(CodeSpec) -> project code
    keys: list[tuple[model.Code, str | None]] = []
    for visit in spec.walk():
        code = visit.code
        parent = mapped[id(visit.parent)] if visit.parent is not None else None
        parent_id = parent.id if parent else None
        existing = (by_ident.get(code.id) if code.id else None) or by_guid.get(
            guid_for(code, visit.path)
        )
        if existing is None:
            existing = (
                live.find_child(parent, code.name)
                if parent is None or parent.id in live.by_id
                else None
            )
        values = _values(code)
        if existing is None:
            created = tx.add_code(
                {
                    "name": code.name,
                    "parent_id": parent_id,
                    "ident": code.id,
                    "guid": guid_for(code, visit.path),
                    **values,
                },
                log=False,
            )
            report.added.append(visit.path)
            mapped[id(code)] = created
            keys.append((created, code.key))
            continue
        changes = {k: v for k, v in values.items() if _current(existing)[k] != v}
        if existing.name != code.name:
            changes["name"] = code.name
        if existing.parent_id != parent_id:
            changes["parent_id"] = parent_id
        if code.id and existing.ident != code.id:
            changes["ident"] = code.id
        if existing.status != "active":
            changes["status"] = "active"
        if changes:
            existing = tx.edit_code(existing, changes)
            report.updated.append(visit.path)
        else:
            report.unchanged += 1
        mapped[id(code)] = existing
        keys.append((existing, code.key))
    _assign_keys(tx, keys, everything)
    seen = {c.id for c in mapped.values()}
    tree = CodeTree(tx.codes())
    report.kept = [tree.path(c) for c in tree.codes if c.id not in seen]
    tx.log(
        "codebook.load",
        "codebook",
        None,
        {
            "title": spec.title,
            "added": len(report.added),
            "updated": len(report.updated),
            "kept": len(report.kept),
        },
    )
    tx.set_setting(
        "codebook",
        {
            "title": spec.title,
            "version": spec.version,
            "source": spec.source,
            "description": spec.description,
        },
    )
    return report


def _assign_keys(
    tx: Transaction, wanted: list[tuple[model.Code, str | None]], everything: list[model.Code]
) -> None:
    """Give codes their keys in two passes, so that codes can swap keys; refuse a key that a
    code outside the file holds."""
    ours = {code.id for code, _ in wanted}
    held = {c.key: c for c in everything if c.key and c.id not in ours and c.status == "active"}
    for code, key in wanted:
        if key and key in held:
            raise ConflictError(
                f"key {key!r} of {code.name!r} is already the shortcut of {held[key].name!r}, "
                "which the codebook file does not have; change one of them"
            )
    changing = [(code, key) for code, key in wanted if tx.code(code.id).key != key]
    for code, _ in changing:
        if tx.code(code.id).key is not None:
            tx.edit_code(tx.code(code.id), {"key": None})
    for code, key in changing:
        if key is not None:
            tx.edit_code(tx.code(code.id), {"key": key})


def spec_tree(tree: CodeTree) -> list[CodeSpec]:
    """The codes of `tree` as specs (the format-neutral form files are written from)."""

    def spec_of(code: model.Code) -> CodeSpec:
        return CodeSpec(
            name=code.name,
            kind=code.kind,
            id=code.ident,
            definition=code.definition,
            include=code.include,
            exclude=code.exclude,
            examples=list(code.examples),
            source=code.source,
            color=code.color,
            key=code.key,
            keywords=list(code.keywords),
            patterns=[list(p) for p in code.patterns],
            exclusive=code.exclusive,
            children=[spec_of(child) for child in tree.children(code)],
            guid=code.guid,
        )

    return [spec_of(root) for root in tree.roots()]


def export(tx: Transaction) -> CodebookSpec:
    """The project's active codebook as a spec, for writing to YAML, QDC, Markdown or LaTeX."""
    tree = CodeTree(tx.codes(("active",)))
    about = tx.setting("codebook", {}) or {}

    return CodebookSpec(
        title=str(about.get("title") or tx.setting("title", "Codebook")),
        codes=spec_tree(tree),
        version=about.get("version"),
        description=str(about.get("description") or ""),
        source=str(about.get("source") or ""),
    )
