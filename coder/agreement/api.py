"""`Project.agreement` and `Project.disagreements`: agreement tables and the list of
disagreements on the project's data.

`gather` reads codings, units and documents from the project; the pure statistics in
`coder.agreement` (coefficients, units) compute on them and import nothing of the project.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from coder.agreement import agreement_tables, disagreements, unit_table
from coder.agreement import intervals as bootstrap
from coder.agreement.gather import UNITS, Unit, gather
from coder.errors import UsageError
from coder.storage import Store, Transaction

__all__ = [
    "UNITS",
    "Agreement",
    "AgreementReport",
    "Disagreement",
    "Unit",
    "agreement",
    "disagreement_list",
    "per_code_view",
]


class Agreement:
    """Agreement between coders per code, per document and pooled, and where they differ."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def report(
        self,
        coders: Sequence[str],
        unit: Unit = "sentence",
        *,
        documents: Sequence[str] | None = None,
        min_share: float = 0.0,
    ) -> AgreementReport:
        with self._store.read() as tx:
            return agreement(tx, coders, unit, documents=documents, min_share=min_share)

    def disagreements(
        self,
        coders: Sequence[str],
        unit: Unit = "sentence",
        *,
        documents: Sequence[str] | None = None,
    ) -> list[Disagreement]:
        with self._store.read() as tx:
            return disagreement_list(tx, coders, unit, documents=documents)

    def intervals(
        self,
        coders: Sequence[str],
        unit: Unit = "sentence",
        *,
        coefficient: str = "cohen_kappa",
        documents: Sequence[str] | None = None,
        draws: int = 1000,
        seed: int = 0,
        level: float = 0.95,
    ) -> pd.DataFrame:
        """Percentile bootstrap intervals of a coefficient per code and pooled, two coders,
        sentence, turn, paragraph or document units (see coder/agreement/intervals.py)."""
        with self._store.read() as tx:
            inputs = gather(tx, coders, unit, documents)
        if inputs.kind == "character":
            raise UsageError(
                "intervals are computed on sentence, turn, paragraph or document units"
            )
        table = unit_table(
            inputs.codings[["document", "coder", "code", "start", "end"]],
            inputs.units,
            list(coders),
            inputs.codes,
            inputs.kind,
            documents=inputs.documents,
        )
        return bootstrap.intervals(table, coefficient, draws=draws, seed=seed, level=level)


@dataclass(frozen=True)
class AgreementReport:
    unit: Unit
    coders: tuple[str, ...]
    documents: tuple[str, ...]
    per_code: pd.DataFrame
    per_document: pd.DataFrame
    pooled: pd.DataFrame


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
