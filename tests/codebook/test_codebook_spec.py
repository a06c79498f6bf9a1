"""CodebookSpec and CodeSpec: walking, paths, lookup and equality."""

from __future__ import annotations

import pytest

from coder.codebook.checks import check_codebook
from coder.codebook.spec import CodebookSpec, CodeSpec, join_path, split_path, walk
from coder.errors import NotFoundError, ValidationError


def _spec() -> CodebookSpec:
    return CodebookSpec(
        "T",
        [
            CodeSpec(
                "A", id="a", children=[CodeSpec("B", children=[CodeSpec("C")]), CodeSpec("and/or")]
            ),
            CodeSpec("D", id="d"),
        ],
    )


def test_walk_is_depth_first_with_paths_depths_and_parents() -> None:
    spec = _spec()
    visits = list(spec.walk())
    assert [(v.path, v.depth) for v in visits] == [
        ("A", 0),
        ("A/B", 1),
        ("A/B/C", 2),
        ("A/and\\/or", 1),
        ("D", 0),
    ]
    assert visits[2].parent is visits[1].code
    assert visits[0].parent is None
    assert [v.path for v in walk(spec.codes[0].children)] == ["B", "B/C", "and\\/or"]
    assert len(spec) == 5 and spec.paths()[3] == "A/and\\/or"


def test_a_slash_inside_a_name_is_escaped_in_paths() -> None:
    assert join_path(["a/b", "c\\d"]) == "a\\/b/c\\\\d"
    assert split_path("a\\/b/c\\\\d") == ["a/b", "c\\d"]
    assert _spec().find("a/AND\\/OR").name == "and/or"


def test_find_ignores_case_and_explains_misses() -> None:
    spec = _spec()
    assert spec.find("a/b/c").name == "C"
    with pytest.raises(NotFoundError, match="no code 'X' under 'A/B'"):
        spec.find("A/B/X")
    with pytest.raises(NotFoundError, match="no code 'Z' at the top level"):
        spec.find("Z")
    with pytest.raises(NotFoundError, match="empty part"):
        spec.find("A//B")


def test_equality_ignores_line_and_guid() -> None:
    assert CodeSpec("A", line=3, guid="x") == CodeSpec("A", line=9)
    assert CodeSpec("A") != CodeSpec("A", definition="d")
    assert _spec() == _spec()


def test_by_id() -> None:
    assert sorted(_spec().by_id()) == ["a", "d"]


def test_walk_handles_very_deep_trees() -> None:
    code = CodeSpec("leaf")
    for number in range(3000):
        code = CodeSpec(f"n{number}", children=[code])
    assert sum(1 for _ in walk([code])) == 3001


def test_check_codebook_validates_specs_built_in_python() -> None:
    assert check_codebook(CodebookSpec("T", [CodeSpec("A", definition="d")])) == []
    with pytest.raises(ValidationError, match="colour 'red' is not of the form #rrggbb"):
        check_codebook(CodebookSpec("T", [CodeSpec("A", color="red")]))
    with pytest.raises(ValidationError, match="has white space around it"):
        check_codebook(CodebookSpec("T", [CodeSpec(" A")]))
    with pytest.raises(ValidationError, match="the codebook needs a name"):
        check_codebook(CodebookSpec("", []))
    with pytest.raises(ValidationError, match="duplicate guid"):
        guid = "7b7a7c63-7d0a-4f5b-9a55-0b0e2d5c1a01"
        check_codebook(
            CodebookSpec("T", [CodeSpec("A", guid=guid), CodeSpec("B", guid=guid.upper())])
        )
