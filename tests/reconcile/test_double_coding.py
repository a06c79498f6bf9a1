"""Dual coding on a project: agreement from its codings, the blind phase, reconciliation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from coder import Project
from coder.cli import cli
from coder.errors import UsageError

INTERVIEW = """Interviewer: What got in the way?
Dana: Time, mostly. Meetings were at noon. I work days. The jargon was hard too. Nobody explained PDSA.
Interviewer: What helped?
Dana: A glossary. And the coach. She came every month.
"""
OTHER = """Interviewer: Anything else?
Lee: Only the parking. It cost a fortune.
"""


def sentence(project: Project, text: str, document: str = "interview") -> tuple[int, int]:
    body = project.document(document).text
    start = body.index(text)
    return start, start + len(text)


@pytest.fixture
def study(project: Project, tmp_path: Path) -> Project:
    (tmp_path / "interview.txt").write_text(INTERVIEW)
    (tmp_path / "other.txt").write_text(OTHER)
    project.import_files([tmp_path / "interview.txt", tmp_path / "other.txt"])
    for name in ("Time", "Jargon", "Support"):
        project.codebook.add(name)

    def code(coder: str, code: str, text: str, document: str = "interview") -> None:
        start, end = sentence(project, text, document)
        project.coding.apply(document, code, start, end, coder=coder)

    # maya and tomas agree on two Time sentences; tomas takes a longer span on one of them.
    code("maya", "Time", "Time, mostly.")
    code("tomas", "Time", "Time, mostly. Meetings were at noon.")
    code("maya", "Time", "I work days.")
    code("tomas", "Time", "I work days.")
    # They disagree on Jargon (maya only) and Support (tomas only).
    code("maya", "Jargon", "Nobody explained PDSA.")
    code("tomas", "Support", "A glossary.")
    # A document only maya coded is not compared.
    code("maya", "Time", "It cost a fortune.", "other")
    return project


def test_agreement_counts_on_the_common_documents(study: Project) -> None:
    report = study.agreement(["maya", "tomas"], "sentence")
    assert report.documents == ("interview",)
    rows = report.per_code.set_index("code")
    # 10 sentences; Time: maya marks 2, tomas marks 3 (his span covers "Meetings were at noon.").
    assert rows.loc["Time", "n_units"] == 10
    assert (rows.loc["Time", "coded_by_maya"], rows.loc["Time", "coded_by_tomas"]) == (2, 3)
    assert rows.loc["Time", "coded_by_all"] == 2
    assert rows.loc["Time", "percent_agreement"] == pytest.approx(0.9)
    assert rows.loc["Time", "percent_agreement_marked"] == pytest.approx(2 / 3)
    assert rows.loc["Jargon", "coded_by_all"] == 0
    assert len(report.pooled) == 1


def test_units_change_the_picture(study: Project) -> None:
    by_turn = study.agreement(["maya", "tomas"], "turn").per_code.set_index("code")
    assert by_turn.loc["Time", "percent_agreement"] == pytest.approx(1.0)
    by_document = study.agreement(["maya", "tomas"], "document").per_code.set_index("code")
    assert by_document.loc["Jargon", "n_units"] == 1


def test_comparing_needs_two_known_coders_with_common_documents(study: Project) -> None:
    with pytest.raises(UsageError, match="at least two"):
        study.agreement(["maya"])
    with pytest.raises(UsageError, match="no coder named 'zoe'"):
        study.agreement(["maya", "zoe"])


def test_disagreements_carry_text_and_context(study: Project) -> None:
    found = study.disagreements(["maya", "tomas"], "sentence")
    summary = [(d.code, d.text, d.marked_by) for d in found]
    assert summary == [
        ("Time", "Meetings were at noon.", ("tomas",)),
        ("Jargon", "Nobody explained PDSA.", ("maya",)),
        ("Support", "A glossary.", ("tomas",)),
    ]
    assert found[0].before.endswith("Time, mostly. ")


def test_accept_agreements_writes_consensus_with_sources(study: Project) -> None:
    assert study.reconcile.accept_agreements(["maya", "tomas"], actor="lead") == 2
    consensus = study.coding.frame(coders=["consensus"])
    spans = sorted(consensus[["start", "end"]].values.tolist())
    # Both coders' spans, clipped to each agreed sentence: tomas's longer span does not carry
    # "Meetings were at noon." into the consensus, that sentence has its own decision.
    assert spans == [list(sentence(study, "Time, mostly.")), list(sentence(study, "I work days."))]
    assert set(consensus["origin"]) == {"reconciled"}
    sources = study.reconcile.sources()
    assert len(sources) == 4  # each consensus coding links to maya's and tomas's
    # Running it again adds nothing.
    assert study.reconcile.accept_agreements(["maya", "tomas"], actor="lead") == 0


def test_each_choice_gives_exactly_the_expected_consensus(study: Project) -> None:
    pair = ["maya", "tomas"]
    pending = study.reconcile.pending(pair)
    assert [d.code for d in pending] == ["Time", "Jargon", "Support"]
    noon, jargon, support = pending
    study.reconcile.decide(
        noon, "a", coders=pair, rationale="Noon is a detail, not time pressure.", actor="lead"
    )
    study.reconcile.decide(jargon, "a", coders=pair, rationale="Clearly jargon.", actor="lead")
    study.reconcile.decide(
        support,
        "edit",
        coders=pair,
        span=sentence(study, "A glossary. And the coach."),
        actor="lead",
    )
    consensus = study.coding.frame(coders=["consensus"])
    rows = sorted(zip(consensus["code_id"], consensus["start"], consensus["end"], strict=True))
    ids = {c.name: c.id for c in study.codebook.tree().codes}
    assert rows == sorted(
        [
            (ids["Jargon"], *sentence(study, "Nobody explained PDSA.")),
            (ids["Support"], *sentence(study, "A glossary. And the coach.")),
        ]
    )
    decisions = study.reconcile.decisions()
    assert decisions["choice"].tolist() == ["a", "a", "edit"]
    assert decisions["decided_by"].tolist() == ["lead"] * 3
    assert decisions["rationale"].tolist()[0] == "Noon is a detail, not time pressure."
    assert study.reconcile.pending(pair) == []
    events = [e.action for e in study.events(limit=3)]
    assert events == ["reconcile.decide"] * 3


def test_both_and_neither(study: Project) -> None:
    pair = ["maya", "tomas"]
    noon, jargon, _ = study.reconcile.pending(pair)
    study.reconcile.decide(jargon, "neither", coders=pair, actor="lead")
    study.reconcile.decide(noon, "both", coders=pair, actor="lead")
    consensus = study.coding.frame(coders=["consensus"])
    assert consensus[["start", "end"]].values.tolist() == [
        list(sentence(study, "Meetings were at noon."))
    ]


def test_a_decision_can_be_undone(study: Project) -> None:
    pair = ["maya", "tomas"]
    jargon = study.reconcile.pending(pair)[1]
    study.reconcile.decide(jargon, "a", coders=pair, actor="lead")
    study.undo(actor="lead")
    assert study.coding.frame(coders=["consensus"]).empty
    assert len(study.reconcile.pending(pair)) == 3


def test_each_coder_against_consensus(study: Project) -> None:
    study.reconcile.accept_agreements(["maya", "tomas"], actor="lead")
    for d in study.reconcile.pending(["maya", "tomas"]):
        study.reconcile.decide(d, "a", coders=["maya", "tomas"], actor="lead")
    report = study.agreement(["maya", "consensus"], documents=["interview"])
    assert report.per_code["percent_agreement"].tolist() == [1.0, 1.0]


def test_cli_agree_json_and_blind_phase(study: Project) -> None:
    location = study.location
    runner = CliRunner()
    result = runner.invoke(cli, ["agree", "-p", location, "--coders", "maya,tomas", "--json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["unit"] == "sentence" and data["coders"] == ["maya", "tomas"]
    fields = {
        "code",
        "n_units",
        "percent_agreement",
        "cohen_kappa",
        "krippendorff_alpha",
        "gwet_ac1",
    }
    assert fields <= set(data["per_code"][0])
    assert fields - {"code"} <= set(data["pooled"])
    assert runner.invoke(cli, ["phase", "-p", location, "blind", "--as", "lead"]).exit_code == 0
    refused = runner.invoke(cli, ["quotes", "-p", location])
    assert refused.exit_code == 2 and "blind phase" in refused.stderr
    mine = runner.invoke(cli, ["quotes", "-p", location, "--coder", "maya"])
    assert mine.exit_code == 0 and "Nobody explained PDSA." in mine.stdout
    assert "A glossary." not in mine.stdout
