"""The pure parts of coder.matrix on hand-made tables: spans, edge cases of the measures, the
row levels, and the exemplar rule."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coder import model
from coder.codebook.tree import CodeTree
from coder.coding.citation import cite
from coder.matrix import Corpus, Groups, Rows, cooccurrence, matrix, select_rows
from coder.matrix.exemplars import choose, is_complete
from coder.matrix.measures import EVIDENCE, MEASURES, clip, evidence, union_spans


def frame(columns: str, rows: list[tuple[int, ...]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns.split(), dtype="int64")


def corpus(codings: list[tuple[int, ...]], units: list[tuple[int, ...]] | None = None) -> Corpus:
    """One 100-character document (1) spoken by participant 7 in [0, 50) and 8 in [60, 100)."""
    return Corpus(
        codings=frame("document code start end", codings),
        documents=frame("document length", [(1, 100), (2, 40)]),
        units=frame(
            "document start end",
            units if units is not None else [(1, 0, 20), (1, 20, 50), (1, 60, 100)],
        ),
        turns=frame("document start end participant", [(1, 0, 50, 7), (1, 60, 100, 8)]),
        speakers=frame("document participant", [(1, 7), (1, 8), (2, 9)]),
    )


def rows(*codes: int) -> Rows:
    return Rows(
        labels=[f"c{c}" for c in codes],
        members=frame("code row", [(c, i) for i, c in enumerate(codes)]),
        rolled_up=False,
    )


def by_document(labels: list[str], pairs: list[tuple[int, int]]) -> Groups:
    return Groups(
        scope="document", names=("site",), labels=labels, members=frame("document column", pairs)
    )  # type: ignore[arg-type]


def test_union_merges_overlapping_and_touching_spans_per_key() -> None:
    spans = frame("k start end", [(0, 5, 10), (0, 0, 5), (0, 8, 12), (1, 0, 3), (0, 20, 25)])
    merged = union_spans(spans, ["k"])
    assert merged.to_numpy().tolist() == [[0, 0, 12], [0, 20, 25], [1, 0, 3]]


def test_clip_cuts_codings_at_turn_edges() -> None:
    spans = frame("document code start end", [(1, 3, 40, 70)])
    turns = frame("document start end participant", [(1, 60, 100, 8), (1, 0, 50, 7)])
    pieces = clip(spans, turns, 101)
    assert pieces[["start", "end", "participant"]].to_numpy().tolist() == [[40, 50, 7], [60, 70, 8]]


def test_measures_on_a_coding_across_two_speakers_and_a_gap() -> None:
    c = corpus([(1, 1, 40, 70)])
    groups = by_document(["A", "B"], [(1, 0), (2, 1)])
    get = {
        m: matrix(c, rows(1), groups, m)  # type: ignore[arg-type]
        for m in MEASURES
    }
    assert get["segments"].loc["c1", "A"] == 1  # one coding
    assert get["sentences"].loc["c1", "A"] == 2  # units [20, 50) and [60, 100)
    assert get["participants"].loc["c1", "A"] == 2
    assert get["share"].loc["c1", "A"] == 1.0
    assert get["coverage"].loc["c1", "A"] == pytest.approx(30 / 100)
    # B (document 2, participant 9) has no codings: zeros, and it counts nowhere.
    assert [get[m].loc["c1", "B"] for m in get] == [0] * 7
    assert get["presence"].loc["c1", EVIDENCE] == 1


def test_text_touching_no_unit_counts_once_per_stretch() -> None:
    c = corpus([(1, 1, 50, 55), (1, 1, 53, 58), (1, 1, 10, 12)])
    m = matrix(c, rows(1), by_document(["A"], [(1, 0)]), "sentences")
    # [50, 58) touches no unit: one stretch; [10, 12) is in unit [0, 20).
    assert m.loc["c1", "A"] == 2


def test_coded_segments_join_one_coders_touching_codings_and_coders_overlapping_ones() -> None:
    codings = frame(
        "document code coder start end",
        [
            (1, 1, 0, 0, 10), (1, 1, 0, 10, 15),  # coder 0: touching, one segment [0, 15)
            (1, 1, 1, 12, 30),  # coder 1 overlaps it: still one
            (1, 1, 0, 30, 40),  # coder 0 touches coder 1's segment only: a second one
            (1, 1, 1, 50, 60), (1, 1, 0, 55, 56),  # overlapping: a third
            (1, 2, 0, 70, 80), (1, 3, 1, 75, 90),  # row of codes 2 and 3: one across coders
        ],
    )  # fmt: skip
    c = Corpus(**{**corpus([]).__dict__, "codings": codings})
    m = matrix(c, rows(1), by_document(["A"], [(1, 0)]), "segments")
    assert m.loc["c1", "A"] == 3
    both = Rows(labels=["theme"], members=frame("code row", [(2, 0), (3, 0)]), rolled_up=True)
    assert matrix(c, both, by_document(["A"], [(1, 0)]), "segments").loc["theme", "A"] == 1


def test_participant_groups_count_only_participants_words() -> None:
    c = corpus([(1, 1, 40, 70)])
    groups = Groups(
        scope="participant",
        names=("role",),
        labels=["leader", "patient", "nobody"],
        members=frame("document participant column", [(1, 7, 0), (1, 8, 1)]),
    )
    cover = matrix(c, rows(1), groups, "coverage")
    assert cover.loc["c1", "leader"] == pytest.approx(10 / 50)
    assert cover.loc["c1", "patient"] == pytest.approx(10 / 40)
    assert cover.loc["c1", "nobody"] == 0.0  # a group with no members: zeros, not an error


def test_empty_inputs_give_zero_matrices() -> None:
    c = corpus([])
    m = matrix(c, rows(1, 2), by_document(["A", "B"], [(1, 0)]), "share", totals=True)
    assert m.shape == (3, 4)
    assert float(np.abs(m.to_numpy(dtype=float)).sum()) == 0.0
    nothing = matrix(c, rows(1), by_document(["A"], [(1, 0)]), "segments", min_groups=1)
    assert list(nothing.index) == []


def test_evidence_counts_top_level_groups() -> None:
    presence = np.array([[1, 1, 0], [0, 0, 1]])
    assert evidence(presence, [("A", "x"), ("A", "y"), ("B", "x")]).tolist() == [1, 1]
    assert evidence(presence, ["A", "B", "C"]).tolist() == [2, 1]


def test_cooccurrence_counts_overlapping_passage_pairs() -> None:
    c = corpus([(1, 1, 0, 10), (1, 1, 30, 45), (1, 2, 5, 35), (1, 2, 40, 42)])
    pairs = cooccurrence(c, rows(1, 2), rows(1, 2), how="overlap")
    assert pairs.to_numpy().tolist() == [[2, 3], [3, 2]]
    units = cooccurrence(c, rows(1, 2), rows(1, 2), how="units")
    assert units.to_numpy().tolist() == [[2, 2], [2, 2]]


def tree() -> CodeTree:
    def code(i: int, name: str, parent: int | None, kind: model.CodeKind = "code") -> model.Code:
        return model.Code(id=i, guid=str(i), name=name, parent_id=parent, kind=kind, position=i)

    return CodeTree(
        [
            code(1, "Challenges", None, "organizing-theme"),
            code(2, "Material", 1, "theme"),
            code(3, "Time", 2),
            code(4, "Journey", None, "organizing-theme"),
            code(5, "Learning", 4),
            code(6, "Old", 2),
        ]
    )


def test_themes_are_themes_and_organizing_themes_without_any() -> None:
    found = select_rows(tree(), "themes")
    assert found.labels == ["Challenges/Material", "Journey"]
    assert found.members.to_numpy().tolist() == [[2, 0], [3, 0], [6, 0], [4, 1], [5, 1]]


def test_codes_level_counts_own_codings_and_filters() -> None:
    found = select_rows(tree(), "codes", ["Challenges/Material"])
    assert found.labels == [
        "Challenges/Material",
        "Challenges/Material/Time",
        "Challenges/Material/Old",
    ]
    assert not found.rolled_up and len(found.members) == 3


def test_a_codebook_without_kinds_uses_top_level_codes_as_themes() -> None:
    codes = [
        model.Code(id=1, guid="1", name="A", parent_id=None),
        model.Code(id=2, guid="2", name="B", parent_id=1),
    ]
    assert select_rows(CodeTree(codes), "themes").labels == ["A"]


def test_exemplar_rule() -> None:
    candidates = pd.DataFrame(
        [
            # row, column, document, start, end, participant, text, citation
            (0, 0, "d1", 0, 10, "Ann", "and then it was late", "(A)"),
            (0, 0, "d1", 20, 30, "Ann", "It was late, as always then.", "(A)"),
            (0, 0, "d1", 40, 50, "Ann", "Short one.", "(A)"),
            (0, 0, "d2", 0, 10, "Bo", "“Meetings at noon never worked for me.”", "(B)"),
            (0, 0, "d2", 0, 10, "Bo", "“Meetings at noon never worked for me.”", "(B)"),
            (0, 0, "d3", 5, 9, "Cy", "Too   many\nmeetings were held at noon, honestly!", "(C)"),
            (0, 1, "d4", 0, 5, "Di", "fragment", "(D)"),
        ],
        columns=["row", "column", "document", "start", "end", "participant", "text", "citation"],
    )
    chosen = choose(candidates, per_cell=3, min_words=5)
    first = chosen[chosen["column"] == 0]
    # Complete and long enough first, shortest first; Ann's shorter "Short one." is too short,
    # and she gets one quote; the duplicate of Bo's is one candidate.
    assert list(first["text"]) == [
        "It was late, as always then.",
        "“Meetings at noon never worked for me.”",
        "Too many meetings were held at noon, honestly!",
    ]
    assert list(first["rank"]) == [1, 2, 3]
    assert list(chosen.loc[chosen["column"] == 1, "text"]) == ["fragment"]  # better than none
    assert len(choose(candidates, per_cell=1)) == 2


def test_complete_sentences() -> None:
    texts = pd.Series(["It works.", "it works.", "It works", "(It works!)", "“2 things…”"])
    assert is_complete(texts).tolist() == [True, False, False, True, True]


def test_citations() -> None:
    values = {"site": "D", "role": "patient"}
    assert cite("(Site {site} {role:title})", values) == "(Site D Patient)"
    assert cite("({site} {role:upper}, {period})", values) == "(D PATIENT, ?)"


def test_a_code_is_labelled_by_as_much_of_its_path_as_tells_it_apart() -> None:
    names = [
        (1, "Parity", None),
        (2, "Numbers", 1),
        (3, "Met", 2),
        (4, "Missing", 2),
        (5, "Support", 1),
        (6, "Met", 5),
        (7, "Other study", None),
        (8, "Numbers", 7),
        (9, "missing", 8),  # names compare ignoring case, as paths do
    ]
    codes = [model.Code(id=i, guid=str(i), name=n, parent_id=p, position=i) for i, n, p in names]
    tree = CodeTree(codes)
    labels = {code.id: tree.label(code) for code in codes}
    assert labels[3] == "Numbers/Met"
    assert labels[6] == "Support/Met"
    assert labels[4] == "Parity/Numbers/Missing"
    assert labels[9] == "Other study/Numbers/missing"
    assert labels[1] == "Parity" and labels[5] == "Support"
    assert labels[2] == "Parity/Numbers"
