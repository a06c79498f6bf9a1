"""Reading a matrix's inputs from the project: codings, units, turns, attributes, quotes.

This is the one module of `coder.matrix` that talks to a storage `Transaction`; the rest are
pure computations on the tables it returns.

Which codings count: only counted origins (suggested and rejected codings never count), and of
those, by default, the consensus coder's codings in every document that has any, and in the
other documents every coder's codings merged (text coded by two coders counts once). `coder`
names one coder instead (`consensus` for the consensus layer alone).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from coder import model
from coder.codebook.tree import CodeTree
from coder.coding import quotes as quoting
from coder.coding.view import choose_codings
from coder.errors import NotFoundError, UsageError
from coder.matrix.measures import Corpus, Groups, Label, Scope
from coder.storage import Transaction

UNIT_KINDS: tuple[model.SegmentKind, ...] = ("sentence", "turn", "paragraph")


def check_coder(tx: Transaction, coder: str | None) -> None:
    if coder is None:
        return
    names = sorted(c.name for c in tx.coders())
    if coder not in names:
        if coder == model.CONSENSUS_CODER:
            raise NotFoundError(
                "there are no consensus codings yet; reconcile first (`coder reconcile`), "
                "or leave out --coder"
            )
        listed = ", ".join(names) or "none yet"
        raise NotFoundError(f"no coder named {coder!r} (coders: {listed})")


def tree(tx: Transaction) -> CodeTree:
    return CodeTree(tx.codes(model.CODE_STATUSES))


def corpus(tx: Transaction, coder: str | None, unit: str = "sentence") -> Corpus:
    if unit not in UNIT_KINDS:
        raise UsageError(f"unit {unit!r} is not one of {', '.join(UNIT_KINDS)}")
    check_coder(tx, coder)
    codings = choose_codings(tx.codings_frame(), coder)
    documents = tx.documents_frame()
    units = tx.units_frame(unit)
    turns = tx.turns_frame()
    speakers = _speakers(tx, turns)
    said = turns[turns["participant_id"].notna()].rename(columns={"document_id": "document"})
    said = said.assign(participant=said["participant_id"].astype("int64"))
    said = said[["document", "start", "end", "participant"]]
    # A document with no speaker turns at all (plain prose, or labels not recognised) is taken
    # as spoken by its participant when it has exactly one.
    no_turns = ~documents["document"].isin(turns["document_id"])
    voices = speakers.groupby("document")["participant"].nunique()
    whole = documents[no_turns & documents["document"].isin(voices[voices == 1].index)]
    if len(whole):
        sole = speakers.drop_duplicates("document").set_index("document")["participant"]
        extra = pd.DataFrame(
            {
                "document": whole["document"].to_numpy(dtype=np.int64),
                "start": 0,
                "end": whole["length"].to_numpy(dtype=np.int64),
                "participant": sole.loc[whole["document"]].to_numpy(dtype=np.int64),
            }
        )
        said = pd.concat([said, extra[extra["end"] > 0]], ignore_index=True)
    return Corpus(
        codings=pd.DataFrame(
            {
                "document": codings["document_id"].to_numpy(dtype=np.int64),
                "code": codings["code_id"].to_numpy(dtype=np.int64),
                "coder": pd.factorize(codings["coder"])[0].astype(np.int64),
                "start": codings["start"].to_numpy(dtype=np.int64),
                "end": codings["end"].to_numpy(dtype=np.int64),
            }
        ),
        documents=documents[["document", "length"]].astype("int64"),
        units=units[["document", "start", "end"]].astype("int64"),
        turns=said.astype("int64").reset_index(drop=True),
        speakers=speakers,
    )


def _speakers(tx: Transaction, turns: pd.DataFrame) -> pd.DataFrame:
    """Who speaks in each document: the participants linked to it, and those with turns in it."""
    ids = {p.name: p.id for p in tx.participants()}
    linked = [
        (summary.id, ids[name])
        for summary in tx.document_summaries()
        for name in summary.participants
        if name in ids
    ]
    with_turns = turns.loc[turns["participant_id"].notna(), ["document_id", "participant_id"]]
    pairs = pd.concat(
        [
            pd.DataFrame(linked, columns=["document", "participant"], dtype="int64"),
            pd.DataFrame(
                {
                    "document": with_turns["document_id"].to_numpy(dtype=np.int64),
                    "participant": with_turns["participant_id"].to_numpy(dtype=np.int64),
                }
            ),
        ],
        ignore_index=True,
    )
    return pairs.drop_duplicates().astype("int64").reset_index(drop=True)


# -- attributes and groups -----------------------------------------------------------------


@dataclass(frozen=True)
class Attribute:
    scope: Scope
    name: str

    @property
    def qualified(self) -> str:
        return f"{self.scope}:{self.name}"


def resolve(tx: Transaction, written: str, speakers: pd.DataFrame) -> Attribute:
    """An attribute named as `site`, `document:site` or `participant:site`.

    A name both documents and participants have (participants take their interview's
    attributes on import) is the document attribute, unless some participant's value differs
    from that of a document they speak in: then the two would group differently, and the
    scope must be said.
    """
    scope, sep, name = written.partition(":")
    if not sep:
        scope, name = "", written
    name = name.strip()
    known: set[tuple[str, str]] = {(str(a.scope), a.name) for a in tx.attributes()}
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
    clash = _first_clash(tx, name, speakers)
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
    tx: Transaction, name: str, speakers: pd.DataFrame
) -> tuple[str, str, str, str] | None:
    docs = tx.attributes_frame("document")[name].dropna().astype(str)
    people = tx.attributes_frame("participant")[name].dropna().astype(str)
    pairs = speakers.assign(
        doc_value=speakers["document"].map(docs), person_value=speakers["participant"].map(people)
    ).dropna()
    differ = pairs[pairs["doc_value"] != pairs["person_value"]]
    if differ.empty:
        return None
    first = differ.iloc[0]
    names = tx.documents_frame().set_index("document")["name"]
    people_names = {p.id: p.name for p in tx.participants()}
    return (
        str(names[first["document"]]),
        people_names[int(first["participant"])],
        str(first["doc_value"]),
        str(first["person_value"]),
    )


def _values(tx: Transaction, attribute: Attribute) -> pd.Series:
    frame = tx.attributes_frame(attribute.scope)
    if attribute.name not in frame.columns:
        return pd.Series(dtype=object)
    return frame[attribute.name].dropna()


def _sort_key(value: Any) -> tuple[int, float, str]:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (0, float(value), "")
    return (1, 0.0, str(value).casefold())


def groups(
    tx: Transaction, corpus: Corpus, by: str, split: str | None = None
) -> tuple[Groups, int]:
    """The columns for `by` (and `split`), and how many documents (or, for participant groups,
    participants in documents) were left out for lacking a value."""
    attributes = [resolve(tx, by, corpus.speakers)]
    if split is not None:
        attributes.append(resolve(tx, split, corpus.speakers))
        if attributes[0] == attributes[1]:
            raise UsageError("--split must be a different attribute from --by")
    scope: Scope = (
        "participant" if any(a.scope == "participant" for a in attributes) else "document"
    )
    if scope == "document":
        base = corpus.documents[["document"]].copy()
    else:
        base = corpus.speakers[["document", "participant"]].copy()
    typed: list[pd.Series] = []
    for attribute in attributes:
        key = "document" if attribute.scope == "document" else "participant"
        typed.append(base[key].map(_values(tx, attribute)))
    present = pd.concat(typed, axis=1).notna().all(axis=1)
    left_out = int((~present).sum())
    base = base[present.to_numpy()].reset_index(drop=True)
    typed = [series[present.to_numpy()].reset_index(drop=True) for series in typed]
    combos = sorted(
        {tuple(values) for values in zip(*typed, strict=True)},
        key=lambda values: tuple(_sort_key(v) for v in values),
    )
    labels: list[Label] = [(str(c[0]), str(c[1])) if len(c) == 2 else str(c[0]) for c in combos]
    position = {combo: i for i, combo in enumerate(combos)}
    column = [position[tuple(values)] for values in zip(*typed, strict=True)]
    members = base.assign(column=pd.Series(column, dtype="int64"))
    names = tuple(a.name for a in attributes)
    return Groups(scope=scope, names=names, labels=labels, members=members), left_out


def attribute_names(tx: Transaction) -> list[str]:
    return sorted({a.name for a in tx.attributes()})


# -- quotes for exemplars ------------------------------------------------------------------


def quote_candidates(
    tx: Transaction,
    coder: str | None,
    row_of: Mapping[str, Sequence[int]],
    groups: Groups,
) -> pd.DataFrame:
    """Participants' coded passages as candidate exemplars: row, column, document, start,
    end, participant (a name, or the document's name when nobody is known), text, attributes."""
    check_coder(tx, coder)
    found = quoting.quotes(tx, quoting.QuoteFilter(coders=None if coder is None else [coder]))
    columns = ["row", "column", "document", "start", "end", "participant", "text", "attributes"]
    if not found:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(
        {
            "document": [q.document for q in found],
            "coder": [q.coder for q in found],
            "code": [q.code for q in found],
            "start": [q.start for q in found],
            "end": [q.end for q in found],
            "role": [q.speaker_role for q in found],
            "person": [q.participant for q in found],
            "text": [q.text for q in found],
            "attributes": [q.attributes for q in found],
        }
    )
    ids = tx.documents_frame().set_index("name")["document"]
    people = {p.name: p.id for p in tx.participants()}
    frame = frame.assign(
        document_id=frame["document"].map(ids).astype("int64"),
        participant=frame["person"].map(people),
    )
    frame = frame[frame["role"].fillna("") != "interviewer"]
    # Rows: a code's quotes serve every row that counts the code.
    rows = pd.DataFrame(
        [(path, row) for path, found_rows in row_of.items() for row in found_rows],
        columns=["code", "row"],
    )
    frame = frame.merge(rows, on="code")
    members = groups.members.rename(columns={"document": "document_id"})
    if groups.scope == "document":
        frame = frame.merge(members[["document_id", "column"]], on="document_id")
    else:
        frame = frame[frame["participant"].notna()]
        frame = frame.assign(participant=frame["participant"].astype("int64"))
        frame = frame.merge(
            members[["document_id", "participant", "column"]], on=["document_id", "participant"]
        )
    who = frame["person"].where(frame["person"].notna(), "document " + frame["document"])
    return frame.assign(participant=who)[columns].reset_index(drop=True)


# -- notes ---------------------------------------------------------------------------------


def notes(tx: Transaction, attribute: str) -> pd.DataFrame:
    """Memos on the values of an attribute (either scope): value, title, body, author, date."""
    scope, sep, name = attribute.partition(":")
    if not sep:
        name = attribute
    ids = {
        a.id for a in tx.attributes() if a.name == name.strip() and (not sep or a.scope == scope)
    }
    authors = {c.id: c.name for c in tx.coders()}
    rows = [
        {
            "value": memo.attribute_value or "",
            "title": memo.title,
            "body": memo.body,
            "author": authors.get(memo.author_id) if memo.author_id is not None else None,
            "created": memo.created_at,
        }
        for memo in tx.memos("attribute")
        if memo.target_id in ids
    ]
    frame = pd.DataFrame(rows, columns=["value", "title", "body", "author", "created"])
    if frame.empty:
        return frame
    order = sorted(frame["value"].unique(), key=_sort_key)
    frame["order"] = frame["value"].map({v: i for i, v in enumerate(order)})
    return (
        frame.sort_values(["order", "created"], kind="stable")
        .drop(columns="order")
        .reset_index(drop=True)
    )
