"""docs/architecture.md opens with a table of where each feature lives; every path it names
exists, and every package under coder/ has its row."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"
COLUMNS = ["feature", "package", "facade", "command line", "screen", "tests"]


def _rows(text: str) -> list[dict[str, str]]:
    """The first Markdown table of `text`, as one dict per row."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    table = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        table.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    header, _rule, *body = table
    return [dict(zip(header, cells, strict=True)) for cells in body]


def _paths(cell: str) -> list[str]:
    """The paths a cell names in backticks (`project.coding` names an attribute, no path)."""
    return [token for token in re.findall(r"`([^`]+)`", cell) if "/" in token]


def test_the_table_comes_first_with_its_columns() -> None:
    text = DOC.read_text(encoding="utf-8")
    before = text[: text.index("|")]
    assert "##" not in before  # nothing but the title and a paragraph precede it
    assert list(_rows(text)[0]) == COLUMNS


def test_every_path_in_the_table_exists() -> None:
    rows = _rows(DOC.read_text(encoding="utf-8"))
    named = [path for row in rows for cell in row.values() for path in _paths(cell)]
    assert len(named) > 40
    missing = [path for path in named if not (ROOT / path).exists()]
    assert missing == []
    folders = [path for path in named if path.endswith("/")]
    assert all((ROOT / path).is_dir() for path in folders)


def test_every_package_has_its_row() -> None:
    rows = _rows(DOC.read_text(encoding="utf-8"))
    listed = {path for row in rows for path in _paths(row["package"])}
    packages = {
        f"coder/{p.parent.name}/"
        for p in (ROOT / "coder").glob("*/__init__.py")
        if p.parent.name not in ("cli", "tui")
    }
    assert packages - listed == set()


def test_every_feature_has_its_facade_in_api_py() -> None:
    rows = _rows(DOC.read_text(encoding="utf-8"))
    for row in rows:
        package = _paths(row["package"])[0]
        if package.endswith("/") and package != "coder/storage/":
            assert _paths(row["facade"])[0] == f"{package}api.py", row["feature"]
            assert (ROOT / package / "api.py").is_file()


def test_the_parser_reads_a_table() -> None:
    """Guard the guard: a made-up table parses into its cells and paths."""
    text = "# T\n\n| a | b |\n| --- | --- |\n| x | `coder/nowhere/` (`project.x`) |\n\nafter\n"
    assert _rows(text) == [{"a": "x", "b": "`coder/nowhere/` (`project.x`)"}]
    assert _paths(_rows(text)[0]["b"]) == ["coder/nowhere/"]
    assert not (ROOT / "coder/nowhere/").exists()
