"""Reads for tables of counts (matrices): only the columns a count needs, in no particular
order, with the coder rule of coder/coding/view.py applied by the database.

A large study holds half a million codings and two hundred thousand turns; a matrix of
documents or presence needs only which codes reach which documents, and the database gives
that without sending every coding over.

Rows that must come over come packed: the database adds each row's integers, shifted by the
bits the columns before need, into one or two 64-bit integers, and NumPy takes them apart.
A driver builds a Python object for every value it returns, and on half a million codings of
five columns those objects cost twice the query itself. The bits each column needs are known
beforehand from small tables: ids are no larger than their table's largest, offsets no larger
than the longest document.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import (
    BigInteger,
    Integer,
    Select,
    and_,
    bindparam,
    cast,
    func,
    literal_column,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import QueryableAttribute, aliased
from sqlalchemy.sql.elements import ColumnElement

from coder import model
from coder.storage import schema
from coder.storage.base import TransactionBase
from coder.storage.bounds import unpack
from coder.storage.codings import COUNTED

# The origins that do not count: `origin NOT IN` these keeps the same codings as `origin IN
# COUNTED` (the column is NOT NULL and checked against model.CODING_ORIGINS) with half the
# string comparisons, which on PostgreSQL are a third of a count's time over every coding.
UNCOUNTED = tuple(origin for origin in model.CODING_ORIGINS if origin not in COUNTED)

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from sqlalchemy.sql.elements import BindParameter

VIEW_COLUMNS = ("document_id", "code_id", "coder_id", "start", "end")
WORD_BITS = 63  # a packed integer stays positive in a signed 64-bit column
# Ids are positive 32-bit integers (INTEGER keys in PostgreSQL; SQLite gives them in sequence
# from 1): two make one signed 64-bit number.
ID_BITS = 31
ID_MASK = (1 << ID_BITS) - 1
# A literal, not a bound value: the planner must see `kind = 'turn'` to use the partial index
# of turns (schema.SegmentRow) without reading each row.
TURN: ColumnElement[str] = literal_column("'turn'")
SPACE: ColumnElement[str] = literal_column("' '")


def words(bits: Sequence[int]) -> list[list[int]]:
    """The columns (by position) packed into each integer: as many as fit, in order."""
    packed: list[list[int]] = []
    used = WORD_BITS
    for column, width in enumerate(bits):
        if used + width > WORD_BITS:
            packed.append([])
            used = 0
        packed[-1].append(column)
        used += width
    return packed


Column = ColumnElement[Any] | QueryableAttribute[Any]


def _pair(high: Column, low: Column) -> ColumnElement[int]:
    """Two ids as one number (ID_BITS), for NumPy to take apart: half the values to send."""
    return cast(high, BigInteger) * (1 << ID_BITS) + low


def _unpair(pairs: np.ndarray, high: str, low: str) -> pd.DataFrame:
    """Numbers made by `_pair`, taken apart into int64 columns `high` and `low`."""
    import pandas as pd

    return pd.DataFrame({high: pairs >> ID_BITS, low: pairs & ID_MASK})


def packed_columns(columns: Sequence[Column], bits: Sequence[int]) -> list[Column]:
    """The expressions giving `words(bits)`: each column shifted past those after it."""
    out: list[Column] = []
    for word in words(bits):
        shift = sum(bits[i] for i in word)
        expression: Column | None = None
        for i in word:
            shift -= bits[i]
            term = cast(columns[i], BigInteger) * (1 << shift) if shift else columns[i]
            expression = term if expression is None else expression + term
        assert expression is not None
        out.append(expression)
    return out


class CountsMixin(TransactionBase):
    def _shown_rule(self, coders: Sequence[str] | None) -> tuple[Rule, dict[str, Any]]:
        """Which of `_shown_where`'s rules the view of `coders` follows (None: every
        coder's, reconciled where a consensus coder is), and its bound values."""
        if coders is not None:
            return "coders", {"coders": list(coders)}
        k = schema.CoderRow
        found = self._raw_rows(select(k.id).where(k.name == model.CONSENSUS_CODER))
        if not found:
            return "all", {}
        return "consensus", {"consensus": int(found[0][0])}

    def _seek_documents(self, column: Column) -> ColumnElement[bool]:
        """`column IN (every document)` on SQLite, whose planner then seeks each document's
        rows in a (document, ...) index rather than scan the whole table; always true on
        PostgreSQL, whose planner would instead join every row to the documents (twice the
        time of reading the turns' partial index alone). Every segment has its document."""
        if self._on_postgres():
            return true()
        return column.in_(select(schema.DocumentRow.id))

    def fetch_packed(
        self,
        columns: Sequence[Column],
        bounds: Sequence[int],
        names: Sequence[str],
        where: ColumnElement[bool],
        values: Mapping[str, Any] | None = None,
    ) -> pd.DataFrame:
        """The rows of non-negative integer `columns` no larger than `bounds`, read packed
        (see the module's docstring), as int64 columns `names`; `values` for the bound
        parameters of `where`."""
        import pandas as pd

        bits = [max(int(bound), 1).bit_length() for bound in bounds]
        packed = words(bits)
        query = select(*packed_columns(columns, bits)).where(where)
        found = self._fetch_words(query, len(packed), values)
        out: dict[str, np.ndarray] = {}
        for w, word in enumerate(packed):
            packed_word = found[:, w]
            shift = sum(bits[i] for i in word)
            for i in word:
                shift -= bits[i]
                out[names[i]] = (packed_word >> shift) & ((1 << bits[i]) - 1)
        return pd.DataFrame(out)

    def _fetch_words(
        self,
        query: Select[*tuple[Any, ...]],
        width: int,
        values: Mapping[str, Any] | None = None,
        *,
        wrapped: bool = False,
    ) -> np.ndarray:
        """The rows of `query` (`width` non-negative integers each, never NULL, in no
        particular order) as an int64 array of `width` columns; `values` for its bound
        parameters; `wrapped` when `query` is `_as_one_value` of it already."""
        import numpy as np

        postgres = self._on_postgres()
        found = self._raw_rows(query if wrapped else _as_one_value(query, postgres), values)
        data = found[0][0] if found else None
        if not data:
            return np.empty((0, width), dtype=np.int64)
        if postgres:
            return np.frombuffer(data, dtype=">i8").astype(np.int64).reshape(-1, width)
        return np.fromstring(data, dtype=np.int64, sep=" ").reshape(-1, width)

    def _bounds(self) -> dict[str, int]:
        """The largest document, code and coder id, and the longest document."""
        d, k, c = schema.DocumentRow, schema.CodeRow, schema.CoderRow
        row = self.session.execute(
            select(
                select(func.max(d.id)).scalar_subquery(),
                select(func.max(d.length)).scalar_subquery(),
                select(func.max(k.id)).scalar_subquery(),
                select(func.max(c.id)).scalar_subquery(),
            )
        ).one()
        document, length, code, coder = (int(value or 0) for value in row)
        return {"document": document, "offset": length, "code": code, "coder": coder}

    def shown_codings_frame(
        self,
        coders: Sequence[str] | None,
        columns: Sequence[str] = VIEW_COLUMNS,
        document_ids: Sequence[int] | None = None,
    ) -> pd.DataFrame:
        """The codings the view shows (`columns` of VIEW_COLUMNS), unordered; only those in
        `document_ids` when given."""
        c = schema.CodingRow
        bounds = self._bounds()
        kinds = {"document_id": "document", "code_id": "code", "coder_id": "coder"}
        rule, values = self._shown_rule(coders)
        where = _shown_where(rule)
        if document_ids is not None:
            where = and_(where, c.document_id.in_(list(document_ids)))
        return self.fetch_packed(
            [getattr(c, name) for name in columns],
            [bounds[kinds.get(name, "offset")] for name in columns],
            columns,
            where,
            values,
        )

    def coded_documents_frame(self, coders: Sequence[str] | None) -> pd.DataFrame:
        """document_id, code_id: each code with each document the view has it coded in."""
        rule, values = self._shown_rule(coders)
        query = _coded_documents_query(self._on_postgres(), rule)
        found = self._fetch_words(query, 1, values, wrapped=True)[:, 0]
        return _unpair(found, "document_id", "code_id")

    def speaker_pairs(self) -> pd.DataFrame:
        """document, participant: the participants linked to each document (by document
        name, then participant name), then those with turns in it that are not; each pair
        once. One statement for both: a matrix reads this for every table it makes."""
        import numpy as np

        rows = self._raw_rows(_speaker_pairs_query())
        found = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
        # A pair both linked and speaking is kept where it is first, among the links.
        _, first = np.unique(found, return_index=True)
        found = found[np.sort(first)]
        return _unpair(found, "document", "participant")

    def participant_turns_frame(self) -> pd.DataFrame:
        """document_id, start, end, participant_id of the turns participants speak."""
        s, p = schema.SegmentRow, schema.ParticipantRow
        bounds = self._bounds()
        most = self.session.scalar(select(func.max(p.id))) or 0
        return self.fetch_packed(
            [s.document_id, s.start, s.end, s.participant_id],
            [bounds["document"], bounds["offset"], bounds["offset"], most],
            ["document_id", "start", "end", "participant_id"],
            and_(
                s.kind == TURN, self._seek_documents(s.document_id), s.participant_id.is_not(None)
            ),
        )

    def unit_spans_frame(self, kind: str) -> pd.DataFrame:
        """document, start, end of the segments of one kind, unordered (units to count)."""
        if kind == "sentence":
            # Sentences are stored packed per document (coder/storage/bounds.py).
            return self._packed_sentences()
        d, s = schema.DocumentRow, schema.SegmentRow
        bounds = self._bounds()
        # `document_id IN (every document)`: each document's units are sought in the
        # (document, kind, start) index rather than in a scan of every segment.
        return self.fetch_packed(
            [s.document_id, s.start, s.end],
            [bounds["document"], bounds["offset"], bounds["offset"]],
            ["document", "start", "end"],
            and_(s.kind == kind, s.document_id.in_(select(d.id))),
        )

    def _packed_sentences(self) -> pd.DataFrame:
        import pandas as pd

        b = schema.UnitBoundsRow
        document, spans = unpack(self._raw_rows(select(b.document_id, b.sentences)))
        return pd.DataFrame({"document": document, "start": spans[:, 0], "end": spans[:, 1]})

    def documents_with_turns(self) -> set[int]:
        d, s = schema.DocumentRow, schema.SegmentRow
        # One index probe per document, rather than a scan of every segment.
        turns = select(s.id).where(s.document_id == d.id, s.kind == TURN).exists()
        return {int(i) for i in self.session.scalars(select(d.id).where(turns))}

    def document_lengths(self) -> pd.DataFrame:
        """document, length of every document (read from an index, not the texts' pages)."""
        d = schema.DocumentRow
        return self.fetch_ints(select(d.id, d.length), ["document", "length"])


