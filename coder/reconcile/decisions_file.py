"""Decisions recorded in a file: a reconciliation meeting's minutes, applied in one go.

    document,code,text,choice,rationale
    site-a-patient,Challenges/Time,"The meetings were at two on a Tuesday.",maya,Time is named.

One row per decision: the document, the code's path, a stretch of the document's text that
the disputed passage overlaps (quoted exactly), the choice (a coder's name, `a`/`b` for the
first/second coder, `both` or `neither`) and an optional rationale. Every row is checked
before anything is written; a row that matches no pending disagreement is an error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from coder import csvsafe
from coder.agreement.api import Disagreement
from coder.errors import InputError
from coder.reconcile.consensus import Choice

COLUMNS = ["document", "code", "text", "choice", "rationale"]
REQUIRED = {"document", "code", "text", "choice"}


@dataclass(frozen=True)
class Recorded:
    line: int
    document: str
    code: str
    start: int
    end: int
    choice: Choice
    rationale: str


def choices(coders: tuple[str, str]) -> dict[str, Choice]:
    """What a row's choice may say: a coder's name (which wins over the letters, should a
    coder be called "a"), a/b, both or neither."""
    named: dict[str, Choice] = {coders[0]: "a", coders[1]: "b"}
    return {"a": "a", "b": "b", "both": "both", "neither": "neither", **named}


def read_decisions(
    path: Path, coders: tuple[str, str], text_of: Callable[[str], str | None]
) -> list[Recorded]:
    """Every row located in its document's text (`text_of`: a document's text by name, None
    when there is no such document)."""
    rows, lines = csvsafe.table(path, "decisions file", COLUMNS, REQUIRED)
    allowed = choices(coders)
    found = []
    for row, line in zip(rows, lines, strict=True):
        document, choice = row["document"].strip(), row["choice"].strip()
        text = text_of(document)
        if text is None:
            raise InputError(f"no document named {document!r}", path=path, line=line)
        if choice not in allowed:
            raise InputError(
                f"choice {choice!r} is not one of {', '.join(allowed)}", path=path, line=line
            )
        start = text.find(row["text"])
        if not row["text"].strip() or start < 0:
            raise InputError(
                f"the text is not in {document}; copy it exactly from the document",
                path=path,
                line=line,
            )
        found.append(
            Recorded(
                line=line,
                document=document,
                code=row["code"].strip(),
                start=start,
                end=start + len(row["text"]),
                choice=allowed[choice],
                rationale=row.get("rationale", "").strip(),
            )
        )
    return found


def matching(pending: list[Disagreement], recorded: Recorded) -> list[Disagreement]:
    """The pending disagreements a recorded decision covers: same document and code, and
    a passage that overlaps the recorded text."""
    return [
        d
        for d in pending
        if d.document == recorded.document
        and d.code == recorded.code
        and d.start < recorded.end
        and d.end > recorded.start
    ]
