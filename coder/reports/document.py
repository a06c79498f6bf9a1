"""A report as a list of blocks (headings, paragraphs, tables, lists, figures), written as
Markdown, HTML, LaTeX or Word. The blocks hold finished text; writers only lay it out."""

from __future__ import annotations

import base64
import html
import io
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from coder.errors import UsageError
from coder.tables import cell, latex_escape

FORMATS = ("md", "html", "tex", "docx")


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    frame: pd.DataFrame
    caption: str = ""
    digits: int = 2


@dataclass(frozen=True)
class Figure:
    png: bytes
    caption: str
    name: str  # file name stem, for formats that link the picture rather than embed it


Block = Heading | Paragraph | Bullets | Table | Figure


@dataclass
class Report:
    title: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)


def format_of(path: Path) -> str:
    fmt = path.suffix.lower().lstrip(".")
    if fmt == "markdown":
        fmt = "md"
    if fmt not in FORMATS:
        raise UsageError(
            f"cannot write a report as {path.suffix or 'a file without extension'}: "
            f"use .{', .'.join(FORMATS)}"
        )
    return fmt


def write(report: Report, path: Path) -> list[Path]:
    """Write the report in the format its extension names; figures go beside Markdown and
    LaTeX files as PNG (`NAME-FIGURE.png`). Returns every file written."""
    fmt = format_of(path)
    written = [path]
    if fmt in ("md", "tex"):
        for block in report.blocks:
            if isinstance(block, Figure):
                picture = path.with_name(f"{path.stem}-{block.name}.png")
                picture.write_bytes(block.png)
                written.append(picture)
    if fmt == "docx":
        path.write_bytes(docx(report))
    else:
        text = {"md": markdown, "html": to_html, "tex": latex}[fmt](report, path.stem)
        path.write_text(text, encoding="utf-8")
    return written


def _cells(table: Table) -> list[list[str]]:
    return [[_cell(v, table.digits) for v in row] for row in table.frame.itertuples(index=False)]


def _cell(value: object, digits: int) -> str:
    # -0.004 shown to two places is "-0.00": a reader takes the sign as meaningful.
    if isinstance(value, float) and not math.isnan(value) and round(value, digits) == 0:
        value = 0.0
    return cell(value, digits)


