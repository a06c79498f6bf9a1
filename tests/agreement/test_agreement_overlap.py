"""Segment-overlap agreement as MAXQDA defines it, and code confusion, against slow references.

Source for the coefficients: MAXQDA's manual, "Intercoder agreement" (segment level, with a
minimum overlap of the coded segments): matches a, segments of one coder only b and c,
percentage of agreement P_observed = a / (a + b + c), and kappa after Brennan and Prediger
(1981) with P_chance = 1 / (number of codes in the comparison), kappa = (P_observed - P_chance)
/ (1 - P_chance). The worked example below is built by hand from those definitions; random cases
are checked against segments and pairings enumerated per character (agreement_spans.py).
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from agreement_spans import CODES, LENGTHS, marks, segments, slow_pairs, spans
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coder.agreement import code_confusion, overlap_agreement
from coder.errors import UsageError

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
COLUMNS = ["coder", "document", "code", "start", "end"]


def worked_example() -> pd.DataFrame:
    """Two interviews, three codes. In int1, both coders code [0, 100) 'cost' (a match), Kim
    codes [200, 300) 'cost' where Lee's 'cost' is [200, 250) (overlap 50 of union 100: no
    match at 90%), Lee codes [400, 500) 'time' alone; in int2 both code [0, 50) 'trust' and
    Kim's two touching 'trust' codings [100, 120) and [120, 150) are one segment matching
    Lee's [100, 148) (48 of 50 = 96%)."""
    rows = [
        ("kim", "int1", "cost", 0, 100), ("lee", "int1", "cost", 0, 100),
        ("kim", "int1", "cost", 200, 300), ("lee", "int1", "cost", 200, 250),
        ("lee", "int1", "time", 400, 500),
        ("kim", "int2", "trust", 0, 50), ("lee", "int2", "trust", 0, 50),
        ("kim", "int2", "trust", 100, 120), ("kim", "int2", "trust", 120, 150),
        ("lee", "int2", "trust", 100, 148),
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=COLUMNS)


def test_worked_example_pooled() -> None:
    row = overlap_agreement(worked_example(), ("kim", "lee"), by="pooled").iloc[0]
    a, b, c = 3, 1, 2  # matches; Kim's [200, 300); Lee's [200, 250) and [400, 500)
    assert (row["matched"], row["a_only"], row["b_only"]) == (a, b, c)
    assert (row["segments_a"], row["segments_b"]) == (4, 5)
    assert row["agreement"] == pytest.approx(a / (a + b + c))
    assert row["dice"] == pytest.approx(2 * a / (2 * a + b + c))
    p_chance = 1 / 3  # three codes in the comparison
    assert row["kappa"] == pytest.approx((a / (a + b + c) - p_chance) / (1 - p_chance))
    assert row["n_codes"] == 3


def test_worked_example_by_code_and_document() -> None:
    by_code = overlap_agreement(worked_example(), ("kim", "lee"), by="code").set_index("code")
    assert by_code.loc["cost", ["matched", "a_only", "b_only"]].tolist() == [1, 1, 1]
    assert by_code.loc["time", ["matched", "a_only", "b_only"]].tolist() == [0, 0, 1]
    assert by_code.loc["trust", "agreement"] == 1.0
    by_doc = overlap_agreement(worked_example(), ("kim", "lee"))
    assert by_doc[["document", "code"]].values.tolist() == [
        ["int1", "cost"], ["int1", "time"], ["int2", "trust"]
    ]  # fmt: skip
    looser = overlap_agreement(worked_example(), ("kim", "lee"), threshold=0.5, by="pooled")
    assert looser.loc[0, "matched"] == 4  # 50 / 100 reaches a 50% threshold


@FAST
@given(spans(), st.sampled_from([0.3, 0.6, 0.9, 1.0]))
def test_counts_match_a_slow_reference(table: pd.DataFrame, threshold: float) -> None:
    result = overlap_agreement(table, ("A", "B"), threshold=threshold, codes=CODES)
    got = {
        (r.document, r.code): (r.segments_a, r.segments_b, r.matched) for r in result.itertuples()
    }
    for document, code in itertools.product(LENGTHS, CODES):
        a = segments(marks(table, "A", document, code, LENGTHS[document]))
        b = segments(marks(table, "B", document, code, LENGTHS[document]))
        expected = (len(a), len(b), slow_pairs(a, b, threshold))
        assert got.get((document, code), (0, 0, 0)) == expected


@FAST
@given(spans())
def test_coder_order_swaps_the_one_sided_counts(table: pd.DataFrame) -> None:
    forward = overlap_agreement(table, ("A", "B"), by="pooled", codes=CODES)
    backward = overlap_agreement(table, ("B", "A"), by="pooled", codes=CODES)
    assert forward.loc[0, "a_only"] == backward.loc[0, "b_only"]
    assert forward.loc[0, "matched"] == backward.loc[0, "matched"]
    assert np.isclose(forward.loc[0, "agreement"], backward.loc[0, "agreement"], equal_nan=True)


