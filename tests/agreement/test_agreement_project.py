"""project.agreement on a real project (SQLite and PostgreSQL), against references computed
from the raw codings: per-character arrays for NVivo's table and the code confusion, a
section-by-section alpha_U, enumerated segments for MAXQDA's overlap, statsmodels for Cohen's
kappa's standard error, and a bootstrap redone resample by resample."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from agreement_study import (
    CODES,
    TEXTS,
    alpha_u_reference,
    build,
    character_reference,
    confusion_reference,
    laid_end_to_end,
    marks,
    overlap_reference,
)
from scipy.stats import t
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import cohens_kappa as sm_cohens_kappa

from coder import Project
from coder.agreement.api import ConfusionReport
from coder.agreement.views import agreement_view, stretch_view
from coder.errors import UsageError


@pytest.fixture
def study(project: Project, tmp_path: Path) -> Project:
    return build(project, tmp_path)


def test_character_agreement_is_nvivos_table_character_by_character(study: Project) -> None:
    report = study.agreement.character(["ana", "ben"])
    assert report.documents == ("clinic", "home") and report.average == "size_weighted"
    expected = character_reference("ana", "ben")
    got = report.per_document.rename(columns={"only_ana": "only_a", "only_ben": "only_b"})
    columns = ["document", "code", "length", "both", "only_a", "only_b", "neither"]
    assert got[columns].values.tolist() == expected[columns].values.tolist()
    assert got["pa"].to_numpy() == pytest.approx(expected["pa"].to_numpy(), abs=1e-12)
    assert got["kappa"].to_numpy() == pytest.approx(expected["kappa"].to_numpy(), abs=1e-12)
    # Per code, each document's kappa weighted by its length (NVivo's help).
    per_code = report.per_code.set_index("code")
    for code, rows in expected.groupby("code"):
        weighted = (rows["kappa"] * rows["length"]).sum() / rows["length"].sum()
        assert per_code.loc[code, "kappa"] == pytest.approx(weighted, abs=1e-12)
        assert per_code.loc[code, "both"] == rows["both"].sum()
    assert report.pooled.loc[0, "neither"] == expected["neither"].sum()


def test_character_agreement_pooled_average_is_one_table_of_characters(study: Project) -> None:
    report = study.agreement.character(["ben", "ana"], average="pooled")
    per_code = report.per_code.set_index("code")
    for code in CODES:
        a = np.concatenate([marks("ben", d, code) for d in sorted(TEXTS)])
        b = np.concatenate([marks("ana", d, code) for d in sorted(TEXTS)])
        assert per_code.loc[code, "kappa"] == pytest.approx(cohen_kappa_score(a, b), abs=1e-12)
        assert per_code.loc[code, "only_ben"] == int((a & ~b).sum())


def test_unitized_alpha_matches_the_definition_section_by_section(study: Project) -> None:
    coders = ("ana", "ben", "cy")
    report = study.agreement.unitized(list(coders))
    per_code = report.per_code.set_index("code")
    total = sum(len(text) for text in TEXTS.values())
    sums = [0.0, 0.0]
    for code in CODES:
        d_o, d_e = alpha_u_reference(coders, (code,))
        assert per_code.loc[code, "D_o"] == pytest.approx(d_o, rel=1e-12)
        assert per_code.loc[code, "D_e"] == pytest.approx(d_e, rel=1e-12)
        assert per_code.loc[code, "alpha"] == pytest.approx(1 - d_o / d_e, rel=1e-12)
        assert per_code.loc[code, "length"] == total
        for coder in coders:
            units = laid_end_to_end(coder, (code,))
            assert per_code.loc[code, f"units_{coder}"] == len(units)
            assert per_code.loc[code, f"characters_{coder}"] == sum(e - s for s, e in units)
        sums = [sums[0] + d_o, sums[1] + d_e]
    pooled = report.pooled.set_index("code")
    assert pooled.loc["(pooled)", "alpha"] == pytest.approx(1 - sums[0] / sums[1], rel=1e-12)
    d_o, d_e = alpha_u_reference(coders, CODES)  # every code as one: the binary alpha
    assert pooled.loc["(binary)", "alpha"] == pytest.approx(1 - d_o / d_e, rel=1e-12)


def test_unitized_alpha_per_document_is_each_document_alone(study: Project) -> None:
    report = study.agreement.unitized(["ana", "cy"], documents=["home"])
    assert report.documents == ("home",)
    # On one document, per code and per document are the same continuum.
    by_doc = report.per_document.drop(columns="document").set_index("code")
    pd.testing.assert_frame_equal(by_doc, report.per_code.set_index("code"))


def test_overlap_matches_enumerated_segments(study: Project) -> None:
    for threshold in (0.9, 0.5):
        report = study.agreement.overlap(["ana", "ben"], threshold=threshold)
        assert report.threshold == threshold
        expected = overlap_reference("ana", "ben", threshold)
        got = report.per_document.rename(
            columns={"segments_ana": "segments_a", "segments_ben": "segments_b"}
        )
        columns = ["document", "code", "segments_a", "segments_b", "matched"]
        assert got[columns].values.tolist() == expected.values.tolist()
        a, b, matched = expected[["segments_a", "segments_b", "matched"]].sum()
        pooled = report.pooled.iloc[0]
        share = matched / (a + b - matched)
        assert pooled["agreement"] == pytest.approx(share)
        q = len(CODES)  # MAXQDA's chance agreement 1/q over the codes compared
        assert pooled["kappa"] == pytest.approx((share - 1 / q) / (1 - 1 / q))


@pytest.mark.parametrize("count", ["segments", "characters"])
def test_confusion_matches_the_raw_codings(study: Project, count: str) -> None:
    report = study.agreement.confusion(["ana", "ben"], count=count)  # type: ignore[arg-type]
    assert isinstance(report, ConfusionReport) and report.count == count
    expected = confusion_reference("ana", "ben", count)
    table = report.table
    assert table.index.name == "ana" and table.columns.name == "ben"
    found = {
        (str(x), str(y)): int(table.loc[x, y])
        for x in table.index
        for y in table.columns
        if table.loc[x, y]
    }
    assert found == expected
    pairs = report.pairs()
    assert not pairs["same"].iloc[0] and pairs["same"].iloc[-1]  # differing pairs first
    assert int(pairs[count].sum()) == sum(expected.values())


def unit_marks(study: Project, coder: str, code: str) -> np.ndarray:
    """0/1 per sentence of both documents: does any of the coder's codings touch it?"""
    out = []
    for document in sorted(TEXTS):
        coded = marks(coder, document, code)
        out += [int(coded[s.start : s.end].any()) for s in study.segments(document, "sentence")]
    return np.array(out)


