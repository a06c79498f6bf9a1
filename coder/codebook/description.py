"""A code's texts inside one REFI-QDA `<Description>`, readable by people and parsed back.

REFI-QDA gives a code a single free-text description. coder writes each text after a heading
at the start of a line, fields separated by a blank line:

    Definition: Talk about when meetings are held ...
    Include: ...
    Exclude: ... (use "Attrition and turnover")
    Example: I can't come at two, I work.
    Example: ...

and, in files coder writes for itself, coder's own fields:

    Kind: theme
    ID: challenge.material.time
    Shortcut key: t
    Keywords: time, schedule, after hours
    Patterns: [[{"LOWER": "meeting"}, {"LOWER": "time"}]]

A field runs until the next heading. Inside a text, a line that would read as a heading (or
that starts with a backslash) is written with a "\\" in front, which the reader removes.
Descriptions written by other tools are read the same way; text before the first heading is
the definition, and "Inclusion criteria:", "Examples:" and similar headings are understood.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from coder.codebook.spec import CodeSpec

_ALIASES = {
    "definition": "definition",
    "include": "include",
    "inclusion": "include",
    "inclusion criteria": "include",
    "include criteria": "include",
    "when to use": "include",
    "exclude": "exclude",
    "exclusion": "exclude",
    "exclusion criteria": "exclude",
    "exclude criteria": "exclude",
    "when not to use": "exclude",
    "example": "example",
    "examples": "example",
    "source": "source",
    "kind": "kind",
    "id": "id",
    "shortcut key": "key",
    "keywords": "keywords",
    "patterns": "patterns",
    "exclusive": "exclusive",
}
CODER_FIELDS = frozenset({"kind", "id", "key", "keywords", "patterns", "exclusive"})
# Longest first, so that "Inclusion criteria:" is not read as "Inclusion" plus text.
_HEADING = re.compile(
    r"(" + "|".join(re.escape(a) for a in sorted(_ALIASES, key=len, reverse=True)) + r")[ \t]*:",
    re.IGNORECASE,
)


@dataclass
class DescriptionFields:
    """A description taken apart. coder's own fields stay text: the reader validates them."""

    definition: str = ""
    include: str = ""
    exclude: str = ""
    examples: list[str] = field(default_factory=list)
    source: str = ""
    kind: str | None = None
    id: str | None = None
    key: str | None = None
    keywords: str | None = None
    patterns: str | None = None
    exclusive: str | None = None


def _escape(value: str) -> str:
    first, *rest = value.split("\n")
    escaped = [
        "\\" + line if _HEADING.match(line) or line.startswith("\\") else line for line in rest
    ]
    return "\n".join([first, *escaped])


def format_keywords(keywords: list[str]) -> str:
    """Comma-separated when that reads back the same, else a JSON list."""
    if any("," in k for k in keywords) or keywords[0].startswith("["):
        return json.dumps(keywords, ensure_ascii=False)
    return ", ".join(keywords)


def parse_keywords(value: str) -> list[str]:
    """Raises ValueError when a JSON list is malformed."""
    value = value.strip()
    if value.startswith("["):
        parsed = json.loads(value)
        if not isinstance(parsed, list) or not all(isinstance(k, str) for k in parsed):
            raise ValueError("keywords must be a list of texts")
        return parsed
    return [k.strip() for k in value.split(",") if k.strip()]


def compose(code: CodeSpec, *, extras: bool = True) -> str:
    """The description text for `code`; `extras` adds coder's own fields."""
    parts: list[tuple[str, str]] = [
        ("Definition", code.definition),
        ("Include", code.include),
        ("Exclude", code.exclude),
        *(("Example", example) for example in code.examples),
        ("Source", code.source),
    ]
    if extras:
        parts += [
            ("Kind", code.kind if code.kind != "code" else ""),
            ("ID", code.id or ""),
            ("Shortcut key", code.key or ""),
            ("Keywords", format_keywords(code.keywords) if code.keywords else ""),
            ("Patterns", json.dumps(code.patterns, ensure_ascii=False) if code.patterns else ""),
            ("Exclusive", "yes" if code.exclusive else ""),
        ]
    return "\n\n".join(f"{label}: {_escape(value)}" for label, value in parts if value)


def parse(text: str, *, extras: bool) -> DescriptionFields:
    """Take a description apart. Without `extras` (a file from another tool), coder's own
    headings are ordinary text."""
    sections: list[tuple[str | None, list[str]]] = [(None, [])]
    for line in text.split("\n"):
        match = _HEADING.match(line)
        name = _ALIASES[match.group(1).lower()] if match else None
        if match and name and (extras or name not in CODER_FIELDS):
            sections.append((name, [line[match.end() :]]))
            continue
        if line.startswith("\\") and (_HEADING.match(line[1:]) or line[1:].startswith("\\")):
            line = line[1:]
        sections[-1][1].append(line)
    found = DescriptionFields()
    texts: dict[str | None, list[str]] = {}
    for name, lines in sections:
        value = "\n".join(lines).strip()
        if not value:
            continue
        if name == "example":
            found.examples.append(value)
        elif name in CODER_FIELDS:
            setattr(found, name, value)
        else:
            texts.setdefault(name, []).append(value)
    # Text before the first heading is what other tools mean by a description: the definition.
    found.definition = "\n\n".join(texts.get(None, []) + texts.get("definition", []))
    found.include = "\n\n".join(texts.get("include", []))
    found.exclude = "\n\n".join(texts.get("exclude", []))
    found.source = "\n\n".join(texts.get("source", []))
    return found
