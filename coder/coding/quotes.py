"""Retrieving coded passages ("quotes") with filters, and citing them as the studies do.

A quote is attributed to the speaker turn where it starts: that turn gives its speaker, its
role (interviewer or participant) and its participant. The citation is rendered from a
template over the document's and the participant's attributes, default "({site} {role})".
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from coder import model
from coder.codebook.tree import CodeTree
from coder.storage import Transaction

DEFAULT_TEMPLATE = "({site} {role})"


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


class _Lenient(string.Formatter):
    """A template field with no value renders as "?" rather than failing."""

    def get_value(self, key: int | str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        value = kwargs.get(str(key))
        return "?" if value is None or value == "" or value is pd.NA else value


def cite(template: str, values: Mapping[str, Any]) -> str:
    return _Lenient().format(template, **values)


def _code_ids(tree: CodeTree, path: str | None, descendants: bool) -> list[int] | None:
    if path is None:
        return None
    code = tree.find(path)
    ids = [code.id]
    if descendants:
        ids += [c.id for c in tree.descendants(code)]
    return ids


def _turn_of(codings: pd.DataFrame, turns: pd.DataFrame) -> pd.DataFrame:
    """For each coding, the turn containing its start (vectorised per document)."""
    columns = ["speaker", "speaker_role", "participant_id"]
    found = pd.DataFrame(index=codings.index, columns=columns, dtype=object)
    for doc_id, group in codings.groupby("document_id"):
        doc_turns = turns[turns["document_id"] == doc_id]
        if doc_turns.empty:
            continue
        starts = doc_turns["start"].to_numpy()
        position = np.searchsorted(starts, group["start"].to_numpy(), side="right") - 1
        inside = position >= 0
        position = np.clip(position, 0, len(starts) - 1)
        picked = doc_turns.iloc[position][columns].to_numpy(dtype=object)
        ends = doc_turns["end"].to_numpy()[position]
        inside &= group["start"].to_numpy() < ends
        picked[~inside] = None
        found.loc[group.index, columns] = picked
    return found


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
    )
    if frame.empty:
        return []
    doc_attrs = tx.attributes_frame("document")
    person_attrs = tx.attributes_frame("participant")
    for key, allowed in selection.document_attributes.items():
        keep = doc_attrs.index[
            doc_attrs.get(key, pd.Series(dtype=object)).astype(str).isin([str(a) for a in allowed])
        ]
        frame = frame[frame["document_id"].isin(keep)]
    turn = _turn_of(frame, tx.turns_frame(sorted(set(frame["document_id"]))))
    frame = frame.join(turn)
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
    result: list[Quote] = []
    for row in frame.to_dict("records"):
        values: dict[str, Any] = {}
        doc_id, person = row["document_id"], row["participant_id"]
        if doc_id in doc_attrs.index:
            values.update(doc_attrs.loc[doc_id].dropna().to_dict())
        participant = names.get(person) if person is not None else None
        if person is not None and person in person_attrs.index:
            values.update(person_attrs.loc[person].dropna().to_dict())
        code_path = tree.path(tree.by_id[row["code_id"]])
        values.update(
            document=row["document"],
            coder=row["coder"],
            code=code_path,
            speaker=row["speaker"],
            participant=participant,
        )
        result.append(
            Quote(
                coding_id=int(row["id"]),
                document=row["document"],
                code=code_path,
                coder=row["coder"],
                start=int(row["start"]),
                end=int(row["end"]),
                text=row["text"],
                citation=cite(template, values),
                speaker=row["speaker"],
                speaker_role=row["speaker_role"],
                participant=participant,
                attributes=values,
            )
        )
    return result


def _participants(tx: Transaction) -> list[model.Participant]:
    return tx.participants()
