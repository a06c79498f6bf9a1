"""Attributes of documents and participants (site, role, period…), and their values."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import cast

from sqlalchemy import Table, bindparam, delete, insert, select
from sqlalchemy import text as sql_text
from sqlalchemy.sql.elements import TextClause

from coder import model
from coder.storage import changes, schema
from coder.storage.base import TransactionBase, checked_name
from coder.storage.schema import table_of


def values_table(scope: model.AttributeScope) -> Table:
    """The table of the values of a scope's attributes."""
    return table_of(
        schema.DocumentAttributeRow if scope == "document" else schema.ParticipantAttributeRow
    )


def owner_column(scope: model.AttributeScope) -> str:
    """The column of `values_table(scope)` naming the document or participant."""
    return "document_id" if scope == "document" else "participant_id"


def typed_value(value: str, number: float | None, type_: str) -> model.AttributeValue:
    """The value of a number attribute from its exact text (the float column, `number`, only
    sorts, and is empty for numbers too large for a float): a 17-digit identifier read back
    through a float would come back rounded."""
    if type_ == "number":
        parsed = model.number_value(value)
        if parsed is None and _WHOLE.fullmatch(value):
            return int(value)  # a whole number too long for a float, exact all the same
        return value if parsed is None else parsed
    return value


_WHOLE = re.compile(r"[+-]?\d{1,4000}")


def sortable_number(value: model.AttributeValue) -> float | None:
    """The value as a float for sorting, when it is a number a float can hold."""
    if not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


_ATTRIBUTE = table_of(schema.AttributeRow)
_ATTRIBUTES_NAMED = select(_ATTRIBUTE.c.id, _ATTRIBUTE.c.name, _ATTRIBUTE.c.type).where(
    _ATTRIBUTE.c.scope == bindparam("scope"),
    _ATTRIBUTE.c.name.in_(bindparam("names", expanding=True)),
)


def _set_known_values(table: str, owner: str) -> TextClause:
    """PostgreSQL: the values given (as arrays of names, types, texts and numbers) of the
    attributes of scope `scope` there are, of the same type or text, set for a new `owner`;
    gives the names it set and their attributes' ids."""
    return sql_text(
        "WITH found AS (SELECT a.id, v.name, v.value, v.number "
        "FROM unnest(CAST(:names AS text[]), CAST(:types AS text[]), CAST(:values AS text[]), "
        "CAST(:numbers AS float8[])) AS v (name, type, value, number) "
        "JOIN attribute a ON a.scope = :scope AND a.name = v.name "
        "AND (a.type = v.type OR a.type = 'text')), "
        f"added AS (INSERT INTO {table} ({owner}, attribute_id, value, number) "
        "SELECT :owner, id, value, number FROM found) "
        "SELECT name, id FROM found"
    )


_SET_KNOWN_VALUES = {
    "document": _set_known_values("document_attribute", "document_id"),
    "participant": _set_known_values("participant_attribute", "participant_id"),
}


