"""Coding commands: `coder code`, `coder codings import|export`, `coder quotes`."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from pathlib import Path

import click

from coder.cli.base import actor_option, project_option
from coder.coding.quotes import DEFAULT_TEMPLATE, Quote, QuoteFilter
from coder.coding.spans import SnapUnit
from coder.errors import UsageError
from coder.project import Project


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
    type=click.Choice(["word", "sentence", "turn", "paragraph"]),
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
@click.option("--coder", "coders", multiple=True, help="Only this coder's codings (repeatable).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File (default: stdout).",
)
def codings_export(location: str, coders: tuple[str, ...], output: Path | None) -> None:
    """Export codings as CSV, with the coded text of each."""
    with Project.open(location) as project:
        require_one_coder_if_blind(project, coders)
        text = project.coding.export_csv(coders=list(coders) or None)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {len(text.splitlines()) - 1} codings to {output}.", err=True)


def require_one_coder_if_blind(project: Project, coders: tuple[str, ...]) -> None:
    """While the project is blind, each coder reads only their own codings."""
    if project.phase == "blind" and len(coders) != 1:
        raise UsageError(
            "the project is in the blind phase: name one coder with --coder NAME "
            "(a lead can end it with `coder phase reconcile`)"
        )


def _where(pairs: tuple[str, ...]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise UsageError(f"--where expects ATTRIBUTE=VALUE, got {pair!r}")
        found[key.strip()].append(value.strip())
    return dict(found)


def render(quotes: list[Quote], fmt: str, by: str | None) -> str:
    if fmt == "json":
        import json

        return (
            json.dumps(
                [
                    {
                        "document": q.document,
                        "code": q.code,
                        "coder": q.coder,
                        "start": q.start,
                        "end": q.end,
                        "text": q.text,
                        "citation": q.citation,
                        "speaker": q.speaker,
                        "participant": q.participant,
                    }
                    for q in quotes
                ],
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["document", "start", "end", "code", "coder", "citation", "text"])
        for q in quotes:
            writer.writerow([q.document, q.start, q.end, q.code, q.coder, q.citation, q.text])
        return out.getvalue()
    groups: dict[str, list[Quote]] = defaultdict(list)
    for q in quotes:
        groups[str(q.attributes.get(by, "?")) if by else ""].append(q)
    lines: list[str] = []
    for group in sorted(groups):
        if by:
            lines += [f"## {by} {group}", ""]
        for q in groups[group]:
            lines.append(f"> {' '.join(q.text.split())} {q.citation}")
            lines.append("")
    return "\n".join(lines)


@click.command()
@project_option
@click.option("--code", metavar="PATH", help="Quotes coded with this code (and its sub-codes).")
@click.option("--no-descendants", is_flag=True, help="Only the code itself, not its sub-codes.")
@click.option("--coder", "coders", multiple=True, help="Only this coder (repeatable).")
@click.option("--document", "documents", multiple=True, help="Only this document (repeatable).")
@click.option(
    "--where", "where", multiple=True, metavar="ATTR=VALUE", help="Document attribute filter."
)
@click.option(
    "--who", "who", multiple=True, metavar="ATTR=VALUE", help="Participant attribute filter."
)
@click.option(
    "--participants-only", is_flag=True, help="Only what participants said, not interviewers."
)
@click.option("--search", help="Only quotes containing this text.")
@click.option("--by", metavar="ATTR", help="Group quotes by a document attribute (Markdown).")
@click.option("--template", default=DEFAULT_TEMPLATE, show_default=True, help="Citation template.")
@click.option(
    "--format", "fmt", type=click.Choice(["md", "csv", "json"]), default="md", show_default=True
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File (default: stdout).",
)
def quotes(
    location: str,
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
    fmt: str,
    output: Path | None,
) -> None:
    """Print coded passages with citations such as "(Site D Patient)"."""
    selection = QuoteFilter(
        code=code,
        descendants=not no_descendants,
        coders=list(coders) or None,
        documents=list(documents) or None,
        document_attributes=_where(where),
        participant_attributes=_where(who),
        speaker_role="participant" if participants_only else None,
        search=search,
    )
    with Project.open(location) as project:
        require_one_coder_if_blind(project, coders)
        found = project.coding.quotes(selection, template=template)
    text = render(found, fmt, by)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {len(found)} quotes to {output}.", err=True)
