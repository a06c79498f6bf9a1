"""Writing a matrix to a file in any format, chosen from the file's suffix or named."""

from __future__ import annotations

import html
from pathlib import Path
from typing import TypeVar

from coder.errors import UsageError
from coder.matrix import export
from coder.matrix.result import Matrix

Fmt = TypeVar("Fmt", bound=str)

SUFFIXES = {
    ".txt": "text",
    ".csv": "csv",
    ".md": "md",
    ".tex": "tex",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".xlsx": "xlsx",
    ".png": "png",
    ".svg": "svg",
    ".docx": "docx",
}


def format_for(path: Path, allowed: tuple[Fmt, ...]) -> Fmt:
    """The format a file name asks for, among `allowed`, or a UsageError naming them."""
    fmt = SUFFIXES.get(path.suffix.lower())
    for choice in allowed:
        if choice == fmt:
            return choice
    raise UsageError(
        f"cannot tell the format from {path.name!r}: use a file ending in "
        f"{', '.join('.' + f if f != 'text' else '.txt' for f in allowed)}"
    )


def render_matrix(
    matrix: Matrix, fmt: str, *, title: str | None = None, width: int | None = None
) -> str | bytes:
    """The matrix as text (text, csv, md, tex, html, json) or bytes (xlsx, png, svg).
    Tables and figures for people carry the group sizes in their column labels; a text
    table is made to fit `width` characters if given."""
    if fmt in ("text", "md", "tex", "html", "png", "svg"):
        matrix = export.sized(matrix)
    if fmt in export.TEXT_FORMATS:
        return export.render(matrix, fmt, width)
    if fmt in ("png", "svg"):
        from coder.matrix import heatmap

        return heatmap.render(matrix, fmt, title=title)
    if fmt == "xlsx":
        from coder.matrix.workbook import workbook

        return workbook([(matrix.measure or "matrix", matrix)])
    raise UsageError(f"cannot write a matrix as {fmt!r}; use one of {', '.join(export.FORMATS)}")


def render_layers(
    tables: list[tuple[str, Matrix]], fmt: str, width: int | None = None
) -> str | bytes:
    """Several tables of one kind, one per code of a dimension (a three-way table): one sheet
    per code in xlsx, one section per code in text, md, html and tex, a list in json."""
    if fmt == "xlsx":
        from coder.matrix.workbook import workbook

        return workbook([(name.rsplit("/", 1)[-1], matrix) for name, matrix in tables])
    if fmt == "json":
        parts = [
            export.dump_json({"layer": name, **export.as_json(matrix)}).rstrip()
            for name, matrix in tables
        ]
        return "[\n" + ",\n".join(parts) + "\n]\n"
    if fmt not in ("text", "md", "html", "tex"):
        raise UsageError(
            f"{fmt} holds one table: write the tables split by code as xlsx, json, text, md, "
            "html or tex, or one at a time with --where-code"
        )
    sections = []
    for name, matrix in tables:
        heading = {
            "text": f"{name}\n{export.describe(matrix)}\n\n",
            "md": f"## {name}\n\n",
            "html": f"<h2>{html.escape(name)}</h2>\n",
            "tex": f"% {name}\n",
        }[fmt]
        sections.append(heading + export.render(export.sized(matrix), fmt, width))
    return "\n".join(sections)


def write_matrix(
    matrix: Matrix, path: Path, fmt: str | None = None, *, title: str | None = None
) -> None:
    """Write the matrix to `path`, in `fmt` or the format its suffix names."""
    content = render_matrix(matrix, fmt or format_for(path, export.FORMATS), title=title)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
