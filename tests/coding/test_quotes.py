"""Retrieving quotes: every filter, their combinations, and citations from attributes."""

from __future__ import annotations

import gc

import pytest
from coding_study import LEADER, PATIENT, span_of

from coder import Project
from coder.coding.citation import cite
from coder.coding.quotes import QuoteFilter
from coder.errors import UsageError


@pytest.fixture
def coded(study: Project) -> Project:
    c = study.coding
    c.apply(
        "site-a-leader",
        "Challenges/Time",
        *span_of(LEADER, "Time was the big thing"),
        coder="amira",
    )
    c.apply(
        "site-a-leader",
        "Challenges/Time",
        *span_of(LEADER, "How did the council start?"),
        coder="ben",
    )
    c.apply("site-b-patient", "Challenges/Jargon", *span_of(PATIENT, "The jargon."), coder="amira")
    c.apply("site-b-patient", "Challenges/Time", *span_of(PATIENT, "meetings at noon"), coder="ben")
    return study


def texts(project: Project, **selection: object) -> list[str]:
    return [q.text for q in project.coding.quotes(QuoteFilter(**selection))]  # type: ignore[arg-type]


def test_all_quotes_in_document_order(coded: Project) -> None:
    assert texts(coded) == [
        "How did the council start?",
        "Time was the big thing",
        "The jargon.",
        "meetings at noon",
    ]


def test_by_code_with_and_without_descendants(coded: Project) -> None:
    assert texts(coded, code="Challenges/Jargon") == ["The jargon."]
    assert len(texts(coded, code="Challenges")) == 4
    assert texts(coded, code="Challenges", descendants=False) == []


def test_filters_combine(coded: Project) -> None:
    assert texts(coded, code="Challenges/Time", coders=["ben"]) == [
        "How did the council start?",
        "meetings at noon",
    ]
    assert texts(coded, code="Challenges/Time", coders=["ben"], speaker_role="participant") == [
        "meetings at noon"
    ]
    assert texts(coded, document_attributes={"site": ["B"]}, coders=["amira"]) == ["The jargon."]
    assert texts(coded, participant_attributes={"role": ["Leader"]}) == ["Time was the big thing"]
    assert texts(coded, search="NOON") == ["meetings at noon"]
    assert texts(coded, search="noon", document_attributes={"site": ["A"]}) == []
    assert texts(coded, documents=["site-a-leader"], speaker_role="interviewer") == [
        "How did the council start?"
    ]


def test_citations_render_from_attributes(coded: Project) -> None:
    quotes = coded.coding.quotes(QuoteFilter(code="Challenges/Jargon"))
    assert [q.citation for q in quotes] == ["(B Patient)"]
    assert quotes[0].speaker == "Dana" and quotes[0].participant == "Dana Roy"
    custom = coded.coding.quotes(
        QuoteFilter(code="Challenges/Jargon"), template="(Site {site} {role}, {participant})"
    )
    assert custom[0].citation == "(Site B Patient, Dana Roy)"


def test_missing_attributes_render_as_question_marks() -> None:
    assert cite("({site} {role})", {"site": "C"}) == "(C ?)"


def test_quotes_render_as_markdown_csv_and_json(coded: Project) -> None:
    import csv
    import io
    import json

    found = coded.coding.quotes(QuoteFilter(coders=["amira"]))
    rendered = json.loads(coded.coding.render_quotes(found, "json"))
    assert [(q["document"], q["text"], q["coder"]) for q in rendered] == [
        ("site-a-leader", "Time was the big thing", "amira"),
        ("site-b-patient", "The jargon.", "amira"),
    ]
    rows = list(csv.DictReader(io.StringIO(coded.coding.render_quotes(found, "csv"))))
    assert [row["citation"] for row in rows] == [q.citation for q in found]
    markdown = coded.coding.render_quotes(found, "md", by="site")
    assert markdown.splitlines()[:3] == [
        "## site A",
        "",
        f"> Time was the big thing {found[0].citation}",
    ]
    assert "## site B" in markdown


def test_quotes_change_case_as_exemplars_do(coded: Project) -> None:
    quotes = coded.coding.quotes(
        QuoteFilter(code="Challenges/Jargon"), template="(Site {site} {role:upper} {site:lower})"
    )
    assert [q.citation for q in quotes] == ["(Site B PATIENT b)"]
    assert cite("({role:title})", {"role": "patient partner"}) == "(Patient Partner)"
    assert cite("({role:title})", {}) == "(?)"


