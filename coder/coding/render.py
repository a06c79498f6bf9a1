"""Quotes as text: Markdown (grouped by an attribute, as a report quotes them), CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from typing import Literal

from coder.coding.quotes import Quote

QuoteFormat = Literal["md", "csv", "json"]
QUOTE_FORMATS: tuple[QuoteFormat, ...] = ("md", "csv", "json")


def render_quotes(quotes: list[Quote], fmt: QuoteFormat = "md", by: str | None = None) -> str:
    """`quotes` as `fmt`. Markdown cites each quote after its text and, with `by` (a document
    attribute), puts them under one heading per value."""
    if fmt == "json":
        return _json(quotes)
    if fmt == "csv":
        return _csv(quotes)
    return _markdown(quotes, by)


def _json(quotes: list[Quote]) -> str:
    rows = [
        {
            "document": q.document,
            "code": q.code,
            "coder": q.coder,
            "start": q.start,
            "end": q.end,
            "text": q.text,
            "citation": q.citation,
            "speaker": q.speaker,
            "participant": q.participant,
        }
        for q in quotes
    ]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def _csv(quotes: list[Quote]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["document", "start", "end", "code", "coder", "citation", "text"])
    for q in quotes:
        writer.writerow([q.document, q.start, q.end, q.code, q.coder, q.citation, q.text])
    return out.getvalue()


def _markdown(quotes: list[Quote], by: str | None) -> str:
    groups: dict[str, list[Quote]] = defaultdict(list)
    for q in quotes:
        groups[str(q.attributes.get(by, "?")) if by else ""].append(q)
    lines: list[str] = []
    for group in sorted(groups):
        if by:
            lines += [f"## {by} {group}", ""]
        for q in groups[group]:
            lines.append(f"> {' '.join(q.text.split())} {q.citation}")
            lines.append("")
    return "\n".join(lines)
