"""The layers stay apart: the core never loads Textual; only storage imports SQLAlchemy; no
modules import each other in a cycle. The same rules are declared as import-linter contracts in
pyproject.toml (`make lint`); these tests check what a fresh interpreter actually loads."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

from coder import Project

PACKAGE = Path(__file__).resolve().parent.parent / "coder"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _modules(outside: str) -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if outside not in p.relative_to(PACKAGE).parts]


@pytest.mark.parametrize("module", ["coder", "coder.project", "coder.cli"])
def test_core_does_not_load_textual(module: str) -> None:
    code = f"import sys, {module}; print('textual' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_the_command_line_starts_without_the_slow_libraries(tmp_path: Path) -> None:
    """spaCy and Alembic take over a second to import; `coder info` needs neither, so every
    command that does not segment, suggest or migrate starts without them."""
    location = tmp_path / "study.coder"
    Project.create(location).close()
    code = (
        "import sys; from coder.cli.main import cli\n"
        f"cli.main(['info', '-p', {str(location)!r}], standalone_mode=False)\n"
        "print([m for m in ('spacy', 'alembic') if m in sys.modules])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "Documents" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_only_storage_imports_sqlalchemy() -> None:
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in _modules("storage")
        if {"sqlalchemy", "alembic"} & _imports(p)
    ]
    assert offenders == []


def test_only_tui_imports_textual() -> None:
    offenders = [str(p.relative_to(PACKAGE)) for p in _modules("tui") if "textual" in _imports(p)]
    assert offenders == []


def test_the_scanner_sees_imports() -> None:
    """Guard the guard: the scanner finds the imports we know are there."""
    assert "sqlalchemy" in _imports(PACKAGE / "storage" / "store.py")
    assert "textual" in _imports(PACKAGE / "tui" / "app.py")


def _cycles(graph: grimp.ImportGraph) -> list[tuple[str, ...]]:
    """Each import a -> b for which b leads back to a, with the way back. Imports inside
    functions count: they are cycles waiting for the first caller."""
    found = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back is not None:
                found.append((importer, *back))
    return found


def test_no_import_cycle() -> None:
    assert _cycles(grimp.build_graph("coder", cache_dir=None)) == []


def test_the_cycle_finder_sees_cycles() -> None:
    """Guard the guard: a cycle through a third module is found, a plain chain is not."""
    graph = grimp.ImportGraph()
    graph.add_import(importer="pkg.project", imported="pkg.exchange")
    graph.add_import(importer="pkg.exchange", imported="pkg.load")
    graph.add_import(importer="pkg.load", imported="pkg.model")
    assert _cycles(graph) == []
    graph.add_import(importer="pkg.load", imported="pkg.project")
    assert ("pkg.project", "pkg.exchange", "pkg.load", "pkg.project") in _cycles(graph)
