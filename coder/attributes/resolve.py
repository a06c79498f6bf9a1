"""Naming an attribute: `site`, `document:site` or `participant:site`, and who speaks where.

Participants take their interview's attributes on import, so a name often exists in both
scopes; `resolve` decides which one a bare name means, the same way for every command that
groups or filters by an attribute.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from coder import model
from coder.errors import NotFoundError, UsageError
from coder.storage import Transaction

Scope = model.AttributeScope


def speakers(tx: Transaction) -> pd.DataFrame:
    """Who speaks in each document: the participants linked to it, and those with turns in it
    (document, participant)."""
    return tx.speaker_pairs()


@dataclass(frozen=True)
class Attribute:
    scope: Scope
    name: str

    @property
    def qualified(self) -> str:
        return f"{self.scope}:{self.name}"


Read = Callable[[Attribute], Mapping[int, Any]]  # owner id: value


def resolve(
    tx: Transaction, written: str, speakers: pd.DataFrame, read: Read | None = None
) -> Attribute:
    """An attribute named as `site`, `document:site` or `participant:site`.

    A name both documents and participants have (participants take their interview's
    attributes on import) is the document attribute, unless some participant's value differs
    from that of a document they speak in: then the two would group differently, and the
    scope must be said. `read` reads an attribute's values (default: from `tx` each time;
    a `Values` keeps them for the caller's next use).
    """
    scope, sep, name = written.partition(":")
    if not sep:
        scope, name = "", written
    name = name.strip()
    defined = read.defined() if isinstance(read, Values) else tx.attributes()
    known: set[tuple[str, str]] = {(str(a.scope), a.name) for a in defined}
    if scope:
        if scope not in model.ATTRIBUTE_SCOPES:
            raise UsageError(
                f"{written!r}: say document:NAME or participant:NAME, not {scope}:NAME"
            )
        if (scope, name) not in known:
            raise NotFoundError(f"no {scope} attribute named {name!r}; {_available(known)}")
        return Attribute(scope, name)
    scopes = [s for s in model.ATTRIBUTE_SCOPES if (s, name) in known]
    if not scopes:
        raise NotFoundError(f"no attribute named {name!r}; {_available(known)}")
    if len(scopes) == 1:
        return Attribute(scopes[0], name)
    clash = _first_clash(tx, name, speakers, read or Values(tx))
    if clash is not None:
        document, person, doc_value, person_value = clash
        raise UsageError(
            f"{name!r} is both a document and a participant attribute, and they differ "
            f"(document {document!r} has {doc_value!r}, its participant {person!r} has "
            f"{person_value!r}); say document:{name} or participant:{name}"
        )
    return Attribute("document", name)


def _available(known: set[tuple[str, str]]) -> str:
    if not known:
        return "the project has no attributes yet (they come from the import manifest)"
    names = ", ".join(f"{name} ({scope})" for scope, name in sorted(known, key=lambda k: k[1]))
    return f"attributes: {names}"


def _first_clash(
    tx: Transaction, name: str, speakers: pd.DataFrame, read: Read
) -> tuple[str, str, str, str] | None:
    # An attribute whose values were all removed (`coder attributes unset --all`) is still
    # defined but has no column in its frame: it holds nothing that could differ.
    # A few hundred pairs: plain dictionaries, not a frame's joins, compare them.
    docs = {key: str(value) for key, value in read(Attribute("document", name)).items()}
    people = {key: str(value) for key, value in read(Attribute("participant", name)).items()}
    pairs = zip(speakers["document"].tolist(), speakers["participant"].tolist(), strict=True)
    for document, person in pairs:
        doc_value, person_value = docs.get(document), people.get(person)
        if doc_value is None or person_value is None or doc_value == person_value:
            continue
        names = tx.documents_frame().set_index("document")["name"]
        people_names = {p.id: p.name for p in tx.participants()}
        return str(names[document]), people_names[person], doc_value, person_value
    return None


def values(tx: Transaction, attribute: Attribute) -> pd.Series:
    return tx.attribute_series(attribute.scope, attribute.name)


class Values:
    """Attributes' values, each read once in a transaction: resolving a name both scopes
    have reads the values of both to compare them, and grouping by it needs them again."""

    def __init__(self, tx: Transaction) -> None:
        self._tx = tx
        self._read: dict[Attribute, dict[int, Any]] = {}
        self._defined: list[model.Attribute] | None = None

    def defined(self) -> list[model.Attribute]:
        """The attributes the project defines, read once (a table split by a second
        attribute resolves two names)."""
        if self._defined is None:
            self._defined = self._tx.attributes()
        return self._defined

    def __call__(self, attribute: Attribute) -> dict[int, Any]:
        if attribute not in self._read:
            self.read(attribute.name)
        return self._read[attribute]

    def read(self, *written: str) -> None:
        """Read the values of the attributes named (as `resolve` takes them: `site`,
        `document:site`), in both scopes, in one statement, unless read already: resolving
        a name both scopes have compares them, a table split by a second attribute resolves
        two, and one statement costs half of two."""
        names = [w.partition(":")[2] if ":" in w else w for w in written]
        wanted = sorted({n.strip() for n in names} - {a.name for a in self._read})
        if not wanted:
            return
        for (scope, name), found in self._tx.attribute_values_of(wanted).items():
            self._read.setdefault(Attribute(scope, name), found)


def sort_key(value: Any) -> tuple[int, float, str]:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (0, float(value), "")
    return (1, 0.0, str(value).casefold())
