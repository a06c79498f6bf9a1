"""Every measure against the plain character-by-character reference (matrix_reference.py):
rolled-up themes and single codes, document and participant groups, a split, totals, the
coder rule, empty groups, participants without codings, and left-out documents."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matrix_reference import (
    Tables,
    by_document,
    by_participant_role,
    reference,
    tables,
)
from matrix_study import THEMES, build

from coder import Project
from coder.errors import CoderError, NotFoundError, UsageError
from coder.matrix import EVIDENCE, MEASURES, TOTAL

CODES = [
    "Challenges",
    "Challenges/Time",
    "Challenges/Time/Noon",
    "Challenges/Jargon",
    "Resources",
    "Resources/Training",
]


def values(frame: pd.DataFrame) -> pd.DataFrame:
    kept = [c for c in frame.columns if (c[0] if isinstance(c, tuple) else c) != EVIDENCE]
    out = frame[kept].astype(float)
    out.columns = pd.Index(list(kept), dtype=object)
    return out


def check(actual: pd.DataFrame, expected: pd.DataFrame) -> None:
    got = values(actual)
    assert list(got.index) == list(expected.index)
    assert list(got.columns) == list(expected.columns)
    np.testing.assert_allclose(got.to_numpy(), expected.to_numpy(dtype=float), rtol=1e-12)


@pytest.fixture(scope="module")
def plain(study_path: Path) -> Tables:
    with Project.open(study_path) as project:
        return tables(project)


@pytest.mark.parametrize("measure", MEASURES)
@pytest.mark.parametrize("level", ["themes", "codes"])
def test_by_site(study: Project, plain: Tables, measure: str, level: str) -> None:
    frame = study.matrices.matrix("site", measure=measure, level=level).frame
    rows = THEMES if level == "themes" else CODES
    expected = reference(
        plain,
        rows,
        level == "themes",
        measure,
        by_document(plain, ["site"]),
        "document",
        ["A", "B", "C"],
    )
    check(frame, expected)


@pytest.mark.parametrize("measure", MEASURES)
def test_by_site_and_role(study: Project, plain: Tables, measure: str) -> None:
    frame = study.matrices.matrix("site", split="role", measure=measure, level="themes").frame
    labels: list[object] = [
        ("A", "leader"),
        ("A", "patient"),
        ("B", "patient"),
        ("B", "provider"),
        ("C", "patient"),
    ]
    expected = reference(
        plain, THEMES, True, measure, by_document(plain, ["site", "role"]), "document", labels
    )
    assert frame.columns.names == ["site", "role"]
    check(frame, expected)


@pytest.mark.parametrize("measure", MEASURES)
def test_by_participant_attribute(study: Project, plain: Tables, measure: str) -> None:
    frame = study.matrices.matrix("participant:role", measure=measure, level="themes").frame
    labels: list[object] = ["leader", "patient", "provider"]
    expected = reference(
        plain, THEMES, True, measure, by_participant_role(plain), "participant", labels
    )
    check(frame, expected)


@pytest.mark.parametrize("coder", ["maya", "tomas", "consensus"])
@pytest.mark.parametrize("measure", ["segments", "participants", "coverage"])
def test_one_coder(study: Project, study_path: Path, coder: str, measure: str) -> None:
    plain = tables(study, coder=coder)
    frame = study.matrices.matrix("site", measure=measure, level="themes", coder=coder).frame
    expected = reference(
        plain, THEMES, True, measure, by_document(plain, ["site"]), "document", ["A", "B", "C"]
    )
    check(frame, expected)


@pytest.mark.parametrize("measure", MEASURES)
def test_totals_are_distinct_counts(study: Project, plain: Tables, measure: str) -> None:
    frame = study.matrices.matrix("site", measure=measure, level="themes", totals=True).frame
    in_a_site = by_document(plain, ["site"])

    def anywhere(f: pd.DataFrame) -> pd.Series:
        return in_a_site(f).map(lambda v: TOTAL if pd.notna(v) else None)

    column = reference(plain, THEMES, True, measure, anywhere, "document", [TOTAL])
    # The Total row is one row counting every theme's codes.
    every = plain.chars[[any(c.startswith(t) for t in THEMES) for c in plain.chars["code"]]]
    merged = Tables(
        chars=every.assign(code="Total"),
        sentences=plain.sentences,
        speech=plain.speech,
        documents=plain.documents,
        people=plain.people,
    )
    row = reference(merged, [TOTAL], False, measure, in_a_site, "document", ["A", "B", "C"])
    corner = reference(merged, [TOTAL], False, measure, anywhere, "document", [TOTAL])
    got = values(frame)
    np.testing.assert_allclose(got.loc[THEMES, TOTAL], column[TOTAL].to_numpy(dtype=float))
    np.testing.assert_allclose(got.loc[TOTAL, ["A", "B", "C"]], row.iloc[0].to_numpy(dtype=float))
    assert got.loc[TOTAL, TOTAL] == pytest.approx(corner.iloc[0, 0])
    if measure in ("segments", "sentences", "documents", "participants"):
        # Text coded with two themes counts once in the total: not a sum.
        assert got.loc[TOTAL, TOTAL] <= got.loc[THEMES, TOTAL].sum()


def test_evidence_and_min_groups(study: Project, plain: Tables) -> None:
    presence = reference(
        plain, CODES, False, "presence", by_document(plain, ["site"]), "document", ["A", "B", "C"]
    )
    frame = study.matrices.matrix("site", level="codes").frame
    assert list(frame[EVIDENCE]) == list(presence.sum(axis=1).astype(int))
    kept = study.matrices.matrix("site", level="codes", min_groups=2).frame
    assert list(kept.index) == [r for r in CODES if presence.loc[r].sum() >= 2]
    assert list(kept.index) == ["Challenges/Time/Noon", "Challenges/Jargon", "Resources/Training"]


def test_evidence_counts_groups_not_subgroups(study: Project) -> None:
    frame = study.matrices.matrix("site", split="role", level="themes").frame
    # Jargon is coded at site A (leader and patient) and site B: two sites, three subgroups.
    assert frame.loc["Challenges/Jargon", (EVIDENCE, "")] == 2


def test_empty_group_and_uncoded_participants(study: Project) -> None:
    frame = study.matrices.matrix("site", measure="share", level="themes").frame
    # Site C (Rosa Diaz, never coded; a rejected suggestion there does not count) is a column.
    assert list(frame["C"]) == [0.0, 0.0, 0.0]
    # Site B has three participants; Kim Lee (provider) has only a suggestion.
    assert frame.loc["Resources/Training", "B"] == pytest.approx(1 / 3)


def test_left_out_documents(study: Project) -> None:
    found = study.matrices.matrix("site", level="themes")
    assert found.left_out == 1  # the pilot interview has no site
    assert "x-pilot" not in str(found.frame.to_dict())


def test_the_coder_rule(study: Project) -> None:
    """In a-patient the consensus replaces maya's codings; elsewhere maya and tomas merge."""
    default = study.matrices.matrix("site", measure="sentences", level="themes").frame
    maya = study.matrices.matrix("site", measure="sentences", level="themes", coder="maya").frame
    # In a-patient maya coded "Time too." as Time, which the consensus did not keep; the
    # consensus coded "Meetings at noon..." as Time/Noon instead: one sentence either way,
    # besides a-leader's two.
    assert default.loc["Challenges/Time", "A"] == 3
    assert maya.loc["Challenges/Time", "A"] == 3
    assert default.loc["Challenges/Time", "B"] == maya.loc["Challenges/Time", "B"] == 1
    jargon = study.matrices.matrix("site", measure="coverage", level="themes", coder="consensus")
    assert jargon.frame.loc["Challenges/Jargon", "B"] == 0