def test_analytic_intervals_of_cohens_kappa_match_statsmodels(study: Project) -> None:
    report = study.agreement(["ana", "ben"], "sentence", interval="analytic")
    rows = report.intervals.set_index(["code", "coefficient"])
    for code in CODES:
        a, b = unit_marks(study, "ana", code), unit_marks(study, "ben", code)
        table = np.zeros((2, 2))
        np.add.at(table, (a, b), 1)
        found = rows.loc[(code, "cohen_kappa")]
        assert found["estimate"] == pytest.approx(cohen_kappa_score(a, b), abs=1e-12)
        se = sm_cohens_kappa(table).std_kappa
        assert found["se"] == pytest.approx(se, rel=1e-9)
        half = t.ppf(0.975, a.size - 1) * se
        assert found["low"] == pytest.approx(found["estimate"] - half, rel=1e-9)
        assert found["high"] == pytest.approx(min(1.0, found["estimate"] + half), rel=1e-9)
    # Every estimate is the number the agreement table shows.
    per_code = report.per_code.set_index("code")
    for (code, name), row in rows.sort_index().drop(index="(pooled)").iterrows():
        assert row["estimate"] == pytest.approx(per_code.loc[code, name], abs=1e-12)
    assert rows.loc[("(pooled)", "gwet_ac1"), "notes"].startswith("no analytic interval")


