"""Memos on the project, documents, participants, codes, codings and attribute values."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import select

from coder import model
from coder.errors import NotFoundError
from coder.storage import convert, schema
from coder.storage.base import TransactionBase
from coder.storage.schema import table_of

_TARGET_COLUMN = {
    "document": "document_id",
    "participant": "participant_id",
    "code": "code_id",
    "coding": "coding_id",
    "attribute": "attribute_id",
}


class MemosMixin(TransactionBase):
    def add_memo(
        self,
        target: model.MemoTarget,
        target_id: int | None,
        body: str,
        *,
        title: str = "",
        author_id: int | None = None,
        attribute_value: str | None = None,
    ) -> model.Memo:
        values: dict[str, Any] = {
            "target": target,
            "body": body,
            "title": title,
            "author_id": author_id,
            "attribute_value": attribute_value,
        }
        if target in _TARGET_COLUMN:
            values[_TARGET_COLUMN[target]] = target_id
        row = schema.MemoRow(**values)
        self.add_row(row)
        memo = _memo(row)
        self.log("memo.add", "memo", memo.id, {"target": target, "title": title})
        return memo

    def add_memos(self, target: model.MemoTarget, memos: Sequence[tuple[int, str]]) -> list[int]:
        """Untitled memos on many targets of one kind, (target id, body) each, as `add_memo`
        would add them one by one (a `memo.add` event each), in one insert."""
        if not memos:
            return []
        now = schema.utcnow()
        column = _TARGET_COLUMN[target]
        rows = [
            {
                "target": target,
                "body": body,
                "title": "",
                "author_id": None,
                "attribute_value": None,
                column: target_id,
                "created_at": now,
                "updated_at": now,
            }
            for target_id, body in memos
        ]
        ids = self.insert_rows(table_of(schema.MemoRow), rows)
        self.log_each("memo.add", "memo", [(i, {"target": target, "title": ""}) for i in ids])
        return ids

    def memos(
        self, target: model.MemoTarget | None = None, target_id: int | None = None
    ) -> list[model.Memo]:
        m = schema.MemoRow
        query = select(m).order_by(m.created_at, m.id)
        if target is not None:
            query = query.where(m.target == target)
            if target in _TARGET_COLUMN and target_id is not None:
                query = query.where(getattr(m, _TARGET_COLUMN[target]) == target_id)
        return [_memo(row) for row in self.session.scalars(query)]

    def memo(self, memo_id: int) -> model.Memo:
        row = self.session.get(schema.MemoRow, memo_id)
        if row is None:
            raise NotFoundError(f"no memo with id {memo_id}")
        return _memo(row)

    def edit_memo(self, memo_id: int, *, body: str | None = None, title: str | None = None) -> None:
        self.memo(memo_id)
        values: dict[str, Any] = {"updated_at": schema.utcnow()}
        if body is not None:
            values["body"] = body
        if title is not None:
            values["title"] = title
        self.update_row(table_of(schema.MemoRow), {"id": memo_id}, values)
        self.log("memo.edit", "memo", memo_id, {})

    def delete_memo(self, memo_id: int) -> None:
        self.memo(memo_id)
        memos = table_of(schema.MemoRow)
        self.delete_where(memos, memos.c.id == memo_id)
        self.log("memo.delete", "memo", memo_id, {})


def _memo(row: schema.MemoRow) -> model.Memo:
    target = cast(model.MemoTarget, row.target)
    column = _TARGET_COLUMN.get(target)
    return model.Memo(
        id=row.id,
        target=target,
        body=row.body,
        title=row.title,
        target_id=getattr(row, column) if column else None,
        attribute_value=row.attribute_value,
        author_id=row.author_id,
        created_at=convert.aware(row.created_at),
        updated_at=convert.aware(row.updated_at),
    )
