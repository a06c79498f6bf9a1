"""The methods report and the audit trail on a small study on both engines: every format is
written, the audit trail carries the files' hashes, and `coder log` exports every event."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from small_study import STUDY, build

from coder import Project
from coder.cli.main import cli


@pytest.fixture
def study(project: Project, tmp_path: Path) -> Project:
    build(project, tmp_path / "corpus")
    project.codebook.rename("E", "Elsewhere", actor="ann")
    project.memos.add("code:A/a1", "Narrowed after the second interview.", actor="ann")
    return project


def test_every_format_of_the_methods_report(study: Project, tmp_path: Path) -> None:
    report = study.reports.methods(draws=50, orders=20)
    written = {}
    for suffix in ("md", "html", "tex", "docx"):
        files = study.reports.write(report, tmp_path / f"methods.{suffix}")
        written[suffix] = files
    markdown = (tmp_path / "methods.md").read_text(encoding="utf-8")
    assert markdown.startswith("# Methods: Test study")
    assert "The analysis covered 7 transcripts from 2 sites (X, Y" in markdown
    assert "1 renamed" in markdown  # the codebook's history, from the log
    assert "| 28. Participant checking | not recorded |" in markdown
    assert (tmp_path / "methods-saturation.png").is_file()  # Markdown links its figure
    assert written["md"] == [tmp_path / "methods.md", tmp_path / "methods-saturation.png"]
    html = (tmp_path / "methods.html").read_text(encoding="utf-8")
    assert "<table>" in html and "data:image/png;base64," in html
    tex = (tmp_path / "methods.tex").read_text(encoding="utf-8")
    assert "\\begin{tabular}" in tex and "\\includegraphics" in tex
    with zipfile.ZipFile(tmp_path / "methods.docx") as docx:
        body = docx.read("word/document.xml").decode("utf-8")
        assert "Participant checking" in body
        assert any(name.startswith("word/media/") for name in docx.namelist())


def test_the_audit_trail(study: Project, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "audit.md"
    result = runner.invoke(cli, ["report", "audit", "-p", study.location, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert str(out.resolve()) in result.output
    text = out.read_text(encoding="utf-8")
    for name, _, _ in STUDY:
        data = (tmp_path / "corpus" / f"{name}.txt").read_bytes()
        assert hashlib.sha256(data).hexdigest() in text
        normalised = study.document(name).text.encode("utf-8")
        assert hashlib.sha256(normalised).hexdigest() in text
    assert "Renamed code E to Elsewhere" in text
    assert "Narrowed after the second interview." in text
    assert "No disagreement has been decided." in text


def test_coder_log_exports_every_event(study: Project) -> None:
    runner = CliRunner()
    every = study.events(limit=None)
    result = runner.invoke(cli, ["log", "-p", study.location, "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [int(r["id"]) for r in rows] == sorted(e.id for e in every)  # oldest first, all
    assert json.loads(rows[-1]["data"]) == every[0].data
    mine = runner.invoke(cli, ["log", "-p", study.location, "--format", "json", "--who", "ann"])
    assert {e["actor"] for e in json.loads(mine.output)} == {"ann"}
    codes = runner.invoke(
        cli, ["log", "-p", study.location, "--format", "json", "--action", "code"]
    )
    actions = {e["action"] for e in json.loads(codes.output)}
    assert actions == {"code.add", "code.rename"}
    renamed = next(e for e in every if e.action == "code.rename")
    since = runner.invoke(
        cli, ["log", "-p", study.location, "--format", "json", "--since", f"#{renamed.id}"]
    )
    assert min(e["id"] for e in json.loads(since.output)) == renamed.id
    bad = runner.invoke(cli, ["log", "-p", study.location, "--since", "last week"])
    assert bad.exit_code != 0 and "neither a date" in bad.output


def test_report_errors_are_one_line(study: Project, tmp_path: Path) -> None:
    runner = CliRunner()
    wrong = runner.invoke(
        cli, ["report", "methods", "-p", study.location, "-o", str(tmp_path / "m.pdf")]
    )
    assert wrong.exit_code != 0
    assert wrong.output.strip().startswith("coder: error: cannot write a report as .pdf")
    unknown = runner.invoke(cli, ["report", "methods", "-p", study.location, "--by", "ward"])
    assert "--by 'ward' is not a document attribute (attributes: date, role, site)" in (
        unknown.output
    )
