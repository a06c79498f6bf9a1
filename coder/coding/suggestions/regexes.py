"""REGEX in a codebook's spaCy patterns, run with a time budget.

spaCy tests `{"LOWER": {"REGEX": "..."}}` with Python's `re`, which a pattern such as
`(a|aa)+b` can keep busy for ever on one long token. `with_safe_regexes` rewrites each REGEX
predicate into a token extension that runs the same expression through `coder.userregex`,
with `coder.limits.REGEX_SECONDS` per pattern and unit: a runaway expression stops the run
with a message naming the code and the expression, and the others match as before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from coder.userregex import UserPattern

if TYPE_CHECKING:
    from spacy.tokens import Token

# The string each attribute's REGEX is tested on, as spaCy's Matcher does.
_TEXT: dict[str, Callable[[Token], str]] = {
    "TEXT": lambda t: t.text,
    "ORTH": lambda t: t.orth_,
    "LOWER": lambda t: t.lower_,
    "NORM": lambda t: t.norm_,
    "LEMMA": lambda t: t.lemma_,
    "SHAPE": lambda t: t.shape_,
    "POS": lambda t: t.pos_,
    "TAG": lambda t: t.tag_,
    "DEP": lambda t: t.dep_,
    "MORPH": lambda t: str(t.morph),
    "ENT_TYPE": lambda t: t.ent_type_,
    "ENT_IOB": lambda t: t.ent_iob_,
    "ENT_ID": lambda t: t.ent_id_,
    "ENT_KB_ID": lambda t: t.ent_kb_id_,
}


class _TokenRegex:
    """The getter of one rewritten predicate; its time budget starts again on each unit."""

    def __init__(self, text: Callable[[Token], str], pattern: UserPattern) -> None:
        self.text = text
        self.pattern = pattern
        self.unit = 0

    def __call__(self, token: Token) -> bool:
        if id(token.doc) != self.unit:
            self.unit = id(token.doc)
            self.pattern.spent = 0.0
        return self.pattern.search(self.text(token)) is not None


def with_safe_regexes(pattern: Any, code: str) -> Any:
    """`pattern` with every REGEX predicate replaced by an equivalent timed extension. What
    is not a pattern (not a list of mappings) is returned as it is, for spaCy to refuse."""
    if not isinstance(pattern, list):
        return pattern
    return [_token(token, code) if isinstance(token, dict) else token for token in pattern]


def _token(token: dict[str, Any], code: str) -> dict[str, Any]:
    rewritten: dict[str, Any] = {}
    checks: dict[str, bool] = {}
    for attribute, value in token.items():
        if str(attribute) == "_" and isinstance(value, dict):
            kept = {}
            for name, predicate in value.items():
                if _has_regex(predicate):
                    checks[_extension(f"_.{name}", predicate["REGEX"], code, _custom(name))] = True
                    predicate = {k: v for k, v in predicate.items() if k != "REGEX"}
                    if not predicate:
                        continue
                kept[name] = predicate
            if kept:
                rewritten["_"] = kept
            continue
        text = _TEXT.get(str(attribute).upper())
        if text is not None and _has_regex(value):
            checks[_extension(str(attribute).upper(), value["REGEX"], code, text)] = True
            value = {k: v for k, v in value.items() if k != "REGEX"}
            if not value:
                continue
        rewritten[attribute] = value
    if checks:
        rewritten["_"] = {**rewritten.get("_", {}), **checks}
    return rewritten


def _has_regex(value: object) -> bool:
    return isinstance(value, dict) and isinstance(value.get("REGEX"), str)


def _custom(name: str) -> Callable[[Token], str]:
    return lambda token: str(getattr(token._, name))


def _extension(attribute: str, expression: str, code: str, text: Callable[[Token], str]) -> str:
    from spacy.tokens import Token

    key = hashlib.sha1(f"{attribute}\0{expression}".encode()).hexdigest()[:16]
    name = f"coder_regex_{key}"
    pattern = UserPattern(expression, f"the REGEX in a pattern of code {code}")
    Token.set_extension(name, getter=_TokenRegex(text, pattern), force=True)
    return name
