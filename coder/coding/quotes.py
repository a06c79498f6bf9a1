"""Retrieving coded passages ("quotes") with filters, and citing them as the studies do.

A quote is attributed to the speaker turn where it starts: that turn gives its speaker, its
role (interviewer or participant) and its participant. The citation is rendered from a
template over the document's and the participant's attributes, default "({site} {role})".
"""

from __future__ import annotations

import gc
from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from coder import model
from coder.codebook.tree import CodeTree
from coder.coding.citation import DEFAULT_TEMPLATE, Citer, template_fields
from coder.coding.view import by_document, shown
from coder.storage import Transaction
from coder.storage.bounds import Turns
from coder.storage.quoting import QuotedCoding

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
    the quotes took).

    When they are built, what was made meanwhile joins the oldest generation directly
    (gc.freeze then gc.unfreeze moves every tracked object there, unwalked) before the
    collector resumes. Resumed as it was, it walked them all at once (some 30 ms on a large
    study, inside the call), and again, longer, at its next middle pass (35-40 ms, in
    whatever ran next): work that found nothing, as the quotes hold no cycles and live as
    long as the caller keeps them. A full pass still walks them, as it walks everything
    else that lives. Not when something is frozen already (the TUI freezes what start-up
    loaded): unfreezing would put it back in the full passes."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
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
    if not rows:
        return []
    documents, coders, participants = tx.names_by_id()
    # One rule for whose codings show (coder/coding/view.py): the consensus where there is
    # one, else every coder's, text two coders coded alike being one quote.
    reconciled = tx.reconciled_documents() if selection.coders is None else ()
    rows = shown(rows, coders, selection.coders, reconciled)
    if not rows:
        return []
    doc_attrs = tx.attribute_records("document")
    person_attrs = tx.attribute_records("participant")
    kept, people = _kept(tx, selection, doc_attrs, person_attrs)
    cut = _Cutter(
        selection,
        people,
        documents,
        coders,
        participants,
        _Paths(tree),
        _Citations(template, doc_attrs, person_attrs),
    )
    spans = by_document(rows)
    wanted = [document for document in spans if kept is None or document in kept]
    # Each document's text is cut into its quotes as it comes, and let go (storage/quoting.py).
    # Closed here even when a quote fails (a template that does not work): the read must
    # not outlive its transaction.
    with closing(tx.quoted_documents(wanted)) as stream:
        quoted = {
            document: cut(document, text, turns, rows[slice(*spans[document])])
            for document, text, turns in stream
        }
    # By name in Python's order: the database orders names by its own collation, which on
    # PostgreSQL may not be Python's.
    order = sorted(quoted, key=documents.__getitem__)
    return list(chain.from_iterable(quoted[document] for document in order))


def _kept(
    tx: Transaction,
    selection: QuoteFilter,
    doc_attrs: Mapping[int, Mapping[str, Any]],
    person_attrs: Mapping[int, Mapping[str, Any]],
) -> tuple[set[int] | frozenset[int] | None, set[int] | frozenset[int] | None]:
    """The documents and the participants that the selection's attribute and --where
    filters keep (None: all of them)."""
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
    return documents, people


class _Paths(dict[int, str]):
    """Code paths by code id, each worked out the first time a quote asks for it."""

    def __init__(self, tree: CodeTree) -> None:
        super().__init__()
        self._tree = tree

    def __missing__(self, code_id: int) -> str:
        path = self[code_id] = self._tree.path(self._tree.by_id[code_id])
        return path


