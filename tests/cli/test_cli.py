"""The `coder` command: init and info on both engines, help everywhere, errors as one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from coder.cli import cli
from coder.storage import migrate


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_init_then_info_json(location: str) -> None:
    code, out, err = run("init", location, "--title", "Partnership study")
    assert code == 0, err
    assert "Created project 'Partnership study'" in out
    code, out, err = run("info", "-p", location, "--json")
    assert code == 0, err
    info = json.loads(out)
    assert info["title"] == "Partnership study"
    assert info["schema_version"] == migrate.head()
    assert info["counts"] == {
        "documents": 0,
        "codes": 0,
        "coders": 0,
        "codings": 0,
        "participants": 0,
        "memos": 0,
    }
    assert "T" in info["created_at"]  # ISO 8601


def test_project_from_environment(tmp_path: Path) -> None:
    path = str(tmp_path / "env.coder")
    assert run("init", path)[0] == 0
    code, out, _ = run("info", env={"CODER_PROJECT": path})
    assert code == 0
    assert "Schema" in out and migrate.head() in out


def test_missing_project_is_one_line_on_stderr(tmp_path: Path) -> None:
    code, out, err = run("info", "-p", str(tmp_path / "nope.coder"))
    assert code == 1
    assert out == ""
    assert err.startswith("coder: error: no project at ")
    assert len(err.strip().splitlines()) == 1


def test_no_project_given() -> None:
    code, _, err = run("info", env={"CODER_PROJECT": ""})
    assert code == 2
    assert "--project" in err


def test_real_process_prints_no_traceback(tmp_path: Path) -> None:
    notes = tmp_path / "notes.coder"
    notes.write_text("not a project")
    result = subprocess.run(
        [sys.executable, "-m", "coder", "info", "-p", str(notes)], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (
        result.stderr.strip()
        == f"coder: error: {notes} is not a coder project (not a SQLite database)"
    )


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command and subcommand, those imported only when asked for among them."""
    found = []
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        assert command is not None, name
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found += _commands(command, (*prefix, name))
    return found


@pytest.mark.parametrize("command", _commands(cli), ids=" ".join)
def test_every_command_has_help(command: tuple[str, ...]) -> None:
    code, out, _ = run(*command, "--help")
    assert code == 0
    assert "Usage: " in out
    # A docstring, not just the option list.
    assert len(out.split("Options:")[0].strip().splitlines()) >= 3


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0 and out.startswith("coder, version ")
