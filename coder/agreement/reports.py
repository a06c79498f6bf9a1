"""What `project.agreement` returns: the tables of each measure, with the settings behind them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from coder.agreement.character import How

if TYPE_CHECKING:
    from coder.agreement.gather import Spans, Speech, Unit

By = Literal["code", "document", "pooled"]
BYS: tuple[By, ...] = ("code", "document", "pooled")
# Agreement on coded stretches, without units cut in advance, as three other tools compute it.
Measure = Literal["unitized", "character", "overlap"]
MEASURES: tuple[Measure, ...] = ("unitized", "character", "overlap")
Average = How  # how NVivo's per-document kappas are averaged
Count = Literal["segments", "characters"]
COUNTS: tuple[Count, ...] = ("segments", "characters")


class _Tables:
    """The three tables of a report, by what a row is."""

    per_code: pd.DataFrame
    per_document: pd.DataFrame
    pooled: pd.DataFrame

    def table(self, by: By) -> pd.DataFrame:
        return {"code": self.per_code, "document": self.per_document, "pooled": self.pooled}[by]


@dataclass(frozen=True)
class AgreementReport(_Tables):
    """The coefficient tables on units cut in advance (see `units.agreement_table`), and,
    when asked for, their intervals (see `intervals.interval_table`)."""

    unit: Unit
    coders: tuple[str, ...]
    documents: tuple[str, ...]
    per_code: pd.DataFrame
    per_document: pd.DataFrame
    pooled: pd.DataFrame
    intervals: pd.DataFrame = field(default_factory=pd.DataFrame)
    speech: Speech = "all"  # "participants": units inside the interviewer's turns left out


@dataclass(frozen=True)
class StretchReport(_Tables):
    """A stretch-based measure per code, per document x code and pooled, with its counts
    (see `stretch_tables`). `threshold` (overlap) and `average` (character) say how it was
    computed."""

    measure: Measure
    coders: tuple[str, ...]
    documents: tuple[str, ...]
    per_code: pd.DataFrame
    per_document: pd.DataFrame
    pooled: pd.DataFrame
    threshold: float | None = None
    average: Average | None = None

    @classmethod
    def of(
        cls,
        measure: Measure,
        coders: Sequence[str],
        found: Spans,
        tables: dict[str, pd.DataFrame],
        *,
        threshold: float | None = None,
        average: Average | None = None,
    ) -> StretchReport:
        return cls(
            measure=measure,
            coders=tuple(coders),
            documents=tuple(found.lengths),
            per_code=tables["code"],
            per_document=tables["document"],
            pooled=tables["pooled"],
            threshold=threshold,
            average=average,
        )


@dataclass(frozen=True)
class ConfusionReport:
    """`table`: the first coder's codes (rows) against the second's (columns), see
    `confusion.code_confusion`."""

    coders: tuple[str, ...]
    documents: tuple[str, ...]
    count: Count
    table: pd.DataFrame

    def pairs(self) -> pd.DataFrame:
        """Every non-zero cell as a row (columns: the two coders, `count`, `same`), the
        differing pairs first, largest first: the agenda of a codebook meeting."""
        a, b = self.coders
        counts = self.table.to_numpy()
        rows, columns = np.nonzero(counts)
        out = pd.DataFrame(
            {
                a: pd.Series(self.table.index[rows], dtype=object),
                b: pd.Series(self.table.columns[columns], dtype=object),
                self.count: counts[rows, columns],
            }
        )
        out["same"] = out[a] == out[b]
        return out.sort_values(
            ["same", self.count, a, b], ascending=[True, False, True, True], kind="stable"
        ).reset_index(drop=True)
