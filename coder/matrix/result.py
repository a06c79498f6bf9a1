"""A matrix as the API returns it: the table, and what its numbers count."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from coder.matrix.measures import Scope

Kind = Literal["matrix", "cooccurrence"]


@dataclass(frozen=True)
class Matrix:
    """`frame` holds the numbers: code paths as its index; for a matrix, the groups as its
    columns (two levels when split), maybe a Total row and column, and the EVIDENCE column;
    for co-occurrence, codes as its columns. The other fields say what was counted, so that
    every export can say it too."""

    frame: pd.DataFrame
    kind: Kind
    measure: str
    by: str | None = None  # the attribute whose values are the columns (matrices)
    split: str | None = None  # the second attribute, under each value of `by`
    scope: Scope | None = None  # whether the groups hold documents or participants
    totals: bool = False
    level: str | None = None  # which codes are rows (see coder/matrix/rows.py)
    coder: str | None = None  # whose codings; None: the consensus where there is one
    unit: str | None = None  # what one segment is (measure segments), or where codes meet
    min_groups: int | None = None
    left_out: int = 0  # documents or participants with no value for `by` or `split`
    where: str | None = None  # the filters it was computed under, as the caption says them
    # For each column (by position): documents and participants in the group.
    sizes: Mapping[int, tuple[int, int]] = field(default_factory=dict)

    @property
    def is_cooccurrence(self) -> bool:
        return self.kind == "cooccurrence"

    def settings(self) -> dict[str, str | int | None]:
        """The choices behind the numbers, as exports list them: level, coder, and for a
        matrix its unit and min_groups."""
        chosen: dict[str, str | int | None] = {"level": self.level, "coder": self.coder}
        if self.where:
            chosen["where"] = self.where
        if not self.is_cooccurrence:
            chosen.update(unit=self.unit, min_groups=self.min_groups)
        return chosen

    def group_size(self, column: int) -> tuple[str, int] | None:
        """("participants", n) or ("documents", n) for a column's label: participants where
        the measure counts people or the groups are participants, else documents."""
        if column not in self.sizes:
            return None
        documents, participants = self.sizes[column]
        if self.measure in ("participants", "share") or self.scope == "participant":
            return ("participants", participants)
        return ("documents", documents)
