"""Units built from codings, checked against per-character arrays materialised the slow way."""

from __future__ import annotations

import itertools
import math
import time
import warnings
from collections.abc import Hashable

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from coder.agreement import (
    agreement_table,
    brennan_prediger,
    cohen_kappa,
    disagreements,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    scott_pi,
    unit_table,
)
from coder.errors import UsageError

FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CODES = ("A", "B", "C")


@st.composite
def studies(draw: st.DrawFn, n_coders: int = 2) -> dict[str, pd.DataFrame]:
    """Documents, a segmentation into units (with gaps), and overlapping codings."""
    coders = [f"k{j}" for j in range(n_coders)]
    lengths = draw(st.lists(st.integers(0, 40), min_size=1, max_size=3))
    docs = [f"d{i}" for i in range(len(lengths))]
    units, codings = [], []
    for doc, length in zip(docs, lengths, strict=True):
        cuts = sorted(set(draw(st.lists(st.integers(0, length), max_size=8))) | {0, length})
        for i, (lo, hi) in enumerate(itertools.pairwise(cuts)):
            if hi > lo and draw(st.booleans() | st.just(True)):
                units.append((doc, f"{doc}u{i}", lo, hi))
        for _ in range(draw(st.integers(0, 6))):
            start = draw(st.integers(0, length))
            end = draw(st.integers(start, length))
            codings.append(
                (doc, draw(st.sampled_from(coders)), draw(st.sampled_from(CODES)), start, end)
            )
    return {
        "codings": pd.DataFrame(codings, columns=["document", "coder", "code", "start", "end"]),
        "units": pd.DataFrame(units, columns=["document", "unit", "start", "end"]),
        "documents": pd.DataFrame({"document": docs, "length": lengths}),
        "coders": pd.DataFrame({"coder": coders}),
    }


def characters(study: dict[str, pd.DataFrame], doc: str, code: str) -> pd.DataFrame:
    """The slow way: one row per character, one 0/1 column per coder."""
    length = int(study["documents"].set_index("document").loc[doc, "length"])
    coders = list(study["coders"]["coder"])
    marks = np.zeros((length, len(coders)), dtype=int)
    mine = study["codings"]
    mine = mine[(mine["document"] == doc) & (mine["code"] == code)]
    for coder, start, end in zip(mine["coder"], mine["start"], mine["end"], strict=True):
        marks[start:end, coders.index(coder)] = 1
    return pd.DataFrame(marks, columns=coders)


def per_code_characters(study: dict[str, pd.DataFrame], code: str) -> pd.DataFrame:
    docs = study["documents"]["document"]
    return pd.concat([characters(study, d, code) for d in docs], ignore_index=True)


def units_of(table: pd.DataFrame, code: str, coders: list[Hashable]) -> pd.DataFrame:
    """One code's rows of a unit_table (an empty table when there are no units at all)."""
    if code not in table.index.get_level_values("code"):
        return pd.DataFrame(columns=coders, dtype=int)
    return table.xs(code, level="code")


def check_row(row: pd.Series, table: pd.DataFrame, coders: list[Hashable]) -> None:
    """A row of agreement_table against the coefficient functions on the unit table."""
    assert row["n_units"] == len(table)
    for coder in coders:
        assert row[f"coded_by_{coder}"] == table[coder].sum()
    marked = table.sum(axis=1)
    assert row["coded_by_all"] == (marked == len(coders)).sum()
    assert row["coded_by_none"] == (marked == 0).sum()
    if len(table) == 0:
        assert math.isnan(row["percent_agreement"]) and "no units" in row["notes"]
        return
    expected = {
        "percent_agreement": percent_agreement(table),
        "percent_agreement_marked": percent_agreement(table[marked > 0])
        if (marked > 0).any()
        else math.nan,
        "fleiss_kappa": fleiss_kappa(table),
        "brennan_prediger": brennan_prediger(table, categories=[0, 1]),
        "gwet_ac1": gwet_ac1(table, categories=[0, 1]),
        "krippendorff_alpha": krippendorff_alpha(table),
    }
    if len(coders) == 2:
        expected["cohen_kappa"] = cohen_kappa(table)
        expected["scott_pi"] = scott_pi(table)
    for name, value in expected.items():
        if math.isnan(value):
            assert math.isnan(row[name]) and name in row["notes"], name
        else:
            assert row[name] == pytest.approx(value, rel=1e-9, abs=1e-12), name


