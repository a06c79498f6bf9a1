"""The stopping rule of Guest, Namey & Chen (2020), checked against the paper's worked example
and against counts worked out by hand from the rule's definition."""

from __future__ import annotations

import numpy as np
import pytest

from coder.errors import UsageError
from coder.saturation.rule import assess, new_per_item, spread


@pytest.mark.parametrize("base", [(20, 8, 5, 4), (25, 6, 4, 2), (37, 0, 0, 0)])
@pytest.mark.parametrize("run", [(7, 0), (4, 3), (0, 7)])
def test_the_published_worked_example(base: tuple[int, ...], run: tuple[int, ...]) -> None:
    """Guest, Namey & Chen (2020), PLOS ONE 15(5): e0232076, worked example with a base of 4
    interviews and runs of 2: the base (interviews 1-4) holds 37 unique themes; the first run
    (interviews 5 and 6) adds 7 new themes, 7/37 = 19% new information, so saturation at
    <=5% is not reached there. Only those sums are given for these interviews, so every split
    of them must give the same answer."""
    result = assess([*base, *run, 0, 0], base_size=4, run_length=2, threshold=0.05)
    assert result.base_total == 37
    first = result.runs[0]
    assert (first.first, first.last, first.new) == (5, 6, 7)
    assert round(100 * first.share) == 19
    assert first.share > 0.05
    assert result.reached_at != 4


def test_runs_slide_by_one_interview_and_the_first_run_at_or_below_the_threshold_decides() -> None:
    # base 20; runs 5-6: 3 (15%), 6-7: 2 (10%), 7-8: 1 (5% exactly: met, <= is inclusive)
    result = assess([10, 5, 3, 2, 1, 2, 0, 1, 0, 0], base_size=4, run_length=2, threshold=0.05)
    assert result.base_total == 20
    assert [(r.first, r.last, r.new) for r in result.runs] == [
        (5, 6, 3),
        (6, 7, 2),
        (7, 8, 1),
        (8, 9, 1),
        (9, 10, 0),
    ]
    assert [r.share for r in result.runs] == [0.15, 0.10, 0.05, 0.05, 0.0]
    assert result.reached_at == 6
    assert result.notation == "6+2"
    # At 0% a run must add nothing: 9-10 is the first.
    assert assess(result.new, threshold=0.0).notation == "8+2"
    # Runs of three: 5-7 adds 3 (15%), 6-8 adds 3, 7-9 adds 1 (5%).
    assert assess(result.new, run_length=3).notation == "6+3"


def test_a_share_just_above_the_threshold_is_not_rounded_down() -> None:
    # 2 new of 37 is 5.4%: reported as "5%" when rounded, but it is above the threshold.
    result = assess([20, 8, 5, 4, 2, 0, 3, 3], base_size=4, run_length=2)
    assert result.runs[0].share == pytest.approx(2 / 37)
    assert result.reached_at is None


def test_too_few_interviews_or_an_empty_base_reach_nothing() -> None:
    assert assess([5, 1, 0, 0, 0]).runs == ()  # 4 + 2 interviews are needed
    assert assess([0, 0, 0, 0, 3, 0, 0]).reached_at is None  # no base to compare with


def test_new_per_item_counts_first_appearances_only() -> None:
    assert new_per_item([{"a", "b"}, {"b"}, {"c", "a"}, set(), {"d", "c", "e"}]) == [2, 0, 1, 0, 2]


def test_the_spread_over_random_orders_is_seeded_and_is_the_rule_on_each_permutation() -> None:
    items = [{"a", "b", "c"}, {"a"}, {"d"}, {"b", "e"}, {"a"}, {"c"}, {"f"}, set(), {"a"}]
    first = spread(items, orders=50, seed=3)
    assert first == spread(items, orders=50, seed=3)
    rng = np.random.default_rng(3)
    expected = []
    for _ in range(50):
        order = rng.permutation(len(items))
        seen: set[str] = set()
        new = []
        for i in order:
            new.append(len(items[i] - seen))
            seen |= items[i]
        base = sum(new[:4])
        reached = None
        for start in range(4, len(new) - 1):
            if base and (new[start] + new[start + 1]) / base <= 0.05:
                reached = start
                break
        expected.append(reached)
    assert list(first.reached) == expected
    assert sum(first.counts().values()) == 50


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"base_size": 0}, "base size"),
        ({"run_length": 0}, "run length"),
        ({"threshold": 5}, "between 0 and 1"),
    ],
)
def test_bad_parameters_are_refused_in_words(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        assess([1, 2, 3, 4, 5, 6], **kwargs)  # type: ignore[arg-type]