def markdown(report: Report, stem: str = "report") -> str:
    out = [f"# {report.title}", ""]
    for block in report.blocks:
        if isinstance(block, Heading):
            out += ["#" * block.level + " " + block.text, ""]
        elif isinstance(block, Paragraph):
            out += [block.text, ""]
        elif isinstance(block, Bullets):
            out += [f"- {item}" for item in block.items] + [""]
        elif isinstance(block, Table):
            if block.caption:
                out += [f"*{block.caption}*", ""]
            header = [str(c) for c in block.frame.columns]
            out.append("| " + " | ".join(_md(h) for h in header) + " |")
            out.append("|" + "|".join(" --- " for _ in header) + "|")
            out += ["| " + " | ".join(_md(v) for v in row) + " |" for row in _cells(block)]
            out.append("")
        else:
            out += [f"![{block.caption}]({stem}-{block.name}.png)", "", f"*{block.caption}*", ""]
    return "\n".join(out).rstrip() + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_html(report: Report, stem: str = "report") -> str:
    esc = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(report.title)}</title>",
        "<style>body{font-family:Georgia,serif;max-width:50em;margin:2em auto;line-height:1.45}"
        "table{border-collapse:collapse;margin:1em 0;font-size:90%}"
        "td,th{border-bottom:1px solid #ccc;padding:.2em .6em;text-align:left}"
        "caption{font-style:italic;text-align:left}img{max-width:100%}</style>",
        f"</head><body><h1>{esc(report.title)}</h1>",
    ]
    for block in report.blocks:
        if isinstance(block, Heading):
            out.append(f"<h{block.level}>{esc(block.text)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            out.append(f"<p>{esc(block.text)}</p>")
        elif isinstance(block, Bullets):
            out.append("<ul>" + "".join(f"<li>{esc(i)}</li>" for i in block.items) + "</ul>")
        elif isinstance(block, Table):
            head = "".join(f"<th>{esc(str(c))}</th>" for c in block.frame.columns)
            rows = "".join(
                "<tr>" + "".join(f"<td>{esc(v)}</td>" for v in row) + "</tr>"
                for row in _cells(block)
            )
            caption = f"<caption>{esc(block.caption)}</caption>" if block.caption else ""
            out.append(
                f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
            )
        else:
            data = base64.b64encode(block.png).decode("ascii")
            out.append(
                f'<figure><img src="data:image/png;base64,{data}" alt="{esc(block.caption)}">'
                f"<figcaption>{esc(block.caption)}</figcaption></figure>"
            )
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def latex(report: Report, stem: str = "report") -> str:
    """A fragment to \\input into a paper: sections, tables (booktabs) and figures."""
    esc = latex_escape
    commands = {1: "section", 2: "subsection", 3: "subsubsection"}
    out = [f"% {esc(report.title)}: \\usepackage{{booktabs,graphicx}} in the preamble", ""]
    for block in report.blocks:
        if isinstance(block, Heading):
            out += [f"\\{commands.get(block.level, 'paragraph')}{{{esc(block.text)}}}", ""]
        elif isinstance(block, Paragraph):
            out += [esc(block.text), ""]
        elif isinstance(block, Bullets):
            out += ["\\begin{itemize}", *[f"  \\item {esc(i)}" for i in block.items]]
            out += ["\\end{itemize}", ""]
        elif isinstance(block, Table):
            columns = len(block.frame.columns)
            out += ["\\begin{table}[htbp]", "\\centering", "\\small"]
            if block.caption:
                out.append(f"\\caption{{{esc(block.caption)}}}")
            out += [f"\\begin{{tabular}}{{{'l' * columns}}}", "\\toprule"]
            out.append(" & ".join(esc(str(c)) for c in block.frame.columns) + " \\\\")
            out.append("\\midrule")
            out += [" & ".join(esc(v) for v in row) + " \\\\" for row in _cells(block)]
            out += ["\\bottomrule", "\\end{tabular}", "\\end{table}", ""]
        else:
            out += [
                "\\begin{figure}[htbp]",
                "\\centering",
                f"\\includegraphics[width=\\linewidth]{{{stem}-{block.name}.png}}",
                f"\\caption{{{esc(block.caption)}}}",
                "\\end{figure}",
                "",
            ]
    return "\n".join(out).rstrip() + "\n"


def docx(report: Report) -> bytes:
    from docx import Document
    from docx.shared import Inches, Pt

    document = Document()
    document.add_heading(report.title, level=0)
    for block in report.blocks:
        if isinstance(block, Heading):
            document.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            document.add_paragraph(block.text)
        elif isinstance(block, Bullets):
            for item in block.items:
                document.add_paragraph(item, style="List Bullet")
        elif isinstance(block, Table):
            if block.caption:
                document.add_paragraph(block.caption, style="Caption")
            rows = _cells(block)
            table = document.add_table(rows=len(rows) + 1, cols=len(block.frame.columns))
            table.style = "Light List"
            table.autofit = False
            _widths(table, len(block.frame.columns), Inches)
            for j, name in enumerate(block.frame.columns):
                table.cell(0, j).text = str(name)
            for i, row in enumerate(rows, start=1):
                for j, value in enumerate(row):
                    table.cell(i, j).text = value
            for row_cells in table.rows:
                for cell_ in row_cells.cells:
                    for paragraph in cell_.paragraphs:
                        for run in paragraph.runs:
                            run.font.size = Pt(8)
        else:
            document.add_picture(io.BytesIO(block.png), width=Inches(6))
            document.add_paragraph(block.caption, style="Caption")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _widths(table: Any, columns: int, inches: Any) -> None:
    """The first column (a code path or a label) wide, the numbers narrow, on 6.5 inches."""
    first = 6.5 if columns == 1 else min(3.0, 6.5 - 0.55 * (columns - 1))
    rest = (6.5 - first) / max(columns - 1, 1)
    for j, column in enumerate(table.columns):
        column.width = inches(first if j == 0 else rest)
    for row in table.rows:
        for j, cell_ in enumerate(row.cells):
            cell_.width = inches(first if j == 0 else rest)
