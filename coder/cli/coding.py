"""Coding commands: `coder code`, `coder uncode`, `coder codings import|export`, `coder quotes`,
`coder check`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from coder.cli.base import (
    ChoiceOf,
    actor_option,
    names_in,
    project_option,
    reader_option,
    where_option,
)
from coder.coding.citation import DEFAULT_TEMPLATE
from coder.coding.spans import SNAP_UNITS, SnapUnit
from coder.project import Project

if TYPE_CHECKING:
    from coder.coding.render import QuoteFormat


@click.command()
@project_option
@click.option("--document", required=True, help="Document name (see `coder documents`).")
@click.option("--start", type=int, required=True, help="Start offset (characters from 0).")
@click.option("--end", type=int, required=True, help="End offset (exclusive).")
@click.option("--code", required=True, metavar="PATH", help="Code path, e.g. Challenges/Time.")
@click.option("--coder", required=True, envvar="CODER_USER", help="Who applies the code.")
@click.option("--memo", help="A memo on the new coding.")
@click.option(
    "--snap",
    type=click.Choice(SNAP_UNITS),
    help="Widen the span to whole words, sentences, turns or paragraphs first.",
)
def code(
    location: str,
    document: str,
    start: int,
    end: int,
    code: str,
    coder: str,
    memo: str | None,
    snap: SnapUnit | None,
) -> None:
    """Apply a code to a span of a document."""
    with Project.open(location) as project:
        applied = project.coding.apply(
            document, code, start, end, coder=coder, memo=memo, snap_to=snap
        )
        coding = project.coding.get(applied.coding_id)
        start, end = coding.start, coding.end
        text = project.document(document).text[start:end]
    state = "Coded" if applied.created else "Already coded"
    click.echo(
        f"{state} {document} {start}-{end} as {code!r} for {coder} (coding {applied.coding_id}):"
    )
    click.echo(f"  “{text}”")


@click.command()
@project_option
@click.option("--document", required=True, help="Document name (see `coder documents`).")
@click.option("--start", type=int, required=True, help="Start offset of the coded span.")
@click.option("--end", type=int, required=True, help="End offset of the coded span.")
@click.option("--code", required=True, metavar="PATH", help="Code path, e.g. Place/Clinic.")
@click.option("--coder", required=True, envvar="CODER_USER", help="Whose coding to remove.")
@click.option("--as", "actor", help="Who is doing this (default: the coder).")
def uncode(
    location: str,
    document: str,
    start: int,
    end: int,
    code: str,
    coder: str,
    actor: str | None,
) -> None:
    """Remove a code from a span: the coder's coding of PATH on exactly START-END, as
    `coder check` reports a passage. It is the coder's action (unless --as names someone
    else), so `coder undo --as CODER` brings it back."""
    with Project.open(location) as project:
        removed = project.coding.unapply(document, code, start, end, coder=coder, actor=actor)
        text = project.document(document).text[removed.start : removed.end]
    click.echo(f"Removed {code!r} from {document} {start}-{end} for {coder} (coding {removed.id}):")
    click.echo(f"  “{text}”")


@click.group()
def codings() -> None:
    """Move codings in and out as CSV (document,start,end,code,coder,memo,text)."""


@codings.command("import")
@project_option
@actor_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def codings_import(location: str, actor: str, file: Path) -> None:
    """Import codings from CSV. Every row is checked first; one bad row refuses the file.

    Columns: document, start, end, code (its path), coder, and optionally memo and text.
    When `text` is given it must match the document at start-end (shifted offsets are caught);
    a row with text and no offsets is placed where the text occurs, if it occurs once.
    """
    with Project.open(location) as project:
        result = project.coding.import_csv(file, actor=actor)
    click.echo(
        f"Imported {result.added} codings ({result.duplicates} already there), "
        f"{result.memos} memos."
    )
    if result.new_coders:
        click.echo(f"Added coders: {', '.join(result.new_coders)}.")


@codings.command("export")
@project_option
@reader_option
@click.option("--coder", "coders", multiple=True, help="Only this coder's codings (repeatable).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File (default: stdout).",
)
def codings_export(
    location: str, reader: str | None, coders: tuple[str, ...], output: Path | None
) -> None:
    """Export codings as CSV, with the coded text of each (while the project is blind, one
    coder's: --coder NAME, or --as NAME for your own)."""
    with Project.open(location, as_coder=reader) as project:
        text = project.coding.export_csv(coders=list(coders) or None)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {len(text.splitlines()) - 1} codings to {output}.", err=True)


@click.command()
@project_option
@reader_option
@click.option("--code", metavar="PATH", help="Quotes coded with this code (and its sub-codes).")
@click.option("--no-descendants", is_flag=True, help="Only the code itself, not its sub-codes.")
@click.option("--coder", "coders", multiple=True, help="Only this coder (repeatable).")
@click.option("--document", "documents", multiple=True, help="Only this document (repeatable).")
@where_option
@click.option(
    "--who",
    "who",
    multiple=True,
    metavar="ATTR=VALUE",
    help="Participant attribute filter (the same as --where participant:ATTR=VALUE).",
)
@click.option(
    "--participants-only", is_flag=True, help="Only what participants said, not interviewers."
)
@click.option("--search", help="Only quotes containing this text.")
@click.option("--by", metavar="ATTR", help="Group quotes by a document attribute (Markdown).")
@click.option("--template", default=DEFAULT_TEMPLATE, show_default=True, help="Citation template.")
@click.option(
    "--format",
    "fmt",
    type=ChoiceOf(names_in("coder.coding.render", "QUOTE_FORMATS")),
    default="md",
    show_default=True,
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File (default: stdout).",
)
def quotes(
    location: str,
    reader: str | None,
    code: str | None,
    no_descendants: bool,
    coders: tuple[str, ...],
    documents: tuple[str, ...],
    where: tuple[str, ...],
    who: tuple[str, ...],
    participants_only: bool,
    search: str | None,
    by: str | None,
    template: str,
    fmt: QuoteFormat,
    output: Path | None,
) -> None:
    """Print coded passages with citations such as "(Site D Patient)"."""
    from coder.attributes.where import parse as parse_where
    from coder.coding.quotes import QuoteFilter

    selection = QuoteFilter(
        code=code,
        descendants=not no_descendants,
        coders=list(coders) or None,
        documents=list(documents) or None,
        where=parse_where(where),
        participant_attributes=parse_where(who),
        speaker_role="participant" if participants_only else None,
        search=search,
    )
    with Project.open(location, as_coder=reader) as project:
        found = project.coding.quotes(selection, template=template)
        text = project.coding.render_quotes(found, fmt, by=by)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {len(found)} quotes to {output}.", err=True)


@click.command()
@project_option
@reader_option
@click.option("--coder", "coders", multiple=True, help="Only this coder (repeatable).")
def check(location: str, reader: str | None, coders: tuple[str, ...]) -> None:
    """Report passages that break the codebook's rules: two alternatives of a code marked
    `exclusive` (two Places, two Phases) on one passage. Exits with status 1 when it finds
    any, so a script can stop on them."""
    with Project.open(location, as_coder=reader) as project:
        found = project.coding.check(coders=list(coders) or None)
        exclusive = [c for c in project.codebook.tree().codes if c.exclusive]
    if not exclusive:
        click.echo("The codebook marks no code exclusive (exclusive: true); nothing to check.")
        return
    if not found:
        click.echo("No problems: every passage carries at most one code of each exclusive code.")
        return
    for clash in found:
        click.echo(
            f"{clash.document} {clash.start}-{clash.end} ({clash.coder}): "
            f"{clash.dimension} takes one code per passage, has {'; '.join(clash.codes)}"
        )
    raise click.exceptions.Exit(1)
