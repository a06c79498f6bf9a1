"""The `coder` command: a thin layer over `coder.Project`.

Each command parses its options, calls the public API, and prints. A `CoderError` becomes one
line on stderr and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import gc

import click

from coder.cli.base import CoderGroup
from coder.version import __version__

# Each command's module and object, imported when the command is run (or listed by --help):
# a command starts without the modules of the thirty others, a tenth of a second.
COMMANDS = {
    "agree": "agreement:agree",
    "attributes": "attributes:attributes",
    "check": "coding:check",
    "code": "coding:code",
    "codebook": "codebook:codebook",
    "codings": "coding:codings",
    "cooccurrence": "cooccurrence:cooccurrence",
    "demo": "project:demo",
    "describe": "matrix:describe",
    "documents": "documents:documents",
    "exemplars": "matrix:exemplars",
    "export": "exchange:export",
    "import": "ingest:import_",
    "import-qdpx": "exchange:import_qdpx",
    "info": "project:info",
    "init": "project:init",
    "log": "project:log",
    "matrix": "matrix:matrix",
    "matrix-report": "matrix:matrix_report",
    "memo": "memos:memo",
    "phase": "project:phase",
    "quotes": "coding:quotes",
    "reconcile": "reconcile:reconcile",
    "redo": "project:redo",
    "report": "reports:report",
    "saturation": "saturation:saturation",
    "serve": "project:serve",
    "suggest": "suggestions:suggest",
    "suggestions": "suggestions:suggestions",
    "team": "team:team",
    "tui": "project:tui",
    "uncode": "coding:uncode",
    "undo": "project:undo",
}


@click.group(
    cls=CoderGroup,
    lazy_commands={name: f"coder.cli.{where}" for name, where in COMMANDS.items()},
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="coder")
def cli() -> None:
    """coder: thematic coding of interview transcripts.

    Start with `coder init study.coder`, then `coder info -p study.coder`.
    Every command has --help.

    Exit status: 0 done; 1 refused or failed (one line on stderr says why); 2 a usage error.
    """


def main(argv: list[str] | None = None) -> None:
    # Loading spaCy and SQLAlchemy makes hundreds of thousands of objects that live as long as
    # the command; the collector's default pace (a pass every 700 allocations) walks them over
    # and over, a tenth of an import's time. Ten times fewer passes cost little memory.
    gc.set_threshold(7000, 10, 10)
    cli.main(args=argv, prog_name="coder")
