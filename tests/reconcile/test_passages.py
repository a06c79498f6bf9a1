"""Reconciling by passage: every disputed code on one stretch decided at once, in words."""

from __future__ import annotations

from pathlib import Path

import pytest

from coder import Project
from coder.errors import UsageError

INTERVIEW = """Interviewer: What got in the way?
Dana: Meetings were at noon. I work days. The jargon was hard too.
Interviewer: What helped?
Dana: A glossary. And the coach.
"""
CODERS = ["maya", "tomas"]


def span(project: Project, text: str) -> tuple[int, int]:
    start = project.document("interview").text.index(text)
    return start, start + len(text)


@pytest.fixture
def study(project: Project, tmp_path: Path) -> Project:
    (tmp_path / "interview.txt").write_text(INTERVIEW)
    project.import_files([tmp_path / "interview.txt"])
    project.codebook.add("Challenges", kind="organizing-theme")
    for name in ("Time and meeting timing", "Attrition", "Jargon"):
        project.codebook.add(name, parent="Challenges")
    project.codebook.add("Support")

    def code(coder: str, path: str, text: str) -> None:
        project.coding.apply("interview", path, *span(project, text), coder=coder)

    # One passage, two codes: tomas says Time, maya says Attrition over two sentences.
    code("tomas", "Challenges/Time and meeting timing", "Meetings were at noon.")
    code("maya", "Challenges/Attrition", "Meetings were at noon. I work days.")
    # A passage only maya coded.
    code("maya", "Support", "A glossary.")
    return project


def test_overlapping_disagreements_make_one_passage(study: Project) -> None:
    first, second = study.reconcile.passages(CODERS)
    assert (first.start, first.end) == span(study, "Meetings were at noon. I work days.")
    assert first.codes == ["Challenges/Time and meeting timing", "Challenges/Attrition"]
    assert first.marked("maya") == ["Challenges/Attrition"]
    assert first.marked("tomas") == ["Challenges/Time and meeting timing"]
    assert second.codes == ["Support"]


def test_only_the_outcomes_that_differ_are_offered(study: Project) -> None:
    from coder.reconcile.passages import outcomes

    two_codes, one_coder = study.reconcile.passages(CODERS)
    assert list(outcomes(two_codes, CODERS)) == ["a", "b", "both", "neither"]
    # Only maya coded it: her version keeps it, tomas's drops it; both and neither repeat them.
    assert outcomes(one_coder, CODERS) == {"a": frozenset({"Support"}), "b": frozenset()}


def test_a_passage_decision_writes_the_consensus_and_logs_it_in_words(study: Project) -> None:
    passage = study.reconcile.passages(CODERS)[0]
    words = study.reconcile.decide_passage(
        passage, ["Challenges/Time and meeting timing"], coders=CODERS, actor="lead"
    )
    assert words == (
        "kept tomas's Time and meeting timing on “Meetings were at noon. I work days.” in "
        "interview; dropped maya's Attrition"
    )
    consensus = study.coding.frame(coders=["consensus"])
    time = study.codebook.code("Challenges/Time and meeting timing").id
    assert consensus[["code_id", "start", "end"]].values.tolist() == [
        [time, *span(study, "Meetings were at noon.")]
    ]
    decisions = study.reconcile.decisions()
    assert len(decisions) == 2  # Attrition's two sentences (one run) are one; Time one
    assert study.events(limit=1)[0].action == "reconcile.passage"
    # The passage left the queue; undo brings it back whole.
    assert [p.codes for p in study.reconcile.passages(CODERS)] == [["Support"]]
    study.undo(actor="lead")
    assert len(study.reconcile.passages(CODERS)) == 2
    assert study.coding.frame(coders=["consensus"]).empty


def test_a_code_not_disputed_in_the_passage_is_refused(study: Project) -> None:
    passage = study.reconcile.passages(CODERS)[1]
    with pytest.raises(UsageError, match="Jargon is not disputed"):
        study.reconcile.decide_passage(passage, ["Challenges/Jargon"], coders=CODERS)
