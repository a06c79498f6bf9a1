"""Suggestions on a project: stored apart, reviewed one by one or in bulk, undoable, scored."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from coder import Project
from coder.cli.main import cli
from coder.coding.suggestions.run import SuggestOptions
from coder.errors import ConflictError, UsageError
from coder.ingest.api import ImportOptions

TRANSCRIPT = """Interviewer: Tell me about the survey and the meetings.

Rosa: We ran a survey in the waiting room. Meetings were at noon, which was hard.
Nobody had time for it. Later we tried a suggestion box.

Interviewer: Did the survey work?

Rosa: The survey worked well. Time was still the problem though.
"""


@pytest.fixture
def study(project: Project, tmp_path: Path) -> Project:
    source = tmp_path / "site-a-patient.txt"
    source.write_text(TRANSCRIPT, encoding="utf-8")
    result = project.import_files([source], ImportOptions(interviewer_labels=("Interviewer",)))
    assert result.count("imported") == 1
    cb = project.codebook
    cb.add("Engagement", kind="theme")
    cb.add("Surveys", parent="Engagement", keywords=["survey", "questionnaire"])
    cb.add("Boxes", parent="Engagement", keywords=["suggestion box"])
    cb.add("Time", keywords=["time", "noon"])
    cb.add("Other")
    return project


def text_of(project: Project, document: str, start: int, end: int) -> str:
    return project.document(document).text[start:end]


def pending(project: Project, coder: str = "rosa") -> list[tuple[str, str]]:
    return [(s.code, s.text) for s in project.coding.suggestions(coder)]


def test_sentences_matching_keywords_become_suggestions(study: Project) -> None:
    run = study.coding.suggest("rosa", SuggestOptions(participant_only=True))
    assert run.added == {"Engagement/Surveys": 2, "Engagement/Boxes": 1, "Time": 3}
    assert sorted(pending(study)) == sorted(
        [
            ("Engagement/Surveys", "We ran a survey in the waiting room."),
            ("Engagement/Surveys", "The survey worked well."),
            ("Engagement/Boxes", "Later we tried a suggestion box."),
            ("Time", "Meetings were at noon, which was hard."),
            ("Time", "Nobody had time for it."),
            ("Time", "Time was still the problem though."),
        ]
    )


def test_interviewer_turns_are_suggested_unless_excluded(study: Project) -> None:
    everything = study.coding.suggest("rosa", SuggestOptions(codes=["Engagement/Surveys"]))
    assert everything.added == {"Engagement/Surveys": 4}
    assert "Tell me about the survey and the meetings." in [t for _, t in pending(study)]


def test_suggestions_count_nowhere_until_accepted(study: Project) -> None:
    study.coding.suggest("rosa", SuggestOptions(participant_only=True))
    assert study.coding.frame().empty
    assert study.coding.quotes() == []
    surveys = [s for s in study.coding.suggestions("rosa") if s.code == "Engagement/Surveys"]
    assert study.coding.accept([surveys[0].coding_id], actor="rosa") == 1
    frame = study.coding.frame()
    assert list(frame["origin"]) == ["accepted"]
    assert [q.text for q in study.coding.quotes()] == [surveys[0].text]


def test_rejected_and_already_coded_units_are_not_suggested_again(study: Project) -> None:
    text = study.document("site-a-patient").text
    start = text.index("Nobody had time")
    study.coding.apply("site-a-patient", "Time", start, start + 6, coder="rosa")
    first = study.coding.suggest("rosa", SuggestOptions(participant_only=True))
    assert first.added["Time"] == 2  # the sentence holding a manual Time coding is skipped
    boxes = [s.coding_id for s in study.coding.suggestions("rosa", code="Engagement/Boxes")]
    study.coding.reject(boxes, actor="rosa")
    again = study.coding.suggest("rosa", SuggestOptions(participant_only=True))
    assert again.total == 0
    assert again.skipped == first.total + 1
    assert study.coding.suggestions("rosa", code="Engagement/Boxes") == []


def test_suggestions_are_per_coder(study: Project) -> None:
    study.coding.suggest("rosa", SuggestOptions(codes=["Time"], participant_only=True))
    assert study.coding.suggestions("sam") == []
    run = study.coding.suggest("sam", SuggestOptions(codes=["Time"], participant_only=True))
    assert run.total == 3


def test_autocode_within_another_code(study: Project) -> None:
    text = study.document("site-a-patient").text
    start = text.index("The survey worked well.")
    study.coding.apply("site-a-patient", "Other", start, len(text.rstrip()), coder="rosa")
    run = study.coding.suggest("rosa", SuggestOptions(within="Other"))
    assert run.added == {"Engagement/Surveys": 1, "Time": 1}


def test_accepting_anything_but_a_pending_suggestion_is_refused(study: Project) -> None:
    applied = study.coding.apply("site-a-patient", "Time", 0, 5, coder="rosa")
    with pytest.raises(ConflictError, match="not a pending suggestion"):
        study.coding.accept([applied.coding_id])


def test_no_rules_is_a_clear_error(study: Project) -> None:
    with pytest.raises(UsageError, match="keywords or patterns"):
        study.coding.suggest("rosa", SuggestOptions(codes=["Other"]))


def test_suggest_accept_and_reject_undo(study: Project) -> None:
    study.coding.suggest("rosa", SuggestOptions(participant_only=True), actor="rosa")
    ids = [s.coding_id for s in study.coding.suggestions("rosa", code="Time")]
    study.coding.accept(ids, actor="rosa")
    assert len(study.coding.frame()) == 3
    assert "Accepted 3 suggestions" in study.undo(actor="rosa")
    assert study.coding.frame().empty
    assert len(study.coding.suggestions("rosa")) == 6
    assert "Suggested 6 codings" in study.undo(actor="rosa")
    assert study.coding.suggestions("rosa") == []
    study.redo(actor="rosa")
    assert len(study.coding.suggestions("rosa")) == 6


def test_evaluation_against_a_coder(study: Project) -> None:
    """Hand count: rosa coded two sentences as Time, one of which a keyword finds, and one
    survey sentence. Keywords find 3 Time and 2 Surveys sentences among participant turns."""
    text = study.document("site-a-patient").text
    for passage, code in [
        ("Nobody had time for it.", "Time"),
        ("Later we tried a suggestion box.", "Time"),
        ("The survey worked well.", "Engagement/Surveys"),
    ]:
        start = text.index(passage)
        study.coding.apply("site-a-patient", code, start, start + len(passage), coder="rosa")
    table = study.coding.evaluate_suggestions(
        "rosa", SuggestOptions(codes=["Time", "Engagement/Surveys"], participant_only=True)
    ).set_index("code")
    assert table.loc["Time", "true_positives"] == 1
    assert table.loc["Time", "false_positives"] == 2
    assert table.loc["Time", "false_negatives"] == 1
    assert table.loc["Time", "precision"] == pytest.approx(1 / 3)
    assert table.loc["Time", "recall"] == pytest.approx(1 / 2)
    assert table.loc["Engagement/Surveys", "precision"] == pytest.approx(1 / 2)
    assert table.loc["Engagement/Surveys", "recall"] == pytest.approx(1.0)
    assert study.coding.suggestions("rosa") == []  # evaluating stores nothing


def test_snapping_when_applying(study: Project) -> None:
    text = study.document("site-a-patient").text
    inside = text.index("ran a surv")
    applied = study.coding.apply(
        "site-a-patient", "Engagement/Surveys", inside + 1, inside + 9, coder="rosa", snap_to="word"
    )
    coding = study.coding.get(applied.coding_id)
    assert text_of(study, "site-a-patient", coding.start, coding.end) == "ran a survey"
    applied = study.coding.apply(
        "site-a-patient", "Time", inside, inside + 3, coder="rosa", snap_to="sentence"
    )
    coding = study.coding.get(applied.coding_id)
    assert text_of(study, "site-a-patient", coding.start, coding.end) == (
        "We ran a survey in the waiting room."
    )
    applied = study.coding.apply(
        "site-a-patient", "Other", inside, inside + 3, coder="rosa", snap_to="turn"
    )
    coding = study.coding.get(applied.coding_id)
    assert text_of(study, "site-a-patient", coding.start, coding.end).endswith(
        "we tried a suggestion box."
    )


def test_cli_suggest_list_accept(study: Project) -> None:
    runner = CliRunner()
    location = study.location
    inside = str(study.document("site-a-patient").text.index("ran a survey"))
    study.close()
    result = runner.invoke(
        cli, ["suggest", "-p", location, "--coder", "rosa", "--participants-only"]
    )
    assert result.exit_code == 0, result.output
    assert "Suggested 6 codings for rosa" in result.output
    listed = runner.invoke(cli, ["suggestions", "list", "-p", location, "--coder", "rosa"])
    assert "6 pending suggestions." in listed.output
    assert "“We ran a survey in the waiting room.”" in listed.output
    accepted = runner.invoke(
        cli, ["suggestions", "accept", "-p", location, "--coder", "rosa", "--all", "--code", "Time"]
    )
    assert accepted.exit_code == 0, accepted.output
    assert "Accepted 3 suggestions" in accepted.output
    refused = runner.invoke(cli, ["suggestions", "reject", "-p", location, "--coder", "rosa"])
    assert refused.exit_code == 2
    assert "give suggestion ids, or --all" in refused.output
    scored = runner.invoke(
        cli, ["suggest", "-p", location, "--evaluate", "--against", "rosa", "--codes", "Time"]
    )
    assert scored.exit_code == 0, scored.output
    assert "precision" in scored.output
    end = str(int(inside) + 3)
    snapped = runner.invoke(
        cli,
        [
            "code",
            "-p",
            location,
            "--document",
            "site-a-patient",
            "--start",
            inside,
            "--end",
            end,
            "--code",
            "Other",
            "--coder",
            "rosa",
            "--snap",
            "sentence",
        ],
    )
    assert snapped.exit_code == 0, snapped.output
    assert "“We ran a survey in the waiting room.”" in snapped.output
