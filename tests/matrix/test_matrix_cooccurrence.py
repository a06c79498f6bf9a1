"""Code x code co-occurrence against a plain character-level reference."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matrix_reference import Tables, in_row, tables
from matrix_study import THEMES

from coder import Project
from coder.errors import UsageError


@pytest.fixture(scope="module")
def plain(study_path: Path) -> Tables:
    with Project.open(study_path) as project:
        return tables(project)


def passages(t: Tables, row: str, documents: set[str] | None) -> pd.DataFrame:
    """The row's coded characters labelled with their passage (run of consecutive chars)."""
    coded = t.chars[[in_row(c, row, True) for c in t.chars["code"]]]
    coded = coded[["document", "char"]].drop_duplicates().sort_values(["document", "char"])
    if documents is not None:
        coded = coded[coded["document"].isin(documents)]
    labels, previous, n = [], None, 0
    for document, char in zip(coded["document"], coded["char"], strict=True):
        if previous is None or previous != (document, char - 1):
            n += 1
        labels.append(n)
        previous = (document, char)
    return coded.assign(passage=labels)


def expected(t: Tables, unit: str, measure: str, documents: set[str] | None = None) -> np.ndarray:
    out = np.zeros((len(THEMES), len(THEMES)))
    for i, a in enumerate(THEMES):
        for j, b in enumerate(THEMES):
            pa, pb = passages(t, a, documents), passages(t, b, documents)
            if unit == "overlap":
                both = pa.merge(pb, on=["document", "char"])
                pairs = both.drop_duplicates(["passage_x", "passage_y"])
                out[i, j] = len(pairs) if measure == "segments" else both["document"].nunique()
            else:
                sa = pa.merge(t.sentences, on=["document", "char"])[["document", "sentence"]]
                sb = pb.merge(t.sentences, on=["document", "char"])[["document", "sentence"]]
                both = sa.drop_duplicates().merge(sb.drop_duplicates())
                out[i, j] = (
                    both["sentence"].nunique()
                    if measure == "segments"
                    else both["document"].nunique()
                )
    return out


@pytest.mark.parametrize("unit", ["overlap", "sentence"])
@pytest.mark.parametrize("measure", ["segments", "documents"])
def test_against_reference(study: Project, plain: Tables, unit: str, measure: str) -> None:
    frame = study.matrices.cooccurrence(rows="themes", unit=unit, measure=measure).frame
    assert list(frame.index) == THEMES and list(frame.columns) == THEMES
    np.testing.assert_array_equal(frame.to_numpy(dtype=float), expected(plain, unit, measure))


def test_the_numbers_mean_something(study: Project) -> None:
    frame = study.matrices.cooccurrence(rows="themes").frame
    # Time's codings (maya's, tomas's and Noon's, overlapping) make one passage in a-leader;
    # with one each in a-patient, b-group and the pilot, Time meets itself four times.
    assert frame.loc["Challenges/Time", "Challenges/Time"] == 4
    assert frame.loc["Challenges/Time", "Challenges/Jargon"] == 0
    sentences = study.matrices.cooccurrence(rows="themes", unit="sentence").frame
    assert (sentences.to_numpy() == sentences.to_numpy().T).all()


def test_rows_and_columns_differ(study: Project, plain: Tables) -> None:
    frame = study.matrices.cooccurrence(rows="Challenges", columns="Resources").frame
    assert list(frame.index) == ["Challenges/Time", "Challenges/Jargon"]
    assert list(frame.columns) == ["Resources/Training"]
    full = expected(plain, "overlap", "segments")
    assert frame.to_numpy().ravel().tolist() == [full[0, 2], full[1, 2]]


def test_where_keeps_one_group(study: Project, plain: Tables) -> None:
    frame = study.matrices.cooccurrence(rows="themes", where={"site": ["A"]}).frame
    np.testing.assert_array_equal(
        frame.to_numpy(dtype=float),
        expected(plain, "overlap", "segments", {"a-leader", "a-patient"}),
    )
    with pytest.raises(UsageError, match="values: A, B, C"):
        study.matrices.cooccurrence(where={"site": ["Q"]})


def test_where_by_participant_attribute_keeps_their_words(study: Project) -> None:
    frame = study.matrices.cooccurrence(rows="themes", where={"participant:role": ["leader"]}).frame
    # Only Amira Haddad's words: the Training coding's part in the interviewer's question
    # is cut off, and no other participant's codings remain.
    assert frame.loc["Resources/Training", "Resources/Training"] == 1
    assert frame.loc["Challenges/Jargon", "Challenges/Jargon"] == 1
