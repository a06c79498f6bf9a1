"""Setting attributes after import: a classification made during analysis (strong or weaker
partnership sites) becomes a column every `--by`, `--split` and `--where` can use at once.

Each change is one transaction with its log entry, so `coder undo` restores the values there
were. Values are typed as on import: a column of plain numbers is a number, of ISO dates a date,
anything else text; a value that does not fit an existing attribute's type widens it to text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from coder import model
from coder.attributes.resolve import speakers
from coder.attributes.where import Where, select
from coder.errors import InputError, NotFoundError, UsageError
from coder.storage import Transaction

# Names a citation template or a filter already gives a meaning to.
RESERVED = ("document", "participant", "speaker", "coder", "code")


@dataclass(frozen=True)
class Targets:
    """Whose attribute to change: named documents or participants, those `where` keeps, or
    every one of the scope (`everyone`)."""

    scope: model.AttributeScope = "document"
    names: Sequence[str] = ()
    where: Where | None = None
    everyone: bool = False


@dataclass
class AttributesImport:
    scope: model.AttributeScope
    key: str = "document"  # the first column: document, participant or a document attribute
    rows: int = 0
    changed: dict[str, int] = field(default_factory=dict)  # attribute -> values changed


def check_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise UsageError("an attribute needs a name")
    if any(c in name for c in ":=,") or name.casefold() in RESERVED:
        raise UsageError(
            f"{name!r} cannot name an attribute: avoid ':', '=' and ',', and the names "
            f"{', '.join(RESERVED)}, which citations and filters already use"
        )
    return name


def owners(tx: Transaction, targets: Targets) -> list[int]:
    """The ids of the documents or participants `targets` names."""
    if targets.scope not in model.ATTRIBUTE_SCOPES:
        raise UsageError(f"scope {targets.scope!r} is not document or participant")
    chosen = sum([bool(targets.names), bool(targets.where), targets.everyone])
    if chosen != 1:
        raise UsageError(
            f"say which {targets.scope}s, one way: by name, with --where ATTR=VALUE, or --all"
        )
    if targets.scope == "document":
        ids = {d.name: d.id for d in tx.document_summaries()}
    else:
        ids = {p.name: p.id for p in tx.participants()}
    if targets.names:
        unknown = [n for n in targets.names if n not in ids]
        if unknown:
            raise NotFoundError(
                f"no {targets.scope} named {unknown[0]!r}; see `coder documents`"
                if targets.scope == "document"
                else f"no participant named {unknown[0]!r}; see `coder attributes list --values`"
            )
        return sorted({ids[n] for n in targets.names})
    if targets.everyone:
        return sorted(ids.values())
    who_speaks = speakers(tx)
    selection = select(tx, targets.where, who_speaks)
    # A filter of the other scope keeps those who speak in (or the documents of) what it keeps.
    pairs = who_speaks[
        selection.keeps_document(who_speaks) & selection.keeps_participant(who_speaks)
    ]
    if targets.scope == "document":
        if selection.participants is None:
            return sorted(selection.documents or ())
        return sorted(int(i) for i in set(pairs["document"]))
    if selection.documents is None:
        return sorted(selection.participants or ())
    return sorted(int(i) for i in set(pairs["participant"]))


def change(
    tx: Transaction,
    name: str,
    raw: str | None,
    targets: Targets,
) -> int:
    """Set `name` to `raw` (None: remove it) for the targets; returns how many changed."""
    name = check_name(name)
    ids = owners(tx, targets)
    if not ids:
        raise UsageError(f"no {targets.scope} matches; nothing was changed")
    return _write(tx, targets.scope, name, {i: raw for i in ids})


def _write(
    tx: Transaction, scope: model.AttributeScope, name: str, raw: Mapping[int, str | None]
) -> int:
    present = [v for v in raw.values() if v is not None]
    existing = {(a.scope, a.name): a for a in tx.attributes()}.get((scope, name))
    if not present:
        if existing is None:
            raise NotFoundError(f"no {scope} attribute named {name!r}")
        attribute = existing
        values: dict[int, model.AttributeValue | None] = dict.fromkeys(raw)
    else:
        from coder.ingest.manifest import convert_value, infer_type

        type_ = infer_type(present)
        attribute = tx.ensure_attribute(scope, name, type_)
        values = {
            i: None if v is None else convert_value(v.strip(), attribute.type)
            for i, v in raw.items()
        }
    changed = tx.change_attribute_values(attribute, values)
    tx.log(
        "attribute.unset" if not present else "attribute.set",
        "attribute",
        attribute.id,
        {"scope": scope, "name": name, "values": sorted(set(present)), "changed": changed},
    )
    return changed


def import_csv(tx: Transaction, path: Path) -> AttributesImport:
    """A table whose first column is `document` or `participant` (names), or a document
    attribute such as `site` (a row then stands for every document with that value: a site
    classification is one row per site), and whose other columns are attributes; an empty cell
    leaves that value as it is. Every row is checked before anything is written."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read it as UTF-8 text ({error})") from None
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader, [])]
    key = header[0] if header else ""
    scope: model.AttributeScope = "participant" if key == "participant" else "document"
    owners_of = _owners_by(tx, key, path)
    names = [check_name(h) for h in header[1:]]
    if len(set(names)) != len(names) or key in names:
        raise InputError(f"{path}, line 1: an attribute column is repeated")
    columns: dict[str, dict[int, str | None]] = {n: {} for n in names}
    result = AttributesImport(scope, key)
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise InputError(f"{path}, line {line}: more cells than columns")
        owner = row[0].strip()
        if owner not in owners_of:
            what = scope if key in model.ATTRIBUTE_SCOPES else f"document with {key}"
            raise InputError(f"{path}, line {line}: no {what} named {owner!r}")
        for name, cell in zip(names, row[1:], strict=False):
            if cell.strip():
                columns[name].update(dict.fromkeys(owners_of[owner], cell.strip()))
        result.rows += 1
    for name, values in columns.items():
        if values:
            result.changed[name] = _write(tx, scope, name, values)
    return result


