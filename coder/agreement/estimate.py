"""Result types: a float that can say why it is NaN, and a bootstrap interval with its bookkeeping.

Agreement statistics are often undefined (one category only, nothing to pair, one coder). A bare
NaN in a methods table invites the question "why?", so every coefficient returns an `Estimate`:
an ordinary float in arithmetic, comparisons, formatting and pandas, which also carries
`.reason` when, and only when, it is NaN.
"""

from __future__ import annotations

import math
from typing import Any, Self


class Estimate(float):
    """A float; when the statistic is undefined it is NaN and `reason` says why.

    >>> Estimate(0.5) + 1
    1.5
    >>> Estimate.undefined("no variation").reason
    'no variation'
    """

    __slots__ = ("reason",)
    reason: str | None

    def __new__(cls, value: float, reason: str | None = None) -> Self:
        obj = super().__new__(cls, value)
        # A reason on a real number would be noise; a NaN without one would be unexplained.
        obj.reason = reason if math.isnan(obj) else None
        if math.isnan(obj) and obj.reason is None:
            obj.reason = "undefined"
        return obj

    @classmethod
    def undefined(cls, reason: str) -> Estimate:
        """NaN with `reason`."""
        return cls(math.nan, reason)

    @property
    def defined(self) -> bool:
        return not math.isnan(self)

    def __repr__(self) -> str:
        if math.isnan(self):
            return f"Estimate(nan, reason={self.reason!r})"
        return float.__repr__(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (float(self), self.reason))


class _Bounds(tuple[float, float]):
    """An interval `(low, high)` that unpacks like a pair."""

    @property
    def low(self) -> float:
        return self[0]

    @property
    def high(self) -> float:
        return self[1]


class Interval(_Bounds):
    """A bootstrap percentile interval `(low, high)` that also reports how it was obtained.

    It unpacks like a pair (`low, high = bootstrap_ci(...)`). `draws` is the number of resamples
    asked for, `dropped` how many of them gave an undefined statistic and were left out of the
    percentiles, `level` the coverage, and `reason` says why the interval is NaN if it is.
    """

    draws: int
    dropped: int
    level: float
    reason: str | None

    def __new__(
        cls,
        low: float,
        high: float,
        *,
        draws: int,
        dropped: int,
        level: float,
        reason: str | None = None,
    ) -> Self:
        obj = super().__new__(cls, (float(low), float(high)))
        obj.draws = draws
        obj.dropped = dropped
        obj.level = level
        obj.reason = reason
        return obj

    def __repr__(self) -> str:
        text = (
            f"Interval(low={self[0]!r}, high={self[1]!r}, level={self.level!r}, "
            f"draws={self.draws}, dropped={self.dropped}"
        )
        return text + (f", reason={self.reason!r})" if self.reason else ")")

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            _rebuild_interval,
            (self[0], self[1], self.draws, self.dropped, self.level, self.reason),
        )


class AnalyticInterval(_Bounds):
    """An analytic confidence interval `(low, high)` with its standard error.

    It unpacks like a pair. `se` is the standard error, `level` the coverage, `units` the
    number of units behind the variance, and `reason` says why the interval is NaN if it is.
    """

    se: float
    level: float
    units: int
    reason: str | None

    def __new__(
        cls,
        low: float,
        high: float,
        *,
        se: float,
        level: float,
        units: int,
        reason: str | None = None,
    ) -> Self:
        obj = super().__new__(cls, (float(low), float(high)))
        obj.se = float(se)
        obj.level = level
        obj.units = units
        obj.reason = reason
        return obj

    def __repr__(self) -> str:
        text = (
            f"AnalyticInterval(low={self[0]!r}, high={self[1]!r}, se={self.se!r}, "
            f"level={self.level!r}, units={self.units}"
        )
        return text + (f", reason={self.reason!r})" if self.reason else ")")

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            _rebuild_analytic,
            (self[0], self[1], self.se, self.level, self.units, self.reason),
        )


def _rebuild_analytic(
    low: float, high: float, se: float, level: float, units: int, reason: str | None
) -> AnalyticInterval:
    return AnalyticInterval(low, high, se=se, level=level, units=units, reason=reason)


def _rebuild_interval(
    low: float, high: float, draws: int, dropped: int, level: float, reason: str | None
) -> Interval:
    return Interval(low, high, draws=draws, dropped=dropped, level=level, reason=reason)
