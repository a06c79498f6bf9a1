"""`project.matrices.report`: the report `coder matrix-report` writes, from the Python API."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from coder import Project
from coder.errors import UsageError
from coder.matrix import export


@pytest.mark.parametrize("location", ["sqlite"], indirect=True)
def test_a_markdown_report_holds_each_matrix_its_quotes_and_notes(
    project: Project, tmp_path: Path
) -> None:
    from matrix_study import build

    study = build(project, tmp_path / "corpus")
    study.memos.add("site=B", "Two interviews only.", title="Small site", actor="lead")
    report = study.matrices.report("site", measures=("segments", "share"), fmt="md")
    assert [m.measure for m in report.matrices] == ["segments", "share"]
    assert report.matrices[0].left_out == 1  # the pilot interview has no site
    content = report.content
    assert isinstance(content, str)
    assert content.startswith(f"# {study.title}\n")
    for matrix in report.matrices:
        assert export.markdown(matrix) in content
    assert "## Notes on each site\n\n### site B: Small site\n\nTwo interviews only." in content
    assert report.quotes is not None and len(report.quotes.chosen)
    assert "## Exemplar quotes by site" in content


def test_a_workbook_report_has_a_sheet_per_matrix(study: Project) -> None:
    report = study.matrices.report("site", per_cell=0)
    assert report.quotes is None and isinstance(report.content, bytes)
    sheets = pd.read_excel(io.BytesIO(report.content), sheet_name=None, index_col=0)
    assert list(sheets) == ["segments", "participants", "share", "About"]
    share = report.matrices[2].frame
    assert list(sheets["share"].index) == list(share.index)


def test_the_command_writes_what_the_api_returns(study: Project, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from coder.cli import cli

    target = tmp_path / "report.html"
    args = ["matrix-report", "-p", study.location, "--by", "site", "-o", str(target)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.stderr
    assert target.read_text() == study.matrices.report("site", fmt="html").content


@pytest.mark.parametrize(
    ("options", "words"),
    [({"measures": ()}, "at least one measure"), ({"per_cell": -1}, "0 or more")],
)
def test_bad_options_are_refused(study: Project, options: dict[str, object], words: str) -> None:
    with pytest.raises(UsageError, match=words):
        study.matrices.report("site", **options)  # type: ignore[arg-type]
