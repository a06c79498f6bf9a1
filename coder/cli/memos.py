"""`coder memo ...`: write and read memos."""

from __future__ import annotations

import click

from coder.cli.base import actor_option, project_option
from coder.memos.api import TARGET_HELP
from coder.project import Project


@click.group()
def memo() -> None:
    """Write and read memos on the project, documents, participants, codes, codings and
    attribute values (e.g. what characterised site C)."""


@memo.command("add")
@project_option
@actor_option
@click.option(
    "--on", "target", default="project", show_default=True, help=f"What it is about: {TARGET_HELP}."
)
@click.option("--title", default="", help="A short title.")
@click.argument("text")
def add(location: str, actor: str, target: str, title: str, text: str) -> None:
    """Write a memo."""
    with Project.open(location) as project:
        written = project.memos.add(target, text, title=title, actor=actor)
    click.echo(f"Memo {written.id} on {target}.")


@memo.command("list")
@project_option
@click.option("--on", "target", help=f"Only memos on: {TARGET_HELP}.")
def list_(location: str, target: str | None) -> None:
    """List memos, oldest first."""
    with Project.open(location) as project:
        memos = project.memos.list(target)
    if not memos:
        click.echo("No memos.")
    for m in memos:
        about = m.target + (f" {m.attribute_value}" if m.attribute_value else "")
        heading = f" — {m.title}" if m.title else ""
        click.echo(f"[{m.id}] {about}{heading} ({m.created_at:%Y-%m-%d})\n    {m.body}")


@memo.command("edit")
@project_option
@actor_option
@click.argument("memo_id", type=int)
@click.option("--text", help="New text.")
@click.option("--title", help="New title.")
def edit(location: str, actor: str, memo_id: int, text: str | None, title: str | None) -> None:
    """Change a memo's text or title."""
    if text is None and title is None:
        raise click.UsageError("say what to change: --text and/or --title")
    with Project.open(location) as project:
        project.memos.edit(memo_id, body=text, title=title, actor=actor)
    click.echo(f"Updated memo {memo_id}.")


@memo.command("delete")
@project_option
@actor_option
@click.argument("memo_id", type=int)
def delete(location: str, actor: str, memo_id: int) -> None:
    """Delete a memo (`coder undo` brings it back)."""
    with Project.open(location) as project:
        project.memos.delete(memo_id, actor=actor)
    click.echo(f"Deleted memo {memo_id}.")
