"""Exemplar quotes for each theme and group, chosen by a rule that is written down.

The rule, applied to each (row, group) cell:

1. Candidates are the counted codings of the row's codes (with the coder rule of the matrices)
   that a participant said: the turn where the coding starts is not an interviewer's. Each is
   attributed to that turn's participant, as `coder quotes` does. The same stretch of text
   coded twice (by two coders, or with two of the row's codes) is one candidate.
2. Complete sentences first: the text begins with a capital letter or a digit (after any
   opening quotation mark or bracket) and ends with . ! ? or … (before any closing mark).
3. Then quotes of at least `min_words` words before shorter ones (a two-word fragment rarely
   shows a theme).
4. Then the shortest first (in characters); ties by document name, then position.
5. At most one quote per participant, and at most `per_cell` quotes per cell.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

import pandas as pd

from coder.matrix.measures import Label

EXEMPLAR_FORMATS = ("md", "html", "docx", "csv")

OPENERS = "\"'“‘«([ "
CLOSERS = "\"'”’»)] "
FINAL = (".", "!", "?", "…")


def is_complete(text: pd.Series) -> pd.Series:
    """Whether each text looks like one or more complete sentences."""
    head = text.str.lstrip(OPENERS).str[:1]
    tail = text.str.rstrip(CLOSERS).str[-1:]
    starts = head.str.isupper() | head.str.isdigit()
    return (starts & tail.isin(FINAL)).astype(bool)


def choose(candidates: pd.DataFrame, *, per_cell: int = 2, min_words: int = 5) -> pd.DataFrame:
    """The exemplars (module docstring), ordered by row, column and rank (1 = best)."""
    if candidates.empty:
        return candidates.assign(rank=pd.Series(dtype="int64"))
    found = candidates.assign(text=candidates["text"].str.split().str.join(" "))
    found = found[found["text"].str.len() > 0]
    found = found.drop_duplicates(["row", "column", "document", "start", "end"])
    found = found.assign(
        _incomplete=~is_complete(found["text"]),
        _short=found["text"].str.count(r"\S+") < min_words,
        _length=found["text"].str.len(),
    )
    found = found.sort_values(
        ["row", "column", "_incomplete", "_short", "_length", "document", "start"],
        kind="stable",
    )
    found = found.drop_duplicates(["row", "column", "participant"])
    found = found.assign(rank=found.groupby(["row", "column"]).cumcount() + 1)
    found = found[found["rank"] <= per_cell]
    return found.drop(columns=["_incomplete", "_short", "_length"]).reset_index(drop=True)


def group_title(names: Sequence[str], label: Label) -> str:
    """'site A', or 'site A, role patient'."""
    values = label if isinstance(label, tuple) else (label,)
    return ", ".join(f"{n} {v}" for n, v in zip(names, values, strict=True))


def _cells(
    chosen: pd.DataFrame, rows: Sequence[str], labels: Sequence[Label]
) -> list[tuple[str, list[tuple[Label, list[dict[str, Any]]]]]]:
    """Row by row, group by group, the quotes (skipping empty cells and rows)."""
    out = []
    records = cast(
        list[dict[str, Any]], chosen.sort_values(["row", "column", "rank"]).to_dict("records")
    )
    by_cell: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for record in records:
        by_cell.setdefault((int(record["row"]), int(record["column"])), []).append(record)
    for r, row in enumerate(rows):
        groups = [(label, by_cell[(r, c)]) for c, label in enumerate(labels) if (r, c) in by_cell]
        if groups:
            out.append((row, groups))
    return out


def markdown(
    chosen: pd.DataFrame,
    rows: Sequence[str],
    labels: Sequence[Label],
    names: Sequence[str],
    *,
    level: int = 1,
) -> str:
    """Headings from `level` down: the title, then each row, then each group."""
    mark = "#" * level
    lines = [f"{mark} Exemplar quotes by {' and '.join(names)}", ""]
    for row, groups in _cells(chosen, rows, labels):
        lines += [f"{mark}# {row}", ""]
        for label, quotes in groups:
            lines += [f"{mark}## {group_title(names, label)}", ""]
            for q in quotes:
                lines += [f"> {q['text']} {q['citation']}", ""]
    return "\n".join(lines)


def to_html(
    chosen: pd.DataFrame, rows: Sequence[str], labels: Sequence[Label], names: Sequence[str]
) -> str:
    e = html.escape
    title = f"Exemplar quotes by {' and '.join(names)}"
    lines = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        f'<head><meta charset="utf-8"><title>{e(title)}</title></head>',
        "<body>",
        f"<h1>{e(title)}</h1>",
    ]
    lines += html_sections(chosen, rows, labels, names, level=2)
    lines += ["</body>", "</html>", ""]
    return "\n".join(lines)


def html_sections(
    chosen: pd.DataFrame,
    rows: Sequence[str],
    labels: Sequence[Label],
    names: Sequence[str],
    *,
    level: int,
) -> list[str]:
    e = html.escape
    lines: list[str] = []
    for row, groups in _cells(chosen, rows, labels):
        lines.append(f"<h{level}>{e(row)}</h{level}>")
        for label, quotes in groups:
            lines.append(f"<h{level + 1}>{e(group_title(names, label))}</h{level + 1}>")
            for q in quotes:
                lines.append(
                    f"<blockquote><p>{e(q['text'])} <cite>{e(q['citation'])}</cite></p>"
                    "</blockquote>"
                )
    return lines


def _flat(
    chosen: pd.DataFrame, rows: Sequence[str], labels: Sequence[Label], names: Sequence[str]
) -> tuple[list[str], list[list[Any]]]:
    header = ["code", *names, "rank", "document", "start", "end", "participant", "citation"]
    records: list[list[Any]] = []
    for row, groups in _cells(chosen, rows, labels):
        for label, quotes in groups:
            values = list(label) if isinstance(label, tuple) else [label]
            for q in quotes:
                records.append(
                    [
                        row,
                        *values,
                        int(q["rank"]),
                        q["document"],
                        int(q["start"]),
                        int(q["end"]),
                        q["participant"],
                        q["citation"],
                        q["text"],
                    ]
                )
    return [*header, "text"], records


def to_csv(
    chosen: pd.DataFrame, rows: Sequence[str], labels: Sequence[Label], names: Sequence[str]
) -> str:
    header, records = _flat(chosen, rows, labels, names)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(records)
    return out.getvalue()


def table(
    chosen: pd.DataFrame, rows: Sequence[str], labels: Sequence[Label], names: Sequence[str]
) -> pd.DataFrame:
    """The chosen quotes as one flat table (for a workbook sheet)."""
    header, records = _flat(chosen, rows, labels, names)
    return pd.DataFrame(records, columns=header)


def docx(
    chosen: pd.DataFrame, rows: Sequence[str], labels: Sequence[Label], names: Sequence[str]
) -> bytes:
    from docx import Document

    document = Document()
    document.add_heading(f"Exemplar quotes by {' and '.join(names)}", level=1)
    for row, groups in _cells(chosen, rows, labels):
        document.add_heading(row, level=2)
        for label, quotes in groups:
            document.add_heading(group_title(names, label), level=3)
            for q in quotes:
                paragraph = document.add_paragraph(style="Quote")
                paragraph.add_run(str(q["text"]))
                paragraph.add_run(f" {q['citation']}").italic = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class Exemplars:
    """Chosen quotes (row, column, rank, document, start, end, participant, citation, text),
    with the row labels (code paths), group labels and attribute names they refer to."""

    chosen: pd.DataFrame
    rows: list[str]
    labels: list[Label]
    names: tuple[str, ...]

    def table(self) -> pd.DataFrame:
        return table(self.chosen, self.rows, self.labels, self.names)

    def render(self, fmt: str) -> str | bytes:
        if fmt == "md":
            return markdown(self.chosen, self.rows, self.labels, self.names)
        if fmt == "html":
            return to_html(self.chosen, self.rows, self.labels, self.names)
        if fmt == "csv":
            return to_csv(self.chosen, self.rows, self.labels, self.names)
        if fmt == "docx":
            return docx(self.chosen, self.rows, self.labels, self.names)
        raise ValueError(f"exemplars are written as {', '.join(EXEMPLAR_FORMATS)}, not {fmt}")
