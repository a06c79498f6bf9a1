"""Sentences from the tokenizer's arrays are spaCy's own: checked against spaCy's Sentencizer
run as a pipeline component, on text built to exercise its rule (full stops, runs of
punctuation, brackets, quotes, whitespace of every kind)."""

from __future__ import annotations

import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language
from test_ingest_segment import transcripts

from coder.ingest import ParsedTranscript, segment_many
from coder.ingest.sentences import punct_of, sentence_spans

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PIECES = st.sampled_from(
    [
        "yes",
        "no",
        "Dr.",
        "e.g.",
        "U.S.",
        ".",
        "?",
        "!",
        "...",
        "?!",
        "(",
        ")",
        "[laughs]",
        "“",
        "”",
        '"',
        "'",
        "-",
        "—",
        ";",
        ":",
        "。",
        "¿",
        "3.5",
        "x",
        "Zoë",
        "…",
    ]
)
GAPS = st.sampled_from([" ", "", "  ", "\n", "\n\n", "\t", " \n "])
TEXTS = st.lists(st.tuples(PIECES, GAPS), max_size=40).map(
    lambda parts: "".join(p + g for p, g in parts)
)


@Language.component("does_nothing")
def does_nothing(doc: spacy.tokens.Doc) -> spacy.tokens.Doc:
    return doc


def with_other_component() -> Language:
    """The sentencizer beside another component: segmentation then runs each paragraph
    through spaCy's own pipe, the reference for the arrays."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("does_nothing")
    return nlp


REFERENCE = with_other_component()


@SETTINGS
@given(TEXTS)
def test_sentences_from_arrays_are_the_sentencizers(nlp: Language, text: str) -> None:
    punct = punct_of(nlp, nlp.pipe_names)
    assert punct is not None
    expected = [(s.start_char, s.end_char) for s in nlp(text).sents]
    assert sentence_spans(nlp.make_doc(text), punct) == expected


def test_other_pipelines_are_left_to_spacy(nlp: Language) -> None:
    assert punct_of(REFERENCE, REFERENCE.pipe_names) is None
    assert punct_of(nlp, []) is None


@SETTINGS
@given(st.lists(transcripts(), min_size=1, max_size=4))
def test_paragraphs_joined_in_one_doc_split_as_each_alone(
    nlp: Language, documents: list[ParsedTranscript]
) -> None:
    assert segment_many(documents, nlp) == segment_many(documents, REFERENCE)