def test_a_template_that_does_not_work_is_a_usage_error(coded: Project) -> None:
    with pytest.raises(UsageError, match="citation template"):
        coded.coding.quotes(QuoteFilter(), template="({site:>>>>})")
    with pytest.raises(UsageError, match="citation template"):
        coded.coding.quotes(QuoteFilter(), template="({site")


def test_a_passage_two_coders_coded_is_one_quote_and_the_consensus_wins(study: Project) -> None:
    time = span_of(LEADER, "Time was the big thing, honestly.")
    for coder in ("amira", "ben"):
        study.coding.apply("site-a-leader", "Challenges/Time", *time, coder=coder)
    # Ben's longer coding only overlaps Amira's: two readings, two quotes.
    study.coding.apply(
        "site-b-patient", "Challenges/Jargon", *span_of(PATIENT, "The jargon."), coder="amira"
    )
    study.coding.apply(
        "site-b-patient",
        "Challenges/Jargon",
        *span_of(PATIENT, "The jargon. PDSA this"),
        coder="ben",
    )
    merged = study.coding.quotes(QuoteFilter())
    assert [(q.text, q.coder) for q in merged] == [
        ("Time was the big thing, honestly.", "amira, ben"),
        ("The jargon.", "amira"),
        ("The jargon. PDSA this", "ben"),
    ]
    assert len(study.coding.quotes(QuoteFilter(coders=["amira"]))) == 2
    study.reconcile.accept_agreements(["amira", "ben"], "turn", documents=["site-a-leader"])
    # site-a-leader now has a consensus: its quote is the consensus coding alone (not both
    # coders' and the consensus's, three times); site-b-patient is still merged.
    found = study.coding.quotes(QuoteFilter())
    assert [(q.document, q.coder) for q in found] == [
        ("site-a-leader", "consensus"),
        ("site-b-patient", "amira"),
        ("site-b-patient", "ben"),
    ]
    # The rule looks at the whole consensus layer, not only the codes asked for: a
    # reconciled document shows no coder's codings of a code the consensus left out.
    study.coding.apply(
        "site-a-leader", "Challenges/Jargon", *span_of(LEADER, "Slowly."), coder="ben"
    )
    assert (
        study.coding.quotes(QuoteFilter(code="Challenges/Jargon", documents=["site-a-leader"]))
        == []
    )
    assert len(study.coding.quotes(QuoteFilter(coders=["ben"], code="Challenges/Jargon"))) == 2


def test_coders_join_a_quote_code_by_code_and_its_citation_names_them(study: Project) -> None:
    time = span_of(LEADER, "Time was the big thing, honestly.")
    study.coding.apply("site-a-leader", "Challenges/Time", *time, coder="amira")
    study.coding.apply("site-a-leader", "Challenges/Jargon", *time, coder="amira")
    study.coding.apply("site-a-leader", "Challenges/Time", *time, coder="ben")
    found = study.coding.quotes(QuoteFilter(), template="[{coder}: {code}]")
    assert [(q.code, q.coder, q.citation, q.attributes["coder"]) for q in found] == [
        ("Challenges/Time", "amira, ben", "[amira, ben: Challenges/Time]", "amira, ben"),
        ("Challenges/Jargon", "amira", "[amira: Challenges/Jargon]", "amira"),
    ]
    # A filter that leaves the span out leaves out every coder's coding of it.
    assert study.coding.quotes(QuoteFilter(search="no such words")) == []


def test_quotes_leave_the_collector_as_they_found_it(coded: Project) -> None:
    assert gc.isenabled()
    assert coded.coding.quotes(QuoteFilter())
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.disable()
    try:
        coded.coding.quotes(QuoteFilter())
        assert not gc.isenabled()
    finally:
        gc.enable()
    # What a program froze (the workbench freezes what start-up loaded) stays frozen.
    gc.freeze()
    try:
        coded.coding.quotes(QuoteFilter())
        # (Frozen objects freed meanwhile leave the count, so it may only shrink a little.)
        assert gc.get_freeze_count() > 0 and gc.isenabled()
    finally:
        gc.unfreeze()
