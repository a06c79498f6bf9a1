"""The import pipeline: manifests, attributes, participants, duplicates, failures, undo."""

from __future__ import annotations

from pathlib import Path

import pytest

from coder import Project
from coder.errors import InputError
from coder.ingest.api import ImportOptions

LEADER = """Interviewer: How did the council start?
Amira Haddad: Slowly. We met at noon and nobody could come.
Interviewer: And then?
Amira Haddad: We moved to evenings. Attendance doubled.
"""
PATIENT = """I: What got in the way?
R: The jargon, honestly.
I: Anything else?
R: Time. I work days.
"""
FOCUS = """[00:00:05] Facilitator: Welcome, everyone.
[00:00:12] Rosa: Thanks. I came because of the survey.
[00:00:20] Tom: Same here. Nobody read the suggestion box.
[00:00:31] Facilitator: Say more?
[00:00:35] Rosa: We never heard back.
"""
MANIFEST = """file,site,role,date,participant
site-a-leader.txt,A,leader,2025-04-17,Amira Haddad
site-b-patient.txt,B,patient,2025-05-02,
focus.txt,B,focus group,2025-05-09,
"""


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "transcripts"
    folder.mkdir()
    (folder / "site-a-leader.txt").write_text(LEADER)
    (folder / "site-b-patient.txt").write_text(PATIENT)
    (folder / "focus.txt").write_text(FOCUS)
    (tmp_path / "manifest.csv").write_text(MANIFEST)
    return folder


def test_import_a_folder_with_a_manifest(project: Project, corpus: Path) -> None:
    report = project.import_files([corpus], ImportOptions(manifest=corpus.parent / "manifest.csv"))
    assert report.summary() == "3 imported, 0 skipped as duplicates, 0 failed"
    docs = {d.name: d for d in project.documents()}
    leader = docs["site-a-leader"]
    assert leader.attributes == {"date": "2025-04-17", "role": "leader", "site": "A"}
    assert leader.participants == ("Amira Haddad",)
    assert leader.speakers == ("Interviewer", "Amira Haddad")
    assert leader.turns == 4 and leader.sentences >= 4
    assert docs["site-b-patient"].participants == ("site-b-patient/R",)
    # A focus group: each speaker other than the facilitator is a participant.
    assert docs["focus"].participants == ("focus/Rosa", "focus/Tom")
    with project._store.read() as tx:
        types = {a.name: a.type for a in tx.attributes("document")}
    assert types == {"date": "date", "role": "text", "site": "text"}


def test_turns_carry_roles_participants_and_times(project: Project, corpus: Path) -> None:
    project.import_files([corpus / "focus.txt"])
    turns = project.segments("focus", "turn")
    text = project.document("focus").text
    assert [(t.speaker, t.speaker_role, t.started_at) for t in turns] == [
        ("Facilitator", "interviewer", 5.0),
        ("Rosa", "participant", 12.0),
        ("Tom", "participant", 20.0),
        ("Facilitator", "interviewer", 31.0),
        ("Rosa", "participant", 35.0),
    ]
    assert text[turns[1].start : turns[1].end] == "Thanks. I came because of the survey."
    assert turns[1].participant_id == turns[4].participant_id != turns[2].participant_id
    sentences = project.segments("focus", "sentence")
    assert all(s.speaker_role is not None for s in sentences)