@FAST
@given(studies())
def test_character_units_match_sklearn_on_materialised_arrays(
    study: dict[str, pd.DataFrame],
) -> None:
    coders = list(study["coders"]["coder"])
    table = agreement_table(
        study["codings"], None, coders, CODES, "character", documents=study["documents"], by="code"
    )
    for _, row in table.iterrows():
        chars = per_code_characters(study, row["code"])
        check_row(row, chars, coders)
        if len(chars) and chars.to_numpy().ravel().min() != chars.to_numpy().ravel().max():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                reference = cohen_kappa_score(chars["k0"], chars["k1"])
            assert row["cohen_kappa"] == pytest.approx(reference, rel=1e-9, abs=1e-12)


@FAST
@given(studies(n_coders=3))
def test_character_units_per_document_three_coders(study: dict[str, pd.DataFrame]) -> None:
    coders = list(study["coders"]["coder"])
    table = agreement_table(
        study["codings"],
        None,
        coders,
        CODES,
        "character",
        documents=study["documents"],
        by="document",
    )
    assert len(table) == len(study["documents"]) * len(CODES)
    for _, row in table.iterrows():
        check_row(row, characters(study, row["document"], row["code"]), coders)
        assert "two coders only" in row["notes"]


@FAST
@given(studies(), st.sampled_from([0.0, 0.25, 0.5, 1.0]))
def test_segment_units_match_materialised_coverage(
    study: dict[str, pd.DataFrame], min_share: float
) -> None:
    coders = list(study["coders"]["coder"])
    got = unit_table(study["codings"], study["units"], coders, CODES, min_share=min_share)
    for code in CODES:
        for doc, unit, start, end in study["units"].itertuples(index=False):
            chars = characters(study, doc, code).iloc[start:end]
            covered = chars.sum()
            want = ((covered > 0) & (covered / (end - start) >= min_share)).astype(int)
            assert got.loc[(code, doc, unit)].tolist() == want.tolist()
    table = agreement_table(study["codings"], study["units"], coders, CODES, min_share=min_share)
    for _, row in table.iterrows():
        check_row(row, units_of(got, row["code"], coders), coders)


@FAST
@given(studies())
def test_document_units_are_presence(study: dict[str, pd.DataFrame]) -> None:
    coders = list(study["coders"]["coder"])
    got = unit_table(
        study["codings"], None, coders, CODES, "document", documents=study["documents"]
    )
    for code in CODES:
        for doc in study["documents"]["document"]:
            want = characters(study, doc, code).any().astype(int).tolist()
            assert got.loc[(code, doc, doc)].tolist() == want
    table = agreement_table(
        study["codings"], None, coders, CODES, "document", documents=study["documents"]
    )
    for _, row in table.iterrows():
        check_row(row, units_of(got, row["code"], coders), coders)


