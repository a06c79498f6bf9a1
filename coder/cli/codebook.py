"""`coder codebook ...`: show and edit the project's codebook."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from coder import model
from coder.cli.base import actor_option, echo_json, project_option
from coder.codebook.files import WRITABLE, format_of
from coder.errors import UsageError
from coder.project import Project

if TYPE_CHECKING:
    from coder.codebook.tree import CodeTree


@click.group()
def codebook() -> None:
    """Show, edit, load and export the project's codebook.

    Codes are named by their path, e.g. "Challenges/Material/Time" (a "/" inside a name is
    written "\\/"). Every edit can be undone with `coder undo`.
    """


def code_json(tree: CodeTree, code: model.Code, counts: dict[int, int]) -> dict[str, Any]:
    return {
        "name": code.name,
        "path": tree.path(code),
        "kind": code.kind,
        "status": code.status,
        "definition": code.definition,
        "include": code.include,
        "exclude": code.exclude,
        "examples": list(code.examples),
        "source": code.source,
        "color": code.color,
        "key": code.key,
        "codings": counts.get(code.id, 0),
        "children": [code_json(tree, child, counts) for child in tree.children(code)],
    }


@codebook.command()
@project_option
@click.option("--json", "as_json", is_flag=True, help="Print the tree as JSON.")
@click.option("--all", "show_all", is_flag=True, help="Include retired and merged codes.")
@click.option("--definitions", is_flag=True, help="Print each code's definition under it.")
def show(location: str, as_json: bool, show_all: bool, definitions: bool) -> None:
    """Print the code tree with shortcut keys and coding counts."""
    with Project.open(location) as project:
        tree = project.codebook.tree(include_inactive=show_all)
        counts = project.codebook.coding_counts()
    if as_json:
        echo_json([code_json(tree, root, counts) for root in tree.roots()])
        return
    if not tree.codes:
        click.echo("The codebook is empty. Load one with: coder codebook load -p PROJECT FILE")
        return
    for code, depth in tree.walk():
        key = f"[{code.key}] " if code.key else ""
        status = "" if code.status == "active" else f"  ({code.status})"
        count = counts.get(code.id, 0)
        codings = f"  {count} codings" if count else ""
        click.echo(f"{'  ' * depth}{key}{code.name}{status}{codings}")
        if definitions and code.definition:
            click.echo(f"{'  ' * (depth + 1)}  {code.definition}")


FIELD_OPTIONS = [
    click.option("--definition", help="What the code means."),
    click.option("--include", help="When to apply it."),
    click.option("--exclude", help="When not to apply it (and what to use instead)."),
    click.option("--example", "examples", multiple=True, help="An example (repeatable)."),
    click.option(
        "--source", help="Where it comes from: the study's section or page, or who added it."
    ),
    click.option("--color", help="Colour as #rrggbb."),
    click.option("--key", help="A one-character shortcut key."),
    click.option(
        "--kind", type=click.Choice(model.CODE_KINDS), help="organizing-theme, theme or code."
    ),
]


def field_options(func: Any) -> Any:
    for option in reversed(FIELD_OPTIONS):
        func = option(func)
    return func


def given(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in fields.items() if v}


@codebook.command()
@project_option
@actor_option
@click.argument("name")
@click.option("--parent", metavar="PATH", help="Where to add it (default: top level).")
@field_options
def add(location: str, actor: str, name: str, parent: str | None, **fields: Any) -> None:
    """Add a code (e.g. an inductive one found while coding)."""
    with Project.open(location) as project:
        code = project.codebook.add(name, parent=parent, actor=actor, **given(fields))
        path = project.codebook.tree().path(code)
    click.echo(f"Added {path!r}.")


@codebook.command()
@project_option
@actor_option
@click.argument("path")
@field_options
def edit(location: str, actor: str, path: str, **fields: Any) -> None:
    """Change a code's definition, criteria, examples, source, colour, key or kind."""
    values = given(fields)
    if not values:
        raise click.UsageError("say what to change, e.g. --definition TEXT")
    with Project.open(location) as project:
        project.codebook.edit(path, actor=actor, **values)
    click.echo(f"Updated {path!r}: {', '.join(sorted(values))}.")


@codebook.command()
@project_option
@actor_option
@click.argument("path")
@click.argument("new_name")
def rename(location: str, actor: str, path: str, new_name: str) -> None:
    """Rename a code (its codings stay with it)."""
    with Project.open(location) as project:
        project.codebook.rename(path, new_name, actor=actor)
    click.echo(f"Renamed {path!r} to {new_name!r}.")


@codebook.command()
@project_option
@actor_option
@click.argument("path")
@click.option("--to", "new_parent", metavar="PATH", help="New parent (omit for top level).")
def move(location: str, actor: str, path: str, new_parent: str | None) -> None:
    """Move a code (with its sub-codes) under another one."""
    with Project.open(location) as project:
        project.codebook.move(path, new_parent, actor=actor)
    click.echo(f"Moved {path!r} to {new_parent or 'the top level'!r}.")


