"""`coder export` and `coder import-qdpx`: projects to and from other QDA programs (REFI-QDA)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from coder.cli.base import actor_option, project_option, reader_option
from coder.errors import UsageError
from coder.project import Project

if TYPE_CHECKING:
    from coder.exchange.api import ExchangeReport

FORMATS = ("qdpx", "qdc")


def _show(report: ExchangeReport) -> None:
    lines = report.lines()
    click.echo(lines[0])
    for line in lines[1:]:
        click.echo(line, err=True)


@click.command("export")
@project_option
@reader_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="qdpx: the whole project (REFI-QDA); qdc: the codebook only. Default: from the file name.",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write (replaced if it exists).",
)
def export(location: str, reader: str | None, fmt: str | None, output: Path) -> None:
    """Export the project for ATLAS.ti, NVivo, MAXQDA, QualCoder and other REFI-QDA programs.

    The .qdpx holds the documents, the code tree (names, colours, descriptions), every coder's
    codings, participants and attributes (cases and variables) and memos (notes). What REFI-QDA
    has no place for is listed on stderr. Import it back with `coder import-qdpx`.
    """
    chosen = fmt or output.suffix.lower().lstrip(".")
    if chosen not in FORMATS:
        raise UsageError(
            f"cannot tell the format from {output.name!r}; give --format qdpx or --format qdc"
        )
    with Project.open(location, as_coder=reader) as project:
        if chosen == "qdc":
            output.write_bytes(project.codebook.export("qdc"))
            click.echo(f"Wrote the codebook to {output}.")
            return
        report = project.exchange.export_qdpx(output)
    _show(report)
    click.echo(f"Wrote {output}.")


@click.command("import-qdpx")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("location", metavar="[PATH_OR_URL]", required=False)
@click.option(
    "--into",
    metavar="PROJECT",
    help="Add to this existing project instead: documents already in it (same text) "
    "receive the file's codings and memos.",
)
@click.option(
    "--max-size",
    type=click.IntRange(min=1),
    default=1024,
    show_default=True,
    metavar="MIB",
    help="Refuse a package that decompresses to more than this (in MiB).",
)
@actor_option
def import_qdpx(
    source: Path, location: str | None, into: str | None, max_size: int, actor: str
) -> None:
    """Import a REFI-QDA project (.qdpx) from ATLAS.ti, NVivo, MAXQDA, QualCoder... as a new
    project at PATH_OR_URL, or --into an existing one.

    The whole file is checked before anything is written: a damaged or unsafe file changes
    nothing. What coder cannot carry is listed on stderr.
    """
    from coder.exchange.api import Limits, import_project

    if (location is None) == (into is None):
        raise UsageError(
            "give PATH_OR_URL for a new project, or --into PROJECT to add to an existing one "
            "(one of the two)"
        )
    limits = Limits(max_bytes=max_size * 2**20)
    if into is not None:
        with Project.open(into) as project:
            report = project.exchange.import_qdpx(source, actor=actor, limits=limits)
        _show(report)
        click.echo(f"Imported {source} into {into}.")
        return
    assert location is not None
    report = import_project(source, location, actor=actor, limits=limits)
    _show(report)
    click.echo(f"Created {location} from {source}. Next: coder info -p {location}")