def test_segments_are_codings_joined_as_qda_programs_count_them(study: Project) -> None:
    """A coding of three sentences is one segment, as in MAXQDA's Code Matrix Browser."""
    default = study.matrices.matrix("site", measure="segments", level="themes").frame
    maya = study.matrices.matrix("site", measure="segments", level="themes", coder="maya").frame
    tomas = study.matrices.matrix("site", measure="segments", level="themes", coder="tomas").frame
    # a-leader: maya coded two separate sentences for Time (one as Time/Noon); tomas's coding
    # overlaps both, so in the merged view the three are one segment. a-patient: the
    # consensus's Noon coding, or maya's own "Time too.".
    assert maya.loc["Challenges/Time", "A"] == 2 + 1
    assert tomas.loc["Challenges/Time", "A"] == 1
    assert default.loc["Challenges/Time", "A"] == 1 + 1
    # b-group: tomas's Jargon coding across two turns is one segment, maya's "Acronyms" another.
    assert default.loc["Challenges/Jargon", "B"] == 2
    sentences = study.matrices.matrix("site", measure="sentences", level="themes").frame
    assert sentences.loc["Challenges/Time", "A"] == 3


def test_sentences_are_counted_once_each(study: Project) -> None:
    frame = study.matrices.matrix("site", measure="sentences", level="codes").frame
    # a-leader: maya's and tomas's overlapping Time codings touch two sentences (a-patient's
    # Time coding is set aside for the consensus); the coding of just "Amira Haddad:" touches
    # no sentence and counts as one stretch of text.
    assert frame.loc["Challenges/Time", "A"] == 2
    assert frame.loc["Challenges", "A"] == 1


