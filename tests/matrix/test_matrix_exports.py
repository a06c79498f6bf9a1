"""Exports: golden files for the text formats, a workbook that pandas reads back with the same
numbers, and heatmaps checked for structure (fonts differ between machines, so not by bytes).

Set CODER_UPDATE_GOLDEN=1 to rewrite the golden files after a deliberate change.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from xml.etree import ElementTree

import docx
import numpy as np
import pandas as pd
import pytest
from PIL import Image

from coder import Project
from coder.matrix import EVIDENCE, export, heatmap
from coder.matrix.files import format_for, render_matrix, write_matrix
from coder.matrix.result import Matrix
from coder.matrix.workbook import sheet_name, workbook

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("CODER_UPDATE_GOLDEN") == "1"


def shown(matrix: Matrix, fmt: str) -> str:
    """The matrix as a command writes it (tables for people carry the group sizes)."""
    text = render_matrix(matrix, fmt)
    assert isinstance(text, str)
    return text


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"no golden file {path}; run with CODER_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


@pytest.fixture
def by_site(study: Project) -> Matrix:
    return study.matrices.matrix("site", measure="participants", level="themes", totals=True)


@pytest.fixture
def by_site_role(study: Project) -> Matrix:
    return study.matrices.matrix("site", split="role", measure="share", level="themes")


@pytest.mark.parametrize("fmt", export.TEXT_FORMATS)
def test_golden_matrix(by_site: Matrix, fmt: str) -> None:
    golden(f"participants-by-site.{'txt' if fmt == 'text' else fmt}", shown(by_site, fmt))


@pytest.mark.parametrize("fmt", export.TEXT_FORMATS)
def test_golden_split_matrix(by_site_role: Matrix, fmt: str) -> None:
    name = f"share-by-site-and-role.{'txt' if fmt == 'text' else fmt}"
    golden(name, shown(by_site_role, fmt))


@pytest.mark.parametrize("fmt", ["csv", "json", "md"])
def test_golden_cooccurrence(study: Project, fmt: str) -> None:
    found = study.matrices.cooccurrence(rows="themes", unit="sentence")
    golden(f"cooccurrence-themes.{fmt}", shown(found, fmt))


@pytest.mark.parametrize("fmt", ["md", "html", "csv"])
def test_golden_exemplars(study: Project, fmt: str) -> None:
    found = study.matrices.exemplars("site", template="(Site {site} {role:title})")
    text = found.render(fmt)
    assert isinstance(text, str)
    golden(f"exemplars-by-site.{fmt}", text)


def test_json_has_the_documented_shape(by_site_role: Matrix) -> None:
    data = json.loads(export.render(by_site_role, "json"))
    assert data["measure"] == "share" and data["by"] == "site" and data["split"] == "role"
    assert data["rows"] == ["Challenges/Time", "Challenges/Jargon", "Resources/Training"]
    assert data["columns"][0] == ["A", "leader"]
    assert len(data["values"]) == 3 and len(data["values"][0]) == len(data["columns"])
    assert data["groups"] == list(by_site_role.frame[(EVIDENCE, "")])


def test_csv_reads_back(by_site: Matrix, by_site_role: Matrix) -> None:
    simple = pd.read_csv(io.StringIO(export.to_csv(by_site)), index_col=0)
    np.testing.assert_array_equal(simple.to_numpy(), by_site.frame.to_numpy())
    split = pd.read_csv(io.StringIO(export.to_csv(by_site_role)), header=[0, 1], index_col=0)
    expected = by_site_role.frame.to_numpy(dtype=float)
    np.testing.assert_allclose(split.to_numpy(dtype=float), expected)


def test_xlsx_opens_with_pandas_and_holds_the_numbers(
    study: Project, by_site: Matrix, by_site_role: Matrix, tmp_path: Path
) -> None:
    quotes = study.matrices.exemplars("site").table()
    path = tmp_path / "report.xlsx"
    path.write_bytes(
        workbook(
            [("participants", by_site), ("share", by_site_role)],
            quotes=quotes,
            notes=study.matrices.notes("site"),
        )
    )
    sheets = pd.read_excel(path, sheet_name=None, index_col=0)
    assert list(sheets) == ["participants", "share", "Quotes", "About"]
    simple, site = sheets["participants"], by_site.frame
    assert list(simple.index) == list(site.index)
    assert list(simple.columns) == [str(c) for c in site.columns]
    np.testing.assert_array_equal(simple.to_numpy(), site.to_numpy())
    split, site_role = (
        pd.read_excel(path, sheet_name="share", header=[0, 1], index_col=0),
        by_site_role.frame,
    )
    assert [c[1] for c in split.columns[:-1]] == [c[1] for c in site_role.columns[:-1]]
    np.testing.assert_allclose(split.to_numpy(dtype=float), site_role.to_numpy(dtype=float))
    read_quotes = pd.read_excel(path, sheet_name="Quotes", dtype=str, keep_default_na=False)
    assert list(read_quotes["text"]) == list(quotes["text"])


def test_xlsx_looks_like_a_table(by_site_role: Matrix, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "share.xlsx"
    write_matrix(by_site_role, path)
    sheet = load_workbook(path)["share"]
    assert sheet.freeze_panes == "B3"
    assert sheet["A3"].value == "Challenges/Time"
    assert sheet["D3"].value == 0.5 and sheet["D3"].number_format == "0.0%"
    assert sheet.cell(row=3, column=sheet.max_column).number_format == "0"  # the groups column
    assert sheet.column_dimensions["A"].width >= len("Resources/Training")


def test_sheet_names_are_valid_and_unique() -> None:
    taken: set[str] = set()
    assert sheet_name("a/b:c", taken) == "a-b-c"
    assert sheet_name("A-B-C", taken) == "A-B-C (2)"
    assert len(sheet_name("x" * 40, taken)) == 31


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_heatmap(by_site_role: Matrix, by_site: Matrix, fmt: str) -> None:
    for matrix in (by_site, by_site_role):
        picture = heatmap.render(matrix, fmt)
        if fmt == "png":
            image = Image.open(io.BytesIO(picture))
            width, height = image.size
            # 300 dpi, no wider than a two-column figure, taller than wide is fine.
            assert 600 < width <= heatmap.MAX_WIDTH * 300 + 1
            assert 300 < height <= heatmap.MAX_HEIGHT * 300 + 1
        else:
            root = ElementTree.fromstring(picture)
            texts = {
                "".join(t.itertext()).strip() for t in root.iter("{http://www.w3.org/2000/svg}text")
            }
            assert {"Time", "Jargon", "Training", "Challenges", "A", "B"} <= texts
            if matrix is by_site_role:
                assert {"leader", "patient", "provider", "50%"} <= texts


def test_heatmap_of_codes_and_cooccurrence(study: Project) -> None:
    codes = study.matrices.matrix("site", level="codes", measure="presence")
    lines = heatmap.row_layout([str(r) for r in codes.frame.index])
    assert [(line.label, line.indent, line.bold) for line in lines][:3] == [
        ("Challenges", 0, True),
        ("Time", 1, True),
        ("Noon", 2, False),
    ]
    assert heatmap.render(codes, "png")[:4] == b"\x89PNG"
    pairs = study.matrices.cooccurrence(rows="Challenges", columns="Resources")
    root = ElementTree.fromstring(heatmap.render(pairs, "svg"))
    assert "Training" in {
        "".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")
    }


def test_heatmap_headings_for_themes_under_several_parents() -> None:
    lines = heatmap.row_layout(["A/x", "A/y", "B/z", "C"])
    assert [(line.label, line.index) for line in lines] == [
        ("A", None),
        ("x", 0),
        ("y", 1),
        ("B", None),
        ("z", 2),
        # A theme with no sub-codes is a labelled block of its own.
        ("C", None),
        ("C", 3),
    ]


def test_exemplars_as_docx(study: Project) -> None:
    found = study.matrices.exemplars("site", template="(Site {site} {role:title})")
    content = found.render("docx")
    assert isinstance(content, bytes)
    document = docx.Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    assert "Exemplar quotes by site" in texts
    assert "Time was the big thing, honestly. (Site A Leader)" in texts


def test_format_from_file_names(tmp_path: Path) -> None:
    assert format_for(Path("m.XLSX"), export.FORMATS) == "xlsx"
    with pytest.raises(Exception, match="cannot tell the format"):
        format_for(Path("m.doc"), export.FORMATS)
