"""The `coder` command: a thin layer over `coder.Project`.

Each command parses its options, calls the public API, and prints. A `CoderError` becomes one
line on stderr and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import gc

import click

from coder.cli import (
    agreement,
    attributes,
    coding,
    documents,
    ingest,
    matrix,
    memos,
    project,
    reconcile,
    reports,
    saturation,
    suggestions,
)
from coder.cli.base import CoderGroup
from coder.cli.codebook import codebook
from coder.cli.exchange import export, import_qdpx
from coder.cli.team import team
from coder.version import __version__


@click.group(cls=CoderGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="coder")
def cli() -> None:
    """coder: thematic coding of interview transcripts.

    Start with `coder init study.coder`, then `coder info -p study.coder`.
    Every command has --help.

    Exit status: 0 done; 1 refused or failed (one line on stderr says why); 2 a usage error.
    """


for command in (
    project.init,
    project.info,
    project.log,
    project.undo,
    project.redo,
    project.tui,
    project.serve,
    project.demo,
    ingest.import_,
    import_qdpx,
    export,
    documents.documents,
    attributes.attributes,
    codebook,
    coding.code,
    coding.uncode,
    coding.codings,
    coding.quotes,
    coding.check,
    suggestions.suggest,
    suggestions.suggestions,
    memos.memo,
    project.phase,
    agreement.agree,
    reconcile.reconcile,
    team,
    matrix.matrix,
    matrix.cooccurrence,
    matrix.exemplars,
    matrix.matrix_report,
    matrix.describe,
    saturation.saturation,
    reports.report,
):
    cli.add_command(command)


def main(argv: list[str] | None = None) -> None:
    # Loading spaCy and SQLAlchemy makes hundreds of thousands of objects that live as long as
    # the command; the collector's default pace (a pass every 700 allocations) walks them over
    # and over, a tenth of an import's time. Ten times fewer passes cost little memory.
    gc.set_threshold(7000, 10, 10)
    cli.main(args=argv, prog_name="coder")
