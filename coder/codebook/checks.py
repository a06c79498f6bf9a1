"""The rules every codebook obeys, whatever file it came from.

Field rules (`clean_*`, `check_*`) raise `FieldProblem` with what is wrong and how to fix it;
each reader adds where (file and line), because only it knows. `check_codebook` applies the
rules that span codes (duplicates, shortcut keys, ids) and returns warnings for things that are
legal but suspect.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from coder.codebook.spec import KINDS, CodebookSpec, Visit
from coder.errors import ValidationError
from coder.limits import depth_problem
from coder.names import FieldProblem, clean_name, clean_text

__all__ = [
    "FieldProblem",
    "check_codebook",
    "check_color",
    "check_guid",
    "check_id",
    "check_key",
    "check_kind",
    "check_patterns",
    "check_token",
    "clean_keyword",
    "clean_name",
    "clean_text",
    "did_you_mean",
    "normal_guid",
    "where",
]


_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
_ID = re.compile(r"[\w.:-]+")
GUID = re.compile(
    r"\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?"
)
# spaCy's Matcher token attributes (spacy.schemas.TokenPattern); names are case-insensitive.
TOKEN_ATTRIBUTES = frozenset(
    [
        "ORTH",
        "TEXT",
        "NORM",
        "LOWER",
        "LEMMA",
        "SHAPE",
        "POS",
        "TAG",
        "MORPH",
        "DEP",
        "ENT_TYPE",
        "ENT_IOB",
        "ENT_ID",
        "ENT_KB_ID",
        "LENGTH",
        "SPACY",
        "IS_ALPHA",
        "IS_ASCII",
        "IS_DIGIT",
        "IS_LOWER",
        "IS_UPPER",
        "IS_TITLE",
        "IS_PUNCT",
        "IS_SPACE",
        "IS_BRACKET",
        "IS_QUOTE",
        "IS_LEFT_PUNCT",
        "IS_RIGHT_PUNCT",
        "IS_CURRENCY",
        "IS_STOP",
        "IS_SENT_START",
        "SENT_START",
        "LIKE_NUM",
        "LIKE_URL",
        "LIKE_EMAIL",
        "OP",
        "_",
    ]
)
_OPERATOR = re.compile(r"[!?+*]|\{\d+\}|\{\d*,\d*\}")
_MAX_NESTING = 20


def did_you_mean(word: str, options: Iterable[str]) -> str:
    match = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""


def where(path: str | Path | None, line: int | None) -> str:
    """The location prefix of a warning, in the same form as an `InputError` message."""
    parts = [str(path)] if path is not None else []
    if line is not None:
        parts.append(f"line {line}")
    return f"{', '.join(parts)}: " if parts else ""


def clean_keyword(value: str) -> str:
    keyword = clean_text(value)
    if not keyword:
        raise FieldProblem("a keyword cannot be empty")
    if "\n" in keyword or "\t" in keyword:
        raise FieldProblem(f"keyword {keyword!r} must be on one line, without tabs")
    return keyword


def check_color(value: str) -> str:
    color = value.strip()
    if not _COLOR.fullmatch(color):
        raise FieldProblem(
            f"colour {value!r} is not of the form #rrggbb (a '#' and six hex digits, e.g. #d55e00)"
        )
    return color.lower()


def check_key(value: str) -> str:
    if len(value) != 1:
        raise FieldProblem(f"shortcut key {value!r} must be a single character, e.g. t")
    if not value.isprintable() or value.isspace():
        raise FieldProblem(f"shortcut key {value!r} must be a visible character, e.g. t")
    return value


def check_id(value: str) -> str:
    ident = value.strip()
    if not _ID.fullmatch(ident):
        raise FieldProblem(
            f"id {value!r} must be one word of letters, digits, '.', '_', '-' or ':', "
            "e.g. challenge.material.time"
        )
    return ident


def check_guid(value: str) -> str:
    guid = value.strip()
    if not GUID.fullmatch(guid):
        raise FieldProblem(
            f"guid {value!r} is not a GUID like 3f2504e0-4f89-11d3-9a0c-0305e82c3301; "
            "leave it out and coder derives one"
        )
    return guid


def normal_guid(guid: str) -> str:
    """GUIDs compare without braces and case (REFI-QDA producers differ in both)."""
    return guid.strip().strip("{}").lower()


FLAGS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False, "": False}


def check_flag(value: str) -> bool:
    """yes/no, true/false or 1/0 (case ignored); empty is no."""
    flag = FLAGS.get(value.strip().casefold())
    if flag is None:
        raise FieldProblem(f"{value!r} is not yes or no (true/false)")
    return flag


def check_kind(value: str) -> str:
    kind = value.strip()
    if kind not in KINDS:
        raise FieldProblem(
            f"unknown kind {value!r}{did_you_mean(kind, KINDS)}; use one of {', '.join(KINDS)}"
        )
    return kind


def _check_json_value(value: object, depth: int = 0) -> None:
    if depth > _MAX_NESTING:
        raise FieldProblem("a pattern value is nested too deeply")
    if isinstance(value, bool | str | int):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise FieldProblem(f"pattern value {value!r} is not a finite number")
        return
    if isinstance(value, list):
        for item in value:
            _check_json_value(item, depth + 1)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise FieldProblem(f"in a pattern, {key!r} must be a word (a text key)")
            _check_json_value(item, depth + 1)
        return
    if value is None:
        raise FieldProblem("a pattern attribute has no value")
    raise FieldProblem(
        f"pattern value {value!r} must be text, a number, true/false, or a list or mapping of these"
    )


def check_token(token: object) -> dict[str, Any]:
    """One token of a spaCy Matcher pattern: a mapping such as {LOWER: meeting}."""
    if not isinstance(token, dict):
        raise FieldProblem(
            f"a token must be a mapping such as {{LOWER: meeting}}, not {type(token).__name__}"
        )
    for attribute, value in token.items():
        if not isinstance(attribute, str):
            raise FieldProblem(f"token attribute {attribute!r} must be a name such as LOWER")
        if attribute.upper() not in TOKEN_ATTRIBUTES:
            hint = did_you_mean(attribute.upper(), TOKEN_ATTRIBUTES)
            raise FieldProblem(f"unknown token attribute {attribute!r}{hint}")
        if attribute.upper() == "OP" and not (
            isinstance(value, str) and _OPERATOR.fullmatch(value)
        ):
            raise FieldProblem(f"OP {value!r} must be one of ! ? + * or {{n}}, {{n,m}}")
        _check_json_value(value)
    return token


def check_pattern(pattern: object) -> list[dict[str, Any]]:
    if not isinstance(pattern, list) or not pattern:
        raise FieldProblem(
            "a pattern must be a non-empty list of token mappings, "
            "e.g. [{LOWER: meeting}, {LOWER: time}]"
        )
    for number, token in enumerate(pattern, 1):
        try:
            check_token(token)
        except FieldProblem as exc:
            raise FieldProblem(f"token {number}: {exc}") from None
    return pattern


def check_patterns(value: object) -> list[list[dict[str, Any]]]:
    if not isinstance(value, list):
        raise FieldProblem("'patterns' must be a list of patterns, each a list of token mappings")
    for number, pattern in enumerate(value, 1):
        try:
            check_pattern(pattern)
        except FieldProblem as exc:
            raise FieldProblem(f"pattern {number}: {exc}") from None
    return value


def _check_fields(visit: Visit) -> None:
    code = visit.code
    name = clean_name(code.name)
    if name != code.name:
        raise FieldProblem(f"name {code.name!r} has white space around it or inside a line break")
    check_kind(code.kind)
    for text in (code.definition, code.include, code.exclude, *code.examples):
        clean_text(text)
    for keyword in code.keywords:
        clean_keyword(keyword)
    if code.color is not None:
        check_color(code.color)
    if code.key is not None:
        check_key(code.key)
    if code.id is not None:
        check_id(code.id)
    if code.guid is not None:
        check_guid(code.guid)
    check_patterns(code.patterns)


def _first(seen: dict[str, Visit], key: str, visit: Visit) -> Visit | None:
    earlier = seen.get(key)
    if earlier is None:
        seen[key] = visit
    return earlier


def _at(visit: Visit) -> str:
    return f"{visit.path!r}" + (f" (line {visit.code.line})" if visit.code.line else "")


def check_codebook(spec: CodebookSpec, *, path: str | Path | None = None) -> list[str]:
    """Raise `ValidationError` for a rule broken anywhere in the codebook; return warnings."""

    def fail(message: str, visit: Visit | None = None) -> ValidationError:
        return ValidationError(message, path=path, line=visit.code.line if visit else None)

    try:
        clean_name(spec.title, "the codebook")
    except FieldProblem as exc:
        raise fail(f"title: {exc}") from None
    warnings: list[str] = []
    siblings: dict[int, dict[str, Visit]] = {}
    keys: dict[str, Visit] = {}
    ids: dict[str, Visit] = {}
    guids: dict[str, Visit] = {}
    keywords: dict[str, Visit] = {}
    for visit in spec.walk():
        code = visit.code
        if problem := depth_problem(visit.depth):
            raise fail(problem, visit)
        try:
            _check_fields(visit)
        except FieldProblem as exc:
            raise fail(f"code {visit.path!r}: {exc}", visit) from None
        family = siblings.setdefault(id(visit.parent), {})
        if earlier := _first(family, code.name.casefold(), visit):
            raise fail(
                f"duplicate code name {code.name!r}: {_at(earlier)} has the same name "
                "(names of codes under one parent must differ, ignoring case); rename one",
                visit,
            )
        if code.key is not None and (earlier := _first(keys, code.key, visit)):
            raise fail(
                f"duplicate shortcut key {code.key!r}: used by {_at(earlier)} and {visit.path!r}; "
                "each key may be used once in a codebook",
                visit,
            )
        if code.id is not None and (earlier := _first(ids, code.id, visit)):
            raise fail(
                f"duplicate id {code.id!r}: used by {_at(earlier)} and {visit.path!r}; "
                "ids must be unique",
                visit,
            )
        if code.guid is not None and (earlier := _first(guids, normal_guid(code.guid), visit)):
            raise fail(f"duplicate guid {code.guid!r}: also on {_at(earlier)}", visit)
        warnings.extend(_suspect(visit, keywords, path))
    if not spec.codes:
        warnings.append(f"{where(path, None)}the codebook has no codes")
    return warnings


def _suspect(visit: Visit, keywords: dict[str, Visit], path: str | Path | None) -> list[str]:
    code, parent = visit.code, visit.parent
    at = where(path, code.line)
    found: list[str] = []
    if not code.definition:
        found.append(
            f"{at}code {visit.path!r} has no definition; add one so that coders apply it alike"
        )
    if code.kind == "organizing-theme" and parent is not None:
        found.append(
            f"{at}organizing theme {visit.path!r} sits under another code; "
            "organizing themes are normally at the top level"
        )
    if code.kind != "code" and parent is not None and parent.kind == "code":
        found.append(f"{at}{code.kind} {visit.path!r} sits under the code {parent.name!r}")
    mine: set[str] = set()
    for keyword in code.keywords:
        folded = keyword.casefold()
        if folded in mine:
            found.append(f"{at}code {visit.path!r} lists keyword {keyword!r} twice")
            continue
        mine.add(folded)
        if earlier := _first(keywords, folded, visit):
            found.append(
                f"{at}keyword {keyword!r} of {visit.path!r} is also a keyword of {_at(earlier)}; "
                "suggestions will propose both codes"
            )
    return found
