"""`coder saturation`: new codes per interview, the cumulative curve and the stopping rule of
Guest, Namey & Chen (2020), for one order and over many random orders."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from coder.cli.base import echo_json, project_option, reader_option, terminal_width
from coder.errors import UsageError
from coder.project import Project
from coder.tables import json_ready, markdown_table, text_table

if TYPE_CHECKING:
    from coder.saturation.api import SaturationReport

FORMATS = (".png", ".svg", ".csv", ".md")


def summary(report: SaturationReport) -> list[str]:
    a, s = report.assessment, report.spread
    what = "themes" if report.items.level == "themes" else "codes"
    lines = [
        f"{len(a.new)} interviews in {report.items.order} order; {a.total} {what} in all, "
        f"{a.base_total} in the base of {a.base_size}.",
    ]
    if a.reached_at is not None:
        lines.append(
            f"Saturation at {a.notation}: {a.reached_at} interviews, confirmed by a run of "
            f"{a.run_length} adding ≤{a.threshold:.0%} new information (Guest, Namey & Chen 2020)."
        )
    else:
        lines.append(
            f"No run of {a.run_length} after the base added ≤{a.threshold:.0%} new information: "
            "saturation was not reached in this order."
        )
    q = s.quantiles()
    if q is None:
        lines.append(f"Over {s.orders} random orders (seed {s.seed}): never reached.")
    else:
        lines.append(
            f"Over {s.orders} random orders (seed {s.seed}): median {q['median']:g} "
            f"(interquartile range {q['q1']:g}-{q['q3']:g}, range {q['min']:g}-{q['max']:g}); "
            f"not reached in {s.not_reached}."
        )
    return lines


@click.command()
@project_option
@reader_option
@click.option(
    "--order",
    default="imported",
    show_default=True,
    help="Order of the interviews: imported, name, or a document attribute such as date.",
)
@click.option(
    "--level",
    default="codes",
    show_default=True,
    help="Count codes, or themes (sub-codes rolled up into their theme).",
)
@click.option("--coder", help="Count one coder's codings (default: consensus where reconciled).")
@click.option("--base", "base_size", type=int, default=4, show_default=True, help="Base size.")
@click.option("--run", "run_length", type=int, default=2, show_default=True, help="Run length.")
@click.option(
    "--threshold",
    type=float,
    default=0.05,
    show_default=True,
    help="New-information threshold as a share (0.05 = 5%; 0 asks for no new code at all).",
)
@click.option("--orders", type=int, default=1000, show_default=True, help="Random orders.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the random orders.")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the figure (.png, .svg) or the table (.csv, .md).",
)
def saturation(
    location: str,
    reader: str | None,
    order: str,
    level: str,
    coder: str | None,
    base_size: int,
    run_length: int,
    threshold: float,
    orders: int,
    seed: int,
    as_json: bool,
    output: Path | None,
) -> None:
    """New codes per successive interview and the cumulative count, with the stopping rule of
    Guest, Namey & Chen (2020): after a base of interviews, saturation is reached when a run
    of interviews adds no more than the threshold of new codes, relative to the base. Because
    the answer depends on the order, it is also given over many seeded random orders.
    See docs/saturation.md."""
    if level not in ("codes", "themes"):
        raise UsageError(f"--level is codes or themes, not {level!r}")
    if output is not None and output.suffix.lower() not in FORMATS:
        raise UsageError(f"cannot write {output.suffix or 'that'}: use {', '.join(FORMATS)}")
    with Project.open(location, as_coder=reader) as project:
        report = project.saturation.assess(
            order=order,
            level=level,
            coder=coder,
            base_size=base_size,
            run_length=run_length,
            threshold=threshold,
            orders=orders,
            seed=seed,
        )
    if as_json:
        echo_json(as_data(report))
        return
    if output is not None:
        suffix = output.suffix.lower()
        if suffix in (".png", ".svg"):
            output.write_bytes(report.figure(suffix[1:]))
        elif suffix == ".csv":
            report.table().to_csv(output, index=False)
        else:
            output.write_text(markdown_table(report.table()) + "\n", encoding="utf-8")
        click.echo(f"Wrote {output}.", err=True)
        return
    click.echo(text_table(report.table().drop(columns=["first seen"]), width=terminal_width()))
    click.echo()
    click.echo("\n".join(summary(report)))


def as_data(report: SaturationReport) -> dict[str, object]:
    a, s = report.assessment, report.spread
    return {
        "order": report.items.order,
        "level": report.items.level,
        "coder": report.items.coder,
        "base_size": a.base_size,
        "run_length": a.run_length,
        "threshold": a.threshold,
        "base_total": a.base_total,
        "saturation": a.notation,
        "reached_at": a.reached_at,
        "interviews": json_ready(report.table()),
        "runs": json_ready(report.runs()),
        "random_orders": {
            "orders": s.orders,
            "seed": s.seed,
            "not_reached": s.not_reached,
            "quantiles": s.quantiles(),
            "reached_at": {str(k): v for k, v in s.counts().items()},
        },
    }
