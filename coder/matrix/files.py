"""Writing a matrix to a file in any format, chosen from the file's suffix or named."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from coder.errors import UsageError
from coder.matrix import export

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


def format_for(path: Path, allowed: tuple[str, ...] = export.FORMATS) -> str:
    """The format a file name asks for, or a UsageError naming the choices."""
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt is None or fmt not in allowed:
        raise UsageError(
            f"cannot tell the format from {path.name!r}: use a file ending in "
            f"{', '.join('.' + f if f != 'text' else '.txt' for f in allowed)}"
        )
    return fmt


def render_matrix(frame: pd.DataFrame, fmt: str, *, title: str | None = None) -> str | bytes:
    """The matrix as text (text, csv, md, tex, html, json) or bytes (xlsx, png, svg)."""
    if fmt in export.TEXT_FORMATS:
        return export.render(frame, fmt)
    if fmt in ("png", "svg"):
        from coder.matrix import heatmap

        return heatmap.render(frame, fmt, title=title)
    if fmt == "xlsx":
        from coder.matrix.workbook import workbook

        return workbook([(str(frame.attrs.get("measure") or "matrix"), frame)])
    raise UsageError(f"cannot write a matrix as {fmt!r}; use one of {', '.join(export.FORMATS)}")


def write_matrix(
    frame: pd.DataFrame, path: Path, fmt: str | None = None, *, title: str | None = None
) -> None:
    """Write the matrix to `path`, in `fmt` or the format its suffix names."""
    content = render_matrix(frame, fmt or format_for(path), title=title)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
