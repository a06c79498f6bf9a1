"""`coder attributes list|set|unset|import`: classifications of documents and participants,
added or changed after import."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from coder.cli.base import actor_option, echo_json, project_option, where_option
from coder.errors import UsageError
from coder.model import ATTRIBUTE_SCOPES, AttributeScope
from coder.project import Project
from coder.tables import json_ready, markdown_table, text_table

if TYPE_CHECKING:
    import pandas as pd

    from coder.attributes.api import Targets


@click.group()
def attributes() -> None:
    """Attributes of documents and participants (site, role, a classification made during
    analysis), set after import; undone by `coder undo`."""


def target_options(func: Any) -> Any:
    for option in reversed(
        [
            click.option(
                "--document", "documents", multiple=True, metavar="NAME", help="This document."
            ),
            click.option(
                "--participant",
                "participants",
                multiple=True,
                metavar="NAME",
                help="This participant.",
            ),
            where_option,
            click.option(
                "--scope",
                type=click.Choice(ATTRIBUTE_SCOPES),
                help="With --where or --all: set it on documents (default) or participants.",
            ),
            click.option(
                "--all", "everyone", is_flag=True, help="Every document (or participant)."
            ),
        ]
    ):
        func = option(func)
    return func


def _targets(
    documents: tuple[str, ...],
    participants: tuple[str, ...],
    where: tuple[str, ...],
    scope: AttributeScope | None,
    everyone: bool,
) -> Targets:
    from coder.attributes.api import Targets
    from coder.attributes.where import parse as parse_where

    if documents and participants:
        raise UsageError("name documents or participants, not both")
    if (documents or participants) and (where or everyone):
        raise UsageError("name them, or choose them with --where or --all, not both")
    if participants:
        return Targets("participant", participants)
    if documents:
        return Targets("document", documents)
    return Targets(scope or "document", where=parse_where(where), everyone=everyone)


def _owners(count: int, scope: str) -> str:
    return f"{count} {scope}{'' if count == 1 else 's'}"


@attributes.command("list")
@project_option
@click.option(
    "--values",
    "scope",
    type=click.Choice(ATTRIBUTE_SCOPES),
    help="Instead, every document's (or participant's) values, one row each.",
)
@click.option("--format", "fmt", type=click.Choice(("text", "md", "csv", "json")), default="text")
def list_(location: str, scope: AttributeScope | None, fmt: str) -> None:
    """The attributes there are, with their scope, type and values."""
    with Project.open(location) as project:
        if scope is None:
            frame = project.attributes.table(lists=fmt == "text")
        else:
            frame = project.attributes.values(scope).reset_index()
    if fmt == "text" and scope is None:
        frame["values"] = _brief_values(frame)
    if fmt == "csv":
        click.echo(frame.to_csv(index=False), nl=False)
    elif fmt == "json":
        echo_json(json_ready(frame))
    else:
        table = markdown_table if fmt == "md" else text_table
        click.echo(table(frame.astype(object).where(frame.notna(), "")))


def _brief_values(frame: pd.DataFrame) -> list[str]:
    """The values (a list per attribute) cut to the terminal's width: dates and numbers as
    their range, text as the first values that fit and how many more (`--format csv` or
    `json` lists them all)."""
    others = frame.drop(columns="values").astype(str)
    used = sum(max(len(c), *others[c].str.len()) + 2 for c in others.columns) if len(frame) else 0
    room = max(24, shutil.get_terminal_size().columns - used)
    brief = []
    for kind, values in zip(frame["type"], frame["values"], strict=True):
        text = ", ".join(values)
        if len(text) <= room:
            brief.append(text)
        elif kind in ("date", "number"):
            brief.append(f"{values[0]} … {values[-1]} ({len(values)} values)")
        else:
            kept: list[str] = []
            for value in values:
                more = f", … ({len(values) - len(kept) - 1} more)"
                if len(", ".join([*kept, value])) + len(more) > room:
                    break
                kept.append(value)
            if kept:
                brief.append(f"{', '.join(kept)}, … ({len(values) - len(kept)} more)")
            else:  # not even the first fits: its beginning
                count = f" ({len(values)} values)"
                brief.append(values[0][: max(1, room - len(count) - 1)] + "…" + count)
    return brief


@attributes.command("set")
@project_option
@actor_option
@click.argument("assignment", metavar="NAME=VALUE")
@target_options
def set_(
    location: str,
    actor: str,
    assignment: str,
    documents: tuple[str, ...],
    participants: tuple[str, ...],
    where: tuple[str, ...],
    scope: AttributeScope | None,
    everyone: bool,
) -> None:
    """Give documents or participants an attribute value, e.g. a classification:

    coder attributes set partnership=strong --where site=D --where site=E
    """
    name, sep, value = assignment.partition("=")
    if not sep:
        raise UsageError(f"write the attribute as NAME=VALUE, not {assignment!r}")
    targets = _targets(documents, participants, where, scope, everyone)
    with Project.open(location) as project:
        changed = project.attributes.set(name, value, targets, actor=actor)
    click.echo(f"Set {name.strip()}={value.strip()} on {_owners(changed, targets.scope)}.")


@attributes.command("unset")
@project_option
@actor_option
@click.argument("name")
@target_options
def unset(
    location: str,
    actor: str,
    name: str,
    documents: tuple[str, ...],
    participants: tuple[str, ...],
    where: tuple[str, ...],
    scope: AttributeScope | None,
    everyone: bool,
) -> None:
    """Remove an attribute's value from documents or participants."""
    targets = _targets(documents, participants, where, scope, everyone)
    with Project.open(location) as project:
        changed = project.attributes.unset(name, targets, actor=actor)
    click.echo(f"Removed {name.strip()} from {_owners(changed, targets.scope)}.")


@attributes.command("import")
@project_option
@actor_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_(location: str, actor: str, file: Path) -> None:
    """Values from a CSV table: a first column `document` (or `participant`) of names, or a
    document attribute such as `site` (one row per site: each row sets every document with
    that value), then one column per attribute. Empty cells leave values as they are; one bad
    row refuses the whole file."""
    with Project.open(location) as project:
        result = project.attributes.import_csv(file, actor=actor)
    changed = ", ".join(f"{name} ({n})" for name, n in result.changed.items()) or "nothing"
    if result.key in ("document", "participant"):
        read = _owners(result.rows, result.scope)
    else:
        read = f"{result.rows} {'row' if result.rows == 1 else 'rows'} by {result.key}"
    click.echo(f"Read {read}; changed: {changed}.")
