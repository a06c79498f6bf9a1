"""`coder serve` answers in a browser; `coder PROJECT` is short for `coder tui -p PROJECT`."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from click.testing import CliRunner

from coder import Project
from coder.cli.main import cli


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_answers_with_the_web_terminal(tmp_path: Path) -> None:
    location = tmp_path / "study.coder"
    Project.create(location).close()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "coder", "serve", "-p", str(location), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        page = ""
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://localhost:{port}/", timeout=2) as answer:
                    page = answer.read().decode()
                break
            except OSError:
                time.sleep(0.1)
        assert "<html" in page and "xterm" in page
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_refuses_a_missing_project(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "-p", str(tmp_path / "nope.coder")])
    assert result.exit_code != 0
    assert "nope.coder" in result.output


def test_a_project_file_alone_opens_the_workbench(tmp_path: Path) -> None:
    location = tmp_path / "study.coder"
    Project.create(location).close()
    result = CliRunner().invoke(cli, [str(location), "--help"])
    assert result.exit_code == 0
    assert "Open the project in the terminal workbench" in result.output
    missing = CliRunner().invoke(cli, [str(tmp_path / "other.coder")])
    assert missing.exit_code == 2
    assert "No such command" in missing.output


def test_the_workbench_takes_its_project_without_p(tmp_path: Path) -> None:
    # A file that only looks like a project: opening it fails, naming it, which shows that
    # `coder tui PATH` took PATH for the project (rather than asking for -p).
    location = tmp_path / "notes.coder"
    location.write_text("not a database")
    result = CliRunner().invoke(cli, ["tui", str(location), "--as", "maya"])
    assert result.exit_code == 1, result.output
    assert "notes.coder" in result.output and "Missing option" not in result.output
