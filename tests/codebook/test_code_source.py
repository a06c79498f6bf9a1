"""A code's source (the section or page of the study it comes from) survives every format."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from coder import Project
from coder.cli import cli
from coder.codebook.csv_format import read_csv
from coder.codebook.qdc import read_qdc
from coder.codebook.text_formats import to_latex, to_markdown
from coder.codebook.yaml_format import dump_yaml, load_yaml

CODEBOOK = """\
title: Partnership
source: A study, 2021.
codes:
  - name: Resources
    source: Results, "Resources"; Table 3
    children:
      - name: Time
        definition: Time set aside for the work.
        source: p. 128, "Material resources"
      - name: Trust
"""


def test_yaml_reads_and_writes_a_code_source() -> None:
    spec = load_yaml(CODEBOOK).spec
    resources = spec.codes[0]
    assert resources.source == 'Results, "Resources"; Table 3'
    assert [c.source for c in resources.children] == ['p. 128, "Material resources"', ""]
    text = dump_yaml(spec)
    assert "source: p. 128" in text
    assert text.count("source:") == 3  # the codebook's and two codes'; none for an empty one
    assert load_yaml(text).spec == spec


def test_csv_takes_a_source_column() -> None:
    rows = "name,parent,source\nResources,,Table 3\nTime,Resources,p. 128\n"
    spec = read_csv(rows).spec
    assert [spec.codes[0].source, spec.codes[0].children[0].source] == ["Table 3", "p. 128"]


def test_the_project_keeps_it_and_every_export_carries_it(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "book.yaml"
    path.write_text(CODEBOOK)
    project.codebook.load(path)
    assert project.codebook.code("Resources/Time").source == 'p. 128, "Material resources"'
    assert project.codebook.spec() == load_yaml(CODEBOOK).spec
    # REFI-QDA has no field for it: it travels in the description, read back as the source.
    qdc = read_qdc(project.codebook.export("qdc")).spec
    assert qdc.codes[0].children[0].source == 'p. 128, "Material resources"'
    assert qdc.codes[0].children[0].definition == "Time set aside for the work."
    assert '**Source.** p. 128, "Material resources"' in to_markdown(project.codebook.spec())
    assert '  \\item[Source] p. 128, "Material resources"' in to_latex(project.codebook.spec())


def test_the_command_line_sets_and_shows_it(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "book.yaml"
    path.write_text(CODEBOOK)
    project.codebook.load(path)
    location = project.location
    project.close()
    runner = CliRunner()
    result = runner.invoke(
        cli, ["codebook", "edit", "Resources/Trust", "--source", "p. 129", "-p", location]
    )
    assert result.exit_code == 0, result.output
    shown = runner.invoke(cli, ["codebook", "show", "--json", "-p", location])
    assert '"source": "p. 129"' in shown.output
    with Project.open(location) as reopened:
        assert reopened.codebook.code("Resources/Trust").source == "p. 129"
