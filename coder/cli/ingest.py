"""`coder import`: transcripts in (coder.ingest)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from coder.cli.base import actor_option, one_line, project_option
from coder.project import Project


@click.command("import")
@project_option
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--manifest",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV with a `file` column and attribute columns (site, role...), "
    "optionally `participant`.",
)
@click.option(
    "--attr", "attrs", multiple=True, metavar="KEY=VALUE", help="Attribute for every file."
)
@click.option(
    "--interviewer",
    multiple=True,
    metavar="LABEL",
    help="A speaker label used by interviewers (besides I, Q, Interviewer, Moderator...).",
)
@click.option("--replace", is_flag=True, help="Replace documents of the same name.")
@click.option("--strict", is_flag=True, help="All or nothing: one bad file aborts the batch.")
@click.option(
    "--speaker-pattern",
    metavar="REGEX",
    help="Regex for speaker labels at line start, with a named group `speaker` "
    "(and optionally `time`).",
)
@click.option("--model", help="An installed spaCy pipeline for sentences (default: blank English).")
@actor_option
def import_(
    location: str,
    inputs: tuple[Path, ...],
    manifest: Path | None,
    attrs: tuple[str, ...],
    interviewer: tuple[str, ...],
    replace: bool,
    strict: bool,
    speaker_pattern: str | None,
    model: str | None,
    actor: str,
) -> None:
    """Import transcripts from files or folders.

    Reads .txt, .md, .docx, .odt, .rtf, .pdf (with a text layer), .vtt and .srt; recognises
    speaker turns and timestamps; splits paragraphs and sentences. Each file is imported in
    one transaction: a bad file is reported and skipped, the rest goes on (use --strict for
    all or nothing). The same content twice is skipped.
    """
    from coder.ingest.api import ImportOptions, parse_attribute_options

    options = ImportOptions(
        manifest=manifest,
        attributes=parse_attribute_options(attrs),
        interviewer_labels=interviewer,
        replace=replace,
        strict=strict,
        speaker_pattern=speaker_pattern,
        model=model,
    )
    with Project.open(location) as project:
        if sys.stderr.isatty():
            with click.progressbar(
                length=len(inputs), label="Importing", file=sys.stderr, show_pos=True
            ) as bar:

                def progress(done: int, total: int, path: Path) -> None:
                    bar.length = total
                    bar.update(1)

                report = project.import_files(inputs, options, actor=actor, progress=progress)
        else:
            report = project.import_files(inputs, options, actor=actor)
    for outcome in report.outcomes:
        mark = {"imported": "+", "replaced": "~", "duplicate": "=", "failed": "!"}[outcome.status]
        name = outcome.document or outcome.path.name
        click.echo(one_line(f"{mark} {outcome.status:<9} {name}: {outcome.message}"))
    for note in report.notes:
        click.echo(one_line(f"note: {note}"), err=True)
    click.echo(report.summary())
    if report.failed:
        raise SystemExit(1)
