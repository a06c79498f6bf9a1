"""The event log in words a researcher reads: "Added coder amira (lead)"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from coder.model import Event


def _sentence(words: str) -> str:
    """Words logged in lower case, as a line of the log: the first letter raised only."""
    return words[:1].upper() + words[1:]


def _setting(data: dict[str, Any]) -> str:
    key, after = data.get("key"), data.get("after")
    if key == "title":
        return f"Set the title to {after!r}"
    if key == "phase":
        return f"Moved the project to the {after} phase"
    if key == "created_at":
        return "Recorded when the project was created"
    if key == "codebook":
        title = after.get("title") if isinstance(after, dict) else None
        return (
            f"Recorded the codebook's details ({title!r})"
            if title
            else "Cleared the codebook's details"
        )
    if isinstance(after, dict | list):
        return f"Set {key}"
    return f"Set {key} to {after!r}"


_DESCRIPTIONS: dict[str, Callable[[dict[str, Any]], str]] = {
    "project.create": lambda d: f"Created the project (schema {d.get('schema', '?')})",
    "setting.set": _setting,
    "coder.add": lambda d: f"Added coder {d.get('name')} ({d.get('role')})",
    "document.add": lambda d: f"Imported {d.get('name')}",
    "document.delete": lambda d: f"Deleted document {d.get('name')}",
    "participant.add": lambda d: f"Added participant {d.get('name')}",
    "attribute.add": lambda d: (
        f"Added {d.get('scope')} attribute {d.get('name')} ({d.get('type')})"
    ),
    "attribute.retype": lambda d: f"Made an attribute plain text (was {d.get('before')})",
    "code.add": lambda d: f"Added code {d.get('path')}",
    "code.rename": lambda d: f"Renamed code {d.get('path')} to {d.get('name')}",
    "code.edit": lambda d: f"Edited code {d.get('path')} ({', '.join(d.get('fields', []))})",
    "code.move": lambda d: f"Moved code {d.get('path')} to {d.get('to') or 'the top level'}",
    "code.merge": lambda d: (
        f"Merged code {d.get('path')} into {d.get('into')} ({d.get('moved', 0)} codings moved)"
    ),
    "code.split": lambda d: f"Split code {d.get('path')} into {', '.join(d.get('into', []))}",
    "code.retire": lambda d: f"Retired code {d.get('path')}",
    "code.delete": lambda d: f"Deleted code {d.get('path')} ({d.get('codings', 0)} codings)",
    "project.import": lambda d: (
        f"Imported the REFI-QDA project {d.get('file')} ({d.get('documents', 0)} documents, "
        f"{d.get('codings', 0)} codings)"
    ),
    "team.add": lambda d: (
        f"Added {d.get('role')} {d.get('name')} with database role {d.get('db_role')}"
    ),
    "codebook.load": lambda d: (
        f"Loaded codebook {d.get('title')!r} ({d.get('added', 0)} added, "
        f"{d.get('updated', 0)} updated)"
    ),
    "coding.add": lambda d: (
        f"Coded {d.get('document')} {d.get('start')}-{d.get('end')} as {d.get('code')}"
    ),
    "coding.change": lambda d: (
        f"Changed a coding in {d.get('document')} from {d.get('was')} to {d.get('code')} "
        f"at {d.get('start')}-{d.get('end')}"
    ),
    "coding.remove": lambda d: f"Removed a coding at {d.get('start')}-{d.get('end')}",
    "coding.suggest": lambda d: (
        f"Suggested {d.get('added', 0)} codings for {d.get('coder')} ({d.get('level')} units)"
    ),
    "coding.accept": lambda d: f"Accepted {d.get('count', 0)} suggestions",
    "coding.reject": lambda d: f"Rejected {d.get('count', 0)} suggestions",
    "codings.import": lambda d: f"Imported {d.get('added', 0)} codings from {d.get('file')}",
    "reconcile.decide": lambda d: (
        _sentence(str(d["words"]))
        if d.get("words")
        else f"Decided {d.get('choice')} on {d.get('code')} in {d.get('document')}"
    ),
    "reconcile.passage": lambda d: _sentence(str(d.get("words", "decided a passage"))),
    "reconcile.accept": lambda d: (
        f"Accepted {d.get('accepted', 0)} agreed passages of {' and '.join(d.get('coders', []))}"
    ),
    "memo.add": lambda d: (
        f"Wrote a memo on the {d.get('target')}" + (f": “{d['title']}”" if d.get("title") else "")
    ),
    "memo.edit": lambda d: "Edited a memo",
    "memo.delete": lambda d: "Deleted a memo",
}


def _reversal(verb: str) -> Callable[[dict[str, Any]], str]:
    def describe_reversal(data: dict[str, Any]) -> str:
        original = _DESCRIPTIONS.get(str(data.get("action")))
        what = original(data.get("data") or {}) if original else str(data.get("action"))
        return f"{verb}: {what}"

    return describe_reversal


_DESCRIPTIONS["undo"] = _reversal("Undid")
_DESCRIPTIONS["redo"] = _reversal("Redid")


def describe(event: Event) -> str:
    """One line saying what the event did; unknown actions fall back to their name."""
    describer = _DESCRIPTIONS.get(event.action)
    if describer is None:
        return event.action.replace(".", " ")
    return describer(event.data)
