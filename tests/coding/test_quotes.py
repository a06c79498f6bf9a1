"""Retrieving quotes: every filter, their combinations, and citations from attributes."""

from __future__ import annotations

import pytest
from coding_study import LEADER, PATIENT, span_of

from coder import Project
from coder.coding.quotes import QuoteFilter, cite


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
