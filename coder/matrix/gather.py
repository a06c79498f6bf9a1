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
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from coder import model
from coder.attributes.resolve import Attribute, Read, Values, resolve, sort_key, speakers
from coder.attributes.where import Selection
from coder.codebook.tree import CodeTree
from coder.coding import quotes as quoting
from coder.errors import NotFoundError, UsageError
from coder.matrix import by_document
from coder.matrix.measures import Corpus, Groups, Label, Scope, clip
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


def who_speaks(tx: Transaction) -> pd.DataFrame:
    """document, participant: who speaks in each document (coder/attributes/resolve.py)."""
    return speakers(tx)


def tree(tx: Transaction) -> CodeTree:
    """Every code, as tables need them: names and places, not descriptions."""
    return CodeTree(tx.code_outline(model.CODE_STATUSES))


def corpus(
    tx: Transaction,
    coder: str | None,
    unit: str = "sentence",
    *,
    with_units: bool = True,
    with_turns: bool = True,
    spans: bool = True,
    speakers: pd.DataFrame | None = None,
) -> Corpus:
    """Only what a table needs is read: a large study has a million sentences, two hundred
    thousand turns and half a million codings. `with_units` False leaves the units out (only
    the `sentences` measure and meetings in units count them); `with_turns` False leaves out
    the participants' turns (needed to attribute coded text to who said it); `spans` False
    reads, instead of every coding, only which codes reach which documents (enough for the
    documents and presence of document groups)."""
    if unit not in UNIT_KINDS:
        raise UsageError(f"unit {unit!r} is not one of {', '.join(UNIT_KINDS)}")
    check_coder(tx, coder)
    coders = None if coder is None else [coder]
    pairs = None
    if spans:
        codings = tx.shown_codings_frame(coders)
    else:
        found = tx.coded_documents_frame(coders)
        codings = found.iloc[0:0].assign(coder_id=0, start=0, end=0)
        pairs = pd.DataFrame(
            {
                "document": found["document_id"].to_numpy(dtype=np.int64),
                "code": found["code_id"].to_numpy(dtype=np.int64),
            }
        )
    documents = tx.document_lengths()
    units = tx.unit_spans_frame(unit) if with_units else _no_spans(["document", "start", "end"])
    if speakers is None:
        speakers = who_speaks(tx)
    said = _said(tx, documents, speakers) if with_turns else _no_spans(_TURN_COLUMNS)
    return Corpus(
        codings=pd.DataFrame(
            {
                "document": codings["document_id"].to_numpy(dtype=np.int64),
                "code": codings["code_id"].to_numpy(dtype=np.int64),
                "coder": pd.factorize(codings["coder_id"])[0].astype(np.int64),
                "start": codings["start"].to_numpy(dtype=np.int64),
                "end": codings["end"].to_numpy(dtype=np.int64),
            }
        ),
        documents=documents[["document", "length"]],  # int64 as read
        units=units[["document", "start", "end"]].astype("int64") if with_units else units,
        turns=said,
        speakers=speakers,
        pairs=pairs,
    )


_TURN_COLUMNS = ["document", "start", "end", "participant"]


