"""The project's data as the agreement statistics take it: codings, units and documents.

By default the coders are compared on the documents that every one of them has coded (the
double-coded subset): a document only one coder has seen is not a disagreement.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from coder import model
from coder.codebook.tree import CodeTree
from coder.errors import UsageError
from coder.storage import Transaction

Unit = Literal["sentence", "turn", "paragraph", "character", "document"]
UNITS: tuple[Unit, ...] = ("sentence", "turn", "paragraph", "character", "document")
# Whose speech the units cover: everyone's, or only the participants' (the interviewer's
# questions are not what was coded, and units nobody codes inflate raw agreement).
Speech = Literal["all", "participants"]
SPEECH: tuple[Speech, ...] = ("all", "participants")


@dataclass(frozen=True)
class Gathered:
    """What `gather` read from the project (the statistics' own inputs are
    `coder.agreement._inputs.Inputs`, built from these tables)."""

    codings: pd.DataFrame  # document, coder, code (path), start, end
    units: pd.DataFrame | None
    documents: pd.DataFrame  # document (id), length
    names: dict[int, str]  # document id -> name
    kind: Literal["segment", "character", "document"]
    codes: list[str]


@dataclass(frozen=True)
class Spans:
    """The coded stretches of the compared documents, for the stretch-based measures."""

    spans: pd.DataFrame  # coder, document (name), code (path), start, end
    lengths: dict[str, int]  # document name -> characters, in name order
    codes: list[str]  # every code either coder used there, sorted

    @property
    def sizes(self) -> dict[Hashable, int]:
        """`lengths`, typed as the pure functions take it."""
        return {name: length for name, length in self.lengths.items()}


def _codings(
    tx: Transaction, coders: Sequence[str], documents: Sequence[str] | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The compared coders' codings (code as its path) and the compared documents (id, name,
    length): the documents named, or else those every compared coder has coded."""
    if len(coders) < 2:
        raise UsageError("compare at least two coders, e.g. --coders maya,tomas")
    repeated = sorted({c for c in coders if list(coders).count(c) > 1})
    if repeated:
        raise UsageError(f"coder {repeated[0]!r} is named twice; compare different coders")
    known = {c.name: c.id for c in tx.coders()}
    missing = [c for c in coders if c not in known]
    if missing:
        raise UsageError(
            f"no coder named {', '.join(map(repr, missing))} (coders: {', '.join(sorted(known))})"
        )
    ids = [tx.document(name).id for name in documents] if documents else None
    # Numbers only (the coder's id, not its name), packed a row to an integer by the
    # database and in no order (every measure sorts for itself): a driver makes an object
    # of every value it returns, and those cost more than the query.
    frame = tx.shown_codings_frame(
        list(coders), ["document_id", "coder_id", "code_id", "start", "end"], ids
    )
    names = {known[c]: c for c in coders}
    if ids is None:
        # Only the documents every compared coder has coded.
        per_doc = frame.groupby("document_id")["coder_id"].nunique()
        ids = sorted(int(d) for d in per_doc[per_doc == len(set(coders))].index)
        frame = frame[frame["document_id"].isin(ids)]
    if not ids:
        raise UsageError(
            f"{' and '.join(coders)} have no document in common; code the same documents "
            "first, or name them with --documents"
        )
    tree = CodeTree(tx.codes(model.CODE_STATUSES))
    paths = {code.id: tree.path(code) for code in tree.codes}
    codings = pd.DataFrame(
        {
            "document": frame["document_id"].astype(int),
            "coder": frame["coder_id"].map(names).astype(str),
            "code": frame["code_id"].map(paths),
            "start": frame["start"].astype(int),
            "end": frame["end"].astype(int),
        }
    )
    return codings, tx.documents_frame(ids)


def gather(
    tx: Transaction,
    coders: Sequence[str],
    unit: Unit,
    documents: Sequence[str] | None = None,
    speech: Speech = "all",
) -> Gathered:
    if unit not in UNITS:
        raise UsageError(f"unit {unit!r} is not one of {', '.join(UNITS)}")
    if speech not in SPEECH:
        raise UsageError(f"speech {speech!r} is not one of {', '.join(SPEECH)}")
    if speech != "all" and unit not in ("sentence", "turn", "paragraph"):
        raise UsageError(
            "only sentences, turns and paragraphs can be limited to the participants' speech"
        )
    codings, docs = _codings(tx, coders, documents)
    ids = [int(d) for d in docs["document"]]
    kind: Literal["segment", "character", "document"]
    if unit in ("sentence", "turn", "paragraph"):
        kind, units = "segment", tx.units_frame(unit, ids)
        if speech == "participants":
            units = _outside_interviewers(units, tx.turns_frame(ids))
    else:
        kind, units = ("character" if unit == "character" else "document"), None
    return Gathered(
        codings=codings,
        units=units,
        documents=docs[["document", "length"]],
        names=dict(zip(docs["document"], docs["name"], strict=True)),
        kind=kind,
        codes=sorted(codings["code"].unique()),
    )


def _outside_interviewers(units: pd.DataFrame, turns: pd.DataFrame) -> pd.DataFrame:
    """The units that do not lie inside a turn of a speaker imported as the interviewer.
    Sentences and paragraphs sit inside their turn, so the turn that starts at or before a
    unit's start is the one it belongs to."""
    asked = turns[turns["speaker_role"] == "interviewer"]
    if units.empty or asked.empty:
        return units
    found = pd.merge_asof(
        units.reset_index().sort_values("start"),
        asked[["document_id", "start", "end"]]
        .rename(columns={"document_id": "document", "start": "turn_start", "end": "turn_end"})
        .astype({"document": units["document"].dtype})
        .sort_values("turn_start"),
        left_on="start",
        right_on="turn_start",
        by="document",
    )
    inside = found["turn_end"].notna() & (found["end"] <= found["turn_end"])
    kept = found.loc[~inside, "index"]
    return units.loc[sorted(kept)].reset_index(drop=True)


def gather_spans(
    tx: Transaction, coders: Sequence[str], documents: Sequence[str] | None = None
) -> Spans:
    """The compared coders' codings as spans (coder, document, code, start, end), named by
    document name and code path, with the length of every compared document."""
    codings, docs = _codings(tx, coders, documents)
    names = dict(zip(docs["document"], docs["name"], strict=True))
    spans = pd.DataFrame(
        {
            "coder": codings["coder"],
            "document": codings["document"].map(names).astype(object),
            "code": codings["code"].astype(object),
            "start": codings["start"],
            "end": codings["end"],
        }
    ).reset_index(drop=True)
    ordered = docs.sort_values("name")
    return Spans(
        spans=spans,
        lengths={str(n): int(k) for n, k in zip(ordered["name"], ordered["length"], strict=True)},
        codes=sorted(spans["code"].unique()),
    )