def _owners_by(tx: Transaction, key: str, path: Path) -> dict[str, list[int]]:
    """What a row's first cell names: a document or participant by name, or (with a document
    attribute as the first column) the documents with that value of it."""
    if key == "document":
        return {d.name: [d.id] for d in tx.document_summaries()}
    if key == "participant":
        return {p.name: [p.id] for p in tx.participants()}
    documents = {a.name for a in tx.attributes() if a.scope == "document"}
    if key not in documents:
        known = ", ".join(sorted(documents, key=str.casefold)) or "none yet"
        raise InputError(
            f"{path}, line 1: the first column must be 'document' or 'participant' (names), or a "
            f"document attribute whose value each row stands for ({known}); then one column "
            "per attribute"
        )
    column = tx.attributes_frame("document")[key].dropna()
    found: dict[str, list[int]] = {}
    for document, value in zip(column.index.tolist(), column.tolist(), strict=True):
        found.setdefault(str(value), []).append(int(document))
    return found


def table(tx: Transaction, *, lists: bool = False) -> pd.DataFrame:
    """Every attribute: scope, name, type, how many have a value, and its values (joined by
    commas, or with `lists` as a list per attribute, for a reader that lays them out)."""
    rows = []
    for attribute in tx.attributes():
        present = tx.attribute_series(attribute.scope, attribute.name)
        if attribute.type == "number":  # in numeric order: 2 before 10
            values = [model.value_text(v) for v in sorted(set(present))]
        else:
            values = sorted({str(v) for v in present}, key=str.casefold)
        rows.append(
            {
                "scope": attribute.scope,
                "name": attribute.name,
                "type": attribute.type,
                "with a value": len(present),
                "values": values if lists else ", ".join(values),
            }
        )
    return pd.DataFrame(rows, columns=["scope", "name", "type", "with a value", "values"])
