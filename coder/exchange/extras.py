"""coder's own data inside a project.qde, where other programs do not look.

REFI-QDA has no place for speaker turns, coder's code statuses, coding origins, coder roles or
the phase of a project. They travel as JSON in XML comments (`<!-- coder-project {...} -->` at
the top, `<!-- coder-document {...} -->` in each text source), which other programs ignore and
the schema allows, so that a project exported from coder and imported again is the same
project. JSON is written ASCII-only with every "-" escaped, so a comment never holds "--".
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

from coder.exchange.xmlparse import comments

PROJECT = "coder-project"
DOCUMENT = "coder-document"
FORMAT = 1


def comment(kind: str, payload: dict[str, Any]) -> ET.Element[Any]:
    text = json.dumps(payload, ensure_ascii=True, separators=(",", ":")).replace("-", "\\u002d")
    return ET.Comment(f" {kind} {text} ")


def read(element: ET.Element, kind: str) -> dict[str, Any] | None:
    """The payload of the element's comment of that kind; None when there is none or it is
    unreadable or malformed (then the part is read as any other program's)."""
    for text in comments(element):
        stripped = text.strip()
        if not stripped.startswith(kind + " "):
            continue
        try:
            payload = json.loads(stripped[len(kind) :])
        except json.JSONDecodeError:
            return None
        if isinstance(payload, dict) and payload.get("format") == FORMAT:
            return payload if well_formed(payload, kind) else None
    return None


def _all(values: Any, test: Any) -> bool:
    return all(test(v) for v in values)


def _str(value: Any) -> bool:
    return isinstance(value, str)


def _maybe(test: Any) -> Any:
    return lambda value: value is None or test(value)


_DECISION_KEYS = ("source", "code", "unit", "choice", "rationale", "decided_at")
_PROJECT: dict[str, Any] = {
    "phase": _maybe(_str),
    "codebook": _maybe(lambda v: isinstance(v, dict)),
    "roles": lambda v: isinstance(v, dict) and _all(v.values(), _str),
    "status": lambda v: (
        isinstance(v, dict)
        and _all(v.values(), lambda s: isinstance(s, list) and len(s) == 2 and _str(s[0]))
    ),
    "attributes": lambda v: (
        isinstance(v, list)
        and _all(v, lambda a: isinstance(a, list) and len(a) == 3 and _all(a, _str))
    ),
    "origin": _str,
    "origins": lambda v: isinstance(v, dict) and _all(v.values(), _str),
    "decisions": lambda v: (
        isinstance(v, list)
        and _all(
            v,
            lambda d: (
                isinstance(d, dict)
                and _all((d.get(k) for k in _DECISION_KEYS), _str)
                and isinstance(d.get("start"), int)
                and isinstance(d.get("end"), int)
                and isinstance(d.get("coders"), list)
            ),
        )
    ),
    "decided": lambda v: isinstance(v, dict) and _all(v.values(), lambda i: isinstance(i, int)),
    "reconciled_from": lambda v: (
        isinstance(v, list)
        and _all(v, lambda p: isinstance(p, list) and len(p) == 2 and _all(p, _str))
    ),
    "memos": lambda v: (
        isinstance(v, dict) and _all(v.values(), lambda m: isinstance(m, list) and len(m) == 3)
    ),
}
_DOCUMENT: dict[str, Any] = {
    "source_name": _maybe(_str),
    "source_format": _maybe(_str),
    "encoding": _maybe(_str),
    "cases": lambda v: isinstance(v, list) and _all(v, _str),
    "people": lambda v: (
        isinstance(v, list) and _all(v, lambda p: isinstance(p, list) and len(p) == 2)
    ),
    "segments": lambda v: (
        isinstance(v, list)
        and _all(
            v,
            lambda s: (
                isinstance(s, list)
                and 3 <= len(s) <= 8
                and s[0] in ("t", "p", "s")
                and isinstance(s[1], int)
                and isinstance(s[2], int)
            ),
        )
    ),
}


def well_formed(payload: dict[str, Any], kind: str) -> bool:
    """Whether every part of a payload has the shape coder writes (a file edited by hand or by
    another program may not; then the payload is ignored as a whole)."""
    rules = _PROJECT if kind == PROJECT else _DOCUMENT
    return all(key not in payload or test(payload[key]) for key, test in rules.items())
