"""Listing documents."""

from __future__ import annotations

from typing import Any

import click

from coder.cli.base import echo_json, project_option
from coder.model import DocumentSummary
from coder.project import Project


@click.command()
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
            f"{d.name}  [{d.format}]  {d.turns} turns, {d.paragraphs} paragraphs, "
            f"{d.sentences} sentences, "
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
