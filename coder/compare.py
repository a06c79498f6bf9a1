"""Comparing coders on the project's data: agreement tables and the list of disagreements.

This module gathers codings, units and documents from the project and hands them to the pure
statistics in `coder.agreement`. By default it compares the coders on the documents that
every one of them has coded (the double-coded subset): a document only one coder has seen is
not a disagreement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from coder import model
from coder.agreement import agreement_tables, disagreements
from coder.codebook.tree import CodeTree
from coder.errors import UsageError
from coder.storage import Transaction

Unit = Literal["sentence", "turn", "paragraph", "character", "document"]
UNITS: tuple[Unit, ...] = ("sentence", "turn", "paragraph", "character", "document")


@dataclass(frozen=True)
class Inputs:
    codings: pd.DataFrame  # document, coder, code (path), start, end, id
    units: pd.DataFrame | None
    documents: pd.DataFrame  # document (id), length
    names: dict[int, str]  # document id -> name
    kind: Literal["segment", "character", "document"]
    codes: list[str]


@dataclass(frozen=True)
class AgreementReport:
    unit: Unit
    coders: tuple[str, ...]
    documents: tuple[str, ...]
    per_code: pd.DataFrame
    per_document: pd.DataFrame
    pooled: pd.DataFrame


def gather(
    tx: Transaction,
    coders: Sequence[str],
    unit: Unit,
    documents: Sequence[str] | None = None,
) -> Inputs:
    if len(coders) < 2:
        raise UsageError("compare at least two coders, e.g. --coders maya,tomas")
    if unit not in UNITS:
        raise UsageError(f"unit {unit!r} is not one of {', '.join(UNITS)}")
    known = {c.name for c in tx.coders()}
    missing = [c for c in coders if c not in known]
    if missing:
        raise UsageError(
            f"no coder named {', '.join(map(repr, missing))} (coders: {', '.join(sorted(known))})"
        )
    ids = [tx.document(name).id for name in documents] if documents else None
    frame = tx.codings_frame(document_ids=ids, coder_names=list(coders))
    if ids is None:
        # Only the documents every compared coder has coded.
        per_doc = frame.groupby("document_id")["coder"].nunique()
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
            "coder": frame["coder"].astype(str),
            "code": frame["code_id"].map(paths),
            "start": frame["start"].astype(int),
            "end": frame["end"].astype(int),
            "id": frame["id"].astype(int),
        }
    )
    docs = tx.documents_frame(ids)
    kind: Literal["segment", "character", "document"]
    if unit in ("sentence", "turn", "paragraph"):
        kind, units = "segment", tx.units_frame(unit, ids)
    else:
        kind, units = ("character" if unit == "character" else "document"), None
    return Inputs(
        codings=codings,
        units=units,
        documents=docs[["document", "length"]],
        names=dict(zip(docs["document"], docs["name"], strict=True)),
        kind=kind,
        codes=sorted(set(codings["code"])),
    )


def agreement(
    tx: Transaction,
    coders: Sequence[str],
    unit: Unit = "sentence",
    *,
    documents: Sequence[str] | None = None,
    min_share: float = 0.0,
) -> AgreementReport:
    inputs = gather(tx, coders, unit, documents)
    tables = agreement_tables(
        inputs.codings[["document", "coder", "code", "start", "end"]],
        inputs.units,
        list(coders),
        inputs.codes,
        inputs.kind,
        min_share=min_share,
        documents=inputs.documents,
    )
    per_document = tables["document"]
    per_document["document"] = per_document["document"].map(inputs.names)
    return AgreementReport(
        unit=unit,
        coders=tuple(coders),
        documents=tuple(sorted(inputs.names.values())),
        per_code=tables["code"],
        per_document=per_document,
        pooled=tables["pooled"],
    )


@dataclass(frozen=True)
class Disagreement:
    document: str
    document_id: int
    code: str
    start: int
    end: int
    marked_by: tuple[str, ...]
    not_marked_by: tuple[str, ...]
    text: str
    before: str
    after: str


def disagreement_list(
    tx: Transaction,
    coders: Sequence[str],
    unit: Unit = "sentence",
    *,
    documents: Sequence[str] | None = None,
    min_share: float = 0.0,
    context: int = 200,
) -> list[Disagreement]:
    """Every unit x code where the coders differ, with its text and some context."""
    inputs = gather(tx, coders, unit, documents)
    rows = disagreements(
        inputs.codings[["document", "coder", "code", "start", "end"]],
        inputs.units,
        list(coders),
        inputs.codes,
        inputs.kind,
        min_share=min_share,
        documents=inputs.documents,
    )
    texts = tx.document_texts(inputs.names)
    found = []
    for row in rows.to_dict("records"):
        doc_id = int(row["document"])
        text = texts[doc_id]
        start, end = int(row["start"]), int(row["end"])
        if end < 0:
            end = len(text)
        found.append(
            Disagreement(
                document=inputs.names[doc_id],
                document_id=doc_id,
                code=str(row["code"]),
                start=start,
                end=end,
                marked_by=tuple(row["marked_by"]),
                not_marked_by=tuple(row["not_marked_by"]),
                text=text[start:end],
                before=text[max(0, start - context) : start],
                after=text[end : end + context],
            )
        )
    return found


SHOWN = [
    "n_units",
    "percent_agreement",
    "percent_agreement_marked",
    "cohen_kappa",
    "krippendorff_alpha",
    "gwet_ac1",
]


def per_code_view(report: AgreementReport) -> pd.DataFrame:
    """The per-code table people read: counts per coder, then the coefficients, pooled last."""
    counts = [f"coded_by_{c}" for c in report.coders] + ["coded_by_all"]
    frame = report.per_code[["code", *SHOWN[:1], *counts, *SHOWN[1:]]].copy()
    pooled = report.pooled.assign(code="(pooled)")
    frame = pd.concat([frame, pooled[[c for c in frame.columns if c in pooled.columns]]])
    return frame.rename(
        columns={
            "n_units": "units",
            "percent_agreement": "agree",
            "percent_agreement_marked": "agree (marked)",
            "cohen_kappa": "kappa",
            "krippendorff_alpha": "alpha",
            "gwet_ac1": "AC1",
            "coded_by_all": "both" if len(report.coders) == 2 else "all",
            **{f"coded_by_{c}": c for c in report.coders},
        }
    )
