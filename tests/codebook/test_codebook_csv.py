"""Codebooks from a name,parent,definition table: rows in any order, errors by row."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from coder.codebook.csv_format import read_csv
from coder.errors import InputError, ValidationError


def test_rows_in_any_order_build_the_tree(fixtures: Path) -> None:
    spec, warnings = read_csv(fixtures / "codebook.csv")
    assert warnings == []
    assert spec.title == "codebook"
    assert spec.paths() == [
        "Challenges",
        "Challenges/Material",
        "Challenges/Material/Time",
        'Challenges/Material/Après-midi "meetings"',
        "Challenges/Other",
        "Resources",
        "Resources/Other",
    ]
    assert spec.find("Challenges/Material").definition == "Money, time and people"
    assert spec.find('Challenges/Material/Après-midi "meetings"').definition == (
        "Multi-line\ndefinition, with a comma"
    )
    assert spec.find("Challenges/Material/Time").line == 2


def test_optional_columns_bom_and_semicolons() -> None:
    text = "\ufeffName;Parent;Definition;Kind;Key;Color;Id;Example\nA;;Top;organizing-theme;a;#D55E00;top;Ex.\nB;a;Below;;b;;;\n"
    spec, _ = read_csv(text, title="Semicolons")
    a = spec.codes[0]
    assert (a.kind, a.key, a.color, a.id, a.examples) == (
        "organizing-theme",
        "a",
        "#d55e00",
        "top",
        ["Ex."],
    )
    assert a.children[0].name == "B" and a.children[0].kind == "code"


def _error(text: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        read_csv(dedent(text), path="book.csv")
    return caught.value


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        pytest.param(
            """\
            name,parent,definition
            A,,x
            B,Nowhere,x
            """,
            3,
            "row 3: unknown parent 'Nowhere'; add a row for it or fix the name",
            id="unknown-parent",
        ),
        pytest.param(
            """\
            name,parent,definition
            Alpha,,x
            B,Alpa,x
            """,
            3,
            "unknown parent 'Alpa' (did you mean 'Alpha'?)",
            id="unknown-parent-suggestion",
        ),
        pytest.param(
            """\
            name,parent,definition
            A,C,x
            B,A,x
            C,B,x
            """,
            2,
            "row 2: code 'A' is its own ancestor (A → C → B → A); fix 'parent'",
            id="cycle",
        ),
        pytest.param(
            """\
            name,parent,definition
            A,A,x
            """,
            2,
            "code 'A' is its own ancestor (A → A)",
            id="self-parent",
        ),
        pytest.param(
            """\
            name,parent,definition
            A,,x
            b,A,x
            B,A,y
            """,
            4,
            "row 4: duplicate code 'B' under 'A' (first on row 3)",
            id="duplicate-sibling",
        ),
        pytest.param(
            """\
            name,parent,definition
            A,,x
            a,,y
            """,
            3,
            "row 3: duplicate code 'a' at the top level (first on row 2)",
            id="duplicate-top-level",
        ),
        pytest.param(
            """\
            name,parent,definition
            A,,x
            B,,x
            Other,A,x
            Other,B,x
            C,Other,x
            """,
            6,
            "row 6: parent 'Other' is ambiguous: several codes have that name (rows 4, 5)",
            id="ambiguous-parent",
        ),
        pytest.param(
            """\
            name,parent,definition
            ,,nameless
            """,
            2,
            "row 2: a code needs a name",
            id="empty-name",
        ),
        pytest.param(
            """\
            name,parent,definition,key
            A,,x,ab
            """,
            2,
            "row 2: shortcut key 'ab' must be a single character",
            id="bad-key",
        ),
        pytest.param(
            """\
            name,parent,definition,key
            A,,x,k
            B,,x,k
            """,
            3,
            "duplicate shortcut key 'k'",
            id="duplicate-key",
        ),
        pytest.param(
            """\
            name,parent,defintion
            A,,x
            """,
            1,
            "row 1: unknown column 'defintion' (did you mean 'definition'?)",
            id="unknown-column",
        ),
        pytest.param(
            """\
            parent,definition
            A,x
            """,
            1,
            "row 1: the header needs a 'name' column",
            id="no-name-column",
        ),
        pytest.param(
            """\
            name,parent,definition
            A,,x,extra
            """,
            2,
            "row 2 has 4 cells but the header has 3",
            id="too-many-cells",
        ),
    ],
)
def test_errors_name_the_row(text: str, line: int, expected: str) -> None:
    error = _error(text)
    assert expected in str(error)
    assert error.line == line
    assert str(error).startswith(f"book.csv, line {line}: ")


def test_path_parents_resolve_duplicated_names() -> None:
    spec, _ = read_csv(
        dedent(
            """\
            name,parent,definition
            C,B/Other,under the second Other
            A,,x
            B,,x
            Other,A,x
            Other,B,x
            """
        )
    )
    assert spec.find("B/Other/C").definition == "under the second Other"
    assert spec.find("A/Other").children == []


def test_slash_in_a_name_is_escaped_in_parent_paths() -> None:
    spec, _ = read_csv('name,parent\n"and/or",\nchild,and\\/or\n')
    assert spec.paths() == ["and\\/or", "and\\/or/child"]


def test_blank_rows_are_skipped_and_not_utf8_is_refused(tmp_path: Path) -> None:
    spec, _ = read_csv("name,parent\nA,\n,\n\nB,A\n")
    assert spec.paths() == ["A", "A/B"]
    path = tmp_path / "latin.csv"
    path.write_bytes("name\nCaf\xe9\n".encode("latin-1"))
    with pytest.raises(InputError, match="is not UTF-8") as caught:
        read_csv(path)
    assert caught.value.line == 2