def _no_spans(columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame({k: np.empty(0, dtype=np.int64) for k in columns})


def _said(tx: Transaction, documents: pd.DataFrame, speakers: pd.DataFrame) -> pd.DataFrame:
    """The participants' turns: document, start, end, participant."""
    turns = tx.participant_turns_frame()
    said = pd.DataFrame(
        {
            "document": turns["document_id"].to_numpy(dtype=np.int64),
            "start": turns["start"].to_numpy(dtype=np.int64),
            "end": turns["end"].to_numpy(dtype=np.int64),
            "participant": turns["participant_id"].to_numpy(dtype=np.int64),
        }
    )
    # A document with no speaker turns at all (plain prose, or labels not recognised) is taken
    # as spoken by its participant when it has exactly one.
    no_turns = ~documents["document"].isin(list(tx.documents_with_turns()))
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
    return (
        said.sort_values(["document", "start"], kind="stable")
        .astype("int64")
        .reset_index(drop=True)
    )


def narrow(corpus: Corpus, selection: Selection) -> Corpus:
    """The corpus as `--where` keeps it: only the selected documents and, when participants
    are selected, only their turns, their parts of the codings, and them as speakers."""
    if selection.everything:
        return corpus
    codings, documents = corpus.codings, corpus.documents
    units, turns, people = corpus.units, corpus.turns, corpus.speakers
    pairs = corpus.pairs
    if selection.documents is not None:
        codings = codings[selection.keeps_document(codings)]
        if pairs is not None:
            pairs = pairs[selection.keeps_document(pairs)].reset_index(drop=True)
        documents = documents[selection.keeps_document(documents)]
        units = units[selection.keeps_document(units)]
        turns = turns[selection.keeps_document(turns)]
        people = people[selection.keeps_document(people)]
    if selection.participants is not None:
        turns = turns[selection.keeps_participant(turns)]
        people = people[selection.keeps_participant(people)]
        columns = list(codings.columns)
        codings = clip(codings, turns, corpus.stride)[columns]
        documents = documents[documents["document"].isin(people["document"])]
    return replace(
        corpus,
        codings=codings.reset_index(drop=True),
        documents=documents.reset_index(drop=True),
        units=units.reset_index(drop=True),
        turns=turns.reset_index(drop=True),
        speakers=people.reset_index(drop=True),
        pairs=pairs,
    )


def attributes(
    tx: Transaction, by: str, split: str | None, speakers: pd.DataFrame, read: Read | None = None
) -> tuple[Attribute, ...]:
    """The attributes `by` and `split` name (coder/attributes/resolve.py); `read` keeps the
    values resolving reads for `groups`."""
    if isinstance(read, Values):
        read.read(by, *([] if split is None else [split]))
    found = [resolve(tx, by, speakers, read)]
    if split is not None:
        found.append(resolve(tx, split, speakers, read))
        if found[0] == found[1]:
            raise UsageError("--split must be a different attribute from --by")
    return tuple(found)


def scope(attributes: Sequence[Attribute], *, participants: bool = False) -> Scope:
    """Whether `groups` makes document or participant groups of these attributes."""
    if participants or any(a.scope == "participant" for a in attributes):
        return "participant"
    return "document"


def groups(
    tx: Transaction,
    corpus: Corpus,
    by: str | tuple[Attribute, ...],
    split: str | None = None,
    *,
    participants: bool = False,
    read: Read | None = None,
) -> tuple[Groups, int]:
    """The columns for `by` (and `split`), or for attributes already resolved
    (`attributes`), and how many documents (or, for participant groups,
    participants in documents) were left out for lacking a value. `participants` makes them
    participant groups whatever the attributes' scope (a `--where` on participants asks for
    what those participants said). `read` reads the attributes' values (`Values`)."""
    read = read or Values(tx)
    named = attributes(tx, by, split, corpus.speakers, read) if isinstance(by, str) else by
    kind = scope(named, participants=participants)
    base = corpus.documents if kind == "document" else corpus.speakers
    keys = ["document"] if kind == "document" else ["document", "participant"]
    # A few hundred documents or speakers: plain lists and dictionaries, not a frame's
    # lookups, which cost more than the rest of a small table.
    owners = {key: base[key].tolist() for key in keys}
    typed: list[list[Any]] = []
    for attribute in named:
        values = read(attribute)
        key = "document" if attribute.scope == "document" else "participant"
        typed.append([values.get(owner) for owner in owners[key]])
    rows = list(zip(*typed, strict=True))
    present = [all(_known(v) for v in values) for values in rows]
    left_out = present.count(False)
    kept = [values for values, known in zip(rows, present, strict=True) if known]
    combos = sorted(set(kept), key=lambda values: tuple(sort_key(v) for v in values))
    labels: list[Label] = [(str(c[0]), str(c[1])) if len(c) == 2 else str(c[0]) for c in combos]
    position = {combo: i for i, combo in enumerate(combos)}
    mask = np.array(present, dtype=bool)
    members = pd.DataFrame(
        {key: base[key].to_numpy(dtype=np.int64)[mask] for key in keys}
        | {"column": np.array([position[values] for values in kept], dtype=np.int64)}
    )
    names = tuple(a.name for a in named)
    return Groups(scope=kind, names=names, labels=labels, members=members), left_out


def _known(value: Any) -> bool:
    """Whether an attribute's value is there (as pandas' notna: not None, not a float's or
    a Decimal's NaN, the one value unequal to itself)."""
    return value is not None and bool(value == value)


def everything(corpus: Corpus, *, participants: bool = False) -> Groups:
    """One group holding the whole corpus (every document, or every speaker in it)."""
    if participants:
        members = corpus.speakers[["document", "participant"]].assign(column=0)
        return Groups("participant", ("corpus",), ["all"], members.reset_index(drop=True))
    members = corpus.documents[["document"]].assign(column=0)
    return Groups("document", ("corpus",), ["all"], members.reset_index(drop=True))


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
    order = sorted(frame["value"].unique(), key=sort_key)
    frame["order"] = frame["value"].map({v: i for i, v in enumerate(order)})
    return (
        frame.sort_values(["order", "created"], kind="stable")
        .drop(columns="order")
        .reset_index(drop=True)
    )


# -- what tables say about themselves -----------------------------------------------------


def group_sizes(corpus: Corpus, groups: Groups) -> dict[int, tuple[int, int]]:
    """For each column: how many documents, and how many participants, it holds (document
    groups: everyone who speaks in their documents)."""
    members = groups.members
    column = members["column"].to_numpy(dtype=np.int64)
    if groups.scope == "document":
        speakers = corpus.speakers
        at, in_column = by_document.join(
            speakers["document"].to_numpy(dtype=np.int64),
            members["document"].to_numpy(dtype=np.int64),
            column,
        )
        people = speakers["participant"].to_numpy(dtype=np.int64)[at]
    else:
        in_column, people = column, members["participant"].to_numpy(dtype=np.int64)
    n = len(groups.labels)
    documents = by_document.per_column(column, members["document"].to_numpy(np.int64), n)
    participants = by_document.per_column(in_column, people, n)
    return {c: (int(documents[c]), int(participants[c])) for c in range(n)}


def describe_passages(
    tx: Transaction,
    found: pd.DataFrame,
    corpus: Corpus,
    rows: Sequence[str],
    columns: Sequence[str],
    tree: CodeTree,
) -> pd.DataFrame:
    """Meetings (row, column, document, start, end) as a listing: code paths, the document's
    name, the text, and every code of the view's codings on that exact text (in codebook
    order). Cells come in the table's order, row by row (Lind's figure reads like her
    matrix), and within a cell by document and position."""
    out = ["row", "column", "document", "start", "end", "text", "codes"]
    if found.empty:
        return pd.DataFrame(columns=out)
    names = tx.documents_frame().set_index("document")["name"]
    texts = tx.document_texts(sorted({int(d) for d in found["document"]}))
    order = {code.id: place for place, (code, _) in enumerate(tree.walk())}
    paths = {code.id: tree.path(code) for code in tree.codes}
    codings = corpus.codings
    on_span = (
        codings.assign(place=codings["code"].map(order).fillna(len(order)))
        .sort_values("place", kind="stable")
        .assign(path=lambda frame: frame["code"].map(paths))
        .groupby(["document", "start", "end"])["path"]
        .agg(lambda p: "; ".join(dict.fromkeys(p)))
    )
    keys = list(zip(found["document"], found["start"], found["end"], strict=True))
    listing = pd.DataFrame(
        {
            "cell_row": found["row"].astype("int64"),
            "cell_column": found["column"].astype("int64"),
            "row": [rows[int(r)] for r in found["row"]],
            "column": [columns[int(c)] for c in found["column"]],
            "document": [str(names[int(d)]) for d in found["document"]],
            "start": found["start"].astype("int64"),
            "end": found["end"].astype("int64"),
            "text": [" ".join(texts[int(d)][int(s) : int(e)].split()) for d, s, e in keys],
            "codes": [on_span.get(key, "") for key in keys],
        }
    )
    listing = listing.sort_values(
        ["cell_row", "cell_column", "document", "start"], kind="stable"
    ).reset_index(drop=True)
    return listing[out]