@functools.cache
def _speaker_pairs_query() -> Select[tuple[int]]:
    """The statement of `speaker_pairs`, built once: it takes no values, and building it
    (a union of two selects, one of them recursive) cost a third of running it."""
    d, p, dp, s = (
        schema.DocumentRow,
        schema.ParticipantRow,
        schema.DocumentParticipantRow,
        schema.SegmentRow,
    )
    empty: ColumnElement[str] = literal_column("''")
    linked: Select[*tuple[Any, ...]] = (
        select(
            _pair(dp.document_id, dp.participant_id).label("pair"),
            literal_column("0").label("part"),
            d.name.label("document"),
            p.name.label("person"),
        )
        .join(d, d.id == dp.document_id)
        .join(p, p.id == dp.participant_id)
    )
    # Who speaks in each document, found by skipping through the index of turns by speaker:
    # the least participant of a document's turns, then the least after it, and so on. A
    # document has a few speakers and hundreds of turns, and reading every turn to group
    # them took four times as long on SQLite (PostgreSQL takes the same time either way).
    first = (
        select(func.min(s.participant_id))
        .where(s.document_id == d.id, s.kind == TURN, s.participant_id.is_not(None))
        .scalar_subquery()
    )
    speaker = select(d.id.label("document_id"), first.label("participant_id")).cte(
        "speaker", recursive=True
    )
    before = speaker.alias("before")
    after = (
        select(func.min(s.participant_id))
        .where(
            s.document_id == before.c.document_id,
            s.kind == TURN,
            s.participant_id > before.c.participant_id,
        )
        .scalar_subquery()
    )
    speaker = speaker.union_all(
        select(before.c.document_id, after).where(before.c.participant_id.is_not(None))
    )
    turns: Select[*tuple[Any, ...]] = select(
        _pair(speaker.c.document_id, speaker.c.participant_id).label("pair"),
        literal_column("1").label("part"),
        empty.label("document"),
        empty.label("person"),
    ).where(speaker.c.participant_id.is_not(None))
    both = union_all(linked, turns).subquery()
    pair, part, document, person = both.c
    return select(pair).order_by(part, document, person)


