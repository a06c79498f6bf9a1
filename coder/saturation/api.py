"""`project.saturation`: new codes per successive interview, the cumulative curve, and Guest,
Namey & Chen's (2020) stopping rule for the chosen order and over many random orders.

    report = project.saturation.assess(order="date", level="themes")
    print(report.assessment.notation, report.spread.quantiles())
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from coder.access import Access
from coder.saturation import figure as drawing
from coder.saturation import gather, rule
from coder.saturation.gather import Items
from coder.saturation.rule import Assessment, Spread
from coder.storage import Store

__all__ = ["Saturation", "SaturationReport"]


@dataclass(frozen=True)
class SaturationReport:
    items: Items
    assessment: Assessment
    spread: Spread

    def table(self) -> pd.DataFrame:
        """One row per interview: position, document, order key, new, cumulative, and which."""
        seen: set[str] = set()
        firsts = []
        for found in self.items.found:
            firsts.append(sorted(found - seen))
            seen |= found
        return pd.DataFrame(
            {
                "interview": range(1, len(self.items.documents) + 1),
                "document": self.items.documents,
                "ordered by": self.items.keys,
                "new": self.assessment.new,
                "cumulative": self.assessment.cumulative,
                "first seen": ["; ".join(f) for f in firsts],
            }
        )

    def runs(self) -> pd.DataFrame:
        a = self.assessment
        return pd.DataFrame(
            {
                "run": [f"{r.first}-{r.last}" for r in a.runs],
                "new": [r.new for r in a.runs],
                "base": [a.base_total] * len(a.runs),
                "new information": [r.share for r in a.runs],
                "met": [r.share <= a.threshold for r in a.runs],
            }
        )

    def figure(self, fmt: str) -> bytes:
        return drawing.figure(self.assessment, fmt, level=self.items.level)


class Saturation:
    def __init__(self, store: Store, access: Access | None = None) -> None:
        self._store = store
        self._access = access or Access()

    def items(
        self, *, order: str = "imported", level: str = "codes", coder: str | None = None
    ) -> Items:
        """Interviews in `order` (imported, name, or a document attribute such as date), each
        with the codes (or, with level="themes", themes) found in it."""
        with self._store.read() as tx:
            coder = self._access.coder(tx, coder)
            return gather.items(tx, order=order, level=level, coder=coder)

    def assess(
        self,
        *,
        order: str = "imported",
        level: str = "codes",
        coder: str | None = None,
        base_size: int = rule.BASE_SIZE,
        run_length: int = rule.RUN_LENGTH,
        threshold: float = rule.THRESHOLD,
        orders: int = 1000,
        seed: int = 0,
    ) -> SaturationReport:
        rule.check(base_size, run_length, threshold)
        found = self.items(order=order, level=level, coder=coder)
        assessment = rule.assess(
            rule.new_per_item(found.found),
            base_size=base_size,
            run_length=run_length,
            threshold=threshold,
        )
        spread = rule.spread(
            found.found,
            orders=orders,
            seed=seed,
            base_size=base_size,
            run_length=run_length,
            threshold=threshold,
        )
        return SaturationReport(items=found, assessment=assessment, spread=spread)
