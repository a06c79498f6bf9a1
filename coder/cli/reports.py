"""`coder report methods` and `coder report audit`: the methods section with its appendix,
and the audit trail, as Markdown, Word, LaTeX or HTML (coder.reports)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from coder.cli.base import project_option, reader_option
from coder.project import Project

if TYPE_CHECKING:
    from coder.reports.document import Report

OUTPUT_HELP = "Write FILE.md, .docx, .tex or .html (default: Markdown on the terminal)."


@click.group()
def report() -> None:
    """Reports for the paper: the methods section and the audit trail."""


@report.command()
@project_option
@reader_option
@click.option("--by", help="Document attribute to group by (default: site, when there is one).")
@click.option("--split", help="Second attribute to split groups by (default: role, if any).")
@click.option(
    "--unit",
    type=click.Choice(["sentence", "turn", "paragraph", "document"]),
    default="sentence",
    show_default=True,
    help="Unit of agreement.",
)
@click.option(
    "--min-groups",
    type=int,
    default=2,
    show_default=True,
    help="Keep themes evidenced in at least this many groups.",
)
@click.option("--order", help="Interview order for saturation (default: date, else imported).")
@click.option("--draws", type=int, default=1000, show_default=True, help="Bootstrap resamples.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help=OUTPUT_HELP)
def methods(
    location: str,
    reader: str | None,
    by: str | None,
    split: str | None,
    unit: str,
    min_groups: int,
    order: str | None,
    draws: int,
    output: Path | None,
) -> None:
    """The methods section and its appendix, written from the project: the corpus by group,
    the codebook and how it changed, double coding and agreement with intervals,
    reconciliation, themes by group with exemplar quotes, saturation, and COREQ items 24-32.
    Every number comes from the same calls as the command that shows it; see
    docs/reports.md."""
    from coder.reports.document import format_of

    if output is not None:
        format_of(output)  # a wrong extension fails before the work
    with Project.open(location, as_coder=reader) as project:
        written = project.reports.methods(
            by=by, split=split, unit=unit, min_groups=min_groups, order=order, draws=draws
        )
        _emit(project, written, output)


@report.command()
@project_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help=OUTPUT_HELP)
def audit(location: str, output: Path | None) -> None:
    """The audit trail: imports with their hashes, phases, codebook changes with their dates
    and the memos on codes, and every reconciliation decision with its rationale."""
    from coder.reports.document import format_of

    if output is not None:
        format_of(output)
    with Project.open(location) as project:
        _emit(project, project.reports.audit(), output)


def _emit(project: Project, written: Report, output: Path | None) -> None:
    from coder.reports.document import markdown

    if output is None:
        click.echo(markdown(written), nl=False)
        return
    files = project.reports.write(written, output)
    click.echo(f"Wrote {', '.join(str(f.resolve()) for f in files)}.", err=True)
