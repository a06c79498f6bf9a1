"""Naming speakers from the manifest, naming documents, previewing an import, and what merged
turns mean downstream (participants, quotes, turn-level agreement), on both engines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from coder import Project
from coder.cli import cli
from coder.errors import InputError
from coder.ingest import read_manifest
from coder.ingest.api import ImportOptions

REV = """Speaker 1 (00:01):
How did the council start?

Speaker 2 (00:04):
With a poster.

Speaker 2 (00:09):
Then a meeting, one evening.

Speaker 1 (00:15):
Who came?

Speaker 2 (00:18):
Five patients.
"""
PODCAST = """**Bekah:** [00:00:00] Welcome to the show.

**Nick Taylor:** [00:00:05] Thanks for having me.

**Bekah Hawrot Weigel:** [00:00:09] Where do we start?

**Nick Taylor:** [00:00:12] With the waiting room.

**Bekah:** [00:00:20] Say more?
"""
GUID_A = "6d1c0e4f-3a2b-4c5d-9e8f-0a1b2c3d4e5f"
GUID_B = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
TEAMS = f"""WEBVTT

00:00:01.000 --> 00:00:03.000
<v {GUID_A}>What changed after the survey?</v>

00:00:04.000 --> 00:00:07.000
<v {GUID_B}>We started to answer it.</v>

00:00:08.000 --> 00:00:09.000
<v {GUID_A}>How?</v>

