"""Retrieving coded passages ("quotes") with filters, and citing them as the studies do.

A quote is attributed to the speaker turn where it starts: that turn gives its speaker, its
role (interviewer or participant) and its participant. The citation is rendered from a
template over the document's and the participant's attributes, default "({site} {role})".
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from coder import model
from coder.codebook.tree import CodeTree
from coder.coding.citation import DEFAULT_TEMPLATE, Citer, template_fields
from coder.coding.view import (
    CODE_ID,
    DOCUMENT_ID,
    END,
    PERSON,
    ROLE,
    START,
    choose_codings,
    merge_coders,
)
from coder.storage import Transaction
from coder.storage.codings import QuotedCoding

__all__ = ["DEFAULT_TEMPLATE", "Quote", "QuoteFilter", "quotes"]


@dataclass(frozen=True)
class QuoteFilter:
    code: str | None = None
    descendants: bool = True
    coders: Sequence[str] | None = None
    documents: Sequence[str] | None = None
    document_attributes: Mapping[str, Sequence[str]] = field(default_factory=dict)
    participant_attributes: Mapping[str, Sequence[str]] = field(default_factory=dict)
    speaker_role: model.SpeakerRole | None = None
    search: str | None = None
    # Attribute filters of either scope, as --where takes them (coder/attributes/where.py).
    where: Mapping[str, Sequence[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Quote:
    coding_id: int
    document: str
    code: str
    coder: str
    start: int
    end: int
    text: str
    citation: str
    speaker: str | None
    speaker_role: str | None
    participant: str | None
    attributes: dict[str, Any]


def _code_ids(tree: CodeTree, path: str | None, descendants: bool) -> list[int] | None:
    if path is None:
        return None
    code = tree.find(path)
    ids = [code.id]
    if descendants:
        ids += [c.id for c in tree.descendants(code)]
    return ids


def _having(records: Mapping[int, Mapping[str, Any]], key: str, allowed: Sequence[Any]) -> set[int]:
    """The documents (or participants) whose value of attribute `key` is one of `allowed`."""
    wanted = {str(a) for a in allowed}
    return {owner for owner, values in records.items() if str(values.get(key)) in wanted}


def quotes(
    tx: Transaction, selection: QuoteFilter, *, template: str = DEFAULT_TEMPLATE
) -> list[Quote]:
    with _collector_paused():
        return _quotes(tx, selection, template)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector held off while quotes are built. Building 50,000 quotes makes
    some 200,000 objects, none of them in a cycle, and each time that many have been made the
    collector walks every object the process holds (on a large study, a third of the time
    the quotes took); it resumes, with nothing to find, when they are built."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _quotes(tx: Transaction, selection: QuoteFilter, template: str) -> list[Quote]:
    tree = CodeTree(tx.codes(model.CODE_STATUSES))
    document_ids = None
    if selection.documents is not None:
        document_ids = [tx.document(name).id for name in selection.documents]
    rows = tx.quoted_codings(
        document_ids=document_ids,
        code_ids=_code_ids(tree, selection.code, selection.descendants),
        coder_names=list(selection.coders) if selection.coders else None,
    )
    # One rule for whose codings show (coder/coding/view.py): the consensus where there is
    # one, else every coder's, text two coders coded alike being one quote.
    reconciled = tx.reconciled_documents() if selection.coders is None else ()
    rows = choose_codings(rows, selection.coders, reconciled)
    if not rows:
        return []
    doc_attrs = tx.attribute_records("document")
    person_attrs = tx.attribute_records("participant")
    passages = merge_coders(_kept(tx, rows, selection, doc_attrs, person_attrs))
    texts = tx.document_texts({row[DOCUMENT_ID] for row, _ in passages})
    cut = [
        (row, coders, texts[row[DOCUMENT_ID]][row[START] : row[END]]) for row, coders in passages
    ]
    if selection.search:
        needle = selection.search.casefold()
        cut = [passage for passage in cut if needle in passage[2].casefold()]
    names = {p.id: p.name for p in tx.participants()}
    paths = {code_id: tree.path(tree.by_id[code_id]) for code_id in {p[0][CODE_ID] for p in cut}}
    cite = _Citations(template, doc_attrs, person_attrs)
    result: list[Quote] = []
    for row, coders, text in cut:
        coding_id, doc_id, document, code_id, _, start, end, speaker, role, person = row
        participant = names.get(person) if person is not None else None
        coder = ", ".join(coders)
        code_path = paths[code_id]
        values = {
            **cite.base(doc_id, person),
            "document": document,
            "coder": coder,
            "code": code_path,
            "speaker": speaker,
            "participant": participant,
        }
        result.append(
            _quote(
                {
                    "coding_id": coding_id,
                    "document": document,
                    "code": code_path,
                    "coder": coder,
                    "start": start,
                    "end": end,
                    "text": text,
                    "citation": cite(values, doc_id, person),
                    "speaker": speaker,
                    "speaker_role": role,
                    "participant": participant,
                    "attributes": values,
                }
            )
        )
    return result


def _kept(
    tx: Transaction,
    rows: list[QuotedCoding],
    selection: QuoteFilter,
    doc_attrs: Mapping[int, Mapping[str, Any]],
    person_attrs: Mapping[int, Mapping[str, Any]],
) -> list[QuotedCoding]:
    """The rows that the selection's attribute, --where and speaker filters keep."""
    documents: set[int] | frozenset[int] | None = None
    people: set[int] | frozenset[int] | None = None
    for key, allowed in selection.document_attributes.items():
        having = _having(doc_attrs, key, allowed)
        documents = having if documents is None else documents & having
    # Read (and checked) only when asked for: it loads the attribute tables.
    if selection.where:
        from coder.attributes.where import select

        kept = select(tx, selection.where)
        if kept.documents is not None:
            documents = kept.documents if documents is None else documents & kept.documents
        if kept.participants is not None:
            people = kept.participants
    for key, allowed in selection.participant_attributes.items():
        having = _having(person_attrs, key, allowed)
        people = having if people is None else people & having
    role = selection.speaker_role
    if documents is None and people is None and role is None:
        return rows
    return [
        row
        for row in rows
        if (documents is None or row[DOCUMENT_ID] in documents)
        and (people is None or row[PERSON] in people)
        and (role is None or row[ROLE] == role)
    ]


