"""Published worked examples, reproduced to the precision the source prints.

Sources (data in conftest.py):

- Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for
  Communication, University of Pennsylvania (repository.upenn.edu/asc_papers/43).
- Gwet, K. L. (2014). Handbook of Inter-Rater Reliability, 4th ed., whose example data sets and
  results are those of Gwet's R package irrCAC (README / "overview" vignette, which prints each
  coefficient for cac.raw4raters, distrib.6raters and cont3x3abstractors, with its standard
  error and 95% interval; those are checked in test_agreement_analytic.py).
- Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters. Psychological
  Bulletin 76(5), 378-382.
- Cohen, J. (1960). A coefficient of agreement for nominal scales. Educational and
  Psychological Measurement 20(1), 37-46.
"""

from __future__ import annotations

import pandas as pd
import pytest

from coder.agreement import (
    brennan_prediger,
    cohen_kappa,
    conger_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    scott_pi,
)

THREE_DECIMALS = 5e-4


def test_krippendorff_2011_binary_two_observers(krippendorff_a: pd.DataFrame) -> None:
    """Krippendorff (2011), section A (p. 2): Meg and Owen, ten units, alpha = 0.095."""
    assert krippendorff_alpha(krippendorff_a) == pytest.approx(0.095, abs=THREE_DECIMALS)


def test_krippendorff_2011_nominal_two_observers(krippendorff_b: pd.DataFrame) -> None:
    """Krippendorff (2011), section B (p. 3): Ben and Gerry, twelve units, alpha = 0.692."""
    assert krippendorff_alpha(krippendorff_b) == pytest.approx(0.692, abs=THREE_DECIMALS)


@pytest.mark.parametrize(
    ("level", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorff_2011_four_observers_missing_data(
    krippendorff_c: pd.DataFrame, level: str, published: float
) -> None:
    """Krippendorff (2011), sections C-F (pp. 4-8): four observers, twelve units, missing
    values; alpha = .743 (nominal), .815 (ordinal), .849 (interval), .797 (ratio)."""
    assert krippendorff_alpha(krippendorff_c, level) == pytest.approx(  # type: ignore[arg-type]
        published, abs=THREE_DECIMALS
    )


def test_gwet_raw4raters(gwet_raw4raters: pd.DataFrame) -> None:
    """Gwet (2014, p. 120) / irrCAC README, cac.raw4raters: percent agreement 0.8181818,
    AC1 0.77544, Fleiss' generalised kappa 0.76117, Conger's kappa 0.76282, Brennan-Prediger
    0.77273, Krippendorff's alpha 0.74342.

    Gwet keeps the subject rated once (row 12) in the category shares; that is the default.
    """
    df = gwet_raw4raters
    assert percent_agreement(df) == pytest.approx(0.8181818, abs=5e-8)
    assert gwet_ac1(df) == pytest.approx(0.77544, abs=5e-6)
    assert fleiss_kappa(df) == pytest.approx(0.76117, abs=5e-6)
    assert conger_kappa(df) == pytest.approx(0.76282, abs=5e-6)
    assert brennan_prediger(df) == pytest.approx(0.77273, abs=5e-6)
    assert krippendorff_alpha(df) == pytest.approx(0.74342, abs=5e-6)


def test_gwet_raw4raters_chance_agreement(gwet_raw4raters: pd.DataFrame) -> None:
    """irrCAC prints the chance agreement too: pe = 0.1903212 (AC1), 0.2387153 (Fleiss),
    0.2334252 (Conger).

    With p_a = 9/11, p_e = (p_a - coefficient) / (1 - coefficient).
    """
    pa = 9 / 11
    for coefficient, published in (
        (gwet_ac1(gwet_raw4raters), 0.1903212),
        (fleiss_kappa(gwet_raw4raters), 0.2387153),
        (conger_kappa(gwet_raw4raters), 0.2334252),
    ):
        assert (pa - coefficient) / (1 - coefficient) == pytest.approx(published, abs=5e-8)


def test_dropping_single_ratings_is_the_other_variant(gwet_raw4raters: pd.DataFrame) -> None:
    """Leaving the once-rated subject out of the category shares moves AC1 and Fleiss' kappa
    off the published values (0.77544, 0.76117) by about a thousandth."""
    ac1 = gwet_ac1(gwet_raw4raters, single_ratings="drop")
    fleiss = fleiss_kappa(gwet_raw4raters, single_ratings="drop")
    assert abs(ac1 - 0.77544) > 1e-4 and abs(fleiss - 0.76117) > 1e-4
    assert abs(ac1 - 0.77544) < 5e-3 and abs(fleiss - 0.76117) < 5e-3


def test_gwet_distrib_6raters(gwet_distrib_6raters: pd.DataFrame) -> None:
    """Gwet (2014) / irrCAC, distrib.6raters (Fleiss 1971, first fifteen patients):
    AC1 0.4448007, Fleiss' kappa 0.4139265, Krippendorff's alpha 0.4204384,
    Brennan-Prediger 0.4388889, percent agreement 0.5511111."""
    df = gwet_distrib_6raters
    assert gwet_ac1(df) == pytest.approx(0.4448007, abs=5e-8)
    assert fleiss_kappa(df) == pytest.approx(0.4139265, abs=5e-8)
    assert krippendorff_alpha(df) == pytest.approx(0.4204384, abs=5e-8)
    assert brennan_prediger(df) == pytest.approx(0.4388889, abs=5e-8)
    assert percent_agreement(df) == pytest.approx(0.5511111, abs=5e-8)


def test_gwet_cont3x3abstractors(gwet_cont3x3: pd.DataFrame) -> None:
    """Gwet (2014) / irrCAC, cont3x3abstractors: Cohen's kappa 0.7964094, Scott's pi
    0.7962397, AC1 0.8493305, Brennan-Prediger 0.835, Krippendorff's alpha 0.7972585,
    percent agreement 0.89."""
    df = gwet_cont3x3
    assert cohen_kappa(df) == pytest.approx(0.7964094, abs=5e-8)
    assert scott_pi(df) == pytest.approx(0.7962397, abs=5e-8)
    assert gwet_ac1(df) == pytest.approx(0.8493305, abs=5e-8)
    assert brennan_prediger(df) == pytest.approx(0.835, abs=5e-8)
    assert krippendorff_alpha(df) == pytest.approx(0.7972585, abs=5e-8)
    assert percent_agreement(df) == pytest.approx(0.89, abs=5e-8)


def test_fleiss_1971(fleiss_1971: pd.DataFrame) -> None:
    """Fleiss (1971), Table 1: thirty patients, six ratings each; overall kappa = .430.

    R's irr::kappam.fleiss gives 0.4302445 on the same data (recorded in statsmodels' tests).
    """
    assert fleiss_kappa(fleiss_1971) == pytest.approx(0.430, abs=THREE_DECIMALS)
    assert fleiss_kappa(fleiss_1971) == pytest.approx(0.4302445, abs=5e-8)


def test_cohen_1960(cohen_1960: pd.DataFrame) -> None:
    """Cohen (1960), worked example of 200 cases: p_o = .70, p_c = .41, kappa = .29/.59."""
    assert percent_agreement(cohen_1960) == pytest.approx(0.70, abs=1e-12)
    kappa = cohen_kappa(cohen_1960)
    assert kappa == pytest.approx((0.70 - 0.41) / (1 - 0.41), abs=1e-12)
    assert kappa == pytest.approx(0.492, abs=THREE_DECIMALS)
