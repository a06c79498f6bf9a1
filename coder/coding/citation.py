"""Citations such as "(Site D Patient)": one template language for every command that cites.

A template is a Python format string over the quote's values (the document's and the
participant's attributes, plus document, participant, speaker, coder and code). A field with
no value renders as "?"; `{role:title}` (or `upper`, `lower`, `capitalize`) changes case, so
"(Site {site} {role:title})" gives "(Site D Patient)"; any other spec is Python's own
(`{age:>3}`). A template that does not parse, or a spec that does not fit its value, is a
`UsageError` naming the template, never a traceback.
"""

from __future__ import annotations

import re
import string
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from coder.errors import UsageError

DEFAULT_TEMPLATE = "({site} {role})"

STYLES = {
    "title": str.title,
    "upper": str.upper,
    "lower": str.lower,
    "capitalize": str.capitalize,
}
MISSING = "?"


class _Citation(string.Formatter):
    def get_value(self, key: int | str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        value = kwargs.get(str(key))
        return MISSING if value is None or value == "" or _is_na(value) else value

    def format_field(self, value: Any, format_spec: str) -> Any:
        if format_spec in STYLES:
            return STYLES[format_spec](str(value))
        if value == MISSING:  # a missing number keeps its "?" whatever the spec
            return MISSING
        return super().format_field(value, format_spec)


def _is_na(value: Any) -> bool:
    """Whether `value` is pandas' NA. Only a loaded pandas can have made one, so a citation
    does not load pandas to ask (a command that only prints quotes starts without it)."""
    pandas = sys.modules.get("pandas")
    return pandas is not None and value is pandas.NA


def cite(template: str, values: Mapping[str, Any]) -> str:
    """`template` filled in from `values` (module docstring)."""
    try:
        return _Citation().format(template, **values)
    except (ValueError, TypeError, IndexError, KeyError, AttributeError) as error:
        raise UsageError(
            f"citation template {template!r} does not work: {error}; write fields as "
            "{site}, {role:title} (title, upper, lower, capitalize change case)"
        ) from None


def template_fields(template: str) -> tuple[str, ...] | None:
    """The names a template reads (in its format specs too), or None when a citation cannot be
    keyed on them (positional fields, or a template that does not parse: cite says why)."""
    names: list[str] = []
    try:
        for _, name_field, spec, _ in _Citation().parse(template):
            if name_field is not None:
                name = re.split(r"[.\[]", name_field, maxsplit=1)[0]
                if name == "" or name.isdigit():
                    return None
                names.append(name)
            if spec and "{" in spec:
                inner = template_fields(spec)
                if inner is None:
                    return None
                names.extend(inner)
    except ValueError:
        return None
    return tuple(dict.fromkeys(names))


class Citer:
    """cite(), computed once per distinct value of the fields the template reads (a study has
    a few dozen citations, and formatting each of 50,000 quotes anew is most of the work)."""

    def __init__(self, template: str) -> None:
        self.template = template
        self._fields = template_fields(template)
        self._cache: dict[tuple[Any, ...], str] = {}

    def __call__(self, values: Mapping[str, Any]) -> str:
        if self._fields is None:
            return cite(self.template, values)
        found_values = tuple(map(values.get, self._fields))
        key = (*found_values, *map(type, found_values))  # 1 and 1.0 are the same key otherwise
        try:
            found = self._cache.get(key)
        except TypeError:  # an unhashable value
            return cite(self.template, values)
        if found is None:
            found = self._cache[key] = cite(self.template, values)
        return found