class _Citations:
    """Citations and attribute values per quote, computed once per document and participant
    (and per coder, code or speaker when the template reads them): a study has a few dozen
    distinct citations, and formatting 50,000 quotes one by one is most of the work."""

    PER_QUOTE = ("coder", "code", "speaker")

    def __init__(
        self,
        template: str,
        doc_attrs: Mapping[int, Mapping[str, Any]],
        person_attrs: Mapping[int, Mapping[str, Any]],
    ) -> None:
        self._citer = Citer(template)
        fields = template_fields(template)
        self._keyed = fields is not None
        self._reads = [name for name in self.PER_QUOTE if fields is None or name in fields]
        self._doc_attrs = doc_attrs
        self._person_attrs = person_attrs
        self._bases: dict[tuple[int, int | None], dict[str, Any]] = {}
        self._cache: dict[tuple[Any, ...], str] = {}

    def base(self, doc_id: int, person: int | None) -> dict[str, Any]:
        """The document's attributes, then the participant's (which win on a shared name)."""
        found = self._bases.get((doc_id, person))
        if found is None:
            none: dict[str, Any] = {}
            found = {
                **self._doc_attrs.get(doc_id, none),
                **(self._person_attrs.get(person, none) if person is not None else none),
            }
            self._bases[doc_id, person] = found
        return found

    def __call__(self, values: Mapping[str, Any], doc_id: int, person: int | None) -> str:
        if not self._keyed:
            return self._citer(values)
        reads = self._reads
        key = (doc_id, person, *[values[name] for name in reads]) if reads else (doc_id, person)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._citer(values)
        return found


def _quote(fields: dict[str, Any]) -> Quote:
    """The same object as Quote(**fields), without the frozen dataclass's __init__ (one
    object.__setattr__ per field), which costs most of building 40,000 quotes."""
    quote = Quote.__new__(Quote)
    quote.__dict__.update(fields)
    return quote
