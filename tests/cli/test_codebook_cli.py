"""`coder codebook` editing commands, `coder log`, `coder undo` and `coder redo`."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from coder.cli import cli


def run(*args: str, project: str) -> tuple[int, str, str]:
    env = {"CODER_PROJECT": project, "CODER_USER": "amira"}
    result = CliRunner().invoke(cli, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_build_edit_and_show_a_codebook(tmp_path: Path) -> None:
    project = str(tmp_path / "s.coder")
    assert run("init", project, project=project)[0] == 0
    assert (
        run("codebook", "add", "Challenges", "--kind", "organizing-theme", project=project)[0] == 0
    )
    code, out, _ = run(
        "codebook",
        "add",
        "Time",
        "--parent",
        "Challenges",
        "--key",
        "t",
        "--definition",
        "Not enough time to take part.",
        project=project,
    )
    assert (code, out) == (0, "Added 'Challenges/Time'.\n")
    run("codebook", "add", "Jargon", "--parent", "Challenges", project=project)
    run("codebook", "rename", "Challenges/Jargon", "Clinical jargon", project=project)

    code, out, _ = run("codebook", "show", "--definitions", project=project)
    assert out.splitlines() == [
        "Challenges",
        "  [t] Time",
        "      Not enough time to take part.",
        "  Clinical jargon",
    ]
    code, out, _ = run("codebook", "show", "--json", project=project)
    tree = json.loads(out)
    assert [c["path"] for c in tree[0]["children"]] == [
        "Challenges/Time",
        "Challenges/Clinical jargon",
    ]


def test_errors_undo_redo_and_log(tmp_path: Path) -> None:
    project = str(tmp_path / "s.coder")
    run("init", project, project=project)
    run("codebook", "add", "Challenges", project=project)
    run("codebook", "add", "Jargon", "--parent", "Challenges", project=project)

    code, out, err = run("codebook", "rename", "Challenges/Jargn", "X", project=project)
    assert code == 1
    assert err == "coder: error: no code 'Jargn' under 'Challenges'; did you mean 'Jargon'?\n"

    assert run("codebook", "rename", "Challenges/Jargon", "Acronyms", project=project)[0] == 0
    code, out, _ = run("undo", project=project)
    assert out == "Undid: Renamed code Challenges/Jargon to Acronyms\n"
    code, out, _ = run("redo", project=project)
    assert out == "Redid: Renamed code Challenges/Jargon to Acronyms\n"

    code, out, _ = run("log", "-n", "3", project=project)
    lines = [line.split(None, 3)[3].strip() for line in out.splitlines()]  # after #id, date, time
    assert lines == [
        "amira         Redid: Renamed code Challenges/Jargon to Acronyms",
        "amira         Undid: Renamed code Challenges/Jargon to Acronyms",
        "amira         Renamed code Challenges/Jargon to Acronyms",
    ]


def test_delete_needs_force_when_codings_exist_message(tmp_path: Path) -> None:
    project = str(tmp_path / "s.coder")
    run("init", project, project=project)
    run("codebook", "add", "Time", project=project)
    code, out, _ = run("codebook", "delete", "Time", project=project)
    assert code == 0 and "coder undo" in out
    code, out, _ = run("codebook", "show", project=project)
    assert "empty" in out
