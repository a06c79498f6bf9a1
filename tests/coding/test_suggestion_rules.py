"""Suggestions from keywords and token patterns, and their evaluation against human coding."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pytest
from spacy.language import Language

from coder.coding.spans import Span
from coder.coding.suggestions.rules import (
    EVALUATION_COLUMNS,
    SUGGESTION_COLUMNS,
    CodeRule,
    Unit,
    evaluate,
    suggest,
)
from coder.errors import UsageError

TRANSCRIPT = (
    "Interviewer: Did your clinic use mystery shoppers or surveys?\n\n"
    "Site D Patient: Yes. We had Mystery Shoppers visit twice, and a survey.\n\n"
    "Interviewer: And the PFAC?\n\n"
    "Site D Patient: The patient advisory council met monthly. Honestly I don’t know "
    "about the Advisory Council’s budget. A mystery-shopper is different.\n\n"
    "Interviewer: Thanks."
)
SECOND = "Site E Provider: We never ran a survey. Our PFAC was new."

ENGAGEMENT, COUNCIL, UNSURE, UNUSED = 1, 2, 3, 4
MYSTERY: list[dict[str, Any]] = [{"LOWER": "mystery"}, {"LOWER": {"IN": ["shopper", "shoppers"]}}]
RULES = [
    CodeRule(ENGAGEMENT, keywords=("survey", "surveys"), patterns=(MYSTERY,)),
    CodeRule(COUNCIL, keywords=("advisory council", "PFAC")),
    CodeRule(UNSURE, keywords=("don’t know", "not sure")),
    CodeRule(UNUSED, keywords=("codesign",), patterns=([{"LOWER": "co"}, {"LOWER": "design"}],)),
]


def turns(document_id: int, text: str) -> list[Unit]:
    """The turns of `text`, label excluded, as units; interviewer turns are not participant."""
    units, position = [], 0
    for block in text.split("\n\n"):
        label, _, _ = block.partition(": ")
        start = position + len(label) + 2
        units.append(Unit(document_id, start, position + len(block), label != "Interviewer"))
        position += len(block) + 2
    return units


UNITS = turns(1, TRANSCRIPT) + turns(2, SECOND)
TEXTS = {1: TRANSCRIPT, 2: SECOND}


def located(frame: pd.DataFrame) -> list[tuple[int, str, int, str]]:
    """(document, first words of the unit, code, matched) for each suggestion, readable."""
    rows = []
    for row in frame.to_dict("records"):
        document_id, start = int(row["document_id"]), int(row["start"])
        rows.append(
            (
                document_id,
                TEXTS[document_id][start : start + 12],
                int(row["code_id"]),
                str(row["matched"]),
            )
        )
    return rows


def test_turn_units_are_what_the_examples_assume() -> None:
    assert [TEXTS[u.document_id][u.start : u.start + 12] for u in UNITS] == [
        "Did your cli",
        "Yes. We had ",
        "And the PFAC",
        "The patient ",
        "Thanks.",
        "We never ran",
    ]
    assert [u.participant for u in UNITS] == [False, True, False, True, False, True]


def test_keywords_and_patterns(nlp: Language) -> None:
    frame = suggest(TEXTS, UNITS, RULES, nlp)
    assert list(frame.columns) == SUGGESTION_COLUMNS
    assert located(frame) == [
        (1, "Did your cli", ENGAGEMENT, "mystery shoppers; surveys"),
        (1, "Yes. We had ", ENGAGEMENT, "Mystery Shoppers; survey"),
        (1, "And the PFAC", COUNCIL, "PFAC"),
        # "advisory council" matches twice in two spellings: listed once, as first written;
        # "mystery-shopper" is three tokens, so the pattern does not match it.
        (1, "The patient ", COUNCIL, "advisory council"),
        (1, "The patient ", UNSURE, "don’t know"),
        (2, "We never ran", ENGAGEMENT, "survey"),
        (2, "We never ran", COUNCIL, "PFAC"),
    ]
    assert frame[["document_id", "start", "end", "code_id"]].dtypes.eq("int64").all()


def test_rows_are_the_units_given(nlp: Language) -> None:
    frame = suggest(TEXTS, UNITS, RULES, nlp)
    offsets = {(u.document_id, u.start, u.end) for u in UNITS}
    assert set(zip(frame.document_id, frame.start, frame.end, strict=True)) <= offsets
    assert not frame.duplicated(["document_id", "start", "end", "code_id"]).any()


def test_keywords_match_whole_tokens_only(nlp: Language) -> None:
    text = "The surveyed shoppers and the Survey."
    frame = suggest({7: text}, [Unit(7, 0, len(text))], [CodeRule(1, ("survey", "shop"))], nlp)
    assert frame["matched"].tolist() == ["Survey"]


def test_participant_only_skips_interviewer_turns(nlp: Language) -> None:
    frame = suggest(TEXTS, UNITS, RULES, nlp, participant_only=True)
    assert {row[1] for row in located(frame)} == {"Yes. We had ", "The patient ", "We never ran"}
    everything = suggest(TEXTS, UNITS, RULES, nlp)
    participant = everything.merge(
        pd.DataFrame(
            [(u.document_id, u.start) for u in UNITS if u.participant],
            columns=["document_id", "start"],
        )
    )
    pd.testing.assert_frame_equal(frame, participant)


def test_within_keeps_units_overlapping_the_given_spans(nlp: Language) -> None:
    second_turn = UNITS[1]
    fourth_turn = UNITS[3]
    within = {
        # One character at the end of turn 2, and a span from the label into turn 4.
        1: [
            Span(second_turn.end - 1, second_turn.end),
            Span(fourth_turn.start - 5, fourth_turn.start + 1),
        ],
    }
    frame = suggest(TEXTS, UNITS, RULES, nlp, within=within)
    assert {row[1] for row in located(frame)} == {"Yes. We had ", "The patient "}
    # Touching is not overlapping, and documents left out of `within` contribute nothing.
    touching = {1: [Span(second_turn.end, second_turn.end + 2)]}
    assert suggest(TEXTS, UNITS, RULES, nlp, within=touching).empty


def test_within_and_participant_only_combine(nlp: Language) -> None:
    within = {1: [Span(0, len(TRANSCRIPT))], 2: [Span(0, 5)]}
    frame = suggest(TEXTS, UNITS, RULES, nlp, within=within, participant_only=True)
    assert {row[1] for row in located(frame)} == {"Yes. We had ", "The patient "}


def test_repeated_units_are_reported_once(nlp: Language) -> None:
    frame = suggest(TEXTS, UNITS + UNITS[:2], RULES, nlp)
    assert len(frame) == len(suggest(TEXTS, UNITS, RULES, nlp))


def test_sentence_units_keep_matches_inside_each(nlp: Language) -> None:
    text = "We asked about the advisory. Council members came."
    sentences = [Unit(1, 0, 28), Unit(1, 29, len(text))]
    assert suggest({1: text}, sentences, [CodeRule(2, ("advisory council",))], nlp).empty
    whole = suggest({1: text}, [Unit(1, 0, len(text))], [CodeRule(2, ("advisory council",))], nlp)
    assert whole.empty  # the full stop is a token between the two words


def test_nothing_to_do_gives_an_empty_frame_with_the_columns(nlp: Language) -> None:
    for frame in (suggest(TEXTS, [], RULES, nlp), suggest(TEXTS, UNITS, [], nlp)):
        assert frame.empty and list(frame.columns) == SUGGESTION_COLUMNS
        assert frame["code_id"].dtype == "int64"


def test_patterns_that_cannot_use_the_phrase_filter_still_match(nlp: Language) -> None:
    regex = CodeRule(
        9,
        patterns=(
            [
                {"LOWER": {"REGEX": "^mystery"}},
                {"IS_PUNCT": True, "OP": "?"},
                {"LOWER": {"REGEX": "^shop"}},
            ],
        ),
    )
    frame = suggest(TEXTS, UNITS, [regex], nlp)
    assert frame["matched"].tolist() == ["mystery shoppers", "Mystery Shoppers", "mystery-shopper"]


def test_pattern_on_sentence_starts_runs_the_pipeline(nlp: Language) -> None:
    first_word = CodeRule(5, patterns=([{"IS_SENT_START": True, "LOWER": "honestly"}],))
    frame = suggest(TEXTS, UNITS, [first_word], nlp)
    assert frame["matched"].tolist() == ["Honestly"]


@pytest.mark.parametrize(
    "pattern",
    [
        [{"LOWER": {"INN": ["a"]}}],
        [{"LOWER": "a", "OP": "x"}],
        [{"SHOUT": "a"}],
        [],
        "mystery shopper",
    ],
)
def test_rejected_pattern_names_code_and_pattern(nlp: Language, pattern: Any) -> None:
    rules = [*RULES, CodeRule(42, patterns=(pattern,))]
    with pytest.raises(UsageError, match=r"code 42: spaCy rejects the pattern") as caught:
        suggest(TEXTS, UNITS, rules, nlp)
    assert repr(pattern) in str(caught.value)


def test_keyword_whitespace_is_normalised(nlp: Language) -> None:
    frame = suggest(TEXTS, UNITS, [CodeRule(2, (" advisory \n council ",))], nlp)
    assert frame["matched"].tolist() == ["advisory council"]


def test_empty_keyword_is_refused(nlp: Language) -> None:
    with pytest.raises(UsageError, match="code 8 has an empty keyword"):
        suggest(TEXTS, UNITS, [CodeRule(8, ("  ",))], nlp)


@pytest.mark.parametrize(
    ("unit", "message"),
    [
        (Unit(3, 0, 4), "document 3, which has no text"),
        (Unit(2, 10, 500), f"does not fit document 2 \\(offsets run from 0 to {len(SECOND)}"),
        (Unit(2, 10, 10), "does not fit document 2"),
    ],
)
def test_bad_units_are_refused(nlp: Language, unit: Unit, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        suggest(TEXTS, [*UNITS, unit], RULES, nlp)


# --- evaluate ------------------------------------------------------------------------------------

# Six sentence units in two documents, offsets by hand; only the offsets matter here.
EVAL_UNITS = [
    Unit(1, 0, 10), Unit(1, 11, 20), Unit(1, 21, 30), Unit(1, 31, 40),
    Unit(2, 0, 10), Unit(2, 11, 20),
]  # fmt: skip


def frame(rows: list[tuple[int, int, int, int]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


def test_evaluate_hand_checked() -> None:
    suggested = frame(
        [
            (1, 0, 10, 1), (1, 11, 20, 1), (1, 21, 30, 1),  # code 1: units a, b, c
            (2, 0, 10, 2),  # code 2: suggested, never human-coded
            (1, 0, 10, 4),  # code 4: suggested on a unit the humans coded otherwise
        ],
        ["document_id", "start", "end", "code_id"],
    )  # fmt: skip
    human = frame(
        [
            (1, 1, 12, 15),  # code 1 on b only: 12-15 lies inside 11-20
            (1, 1, 25, 35),  # code 1 on c and d, crossing the gap between them
            (1, 1, 10, 11),  # code 1 on the gap between a and b: overlaps no unit
            (1, 1, 20, 21),  # ...nor does the gap 20-21, though it touches b and c
            (1, 3, 31, 32),  # code 3: human only
            (2, 4, 15, 18),  # code 4 in document 2, second unit
            (9, 1, 0, 5),  # a document with no units: ignored
        ],
        ["document_id", "code_id", "start", "end"],
    )  # fmt: skip
    result = evaluate(suggested, human, EVAL_UNITS)
    assert list(result.columns) == EVALUATION_COLUMNS
    assert result["code_id"].tolist() == [1, 2, 3, 4]
    nan = math.nan
    assert result["precision"].iloc[0] == result["recall"].iloc[0] == 2 / 3
    assert same(
        scores(result),
        {
            # code 1: suggested {a, b, c}, human {b, c, d}: tp 2, fp 1 (a), fn 1 (d).
            1: ((2, 1, 1), (0.6667, 0.6667, 0.6667)),
            # code 2: suggested once, wrongly; never human-coded, so recall and F1 are undefined.
            2: ((0, 1, 0), (0.0, nan, nan)),
            # code 3: never suggested, so precision and F1 are undefined; recall is 0.
            3: ((0, 0, 1), (nan, 0.0, nan)),
            # code 4: both defined and zero, so F1 is 0 rather than undefined.
            4: ((0, 1, 1), (0.0, 0.0, 0.0)),
        },
    )


def scores(result: pd.DataFrame) -> dict[int, tuple[tuple[int, ...], tuple[float, ...]]]:
    """Per code, the counts and the rates (rounded to 4 places so they print exactly)."""
    table: dict[int, tuple[tuple[int, ...], tuple[float, ...]]] = {}
    for row in result.to_dict("records"):
        counts = tuple(
            int(row[c]) for c in ("true_positives", "false_positives", "false_negatives")
        )
        rates = tuple(round(float(row[c]), 4) for c in ("precision", "recall", "f1"))
        table[int(row["code_id"])] = (counts, rates)
    return table


def same(a: object, b: object) -> bool:
    return repr(a) == repr(b)  # nan == nan is False, but their reprs agree


def test_evaluate_perfect_agreement_and_overlapping_units() -> None:
    # A sentence unit and the turn containing it; a human span inside the sentence counts
    # for both, and duplicate suggestions or human spans count once.
    units = [Unit(1, 0, 50), Unit(1, 10, 20), Unit(1, 30, 40)]
    suggested = frame(
        [(1, 0, 50, 7), (1, 10, 20, 7), (1, 10, 20, 7)], ["document_id", "start", "end", "code_id"]
    )
    human = frame([(1, 7, 12, 14), (1, 7, 15, 16)], ["document_id", "code_id", "start", "end"])
    assert scores(evaluate(suggested, human, units)) == {7: ((2, 0, 0), (1.0, 1.0, 1.0))}


def test_evaluate_with_suggest_output(nlp: Language) -> None:
    suggested = suggest(TEXTS, UNITS, RULES, nlp)
    council = TRANSCRIPT.index("advisory council")
    human = frame(
        [(1, COUNCIL, council, council + 16), (1, ENGAGEMENT, 0, len(TRANSCRIPT))],
        ["document_id", "code_id", "start", "end"],
    )
    table = scores(evaluate(suggested, human, UNITS))
    # ENGAGEMENT: human on all 5 turns of document 1; suggested on 2 of them and 1 elsewhere.
    assert table[ENGAGEMENT][0] == (2, 1, 3)
    assert table[COUNCIL][0] == (1, 2, 0)
    # UNSURE was suggested once and never coded by hand.
    assert same(table[UNSURE], ((0, 1, 0), (0.0, math.nan, math.nan)))


def test_evaluate_empty_inputs() -> None:
    empty_suggested = frame([], ["document_id", "start", "end", "code_id"])
    empty_human = frame([], ["document_id", "code_id", "start", "end"])
    result = evaluate(empty_suggested, empty_human, EVAL_UNITS)
    assert result.empty and list(result.columns) == EVALUATION_COLUMNS
    human = frame([(1, 5, 0, 3)], ["document_id", "code_id", "start", "end"])
    only_human = scores(evaluate(empty_suggested, human, EVAL_UNITS))
    assert same(only_human, {5: ((0, 0, 1), (math.nan, 0.0, math.nan))})


def test_evaluate_misuse() -> None:
    human = frame([], ["document_id", "code_id", "start", "end"])
    with pytest.raises(UsageError, match="suggested frame lacks the column\\(s\\) code_id"):
        evaluate(pd.DataFrame(columns=["document_id", "start", "end"]), human, EVAL_UNITS)
    with pytest.raises(UsageError, match="human frame lacks the column\\(s\\) start, end"):
        evaluate(
            frame([], ["document_id", "start", "end", "code_id"]),
            human[["document_id", "code_id"]],
            EVAL_UNITS,
        )
    stray = frame([(1, 0, 11, 1)], ["document_id", "start", "end", "code_id"])
    with pytest.raises(UsageError, match=r"not in `units`, e\.g\. 0-11 of document 1"):
        evaluate(stray, human, EVAL_UNITS)