@FAST
@given(studies(), st.sampled_from(["segment", "character", "document"]))
def test_pooled_is_de_vries(study: dict[str, pd.DataFrame], kind: str) -> None:
    """Pooled kappa = (mean p_o - mean p_e) / (1 - mean p_e) over codes (de Vries et al. 2008)."""
    coders = list(study["coders"]["coder"])
    args = (study["codings"], study["units"], coders, CODES, kind)
    docs = study["documents"]
    pooled = agreement_table(*args, documents=docs, by="pooled").iloc[0]  # type: ignore[arg-type]
    po, pe, n = [], [], []
    for code in CODES:
        if kind == "character":
            t = per_code_characters(study, code)
        else:
            t = units_of(unit_table(*args, documents=docs), code, coders)  # type: ignore[arg-type]
        if len(t) == 0:
            continue
        a, b = t["k0"].mean(), t["k1"].mean()
        po.append((t["k0"] == t["k1"]).mean())
        pe.append(a * b + (1 - a) * (1 - b))
        n.append(len(t))
    if not n or np.average(pe, weights=n) == 1:
        assert math.isnan(pooled["cohen_kappa"])
        return
    mean_po, mean_pe = np.average(po, weights=n), np.average(pe, weights=n)
    assert pooled["n_units"] == sum(n)
    assert pooled["percent_agreement"] == pytest.approx(mean_po)
    assert pooled["cohen_kappa"] == pytest.approx((mean_po - mean_pe) / (1 - mean_pe))


# -- hand-made cases ------------------------------------------------------------------------

UNITS = pd.DataFrame(
    {"document": "d", "unit": ["s1", "s2", "s3"], "start": [0, 10, 20], "end": [10, 20, 30]}
)
DOCS = pd.DataFrame({"document": ["d"], "length": [30]})


def codings(*rows: tuple[str, str, int, int]) -> pd.DataFrame:
    return pd.DataFrame(
        [("d", coder, code, s, e) for coder, code, s, e in rows],
        columns=["document", "coder", "code", "start", "end"],
    )


@pytest.mark.parametrize(
    ("min_share", "marked"),
    [(0.0, [1, 1, 1]), (0.5, [1, 1, 1]), (0.51, [0, 1, 0]), (1.0, [0, 1, 0])],
)
def test_span_crossing_unit_boundaries(min_share: float, marked: list[int]) -> None:
    """[5, 25) covers half of s1, all of s2 and half of s3."""
    got = unit_table(codings(("ann", "A", 5, 25)), UNITS, ["ann", "bob"], min_share=min_share)
    assert got["ann"].tolist() == marked and got["bob"].tolist() == [0, 0, 0]


def test_min_share_is_exact_at_the_threshold() -> None:
    """3 of 10 characters is 0.3, even though 0.3 * 10 > 3 in floating point."""
    got = unit_table(codings(("ann", "A", 0, 3)), UNITS, ["ann", "bob"], min_share=0.3)
    assert got["ann"].tolist() == [1, 0, 0]


def test_overlapping_codings_of_one_coder_count_once() -> None:
    data = codings(("ann", "A", 0, 6), ("ann", "A", 4, 10), ("ann", "A", 2, 5), ("bob", "A", 0, 10))
    seg = unit_table(data, UNITS, ["ann", "bob"], min_share=1.0)
    assert seg["ann"].tolist() == [1, 0, 0]
    chars = agreement_table(data, None, ["ann", "bob"], unit_kind="character", documents=DOCS)
    assert chars.loc[0, "coded_by_ann"] == 10 and chars.loc[0, "coded_by_all"] == 10
    assert chars.loc[0, "percent_agreement"] == 1.0 and chars.loc[0, "cohen_kappa"] == 1.0


def test_code_nobody_used_and_coder_who_coded_nothing() -> None:
    data = codings(("ann", "A", 0, 12))
    table = agreement_table(data, UNITS, ["ann", "bob"], ["A", "Z"]).set_index("code")
    unused = table.loc["Z"]
    assert unused["n_units"] == 3 and unused["coded_by_any"] == 0
    assert unused["percent_agreement"] == 1.0 and math.isnan(unused["percent_agreement_marked"])
    assert math.isnan(unused["cohen_kappa"]) and "no variation" in unused["notes"]
    assert unused["gwet_ac1"] == 1.0 and unused["brennan_prediger"] == 1.0
    used = table.loc["A"]
    assert used["coded_by_bob"] == 0 and used["coded_by_ann"] == 2
    assert used["cohen_kappa"] == 0.0  # bob's silence agrees with ann only by chance
    assert used["percent_agreement_marked"] == 0.0