00:00:09.500 --> 00:00:12.000
<v {GUID_B}>A board in the waiting room.</v>
"""


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "transcripts"
    folder.mkdir()
    (folder / "rev.txt").write_text(REV)
    (folder / "podcast.md").write_text(PODCAST)
    (folder / "teams.vtt").write_text(TEAMS)
    return folder


def write_manifest(folder: Path, rows: str) -> Path:
    path = folder.parent / "manifest.csv"
    path.write_text("file,site,participant,speakers\n" + rows, encoding="utf-8")
    return path


def test_speakers_column_names_roles_and_participants(project: Project, corpus: Path) -> None:
    manifest = write_manifest(
        corpus,
        "rev.txt,E,,Speaker 1=interviewer; Speaker 2=P07\n"
        'podcast.md,E,,"Bekah|Bekah Hawrot Weigel=Bekah Hawrot Weigel (interviewer); '
        'Nick Taylor=Nick Taylor"\n',
    )
    report = project.import_files(
        [corpus / "rev.txt", corpus / "podcast.md"], ImportOptions(manifest=manifest)
    )
    assert not report.failed, report.outcomes
    assert all("guessed" not in o.message for o in report.outcomes)
    rev = project.document("rev")
    assert rev.text == (
        "Speaker 1: How did the council start?\n\n"
        "P07: With a poster.\nThen a meeting, one evening.\n\n"
        "Speaker 1: Who came?\n\n"
        "P07: Five patients."
    )
    turns = project.segments("rev", "turn")
    assert [(t.speaker, t.speaker_role, t.started_at) for t in turns] == [
        ("Speaker 1", "interviewer", 1.0),
        ("P07", "participant", 4.0),
        ("Speaker 1", "interviewer", 15.0),
        ("P07", "participant", 18.0),
    ]
    docs = {d.name: d for d in project.documents()}
    assert docs["rev"].participants == ("P07",)
    # The host's two names are one speaker, an interviewer: her turns merge across the alias.
    podcast = project.segments("podcast", "turn")
    assert [(t.speaker, t.speaker_role) for t in podcast] == [
        ("Bekah Hawrot Weigel", "interviewer"),
        ("Nick Taylor", "participant"),
        ("Bekah Hawrot Weigel", "interviewer"),
        ("Nick Taylor", "participant"),
        ("Bekah Hawrot Weigel", "interviewer"),
    ]
    assert docs["podcast"].speakers == ("Bekah Hawrot Weigel", "Nick Taylor")
    assert docs["podcast"].participants == ("Nick Taylor",)


def test_speakers_csv_maps_teams_guids(project: Project, corpus: Path, tmp_path: Path) -> None:
    speakers = tmp_path / "speakers.csv"
    speakers.write_text(
        f"file,label,participant,role\n"
        f"teams.vtt,{GUID_A},Interviewer,interviewer\n"
        f"teams.vtt,{GUID_B},P12,participant\n",
        encoding="utf-8",
    )
    report = project.import_files([corpus / "teams.vtt"], ImportOptions(speakers=speakers))
    assert not report.failed, report.outcomes
    text = project.document("teams").text
    assert GUID_A not in text and text.startswith("Interviewer: What changed after the survey?")
    turns = project.segments("teams", "turn")
    assert [(t.speaker, t.speaker_role) for t in turns] == [
        ("Interviewer", "interviewer"),
        ("P12", "participant"),
    ] * 2
    assert [d.participants for d in project.documents()] == [("P12",)]


def test_mapping_problems_are_reported(project: Project, corpus: Path) -> None:
    manifest = write_manifest(corpus, "rev.txt,E,,Speaker 1=interviewer; Speaker 3=P08\n")
    report = project.import_files([corpus / "rev.txt"], ImportOptions(manifest=manifest))
    (outcome,) = report.outcomes
    assert outcome.status == "imported"
    assert "the speakers list names label(s) not in the transcript: 'Speaker 3'" in outcome.message
    assert (
        "participant speaker(s) not in the speakers list, kept as written: 'Speaker 2'"
        in outcome.message
    )


def test_participant_pairs_name_participants_and_keep_labels(
    project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "group.txt"
    path.write_text("Facilitator: Welcome.\nLena: Hi.\nOmar: Hello.\nLena: Shall we?\n")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("file,participant\ngroup.txt,Lena=Lena Park; Omar=Omar Said\n")
    report = project.import_files([path], ImportOptions(manifest=manifest))
    (outcome,) = report.outcomes
    assert "speakers list" not in outcome.message
    assert project.document("group").text.startswith("Facilitator: Welcome.\n\nLena: Hi.")
    (group,) = project.documents()
    assert group.participants == ("Lena Park", "Omar Said")


def test_a_malformed_speakers_cell_names_its_line(corpus: Path) -> None:
    manifest = write_manifest(corpus, "rev.txt,E,,Speaker 1=interviewer\npodcast.md,E,,Bekah\n")
    with pytest.raises(InputError, match=r"manifest\.csv, line 3: the 'speakers' cell: 'Bekah'"):
        read_manifest(manifest)


def test_speakers_column_is_not_an_attribute(corpus: Path) -> None:
    manifest = read_manifest(write_manifest(corpus, "rev.txt,E,,Speaker 2=P07\n"))
    assert manifest.attributes == ("site",)


def test_same_stem_different_formats_get_distinct_stable_names(
    project: Project, tmp_path: Path
) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "interview.vtt").write_text(TEAMS)
    (folder / "interview.txt").write_text(REV)
    (folder / "other").mkdir()
    (folder / "other" / "interview.txt").write_text(PODCAST)
    files = [folder / "interview.vtt", folder / "interview.txt", folder / "other" / "interview.txt"]
    names = [p.document for p in project.preview_import(files)[0]]
    assert names == ["batch/interview.vtt", "batch/interview.txt", "other/interview.txt"]
    # The same files in another order get the same names.
    again = {p.path: p.document for p in project.preview_import(list(reversed(files)))[0]}
    assert [again[f] for f in files] == names
    report = project.import_files([folder])
    assert report.count("imported") == 3
    assert sorted(d.name for d in project.documents()) == sorted(names)
    assert report.notes == [
        "3 files would all be named 'interview'; their names keep their folders: "
        "batch/interview.txt, batch/interview.vtt, other/interview.txt"
    ]


def test_files_without_extension_in_a_folder_are_imported(project: Project, tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "interview-07").write_text(TEAMS)
    (folder / "cover.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    report = project.import_files([folder])
    (outcome,) = report.outcomes
    assert (outcome.status, outcome.document) == ("imported", "interview-07")
    assert "no file extension; read as WebVTT by its content" in outcome.message


def test_paragraphs_keep_their_own_times_in_storage(project: Project, corpus: Path) -> None:
    project.import_files([corpus / "rev.txt"])
    paragraphs = project.segments("rev", "paragraph")
    text = project.document("rev").text
    assert [(text[p.start : p.end], p.started_at, p.speaker) for p in paragraphs] == [
        ("How did the council start?", 1.0, "Speaker 1"),
        ("With a poster.", 4.0, "Speaker 2"),
        ("Then a meeting, one evening.", 9.0, "Speaker 2"),
        ("Who came?", 15.0, "Speaker 1"),
        ("Five patients.", 18.0, "Speaker 2"),
    ]
    sentences = project.segments("rev", "sentence")
    assert all(s.started_at is None for s in sentences)


def test_a_merged_turn_is_one_unit_downstream(project: Project, corpus: Path) -> None:
    project.import_files([corpus / "rev.txt"])
    text = project.document("rev").text
    project.codebook.add("Recruitment")
    first, second = text.index("With a poster."), text.index("Then a meeting")
    project.coding.apply("rev", "Recruitment", first, first + 14, coder="ana")
    project.coding.apply("rev", "Recruitment", second, second + 28, coder="ben")
    # Both coded Speaker 2's answer: the same turn, two different paragraphs.
    by_turn = project.agreement(["ana", "ben"], "turn").pooled.iloc[0]
    by_paragraph = project.agreement(["ana", "ben"], "paragraph").pooled.iloc[0]
    assert (by_turn["n_units"], by_turn["coded_by_all"], by_turn["coded_by_any"]) == (4, 1, 1)
    assert (by_paragraph["n_units"], by_paragraph["coded_by_all"]) == (5, 0)
    assert by_paragraph["coded_by_any"] == 2
    quotes = project.coding.quotes()
    assert {q.speaker for q in quotes} == {"Speaker 2"}


def test_preview_writes_nothing_and_knows_the_project(project: Project, corpus: Path) -> None:
    project.import_files([corpus / "rev.txt"])
    before = project.events(None)
    previews, notes = project.preview_import([corpus])
    assert project.events(None) == before
    assert notes == []
    by_name = {p.document: p for p in previews}
    assert by_name["rev"].status == "duplicate" and by_name["rev"].existing == "rev"
    teams = by_name["teams"]
    assert teams.status == "new"
    assert (teams.format, teams.encoding, teams.encoding_sureness) == ("vtt", "utf-8", "certain")
    assert (teams.convention, teams.turns, teams.paragraphs) == ("vtt-voice", 4, 4)
    assert (teams.first_time, teams.last_time) == (1.0, 12.0)
    assert [s.turns for s in teams.speakers] == [2, 2]
    assert teams.opening == (
        (GUID_A, "What changed after the survey?"),
        (GUID_B, "We started to answer it."),
    )


def test_preview_on_the_command_line(corpus: Path, tmp_path: Path) -> None:
    (corpus / "broken.srt").write_text("1\n00:00:01,000 --> 00:00:0x,000\nHi.\n")
    result = CliRunner().invoke(
        cli, ["import", "--preview", str(corpus)], env={"CODER_PROJECT": ""}
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert f"{corpus / 'rev.txt'}  →  rev" in out
    assert "  format    plain text, utf-8 (certain)" in out
    assert "  labels    speaker-n-timestamp (runner-up: none)" in out
    assert "  speakers  Speaker 1 (interviewer) 2 turns · Speaker 2 (participant) 2 turns" in out
    assert "  turns     4 turns, 5 paragraphs" in out
    assert "  time      0:00:01 – 0:00:18" in out
    assert "  opens     Speaker 1: How did the council start?" in out
    assert "            Speaker 2: With a poster. Then a meeting, one evening." in out
    assert "  ! interviewer guessed: Speaker 1 (the most questions)" in out
    assert "! cannot be imported: line 2: malformed cue timing line" in out
    assert out.rstrip().endswith(
        "4 file(s): 3 readable, 1 failing, 3 with warnings. Nothing was written."
    )
    assert not list(tmp_path.glob("*.coder"))


def test_preview_json(corpus: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["import", "--preview", "--json", str(corpus / "podcast.md")],
        env={"CODER_PROJECT": ""},
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    (found,) = data["files"]
    assert found["document"] == "podcast" and found["status"] == "new"
    assert found["convention"] == "name-colon"
    assert found["speakers"] == [
        {"name": "Bekah", "role": "participant", "participant": "podcast/Bekah", "turns": 2},
        {
            "name": "Nick Taylor",
            "role": "participant",
            "participant": "podcast/Nick Taylor",
            "turns": 2,
        },
        {"name": "Bekah Hawrot Weigel", "role": "interviewer", "participant": None, "turns": 1},
    ]
    assert found["opening"][0] == {"speaker": "Bekah", "text": "Welcome to the show."}
    assert found["first_time"] == 0.0 and found["last_time"] == 20.0


def test_confirm_declined_writes_nothing(location: str, corpus: Path) -> None:
    assert CliRunner().invoke(cli, ["init", location]).exit_code == 0
    result = CliRunner().invoke(
        cli, ["import", "-p", location, "--confirm", str(corpus / "rev.txt")], input="n\n"
    )
    assert result.exit_code == 0, result.output
    assert "Import 1 file(s)? [y/N]" in result.output and "Nothing was imported." in result.output
    with Project.open(location) as project:
        assert project.documents() == []
    result = CliRunner().invoke(
        cli, ["import", "-p", location, "--confirm", str(corpus / "rev.txt")], input="y\n"
    )
    assert "1 imported" in result.output
    documents = CliRunner().invoke(cli, ["documents", "-p", location, "--json"])
    (listed,) = json.loads(documents.output)
    assert (listed["turns"], listed["paragraphs"]) == (4, 5)


def test_import_needs_a_project_unless_previewing(corpus: Path) -> None:
    result = CliRunner().invoke(cli, ["import", str(corpus)], env={"CODER_PROJECT": ""})
    assert result.exit_code == 2
    assert "give the project with -p PROJECT" in result.output