class AttributesMixin(TransactionBase):
    def attributes(self, scope: model.AttributeScope | None = None) -> list[model.Attribute]:
        a = schema.AttributeRow
        # Plain rows: every table grouped by an attribute reads these first.
        query = select(a.id, a.scope, a.name, a.type).order_by(a.name)
        if scope is not None:
            query = query.where(a.scope == scope)
        return [
            model.Attribute(id=id_, scope=scope_, name=name, type=type_)
            for id_, scope_, name, type_ in self._raw_rows(query)
        ]

    def ensure_attribute(
        self, scope: model.AttributeScope, name: str, type_: model.AttributeType
    ) -> model.Attribute:
        """The attribute, created if new. A type clash widens it to text, which holds anything."""
        name = checked_name(name, "attribute")
        row = self.session.scalar(
            select(schema.AttributeRow).where(
                schema.AttributeRow.scope == scope, schema.AttributeRow.name == name
            )
        )
        if row is None:
            row = schema.AttributeRow(scope=scope, name=name, type=type_)
            self.add_row(row)
            self.log(
                "attribute.add", "attribute", row.id, {"scope": scope, "name": name, "type": type_}
            )
            return model.Attribute(id=row.id, scope=scope, name=name, type=type_)
        if row.type != type_ and row.type != "text":
            self.update_row(table_of(schema.AttributeRow), {"id": row.id}, {"type": "text"})
            self.log("attribute.retype", "attribute", row.id, {"before": row.type, "after": "text"})
            return model.Attribute(id=row.id, scope=scope, name=name, type="text")
        return model.Attribute(
            id=row.id, scope=scope, name=name, type=cast(model.AttributeType, row.type)
        )

    def ensure_attributes(
        self, scope: model.AttributeScope, types: Mapping[str, model.AttributeType]
    ) -> dict[str, model.Attribute]:
        """`ensure_attribute` for each name (in order), looking the known ones up at once."""
        names = {name: checked_name(name, "attribute") for name in types}
        found_rows = self.session.execute(
            _ATTRIBUTES_NAMED, {"scope": scope, "names": list(names.values())}
        )
        known = {row.name: row for row in found_rows}
        found: dict[str, model.Attribute] = {}
        for given, name in names.items():
            row = known.get(name)
            if row is None or (row.type != types[given] and row.type != "text"):
                found[given] = self.ensure_attribute(scope, name, types[given])
            else:
                kind = cast(model.AttributeType, row.type)
                found[given] = model.Attribute(id=row.id, scope=scope, name=name, type=kind)
        return found

    def set_attributes(
        self,
        scope: model.AttributeScope,
        owner_id: int,
        attributes: Mapping[str, tuple[model.AttributeValue, model.AttributeType]],
        *,
        new_owner: bool = False,
    ) -> None:
        """`ensure_attributes` for these names and types, then `set_attribute_values` of
        these values. On PostgreSQL, for an owner added in this transaction, the values of
        the attributes there are already (of a type that holds them) go in one statement
        with their look-up: one round trip where an import made two per document and
        participant. The others go the usual way."""
        rest = dict(attributes)
        if rest and new_owner and self._on_postgres():
            names = {given: checked_name(given, "attribute") for given in rest}
            if len(set(names.values())) == len(names):
                values = [rest[given] for given in names]
                found = self.session.execute(
                    _SET_KNOWN_VALUES[scope],
                    {
                        "owner": owner_id,
                        "scope": scope,
                        "names": list(names.values()),
                        "types": [type_ for _, type_ in values],
                        "values": [model.value_text(value) for value, _ in values],
                        "numbers": [sortable_number(value) for value, _ in values],
                    },
                ).all()
                written = {name for name, _ in found}
                # Recorded like any insert, so that undoing the import removes the values
                # before the attributes it added, and redo puts them back.
                table, owner = values_table(scope), owner_column(scope)
                keys = [{owner: owner_id, "attribute_id": id_} for _, id_ in found]
                if keys:
                    self._pending.append(changes.insert_record(table, keys))
                rest = {given: rest[given] for given, name in names.items() if name not in written}
        if not rest:
            return
        known = self.ensure_attributes(scope, {key: type_ for key, (_, type_) in rest.items()})
        self.set_attribute_values(
            scope,
            owner_id,
            [(known[key], value) for key, (value, _) in rest.items()],
            new_owner=new_owner,
        )

    def owner_attribute_values(self, scope: model.AttributeScope, owner_id: int) -> dict[str, str]:
        """Attribute name → value (as text) of one document or participant."""
        a = table_of(schema.AttributeRow)
        table, owner = values_table(scope), owner_column(scope)
        rows = self.session.execute(
            select(a.c.name, table.c.value)
            .join(a, a.c.id == table.c.attribute_id)
            .where(table.c[owner] == owner_id)
        )
        return {name: value for name, value in rows}

    def set_attribute_values(
        self,
        scope: model.AttributeScope,
        owner_id: int,
        values: Sequence[tuple[model.Attribute, model.AttributeValue]],
        *,
        new_owner: bool = False,
    ) -> None:
        """`set_attribute_value` for several attributes of one owner, in two statements; in
        one for an owner added in this transaction (`new_owner`), which has no values yet."""
        if not values:
            return
        # The Core table, not the ORM class: ORM-enabled statements cost several times more.
        table, owner = values_table(scope), owner_column(scope)
        # One value per attribute, the last given, as successive single sets would leave.
        last = {attribute.id: (attribute, value) for attribute, value in values}
        ids = list(last)
        if not new_owner:
            self.delete_where(table, (table.c[owner] == owner_id) & table.c.attribute_id.in_(ids))
        # As plain rows to the driver (one INSERT on PostgreSQL): SQLAlchemy's executemany
        # cost more than the rows, written for every file an import reads. Recorded, so that
        # undo removes them before any attribute added with them.
        self.insert_values(
            table,
            (owner, "attribute_id", "value", "number"),
            [
                (owner_id, attribute.id, model.value_text(value), sortable_number(value))
                for attribute, value in last.values()
            ],
        )

    def set_attribute_value(
        self, attribute: model.Attribute, owner_id: int, value: model.AttributeValue
    ) -> None:
        table, owner = values_table(attribute.scope), owner_column(attribute.scope)
        number = sortable_number(value)
        text = model.value_text(value)
        self.session.execute(
            delete(table).where(table.c[owner] == owner_id, table.c.attribute_id == attribute.id)
        )
        self.session.execute(
            insert(table),
            [{owner: owner_id, "attribute_id": attribute.id, "value": text, "number": number}],
        )

    def change_attribute_values(
        self, attribute: model.Attribute, values: Mapping[int, model.AttributeValue | None]
    ) -> int:
        """Set (or, for None, remove) the attribute's value for each owner id, recording the
        changes so that undo restores the values there were. Returns how many changed."""
        table, owner = values_table(attribute.scope), owner_column(attribute.scope)
        ids = list(values)
        before = {
            row[owner]: row["value"]
            for row in self.session.execute(
                select(table).where(table.c[owner].in_(ids), table.c.attribute_id == attribute.id)
            ).mappings()
        }
        wanted = {i: None if v is None else model.value_text(v) for i, v in values.items()}
        changed = [i for i in ids if before.get(i) != wanted[i]]
        if not changed:
            return 0
        self.delete_where(
            table, table.c[owner].in_(changed) & (table.c.attribute_id == attribute.id)
        )
        rows = []
        for i in changed:
            value = values[i]
            if value is not None:
                number = sortable_number(value)
                rows.append(
                    {owner: i, "attribute_id": attribute.id, "value": wanted[i], "number": number}
                )
        self.insert_rows(table, rows)
        return len(changed)
