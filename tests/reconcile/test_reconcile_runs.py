"""Disagreements on neighbouring sentences are decided once, as one passage."""

from __future__ import annotations

from pathlib import Path

from coder import Project

INTERVIEW = """Interviewer: What got in the way?
Dana: The jargon was hard. Nobody explained PDSA. Time was short too.
Interviewer: What helped?
Dana: A glossary. The coach.
"""


def span(project: Project, text: str) -> tuple[int, int]:
    start = project.document("interview").text.index(text)
    return start, start + len(text)


def test_a_run_of_sentences_is_one_disagreement_and_one_consensus_coding(
    project: Project, tmp_path: Path
) -> None:
    (tmp_path / "interview.txt").write_text(INTERVIEW)
    project.import_files([tmp_path / "interview.txt"])
    project.codebook.add("Jargon")
    jargon = "The jargon was hard. Nobody explained PDSA."
    project.coding.apply("interview", "Jargon", *span(project, jargon), coder="maya")
    project.coding.apply("interview", "Jargon", *span(project, "A glossary."), coder="maya")
    project.coding.apply("interview", "Jargon", *span(project, "The coach."), coder="tomas")
    pending = project.reconcile.pending(["maya", "tomas"])
    # Two sentences maya alone marked form one run; "A glossary." (maya) and "The coach."
    # (tomas) are neighbours but marked by different coders, so they stay apart.
    assert [(d.text, d.marked_by) for d in pending] == [
        (jargon, ("maya",)),
        ("A glossary.", ("maya",)),
        ("The coach.", ("tomas",)),
    ]
    project.reconcile.decide(pending[0], "a", coders=["maya", "tomas"], rationale="clear")
    consensus = project.coding.frame(coders=["consensus"])
    assert [tuple(map(int, r)) for r in consensus[["start", "end"]].to_numpy()] == [
        span(project, jargon)
    ]
    assert [d.text for d in project.reconcile.pending(["maya", "tomas"])] == [
        "A glossary.",
        "The coach.",
    ]
