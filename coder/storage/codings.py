"""Codings: adding, removing, and reading them as tables for retrieval and analysis."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, and_, bindparam, func, literal, select, union_all

from coder import model
from coder.errors import NotFoundError
from coder.storage import convert, schema
from coder.storage.attributes import owner_column, values_table
from coder.storage.base import TransactionBase
from coder.storage.schema import table_of

if TYPE_CHECKING:
    import pandas as pd
    from sqlalchemy.sql.elements import BindParameter

SpanKey = tuple[int, int, int, int, int]


def _typed(kind: str, value: Any, number: Any) -> Any:
    """A stored value as its attribute's type gives it: numbers as int when whole, as they
    were given."""
    if kind == "number" and number is not None:
        return int(number) if float(number).is_integer() else number
    return value


# Suggestions count nowhere until accepted; rejected ones are kept only to not suggest again.
COUNTED = ("manual", "accepted", "reconciled", "imported")

CODING_COLUMNS = [
    "id",
    "document_id",
    "document",
    "code_id",
    "coder_id",
    "coder",
    "start",
    "end",
    "origin",
    "created_at",
]
# The columns `add_coding_spans` writes, in the order of its tuples.
_SPAN_COLUMNS = (
    "id",
    "document_id",
    "document_length",
    "code_id",
    "coder_id",
    "start",
    "end",
    "origin",
)
# Columns that are whole numbers in every row: a table of only these is read as numbers.
_INTEGER_COLUMNS = {"id", "document_id", "code_id", "coder_id", "start", "end"}


class CodingsMixin(TransactionBase):
    def add_codings(self, rows: Sequence[Mapping[str, Any]]) -> tuple[dict[SpanKey, int], int]:
        """Insert codings, skipping exact duplicates (same document, code, coder and span,
        already stored or repeated in `rows`). Returns ({span key: new id}, number skipped),
        span keys being (document_id, code_id, coder_id, start, end)."""
        wanted: dict[SpanKey, Mapping[str, Any]] = {}
        for row in rows:
            key = (row["document_id"], row["code_id"], row["coder_id"], row["start"], row["end"])
            wanted.setdefault(key, row)
        fresh_keys = self._not_stored(wanted)
        lengths = self._lengths({k[0] for k in fresh_keys})
        fresh = [
            {"origin": "manual", **wanted[key], "document_length": lengths[key[0]]}
            for key in fresh_keys
        ]
        ids = self.insert_rows(table_of(schema.CodingRow), fresh)
        return dict(zip(fresh_keys, ids, strict=True)), len(rows) - len(ids)

    def add_coding_spans(
        self, keys: Sequence[SpanKey], origin: str
    ) -> tuple[dict[SpanKey, int], int]:
        """`add_codings` for codings that are a span key and one origin each (an import's
        rows), given as tuples: a dictionary per row, built and taken apart again, cost more
        than inserting the row. Returns what `add_codings` returns."""
        fresh_keys = self._not_stored(dict.fromkeys(keys))
        if not fresh_keys:
            return {}, len(keys)
        lengths = self._lengths({k[0] for k in fresh_keys})
        table = table_of(schema.CodingRow)
        ids = self.new_ids(table, len(fresh_keys))
        self.insert_values(
            table,
            _SPAN_COLUMNS,
            [
                (i, d, lengths[d], code, coder, start, end, origin)
                for i, (d, code, coder, start, end) in zip(ids, fresh_keys, strict=True)
            ],
        )
        return dict(zip(fresh_keys, ids, strict=True)), len(keys) - len(ids)

    def _not_stored(self, wanted: Mapping[SpanKey, Any]) -> list[SpanKey]:
        """The span keys of `wanted`, in its order, that no stored coding has."""
        c = schema.CodingRow
        existing: set[SpanKey] = set()
        keys = list(wanted)
        # The stored codings of these coders in these documents, read whole: one query per
        # 500 documents rather than one per 500 keys, each key a tuple of five parameters.
        documents = sorted({k[0] for k in keys})
        coders = sorted({k[2] for k in keys})
        for chunk in range(0, len(documents), 500):
            found = self.session.execute(
                select(c.document_id, c.code_id, c.coder_id, c.start, c.end).where(
                    c.document_id.in_(documents[chunk : chunk + 500]), c.coder_id.in_(coders)
                )
            )
            existing.update(
                key for key in ((r[0], r[1], r[2], r[3], r[4]) for r in found) if key in wanted
            )
        return [key for key in keys if key not in existing] if existing else keys

    def _lengths(self, document_ids: Iterable[int]) -> dict[int, int]:
        d = schema.DocumentRow
        ids = list(document_ids)
        rows = self.session.execute(select(d.id, d.length).where(d.id.in_(ids)))
        return {doc_id: length for doc_id, length in rows}

    def coding(self, coding_id: int) -> model.Coding:
        row = self.session.get(schema.CodingRow, coding_id)
        if row is None:
            raise NotFoundError(f"no coding with id {coding_id}")
        return convert.coding(row)

    def delete_codings(self, coding_ids: Sequence[int]) -> int:
        """Delete codings with their memos and consensus links (copies kept for undo)."""
        if not coding_ids:
            return 0
        ids = list(coding_ids)
        memos = table_of(schema.MemoRow)
        self.delete_where(memos, memos.c.coding_id.in_(ids))
        sources = table_of(schema.CodingSourceRow)
        self.delete_where(sources, sources.c.coding_id.in_(ids) | sources.c.source_id.in_(ids))
        codings = table_of(schema.CodingRow)
        return self.delete_where(codings, codings.c.id.in_(ids))

    def change_coding(self, coding_id: int, values: Mapping[str, Any]) -> None:
        """Give a coding another code or span in place, so its memos and links stay with it
        (the old values are kept for undo)."""
        self.update_row(table_of(schema.CodingRow), {"id": coding_id}, values)

    def set_coding_origin(self, coding_ids: Sequence[int], origin: str) -> int:
        codings = table_of(schema.CodingRow)
        return self.update_where(codings, codings.c.id.in_(list(coding_ids)), {"origin": origin})

    def codings_frame(
        self,
        *,
        document_ids: Sequence[int] | None = None,
        code_ids: Sequence[int] | None = None,
        coder_names: Sequence[str] | None = None,
        origins: Sequence[str] = COUNTED,
        columns: Sequence[str] = CODING_COLUMNS,
        ordered: bool = True,
    ) -> pd.DataFrame:
        """Codings as a table (`columns`, of CODING_COLUMNS), filtered in SQL. Reading only
        the columns a caller needs matters on large projects: a timestamp costs a conversion
        per row. `ordered=False` leaves the rows in the database's order, for callers that
        sort for themselves: sorting 50,000 codings by document name is most of the query's
        time on PostgreSQL."""
        names = list(columns)
        query = self._codings_select(document_ids, code_ids, coder_names, origins, names, ordered)
        if set(names) <= _INTEGER_COLUMNS:
            return self.fetch_ints(query, names)
        return self.fetch_frame(query, names)

    def reconciled_documents(self) -> set[int]:
        """The documents with counted codings of the consensus coder: where the view shows
        the consensus alone (coder/coding/view.py)."""
        c, k = schema.CodingRow, schema.CoderRow
        query = (
            select(c.document_id)
            .join(k, k.id == c.coder_id)
            .where(k.name == model.CONSENSUS_CODER, c.origin.in_(COUNTED))
            .distinct()
        )
        return set(self.session.scalars(query))

    def _codings_select(
        self,
        document_ids: Sequence[int] | None,
        code_ids: Sequence[int] | None,
        coder_names: Sequence[str] | None,
        origins: Sequence[str],
        columns: Sequence[str],
        ordered: bool = True,
    ) -> Select[*tuple[Any, ...]]:
        c, d, k = schema.CodingRow, schema.DocumentRow, schema.CoderRow
        available = {
            "id": c.id,
            "document_id": c.document_id,
            "document": d.name,
            "code_id": c.code_id,
            "coder_id": c.coder_id,
            "coder": k.name,
            "start": c.start,
            "end": c.end,
            "origin": c.origin,
            "created_at": c.created_at,
        }
        query: Select[*tuple[Any, ...]] = select(*(available[name] for name in columns)).where(
            c.origin.in_(list(origins))
        )
        # Join only what the columns, the order or the filter need.
        if ordered or "document" in columns:
            query = query.join(d, d.id == c.document_id)
        if "coder" in columns or coder_names is not None:
            query = query.join(k, k.id == c.coder_id)
        if ordered:
            query = query.order_by(d.name, c.start, c.end, c.id)
        if document_ids is not None:
            query = query.where(c.document_id.in_(list(document_ids)))
        if code_ids is not None:
            query = query.where(c.code_id.in_(list(code_ids)))
        if coder_names is not None:
            query = query.where(k.name.in_(list(coder_names)))
        return query

    def _named_rows(
        self, names: Sequence[str]
    ) -> dict[tuple[model.AttributeScope, str], list[tuple[int, Any]]]:
        """(owner id, typed value) of the attributes called any of `names`, in either scope,
        by scope and name, in owner order, read in one statement: a name both scopes have is
        read in both to resolve it (coder/attributes/resolve.py), a table split by a second
        attribute resolves two names, and each read is a round trip."""
        found: dict[tuple[model.AttributeScope, str], list[tuple[int, Any]]] = {
            (scope, name): [] for scope in model.ATTRIBUTE_SCOPES for name in names
        }
        for number, name, owner, value, amount, kind in sorted(
            self._raw_rows(_named_query(), {"names": list(names)}),
            key=lambda row: (row[0], row[1], row[2]),
        ):
            typed = _typed(kind, value, amount)
            if typed is not None:
                found[model.ATTRIBUTE_SCOPES[number], name].append((owner, typed))
        return found

    def attribute_values_of(
        self, names: Sequence[str]
    ) -> dict[tuple[model.AttributeScope, str], dict[int, Any]]:
        """The typed values (as `attributes_frame` types them) of every attribute called one
        of `names`, in each scope (empty where the scope has none), by owner id in order, by
        scope and name, in one statement."""
        return {key: dict(rows) for key, rows in self._named_rows(names).items()}

    def attributes_frame(self, scope: model.AttributeScope) -> pd.DataFrame:
        """One row per document (or participant), one column per attribute, typed values."""
        import pandas as pd

        key = owner_column(scope)
        rows = [
            (owner, name, value)
            for owner, values in self.attribute_records(scope).items()
            for name, value in values.items()
        ]
        if not rows:
            return pd.DataFrame(columns=[key]).set_index(key)
        frame = pd.DataFrame.from_records(rows, columns=[key, "name", "typed"])
        return frame.pivot(index=key, columns="name", values="typed")

    def attribute_records(self, scope: model.AttributeScope) -> dict[int, dict[str, Any]]:
        """Each document's (or participant's) attribute values, typed as `attributes_frame`
        types them, by name in alphabetical order; those without a value have no entry.
        Read in one pass and each owner's few values put in order after: sorting every value
        of a large study first cost several times that."""
        a = schema.AttributeRow
        table, key = values_table(scope), owner_column(scope)
        named = select(a.id, a.name, a.type).where(a.scope == scope).order_by(a.name)
        attributes = {row[0]: (row[1], row[2]) for row in self._raw_rows(named)}
        order = [name for name, _ in attributes.values()]
        query = select(table.c[key], table.c.attribute_id, table.c.value, table.c.number)
        found: dict[int, dict[str, Any]] = {}
        for owner, attribute_id, value, number in self._raw_rows(query):
            attribute = attributes.get(attribute_id)
            if attribute is None:
                continue
            name, kind = attribute
            value = _typed(kind, value, number)
            if value is not None:
                values = found.get(owner)
                if values is None:
                    found[owner] = {name: value}
                else:
                    values[name] = value
        return {
            owner: values if len(values) < 2 else {n: values[n] for n in order if n in values}
            for owner, values in sorted(found.items())
        }

    def attribute_series(self, scope: model.AttributeScope, name: str) -> pd.Series:
        """One attribute's typed values (as `attributes_frame` types them), by document or
        participant id; those without a value left out."""
        import pandas as pd

        found = self.attribute_values_of([name])[scope, name]
        return pd.Series(
            list(found.values()),
            index=pd.Index(list(found), name=owner_column(scope)),
            dtype=object,
            name=name,
        )

    def turns_frame(self, document_ids: Sequence[int] | None = None) -> pd.DataFrame:
        """Speaker turns with their role and participant, for attributing and filtering."""
        s = schema.SegmentRow
        query = select(
            s.document_id, s.start, s.end, s.speaker, s.speaker_role, s.participant_id
        ).where(s.kind == "turn")
        if document_ids is not None:
            query = query.where(s.document_id.in_(list(document_ids)))
        return self.fetch_frame(
            query.order_by(s.document_id, s.start),
            ["document_id", "start", "end", "speaker", "speaker_role", "participant_id"],
        )

    def document_texts(self, document_ids: Iterable[int]) -> dict[int, str]:
        d = schema.DocumentRow
        # Straight from the driver: SQLAlchemy's processing of each text row cost as much as
        # reading it, on the thousands of transcripts a theme's quotes come from.
        return dict(self._raw_rows(select(d.id, d.text).where(d.id.in_(list(document_ids)))))

    def count_codings(self, *, coder_id: int | None = None) -> int:
        c = schema.CodingRow
        query = select(func.count()).where(c.origin.in_(COUNTED))
        if coder_id is not None:
            query = query.where(and_(c.coder_id == coder_id))
        return int(self.session.scalar(query) or 0)


@functools.cache
def _named_query() -> Select[*tuple[Any, ...]]:
    """scope (its place in model.ATTRIBUTE_SCOPES), name, owner, value, number, type of the
    values of attributes whose name is in the bound list `names`, in both scopes. Built once:
    building the union cost as much as running it on a few hundred values."""
    a = schema.AttributeRow
    names: BindParameter[list[str]] = bindparam("names", expanding=True)
    parts = []
    for number, scope in enumerate(model.ATTRIBUTE_SCOPES):
        table = values_table(scope)
        parts.append(
            select(
                literal(number).label("scope"),
                a.name,
                table.c[owner_column(scope)].label("owner"),
                table.c.value,
                table.c.number,
                a.type,
            )
            .join(a, a.id == table.c.attribute_id)
            .where(a.scope == scope, a.name.in_(names))
        )
    both = union_all(*parts).subquery()
    return select(*both.c)