@codebook.command()
@project_option
@actor_option
@click.argument("source")
@click.argument("target")
def merge(location: str, actor: str, source: str, target: str) -> None:
    """Merge SOURCE into TARGET: its codings, sub-codes and memos go to TARGET."""
    with Project.open(location) as project:
        moved, dropped = project.codebook.merge(source, target, actor=actor)
    extra = f" ({dropped} already there were not duplicated)" if dropped else ""
    click.echo(f"Merged {source!r} into {target!r}: {moved} codings moved{extra}.")


@codebook.command()
@project_option
@actor_option
@click.argument("path")
@click.argument("into", nargs=-1, required=True)
def split(location: str, actor: str, path: str, into: tuple[str, ...]) -> None:
    """Split a code into new sibling codes; its codings are flagged for recoding."""
    with Project.open(location) as project:
        project.codebook.split(path, list(into), actor=actor)
        pending = project.codebook.coding_counts().get(project.codebook.code(path).id, 0)
    click.echo(
        f"Split {path!r} into {', '.join(repr(n) for n in into)}; {pending} codings to recode."
    )


@codebook.command()
@project_option
@actor_option
@click.argument("path")
def retire(location: str, actor: str, path: str) -> None:
    """Stop offering a code for coding; its codings stay in reports."""
    with Project.open(location) as project:
        project.codebook.retire(path, actor=actor)
    click.echo(f"Retired {path!r}.")


@codebook.command()
@project_option
@actor_option
@click.argument("path")
@click.option("--force", is_flag=True, help="Delete its codings too (undo brings them back).")
def delete(location: str, actor: str, path: str, force: bool) -> None:
    """Delete a code. Refused while it has codings, unless --force."""
    with Project.open(location) as project:
        count = project.codebook.delete(path, force=force, actor=actor)
    extra = f" and its {count} codings" if count else ""
    click.echo(f"Deleted {path!r}{extra}. `coder undo` brings it back.")


@codebook.command("load")
@project_option
@actor_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def load_(location: str, actor: str, file: Path) -> None:
    """Load a codebook file (.yaml, .qdc from another tool, or a name,parent,definition .csv).

    Loading again, or loading a newer version, updates the codes in place (matched by id,
    then guid, then path); codes the file no longer has are kept with their codings.
    """
    with Project.open(location) as project:
        report, warnings = project.codebook.load(file, actor=actor)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"Loaded {report.title!r}: {report.summary()}.")
    for path in report.kept:
        click.echo(f"  kept (not in the file): {path}")


@codebook.command("export")
@project_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File (default: stdout).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(WRITABLE),
    help="yaml, qdc (REFI-QDA), md or tex (default: from the file name, else yaml).",
)
def export(location: str, output: Path | None, fmt: str | None) -> None:
    """Write the codebook as YAML, REFI-QDA .qdc, or Markdown/LaTeX for a paper's appendix."""
    chosen = fmt or (format_of(output) if output else "yaml")
    with Project.open(location) as project:
        data = project.codebook.export(chosen)
    if output is None:
        click.echo(data.decode("utf-8"), nl=False)
        return
    output.write_bytes(data)
    click.echo(f"Wrote {output}.", err=True)


def history_point(text: str | None) -> int | datetime | None:
    """An event id (`#12` or `12`, as `coder log` shows), a date or a date and time (local
    time; a bare date means the end of that day), or `start`."""
    if text is None:
        return None
    text = text.strip()
    if text == "start":
        return 0
    if text.lstrip("#").isdigit():
        return int(text.lstrip("#"))
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"{text!r} is not a point of history: give an event number from `coder log` "
            "(e.g. 12), a date (2026-11-23), a date and time (2026-11-23T14:30) or `start`"
        ) from None
    if len(text) == 10:
        moment = moment.replace(hour=23, minute=59, second=59, microsecond=999999)
    return moment.astimezone(UTC)


@codebook.command()
@project_option
@click.option("--from", "since", metavar="POINT", help="Event number, date or `start` (default).")
@click.option("--to", "until", metavar="POINT", help="Event number or date (default: now).")
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON.")
def diff(location: str, since: str | None, until: str | None, as_json: bool) -> None:
    """What changed in the codebook between two points of history.

    Points are event numbers as `coder log` shows them (#12), dates or times. Codes are
    followed through renames and moves; merges, retirements and splits show as status changes.
    """
    with Project.open(location) as project:
        changes = project.codebook.diff(history_point(since), history_point(until))
    if as_json:
        echo_json([asdict(c) for c in changes])
        return
    for change in changes:
        click.echo(change.describe())
    count = len(changes)
    click.echo(f"{count} change{'' if count == 1 else 's'}." if changes else "No changes.")
