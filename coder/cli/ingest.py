"""`coder import`: transcripts in, or a preview of what would come in (coder.ingest)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from coder.cli.base import PROJECT_HELP, actor_option, echo_json, one_line
from coder.errors import UsageError
from coder.project import Project

if TYPE_CHECKING:
    from coder.ingest.api import ImportBatch, ImportOptions
    from coder.ingest.preview import FilePreview

_OPENING_WIDTH = 110


@click.command("import")
@click.option(
    "-p",
    "--project",
    "location",
    envvar="CODER_PROJECT",
    metavar="PROJECT",
    help=PROJECT_HELP + " Optional with --preview.",
)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--manifest",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV with a `file` column and attribute columns (site, role...), "
    "optionally `participant` and `speakers` (e.g. 'Speaker 1=interviewer; Speaker 2=P07').",
)
@click.option(
    "--speakers",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV naming speakers: `label`, `participant`, `role` (and `file` to limit a row to "
    "one transcript). Several labels with one participant are one person.",
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
    "(and optionally `time`). Overrides the detected convention.",
)
@click.option("--model", help="An installed spaCy pipeline for sentences (default: blank English).")
@click.option(
    "--preview",
    is_flag=True,
    help="Write nothing: show per file the format, encoding, speaker convention, speakers "
    "and their turns, times, first turns and every warning.",
)
@click.option(
    "--confirm", is_flag=True, help="Show the preview, then ask before importing anything."
)
@click.option("--json", "as_json", is_flag=True, help="With --preview: machine-readable JSON.")
@actor_option
def import_(
    location: str | None,
    inputs: tuple[Path, ...],
    manifest: Path | None,
    speakers: Path | None,
    attrs: tuple[str, ...],
    interviewer: tuple[str, ...],
    replace: bool,
    strict: bool,
    speaker_pattern: str | None,
    model: str | None,
    preview: bool,
    confirm: bool,
    as_json: bool,
    actor: str,
) -> None:
    """Import transcripts from files or folders.

    Reads .txt, .md, .docx, .odt, .rtf, .pdf (with a text layer), .vtt and .srt, and files
    without an extension, told by their content; recognises speaker turns and timestamps;
    splits paragraphs and sentences. Each file is imported in one transaction: a bad file is
    reported and skipped, the rest goes on (use --strict for all or nothing). The same
    content twice is skipped. Use --preview to check a batch first.
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
        speakers=speakers,
    )
    if as_json and not preview:
        raise UsageError("--json goes with --preview")
    if preview:
        _preview(location, inputs, options, as_json)
        return
    if location is None:
        raise UsageError("give the project with -p PROJECT (or set CODER_PROJECT)")
    if confirm:
        with Project.open(location) as project:
            previews, notes = project.preview_import(inputs, options)
            _show(previews, notes)
            if not click.confirm(f"Import {len(previews)} file(s)?", default=False):
                click.echo("Nothing was imported.")
                return
            _import(project, inputs, options, actor)
        return
    # The files start being read (and spaCy loaded, in a process of its own for a batch)
    # before the project is opened: opening it loads the database library meanwhile.
    from coder.ingest.api import start_reading

    with start_reading(inputs, options) as batch, Project.open(location) as project:
        _import(project, batch, None, actor)


def _import(
    project: Project,
    inputs: tuple[Path, ...] | ImportBatch,
    options: ImportOptions | None,
    actor: str,
) -> None:
    if sys.stderr.isatty():
        with click.progressbar(
            length=len(inputs) if isinstance(inputs, tuple) else len(inputs.files),
            label="Importing",
            file=sys.stderr,
            show_pos=True,
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


def _preview(
    location: str | None, inputs: tuple[Path, ...], options: ImportOptions, as_json: bool
) -> None:
    from coder.ingest.api import preview

    if location is not None and (location.startswith("postgresql") or Path(location).exists()):
        with Project.open(location) as project:
            previews, notes = project.preview_import(inputs, options)
    else:
        previews, notes = preview(inputs, options)
    if as_json:
        echo_json({"files": [p.to_dict() for p in previews], "notes": notes})
        return
    _show(previews, notes)


def _show(previews: list[FilePreview], notes: list[str]) -> None:
    for found in previews:
        for line in preview_lines(found):
            click.echo(one_line(line))
        click.echo()
    for note in notes:
        click.echo(f"note: {note}")
    failed = sum(1 for p in previews if p.status == "failed")
    warned = sum(1 for p in previews if p.warnings and p.status != "failed")
    click.echo(
        f"{len(previews)} file(s): {len(previews) - failed} readable, {failed} failing, "
        f"{warned} with warnings. Nothing was written."
    )


def preview_lines(found: FilePreview) -> list[str]:
    """One file's preview as a few lines of text."""
    from coder.ingest.sniff import describe

    title = f"{found.path}  →  {found.document}"
    status = {"duplicate": f"same text as {found.existing!r}", "exists": "name taken"}
    if found.status in status:
        title += f"  ({status[found.status]})"
    if found.status == "failed":
        return [title, f"  ! cannot be imported: {found.error}"]
    encoding = (
        f", {found.encoding} ({found.encoding_sureness}"
        + (
            f", {found.encoding_confidence:.0%}"
            if found.encoding_sureness != "certain" and found.encoding_confidence is not None
            else ""
        )
        + ")"
        if found.encoding
        else ""
    )
    lines = [title, f"  format    {describe(found.format or '')}{encoding}"]
    if found.format_note:
        lines.append(f"            {found.format_note}")
    runner = found.runner_up or "none"
    lines.append(f"  labels    {found.convention or 'none found'} (runner-up: {runner})")
    if found.speakers:
        # A participant named after the document and label is the default: not worth a word.
        people = " · ".join(
            f"{s.name} ({s.role}"
            + (
                f" = {s.participant}"
                if s.participant and s.participant not in (s.name, f"{found.document}/{s.name}")
                else ""
            )
            + f") {s.turns} turn{'s' * (s.turns != 1)}"
            for s in found.speakers
        )
        lines.append(f"  speakers  {people}")
    lines.append(f"  turns     {found.turns} turns, {found.paragraphs} paragraphs")
    if found.first_time is not None and found.last_time is not None:
        lines.append(f"  time      {_clock(found.first_time)} – {_clock(found.last_time)}")
    for index, (speaker, text) in enumerate(found.opening):
        said = " ".join(text.split())
        words = f"{speaker}: {said}" if speaker else said
        if len(words) > _OPENING_WIDTH:
            words = words[: _OPENING_WIDTH - 1] + "…"
        lines.append(f"  {'opens' if index == 0 else '':<8}  {words}")
    lines.extend(f"  ! {warning}" for warning in found.warnings)
    return lines


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"
