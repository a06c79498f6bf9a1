"""Published reliability data sets, as units x coders DataFrames (NaN = not rated).

Each fixture says where the data are printed; the values the sources report for them are
asserted in test_agreement_published.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

nan = np.nan


def from_contingency(table: list[list[int]], labels: list[str]) -> pd.DataFrame:
    """Two coders' ratings, one row per unit, from their contingency table (rows = coder A)."""
    rows = [
        (labels[i], labels[j])
        for i, row in enumerate(table)
        for j, count in enumerate(row)
        for _ in range(count)
    ]
    return pd.DataFrame(rows, columns=["A", "B"])


def from_distribution(table: list[list[int]]) -> pd.DataFrame:
    """Raters x subjects ratings from a subjects x categories count table (equal raters each).

    Which rater gave which rating is arbitrary; the coefficients used with these data depend on
    the counts only.
    """
    rows = [[k for k, count in enumerate(row) for _ in range(count)] for row in table]
    return pd.DataFrame(rows, columns=[f"r{j}" for j in range(len(rows[0]))])


@pytest.fixture
def krippendorff_c() -> pd.DataFrame:
    """Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four
    observers, twelve units, values 1-5, with missing values (units as rows)."""
    observers = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
        [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
    ]
    return pd.DataFrame(np.array(observers).T, columns=["A", "B", "C", "D"])


@pytest.fixture
def krippendorff_a() -> pd.DataFrame:
    """Krippendorff (2011), section A: binary data, two observers, ten units, none missing."""
    return pd.DataFrame(
        {"Meg": [0, 1, 0, 0, 0, 0, 0, 0, 1, 0], "Owen": [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]}
    )


@pytest.fixture
def krippendorff_b() -> pd.DataFrame:
    """Krippendorff (2011), section B: nominal data (a-e), two observers, twelve units."""
    return pd.DataFrame(
        {
            "Ben": list("aabbdcccedda"),
            "Gerry": list("babbbccceddd"),
        }
    )


@pytest.fixture
def gwet_raw4raters() -> pd.DataFrame:
    """irrCAC's `cac.raw4raters` (Gwet 2014, Handbook of Inter-Rater Reliability, 4th ed.):
    twelve subjects, four raters, categories 1-5, missing ratings; the same data as
    Krippendorff's section C example."""
    rows = [
        [1, 1, nan, 1],
        [2, 2, 3, 2],
        [3, 3, 3, 3],
        [3, 3, 3, 3],
        [2, 2, 2, 2],
        [1, 2, 3, 4],
        [4, 4, 4, 4],
        [1, 1, 2, 1],
        [2, 2, 2, 2],
        [nan, 5, 5, 5],
        [nan, nan, 1, 1],
        [nan, nan, 3, nan],
    ]
    return pd.DataFrame(rows, columns=["Rater1", "Rater2", "Rater3", "Rater4"])


@pytest.fixture
def gwet_distrib_6raters() -> pd.DataFrame:
    """irrCAC's `distrib.6raters`: six psychiatrists, fifteen patients, five diagnoses
    (depression, personality disorder, schizophrenia, neurosis, other), as counts per
    patient; the first fifteen subjects of Fleiss (1971), Table 1."""
    return from_distribution(
        [
            [0, 0, 0, 6, 0],
            [0, 3, 0, 0, 3],
            [0, 1, 4, 0, 1],
            [0, 0, 0, 0, 6],
            [0, 3, 0, 3, 0],
            [2, 0, 4, 0, 0],
            [0, 0, 4, 0, 2],
            [2, 0, 3, 1, 0],
            [2, 0, 0, 4, 0],
            [0, 0, 0, 0, 6],
            [1, 0, 0, 5, 0],
            [1, 1, 0, 4, 0],
            [0, 3, 3, 0, 0],
            [1, 0, 0, 5, 0],
            [0, 2, 0, 3, 1],
        ]
    )


@pytest.fixture
def fleiss_1971() -> pd.DataFrame:
    """Fleiss (1971), Table 1: thirty patients, six diagnoses each (1 depression,
    2 personality disorder, 3 schizophrenia, 4 neurosis, 5 other), as distributed with R's
    irr package (`diagnoses`) and statsmodels' tests."""
    rows = [
        [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5],
        [2, 2, 2, 4, 4, 4], [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4],
        [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5], [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4],
        [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5], [3, 3, 3, 3, 3, 5],
        [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
        [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4],
        [1, 4, 4, 4, 4, 5], [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4],
        [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=[f"r{j}" for j in range(6)])


@pytest.fixture
def gwet_cont3x3() -> pd.DataFrame:
    """irrCAC's `cont3x3abstractors` (Gwet 2014): two abstractors classifying 100 cases as
    ectopic pregnancy, AIU or NIU, given as their 3x3 contingency table."""
    return from_contingency([[13, 0, 0], [0, 20, 7], [0, 4, 56]], ["Ectopic", "AIU", "NIU"])


@pytest.fixture
def cohen_1960() -> pd.DataFrame:
    """Cohen (1960), the worked example: two judges, 200 cases, three categories."""
    return from_contingency([[88, 14, 18], [10, 40, 10], [2, 6, 12]], ["1", "2", "3"])
