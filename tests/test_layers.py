"""The layers stay apart: the core never loads Textual; only storage imports SQLAlchemy; no
modules import each other in a cycle. The same rules are declared as import-linter contracts in
pyproject.toml (`make lint`); these tests check what a fresh interpreter actually loads."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
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


def test_a_command_loads_only_its_own_module(tmp_path: Path) -> None:
    """The command line imports a command's module when that command runs, not every
    command's: `coder info` starts without the modules of matrices, codings or agreement."""
    location = tmp_path / "study.coder"
    Project.create(location).close()
    code = (
        "import sys; from coder.cli.main import cli\n"
        f"cli.main(['info', '-p', {str(location)!r}], standalone_mode=False)\n"
        "print(sorted(m for m in sys.modules if m.startswith('coder.cli.')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    loaded = ast.literal_eval(result.stdout.strip().splitlines()[-1])
    assert "coder.cli.project" in loaded
    assert not {"coder.cli.matrix", "coder.cli.coding", "coder.cli.agreement"} & set(loaded)


HEAVY = ("pandas", "numpy", "scipy", "sqlalchemy", "psycopg", "spacy", "alembic", "matplotlib")


def _loaded_by(argv: list[str]) -> list[str]:
    """The heavy libraries a fresh interpreter has loaded after running `coder ARGV`."""
    code = (
        "import sys; from coder.cli.main import cli\n"
        "try:\n"
        f"    cli.main({argv!r}, standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return list(ast.literal_eval(result.stdout.strip().splitlines()[-1]))


def test_help_loads_no_library_but_click() -> None:
    """Listing the commands, or one command's options, loads no feature: its choices are
    looked up when an option is used."""
    assert _loaded_by(["--help"]) == []
    assert _loaded_by(["import", "--help"]) == []


def test_init_and_import_load_no_pandas(tmp_path: Path) -> None:
    """`coder init` needs the database and its schema's migrations, `coder import` the
    database and spaCy; neither needs pandas or the PostgreSQL driver for a SQLite project."""
    location = tmp_path / "study.coder"
    assert _loaded_by(["init", str(location)]) == ["sqlalchemy", "alembic"]
    transcript = tmp_path / "interview.txt"
    transcript.write_text(
        "Interviewer: How did it start?\n\nAmira: With a phone call. Then more.\n"
    )
    loaded = _loaded_by(["import", "-p", str(location), str(transcript)])
    assert "pandas" not in loaded and "psycopg" not in loaded and "scipy" not in loaded
    assert {"sqlalchemy", "spacy"} <= set(loaded)  # guard the guard: it did import
    with Project.open(location) as project:
        assert [d.name for d in project.documents()] == ["interview"]


def test_reading_starts_without_the_database_or_spacy() -> None:
    """`coder import` starts reading its files (in a process of its own, which loads spaCy)
    before it opens the project: planning a batch needs neither spaCy nor the database."""
    code = (
        "import sys; from coder.ingest.api import start_reading\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_sentence_pipeline_loads_without_spacys_command_line() -> None:
    """spaCy's package imports its command line (Typer, Weasel, an HTTP client) for
    `spacy.info`; segmenting needs none of it. Asked for afterwards, it imports as usual."""
    code = (
        "import sys; from coder.ingest import load_pipeline\n"
        "nlp = load_pipeline()\n"
        "print(sorted(m for m in ('typer', 'weasel', 'requests', 'spacy.cli') if m in sys.modules))\n"
        "import spacy, spacy.cli\n"
        "print('typer' in sys.modules, callable(spacy.cli.download))\n"
        "print(spacy.info()['spacy_version'] == spacy.__version__)\n"
        "print([t.text for t in nlp('It works. Yes.').sents])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines() == [
        "[]",
        "True True",
        "True",
        "['It works.', 'Yes.']",
    ]


def test_quotes_load_no_pandas(tmp_path: Path) -> None:
    """`coder quotes` reads codings and texts and cites them: the database is all it needs,
    so a script that pulls passages starts without pandas and numpy."""
    location = tmp_path / "study.coder"
    transcript = tmp_path / "interview.txt"
    transcript.write_text("Interviewer: How did it start?\n\nAmira: With a phone call.\n")
    with Project.create(location) as project:
        project.import_files([transcript])
        project.codebook.add("Origins")
        project.coding.apply("interview", "Origins", 39, 56, coder="amira")
    loaded = _loaded_by(["quotes", "-p", str(location), "--format", "json"])
    assert "pandas" not in loaded and "numpy" not in loaded
    assert "sqlalchemy" in loaded  # guard the guard: it did read the project
    with Project.open(location) as project:
        assert [q.text for q in project.coding.quotes()] == ["With a phone call"]


def test_every_lazy_choice_resolves() -> None:
    """Each option whose choices are looked up late finds them (a wrong name would only show
    when someone used the option)."""
    from coder.cli.base import ChoiceOf
    from coder.cli.main import cli

    def commands(group: click.Group) -> Iterator[click.Command]:
        context = click.Context(group)
        for name in group.list_commands(context):
            command = group.get_command(context, name)
            assert command is not None, name
            yield command
            if isinstance(command, click.Group):
                yield from commands(command)

    lazy = [
        param.type
        for command in commands(cli)
        for param in command.params
        if isinstance(param.type, ChoiceOf)
    ]
    assert len(lazy) >= 15
    assert all(len(choice.choices) >= 2 for choice in lazy)


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
