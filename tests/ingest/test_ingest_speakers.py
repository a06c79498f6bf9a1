"""Interviewer or participant, from the speaker label."""

from __future__ import annotations

import pytest

from coder.ingest import speaker_role


@pytest.mark.parametrize(
    "label",
    [
        "I",
        "Q",
        "Interviewer",
        "INTERVIEWER",
        "int",
        "Int.",
        "Moderator",
        "facilitator",
        "Interviewer 2",
        "I1",
        "Moderator (Jane)",
    ],
)
def test_default_interviewer_labels(label: str) -> None:
    assert speaker_role(label) == "interviewer"


@pytest.mark.parametrize(
    "label", ["R", "A", "Respondent", "Participant 3", "Dr. Lee", "Ian", "Quinn"]
)
def test_everyone_else_is_a_participant(label: str) -> None:
    assert speaker_role(label) == "participant"


def test_caller_adds_interviewer_labels() -> None:
    assert speaker_role("Dr. Lee", ["dr. lee"]) == "interviewer"
    assert speaker_role("Amira", ("Dr. Lee",)) == "participant"
    assert speaker_role("Interviewer", ["Dr. Lee"]) == "interviewer"
