"""The methods report: facts read through the features' facades (the same calls as `coder
info`, `coder documents`, `coder agree`, `coder reconcile`, `coder matrix`, `coder exemplars`,
`coder saturation` and `coder log`), then written as prose and tables in the reference
studies' style."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from coder import model
from coder.agreement.api import Agreement, AgreementReport, per_code_view
from coder.codebook.tree import CodeTree
from coder.matrix.api import Matrices
from coder.matrix.exemplars import Exemplars
from coder.reconcile.api import Reconciliation
from coder.reports import corpus as corpora
from coder.reports import history as histories
from coder.saturation.api import SaturationReport


@dataclass(frozen=True)
class DoubleCoding:
    coders: tuple[str, ...]
    report: AgreementReport
    intervals: pd.DataFrame  # code, low, high, draws, dropped (Cohen's kappa)
    coded_by: dict[str, tuple[str, ...]]  # coder -> documents with their codings


@dataclass(frozen=True)
class Reconciling:
    decisions: pd.DataFrame  # as project.reconcile.decisions()
    pending: int
    accepted: int  # agreed passages accepted into the consensus
    consensus_documents: tuple[str, ...]


@dataclass(frozen=True)
class Themes:
    matrix: pd.DataFrame
    by: str
    split: str | None
    measure: str
    min_groups: int
    exemplars: Exemplars | None


@dataclass(frozen=True)
class Facts:
    title: str
    corpus: corpora.Corpus
    tree: CodeTree
    history: histories.CodebookHistory
    double: DoubleCoding | None
    reconciling: Reconciling | None
    themes: Themes | None
    saturation: SaturationReport | None
    events: tuple[model.Event, ...]  # oldest first
    coded_by: dict[str, tuple[str, ...]]
    roles: dict[str, str]
    version: str


def coders_of(tx_codings: pd.DataFrame, names: dict[int, str]) -> dict[str, tuple[str, ...]]:
    """Each coder's documents, from codings that count (suggestions do not)."""
    counted = tx_codings[~tx_codings["origin"].isin(["suggested", "rejected"])]
    out: dict[str, tuple[str, ...]] = {}
    for coder, group in counted.groupby("coder"):
        out[str(coder)] = tuple(sorted(names[int(d)] for d in set(group["document_id"])))
    return out


def double_coding(
    agreement: Agreement,
    coded_by: dict[str, tuple[str, ...]],
    roles: dict[str, str],
    unit: str,
    draws: int,
) -> DoubleCoding | None:
    """The two coders (of role coder or lead, not the consensus) who share the most documents."""
    coders = [c for c in coded_by if roles.get(c) != "consensus"]
    best: tuple[int, tuple[str, str]] | None = None
    for i, a in enumerate(coders):
        for b in coders[i + 1 :]:
            shared = len(set(coded_by[a]) & set(coded_by[b]))
            if shared and (best is None or shared > best[0]):
                best = (shared, (a, b))
    if best is None:
        return None
    pair = best[1]
    report = agreement.report(pair, unit)  # type: ignore[arg-type]
    bounds = agreement.intervals(pair, unit, documents=report.documents, draws=draws)  # type: ignore[arg-type]
    return DoubleCoding(pair, report, bounds, {c: coded_by[c] for c in pair})


def reconciling(
    reconcile: Reconciliation,
    double: DoubleCoding | None,
    events: list[model.Event],
    names: dict[int, str],
    consensus: tuple[str, ...],
) -> Reconciling | None:
    """Decisions taken, and the disagreements still to decide in the documents whose
    reconciliation has begun (those with a decision or a consensus coding)."""
    decisions = reconcile.decisions()
    accepted = sum(int(e.data.get("accepted", 0)) for e in events if e.action == "reconcile.accept")
    started = sorted({names[int(d)] for d in decisions["document_id"]} | set(consensus))
    if not started:
        return None
    pending = 0
    if double is not None:
        begun = [d for d in started if d in double.report.documents]
        pending = len(reconcile.pending(double.coders, documents=begun)) if begun else 0
    return Reconciling(decisions, pending, accepted, tuple(started))


def themes(
    matrices: Matrices, by: str, split: str | None, min_groups: int, template: str
) -> Themes:
    frame = matrices.matrix(by, measure="participants", level="themes", min_groups=0).frame
    exemplars = matrices.exemplars(by, level="themes", per_cell=1, template=template)
    return Themes(frame, by, split, "participants", min_groups, exemplars)


def agreement_table(double: DoubleCoding) -> pd.DataFrame:
    view = per_code_view(double.report)
    bounds = double.intervals.set_index("code")
    view = view.assign(
        **{
            "kappa 95% CI": [
                _interval(bounds.loc[c, "low"], bounds.loc[c, "high"]) if c in bounds.index else ""
                for c in view["code"]
            ]
        }
    )
    keep = ["code", "units", *double.coders, "both", "agree", "kappa", "kappa 95% CI", "alpha"]
    return view[[c for c in keep if c in view.columns]].reset_index(drop=True)


def _interval(low: Any, high: Any) -> str:
    if pd.isna(low) or pd.isna(high):
        return "–"
    return f"{low:.2f} to {high:.2f}"
