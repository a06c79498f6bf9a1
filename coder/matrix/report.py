"""A report of themes by group in one file: several matrices, exemplar quotes, and the memos
written on each group. As an Excel workbook, one sheet per matrix plus Quotes, Notes and
About sheets; as Markdown or HTML, one document."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from coder.matrix import export
from coder.matrix.exemplars import Exemplars, html_sections, markdown
from coder.matrix.result import Matrix

ReportFormat = Literal["xlsx", "md", "html"]
REPORT_FORMATS: tuple[ReportFormat, ...] = ("xlsx", "md", "html")


@dataclass(frozen=True)
class Report:
    """What `project.matrices.report` made: the file's content, and what went into it."""

    content: str | bytes
    matrices: list[Matrix]
    quotes: Exemplars | None
    notes: pd.DataFrame


def render_report(
    title: str,
    matrices: Sequence[tuple[str, Matrix]],
    quotes: Exemplars | None,
    notes: pd.DataFrame,
    fmt: ReportFormat,
) -> str | bytes:
    if fmt == "xlsx":
        from coder.matrix.workbook import workbook

        return workbook(matrices, quotes=quotes.table() if quotes else None, notes=notes)
    by = str(matrices[0][1].by)
    if fmt == "md":
        lines = [f"# {title}", ""]
        for _, matrix in matrices:
            lines += [export.markdown(matrix), ""]
        if not notes.empty:
            lines += [f"## Notes on each {by}", ""]
            for note in notes.to_dict("records"):
                lines += [f"### {_note_heading(by, note)}", "", str(note["body"]), ""]
        if quotes is not None and len(quotes.chosen):
            lines += [markdown(quotes.chosen, quotes.rows, quotes.labels, quotes.names, level=2)]
        return "\n".join(lines).rstrip() + "\n"
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        f'<head><meta charset="utf-8"><title>{e(title)}</title></head>',
        "<body>",
        f"<h1>{e(title)}</h1>",
    ]
    parts += [export.to_html(matrix) for _, matrix in matrices]
    if not notes.empty:
        parts.append(f"<h2>Notes on each {e(by)}</h2>")
        for note in notes.to_dict("records"):
            parts += [f"<h3>{e(_note_heading(by, note))}</h3>", f"<p>{e(str(note['body']))}</p>"]
    if quotes is not None and len(quotes.chosen):
        parts.append("<h2>Exemplar quotes</h2>")
        parts += html_sections(quotes.chosen, quotes.rows, quotes.labels, quotes.names, level=3)
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _note_heading(by: str, note: dict[Any, Any]) -> str:
    title = f": {note['title']}" if note.get("title") else ""
    return f"{by} {note['value']}{title}"