Rule = Literal["all", "consensus", "coders"]


@functools.cache
def _shown_where(rule: Rule) -> ColumnElement[bool]:
    """The codings a view shows, by rule: every counted coding (`all`, in a project without
    a consensus coder); the consensus coder's (`consensus`: its id) in documents that have
    any and every coder's elsewhere; those of the coders named in the list `coders`. Those
    two are bound parameters, required when the statement runs (never silently NULL).
    Built once per rule: building it cost a table of counts more than some of its
    statements took to run."""
    c, k = schema.CodingRow, schema.CoderRow
    counted = c.origin.not_in(UNCOUNTED)
    if rule == "all":
        return counted
    if rule == "coders":
        names: BindParameter[list[str]] = bindparam("coders", expanding=True)
        return and_(counted, c.coder_id.in_(select(k.id).where(k.name.in_(names))))
    reconciler: BindParameter[int] = bindparam("consensus", type_=Integer)
    other = aliased(schema.CodingRow)
    reconciled = select(other.document_id).where(
        other.coder_id == reconciler, other.origin.not_in(UNCOUNTED)
    )
    return and_(counted, or_(c.coder_id == reconciler, c.document_id.not_in(reconciled)))


def _as_one_value(query: Select[*tuple[Any, ...]], postgres: bool) -> Select[tuple[Any]]:
    """A select of one value holding every row of `query` (non-negative integers).

    A driver builds a Python object for every value it returns (and the sqlite3 module a
    tuple for every row): ten thousand rows cost the client more than the query took in
    the server. PostgreSQL sends every row's integers as 8-byte big-endian numbers, one after
    the other, which NumPy reads as they are; SQLite, which has no such function, writes
    them as decimal text joined by spaces into one string, which NumPy parses in C (on half
    a million codings, a third of what the rows cost)."""
    inner = query.subquery()
    values = [func.int8send(cast(c, BigInteger)) if postgres else c for c in inner.c]
    row: ColumnElement[Any] = values[0]
    for value in values[1:]:
        # Bytes follow bytes; decimal numbers need a space between them.
        row = row.op("||")(value) if postgres else row.op("||")(SPACE).op("||")(value)
    if postgres:
        return select(func.string_agg(row, literal_column("''::bytea")))
    return select(func.group_concat(row, SPACE))


@functools.cache
def _coded_documents_query(postgres: bool, rule: Rule) -> Select[tuple[Any]]:
    """The statement of `coded_documents_frame`, built once for each engine and rule.

    Ten thousand pairs at M, each sent as one number, the document's id shifted past the
    code's: ids are positive 32-bit integers, so no bounds need reading first."""
    c, d = schema.CodingRow, schema.DocumentRow
    shown = _shown_where(rule)
    query: Select[*tuple[Any, ...]]
    if postgres:
        # Document by document, PostgreSQL reads each one's codes in order from the
        # (document, code, ...) index and keeps one of each as it goes, in half the time
        # of the plan it takes for one GROUP BY: a scan of every coding into a hash table
        # of every pair. SQLite reads the index in that order for the GROUP BY already.
        codes = select(c.code_id).where(c.document_id == d.id, shown).group_by(c.code_id).lateral()
        query = select(_pair(d.id, codes.c.code_id)).join_from(d, codes, true())
    else:
        query = (
            select(_pair(c.document_id, c.code_id)).where(shown).group_by(c.document_id, c.code_id)
        )
    return _as_one_value(query, postgres)
