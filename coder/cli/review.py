"""Double coding: `coder phase`, `coder agree`, `coder reconcile`."""

from __future__ import annotations

from pathlib import Path

import click

from coder import model
from coder.cli.base import actor_option, echo_json, project_option
from coder.compare import UNITS, AgreementReport, per_code_view
from coder.errors import UsageError
from coder.project import Project
from coder.tables import json_ready, markdown_table, text_table


def coder_list(value: str) -> list[str]:
    coders = [c.strip() for c in value.split(",") if c.strip()]
    if len(coders) < 2:
        raise UsageError("--coders takes two or more names separated by commas, e.g. maya,tomas")
    return coders


@click.command()
@project_option
@actor_option
@click.argument("phase", required=False, type=click.Choice(model.PHASES))
def phase(location: str, actor: str, phase: str | None) -> None:
    """Show or set the project's phase: open, blind (each coder sees only their own codings)
    or reconcile."""
    with Project.open(location) as project:
        if phase is None:
            click.echo(project.phase)
            return
        project.set_phase(phase, actor=actor)  # type: ignore[arg-type]
    click.echo(f"The project is now in the {phase} phase.")


def report_json(report: AgreementReport) -> dict[str, object]:
    per_code = json_ready(report.per_code)
    pooled = json_ready(report.pooled)
    return {
        "unit": report.unit,
        "coders": list(report.coders),
        "documents": list(report.documents),
        "per_code": per_code,
        "pooled": pooled[0] if pooled else {},
        "per_document": json_ready(report.per_document),
    }


@click.command()
@project_option
@click.option("--coders", required=True, help="Coders to compare, comma-separated: maya,tomas.")
@click.option(
    "--unit",
    type=click.Choice(UNITS),
    default="sentence",
    show_default=True,
    help="What counts as one unit.",
)
@click.option(
    "--documents", help="Comma-separated documents (default: those all the coders coded)."
)
@click.option(
    "--min-share",
    type=float,
    default=0.0,
    show_default=True,
    help="Share of a unit a coding must cover to mark it (0 = any overlap).",
)
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the per-code table to FILE.csv or FILE.md.",
)
def agree(
    location: str,
    coders: str,
    unit: str,
    documents: str | None,
    min_share: float,
    as_json: bool,
    output: Path | None,
) -> None:
    """Inter-coder agreement per code and pooled, with the counts behind it.

    Percent agreement is shown over all units and over the units at least one coder marked,
    so rare codes are not flattered; see docs/agreement.md for the coefficients.
    """
    names = [d.strip() for d in documents.split(",")] if documents else None
    with Project.open(location) as project:
        report = project.agreement(coder_list(coders), unit, documents=names, min_share=min_share)  # type: ignore[arg-type]
    if as_json:
        echo_json(report_json(report))
        return
    view = per_code_view(report)
    if output is not None:
        if output.suffix.lower() == ".md":
            output.write_text(markdown_table(view) + "\n", encoding="utf-8")
        elif output.suffix.lower() == ".csv":
            report.per_code.to_csv(output, index=False)
        else:
            raise UsageError(f"cannot write {output.suffix or 'that'}: use a .csv or .md file")
        click.echo(f"Wrote {output}.", err=True)
        return
    click.echo(
        f"Agreement of {' and '.join(report.coders)} by {report.unit} over "
        f"{len(report.documents)} documents: {', '.join(report.documents)}\n"
    )
    click.echo(text_table(view))


@click.command()
@project_option
@actor_option
@click.option("--coders", required=True, help="The two coders to reconcile, comma-separated.")
@click.option(
    "--unit",
    type=click.Choice(["sentence", "turn", "paragraph"]),
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
    type=click.Choice(["a", "b", "both", "neither"]),
    help="a: the first coder's version, b: the second's, both (their union), or neither.",
)
@click.option("--rationale", default="", help="Why, kept with the decision.")
def reconcile(
    location: str,
    actor: str,
    coders: str,
    unit: str,
    documents: str | None,
    accept_agreements: bool,
    show: bool,
    decide: int | None,
    choice: str | None,
    rationale: str,
) -> None:
    """Build the consensus layer from two coders' codings.

    --accept-agreements writes what both coders coded alike; the disagreements are then
    decided one by one, in the workbench or with --decide N --choice a|b|both|neither
    (N as numbered by --list), and the work resumes where it stopped. Without options, says
    how far reconciliation has come.
    """
    if (decide is None) != (choice is None):
        raise UsageError("--decide N and --choice go together")
    names = [d.strip() for d in documents.split(",")] if documents else None
    pair = coder_list(coders)
    with Project.open(location) as project:
        if accept_agreements:
            count = project.reconcile.accept_agreements(pair, unit, documents=names, actor=actor)  # type: ignore[arg-type]
            click.echo(f"Accepted {count} agreed passages into the consensus layer.")
        remaining = project.reconcile.pending(pair, unit, documents=names)  # type: ignore[arg-type]
        if decide is not None:
            if not 1 <= decide <= len(remaining):
                raise UsageError(
                    f"there is no disagreement {decide}: --list numbers them 1 to {len(remaining)}"
                )
            chosen = remaining.pop(decide - 1)
            project.reconcile.decide(
                chosen,
                choice,  # type: ignore[arg-type]
                coders=pair,
                unit=unit,  # type: ignore[arg-type]
                rationale=rationale,
                actor=actor,
            )
            click.echo(f"Decided {choice} on {chosen.code} in {chosen.document}.")
            remaining = project.reconcile.pending(pair, unit, documents=names)  # type: ignore[arg-type]
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
