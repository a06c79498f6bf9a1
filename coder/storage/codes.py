"""The code tree and the codings that hang on it, as far as codebook editing needs them."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select, true

from coder import model
from coder.errors import ConflictError, NotFoundError
from coder.storage import changes, convert, schema
from coder.storage.base import TransactionBase, checked_name
from coder.storage.schema import table_of

LIVE = ("active", "split")


class CodesMixin(TransactionBase):
    def codes(self, statuses: tuple[str, ...] = LIVE) -> list[model.Code]:
        """Codes in tree order of their rows: by parent, then sibling position."""
        c = schema.CodeRow
        query = select(c).where(c.status.in_(statuses)).order_by(c.position, c.id)
        return [convert.code(row) for row in self.session.scalars(query)]

    def code_outline(self, statuses: tuple[str, ...] = LIVE) -> list[model.Code]:
        """The codes as `codes` gives them, with only what arranging them in a tree takes
        (name, parent, kind, status, place, guid); their definitions, examples, keywords,
        patterns and colours are left at their defaults. For tables, which name and group
        codes but never describe them: reading and parsing every code's text and lists cost
        a table of counts several times the few values it needs."""
        c = schema.CodeRow
        query = (
            select(c.id, c.guid, c.name, c.parent_id, c.kind, c.ident, c.status, c.position)
            .where(c.status.in_(statuses))
            .order_by(c.position, c.id)
        )
        return [
            model.Code(
                id=row[0],
                guid=row[1],
                name=row[2],
                parent_id=row[3],
                kind=row[4],
                ident=row[5],
                status=row[6],
                position=row[7],
            )
            for row in self._raw_rows(query)
        ]

    def codes_at(self, event_id: int) -> list[model.Code]:
        """Every code (any status) as it stood right after event `event_id`, rebuilt from
        today's rows by rewinding the change records of later events: the code table keeps
        no history of its own, the log does."""
        t = table_of(schema.CodeRow)
        rows = {row["id"]: row for row in changes.snapshot(self.session, t, true())}
        self.write_changes()
        records = self.session.scalars(
            select(schema.ChangeRow.record)
            .where(schema.ChangeRow.event_id > event_id)
            .order_by(schema.ChangeRow.id.desc())
        ).all()
        rows = changes.rewind(rows, [r for r in records if r.get("table") == t.name])
        codes = [convert.code(schema.CodeRow(**changes.restored(t, row))) for row in rows.values()]
        return sorted(codes, key=lambda c: (c.position, c.id))

    def code(self, code_id: int) -> model.Code:
        row = self.session.get(schema.CodeRow, code_id)
        if row is None:
            raise NotFoundError(f"no code with id {code_id}")
        self.session.refresh(row)
        return convert.code(row)

    def code_by_ident(self, ident: str) -> model.Code | None:
        row = self.session.scalar(select(schema.CodeRow).where(schema.CodeRow.ident == ident))
        return None if row is None else convert.code(row)

    def add_code(self, values: Mapping[str, Any], *, log: bool = True) -> model.Code:
        fields = dict(values)
        fields["name"] = checked_name(str(fields.get("name", "")), "code")
        fields.setdefault("guid", str(uuid.uuid4()))
        if "position" not in fields:
            c = schema.CodeRow
            parent = fields.get("parent_id")
            siblings = c.parent_id.is_(None) if parent is None else c.parent_id == parent
            last = self.session.scalar(select(func.max(c.position)).where(siblings))
            fields["position"] = 0 if last is None else last + 1
        row = schema.CodeRow(**fields)
        self.add_row(row)
        code = convert.code(row)
        if log:
            self.log("code.add", "code", code.id, {"name": code.name, "parent": code.parent_id})
        return code

    def edit_code(
        self, code: model.Code, values: Mapping[str, Any], *, seen_version: int | None = None
    ) -> model.Code:
        """Change a code's fields. `seen_version` is the version the editor read: if the code
        has moved on since, the edit is refused rather than merged blindly."""
        if "name" in values:
            values = {**values, "name": checked_name(str(values["name"]), "code")}
        current = self.code(code.id)
        expected = code.version if seen_version is None else seen_version
        if current.version != expected:
            raise ConflictError(
                f"code {current.name!r} was changed by someone else since you read it "
                f"(version {expected}, now {current.version}); reload and try again"
            )
        self.update_row(
            table_of(schema.CodeRow), {"id": code.id}, {**values, "version": current.version + 1}
        )
        return self.code(code.id)

    def coding_counts(self) -> dict[int, int]:
        """Codings per code (suggestions and rejected ones left out)."""
        c = schema.CodingRow
        rows = self.session.execute(
            select(c.code_id, func.count())
            .where(c.origin.not_in(("suggested", "rejected")))
            .group_by(c.code_id)
        )
        return {code_id: count for code_id, count in rows}

    def codings_of(self, code_id: int) -> int:
        c = schema.CodingRow
        return int(self.session.scalar(select(func.count()).where(c.code_id == code_id)) or 0)

    def move_codings(self, source: model.Code, target: model.Code) -> tuple[int, int]:
        """Give `source`'s codings to `target`. A coding `target` already has for the same
        coder and span is dropped instead of duplicated. Returns (moved, dropped)."""
        codings = table_of(schema.CodingRow)
        same = codings.alias("same")
        duplicate = (
            select(same.c.id)
            .where(
                same.c.code_id == target.id,
                same.c.document_id == codings.c.document_id,
                same.c.coder_id == codings.c.coder_id,
                same.c.start == codings.c.start,
                same.c.end == codings.c.end,
            )
            .exists()
        )
        dropped = self.delete_where(codings, (codings.c.code_id == source.id) & duplicate)
        moved = self.update_where(codings, codings.c.code_id == source.id, {"code_id": target.id})
        return moved, dropped

    def move_children(self, source: model.Code, target: model.Code) -> int:
        codes = table_of(schema.CodeRow)
        return self.update_where(codes, codes.c.parent_id == source.id, {"parent_id": target.id})

    def move_memos(self, source: model.Code, target: model.Code) -> int:
        memos = table_of(schema.MemoRow)
        return self.update_where(memos, memos.c.code_id == source.id, {"code_id": target.id})

    def delete_code(self, code: model.Code) -> None:
        """Delete a code with its codings and memos (copies kept for undo)."""
        for row_class, column in (
            (schema.MemoRow, "code_id"),
            (schema.CodingRow, "code_id"),
            (schema.DecisionRow, "code_id"),
        ):
            table = table_of(row_class)
            self.delete_where(table, table.c[column] == code.id)
        codes = table_of(schema.CodeRow)
        self.delete_where(codes, codes.c.id == code.id)
