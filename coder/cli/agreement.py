"""`coder agree`: inter-coder agreement (coder.agreement)."""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

from coder.agreement.api import UNITS, AgreementReport, per_code_view
from coder.cli.base import coder_list, echo_json, project_option
from coder.errors import UsageError
from coder.project import Project
from coder.tables import json_ready, markdown_table, text_table


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


def with_intervals(view: pd.DataFrame, bounds: pd.DataFrame) -> pd.DataFrame:
    """The per-code view with the interval's bounds beside the coefficients."""
    found = bounds.set_index("code")
    return view.assign(
        **{
            "95% CI low": view["code"].map(found["low"]).to_numpy(),
            "95% CI high": view["code"].map(found["high"]).to_numpy(),
        }
    )


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
@click.option(
    "--ci",
    type=click.Choice(["cohen_kappa", "krippendorff_alpha"]),
    help="Add bootstrap 95% intervals of this coefficient per code and pooled (two coders).",
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
    ci: str | None,
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
        bounds = (
            project.agreement_intervals(
                report.coders,
                report.unit,
                coefficient=ci,
                documents=report.documents,
            )
            if ci
            else None
        )
    if as_json:
        echo_json(report_json(report))
        return
    view = per_code_view(report)
    if bounds is not None:
        view = with_intervals(view, bounds)
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