def test_empty_document() -> None:
    docs = pd.DataFrame({"document": ["d", "empty"], "length": [30, 0]})
    table = agreement_table(
        codings(("ann", "A", 0, 5)),
        None,
        ["ann", "bob"],
        ["A"],
        "character",
        documents=docs,
        by="document",
    )
    empty = table.set_index("document").loc["empty"]
    assert empty["n_units"] == 0 and math.isnan(empty["gwet_ac1"])
    assert "no units to compare" in empty["notes"]


def test_disagreements_list_every_differing_unit() -> None:
    data = codings(("ann", "A", 0, 25), ("bob", "A", 5, 15), ("bob", "B", 22, 23))
    rows = disagreements(data, UNITS, ["ann", "bob"])
    assert rows[["unit", "code"]].values.tolist() == [["s3", "A"], ["s3", "B"]]
    assert rows.loc[0, "marked_by"] == ("ann",) and rows.loc[0, "not_marked_by"] == ("bob",)
    assert rows.loc[0, ["start", "end"]].tolist() == [20, 30]
    chars = disagreements(data, None, ["ann", "bob"], ["A"], "character", documents=DOCS)
    assert chars[["start", "end"]].values.tolist() == [[0, 5], [15, 25]]
    docs = disagreements(data, None, ["ann", "bob"], unit_kind="document", documents=DOCS)
    assert docs[["unit", "code", "end"]].values.tolist() == [["d", "B", 30]]


def test_codings_outside_the_comparison_are_ignored() -> None:
    data = pd.concat(
        [
            codings(("ann", "A", 0, 10), ("carl", "A", 10, 20)),
            pd.DataFrame(
                [("other", "bob", "A", 0, 5)], columns=["document", "coder", "code", "start", "end"]
            ),
        ],
    )
    got = unit_table(data, UNITS, ["ann", "bob"])
    assert got.index.get_level_values("document").unique().tolist() == ["d"]
    assert got["bob"].sum() == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"coders": ["ann"]}, "two or more coders"),
        ({"unit_kind": "paragraph"}, "unit_kind"),
        ({"min_share": 1.5}, "min_share"),
        ({"units": UNITS.assign(end=[12, 20, 30])}, "overlap"),
        ({"units": UNITS.assign(end=[0, 20, 30])}, "empty"),
        ({"units": UNITS.drop(columns="unit")}, "lacks column"),
        ({"codings": codings(("ann", "A", 9, 3))}, "before start"),
        ({"codings": codings(("ann", "A", -1, 3))}, "non-negative whole number"),
        ({"codings": codings(("ann", "A", 0, 40)), "documents": DOCS}, "past the end"),
        ({"unit_kind": "character", "units": None}, "documents table"),
        ({"coders": ["ann", "ann"]}, "more than once"),
    ],
)
def test_bad_input_raises_usage_error(change: dict[str, object], message: str) -> None:
    args: dict[str, object] = {
        "codings": codings(("ann", "A", 0, 5)),
        "units": UNITS,
        "coders": ["ann", "bob"],
    }
    args.update(change)
    with pytest.raises(UsageError, match=message):
        agreement_table(**args)  # type: ignore[arg-type]


def test_long_document_is_not_materialised() -> None:
    """A 60k-word transcript (~350k characters) x 60 codes x 2 coders, character units."""
    rng = np.random.default_rng(1)
    length, n = 350_000, 12_000
    start = rng.integers(0, length - 500, n)
    data = pd.DataFrame(
        {
            "document": "long",
            "coder": rng.choice(["ann", "bob"], n),
            "code": rng.integers(0, 60, n),
            "start": start,
            "end": start + rng.integers(1, 500, n),
        }
    )
    docs = pd.DataFrame({"document": ["long"], "length": [length]})
    began = time.perf_counter()
    table = agreement_table(data, None, ["ann", "bob"], None, "character", documents=docs)
    assert time.perf_counter() - began < 10  # generous: a per-character loop takes minutes
    assert len(table) == 60 and (table["n_units"] == length).all()
