"""Retrieving coded passages ("quotes") with filters, and citing them as the studies do.

A quote is attributed to the speaker turn where it starts: that turn gives its speaker, its
role (interviewer or participant) and its participant. The citation is rendered from a
template over the document's and the participant's attributes, default "({site} {role})".
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

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


def _attribute_values(attributes: pd.DataFrame, keys: Iterable[Any]) -> dict[Any, dict[str, Any]]:
    """Each key's attributes (those it has a value for), from an attributes_frame."""
    wanted = [key for key in dict.fromkeys(keys) if key is not None and key in attributes.index]
    rows = attributes.loc[wanted].to_dict("records") if wanted else []
    return {
        key: {str(name): value for name, value in row.items() if not _missing(value)}
        for key, row in zip(wanted, rows, strict=True)
    }


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


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
    doc_attrs = tx.attributes_frame("document")
    person_attrs = tx.attributes_frame("participant")
    for key, allowed in selection.document_attributes.items():
        keep = doc_attrs.index[
            doc_attrs.get(key, pd.Series(dtype=object)).astype(str).isin([str(a) for a in allowed])
        ]
        frame = frame[frame["document_id"].isin(keep)]
    kept = select(tx, selection.where)
    frame = frame[kept.keeps_document(frame, "document_id")]
    frame = frame[kept.keeps_participant(frame, "participant_id")]
    if selection.speaker_role is not None:
        frame = frame[frame["speaker_role"] == selection.speaker_role]
    for key, allowed in selection.participant_attributes.items():
        column = person_attrs.get(key, pd.Series(dtype=object)).astype(str)
        keep = column.index[column.isin([str(a) for a in allowed])]
        frame = frame[frame["participant_id"].isin(keep)]
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
    # Looked up once per document, participant and code, not once per quote.
    of_document = _attribute_values(doc_attrs, frame["document_id"])
    of_person = _attribute_values(person_attrs, frame["participant_id"])
    paths = {code_id: tree.path(tree.by_id[code_id]) for code_id in set(frame["code_id"])}
    citer = Citer(template)
    result: list[Quote] = []
    columns = ["id", "document_id", "document", "code_id", "coder", "start", "end", "text"]
    columns += ["speaker", "speaker_role", "participant_id"]
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
        values: dict[str, Any] = {}
        values.update(of_document.get(doc_id, {}))
        participant = names.get(person) if person is not None else None
        if person is not None:
            values.update(of_person.get(person, {}))
        code_path = paths[code_id]
        values.update(
            document=document,
            coder=coder,
            code=code_path,
            speaker=speaker,
            participant=participant,
        )
        result.append(
            Quote(
                coding_id=int(coding_id),
                document=document,
                code=code_path,
                coder=coder,
                start=int(start),
                end=int(end),
                text=text,
                citation=citer(values),
                speaker=speaker,
                speaker_role=speaker_role,
                participant=participant,
                attributes=values,
            )
        )
    return result


def _participants(tx: Transaction) -> list[model.Participant]:
    return tx.participants()
