"""A document's segments: its turns and paragraphs (rows) and its sentences (packed, with
the turns, in its `unit_bounds` row: schema.UnitBoundsRow, coder/storage/bounds.py)."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute

from coder import model
from coder.storage import schema
from coder.storage.base import TransactionBase
from coder.storage.bounds import (
    Turns,
    Voice,
    pack,
    pack_turns,
    sentence_id,
    unpack_sentences,
    unpack_turns,
)
from coder.storage.schema import table_of

# A segment to write: kind, start, end, speaker, speaker_role, participant_id, started_at,
# ended_at (the columns after the id and the document's in `_SEGMENT_COLUMNS`).
SegmentValues = tuple[str, int, int, str | None, str | None, int | None, float | None, float | None]

_SEGMENT_COLUMNS = (
    "id",
    "document_id",
    "document_length",
    "kind",
    "start",
    "end",
    "speaker",
    "speaker_role",
    "participant_id",
    "started_at",
    "ended_at",
)


class SegmentsMixin(TransactionBase):
    def add_segments(self, document: model.Document, segments: Iterable[Mapping[str, Any]]) -> int:
        """Bulk-insert segments (dicts with kind, start, end and optional speaker fields)."""
        return self.add_segment_rows(
            document,
            [
                (
                    s["kind"],
                    s["start"],
                    s["end"],
                    s.get("speaker"),
                    s.get("speaker_role"),
                    s.get("participant_id"),
                    s.get("started_at"),
                    s.get("ended_at"),
                )
                for s in segments
            ],
        )

    def add_segment_rows(self, document: model.Document, segments: Sequence[SegmentValues]) -> int:
        """Bulk-insert segments given as `SegmentValues` tuples. Tens of thousands per
        transcript: the tuples go to the driver with their ids in one pass, no dictionary
        per segment on the way. Turns and paragraphs are rows; sentences are stored packed,
        with the turns, in the document's `unit_bounds` (schema.UnitBoundsRow), their
        speaker and participant being their turn's. Only turns keep their participant: a
        paragraph's is the one of the turn it lies in (`segments` reads it from there)."""
        if not segments:
            return 0
        table = table_of(schema.SegmentRow)
        had_bounds = document.id not in self._unsegmented and self._has_bounds(document.id)
        self._unsegmented.discard(document.id)
        stored = [s for s in segments if s[0] != "sentence"]
        sentences = [(s[1], s[2]) for s in segments if s[0] == "sentence"]
        ids = self.new_ids(table, len(stored))
        doc, length = document.id, document.length
        rows = [
            (i, doc, length, *s)
            if s[5] is None or s[0] == "turn"
            else (i, doc, length, *s[:5], None, *s[6:])
            for i, s in zip(ids, stored, strict=True)
        ]
        self.insert_values(table, _SEGMENT_COLUMNS, rows)
        self._store_unit_bounds(document.id, rows, sentences, had_bounds)
        return len(segments)

    def _has_bounds(self, document_id: int) -> bool:
        b = schema.UnitBoundsRow
        found = select(b.document_id).where(b.document_id == document_id)
        return self.session.scalar(found) is not None

    def _store_unit_bounds(
        self,
        document_id: int,
        rows: Sequence[Sequence[Any]],
        sentences: list[tuple[int, int]],
        had_bounds: bool,
    ) -> None:
        """The document's sentences and turns packed (coder/storage/bounds.py), from its new
        segment rows (id, document, length, kind, start, end, speaker, speaker_role,
        participant_id, ...) and sentences. Segments added to a document that had some are
        packed again with those it had."""
        table = table_of(schema.UnitBoundsRow)
        if had_bounds:
            b, s = schema.UnitBoundsRow, schema.SegmentRow
            (packed,) = self._raw_rows(select(b.sentences).where(b.document_id == document_id))[0]
            sentences = sorted({*unpack_sentences(packed), *sentences})
            turns = select(s.start, s.end, s.speaker, s.speaker_role, s.participant_id).where(
                s.document_id == document_id, s.kind == "turn"
            )
            turn_rows: list[Sequence[Any]] = [("turn", *row) for row in self._raw_rows(turns)]
            self.delete_where(table, table.c.document_id == document_id)
        else:
            turn_rows = [r[3:9] for r in rows if r[3] == "turn"]
        packed_turns, voices = pack_turns((r[1], r[2], (r[3], r[4], r[5])) for r in turn_rows)
        self.insert_values(
            table,
            ("document_id", "sentences", "turns", "voices"),
            [(document_id, pack(sentences), packed_turns, voices)],
        )

    def segments_of(
        self, document_id: int, kinds: Sequence[model.SegmentKind]
    ) -> dict[model.SegmentKind, list[model.Segment]]:
        """The document's segments of each of `kinds`; the participants of its paragraphs
        from its turns when those are read too, not read again (its sentences' come packed
        with them)."""
        found: dict[model.SegmentKind, list[model.Segment]] = {}
        turns: dict[int, SpeakingTurns] | None = None
        if "turn" in kinds:
            found["turn"] = self.segments(document_id, "turn")
            turns = speaking_turns(
                (t.document_id, t.start, t.end, t.participant_id)
                for t in found["turn"]
                if t.participant_id is not None
            )
        for kind in kinds:
            if kind not in found:
                found[kind] = self.segments(document_id, kind, turns)
        return {kind: found[kind] for kind in kinds}

    def segments(
        self,
        document_id: int,
        kind: model.SegmentKind,
        turns: Mapping[int, SpeakingTurns] | None = None,
    ) -> list[model.Segment]:
        """The document's segments of one kind, in order; `turns`, its `speaking_turns`
        when the caller has them (for paragraphs)."""
        if kind == "sentence":
            return self._sentences(document_id)
        s = schema.SegmentRow
        # Plain columns, not ORM objects: a long transcript has hundreds of paragraphs, and
        # building entities for its segments was most of the time it took to open one.
        query = (
            select(*segment_fields())
            .where(s.document_id == document_id, s.kind == kind)
            .order_by(s.start)
        )
        # Straight from the DB-API cursor, each row's values in the fields' order:
        # SQLAlchemy's rows for a long transcript's segments cost most of the time it took
        # to open one (no column here needs converting).
        rows = self._raw_rows(query)
        if kind != "turn" and rows and turns is None:
            turns = self.speaking_turns([document_id])
        if kind != "turn" and turns:
            rows = with_turn_participants(rows, turns)
        return model.Segment.from_rows(rows)

    def _sentences(self, document_id: int) -> list[model.Segment]:
        """The document's sentences, from their packed bounds (schema.UnitBoundsRow)."""
        b = schema.UnitBoundsRow
        found = self._raw_rows(
            select(b.sentences, b.turns, b.voices).where(b.document_id == document_id)
        )
        if not found:
            return []
        packed, turns, voices = found[0]
        return model.Segment.from_rows(
            sentence_rows(document_id, unpack_sentences(packed), unpack_turns(turns, voices))
        )

    def speaking_turns(self, document_ids: Sequence[int]) -> dict[int, SpeakingTurns]:
        """The turns that name a participant in these documents, per document: their
        starts, ends and participants, in start order."""
        s = schema.SegmentRow
        query = (
            select(s.document_id, s.start, s.end, s.participant_id)
            .where(s.kind == "turn", s.participant_id.is_not(None))
            .where(s.document_id.in_(list(document_ids)))
            .order_by(s.document_id, s.start)
        )
        return speaking_turns(self._raw_rows(query))


