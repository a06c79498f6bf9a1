"""The saturation rule of Guest, Namey & Chen (2020), as pure functions on counts.

Guest G, Namey E, Chen M (2020). A simple method to assess and report thematic saturation in
qualitative research. PLOS ONE 15(5): e0232076.

- The *base* is the first `base_size` interviews; the themes (or codes) found in them are the
  denominator of every ratio.
- A *run* is `run_length` consecutive interviews after the base. The first run starts right
  after the base; each next run starts one interview later.
- A run's *new information* is the number of themes first seen in it, over the base's count.
- Saturation is reached at the first run whose new information is at or below the
  threshold (5% by default, compared exactly, never rounded), and reported as "N+R": N
  interviews, confirmed by the R of the run. A 0% threshold asks for a run with no new theme.

Nothing here reads a project: inputs are sequences of sets or of counts.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from coder.errors import UsageError

BASE_SIZE = 4
RUN_LENGTH = 2
THRESHOLD = 0.05


@dataclass(frozen=True)
class Run:
    """Interviews `first`..`last` (1-based, inclusive) and the themes first seen in them."""

    first: int
    last: int
    new: int
    share: float


@dataclass(frozen=True)
class Assessment:
    base_size: int
    run_length: int
    threshold: float
    new: tuple[int, ...]
    base_total: int
    runs: tuple[Run, ...]
    reached_at: int | None

    @property
    def notation(self) -> str | None:
        """ "N+R" as Guest et al. report it, or None when no run met the threshold."""
        return None if self.reached_at is None else f"{self.reached_at}+{self.run_length}"

    @property
    def cumulative(self) -> tuple[int, ...]:
        return tuple(int(x) for x in np.cumsum(self.new))

    @property
    def total(self) -> int:
        return int(sum(self.new))


def new_per_item(items: Iterable[Iterable[Hashable]]) -> list[int]:
    """How many themes each successive interview adds: those not seen in any before it."""
    seen: set[Hashable] = set()
    counts = []
    for item in items:
        found = set(item) - seen
        counts.append(len(found))
        seen |= found
    return counts


def check(base_size: int, run_length: int, threshold: float) -> None:
    if base_size < 1:
        raise UsageError("the base size counts interviews: 1 or more (Guest et al. use 4)")
    if run_length < 1:
        raise UsageError("the run length counts interviews: 1 or more (Guest et al. use 2 or 3)")
    if not 0 <= threshold < 1:
        raise UsageError(
            f"the new-information threshold is a share between 0 and 1 (0.05 for 5%), "
            f"not {threshold!r}"
        )


def assess(
    new: Sequence[int],
    *,
    base_size: int = BASE_SIZE,
    run_length: int = RUN_LENGTH,
    threshold: float = THRESHOLD,
) -> Assessment:
    """Apply the rule to the number of new themes per interview, in the order interviewed."""
    check(base_size, run_length, threshold)
    counts = tuple(int(n) for n in new)
    if any(n < 0 for n in counts):
        raise UsageError("new themes per interview cannot be negative")
    base_total = sum(counts[:base_size])
    runs: list[Run] = []
    reached: int | None = None
    if len(counts) >= base_size + run_length and base_total > 0:
        for start in range(base_size, len(counts) - run_length + 1):
            added = sum(counts[start : start + run_length])
            run = Run(start + 1, start + run_length, added, added / base_total)
            runs.append(run)
            if reached is None and run.share <= threshold:
                reached = start
    return Assessment(
        base_size=base_size,
        run_length=run_length,
        threshold=threshold,
        new=counts,
        base_total=base_total,
        runs=tuple(runs),
        reached_at=reached,
    )


@dataclass(frozen=True)
class Spread:
    """Where saturation falls over `orders` random orders of the same interviews."""

    orders: int
    seed: int
    reached: tuple[int | None, ...]

    @property
    def not_reached(self) -> int:
        return sum(1 for r in self.reached if r is None)

    def quantiles(self) -> dict[str, float] | None:
        """Minimum, quartiles, median and maximum of N over the orders that reached saturation."""
        values = np.array([r for r in self.reached if r is not None], dtype=float)
        if values.size == 0:
            return None
        q = np.quantile(values, [0.0, 0.25, 0.5, 0.75, 1.0])
        return dict(zip(("min", "q1", "median", "q3", "max"), (float(v) for v in q), strict=True))

    def counts(self) -> dict[int | None, int]:
        """How many orders reached saturation at each N (None: never)."""
        tally: dict[int | None, int] = {}
        for r in self.reached:
            tally[r] = tally.get(r, 0) + 1
        return dict(sorted(tally.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)))


def spread(
    items: Sequence[Iterable[Hashable]],
    *,
    orders: int = 1000,
    seed: int = 0,
    base_size: int = BASE_SIZE,
    run_length: int = RUN_LENGTH,
    threshold: float = THRESHOLD,
) -> Spread:
    """The rule over `orders` random permutations of the interviews (a seeded NumPy generator,
    so the same call gives the same answer): the answer depends on order, and this shows how
    much."""
    check(base_size, run_length, threshold)
    if orders < 1:
        raise UsageError("--orders counts random orders: 1 or more")
    sets = [frozenset(item) for item in items]
    rng = np.random.default_rng(seed)
    reached = []
    for _ in range(orders):
        order = rng.permutation(len(sets))
        new = new_per_item(sets[i] for i in order)
        result = assess(new, base_size=base_size, run_length=run_length, threshold=threshold)
        reached.append(result.reached_at)
    return Spread(orders=orders, seed=seed, reached=tuple(reached))
