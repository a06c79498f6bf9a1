"""`coder reconcile`: the consensus layer from two coders' codings."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from coder.cli.base import actor_option, coder_list, project_option
from coder.errors import UsageError
from coder.project import Project

if TYPE_CHECKING:
    from coder.agreement.api import Unit
    from coder.reconcile.consensus import Choice

UNITS: tuple[Unit, ...] = ("sentence", "turn", "paragraph")
# The choices the command line offers; `edit` (a span of one's own) is the workbench's.
CHOICES: tuple[Choice, ...] = ("a", "b", "both", "neither")


@click.command()
@project_option
@actor_option
@click.option("--coders", required=True, help="The two coders to reconcile, comma-separated.")
@click.option(
    "--unit",
    type=click.Choice(UNITS),
    default="sentence",
    show_default=True,
)
@click.option(
    "--documents", help="Comma-separated documents (default: those all the coders coded)."
)
@click.option(
    "--accept-agreements", is_flag=True, help="Write every agreement into the consensus layer."
)
@click.option("--list", "show", is_flag=True, help="List the disagreements still to decide.")
@click.option(
    "--decide",
    "decide",
    type=int,
    metavar="N",
    help="Decide the disagreement numbered N in --list, with --choice.",
)
@click.option(
    "--choice",
    type=click.Choice(CHOICES),
    help="a: the first coder's version, b: the second's, both (their union), or neither.",
)
@click.option("--rationale", default="", help="Why, kept with the decision.")
@click.option(
    "--decisions",
    "decisions_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Apply the decisions recorded in a CSV file (document, code, text, choice, "
    "rationale; see docs/agreement.md), checked whole before anything is written.",
)
def reconcile(
    location: str,
    actor: str,
    coders: str,
    unit: Unit,
    documents: str | None,
    accept_agreements: bool,
    show: bool,
    decide: int | None,
    choice: Choice | None,
    rationale: str,
    decisions_file: Path | None,
) -> None:
    """Build the consensus layer from two coders' codings.

    --accept-agreements writes what both coders coded alike; the disagreements are then
    decided one by one, in the workbench or with --decide N --choice a|b|both|neither
    (N as numbered by --list), or all at once from a file of recorded decisions with
    --decisions FILE; the work resumes where it stopped. Without options, says how far
    reconciliation has come.
    """
    if (decide is None) != (choice is None):
        raise UsageError("--decide N and --choice go together")
    if decisions_file is not None and decide is not None:
        raise UsageError("--decisions FILE and --decide N are alternatives; give one")
    names = [d.strip() for d in documents.split(",")] if documents else None
    pair = coder_list(coders)
    with Project.open(location, as_coder=actor) as project:
        if accept_agreements:
            count = project.reconcile.accept_agreements(pair, unit, documents=names, actor=actor)
            click.echo(f"Accepted {count} agreed passages into the consensus layer.")
        if decisions_file is not None:
            rows, settled = project.reconcile.apply_decisions(
                decisions_file, pair, unit, actor=actor
            )
            click.echo(f"Applied {rows} recorded decisions: {settled} disagreements decided.")
        remaining = project.reconcile.pending(pair, unit, documents=names)
        if decide is not None and choice is not None:
            if not 1 <= decide <= len(remaining):
                raise UsageError(
                    f"there is no disagreement {decide}: --list numbers them 1 to {len(remaining)}"
                )
            chosen = remaining.pop(decide - 1)
            project.reconcile.decide(
                chosen,
                choice,
                coders=pair,
                unit=unit,
                rationale=rationale,
                actor=actor,
            )
            click.echo(f"Decided {choice} on {chosen.code} in {chosen.document}.")
            remaining = project.reconcile.pending(pair, unit, documents=names)
        decisions = project.reconcile.decisions()
        decided = int((decisions["choice"] != "agree").sum())
    click.echo(f"{decided} disagreements decided, {len(remaining)} to decide.")
    if show:
        for number, d in enumerate(remaining, start=1):
            who = ", ".join(d.marked_by)
            text = " ".join(d.text.split())
            click.echo(
                f"{number:4d}. {d.document} {d.start}-{d.end} {d.code} (coded by {who}): {text}"
            )
