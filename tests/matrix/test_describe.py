"""coder describe: documents, participants, words and minutes by group, counted here from
the transcripts themselves."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from coder import Project
from coder.cli import cli
from coder.ingest.api import ImportOptions

# file: (site, role, [(speaker, start, end, words said)])
INTERVIEWS = {
    "a1": ("A", "patient", [("Ann", 0, 90, "We met every month and it helped.")]),
    "a2": ("A", "provider", [("Al", 0, 30, "Time was short.")]),
    "b1": ("B", "patient", [("Bea", 10, 70, "Nobody explained the jargon to us at first.")]),
}


def vtt(turns: list[tuple[str, int, int, str]]) -> str:
    cues = ["WEBVTT", ""]
    cues += ["00:00:00.000 --> 00:00:05.000", "<v Interviewer>What happened?", ""]
    for speaker, start, end, said in turns:
        cues += [
            f"00:00:{start:02d}.000 --> 00:01:{end - 60:02d}.000"
            if end >= 60
            else f"00:00:{start:02d}.000 --> 00:00:{end:02d}.000",
            f"<v {speaker}>{said}",
            "",
        ]
    return "\n".join(cues)


@pytest.fixture
def corpus(project: Project, tmp_path: Path) -> Project:
    rows = ["file,site,role,participant"]
    for name, (site, role, turns) in INTERVIEWS.items():
        (tmp_path / f"{name}.vtt").write_text(vtt(turns))
        rows.append(f"{name}.vtt,{site},{role},{turns[0][0]}")
    (tmp_path / "manifest.csv").write_text("\n".join(rows) + "\n")
    project.import_files(
        sorted(tmp_path.glob("*.vtt")),
        ImportOptions(manifest=tmp_path / "manifest.csv", interviewer_labels=("Interviewer",)),
    )
    return project


def test_table_by_site_and_role(corpus: Project) -> None:
    frame = corpus.matrices.describe("site", split="role")
    texts = {name: corpus.document(name).text for name in INTERVIEWS}
    words = {name: len(text.split()) for name, text in texts.items()}
    # Interviews last from the first cue's start (0 s) to the last cue's end.
    minutes = {name: max(5, turns[-1][2]) / 60 for name, (_, _, turns) in INTERVIEWS.items()}
    assert list(frame.index) == ["A / patient", "A / provider", "B / patient", "Total"]
    assert frame.loc["A / patient", "documents"] == 1
    assert frame.loc["A / provider", "words"] == words["a2"]
    assert frame.loc["Total", "words"] == sum(words.values())
    assert frame.loc["Total", "participants"] == 3
    assert frame.loc["B / patient", "minutes"] == pytest.approx(minutes["b1"], abs=0.05)
    by_site = corpus.matrices.describe("site")
    assert by_site.loc["A", "documents"] == 2 and by_site.loc["A", "participants"] == 2
    # The methods report describes the corpus with the same per-document counts.
    facts = corpus.reports.facts(by="site", split="role", draws=10, orders=10)
    assert facts.corpus.words == words


def test_participant_groups_count_their_own_turns(corpus: Project) -> None:
    frame = corpus.matrices.describe("participant:role")
    said = {name: len(turns[0][3].split()) for name, (_, _, turns) in INTERVIEWS.items()}
    assert frame.loc["patient", "words"] == said["a1"] + said["b1"]
    assert frame.loc["patient", "minutes"] == pytest.approx((90 + 60) / 60, abs=0.05)
    only_b = corpus.matrices.describe("role", where={"site": ["B"]})
    assert list(only_b.index) == ["patient"]


def test_the_command_line(corpus: Project) -> None:
    result = CliRunner().invoke(
        cli,
        ["describe", "-p", corpus.location, "--by", "site", "--split", "role", "--format", "csv"],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "site / role,documents,participants,words,minutes,timed"
    result = CliRunner().invoke(cli, ["describe", "-p", corpus.location, "--split", "role"])
    assert result.exit_code == 2 and "name --by too" in result.output


def test_start_times_only(project: Project, tmp_path: Path) -> None:
    """`[HH:MM:SS] Name:` transcripts give each turn a start and no end: the interview lasts
    from the first timestamp to the last, and a turn ends where the next one starts."""
    path = tmp_path / "c1.txt"
    path.write_text(
        "[00:00:05] Interviewer: What got in the way?\n"
        "[00:00:12] Rosa: The jargon, honestly. Nobody explained it.\n"
        "[00:01:42] Interviewer: Anything else?\n"
        "[00:01:50] Rosa: Time.\n"
        "[00:02:35] Interviewer: Thank you.\n"
    )
    (tmp_path / "m.csv").write_text("file,site,participant\nc1.txt,C,Rosa\n")
    project.import_files([path], ImportOptions(manifest=tmp_path / "m.csv"))
    by_site = project.matrices.describe("site")
    assert by_site.loc["C", "minutes"] == pytest.approx((155 - 5) / 60, abs=0.05)
    assert by_site.loc["C", "timed"] == 1
    rosa = project.matrices.describe("participant:site")
    assert rosa.loc["C", "minutes"] == pytest.approx(((102 - 12) + (155 - 110)) / 60, abs=0.05)
