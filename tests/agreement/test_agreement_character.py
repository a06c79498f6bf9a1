"""Character agreement the way NVivo's coding comparison reports it.

Source: NVivo's help, "Run a Coding Comparison query" (NVivo 10/11 for Windows; the same text
in later versions), sections "How is the percentage agreement calculated?", "How is the Kappa
coefficient calculated?" and "All my Kappa coefficients are 0 or 1". Its worked example: a
document of 1000 characters, 50 coded by both users, 150 by only one of them, 800 by neither:
percentage agreement (800 + 50) / 1000 = 85%. Kappa: sum EF = (A's coded x B's coded + A's
uncoded x B's uncoded) / TU, K = (TA - sum EF) / (TU - sum EF). The help does not split the 150
characters between the users; below they are 100 (A) and 50 (B). Random cases are checked
against scikit-learn's Cohen's kappa on per-character arrays.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from agreement_spans import LENGTHS, marks, spans
from hypothesis import HealthCheck, given, settings
from sklearn.metrics import cohen_kappa_score

from coder.agreement import aggregate_kappa, character_agreement
from coder.errors import UsageError

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
COLUMNS = ["coder", "document", "code", "start", "end"]


def nvivo_example() -> pd.DataFrame:
    return pd.DataFrame(
        [("ann", "memo", "trust", 0, 150), ("bo", "memo", "trust", 100, 200)], columns=COLUMNS
    )


def test_nvivo_help_worked_example() -> None:
    row = character_agreement(nvivo_example(), {"memo": 1000}, ("ann", "bo")).iloc[0]
    assert (row["length"], row["both"], row["a_only"], row["b_only"], row["neither"]) == (
        1000, 50, 100, 50, 800
    )  # fmt: skip
    assert row["pa"] == pytest.approx(0.85)  # (800 + 50) / 1000
    ef = 150 * 100 / 1000 + 850 * 900 / 1000  # EF1 + EF2
    assert row["kappa"] == pytest.approx((850 - ef) / (1000 - ef))
    assert row["kappa"] == pytest.approx(70 / 220)


def test_nvivo_reports_one_or_zero_where_kappa_is_undefined() -> None:
    """'All my Kappa coefficients are 0 or 1': 1 where neither user coded the node in the
    source, 0 where only one of them coded it."""
    coded = pd.DataFrame(
        [
            ("ann", "a", "trust", 0, 10),
            ("ann", "b", "trust", 0, 4),
            ("ann", "d", "trust", 0, 10),
            ("bo", "d", "trust", 0, 10),
        ],
        columns=COLUMNS,
    )
    table = character_agreement(coded, {"a": 10, "b": 10, "c": 10, "d": 10}, ("ann", "bo"))
    by_doc = table.set_index("document")
    assert by_doc.loc["c", "kappa"] == 1.0 and "neither" in by_doc.loc["c", "note"]
    assert by_doc.loc["a", "kappa"] == 0.0 and by_doc.loc["a", "note"] == ""
    assert by_doc.loc["b", "kappa"] == 0.0 and by_doc.loc["b", "note"] == ""
    assert by_doc.loc["d", "kappa"] == 1.0 and "whole document" in by_doc.loc["d", "note"]


@FAST
@given(spans())
def test_matches_sklearn_per_character(table: pd.DataFrame) -> None:
    result = character_agreement(table, LENGTHS, ("A", "B"), codes=["x", "y", "z"])
    assert len(result) == 3 * len(LENGTHS)
    for row in result.itertuples():
        a = marks(table, "A", row.document, row.code, row.length)
        b = marks(table, "B", row.document, row.code, row.length)
        assert (row.both, row.a_only, row.b_only) == (
            int((a & b).sum()), int((a & ~b).sum()), int((~a & b).sum())
        )  # fmt: skip
        assert row.pa == pytest.approx(float((a == b).mean()))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reference = cohen_kappa_score(a, b)
        if np.isnan(reference):  # 0/0: both sides coded nothing, or both everything
            assert (a == b).all() and row.kappa == 1.0
        else:
            assert row.kappa == pytest.approx(reference, abs=1e-12)


@FAST
@given(spans())
def test_coder_order_swaps_only_the_one_sided_counts(table: pd.DataFrame) -> None:
    forward = character_agreement(table, LENGTHS, ("A", "B"), codes=["x", "y", "z"])
    backward = character_agreement(table, LENGTHS, ("B", "A"), codes=["x", "y", "z"])
    assert (forward["a_only"] == backward["b_only"]).all()
    assert (forward["both"] == backward["both"]).all()
    assert np.allclose(forward["kappa"], backward["kappa"])


@FAST
@given(spans(lengths={"d1": 60}))
def test_splitting_a_document_keeps_the_pooled_counts(table: pd.DataFrame) -> None:
    """Cut d1 at character 30 into two documents: pooled kappa and pa do not change."""
    pieces = []
    for row in table.itertuples(index=False):
        if row.start < 30:
            pieces.append((row.coder, "left", row.code, row.start, min(row.end, 30)))
        if row.end > 30:
            pieces.append((row.coder, "right", row.code, max(row.start, 30) - 30, row.end - 30))
    split = pd.DataFrame(pieces, columns=COLUMNS)
    whole = character_agreement(table, {"d1": 60}, ("A", "B"), codes=["x", "y", "z"])
    halves = character_agreement(
        split, {"left": 30, "right": 30}, ("A", "B"), codes=["x", "y", "z"]
    )
    pooled_whole = aggregate_kappa(whole, "pooled")
    pooled_halves = aggregate_kappa(halves, "pooled")
    assert np.allclose(pooled_whole[["kappa", "pa"]], pooled_halves[["kappa", "pa"]])
    assert (pooled_whole["length"] == pooled_halves["length"]).all()


def test_aggregates_three_ways() -> None:
    coded = pd.concat(
        [
            nvivo_example(),
            pd.DataFrame(
                [("ann", "short", "trust", 0, 10), ("bo", "short", "trust", 0, 5)], columns=COLUMNS
            ),
        ]
    )
    table = character_agreement(coded, {"memo": 1000, "short": 20}, ("ann", "bo"))
    kappas = table.set_index("document")["kappa"]
    short = kappas["short"]
    assert short == pytest.approx(0.5)  # 5 both, 5 ann only, 10 neither: (15 - 10) / (20 - 10)
    weighted = aggregate_kappa(table, "size_weighted").loc["trust", "kappa"]
    assert weighted == pytest.approx((kappas["memo"] * 1000 + short * 20) / 1020)
    assert aggregate_kappa(table, "unweighted").loc["trust", "kappa"] == pytest.approx(
        (kappas["memo"] + short) / 2
    )
    a = np.r_[np.arange(1000) < 150, np.arange(20) < 10]
    b = np.r_[(np.arange(1000) >= 100) & (np.arange(1000) < 200), np.arange(20) < 5]
    assert aggregate_kappa(table, "pooled").loc["trust", "kappa"] == pytest.approx(
        cohen_kappa_score(a, b)
    )
    overall = aggregate_kappa(table, "pooled", by=None)
    assert list(overall.index) == ["all"] and overall.loc["all", "rows"] == 2


def test_groups_of_coders_count_together() -> None:
    """NVivo compares user groups: text is coded by a group when any member coded it."""
    coded = pd.DataFrame(
        [("ann", "d", "x", 0, 10), ("cy", "d", "x", 10, 20), ("bo", "d", "x", 0, 20)],
        columns=COLUMNS,
    )
    row = character_agreement(coded, {"d": 40}, (["ann", "cy"], "bo")).iloc[0]
    assert (row["both"], row["a_only"], row["b_only"]) == (20, 0, 0)


@pytest.mark.parametrize(
    ("coders", "lengths", "message"),
    [
        (("ann",), {"memo": 1000}, "pair"),
        (("ann", "ann"), {"memo": 1000}, "both sides"),
        (("ann", "bo"), {"memo": 100}, "past the end"),
        (("ann", "bo"), [("memo", 1000)], "maps each document"),
    ],
)
def test_bad_input_is_a_clear_error(coders: tuple[str, ...], lengths: object, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        character_agreement(nvivo_example(), lengths, coders)  # type: ignore[arg-type]


def test_aggregate_needs_a_character_table() -> None:
    with pytest.raises(UsageError, match="missing"):
        aggregate_kappa(pd.DataFrame({"kappa": [1.0]}))
    table = character_agreement(nvivo_example(), {"memo": 1000}, ("ann", "bo"))
    with pytest.raises(UsageError, match="how must be"):
        aggregate_kappa(table, "median")  # type: ignore[arg-type]
