"""Aggregation commands: `coder matrix`, `coder exemplars`, `coder matrix-report`, and the
helpers `coder cooccurrence` (cooccurrence.py) writes its tables with."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from coder.cli.base import (
    ChoiceOf,
    names_in,
    project_option,
    reader_option,
    terminal_width,
    where_option,
)
from coder.coding.citation import DEFAULT_TEMPLATE
from coder.errors import UsageError
from coder.project import Project
from coder.tables import json_ready, markdown_table, text_table

if TYPE_CHECKING:
    from coder.matrix.measures import Measure
    from coder.matrix.report import ReportFormat
    from coder.matrix.result import Matrix

F = TypeVar("F", bound=Callable[..., Any])
Fmt = TypeVar("Fmt", bound=str)

LEVEL_HELP = (
    "Rows: codes (each code its own codings), themes, top, a depth (1 = top level) or a code "
    "path (its sub-codes). All but codes count their sub-codes' codings too."
)


def _format(fmt: Fmt | None, output: Path | None, allowed: tuple[Fmt, ...], default: Fmt) -> Fmt:
    from coder.matrix.files import format_for

    if fmt is None and output is not None:
        fmt = format_for(output, allowed)
    fmt = fmt or default
    if output is None and fmt in ("xlsx", "png", "svg", "docx"):
        raise UsageError(f"{fmt} is not for the terminal: write it to a file with -o FILE")
    return fmt


def _emit(content: str | bytes, output: Path | None, what: str) -> None:
    if output is None:
        if isinstance(content, bytes):
            raise UsageError(f"{what} is a binary file: write it with -o FILE")
        click.echo(content, nl=False)
        return
    if isinstance(content, bytes):
        output.write_bytes(content)
    else:
        output.write_text(content, encoding="utf-8")
    click.echo(f"Wrote {what} to {output}.", err=True)


def _note_left_out(matrix: Matrix) -> None:
    left_out = matrix.left_out
    if left_out:
        what = "document" if matrix.scope == "document" else "participant"
        names = " or ".join(name for name in (matrix.by, matrix.split) if name)
        many = left_out > 1
        click.echo(
            f"Note: {left_out} {what}{'s' if many else ''} {'have' if many else 'has'} no "
            f"{names} and {'are' if many else 'is'} left out.",
            err=True,
        )


def code_layer_options(func: F) -> F:
    """--where-code and --split-code, for the tables that take code layers."""
    func = click.option(
        "--split-code",
        metavar="DIMENSION",
        help="One table per code under DIMENSION (e.g. Level): a three-way table; one "
        "sheet per code in .xlsx.",
    )(func)
    return click.option(
        "--where-code",
        "where_code",
        multiple=True,
        metavar="PATH",
        help="Only codings that share text with a coding of PATH or its sub-codes "
        "(repeatable: all of them).",
    )(func)


def _layered(
    project: Project,
    split_code: str | None,
    where_code: tuple[str, ...],
    table: Callable[[list[str]], Matrix],
) -> list[tuple[str, Matrix]]:
    """One (name, matrix) per code under `split_code`, or the one table."""
    if split_code is None:
        return [("", table(list(where_code)))]
    layers = project.matrices.layers(split_code)
    if not layers:
        raise UsageError(f"{split_code!r} has no codes under it to split by")
    return [(layer, table([*where_code, layer])) for layer in layers]


def _emit_tables(
    tables: list[tuple[str, Matrix]],
    fmt: str,
    output: Path | None,
    title: str | None,
    what: str,
) -> None:
    from coder.matrix import export
    from coder.matrix.files import render_layers, render_matrix

    width = terminal_width() if output is None else None
    if len(tables) == 1 and not tables[0][0]:
        matrix = tables[0][1]
        if fmt == "text" and output is None:
            click.echo(export.describe(matrix) + "\n")
        _emit(render_matrix(matrix, fmt, title=title, width=width), output, what)
        return
    _emit(render_layers(tables, fmt, width), output, f"{len(tables)} tables of {what}")


def file_output(formats: Callable[[], Sequence[str]], default: str) -> Callable[[F], F]:
    """--format among `formats` and -o FILE, for commands that write one file."""

    def decorate(func: F) -> F:
        func = click.option(
            "-o",
            "--output",
            type=click.Path(dir_okay=False, path_type=Path),
            help="File (default: stdout).",
        )(func)
        return click.option(
            "--format",
            "fmt",
            type=ChoiceOf(formats),
            help=f"Default: from -o, else {default}.",
        )(func)

    return decorate


def table_output(func: F) -> F:
    """--title, --format and -o, for commands that write a matrix."""
    func = file_output(names_in("coder.matrix.export", "FORMATS"), "text")(func)
    return click.option("--title", help="A title over the heatmap (png, svg).")(func)


def group_options(func: F) -> F:
    for option in reversed(
        [
            click.option(
                "--by",
                required=True,
                metavar="ATTR",
                help="Columns: a document or participant attribute, e.g. site "
                "(document:site or participant:site to choose the scope).",
            ),
            click.option(
                "--split", metavar="ATTR", help="Split each column by a second attribute."
            ),
            click.option(
                "--codes",
                "codes",
                multiple=True,
                metavar="PATH",
                help="Only rows that are this code or under it (repeatable).",
            ),
            click.option(
                "--coder",
                metavar="NAME|consensus",
                help="Whose codings (default: the consensus where there is one, "
                "everyone's elsewhere).",
            ),
            where_option,
        ]
    ):
        func = option(func)
    return func


@click.command()
@project_option
@reader_option
@group_options
@click.option(
    "--measure",
    type=ChoiceOf(names_in("coder.matrix.measures", "MEASURES")),
    default="segments",
    show_default=True,
    help="segments: coded segments (overlapping codings count once); sentences: coded "
    "sentences (or --unit); documents; participants mentioning; presence 0/1; share of the "
    "group's participants mentioning; coverage: share of the group's text coded.",
)
@click.option(
    "--level",
    help=LEVEL_HELP + " Default: themes when the codebook has theme kinds, else codes.",
)
@click.option(
    "--unit",
    type=ChoiceOf(names_in("coder.matrix.gather", "UNIT_KINDS")),
    default="sentence",
    show_default=True,
    help="What --measure sentences counts: sentences, turns or paragraphs.",
)
@click.option(
    "--min-groups",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Keep rows evidenced in at least N groups.",
)
@click.option("--totals", is_flag=True, help="Add a Total row and column (distinct counts).")
@code_layer_options
@table_output
def matrix(
    location: str,
    reader: str | None,
    by: str,
    split: str | None,
    codes: tuple[str, ...],
    coder: str | None,
    where: tuple[str, ...],
    measure: Measure,
    level: str | None,
    unit: str,
    min_groups: int,
    totals: bool,
    where_code: tuple[str, ...],
    split_code: str | None,
    title: str | None,
    fmt: str | None,
    output: Path | None,
) -> None:
    """Codes or themes by site (or any attribute): how much each is evidenced in each group.

    Every group (attribute value) is a column, coded or not; the last column says in how
    many groups each row is evidenced. See docs/matrices.md for what each measure counts.
    """
    from coder.attributes.where import parse as parse_where
    from coder.matrix import export

    fmt = _format(fmt, output, export.FORMATS, "text")
    with Project.open(location, as_coder=reader) as project:
        tables = _layered(
            project,
            split_code,
            where_code,
            lambda layer: project.matrices.matrix(
                by,
                split=split,
                measure=measure,
                level=level,
                codes=codes,
                coder=coder,
                unit=unit,
                min_groups=min_groups,
                totals=totals,
                where=parse_where(where),
                where_code=layer,
            ),
        )
    _note_left_out(tables[0][1])
    rows = len(tables[0][1].frame)
    _emit_tables(tables, fmt, output, title, f"a {rows}-row {measure} matrix")


DESCRIBE_FORMATS = ("text", "md", "csv", "json")


@click.command()
@project_option
@reader_option
@group_options
@click.option("--level", default="themes", show_default=True, help=LEVEL_HELP)
@click.option(
    "--per-cell",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Quotes per theme and group.",
)
@click.option(
    "--min-words",
    type=click.IntRange(min=0),
    default=5,
    show_default=True,
    help="Prefer quotes at least this long.",
)
@click.option(
    "--template",
    default=DEFAULT_TEMPLATE,
    show_default=True,
    help='Citation, e.g. "(Site {site} {role:title})".',
)
@file_output(names_in("coder.matrix.exemplars", "EXEMPLAR_FORMATS"), "md")
def exemplars(
    location: str,
    reader: str | None,
    by: str,
    split: str | None,
    codes: tuple[str, ...],
    coder: str | None,
    where: tuple[str, ...],
    level: str,
    per_cell: int,
    min_words: int,
    template: str,
    fmt: str | None,
    output: Path | None,
) -> None:
    """Exemplar quotes for each theme and group, with attribution such as (Site D Patient).

    Complete sentences first, then at least --min-words words, then the shortest; at most one
    quote per participant (docs/matrices.md has the whole rule).
    """
    from coder.attributes.where import parse as parse_where
    from coder.matrix.exemplars import EXEMPLAR_FORMATS

    fmt = _format(fmt, output, EXEMPLAR_FORMATS, "md")
    with Project.open(location, as_coder=reader) as project:
        found = project.matrices.exemplars(
            by,
            split=split,
            level=level,
            codes=codes,
            coder=coder,
            per_cell=per_cell,
            min_words=min_words,
            template=template,
            where=parse_where(where),
        )
    _emit(found.render(fmt), output, f"{len(found.chosen)} quotes")


@click.command("matrix-report")
@project_option
@reader_option
@group_options
@click.option(
    "--measure",
    "measures",
    type=ChoiceOf(names_in("coder.matrix.measures", "MEASURES")),
    multiple=True,
    help="Matrices to include (repeatable; default: segments, participants, share).",
)
@click.option("--level", default="themes", show_default=True, help=LEVEL_HELP)
@click.option(
    "--min-groups",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Keep rows evidenced in at least N groups.",
)
@click.option("--totals", is_flag=True, help="Add a Total row and column.")
@click.option(
    "--quotes",
    "per_cell",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Exemplar quotes per theme and group (0: none).",
)
@click.option(
    "--template",
    default=DEFAULT_TEMPLATE,
    show_default=True,
    help="Citation template for the quotes.",
)
@click.option(
    "--format",
    "fmt",
    type=ChoiceOf(names_in("coder.matrix.report", "REPORT_FORMATS")),
    help="Default: from -o.",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The report file (.xlsx, .md or .html).",
)
def matrix_report(
    location: str,
    reader: str | None,
    by: str,
    split: str | None,
    codes: tuple[str, ...],
    coder: str | None,
    where: tuple[str, ...],
    measures: tuple[Measure, ...],
    level: str,
    min_groups: int,
    totals: bool,
    per_cell: int,
    template: str,
    fmt: ReportFormat | None,
    output: Path,
) -> None:
    """A report of themes by group: several matrices, exemplar quotes, and the memos written
    on each group (`coder memo add --on site=C ...`).

    As an Excel workbook, one sheet per matrix plus Quotes, Notes and About sheets; as Markdown
    or HTML, one document.
    """
    from coder.attributes.where import parse as parse_where
    from coder.matrix.report import REPORT_FORMATS

    chosen = _format(fmt, output, REPORT_FORMATS, "xlsx")
    with Project.open(location, as_coder=reader) as project:
        report = project.matrices.report(
            by,
            split=split,
            measures=measures or ("segments", "participants", "share"),
            level=level,
            codes=codes,
            coder=coder,
            min_groups=min_groups,
            totals=totals,
            per_cell=per_cell,
            template=template,
            fmt=chosen,
            where=parse_where(where),
        )
    _note_left_out(report.matrices[0])
    _emit(report.content, output, f"a report of {len(report.matrices)} matrices")


@click.command()
@project_option
@click.option(
    "--by", metavar="ATTR", help="Rows: a document or participant attribute (default: all)."
)
@click.option("--split", metavar="ATTR", help="Split each row by a second attribute.")
@where_option
@file_output(lambda: DESCRIBE_FORMATS, "text")
def describe(
    location: str,
    by: str | None,
    split: str | None,
    where: tuple[str, ...],
    fmt: str | None,
    output: Path | None,
) -> None:
    """Documents, participants, words and minutes by group: a study's Table 1 or Table 2.

    coder describe -p P --by site --split role

    With a participant attribute (or --where on one) the groups hold participants, and words
    and minutes are those of their own turns; minutes come from the turns' timestamps.
    """
    from coder.attributes.where import parse as parse_where

    if split is not None and by is None:
        raise UsageError("--split splits the rows of --by: name --by too")
    chosen = _format(fmt, output, DESCRIBE_FORMATS, "text")
    with Project.open(location) as project:
        frame = project.matrices.describe(by, split=split, where=parse_where(where))
    if chosen == "csv":
        content = frame.to_csv()
    elif chosen == "json":
        content = json.dumps(json_ready(frame.reset_index()), indent=2, ensure_ascii=False) + "\n"
    elif chosen == "md":
        content = markdown_table(frame.reset_index(), digits=1) + "\n"
    else:
        width = terminal_width() if output is None else None
        content = text_table(frame.reset_index(), digits=1, width=width) + "\n"
    _emit(content, output, f"a table of {len(frame)} rows")
