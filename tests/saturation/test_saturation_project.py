"""`project.saturation` and `coder saturation` on a small study on both engines, and the
figure: produced, axes labelled (read from the SVG's text and the PNG's metadata)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from PIL import Image
from small_study import build

from coder import Project
from coder.cli.main import cli
from coder.errors import UsageError


def test_new_codes_in_each_order(project: Project, tmp_path: Path) -> None:
    build(project, tmp_path / "corpus")
    by_date = project.saturation.assess(order="date", base_size=2, run_length=2, orders=20)
    assert by_date.items.documents == ("p1", "p2", "p4", "p3", "p5", "p6", "p7")
    # p1: A/a1 A/a2 B; p2: C; p4: E; p3: D; then nothing new.
    assert by_date.assessment.new == (3, 1, 1, 1, 0, 0, 0)
    assert by_date.assessment.base_total == 4
    assert [r.share for r in by_date.assessment.runs] == [0.5, 0.25, 0.0, 0.0]
    assert by_date.assessment.notation == "4+2"
    by_name = project.saturation.items(order="name")
    assert by_name.documents == tuple(f"p{i}" for i in range(1, 8))
    themes = project.saturation.items(order="date", level="themes")
    # a1 and a2 roll up into theme A; B is a plain code, not a theme, as in `coder matrix`.
    assert themes.found[0] == frozenset({"A"})
    with pytest.raises(UsageError, match="cannot order interviews by 'ward'"):
        project.saturation.items(order="ward")


def test_the_figure_is_drawn_with_its_axes_labelled(project: Project, tmp_path: Path) -> None:
    build(project, tmp_path / "corpus")
    report = project.saturation.assess(order="date", base_size=2, orders=5)
    svg = ElementTree.fromstring(report.figure("svg"))
    texts = {"".join(t.itertext()).strip() for t in svg.iter("{http://www.w3.org/2000/svg}text")}
    assert {"Interviews in order", "New codes", "Codes so far (cumulative)"} <= texts
    assert "saturation 4+2 (≤5%)" in texts
    png = Image.open(io.BytesIO(report.figure("png")))
    assert png.format == "PNG" and png.width > 600
    description = png.info["Description"]
    assert "x: Interviews in order" in description and "y: New codes" in description
    assert report.figure("svg") == report.figure("svg")  # no date inside: reproducible


def test_the_command(project: Project, tmp_path: Path) -> None:
    build(project, tmp_path / "corpus")
    location = project.location
    runner = CliRunner()
    shown = runner.invoke(cli, ["saturation", "-p", location, "--order", "date", "--base", "2"])
    assert shown.exit_code == 0, shown.output
    assert "Saturation at 4+2" in shown.output
    data = runner.invoke(
        cli, ["saturation", "-p", location, "--order", "date", "--base", "2", "--json"]
    )
    parsed = json.loads(data.output)
    assert [row["new"] for row in parsed["interviews"]] == [3, 1, 1, 1, 0, 0, 0]
    assert parsed["random_orders"]["orders"] == 1000
    figure = tmp_path / "sat.svg"
    written = runner.invoke(cli, ["saturation", "-p", location, "-o", str(figure)])
    assert written.exit_code == 0 and figure.read_text(encoding="utf-8").startswith("<?xml")
    bad = runner.invoke(cli, ["saturation", "-p", location, "-o", str(tmp_path / "x.pdf")])
    assert bad.exit_code != 0 and "cannot write .pdf" in bad.output
    level = runner.invoke(cli, ["saturation", "-p", location, "--level", "top"])
    assert level.exit_code != 0 and "codes or themes" in level.output