def test_units(study: Project) -> None:
    turns = study.matrices.matrix("site", measure="sentences", level="themes", unit="turn")
    # Jargon in site B: the coding across Lena's and Omar's turns, and Omar's "Acronyms".
    assert turns.frame.loc["Challenges/Jargon", "B"] == 2
    assert turns.unit == "turn"


def test_levels(study: Project) -> None:
    top = study.matrices.matrix("site", level="top").frame
    assert list(top.index) == ["Challenges", "Resources"]
    depth = study.matrices.matrix("site", level="2").frame
    assert list(depth.index) == THEMES
    children = study.matrices.matrix("site", level="Challenges").frame
    assert list(children.index) == ["Challenges/Time", "Challenges/Jargon"]
    only = study.matrices.matrix("site", level="codes", codes=["Challenges/Time"]).frame
    assert list(only.index) == ["Challenges/Time", "Challenges/Time/Noon"]


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda p: p.matrices.matrix("region"), NotFoundError, "attributes: role"),
        (lambda p: p.matrices.matrix("place:site"), UsageError, "document:NAME"),
        (lambda p: p.matrices.matrix("site", split="site"), UsageError, "different"),
        (lambda p: p.matrices.matrix("site", coder="zoe"), NotFoundError, "coders: consensus"),
        (lambda p: p.matrices.matrix("site", level="Nothing"), NotFoundError, "--level takes"),
        (
            lambda p: p.matrices.matrix("site", level="Challenges/Jargon"),
            UsageError,
            "no sub-codes",
        ),
        (lambda p: p.matrices.matrix("site", measure="mean"), UsageError, "segments"),
        (lambda p: p.matrices.matrix("site", unit="word"), UsageError, "sentence"),
        (lambda p: p.matrices.matrix("site", min_groups=-1), UsageError, "0 or more"),
    ],
)
def test_clear_errors(study: Project, call: object, error: type[CoderError], words: str) -> None:
    with pytest.raises(error, match=words):
        call(study)  # type: ignore[operator]


@pytest.mark.parametrize("location", ["sqlite"], indirect=True)
def test_scope_must_be_said_when_values_differ(project: Project, tmp_path: Path) -> None:
    build(project, tmp_path / "corpus")
    with project._store.write("lead") as tx:
        person = next(p for p in tx.participants() if p.name == "Dana Roy")
        tx.set_attribute_value(tx.ensure_attribute("participant", "site", "text"), person.id, "Z")
        tx.log("attribute.set", "participant", person.id)
    with pytest.raises(UsageError, match="document:site or participant:site"):
        project.matrices.matrix("site")
    by_person = project.matrices.matrix("participant:site", level="themes").frame
    assert "Z" in by_person.columns
    by_document = project.matrices.matrix("document:site", level="themes").frame
    assert list(by_document.columns[:-1]) == ["A", "B", "C"]


def test_both_engines(project: Project, tmp_path: Path) -> None:
    """The same numbers from PostgreSQL as from the reference (and so as from SQLite)."""
    build(project, tmp_path / "corpus")
    plain = tables(project)
    labels: list[object] = [
        ("A", "leader"),
        ("A", "patient"),
        ("B", "patient"),
        ("B", "provider"),
        ("C", "patient"),
    ]
    for measure in MEASURES:
        frame = project.matrices.matrix("site", split="role", measure=measure, level="themes").frame
        expected = reference(
            plain, THEMES, True, measure, by_document(plain, ["site", "role"]), "document", labels
        )
        check(frame, expected)
    people = project.matrices.matrix("participant:role", measure="share", level="themes").frame
    expected = reference(
        plain,
        THEMES,
        True,
        "share",
        by_participant_role(plain),
        "participant",
        ["leader", "patient", "provider"],
    )
    check(people, expected)
