"""The `coder` command: a thin layer over `coder.Project`.

Each command parses its options, calls the public API, and prints. A `CoderError` becomes one
line on stderr and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import asdict
from datetime import date, datetime
from typing import Any, TypeVar

import click

from coder import __version__
from coder.errors import CoderError
from coder.model import DocumentSummary
from coder.project import Project

F = TypeVar("F", bound=Callable[..., Any])

PROJECT_HELP = (
    "The project: a .coder file or a postgresql+psycopg://user@host/db URL. "
    "Defaults to $CODER_PROJECT."
)


class CoderFailure(click.ClickException):
    """A CoderError on its way to the terminal."""

    def show(self, file: Any = None) -> None:
        click.echo(f"coder: error: {self.format_message()}", err=True)


class CoderUsageFailure(CoderFailure):
    """Arguments that cannot work together: exit status 2, as for click's own usage errors."""

    exit_code = 2


class CoderGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CoderError as error:
            failure = CoderUsageFailure if error.exit_code == 2 else CoderFailure
            raise failure(str(error)) from None


def project_option(func: F) -> F:
    return click.option(
        "-p",
        "--project",
        "location",
        envvar="CODER_PROJECT",
        required=True,
        metavar="PROJECT",
        help=PROJECT_HELP,
    )(func)


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=_json_default))


@click.group(cls=CoderGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="coder")
def cli() -> None:
    """coder: thematic coding of interview transcripts.

    Start with `coder init study.coder`, then `coder info -p study.coder`.
    Every command has --help.
    """


@cli.command()
@click.argument("location", metavar="PATH_OR_URL")
@click.option("--title", help="A title for the project (defaults to the file name).")
def init(location: str, title: str | None) -> None:
    """Create a new, empty project.

    PATH_OR_URL is a file name for a single-user project (SQLite), e.g. study.coder, or a
    PostgreSQL URL for a team project, e.g. postgresql+psycopg://lead@dbhost/study.
    """
    with Project.create(location, title=title) as project:
        info = project.info()
    click.echo(f"Created project {info.title!r} at {info.location} (schema {info.schema_version}).")
    click.echo(f"Next: coder info -p {location}")


@cli.command()
@project_option
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def info(location: str, as_json: bool) -> None:
    """Show a project's title, schema version and what it holds."""
    with Project.open(location) as project:
        details = project.info()
        upgraded = project.upgraded_from
        backup = project.backup_path
    if upgraded is not None:
        note = f"Upgraded the project from schema {upgraded} to {details.schema_version}"
        click.echo(note + (f"; backup at {backup}" if backup else "") + ".", err=True)
    if as_json:
        data = asdict(details)
        echo_json(data)
        return
    counts = details.counts
    rows = [
        ("Title", details.title),
        ("Location", details.location),
        ("Backend", details.backend),
        ("Schema", f"{details.schema_version} (current: {details.schema_head})"),
        ("Phase", details.phase),
        ("Documents", counts.documents),
        ("Participants", counts.participants),
        ("Codes", counts.codes),
        ("Coders", counts.coders),
        ("Codings", counts.codings),
        ("Memos", counts.memos),
    ]
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        click.echo(f"{label:<{width}}  {value}")


@cli.command()
@project_option
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def documents(location: str, as_json: bool) -> None:
    """List the project's documents with their attributes, speakers and counts."""
    with Project.open(location) as project:
        summaries = project.documents()
    if as_json:
        echo_json([document_json(d) for d in summaries])
        return
    if not summaries:
        click.echo("No documents yet. Import some with: coder import -p PROJECT FILES...")
        return
    for d in summaries:
        attributes = ", ".join(f"{k}={v}" for k, v in d.attributes.items())
        click.echo(
            f"{d.name}  [{d.format}]  {d.turns} turns, {d.sentences} sentences, "
            f"{d.characters} characters" + (f"  ({attributes})" if attributes else "")
        )


def document_json(d: DocumentSummary) -> dict[str, Any]:
    return {
        "name": d.name,
        "attributes": d.attributes,
        "participants": list(d.participants),
        "speakers": list(d.speakers),
        "turns": d.turns,
        "paragraphs": d.paragraphs,
        "sentences": d.sentences,
        "characters": d.characters,
        "sha256": d.sha256,
        "format": d.format,
        "source": d.source_name,
        "imported_at": d.imported_at,
        "codings": d.codings,
    }


@cli.command()
@project_option
def tui(location: str) -> None:
    """Open the project in the terminal workbench."""
    # Imported here so that the rest of the CLI never loads Textual.
    from coder.tui.app import run

    run(location)


def main(argv: list[str] | None = None) -> None:
    cli.main(args=argv, prog_name="coder")


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