class _Cutter:
    """A document's codings cut from its text as quotes, each attributed to the turn where
    it starts, those the selection's participant, role and search filters keep; codings of
    the same code on the same span are one quote listing their coders (coder/coding/view.py).
    """

    def __init__(
        self,
        selection: QuoteFilter,
        people: set[int] | frozenset[int] | None,
        documents: Mapping[int, str],
        coders: Mapping[int, str],
        participants: Mapping[int, str],
        paths: Mapping[int, str],
        cite: _Citations,
    ) -> None:
        self._people = people
        self._role = selection.speaker_role
        self._needle = selection.search.casefold() if selection.search else None
        self._documents = documents
        self._coders = coders
        self._participants = participants
        self._paths = paths
        self._cite = cite

    def __call__(
        self, doc_id: int, text: str, turns: Turns, rows: Sequence[QuotedCoding]
    ) -> list[Quote]:
        """The quotes of `rows`, this document's codings in `quoted_codings`' order."""
        starts, ends, numbers, voices = turns
        people, role_wanted, needle = self._people, self._role, self._needle
        coders, participants, paths = self._coders, self._participants, self._paths
        cite = self._cite
        document = self._documents[doc_id]
        nobody = (None, None, None)
        new, set_fields = object.__new__, object.__setattr__
        # Per participant (None: outside turns): their values, their name and, once made,
        # their citation.
        per_person: dict[int | None, list[Any]] = {}
        result: list[Quote] = []
        # The codings on one span come one after another: `run` holds the fields of the
        # quote each of their codes made (None: filtered out), for the next coder's coding
        # of the same code to join. One coder codes a span with a code once (the database
        # holds it unique), so a coder joins a quote at most once.
        run_start = run_end = -1
        run: dict[int, dict[str, Any] | None] = {}
        speaker = role = person = None
        piece, skip = "", False
        for _, start, end, coding_id, code_id, coder_id in rows:
            if start == run_start and end == run_end:
                if code_id in run:
                    fields = run[code_id]
                    if fields is not None:
                        self._join(fields, coders[coder_id], doc_id, person)
                    continue
            else:
                run_start, run_end, run = start, end, {}
                # The last turn starting at or before the span, if it reaches past its start.
                at = bisect_right(starts, start) - 1
                speaker, role, person = (
                    voices[numbers[at]] if at >= 0 and ends[at] > start else nobody
                )
                piece = text[start:end]
                skip = (
                    (people is not None and person not in people)
                    or (role_wanted is not None and role != role_wanted)
                    or (needle is not None and needle not in piece.casefold())
                )
            if skip:
                run[code_id] = None
                continue
            shared = per_person.get(person)
            if shared is None:
                shared = per_person[person] = [
                    cite.base(doc_id, document, person),
                    participants.get(person) if person is not None else None,
                    None,
                ]
            participant = shared[1]
            coder = coders[coder_id]
            code_path = paths[code_id]
            # A copy of the shared values, which hold these four names already: a copy
            # of a small dict is one move, and storing over a name it holds never grows it.
            values = shared[0].copy()
            values["coder"] = coder
            values["code"] = code_path
            values["speaker"] = speaker
            values["participant"] = participant
            citation = shared[2]
            if citation is None:
                citation = cite(values, doc_id, person)
                if cite.once:
                    shared[2] = citation
            # Quote(...) without the frozen dataclass's __init__ (an object.__setattr__ per
            # field), which cost most of building 40,000 quotes: the same object.
            fields = run[code_id] = {
                "coding_id": coding_id,
                "document": document,
                "code": code_path,
                "coder": coder,
                "start": start,
                "end": end,
                "text": piece,
                "citation": citation,
                "speaker": speaker,
                "speaker_role": role,
                "participant": participant,
                "attributes": values,
            }
            quote = new(Quote)
            set_fields(quote, "__dict__", fields)
            result.append(quote)
        return result

    def _join(self, fields: dict[str, Any], coder: str, doc_id: int, person: int | None) -> None:
        """Another coder's coding of a quote's code and span: the quote lists them too."""
        values = fields["attributes"]
        fields["coder"] = values["coder"] = f"{fields['coder']}, {coder}"
        if not self._cite.once:
            fields["citation"] = self._cite(values, doc_id, person)


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
        # Whether a document's participant has one citation for all their quotes.
        self.once = self._keyed and not self._reads
        self._cache: dict[tuple[Any, ...], str] = {}

    def base(self, doc_id: int, document: str, person: int | None) -> dict[str, Any]:
        """The values a document and a participant give each of their quotes: the
        document's attributes, then the participant's (which win on a shared name), then the
        document's name, then the names each quote sets (PER_QUOTE and participant), in the
        order a quote's values list them."""
        none: dict[str, Any] = {}
        return {
            **self._doc_attrs.get(doc_id, none),
            **(self._person_attrs.get(person, none) if person is not None else none),
            "document": document,
            "coder": None,
            "code": None,
            "speaker": None,
            "participant": None,
        }

    def __call__(self, values: Mapping[str, Any], doc_id: int, person: int | None) -> str:
        if not self._keyed:
            return self._citer(values)
        reads = self._reads
        key = (doc_id, person, *[values[name] for name in reads]) if reads else (doc_id, person)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._citer(values)
        return found
