"""The audit trail a reviewer of a qualitative study asks for: what was imported (with its
hashes), how the codebook changed (dated, with the memos written on the codes), how each
disagreement was decided and why, and when the project changed phase."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from coder import model
from coder.codebook.tree import CodeTree
from coder.history import describe
from coder.reports import history as histories
from coder.reports.document import Bullets, Heading, Paragraph, Report, Table
from coder.storage import Transaction

IMPORTS = ("document.add", "document.delete", "project.import", "codings.import", "codebook.load")


@dataclass(frozen=True)
class Trail:
    title: str
    events: tuple[model.Event, ...]  # oldest first
    history: histories.CodebookHistory
    code_memos: pd.DataFrame  # code, title, body, author, created
    decisions: pd.DataFrame  # decided_at, decided_by, document, code, span, choice, rationale


def read(tx: Transaction) -> Trail:
    events = tuple(reversed(tx.events(None)))
    tree = CodeTree(tx.codes(model.CODE_STATUSES))
    paths = {code.id: tree.path(code) for code in tree.codes}
    coders = {c.id: c.name for c in tx.coders()}
    memos = [
        (
            paths.get(m.target_id or -1, "?"),
            m.title,
            m.body,
            coders.get(m.author_id or -1, ""),
            m.created_at,
        )
        for m in tx.memos("code")
    ]
    names = {d.id: d.name for d in tx.document_summaries()}
    decisions = tx.decisions_frame()
    frame = pd.DataFrame(
        {
            "decided": [
                f"{t:%Y-%m-%d %H:%M}" if t is not None else "" for t in decisions["decided_at"]
            ],
            "by": decisions["decided_by"].fillna("").astype(str),
            "document": [names.get(int(d), "?") for d in decisions["document_id"]],
            "code": [paths.get(int(c), "?") for c in decisions["code_id"]],
            "span": [f"{s}-{e}" for s, e in zip(decisions["start"], decisions["end"], strict=True)],
            "choice": decisions["choice"].astype(str),
            "rationale": decisions["rationale"].fillna("").astype(str),
        }
    )
    return Trail(
        title=str(tx.setting("title", "")),
        events=events,
        history=histories.read(list(events)),
        code_memos=pd.DataFrame(memos, columns=["code", "title", "body", "author", "created"]),
        decisions=frame,
    )


def imports_table(trail: Trail) -> pd.DataFrame:
    rows = []
    for e in trail.events:
        if e.action not in IMPORTS:
            continue
        data = e.data
        rows.append(
            {
                "event": e.id,
                "when": f"{e.at:%Y-%m-%d %H:%M}",
                "who": e.actor or "",
                "what": describe(e),
                "file": str(data.get("source") or data.get("file") or ""),
                "file sha256": str(data.get("file_sha256") or "not recorded"),
                "text sha256": str(data.get("sha256") or ""),
            }
        )
    return pd.DataFrame(
        rows, columns=["event", "when", "who", "what", "file", "file sha256", "text sha256"]
    )


def compose(trail: Trail) -> Report:
    report = Report(title=f"Audit trail: {trail.title}")
    report.add(
        Paragraph(
            f"From the project's append-only event log ({len(trail.events):,} events, "
            f"{_span(trail.events)}). `coder log --format csv` exports every event."
        )
    )
    report.add(Heading("Imports"))
    report.add(
        Table(
            imports_table(trail),
            "Transcripts, codings and codebooks brought in. The text hash is of the "
            "transcript's normalised text (the document as coded); the file hash of the "
            "file as read, where the import recorded it.",
        )
    )
    report.add(Heading("Phases"))
    phases = [
        f"{e.at:%Y-%m-%d %H:%M} ({e.actor or 'unknown'}): {describe(e)}"
        for e in trail.events
        if e.action == "setting.set" and e.data.get("key") == "phase"
    ]
    report.add(Bullets(tuple(phases)) if phases else Paragraph("The phase was never changed."))
    report.add(Heading("Codebook changes"))
    h = trail.history
    items = [
        f"#{e.id} {e.at:%Y-%m-%d %H:%M} ({e.actor or 'unknown'}): {describe(e)}"
        for e in (*h.loads, *h.added, *(c.event for c in h.changes))
    ]
    items.sort(key=lambda text: int(text.split()[0][1:]))
    report.add(
        Bullets(tuple(items)) if items else Paragraph("The log records no codebook changes.")
    )
    report.add(Heading("Memos on codes"))
    memos = trail.code_memos.assign(
        created=[
            f"{t:%Y-%m-%d %H:%M}" if t is not None else "" for t in trail.code_memos["created"]
        ]
    )
    report.add(
        Table(memos, "Memos attached to codes, oldest first")
        if len(memos)
        else Paragraph("No memo is attached to a code.")
    )
    report.add(Heading("Reconciliation decisions"))
    report.add(
        Table(trail.decisions, "Every decision, with who took it, when, and the rationale written")
        if len(trail.decisions)
        else Paragraph("No disagreement has been decided.")
    )
    return report


def _span(events: tuple[model.Event, ...]) -> str:
    if not events:
        return "empty"
    return f"{events[0].at:%Y-%m-%d} to {events[-1].at:%Y-%m-%d}"
