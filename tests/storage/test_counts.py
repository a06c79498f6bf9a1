"""Reads for tables of counts: integers packed by the database and taken apart again give
exactly the rows a plain select gives, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from small_study import STUDY, build
from sqlalchemy import delete, func, select

from coder import Project
from coder.coding.quotes import QuoteFilter
from coder.ingest import load_pipeline, read_transcript, segment
from coder.ingest.api import ImportOptions
from coder.storage import Transaction, migrate, schema
from coder.storage.bounds import TURN, pack, sentence_count, unpack, unpack_sentences
from coder.storage.counts import VIEW_COLUMNS, words
from coder.storage.schema import table_of


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    columns = list(frame.columns)
    return frame.sort_values(columns).reset_index(drop=True)[columns].astype("int64")


def test_columns_share_an_integer_while_they_fit() -> None:
    assert words([11, 7, 2, 16, 16]) == [[0, 1, 2, 3, 4]]
    assert words([40, 23, 1]) == [[0, 1], [2]]
    assert words([63, 63]) == [[0], [1]]


def test_packed_reads_give_the_plain_rows(project: Project, tmp_path: Path) -> None:
    build(project, tmp_path / "study")
    c, s = schema.CodingRow, schema.SegmentRow
    with project._store.read() as tx:
        plain = tx.fetch_ints(select(*(getattr(c, n) for n in VIEW_COLUMNS)), list(VIEW_COLUMNS))
        packed = tx.shown_codings_frame(None)
        pd.testing.assert_frame_equal(_sorted(packed), _sorted(plain))

        units = tx.fetch_ints(
            select(s.document_id, s.start, s.end).where(s.kind == "paragraph"),
            ["document", "start", "end"],
        )
        assert len(units) > 0
        pd.testing.assert_frame_equal(_sorted(tx.unit_spans_frame("paragraph")), _sorted(units))

        turns = tx.fetch_ints(
            select(s.document_id, s.start, s.end, s.participant_id).where(
                s.kind == "turn", s.participant_id.is_not(None)
            ),
            ["document_id", "start", "end", "participant_id"],
        )
        assert len(turns) > 0
        pd.testing.assert_frame_equal(_sorted(tx.participant_turns_frame()), _sorted(turns))

        # Bounds too wide for one integer: each column in its own, still the same rows.
        wide = tx.fetch_packed(
            [c.start, c.end], [2**62, 2**62], ["start", "end"], c.origin.is_not(None)
        )
        pd.testing.assert_frame_equal(_sorted(wide), _sorted(plain[["start", "end"]]))

        # Nothing found: empty int64 columns, not an error (the database's text or bytes of
        # no rows is NULL).
        none = tx.fetch_packed([c.start, c.end], [2**16, 2**62], ["start", "end"], c.id < 0)
        assert list(none.columns) == ["start", "end"] and len(none) == 0
        assert list(none.dtypes) == ["int64", "int64"]


def test_pairs_of_ids_read_as_one_number_are_the_plain_pairs(
    project: Project, tmp_path: Path
) -> None:
    build(project, tmp_path / "study")
    c, s = schema.CodingRow, schema.SegmentRow
    d, p, dp = schema.DocumentRow, schema.ParticipantRow, schema.DocumentParticipantRow
    with project._store.read() as tx:
        coded = tx.fetch_ints(
            select(c.document_id, c.code_id)
            .where(c.origin.not_in(["suggested", "rejected"]))
            .distinct(),
            ["document_id", "code_id"],
        )
        assert len(coded) > 0
        pd.testing.assert_frame_equal(_sorted(tx.coded_documents_frame(None)), _sorted(coded))

        # Links in the order of document and participant names, then speakers not linked.
        linked = tx.session.execute(
            select(dp.document_id, dp.participant_id)
            .join(d, d.id == dp.document_id)
            .join(p, p.id == dp.participant_id)
            .order_by(d.name, p.name)
        ).all()
        speaking = tx.session.execute(
            select(s.document_id, s.participant_id)
            .where(s.kind == "turn", s.participant_id.is_not(None))
            .distinct()
        ).all()
        assert linked and speaking
        expected = [(int(a), int(b)) for a, b in linked]
        expected += sorted({(int(a), int(b)) for a, b in speaking} - set(expected))
        found = tx.speaker_pairs()
        assert list(found.columns) == ["document", "participant"]
        pairs = list(zip(found["document"].tolist(), found["participant"].tolist(), strict=True))
        assert pairs[: len(linked)] == expected[: len(linked)]
        assert sorted(pairs[len(linked) :]) == expected[len(linked) :]


# -- sentences packed per document (coder/storage/bounds.py) -------------------------------


def _segmenter_sentences(project: Project, folder: Path) -> pd.DataFrame:
    """document, start, end, speaker of every sentence the segmenter finds in the study's
    files, apart from any project: what the project must give back."""
    nlp = load_pipeline()
    rows = []
    for path in sorted(folder.glob("*.txt")):
        document = project.document(path.stem).id
        for spec in segment(read_transcript(path), nlp):
            if spec.kind == "sentence":
                rows.append((document, spec.start, spec.end, spec.speaker))
    return pd.DataFrame(rows, columns=["document", "start", "end", "speaker"])


def _packed(tx: Transaction) -> dict[int, str]:
    b = schema.UnitBoundsRow
    return {int(d): v for d, v in tx.session.execute(select(b.document_id, b.sentences))}


def test_packing_keeps_every_unit_in_start_order() -> None:
    spans = [(30, 41), (0, 12), (13, 29), (2**31 - 2, 2**31 - 1)]
    document, found = unpack([(7, pack(spans)), (3, pack([])), (9, pack([(5, 6)]))])
    assert document.tolist() == [7, 7, 7, 7, 9]
    assert found.tolist() == [[0, 12], [13, 29], [30, 41], [2**31 - 2, 2**31 - 1], [5, 6]]
    assert unpack_sentences(pack(spans)) == sorted(spans)
    assert unpack_sentences(pack([])) == []
    assert sentence_count(pack(spans)) == 4
    turns = [(40, 90, 2**40), (0, 40, 3)]
    document, found = unpack([(4, pack(turns, TURN))], TURN)
    assert document.tolist() == [4, 4]
    assert found.tolist() == [[0, 40, 3], [40, 90, 2**40]]


def test_sentences_are_those_the_segmenter_found_with_their_turns_speaker(
    project: Project, tmp_path: Path
) -> None:
    build(project, tmp_path / "study")
    expected = _segmenter_sentences(project, tmp_path / "study")
    assert len(expected) > len(expected["document"].unique())
    spans = expected[["document", "start", "end"]]
    with project._store.read() as tx:
        pd.testing.assert_frame_equal(_sorted(tx.unit_spans_frame("sentence")), _sorted(spans))
        units = tx.units_frame("sentence")
        turns = tx.turns_frame()
        summaries = {s.id: s.sentences for s in tx.document_summaries()}
    pd.testing.assert_frame_equal(_sorted(units[["document", "start", "end"]]), _sorted(spans))
    assert units["unit"].is_unique
    assert summaries == expected.groupby("document").size().to_dict()
    # As segments: in order, ids unique in the project, each with the speaker, role and
    # participant of the turn it lies in (stored on the turn only).
    found = []
    for name in sorted({n for n, _, _ in STUDY}):
        sentences = project.segments(name, "sentence")
        assert [s.start for s in sentences] == sorted(s.start for s in sentences)
        found += sentences
    assert len({s.id for s in found}) == len(found)
    got = pd.DataFrame(
        [(s.document_id, s.start, s.end, s.speaker) for s in found],
        columns=["document", "start", "end", "speaker"],
    )
    key = ["document", "start"]
    pd.testing.assert_frame_equal(
        got.sort_values(key).reset_index(drop=True),
        expected.sort_values(key).reset_index(drop=True),
        check_dtype=False,
    )
    for sentence in found:
        turn = turns[
            (turns["document_id"] == sentence.document_id)
            & (turns["start"] <= sentence.start)
            & (turns["end"] > sentence.start)
        ]
        assert len(turn) == 1
        assert sentence.speaker_role == turn["speaker_role"].iloc[0]
        person = turn["participant_id"].iloc[0]
        if sentence.speaker_role == "participant":
            assert sentence.participant_id is not None
            assert sentence.participant_id == person
        else:
            assert sentence.participant_id is None and pd.isna(person)


def test_quotes_find_the_turn_each_coding_starts_in(project: Project, tmp_path: Path) -> None:
    build(project, tmp_path / "study")
    # A coding outside any turn (in the interviewer's label) and one at a turn's first
    # character, beside the study's codings inside participants' turns.
    project.coding.apply("p1", "B", 0, 5, coder="ann")
    text = project.document("p2").text
    at = text.index("P2:")
    project.coding.apply("p2", "B", at, at + 6, coder="ann")
    quotes = project.coding.quotes(QuoteFilter())
    assert {(q.speaker_role, q.participant is None) for q in quotes} == {
        (None, True),
        ("participant", False),
    }
    with project._store.read() as tx:
        turns = tx.turns_frame()
        names = tx.names_by_id()[2]
        ids = {d.name: d.id for d in tx.document_summaries()}
    for quote in quotes:
        document = ids[quote.document]
        turn = turns[
            (turns["document_id"] == document)
            & (turns["start"] <= quote.start)
            & (turns["end"] > quote.start)
        ]
        if quote.speaker_role is None:
            assert len(turn) == 0 or turn["speaker_role"].iloc[0] is None
            continue
        assert quote.speaker_role == turn["speaker_role"].iloc[0]
        assert quote.participant == names[int(turn["participant_id"].iloc[0])]


def test_more_segments_for_a_document_are_packed_with_those_it_had(
    project: Project, tmp_path: Path
) -> None:
    build(project, tmp_path / "study")
    document = project.document("p1")
    before = [(s.start, s.end) for s in project.segments("p1", "sentence")]
    with project._store.write() as tx:
        tx.add_segment_rows(document, [("sentence", 0, 5, None, None, None, None, None)])
        tx.log("segment.add", "document", document.id)
    after = [(s.start, s.end) for s in project.segments("p1", "sentence")]
    assert after == sorted([*before, (0, 5)])
    with project._store.read() as tx:
        frame = tx.unit_spans_frame("sentence")
    mine = frame[frame["document"] == document.id]
    assert sorted(zip(mine["start"], mine["end"], strict=True)) == after


def test_replacing_a_document_and_undoing_keep_its_packed_bounds(
    project: Project, tmp_path: Path
) -> None:
    folder = tmp_path / "study"
    folder.mkdir()
    path = folder / "talk.txt"
    path.write_text("Interviewer: Why?\n\nANN: One. Two. Three.", encoding="utf-8")
    assert not project.import_files([path]).failed
    with project._store.read() as tx:
        before = _packed(tx)
    path.write_text("Interviewer: Why?\n\nANN: One and two. Three.", encoding="utf-8")
    assert not project.import_files([path], ImportOptions(replace=True)).failed
    with project._store.read() as tx:
        (value,) = _packed(tx).values()
        assert value != next(iter(before.values()))
        expected = _segmenter_sentences(project, folder)[["document", "start", "end"]]
        pd.testing.assert_frame_equal(_sorted(tx.unit_spans_frame("sentence")), _sorted(expected))
    project.undo()
    with project._store.read() as tx:
        assert _packed(tx) == before


def test_the_migrations_pack_the_sentences_already_imported(
    project: Project, tmp_path: Path
) -> None:
    build(project, tmp_path / "study")
    expected = _segmenter_sentences(project, tmp_path / "study")
    with project._store.read() as tx:
        written = _packed(tx)
    engine = project._store.engine
    s = schema.SegmentRow
    # Before 0014 sentences were segment rows too, with their turn's speaker.
    migrate.downgrade(engine, "0013")
    with engine.connect() as connection:
        rows = connection.execute(
            select(s.document_id, s.start, s.end, s.speaker).where(s.kind == "sentence")
        ).all()
        # A document given more segments after its import had no packed bounds.
        one = min(written)
        connection.execute(
            delete(table_of(schema.UnitBoundsRow)).where(
                table_of(schema.UnitBoundsRow).c.document_id == one
            )
        )
        connection.commit()
    found = pd.DataFrame(rows, columns=["document", "start", "end", "speaker"])
    key = ["document", "start"]
    pd.testing.assert_frame_equal(
        found.sort_values(key).reset_index(drop=True),
        expected.sort_values(key).reset_index(drop=True),
        check_dtype=False,
    )
    migrate.upgrade(engine)
    with project._store.read() as tx:
        assert _packed(tx) == written
        assert tx.session.scalar(select(func.count()).where(s.kind == "sentence")) == 0
    # From before packed bounds (0011) too.
    migrate.downgrade(engine, "0010")
    migrate.upgrade(engine)
    with project._store.read() as tx:
        assert _packed(tx) == written


FOCUS = """Facilitator: Welcome, everyone.
Rosa: Thanks. I came because of the survey.
Tom: Same here. Nobody read the suggestion box.
Ada: And nobody wrote back.
Facilitator: Say more?
Rosa: We never heard back.
"""


def test_every_speaker_of_a_document_is_found_linked_or_not(
    project: Project, tmp_path: Path
) -> None:
    # Three participants speak in one document; two are no longer linked to it, so only
    # their turns say they speak there, each found after the one before in the index.
    path = tmp_path / "focus.txt"
    path.write_text(FOCUS, encoding="utf-8")
    project.import_files([path])
    dp = schema.DocumentParticipantRow
    with project._store.read() as tx:
        before = tx.speaker_pairs()
    people = sorted(before["participant"].tolist())
    assert len(people) == 3
    with project._store.write("setup") as tx:
        tx.session.execute(delete(dp).where(dp.participant_id.in_(people[1:])))
    with project._store.read() as tx:
        after = tx.speaker_pairs()
    assert after["participant"].tolist()[0] == people[0]  # the link comes first
    assert sorted(after["participant"].tolist()) == people
    assert set(after["document"].tolist()) == set(before["document"].tolist())


def test_values_of_two_attributes_read_together_are_those_read_alone(
    project: Project, tmp_path: Path
) -> None:
    build(project, tmp_path / "study")
    with project._store.read() as tx:
        together = tx.attribute_values_of(["site", "role", "absent"])
        for (scope, name), values in together.items():
            alone = tx.attribute_series(scope, name)
            assert values == alone.to_dict()
            assert list(values) == sorted(values)
        assert together["document", "site"] and together["document", "role"]
        assert together["document", "absent"] == {} == together["participant", "absent"]
