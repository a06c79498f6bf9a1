"""Segmentation into turns, paragraphs and sentences: exact offsets and their invariants."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language

from coder.errors import UsageError
from coder.ingest import (
    ParsedTranscript,
    SegmentSpec,
    load_pipeline,
    read_transcript,
    segment,
    segment_many,
)
from coder.ingest.assemble import Block, Para, build, from_lines

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def spans(specs: list[SegmentSpec], kind: str) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in specs if s.kind == kind]


def test_segments_of_a_labelled_transcript(fixtures: Path, nlp: Language) -> None:
    parsed = read_transcript(fixtures / "name_colon.txt")
    specs = segment(parsed, nlp)
    text = parsed.text
    assert [text[s.start : s.end] for s in specs if s.kind == "paragraph"] == [
        "Interview 7 - Site C, frontline provider",
        "Recorded 12 March 2021",
        "Thank you for taking part. Could you tell me how patients were involved?",
        "At first it was mostly surveys. We had a suggestion box too.",
        "Later we set up an advisory council.",
        "Note: the council met monthly, usually at 3:30.",
        "What changed after that?",
        "Patients joined the improvement team itself. That was the big step.",
    ]
    assert [text[s.start : s.end] for s in specs if s.kind == "sentence"][2:6] == [
        "Thank you for taking part.",
        "Could you tell me how patients were involved?",
        "At first it was mostly surveys.",
        "We had a suggestion box too.",
    ]
    turns = [s for s in specs if s.kind == "turn"]
    assert [(t.speaker, t.turn_index) for t in turns] == [
        ("Dr. Lee", 0),
        ("Amira Haddad", 1),
        ("Dr. Lee", 2),
        ("Amira Haddad", 3),
    ]
    sentence = next(s for s in specs if s.kind == "sentence" and s.turn_index == 1)
    assert (sentence.speaker, text[sentence.start : sentence.end]) == (
        "Amira Haddad",
        "At first it was mostly surveys.",
    )
    preamble = [s for s in specs if s.kind != "turn" and s.turn_index is None]
    assert all(s.speaker is None for s in preamble)
    # Document order: each turn comes before its paragraphs, each paragraph before its sentences.
    assert specs[0].kind == "paragraph" and specs[1].kind == "sentence"
    assert [s.kind for s in specs[4:8]] == ["turn", "paragraph", "sentence", "sentence"]


def test_segments_of_captions_keep_times_on_turns(fixtures: Path, nlp: Language) -> None:
    parsed = read_transcript(fixtures / "teams.vtt")
    specs = segment(parsed, nlp)
    turns = [s for s in specs if s.kind == "turn"]
    assert [(t.started_at, t.ended_at) for t in turns] == [
        (0.34, 5.0),
        (5.6, 8.91),
        (65.0, 67.0),
        (65.0, 67.0),
    ]
    assert len([s for s in specs if s.kind == "sentence" and s.turn_index == 0]) == 2


def test_segment_many_matches_segment(fixtures: Path, nlp: Language) -> None:
    documents = [read_transcript(fixtures / n) for n in ("otter.txt", "monologue.txt", "zoom.vtt")]
    assert segment_many(documents, nlp) == [segment(d, nlp) for d in documents]
    assert segment_many([], nlp) == []


def test_pipeline_is_cached_and_unknown_models_explain(nlp: Language) -> None:
    assert load_pipeline() is nlp
    assert load_pipeline(None) is nlp
    assert "sentencizer" in nlp.pipe_names
    with pytest.raises(UsageError, match="'xx_not_a_model' is not installed"):
        load_pipeline("xx_not_a_model")


def test_very_long_paragraphs_are_split_for_spacy(nlp: Language) -> None:
    sentence = "This is a sentence without a break and it goes on "
    body = sentence * 3000 + "end."
    text, turns, _ = build([Block("Ana", True, [Para(body)])])
    parsed = ParsedTranscript(text, turns, "txt", "utf-8", False, "name-colon")
    specs = segment(parsed, nlp)
    check_invariants(parsed, specs)
    assert len(text) > 100_000


# Text with what makes offsets hard: accents, emoji with modifiers, CJK, odd whitespace.
CHARS = st.sampled_from(
    [
        *"abcdefghij ABC",
        "é",
        "ü",
        "👍🏽",
        "🙂",
        "你",
        "’",
        ".",
        "?",
        "!",
        ",",
        ":",
        "  ",
        "\t",
        "\u00a0",
        "\n",
    ]
)
WORDS = st.lists(CHARS, min_size=0, max_size=40).map("".join)
SPEAKERS = st.sampled_from(["Interviewer", "Respondent", "Dr. Lee", "Participant 2", "Zoë"])


@st.composite
def transcripts(draw: st.DrawFn) -> ParsedTranscript:
    blocks = []
    for _ in range(draw(st.integers(0, 6))):
        is_turn = draw(st.booleans())
        speaker = draw(st.one_of(st.none(), SPEAKERS)) if is_turn else None
        paragraphs = draw(st.lists(WORDS, min_size=0, max_size=4))
        blocks.append(Block(speaker, is_turn, [Para(p) for p in paragraphs]))
    text, turns, _ = build(blocks)
    return ParsedTranscript(text, turns, "txt", "utf-8", False, None)


def check_invariants(parsed: ParsedTranscript, specs: list[SegmentSpec]) -> None:
    text = parsed.text
    for spec in specs:
        assert 0 <= spec.start < spec.end <= len(text)
        piece = text[spec.start : spec.end]
        assert piece == piece.strip(), spec
    turns = [s for s in specs if s.kind == "turn"]
    assert [(t.start, t.end, t.speaker) for t in turns] == [
        (t.start, t.end, t.speaker) for t in parsed.turns
    ]
    labels = [
        (t.start - len(t.speaker) - 2, t.start) for t in parsed.turns if t.speaker is not None
    ]
    paragraphs = [s for s in specs if s.kind == "paragraph"]
    sentences = [s for s in specs if s.kind == "sentence"]
    for kind in (paragraphs, sentences):
        for before, after in itertools.pairwise(kind):
            assert before.end <= after.start  # ordered, never overlapping
    for paragraph in paragraphs:
        if paragraph.turn_index is not None:
            turn = parsed.turns[paragraph.turn_index]
            assert turn.start <= paragraph.start and paragraph.end <= turn.end
            assert "\n" not in text[paragraph.start : paragraph.end]
            assert paragraph.speaker == turn.speaker
        assert all(paragraph.end <= a or paragraph.start >= b for a, b in labels)
    for sentence in sentences:
        inside = [p for p in paragraphs if p.start <= sentence.start and sentence.end <= p.end]
        assert len(inside) == 1, sentence
        assert sentence.turn_index == inside[0].turn_index
    # Every visible character outside a label is in exactly one paragraph and one sentence.
    for position, char in enumerate(text):
        if char.isspace() or any(a <= position < b for a, b in labels):
            continue
        assert sum(p.start <= position < p.end for p in paragraphs) == 1, position
        assert sum(s.start <= position < s.end for s in sentences) == 1, position


@SETTINGS
@given(transcripts())
def test_segment_invariants(nlp: Language, parsed: ParsedTranscript) -> None:
    check_invariants(parsed, segment(parsed, nlp))


@SETTINGS
@given(
    st.lists(st.tuples(SPEAKERS, WORDS.filter(lambda w: "\n" not in w and w.strip())), max_size=8)
)
def test_labelled_lines_round_trip(nlp: Language, exchange: list[tuple[str, str]]) -> None:
    lines = [f"{speaker}: {words}" for speaker, words in exchange]
    parsed = from_lines(lines, format="txt", encoding="utf-8", encoding_guessed=False, custom=None)
    speakers = [speaker for speaker, _ in exchange]
    if any(speakers.count(s) > 1 or s in ("Interviewer", "Respondent") for s in speakers):
        # Consecutive lines by one speaker are one turn, a paragraph per line.
        merged = [
            (speaker, "\n".join(words.strip() for _, words in run))
            for speaker, run in itertools.groupby(exchange, key=lambda pair: pair[0])
        ]
        assert [(t.speaker, parsed.text[t.start : t.end]) for t in parsed.turns] == merged
        assert parsed.text == "\n\n".join(f"{s}: {w}" for s, w in merged)
    check_invariants(parsed, segment(parsed, nlp))


def test_a_bracketed_aside_after_a_full_stop_starts_the_next_sentence(nlp: Language) -> None:
    line = "Dana: I am not sure. [laughs] Which is fine. (Pause) Ok. She said “hi.” Then left."
    parsed = from_lines(
        [line, line], format="txt", encoding="utf-8", encoding_guessed=False, custom=None
    )
    found = segment(parsed, nlp)
    sentences = [parsed.text[a:b] for a, b in spans(found, "sentence")]
    assert sentences[:5] == [
        "I am not sure.",
        "[laughs] Which is fine.",
        "(Pause) Ok.",
        "She said “hi.”",
        "Then left.",
    ]
    check_invariants(parsed, found)
