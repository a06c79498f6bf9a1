"""Codings files and codebook patterns from careless or hostile hands: one line, nothing
written, and no pattern that runs for ever."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from coder import Project
from coder.cli import cli

TRANSCRIPT = (
    "Interviewer: Tell me about the meetings.\n\nRosa: Meetings were at noon. {long} is a word.\n"
)


@pytest.fixture
def study(project: Project, tmp_path: Path) -> Project:
    source = tmp_path / "interview.txt"
    source.write_text(TRANSCRIPT.format(long="a" * 60))
    project.import_files([source])
    project.codebook.add("Time")
    return project


def test_many_bad_rows_are_one_line(study: Project, tmp_path: Path) -> None:
    path = tmp_path / "codings.csv"
    rows = [f"nowhere{n},0,5,Time,rosa" for n in range(15)]
    path.write_text("document,start,end,code,coder\n" + "\n".join(rows) + "\n")
    result = CliRunner().invoke(cli, ["codings", "import", str(path), "-p", study.location])
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"coder: error: {path}: nothing was imported; fix these rows")
    assert "line 2: no document named 'nowhere0'" in line and "line 11:" in line
    assert "line 12:" not in line  # the first ten, and a word that there may be more
    assert study.info().counts.codings == 0


def test_a_quote_left_open_in_a_codings_file_names_its_line(study: Project, tmp_path: Path) -> None:
    path = tmp_path / "codings.csv"
    path.write_text(
        'document,start,end,code,coder,memo\ninterview,0,5,Time,rosa,"open\ninterview,0,6,Time,rosa,\n'
    )
    result = CliRunner().invoke(cli, ["codings", "import", str(path), "-p", study.location])
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert f"{path}, line 2: a quote" in line and "never closed" in line
    assert study.info().counts.codings == 0


def test_a_runaway_regex_in_a_codebook_pattern_stops_suggest_in_one_line(
    study: Project,
) -> None:
    """spaCy tests REGEX with Python's re, which `(a|aa)+b` keeps busy for ever on the
    sixty-letter token; coder runs it with a time budget instead."""
    study.codebook.edit("Time", patterns=[[{"LOWER": {"REGEX": "(a|aa)+b"}}]])
    done = subprocess.run(
        [sys.executable, "-m", "coder", "suggest", "--coder", "rosa", "-p", study.location],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert "'(a|aa)+b' takes too long" in line and "aaaa" in line
    assert study.coding.suggestions("rosa") == []


def test_a_regex_in_a_codebook_pattern_still_matches(study: Project) -> None:
    study.codebook.edit("Time", patterns=[[{"LOWER": {"REGEX": "^meet"}}, {"LOWER": "were"}]])
    run = study.coding.suggest("rosa")
    assert run.added == {"Time": 1}
    assert [s.text for s in study.coding.suggestions("rosa")] == ["Meetings were at noon."]
