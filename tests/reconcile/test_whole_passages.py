"""The consensus holds whole passages: decided or agreed sentence by sentence, a passage the
coders coded as one is one consensus coding, and counts once."""

from __future__ import annotations

from pathlib import Path

from coder import Project

INTERVIEW = """Interviewer: What did managers do?
Lou: We promoted the project at every meeting. The directors heard about it monthly. It took time.
Interviewer: What helped?
Lou: A glossary. The coach.
"""
PASSAGE = "We promoted the project at every meeting. The directors heard about it monthly."


def span(project: Project, text: str) -> tuple[int, int]:
    start = project.document("interview").text.index(text)
    return start, start + len(text)


def consensus_spans(project: Project) -> list[tuple[str, int, int]]:
    frame = project.coding.frame(coders=["consensus"])
    tree = project.codebook.tree()
    paths = {c.id: tree.path(c) for c in tree.codes}
    return sorted(
        (paths[int(c)], int(s), int(e))
        for c, s, e in zip(frame["code_id"], frame["start"], frame["end"], strict=True)
    )


def test_a_passage_decided_sentence_by_sentence_is_one_consensus_coding(
    project: Project, tmp_path: Path
) -> None:
    (tmp_path / "interview.txt").write_text(INTERVIEW)
    project.import_files([tmp_path / "interview.txt"])
    project.codebook.add("Promoting")
    project.codebook.add("Tactical")
    whole = span(project, PASSAGE)
    first = span(project, "We promoted the project at every meeting.")
    second = span(project, "The directors heard about it monthly.")
    # Maya codes the two-sentence passage Promoting; Tomas codes its first sentence, then
    # the second on its own. Both code the passage Tactical.
    project.coding.apply("interview", "Promoting", *whole, coder="maya")
    project.coding.apply("interview", "Promoting", *first, coder="tomas")
    project.coding.apply("interview", "Tactical", *whole, coder="maya")
    project.coding.apply("interview", "Tactical", *whole, coder="tomas")
    coders = ["maya", "tomas"]
    assert project.reconcile.accept_agreements(coders) == 2
    assert consensus_spans(project) == [("Promoting", *first), ("Tactical", *whole)]
    (pending,) = project.reconcile.pending(coders)
    assert (pending.start, pending.end) == second
    project.reconcile.decide(pending, "a", coders=coders, rationale="the same passage")
    # The decided sentence joins the agreed one: Maya's passage, not two fragments.
    assert consensus_spans(project) == [("Promoting", *whole), ("Tactical", *whole)]
    # So Promoting x Tactical counts the passage once, as for either coder: 1, not 2.
    for coder in (None, "maya", "consensus"):
        m = project.matrices.cooccurrence(rows="codes", coder=coder)
        assert m.frame.loc["Promoting", "Tactical"] == 1, coder
    # The joined coding still says which codings it came from.
    sources = project.reconcile.sources()
    frame = project.coding.frame(coders=["maya", "tomas"])
    came_from = set(frame.loc[frame["id"].isin(sources["source_id"]), "coder"])
    assert came_from == {"maya", "tomas"}
    # Undo takes the decision back, and the agreed sentence is a coding of its own again.
    project.undo()
    assert consensus_spans(project) == [("Promoting", *first), ("Tactical", *whole)]


def test_passages_coded_apart_stay_apart(project: Project, tmp_path: Path) -> None:
    (tmp_path / "interview.txt").write_text(INTERVIEW)
    project.import_files([tmp_path / "interview.txt"])
    project.codebook.add("Support")
    glossary, coach = span(project, "A glossary."), span(project, "The coach.")
    project.coding.apply("interview", "Support", *glossary, coder="maya")
    project.coding.apply("interview", "Support", *coach, coder="tomas")
    coders = ["maya", "tomas"]
    for disagreement in project.reconcile.pending(coders):
        project.reconcile.decide(disagreement, "both", coders=coders)
    assert consensus_spans(project) == [("Support", *glossary), ("Support", *coach)]