def segment_fields() -> tuple[InstrumentedAttribute[Any], ...]:
    """The segment table's columns in `model.Segment`'s field order, for rows read straight
    into segments."""
    s = schema.SegmentRow
    return (
        s.id,
        s.document_id,
        s.kind,
        s.start,
        s.end,
        s.speaker,
        s.speaker_role,
        s.participant_id,
        s.started_at,
        s.ended_at,
    )


# A document's turns that name a participant: starts, ends and participant ids, by start.
SpeakingTurns = tuple[list[int], list[int], list[int]]


def speaking_turns(rows: Iterable[Sequence[Any]]) -> dict[int, SpeakingTurns]:
    """(document_id, start, end, participant_id) rows, in document and start order, as each
    document's `SpeakingTurns`."""
    found: dict[int, SpeakingTurns] = {}
    for document, start, end, person in rows:
        turns = found.get(document)
        if turns is None:
            turns = found[document] = ([], [], [])
        turns[0].append(start)
        turns[1].append(end)
        turns[2].append(person)
    return found


def sentence_rows(
    document_id: int, sentences: Iterable[tuple[int, int]], turns: Turns
) -> Iterator[tuple[Any, ...]]:
    """A document's sentences (start, end, in order) as segment rows in `model.Segment`'s
    field order: each with its id (`bounds.sentence_id`), the speaker, role and
    participant of the turn it starts in, and no times of its own."""
    starts, ends, numbers, voices = turns
    for number, (start, end) in enumerate(sentences, sentence_id(document_id, 1)):
        i = bisect.bisect_right(starts, start) - 1
        voice = voices[numbers[i]] if i >= 0 and start < ends[i] else _NO_VOICE
        yield (number, document_id, "sentence", start, end, *voice, None, None)


_NO_VOICE: Voice = (None, None, None)


def with_turn_participants(
    rows: Sequence[Sequence[Any]], turns: Mapping[int, SpeakingTurns]
) -> list[Sequence[Any]]:
    """Segment rows (id, document_id, kind, start, end, speaker, speaker_role,
    participant_id, ...), each paragraph and sentence with the participant of the turn it
    starts in: only turns store one (schema.SegmentRow)."""
    out: list[Sequence[Any]] = []
    for row in rows:
        found = turns.get(row[1])
        if found is not None and row[7] is None and row[2] != "turn":
            starts, ends, people = found
            i = bisect.bisect_right(starts, row[3]) - 1
            if i >= 0 and row[3] < ends[i]:
                row = (*row[:7], people[i], *row[8:])
        out.append(row)
    return out
