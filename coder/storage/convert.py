"""ORM rows to domain dataclasses: nothing outside storage ever sees a row."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from coder import model
from coder.storage import schema


def aware(value: datetime) -> datetime:
    """SQLite returns naive datetimes; every timestamp we store is UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def coder(row: schema.CoderRow) -> model.Coder:
    return model.Coder(id=row.id, name=row.name, role=cast(model.CoderRole, row.role))


def code(row: schema.CodeRow) -> model.Code:
    return model.Code(
        id=row.id,
        guid=row.guid,
        name=row.name,
        parent_id=row.parent_id,
        kind=cast(model.CodeKind, row.kind),
        ident=row.ident,
        definition=row.definition,
        include=row.include,
        exclude=row.exclude,
        examples=tuple(row.examples or ()),
        source=row.source,
        color=row.color,
        key=row.key,
        keywords=tuple(row.keywords or ()),
        patterns=tuple(row.patterns or ()),
        status=cast(model.CodeStatus, row.status),
        merged_into_id=row.merged_into_id,
        position=row.position,
        version=row.version,
        exclusive=bool(row.exclusive),
    )


def document(row: schema.DocumentRow) -> model.Document:
    return model.Document(
        id=row.id,
        name=row.name,
        text=row.text,
        sha256=row.sha256,
        source_name=row.source_name,
        source_format=row.source_format,
        imported_at=aware(row.imported_at),
    )


def coding(row: schema.CodingRow) -> model.Coding:
    return model.Coding(
        id=row.id,
        document_id=row.document_id,
        code_id=row.code_id,
        coder_id=row.coder_id,
        start=row.start,
        end=row.end,
        origin=cast(model.CodingOrigin, row.origin),
        created_at=aware(row.created_at),
    )


def event(row: schema.EventRow) -> model.Event:
    data: dict[str, Any] = dict(row.data or {})
    return model.Event(
        id=row.id,
        at=aware(row.at),
        actor=row.actor,
        action=row.action,
        entity=row.entity,
        entity_id=row.entity_id,
        data=data,
        group=row.grp,
    )
