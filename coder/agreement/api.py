"""`project.agreement`: agreement between coders on the project's data.

    report = project.agreement(["maya", "tomas"], "sentence", interval="analytic")
    alpha_u = project.agreement.unitized(["maya", "tomas"])       # ATLAS.ti's alpha_U
    nvivo = project.agreement.character(["maya", "tomas"])        # NVivo's character kappa
    maxqda = project.agreement.overlap(["maya", "tomas"], threshold=0.9)  # MAXQDA's overlap
    meeting = project.agreement.confusion(["maya", "tomas"])      # code x code

`gather` reads codings, units and documents from the project; the pure statistics in
`coder.agreement` compute on them and import nothing of the project. Every result keeps the
counts behind its numbers; docs/agreement.md defines each measure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from coder import model
from coder.access import Access
from coder.agreement import agreement_tables, code_confusion, disagreements
from coder.agreement.gather import UNITS, Spans, Speech, Unit, gather, gather_spans
from coder.agreement.intervals import Method, interval_table
from coder.agreement.reports import (
    BYS,
    COUNTS,
    MEASURES,
    AgreementReport,
    Average,
    By,
    ConfusionReport,
    Count,
    Measure,
    StretchReport,
)
from coder.agreement.stretch_tables import character_tables, overlap_tables, unitized_tables
from coder.agreement.views import per_code_view
from coder.attributes.where import Where, document_names
from coder.storage import Store, Transaction

__all__ = [
    "BYS",
    "COUNTS",
    "MEASURES",
    "UNITS",
    "UNITS_AND_MEASURES",
    "Agreement",
    "AgreementReport",
    "Average",
    "By",
    "ConfusionReport",
    "Count",
    "Disagreement",
    "Measure",
    "Method",
    "StretchReport",
    "Unit",
    "UnitOrMeasure",
    "agreement",
    "disagreement_list",
    "per_code_view",
    "split_unit",
]

# What `coder agree --unit` and the Agreement screen offer: units cut in advance, then the
# stretch-based measures. "character" there is NVivo's comparison (two coders, per document);
# project.agreement(coders, "character") is the coefficient table over character units.
UnitOrMeasure = Literal[
    "sentence", "turn", "paragraph", "document", "character", "unitized", "overlap"
]
UNITS_AND_MEASURES: tuple[UnitOrMeasure, ...] = (
    "sentence",
    "turn",
    "paragraph",
    "document",
    "character",
    "unitized",
    "overlap",
)
_AS_MEASURE: dict[str, Measure] = {m: m for m in MEASURES}
_AS_UNIT: dict[str, Unit] = {u: u for u in UNITS}


def split_unit(choice: UnitOrMeasure) -> tuple[Unit, None] | tuple[None, Measure]:
    """A unit cut in advance, or a stretch-based measure (which "character" is, here)."""
    if choice in _AS_MEASURE:
        return None, _AS_MEASURE[choice]
    return _AS_UNIT[choice], None


class Agreement:
    """Agreement between coders on the documents they have all coded (or those named).

    Calling it, `project.agreement(coders, unit)`, is `report`: the coefficients on units cut
    in advance. `unitized`, `character` and `overlap` compare the coded stretches themselves,
    the way ATLAS.ti, NVivo and MAXQDA do; `confusion` is the code x code table.
    """

    def __init__(self, store: Store, access: Access | None = None) -> None:
        self._store = store
        self._access = access or Access()

    def report(
        self,
        coders: Sequence[str],
        unit: Unit = "sentence",
        *,
        documents: Sequence[str] | None = None,
        where: Where | None = None,
        min_share: float = 0.0,
        interval: Method | None = None,
        level: float = 0.95,
        draws: int = 1000,
        seed: int = 0,
        speech: Speech = "all",
    ) -> AgreementReport:
        """Every coefficient per code, per document and pooled, with the counts behind it.

        `unit`: sentence, turn, paragraph, character or document. `speech="participants"`
        leaves out the units inside the interviewer's turns (sentences, turns and paragraphs
        only). `min_share`: the share of a unit a coding must cover to mark it (0: any
        overlap). `interval`: "analytic"
        (Gwet's standard errors) or "bootstrap" (resampling units; `draws`, `seed`) adds
        `intervals` at coverage `level` for the coefficients the tables show. `where`
        keeps the documents with those attributes (coder/attributes/where.py).
        """
        with self._store.read() as tx:
            self._access.coders(tx, coders)
            return agreement(
                tx,
                coders,
                unit,
                documents=document_names(tx, where, documents),
                min_share=min_share,
                interval=interval,
                level=level,
                draws=draws,
                seed=seed,
                speech=speech,
            )

    # project.agreement(coders, unit) is the report, as it always was.
    __call__ = report

    def default_coders(self) -> list[str]:
        """The two coders to compare when none are named: of the coders (not the consensus),
        the pair who coded the most documents in common, then the pair with the most codings
        (ties by name, so that the first and second never swap). Fewer than two names when
        fewer than two coders have coded (or, while blind, may be read)."""
        with self._store.read() as tx:
            allowed = self._access.coders(tx, None)
            frame = tx.codings_frame(
                coder_names=allowed, columns=["document_id", "coder"], ordered=False
            )
        frame = frame[frame["coder"] != model.CONSENSUS_CODER]
        documents = frame.groupby("coder")["document_id"].agg(set)
        codings = frame["coder"].value_counts()
        names = sorted(str(name) for name in documents.index)
        if len(names) < 2:
            return names
        pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1 :]]
        # max keeps the first of equals: pairs are in name order.
        best = max(
            pairs,
            key=lambda pair: (
                len(documents[pair[0]] & documents[pair[1]]),
                int(codings[pair[0]] + codings[pair[1]]),
            ),
        )
        return sorted(best, key=lambda name: (-int(codings[name]), name))

    def disagreements(
        self,
        coders: Sequence[str],
        unit: Unit = "sentence",
        *,
        documents: Sequence[str] | None = None,
    ) -> list[Disagreement]:
        with self._store.read() as tx:
            self._access.coders(tx, coders)
            return disagreement_list(tx, coders, unit, documents=documents)

    def intervals(
        self,
        coders: Sequence[str],
        unit: Unit = "sentence",
        *,
        coefficient: str = "cohen_kappa",
        method: Method = "bootstrap",
        documents: Sequence[str] | None = None,
        where: Where | None = None,
        min_share: float = 0.0,
        draws: int = 1000,
        seed: int = 0,
        level: float = 0.95,
        speech: Speech = "all",
    ) -> pd.DataFrame:
        """Intervals of one coefficient (a column of the agreement table) per code, then the
        pooled row `(pooled)`: `estimate`, `low`, `high`, `se`, `method`, `level`, `units`,
        `draws`, `dropped`, `notes` (see `intervals.interval_table`). The bootstrap, the
        default here, also gives the pooled coefficient's interval."""
        with self._store.read() as tx:
            self._access.coders(tx, coders)
            inputs = gather(tx, coders, unit, document_names(tx, where, documents), speech)
        found = interval_table(
            inputs.codings[["document", "coder", "code", "start", "end"]],
            inputs.units,
            list(coders),
            inputs.codes,
            inputs.kind,
            method=method,
            level=level,
            coefficients=[coefficient],
            draws=draws,
            seed=seed,
            min_share=min_share,
            documents=inputs.documents,
        )
        return found.drop(columns="coefficient")

    def _spans(
        self, coders: Sequence[str], documents: Sequence[str] | None, where: Where | None
    ) -> Spans:
        with self._store.read() as tx:
            self._access.coders(tx, coders)
            return gather_spans(tx, coders, document_names(tx, where, documents))

    def unitized(
        self,
        coders: Sequence[str],
        *,
        documents: Sequence[str] | None = None,
        where: Where | None = None,
    ) -> StretchReport:
        """Krippendorff's (2004) unitizing alpha, alpha_U, per code (the documents laid end to
        end as one continuum), per document and code, and pooled (plus `(binary)`: every
        code as one). Any number of coders; ATLAS.ti reports this family."""
        found = self._spans(coders, documents, where)
        tables = unitized_tables(found.spans, found.sizes, list(coders))
        return StretchReport.of("unitized", coders, found, tables)

    def character(
        self,
        coders: Sequence[str],
        *,
        documents: Sequence[str] | None = None,
        where: Where | None = None,
        average: Average = "size_weighted",
    ) -> StretchReport:
        """NVivo's coding comparison of two coders: per document and code, the characters
        both, one or neither coded, percentage agreement and kappa; per code and pooled,
        averaged by `average` (size_weighted, as NVivo's help advises; unweighted; pooled)."""
        found = self._spans(coders, documents, where)
        tables = character_tables(found.spans, found.sizes, list(coders), average=average)
        return StretchReport.of("character", coders, found, tables, average=average)

    def overlap(
        self,
        coders: Sequence[str],
        *,
        documents: Sequence[str] | None = None,
        where: Where | None = None,
        threshold: float = 0.9,
    ) -> StretchReport:
        """MAXQDA's segment agreement of two coders: segments of a code match when their
        overlap reaches `threshold` of their union; matched and unmatched segments with
        agreement, Dice and MAXQDA's kappa, per document and code, per code and pooled."""
        found = self._spans(coders, documents, where)
        tables = overlap_tables(
            found.spans, list(coders), threshold=threshold, documents=list(found.lengths)
        )
        return StretchReport.of("overlap", coders, found, tables, threshold=threshold)

    def confusion(
        self,
        coders: Sequence[str],
        *,
        documents: Sequence[str] | None = None,
        where: Where | None = None,
        count: Count = "segments",
    ) -> ConfusionReport:
        """Where the first coder applied code X, which codes the second applied: a code x code
        table over overlapping text, with `(none)` for text only one of them coded. `count`
        "segments" counts passages (one each, as a codebook meeting discusses them),
        "characters" counts characters."""
        found = self._spans(coders, documents, where)
        unit: Literal["segment", "character"] = "segment" if count == "segments" else "character"
        spans = found.spans[found.spans["document"].isin(list(found.lengths))]
        table = code_confusion(spans, list(coders), unit=unit, codes=found.codes)
        return ConfusionReport(
            coders=tuple(coders), documents=tuple(found.lengths), count=count, table=table
        )


def agreement(
    tx: Transaction,
    coders: Sequence[str],
    unit: Unit = "sentence",
    *,
    documents: Sequence[str] | None = None,
    min_share: float = 0.0,
    interval: Method | None = None,
    level: float = 0.95,
    draws: int = 1000,
    seed: int = 0,
    speech: Speech = "all",
) -> AgreementReport:
    inputs = gather(tx, coders, unit, documents, speech)
    codings = inputs.codings[["document", "coder", "code", "start", "end"]]
    tables = agreement_tables(
        codings,
        inputs.units,
        list(coders),
        inputs.codes,
        inputs.kind,
        min_share=min_share,
        documents=inputs.documents,
    )
    intervals = pd.DataFrame()
    if interval is not None:
        intervals = interval_table(
            codings,
            inputs.units,
            list(coders),
            inputs.codes,
            inputs.kind,
            method=interval,
            level=level,
            draws=draws,
            seed=seed,
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
        intervals=intervals,
        speech=speech,
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