@FAST
@given(spans(), st.permutations(CODES))
def test_relabelling_codes_keeps_the_pooled_counts(table: pd.DataFrame, names: list[str]) -> None:
    renamed = table.assign(code=table["code"].map(dict(zip(CODES, names, strict=True))))
    before = overlap_agreement(table, ("A", "B"), by="pooled", codes=CODES)
    after = overlap_agreement(renamed, ("A", "B"), by="pooled", codes=names)
    pd.testing.assert_frame_equal(before, after)


@FAST
@given(spans(lengths={"d1": 60}))
def test_splitting_a_document_between_segments_keeps_the_pooled_counts(
    table: pd.DataFrame,
) -> None:
    """Cut d1 into two documents at a point no coding crosses (or starts or ends at)."""
    inside = set()
    for row in table.itertuples(index=False):
        inside.update(range(row.start, row.end + 1))
    free = [p for p in range(1, 60) if p not in inside]
    if not free:
        return
    cut = free[len(free) // 2]
    moved = table.assign(
        document=np.where(table["start"] >= cut, "right", "left"),
        start=np.where(table["start"] >= cut, table["start"] - cut, table["start"]),
        end=np.where(table["start"] >= cut, table["end"] - cut, table["end"]),
    )
    whole = overlap_agreement(table, ("A", "B"), by="pooled", codes=CODES)
    halves = overlap_agreement(moved, ("A", "B"), by="pooled", codes=CODES)
    pd.testing.assert_frame_equal(whole, halves)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"threshold": 0}, "threshold"),
        ({"threshold": 1.5}, "threshold"),
        ({"by": "coder"}, "by must be"),
    ],
)
def test_bad_options_are_clear_errors(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        overlap_agreement(worked_example(), ("kim", "lee"), **kwargs)  # type: ignore[arg-type]


def test_one_code_has_no_chance_correction() -> None:
    table = worked_example()
    only = overlap_agreement(table[table["code"] == "cost"], ("kim", "lee"), by="pooled")
    assert np.isnan(only.loc[0, "kappa"]) and "two or more codes" in only.loc[0, "notes"]


# -- code confusion ---------------------------------------------------------------------------


@FAST
@given(spans())
def test_confusion_in_characters_matches_per_character_arrays(table: pd.DataFrame) -> None:
    result = code_confusion(table, ("A", "B"), codes=CODES)
    expected = pd.DataFrame(0, index=[*CODES, "(none)"], columns=[*CODES, "(none)"])
    for document, length in LENGTHS.items():
        a = {c: marks(table, "A", document, c, length) for c in CODES}
        b = {c: marks(table, "B", document, c, length) for c in CODES}
        a["(none)"] = ~np.any([a[c] for c in CODES], axis=0)
        b["(none)"] = ~np.any([b[c] for c in CODES], axis=0)
        for x, y in itertools.product(a, b):
            if (x, y) != ("(none)", "(none)"):  # text nobody coded is not a confusion
                expected.loc[x, y] += int((a[x] & b[y]).sum())
    assert (result.to_numpy() == expected.to_numpy()).all()


@FAST
@given(spans())
def test_confusion_in_segments_matches_enumerated_segments(table: pd.DataFrame) -> None:
    result = code_confusion(table, ("A", "B"), unit="segment", codes=CODES)
    expected = pd.DataFrame(0, index=[*CODES, "(none)"], columns=[*CODES, "(none)"])
    for document, length in LENGTHS.items():
        a = {c: marks(table, "A", document, c, length) for c in CODES}
        b = {c: marks(table, "B", document, c, length) for c in CODES}
        any_a, any_b = np.any(list(a.values()), axis=0), np.any(list(b.values()), axis=0)
        for x in CODES:
            for lo, hi in segments(a[x]):
                for y in CODES:
                    expected.loc[x, y] += int(b[y][lo:hi].any())
                expected.loc[x, "(none)"] += int(not any_b[lo:hi].any())
        for y in CODES:
            for lo, hi in segments(b[y]):
                expected.loc["(none)", y] += int(not any_a[lo:hi].any())
    assert (result.to_numpy() == expected.to_numpy()).all()


@FAST
@given(spans())
def test_confusion_with_the_coders_swapped_is_transposed(table: pd.DataFrame) -> None:
    forward = code_confusion(table, ("A", "B"), codes=CODES)
    backward = code_confusion(table, ("B", "A"), codes=CODES)
    assert (forward.to_numpy() == backward.to_numpy().T).all()
    assert (forward.index.name, forward.columns.name) == ("A", "B")