def test_same_content_is_skipped(project: Project, corpus: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy-of-leader.txt"
    copy.write_text(LEADER)
    report = project.import_files([corpus / "site-a-leader.txt", copy])
    assert [(o.status, o.message) for o in report.outcomes] == [
        ("imported", report.outcomes[0].message),
        ("duplicate", "same content as 'site-a-leader'"),
    ]


def test_same_name_new_content_needs_replace(
    project: Project, corpus: Path, tmp_path: Path
) -> None:
    project.import_files([corpus / "site-a-leader.txt"])
    newer = tmp_path / "v2" / "site-a-leader.txt"
    newer.parent.mkdir()
    newer.write_text(LEADER.replace("noon", "lunchtime"))
    report = project.import_files([newer])
    assert report.outcomes[0].status == "failed"
    assert "use --replace" in report.outcomes[0].message
    report = project.import_files([newer], ImportOptions(replace=True))
    assert report.outcomes[0].status == "replaced"
    assert "lunchtime" in project.document("site-a-leader").text


def test_replace_refuses_to_drop_codings(project: Project, corpus: Path, tmp_path: Path) -> None:
    project.import_files([corpus / "site-a-leader.txt"])
    project.codebook.add("Time")
    project.coding.apply("site-a-leader", "Time", 14, 30, coder="amira")
    newer = tmp_path / "v2" / "site-a-leader.txt"
    newer.parent.mkdir()
    newer.write_text(LEADER.replace("noon", "lunchtime"))
    report = project.import_files([newer], ImportOptions(replace=True))
    assert report.outcomes[0].status == "failed"
    assert "1 codings that would be lost" in report.outcomes[0].message


def test_a_bad_file_fails_alone(project: Project, corpus: Path) -> None:
    (corpus / "empty.txt").write_text("   \n")
    report = project.import_files([corpus])
    assert report.count("imported") == 3
    (failed,) = report.failed
    assert failed.path.name == "empty.txt" and "no text" in failed.message
    assert len(project.documents()) == 3


def test_strict_writes_nothing_when_one_file_fails(project: Project, corpus: Path) -> None:
    (corpus / "zz-junk.txt").write_bytes(b"\x00\x01\x02binary\x00junk" * 20)
    with pytest.raises(InputError, match="nothing was imported"):
        project.import_files([corpus], ImportOptions(strict=True))
    assert project.documents() == []
    assert project.info().counts.participants == 0


def test_manifest_naming_missing_files_writes_nothing(project: Project, corpus: Path) -> None:
    manifest = corpus.parent / "manifest.csv"
    manifest.write_text(MANIFEST + "site-z.txt,Z,leader,2025-05-01,\n")
    with pytest.raises(InputError, match=r"site-z\.txt"):
        project.import_files([corpus], ImportOptions(manifest=manifest))
    assert project.documents() == []


def test_attr_applies_to_every_file_and_manifest_wins(project: Project, corpus: Path) -> None:
    report = project.import_files(
        [corpus],
        ImportOptions(
            manifest=corpus.parent / "manifest.csv", attributes={"period": "2", "site": "X"}
        ),
    )
    assert not report.failed
    leader = next(d for d in project.documents() if d.name == "site-a-leader")
    assert leader.attributes["period"] == 2
    assert leader.attributes["site"] == "A"


def test_interviewer_is_guessed_from_questions_and_reported(
    project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "speakers.txt"
    path.write_text(
        "Speaker 1: Could you tell me how it started?\n"
        "Speaker 2: With a poster in the waiting room.\n"
        "Speaker 1: And who answered it?\n"
        "Speaker 2: Two people, both stayed.\n"
    )
    report = project.import_files([path])
    assert "interviewer guessed: Speaker 1" in report.outcomes[0].message
    roles = {t.speaker: t.speaker_role for t in project.segments("speakers")}
    assert roles == {"Speaker 1": "interviewer", "Speaker 2": "participant"}


def test_interviewer_label_option(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "speakers.txt"
    path.write_text("Speaker 1: Hello.\nSpeaker 2: Hi.\nSpeaker 1: Thanks.\nSpeaker 2: Bye.\n")
    project.import_files([path], ImportOptions(interviewer_labels=("Speaker 1",)))
    roles = {t.speaker: t.speaker_role for t in project.segments("speakers")}
    assert roles == {"Speaker 1": "interviewer", "Speaker 2": "participant"}


def test_an_import_can_be_undone_and_redone(project: Project, corpus: Path) -> None:
    project.import_files([corpus / "site-a-leader.txt"], actor="amira")
    segments = project.segments("site-a-leader", "sentence")
    project.undo(actor="amira")
    assert project.documents() == []
    project.redo(actor="amira")
    assert project.segments("site-a-leader", "sentence") == segments


def test_an_import_that_added_attributes_is_undone_and_redone_whole(
    project: Project, corpus: Path
) -> None:
    """The manifest adds attributes and sets them on new documents and participants: undo
    (once per file, each its own transaction) takes the values away with the attributes the
    first file added, and redo puts every value back."""
    manifest = corpus.parent / "manifest.csv"
    project.import_files([corpus], ImportOptions(manifest=manifest), actor="amira")
    documents = project.attributes.values("document").to_dict()
    people = project.attributes.values("participant").to_dict()
    assert documents["site"] == {"focus": "B", "site-a-leader": "A", "site-b-patient": "B"}
    for _ in range(3):
        project.undo(actor="amira")
    assert project.documents() == []
    with project._store.read() as tx:
        assert tx.attributes("document") == [] and tx.attributes("participant") == []
    for _ in range(3):
        project.redo(actor="amira")
    assert project.attributes.values("document").to_dict() == documents
    assert project.attributes.values("participant").to_dict() == people


def test_a_second_interview_adds_to_a_participant_but_never_rewrites(
    project: Project, tmp_path: Path
) -> None:
    """The same person interviewed in two periods: the participant keeps the site and period
    of their first interview (matrices by participant group count them there), each document
    keeps its own, and the import names the difference."""
    folder = tmp_path / "waves"
    folder.mkdir()
    (folder / "p1-wave1.txt").write_text(LEADER)
    (folder / "p1-wave2.txt").write_text(LEADER.replace("noon", "dawn"))
    manifest = tmp_path / "waves.csv"
    manifest.write_text(
        "file,site,period,participant\n"
        "p1-wave1.txt,A,1,Amira Haddad\n"
        "p1-wave2.txt,A,2,Amira Haddad\n"
    )
    first = project.import_files([folder / "p1-wave1.txt"], ImportOptions(manifest=manifest))
    assert not first.failed
    (tmp_path / "more.csv").write_text("participant,years\nAmira Haddad,12\n")
    project.attributes.import_csv(tmp_path / "more.csv")
    second = project.import_files([folder / "p1-wave2.txt"], ImportOptions(manifest=manifest))
    assert [o.message for o in second.outcomes if "keeps" in o.message] == [
        second.outcomes[0].message
    ]
    assert second.outcomes[0].message.endswith(
        "; participant Amira Haddad keeps period from an earlier interview "
        "(this one's values stay on the document)"
    )
    people = project.attributes.values("participant")
    amira = people.loc["Amira Haddad"].dropna().to_dict()
    assert amira == {"site": "A", "period": 1, "years": 12}
    docs = {d.name: d.attributes for d in project.documents()}
    assert docs["p1-wave1"]["period"] == 1 and docs["p1-wave2"]["period"] == 2