def kappa_by_hand(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Observed and chance agreement of Cohen's kappa on 0/1 arrays."""
    pa, pb = a.mean(), b.mean()
    return float((a == b).mean()), float(pa * pb + (1 - pa) * (1 - pb))


def test_bootstrap_intervals_redone_resample_by_resample(study: Project) -> None:
    draws, seed = 200, 7
    report = study.agreement(
        ["ana", "ben"], "sentence", interval="bootstrap", draws=draws, seed=seed
    )
    rows = report.intervals.set_index(["code", "coefficient"])
    a = {code: unit_marks(study, "ana", code) for code in CODES}
    b = {code: unit_marks(study, "ben", code) for code in CODES}
    n = a[CODES[0]].size
    # As documented: each resample is a multinomial draw of n units out of n.
    weights = np.random.default_rng(seed).multinomial(n, np.full(n, 1 / n), size=draws)
    per_code: dict[str, list[float]] = {code: [] for code in CODES}
    pooled = []
    for w in weights:
        picked = np.repeat(np.arange(n), w)
        parts = [kappa_by_hand(a[c][picked], b[c][picked]) for c in CODES]
        for code, (po, pe) in zip(CODES, parts, strict=True):
            per_code[code].append((po - pe) / (1 - pe) if pe < 1 else math.nan)
        # de Vries et al. (2008): average p_o and p_e over codes, then form the kappa.
        po, pe = np.mean([p[0] for p in parts]), np.mean([p[1] for p in parts])
        pooled.append((po - pe) / (1 - pe))
    for code, values in [*per_code.items(), ("(pooled)", pooled)]:
        kept = np.array([v for v in values if not math.isnan(v)])
        low, high = np.quantile(kept, [0.025, 0.975])
        found = rows.loc[(code, "cohen_kappa")]
        assert (found["low"], found["high"]) == (pytest.approx(low), pytest.approx(high))
        assert found["dropped"] == draws - kept.size and found["draws"] == draws


def test_three_coders_get_congers_kappa_in_the_table(study: Project) -> None:
    report = study.agreement(["ana", "ben", "cy"], "sentence", interval="analytic")
    view = agreement_view(report)
    per_code = report.per_code
    assert per_code["cohen_kappa"].isna().all()
    assert view["kappa"].tolist()[:-1] == per_code["conger_kappa"].tolist()
    assert set(report.intervals["coefficient"]) == {
        "conger_kappa",
        "krippendorff_alpha",
        "gwet_ac1",
    }
    two = study.agreement(["ana", "ben"], "sentence").per_code
    assert two["conger_kappa"].to_numpy() == pytest.approx(two["cohen_kappa"].to_numpy())


def test_views_name_the_coders(study: Project) -> None:
    view = stretch_view(study.agreement.overlap(["ana", "ben"]), "code")
    assert list(view.columns) == [
        "code", "ana", "ben", "matched", "ana only", "ben only", "agree", "dice", "kappa",
    ]  # fmt: skip
    assert view["code"].iloc[-1] == "(pooled)"
    unitized = stretch_view(study.agreement.unitized(["ana", "ben", "cy"]), "pooled")
    assert unitized["code"].tolist() == ["(pooled)", "(binary)"]


def test_the_report_still_answers_as_before(study: Project) -> None:
    report = study.agreement(["ana", "ben"])
    assert report.unit == "sentence" and report.intervals.empty
    assert study.agreement.report(["ana", "ben"]).per_code.equals(report.per_code)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda p: p.agreement.character(["ana", "ben", "cy"]), "two coders, as NVivo"),
        (lambda p: p.agreement.overlap(["ana", "cy", "ben"]), "two coders, as MAXQDA"),
        (lambda p: p.agreement.overlap(["ana", "ben"], threshold=0), "threshold"),
        (lambda p: p.agreement.unitized(["ana", "zoe"]), "no coder named 'zoe'"),
        (lambda p: p.agreement.confusion(["ana"]), "at least two coders"),
        (lambda p: p.agreement(["ana", "ben"], interval="jackknife"), "method must be one of"),
    ],
)
def test_mistakes_are_one_clear_error(study: Project, call: object, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        call(study)  # type: ignore[operator]


def asked(document: str, start: int) -> bool:
    """Does the text at `start` lie in a paragraph the interviewer speaks? (As the importer
    stores them, turns are paragraphs apart by a blank line, each led by its label.)"""
    text = TEXTS[document]
    before = text.rfind("\n\n", 0, start)
    return text[before + 2 if before >= 0 else 0 :].startswith("Interviewer:")


def test_participants_speech_leaves_out_the_interviewers_sentences(study: Project) -> None:
    report = study.agreement(["ana", "ben"], "sentence", speech="participants")
    assert report.speech == "participants"
    per_code = report.per_code.set_index("code")
    for code in CODES:
        a, b = [], []
        for document in sorted(TEXTS):
            ana, ben = marks("ana", document, code), marks("ben", document, code)
            for s in study.segments(document, "sentence"):
                if not asked(document, s.start):
                    a.append(int(ana[s.start : s.end].any()))
                    b.append(int(ben[s.start : s.end].any()))
        assert per_code.loc[code, "n_units"] == len(a) == 11  # 14 sentences, 3 questions
        expected = cohen_kappa_score(a, b)
        assert per_code.loc[code, "cohen_kappa"] == pytest.approx(expected, abs=1e-12)
    with pytest.raises(UsageError, match="participants' speech"):
        study.agreement(["ana", "ben"], "character", speech="participants")
