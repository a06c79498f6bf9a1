"""The `coder cooccurrence` command: its options, and the listing of what each cell counts
(`--list`). It writes its tables with the helpers of the matrix commands in `coder.cli.matrix`
(formats, `-o`, code layers), so a co-occurrence table comes out as a matrix does.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from coder.cli.base import ChoiceOf, names_in, project_option, reader_option, where_option
from coder.cli.matrix import (
    LEVEL_HELP,
    _emit,
    _emit_tables,
    _format,
    _layered,
    code_layer_options,
    table_output,
)
from coder.project import Project

if TYPE_CHECKING:
    import pandas as pd

    from coder.matrix.api import CooccurrenceUnit
    from coder.matrix.cooccurrences import Cooccurrence


@click.command()
@project_option
@reader_option
@click.option(
    "--rows", "rows", default="codes", show_default=True, metavar="LEVEL", help=LEVEL_HELP
)
@click.option(
    "--columns", "columns", metavar="LEVEL", help="Columns, as --rows (default: the same)."
)
@click.option(
    "--codes",
    "codes",
    multiple=True,
    metavar="PATH",
    help="Only codes that are this code or under it (repeatable).",
)
@click.option(
    "--unit",
    type=ChoiceOf(names_in("coder.matrix.api", "COOCCURRENCE_UNITS")),
    default="overlap",
    show_default=True,
    help="passage: passages (one coded span, however many codes: a quotation, an activity) "
    "carrying both; overlap: coded text overlaps; sentence, turn, paragraph: both codes "
    "touch the unit.",
)
@click.option(
    "--measure",
    type=ChoiceOf(names_in("coder.matrix.cooccurrences", "COOCCURRENCE_MEASURES")),
    default="segments",
    show_default=True,
    help="segments: the passages, overlaps or units counted; documents: documents where both "
    "occur.",
)
@click.option("--coder", metavar="NAME|consensus", help="Whose codings (default as for matrix).")
@where_option
@code_layer_options
@click.option(
    "--list",
    "listing",
    is_flag=True,
    help="List what each cell counts (document, offsets, text, codes) instead of the counts.",
)
@table_output
def cooccurrence(
    location: str,
    reader: str | None,
    rows: str,
    columns: str | None,
    codes: tuple[str, ...],
    unit: CooccurrenceUnit,
    measure: Cooccurrence,
    coder: str | None,
    where: tuple[str, ...],
    where_code: tuple[str, ...],
    split_code: str | None,
    listing: bool,
    title: str | None,
    fmt: str | None,
    output: Path | None,
) -> None:
    """Code x code co-occurrence, e.g. Lind's place x phase table, counted by activity:

    coder cooccurrence -p P --rows Place --columns Phase --unit passage [--list]
    """
    from coder.attributes.where import parse as parse_where
    from coder.matrix import export

    options: dict[str, Any] = dict(
        rows=rows,
        columns=columns,
        codes=codes,
        unit=unit,
        coder=coder,
        where=parse_where(where),
    )
    if listing:
        with Project.open(location, as_coder=reader) as project:
            found = project.matrices.passages(**options, where_code=where_code)
        _emit_listing(found, _format(fmt, output, LISTING_FORMATS, "text"), output)
        return
    fmt = _format(fmt, output, export.FORMATS, "text")
    with Project.open(location, as_coder=reader) as project:
        tables = _layered(
            project,
            split_code,
            where_code,
            lambda layer: project.matrices.cooccurrence(
                **options, measure=measure, where_code=layer
            ),
        )
    _emit_tables(tables, fmt, output, title, "a co-occurrence matrix")


LISTING_FORMATS = ("text", "csv", "json", "md")


def _emit_listing(found: pd.DataFrame, fmt: str, output: Path | None) -> None:
    """A cell's passages: under a heading per cell (text, md), or one row each (csv, json)."""
    if fmt == "csv":
        content = found.to_csv(index=False)
    elif fmt == "json":
        content = found.to_json(orient="records", indent=2, force_ascii=False) + "\n"
    else:
        lines: list[str] = []
        for (row, column), cell in found.groupby(["row", "column"], sort=False):
            heading = f"{row} x {column}: {len(cell)}"
            lines += [f"## {heading}" if fmt == "md" else heading, ""]
            for item in cell.itertuples(index=False):
                where = f"{item.document} {item.start}-{item.end}"
                if fmt == "md":
                    lines.append(f"- {where}: “{item.text}” ({item.codes})")
                else:
                    lines.append(f"  {where}  “{item.text}”\n    {item.codes}")
            lines.append("")
        content = "\n".join(lines) if lines else "Nothing is coded with both.\n"
    _emit(content, output, f"{len(found)} passages")
