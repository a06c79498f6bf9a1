"""Commands about the project as a whole: init, info, log, undo, redo, phase, tui."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

import click

from coder import model
from coder.cli.base import actor_option, echo_json, project_option
from coder.errors import UsageError
from coder.history import describe
from coder.project import Project


@click.command()
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


@click.command()
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
        echo_json(asdict(details))
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


LOG_COLUMNS = ["id", "at", "actor", "action", "entity", "entity_id", "group", "description", "data"]


def _since(value: str | None) -> datetime | int | None:
    """--since takes a date (2025-03-01), a moment (2025-03-01T14:00) or an event number (#62)."""
    if value is None:
        return None
    text = value.strip()
    if text.lstrip("#").isdigit():
        return int(text.lstrip("#"))
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"--since {value!r} is neither a date (2025-03-01), a moment (2025-03-01T14:00) "
            "nor an event number (#62)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def event_rows(events: list[model.Event]) -> list[dict[str, object]]:
    return [
        {
            "id": e.id,
            "at": e.at.isoformat(),
            "actor": e.actor,
            "action": e.action,
            "entity": e.entity,
            "entity_id": e.entity_id,
            "group": e.group,
            "description": describe(e),
            "data": e.data,
        }
        for e in events
    ]


@click.command()
@project_option
@click.option(
    "-n",
    "--limit",
    type=int,
    help="How many entries (default: 20 as text, every one as csv or json; 0 for all).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "csv", "json"]),
    default="text",
    show_default=True,
    help="csv and json carry every field of every event, oldest first, for an audit.",
)
@click.option("--since", help="From a date (2025-03-01), a moment, or an event number (#62) on.")
@click.option("--who", help="Only what this person did.")
@click.option("--action", help="Only this action (code.rename), or a family (code).")
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
def log(
    location: str,
    limit: int | None,
    fmt: str,
    since: str | None,
    who: str | None,
    action: str | None,
    as_json: bool,
) -> None:
    """Show the project's history: who did what, when. As text newest first; as csv or json
    (every field, oldest first) for an audit trail."""
    fmt = "json" if as_json else fmt
    if limit is None:
        limit = 20 if fmt == "text" else 0
    if limit < 0:
        raise UsageError("--limit counts entries: 0 (all) or more")
    with Project.open(location) as project:
        events = project.events(limit or None, since=_since(since), who=who, action=action)
    if fmt == "text":
        for e in events:
            click.echo(f"#{e.id:<5} {e.at:%Y-%m-%d %H:%M:%S}  {e.actor or '-':<12}  {describe(e)}")
        return
    rows = event_rows(list(reversed(events)))
    if fmt == "json":
        echo_json(rows)
        return
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=LOG_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {**row, "data": json.dumps(row["data"], ensure_ascii=False, sort_keys=True)}
        )
    click.echo(out.getvalue(), nl=False)


@click.command()
@project_option
@actor_option
def undo(location: str, actor: str) -> None:
    """Undo your latest change still in effect (imports, codebook edits, coding...)."""
    with Project.open(location) as project:
        click.echo(project.undo(actor=actor))


@click.command()
@project_option
@actor_option
def redo(location: str, actor: str) -> None:
    """Redo the change you last undid."""
    with Project.open(location) as project:
        click.echo(project.redo(actor=actor))


@click.command()
@project_option
@actor_option
@click.argument("phase", required=False, type=click.Choice(model.PHASES))
def phase(location: str, actor: str, phase: model.Phase | None) -> None:
    """Show or set the project's phase: open, blind (each coder sees only their own codings)
    or reconcile."""
    with Project.open(location) as project:
        if phase is None:
            click.echo(project.phase)
            return
        project.set_phase(phase, actor=actor)
    click.echo(f"The project is now in the {phase} phase.")


@click.command()
@project_option
@actor_option
def tui(location: str, actor: str) -> None:
    """Open the project in the terminal workbench (press ? for help on any screen).

    You code as --as NAME (default $CODER_USER, then your login name).
    """
    # Imported here so that the rest of the CLI never loads Textual.
    from coder.tui.app import run

    run(location, actor)


@click.command()
@project_option
@actor_option
@click.option("--host", default="localhost", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, help="Port to listen on.")
def serve(location: str, actor: str, host: str, port: int) -> None:
    """Serve the workbench in a web browser (textual-serve), on this machine by default.

    Each browser tab runs its own `coder tui` on the project, as --as NAME. Anyone who can
    reach the address can use it: keep --host localhost unless you know the network.
    """
    import shlex
    import sys

    from textual_serve.server import Server

    Project.open(location).close()  # a missing or newer project fails here, not in the browser
    command = shlex.join([sys.executable, "-m", "coder", "tui", "-p", location, "--as", actor])
    click.echo(f"Serving {location} at http://{host}:{port} (ctrl+c stops)")
    Server(command, host=host, port=port, title="coder").serve()


@click.command()
@click.argument("location", metavar="PATH", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--corpus",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The demo corpus folder (default: corpora/partnership-demo of this checkout).",
)
@click.option("--force", is_flag=True, help="Replace PATH if it already exists.")
def demo(location: Path, corpus: Path | None, force: bool) -> None:
    """Build the demo project: a fictional seven-site study of patient partners in primary
    care, with transcripts in several formats, a codebook, two coders' codings and part of
    their consensus. Then open it with `coder tui -p PATH`."""
    from coder.demo import build

    if location.exists():
        if not force:
            raise UsageError(f"{location} already exists; use --force to build it again")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{location}{suffix}").unlink(missing_ok=True)
    report = build(location, corpus=corpus, step=lambda text: click.echo(f"{text}…", err=True))
    codings = ", ".join(f"{n} by {c}" for c, n in report.codings.items()) or "none"
    click.echo(
        f"Built {location}: {report.documents} documents, {report.codes} codes, codings: "
        f"{codings}; {report.agreements} agreed passages accepted and {report.decisions} "
        f"disagreements decided into the consensus; {report.memos} memos."
    )
    click.echo(f"Open it with: coder tui -p {location}")
