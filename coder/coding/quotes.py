"""Retrieving coded passages ("quotes") with filters, and citing them as the studies do.

A quote is attributed to the speaker turn where it starts: that turn gives its speaker, its
role (interviewer or participant) and its participant. The citation is rendered from a
template over the document's and the participant's attributes, default "({site} {role})".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from coder import model
from coder.attributes.where import select
from coder.codebook.tree import CodeTree
from coder.coding.citation import DEFAULT_TEMPLATE, Citer
from coder.coding.view import choose_codings, merge_coders
from coder.storage import Transaction

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
    tree = CodeTree(tx.codes(model.CODE_STATUSES))
    document_ids = None
    if selection.documents is not None:
        document_ids = [tx.document(name).id for name in selection.documents]
    frame = tx.codings_frame(
        document_ids=document_ids,
        code_ids=_code_ids(tree, selection.code, selection.descendants),
        coder_names=list(selection.coders) if selection.coders else None,
        columns=["id", "document_id", "document", "code_id", "coder", "start", "end"],
        with_turn=True,
    )
    # One rule for whose codings show (coder/coding/view.py): the consensus where there is
    # one, else every coder's, text two coders coded alike being one quote.
    reconciled = None
    if selection.coders is None:
        consensus = tx.codings_frame(coder_names=[model.CONSENSUS_CODER], columns=["document_id"])
        reconciled = set(consensus["document_id"])
    frame = choose_codings(frame, selection.coders, reconciled)
    frame = merge_coders(frame, ["document_id", "code_id"])
    frame = frame.sort_values(["document", "start", "end", "id"], kind="stable")
    if frame.empty:
        return []
    doc_attrs = tx.attribute_records("document")
    person_attrs = tx.attribute_records("participant")
    for key, allowed in selection.document_attributes.items():
        frame = frame[frame["document_id"].isin(_having(doc_attrs, key, allowed))]
    kept = select(tx, selection.where)
    frame = frame[kept.keeps_document(frame, "document_id")]
    frame = frame[kept.keeps_participant(frame, "participant_id")]
    if selection.speaker_role is not None:
        frame = frame[frame["speaker_role"] == selection.speaker_role]
    for key, allowed in selection.participant_attributes.items():
        frame = frame[frame["participant_id"].isin(_having(person_attrs, key, allowed))]
    texts = tx.document_texts(set(frame["document_id"]))
    frame = frame.assign(
        text=[
            texts[d][s:e]
            for d, s, e in zip(frame["document_id"], frame["start"], frame["end"], strict=True)
        ]
    )
    if selection.search:
        frame = frame[
            frame["text"].str.casefold().str.contains(selection.search.casefold(), regex=False)
        ]
    names = {p.id: p.name for p in _participants(tx)}
    paths = {code_id: tree.path(tree.by_id[code_id]) for code_id in set(frame["code_id"])}
    citer = Citer(template)
    result: list[Quote] = []
    columns = ["id", "document_id", "document", "code_id", "coder", "start", "end", "text"]
    columns += ["speaker", "speaker_role", "participant_id"]
    none: dict[str, Any] = {}
    for (
        coding_id,
        doc_id,
        document,
        code_id,
        coder,
        start,
        end,
        text,
        speaker,
        speaker_role,
        person,
    ) in zip(*(frame[column].tolist() for column in columns), strict=True):
        participant = names.get(person) if person is not None else None
        code_path = paths[code_id]
        values: dict[str, Any] = {
            **doc_attrs.get(doc_id, none),
            **(person_attrs.get(person, none) if person is not None else none),
            "document": document,
            "coder": coder,
            "code": code_path,
            "speaker": speaker,
            "participant": participant,
        }
        result.append(
            _quote(
                {
                    "coding_id": int(coding_id),
                    "document": document,
                    "code": code_path,
                    "coder": coder,
                    "start": int(start),
                    "end": int(end),
                    "text": text,
                    "citation": citer(values),
                    "speaker": speaker,
                    "speaker_role": speaker_role,
                    "participant": participant,
                    "attributes": values,
                }
            )
        )
    return result


def _quote(fields: dict[str, Any]) -> Quote:
    """The same object as Quote(**fields), without the frozen dataclass's __init__ (one
    object.__setattr__ per field), which costs most of building 40,000 quotes."""
    quote = Quote.__new__(Quote)
    quote.__dict__.update(fields)
    return quote


def _participants(tx: Transaction) -> list[model.Participant]:
    return tx.participants()
