"""Matrices as text: an aligned table, CSV, Markdown, LaTeX, HTML and JSON.

A `Matrix` (coder/matrix/result.py) holds a frame with code paths as its index, groups as its
columns (two levels when split), maybe a Total column and row, and the EVIDENCE column, and
says what its numbers count.
Counts are written as integers, shares (share, coverage) with two decimals in the tables meant
for reading, and in full in CSV and JSON.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from coder.matrix.measures import EVIDENCE, SHARES
from coder.matrix.result import Matrix
from coder.tables import json_safe, latex_escape, layout

TEXT_FORMATS = ("text", "csv", "md", "tex", "html", "json")
BINARY_FORMATS = ("xlsx", "png", "svg")
FORMATS = TEXT_FORMATS + BINARY_FORMATS

DESCRIPTIONS = {
    "segments": "coded segments",
    "sentences": "coded sentences",
    "documents": "documents",
    "participants": "participants mentioning",
    "presence": "presence (1 = present)",
    "share": "share of the group's participants mentioning",
    "coverage": "share of the group's text coded",
}


def view(coder: str | None) -> str:
    """Whose codings a table shows, in words."""
    if coder is None:
        return "consensus where reconciled, else all coders"
    if coder == "consensus":
        return "consensus only"
    return f"coder {coder}"


def describe(matrix: Matrix) -> str:
    """One line saying what the numbers are: the measure, the rows' level, whose codings,
    any filters, and what the n in the column labels counts."""
    measure = matrix.measure
    settings = [f"rows: {matrix.level}"] if matrix.level else []
    settings.append(view(matrix.coder))
    if matrix.where:
        settings.append(f"where {matrix.where}")
    if matrix.is_cooccurrence:
        unit = matrix.unit or "overlap"
        if measure == "documents":
            what = "documents where both codes occur"
        elif unit == "overlap":
            what = "overlapping coded passages"
        elif unit == "passage":
            what = "passages carrying both codes"
        else:
            what = f"{unit}s coded with both"
        return f"Co-occurrence of codes: {what} ({'; '.join(settings)})"
    by = matrix.by or "group"
    groups = f"{by} and {matrix.split}" if matrix.split else by
    what = DESCRIPTIONS.get(measure, measure)
    if measure == "sentences":
        what = f"coded {matrix.unit or 'sentence'}s"
    size = matrix.group_size(0)
    if size is not None:
        settings.append(f"n: {size[0]} per group")
    return f"{what.capitalize()} by {groups} ({'; '.join(settings)})"


def sized(matrix: Matrix) -> Matrix:
    """The matrix with each group's size in its column label, "A (n=3)" (the lower label
    when split), for the tables and figures people read; exports meant for programs keep
    the plain labels."""
    if matrix.is_cooccurrence or not matrix.sizes:
        return matrix
    frame = matrix.frame.copy()
    names = list(frame.columns.names)
    labels = [column if isinstance(column, tuple) else (column,) for column in frame.columns]
    for position, column in enumerate(labels):
        size = matrix.group_size(position)
        if size is not None and not _is_evidence(column):
            labels[position] = (*column[:-1], f"{column[-1]} (n={size[1]})")
    frame.columns = (
        pd.MultiIndex.from_tuples(labels, names=names)
        if frame.columns.nlevels == 2
        else pd.Index([label[0] for label in labels], name=names[0], dtype=object)
    )
    return replace(matrix, frame=frame)


def is_share(matrix: Matrix) -> bool:
    return matrix.measure in SHARES


def levels(frame: pd.DataFrame) -> int:
    return frame.columns.nlevels


def header_rows(frame: pd.DataFrame) -> list[list[str]]:
    """The column headers, one list per level (without the index column)."""
    if levels(frame) == 1:
        return [[str(c) for c in frame.columns]]
    return [[str(c[i]) for c in frame.columns] for i in range(levels(frame))]


def flat_labels(frame: pd.DataFrame) -> list[str]:
    """One label per column: 'A / patient' for split columns."""
    if levels(frame) == 1:
        return [str(c) for c in frame.columns]
    return [" / ".join(str(p) for p in c if str(p)) for c in frame.columns]


def spans(labels: Sequence[str]) -> list[tuple[str, int]]:
    """Runs of equal neighbouring labels: [(label, how many)]."""
    runs: list[tuple[str, int]] = []
    for label in labels:
        if runs and runs[-1][0] == label:
            runs[-1] = (label, runs[-1][1] + 1)
        else:
            runs.append((label, 1))
    return runs


def show(value: Any, share: bool) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float | np.floating) and (share or not float(value).is_integer()):
        return f"{float(value):.2f}"
    return str(int(value))


def _is_evidence(column: Any) -> bool:
    return bool((column[0] if isinstance(column, tuple) else column) == EVIDENCE)


def display_rows(matrix: Matrix) -> list[list[str]]:
    frame, share = matrix.frame, is_share(matrix)
    out = []
    for label, values in zip(frame.index, frame.itertuples(index=False), strict=True):
        cells = [
            str(int(v)) if _is_evidence(c) else show(v, share)
            for c, v in zip(frame.columns, values, strict=True)
        ]
        out.append([str(label), *cells])
    return out


def text(matrix: Matrix, width: int | None = None) -> str:
    """Aligned columns for the terminal: names left, numbers right; made to fit `width`
    characters if given (see `coder.tables.layout`)."""
    frame = matrix.frame
    rows = display_rows(matrix)
    headers = header_rows(frame)
    first = [""] * (len(headers) - 1) + [str(frame.index.name or "code")]
    lines = [[f, *h] for f, h in zip(first, headers, strict=True)]
    right = [False] + [True] * (len(lines[0]) - 1)
    return layout(lines, rows, right, width) + "\n"


def to_csv(matrix: Matrix) -> str:
    """Header rows (one per column level), then one row per code; numbers in full."""
    frame = matrix.frame
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    headers = header_rows(frame)
    names = [str(n) for n in frame.columns.names] if levels(frame) == 2 else []
    if len(headers) == 2:
        writer.writerow([names[0], *headers[0]])
        writer.writerow([str(frame.index.name or "code"), *headers[1]])
    else:
        writer.writerow([str(frame.index.name or "code"), *headers[0]])
    for label, values in zip(frame.index, frame.itertuples(index=False), strict=True):
        writer.writerow([label, *(_plain(v) for v in values)])
    return out.getvalue()


def _plain(value: Any) -> Any:
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def markdown(matrix: Matrix) -> str:
    def esc(value: str) -> str:
        return value.replace("|", "\\|")

    frame = matrix.frame
    header = [str(frame.index.name or "code"), *flat_labels(frame)]
    lines = [
        f"**{describe(matrix)}**",
        "",
        "| " + " | ".join(esc(h) for h in header) + " |",
        "| --- | " + " | ".join("---:" for _ in frame.columns) + " |",
    ]
    for row in display_rows(matrix):
        lines.append("| " + " | ".join(esc(v) for v in row) + " |")
    return "\n".join(lines) + "\n"


def latex(matrix: Matrix) -> str:
    """A booktabs table (needs \\usepackage{booktabs})."""
    e = latex_escape
    frame = matrix.frame
    n = len(frame.columns)
    lines = [
        "% " + describe(matrix),
        r"\begin{tabular}{l" + "r" * n + "}",
        r"\toprule",
    ]
    headers = header_rows(frame)
    if len(headers) == 2:
        cells, rules, column = [""], [], 2
        for label, width in spans(headers[0]):
            cells.append(e(label) if width == 1 else rf"\multicolumn{{{width}}}{{c}}{{{e(label)}}}")
            if width > 1:
                rules.append(rf"\cmidrule(lr){{{column}-{column + width - 1}}}")
            column += width
        lines.append(" & ".join(cells) + r" \\")
        if rules:
            lines.append("".join(rules))
    bottom = headers[-1]
    lines.append(" & ".join([e(str(frame.index.name or "code")), *map(e, bottom)]) + r" \\")
    lines.append(r"\midrule")
    for row in display_rows(matrix):
        lines.append(" & ".join(e(v) for v in row) + r" \\")
    lines += [r"\bottomrule", r"\end{tabular}", ""]
    return "\n".join(lines)


def to_html(matrix: Matrix) -> str:
    """A table element with a caption; split columns get two header rows."""
    e = html.escape
    frame = matrix.frame
    lines = [
        f'<table class="coder-matrix" data-measure="{e(matrix.measure)}">',
        f"<caption>{e(describe(matrix))}</caption>",
        "<thead>",
    ]
    headers = header_rows(frame)
    index_name = e(str(frame.index.name or "code"))
    if len(headers) == 2:
        top = [f'<th rowspan="2" scope="col">{index_name}</th>']
        for label, width in spans(headers[0]):
            span = f' colspan="{width}"' if width > 1 else ""
            top.append(f'<th{span} scope="colgroup">{e(label)}</th>')
        lines.append("<tr>" + "".join(top) + "</tr>")
        lines.append("<tr>" + "".join(f'<th scope="col">{e(h)}</th>' for h in headers[1]) + "</tr>")
    else:
        cells = [f'<th scope="col">{index_name}</th>']
        cells += [f'<th scope="col">{e(h)}</th>' for h in headers[0]]
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines += ["</thead>", "<tbody>"]
    for row in display_rows(matrix):
        cells = [f'<th scope="row">{e(row[0])}</th>'] + [f"<td>{e(v)}</td>" for v in row[1:]]
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines += ["</tbody>", "</table>", ""]
    return "\n".join(lines)


def as_json(matrix: Matrix) -> dict[str, Any]:
    """{"measure", "by", "split", "rows", "columns", "values", "groups"}: values row by row,
    columns as group labels or [group, subgroup] pairs; "groups" says in how many groups each
    row is evidenced (matrices only); then the settings (level, coder, unit, min_groups)."""
    frame = matrix.frame
    kept = [c for c in frame.columns if not _is_evidence(c)]
    columns: list[Any] = [list(c) if isinstance(c, tuple) else c for c in kept]
    values = [[_plain(v) for v in row] for row in frame[kept].itertuples(index=False)]
    data: dict[str, Any] = {
        "measure": matrix.measure,
        "by": matrix.by,
        "split": matrix.split,
        "rows": [str(r) for r in frame.index],
        "columns": columns,
        "values": values,
    }
    if matrix.is_cooccurrence:
        data["unit"] = matrix.unit
    else:
        sizes = [matrix.group_size(i) for i in range(len(kept))]
        if any(size is not None for size in sizes):
            data["sizes"] = [None if size is None else size[1] for size in sizes]
            data["sizes_count"] = next(size[0] for size in sizes if size is not None)
    if not matrix.is_cooccurrence and len(kept) < len(frame.columns):
        evidence = frame[next(c for c in frame.columns if _is_evidence(c))]
        data["groups"] = [int(v) for v in evidence]
    for key, value in matrix.settings().items():
        data.setdefault(key, value)
    return data


def dump_json(data: dict[str, Any]) -> str:
    """JSON with one line per key, and per row of "values"."""
    lines = []
    for key, value in json_safe(data).items():
        name = json.dumps(key)
        if key == "values" and value:
            rows = ",\n".join(
                "    " + json.dumps(row, ensure_ascii=False, allow_nan=False) for row in value
            )
            lines.append(f"  {name}: [\n{rows}\n  ]")
        else:
            lines.append(f"  {name}: {json.dumps(value, ensure_ascii=False, allow_nan=False)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def render(matrix: Matrix, fmt: str, width: int | None = None) -> str:
    """The matrix in a text format; `width` folds the plain-text table to fit a terminal."""
    if fmt == "text":
        return text(matrix, width)
    if fmt == "csv":
        return to_csv(matrix)
    if fmt == "md":
        return markdown(matrix)
    if fmt == "tex":
        return latex(matrix)
    if fmt == "html":
        return to_html(matrix)
    if fmt == "json":
        return dump_json(as_json(matrix))
    raise ValueError(f"not a text format: {fmt}")
