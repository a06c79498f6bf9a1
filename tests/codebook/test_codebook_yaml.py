"""The YAML codebook format: what it accepts, and a message naming the line for what it refuses."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from coder.codebook.spec import CodebookSpec, CodeSpec
from coder.codebook.yaml_format import dump_yaml, load_yaml
from coder.errors import InputError, ValidationError

GOOD = """\
title: Patient partnership in primary-care improvement
version: "1.0"
source: Alidina et al. 2021
description: >
  A test codebook.
codes:
  - name: Challenges
    kind: organizing-theme
    definition: Obstacles.
    children:
      - name: Material challenges
        kind: theme
        definition: Time, people, money.
        children:
          - name: Time and meeting timing
            id: challenge.material.time
            definition: Talk about time.
            include: When meetings clash with work.
            exclude: Partners leaving (use Attrition).
            examples: ["I can't come at two."]
            color: "#D55E00"
            key: t
            keywords: [time, schedule, "after hours"]
            patterns:
              - [{LOWER: meeting}, {LOWER: {IN: [time, times, schedule]}}]
          - name: Attrition
            definition: Partners leaving.
"""


def _error(text: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        load_yaml(dedent(text), path="book.yaml")
    return caught.value


def test_reads_the_documented_example() -> None:
    spec, warnings = load_yaml(GOOD)
    assert warnings == []
    assert spec.title == "Patient partnership in primary-care improvement"
    assert spec.version == "1.0" and spec.description == "A test codebook."
    time = spec.find("Challenges/Material challenges/Time and meeting timing")
    assert time.id == "challenge.material.time"
    assert time.color == "#d55e00"  # lower case after parsing
    assert time.keywords == ["time", "schedule", "after hours"]
    assert time.patterns == [
        [{"LOWER": "meeting"}, {"LOWER": {"IN": ["time", "times", "schedule"]}}]
    ]
    assert time.line == 15
    assert spec.find("challenges/material CHALLENGES").kind == "theme"


def test_reads_a_file_and_names_it(tmp_path: Path) -> None:
    path = tmp_path / "book.yaml"
    path.write_text(GOOD.replace("key: t", "key: tt"), encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_yaml(path)
    assert caught.value.path == path
    assert str(caught.value).startswith(f"{path}, line 22: ")


def test_plain_scalars_keep_their_text() -> None:
    spec, _ = load_yaml("title: 2019\nversion: 1.10\ncodes:\n  - name: yes\n    definition: no\n")
    assert spec.title == "2019" and spec.version == "1.10"
    assert spec.codes[0].name == "yes" and spec.codes[0].definition == "no"


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        pytest.param(
            """\
            title: T
            codes:
              - name: Time
                definition: d
              - name: TIME
                definition: d
            """,
            5,
            "duplicate code name 'TIME': 'Time' (line 3) has the same name",
            id="duplicate-sibling-ignoring-case",
        ),
        pytest.param(
            """\
            title: T
            codes:
              - name: "  "
            """,
            3,
            "a code needs a name",
            id="empty-name",
        ),
        pytest.param(
            """\
            title: T
            codes:
              - name: A
                color: "#12345"
            """,
            4,
            "colour '#12345' is not of the form #rrggbb",
            id="bad-colour",
        ),
        pytest.param(
            """\
            title: T
            codes:
              - name: A
                color: #d55e00
            """,
            4,
            "in YAML a '#' starts a comment, so quote the colour",
            id="unquoted-colour",
        ),
        pytest.param(
            """\
            title: T
            codes:
              - name: A
                key: t
                children:
                  - name: B
                    key: t
            """,
            6,
            "duplicate shortcut key 't': used by 'A' (line 3) and 'A/B'",
            id="duplicate-key-across-codebook",
        ),
        pytest.param(
            """\
            title: T
            codes:
              - name: A
                key: tt
            """,
            4,
            "shortcut key 'tt' must be a single character",
            id="key-not-one-character",
        ),
        pytest.param(
            """\
            title: T
            codes:
              - name: A
                id: x.y
              - name: B
                id: x.y
            """,
            5,
            "duplicate id 'x.y': used by 'A' (line 3) and 'B'",
            id="duplicate-id",
        ),
        pytest.param(
            """\
            title: T
            codes:
              - name: A
                id: has space
            """,
            4,
            "id 'has space' must be one word",
            id="bad-id",
        ),
        pytest.param(
            """\
            title: T
            codes:
              - name: A
                defintion: typo
            """,
            4,
            "unknown field 'defintion' (did you mean 'definition'?)",
            id="unknown-field",
        ),
        pytest.param(
            """\
            title: T
            cods: []
            """,
            2,
            "unknown field 'cods' (did you mean 'codes'?)",
            id="unknown-top-level-field",
        ),
        pytest.param(
            """\
            title: T
            codes:
              - name: A
                examples: just one string
            """,
            4,
            "'examples' must be a list, not the text 'just one string'",
            id="string-where-list-expected",
        ),
        pytest.param(
            """\
            title: T
            codes:
              - name: A
                definition: [a, b]
            """,
            4,
            "'definition' must be text, not a list",
            id="list-where-text-expected",
        ),
        pytest.param(
            """\
            title: T
            codes:
              name: A
            """,
            3,
            "a list of codes (each starting with '- name:') is expected, not a mapping",
            id="mapping-where-codes-expected",
        ),
        pytest.param(
            """\
            title: T
            codes:
              - name: A
                kind: thme
            """,
            4,
            "unknown kind 'thme' (did you mean 'theme'?)",
            id="unknown-kind",
        ),
        pytest.param(
            """\
            title: T
            codes:
              - name: A
                patterns:
                  - {LOWER: meeting}
            """,
            5,
            "pattern 1 must be a non-empty list of token mappings, not a mapping",
            id="pattern-not-a-list",
        ),
        pytest.param(
            """\
            title: T
            codes:
              - name: A
                patterns:
                  - [{LOWER: meeting}, time]
            """,
            5,
            "pattern 1, token 2 must be a mapping such as {LOWER: meeting}, not the text 'time'",
            id="pattern-token-not-a-mapping",
        ),
        pytest.param(
            """\
            title: T
            codes:
              - name: A
                patterns:
                  - [{LOWR: meeting}]
            """,
            5,
            "unknown token attribute 'LOWR' (did you mean 'LOWER'?)",
            id="pattern-unknown-attribute",
        ),
        pytest.param(
            """\
            title: T
            codes:
              - name: A
                patterns: [{LOWER: a, OP: "++"}]
            """,
            4,
            "pattern 1 must be a non-empty list",
            id="patterns-flat-list",
        ),
        pytest.param(
            """\
            title: T
            codes:
              - name: A
                definition: one
                definition: two
            """,
            5,
            "field 'definition' is given twice (first on line 4)",
            id="duplicate-field",
        ),
        pytest.param(
            """\
            title: T
            codes:
              - definition: nameless
            """,
            3,
            "this code has no 'name'",
            id="missing-name",
        ),
        pytest.param(
            """\
            codes: []
            """,
            1,
            "the codebook has no 'title'",
            id="missing-title",
        ),
        pytest.param(
            """\
            title: T
            codes:
              - &a
                name: A
              - *a
            """,
            5,  # the alias itself: aliases are refused before the tree is composed
            "repeated through a YAML alias (*a)",
            id="alias-reuse",
        ),
        pytest.param(
            """\
            title: T
            codes:
              - name: "A\\x07"
            """,
            3,
            "contains the control character U+0007",
            id="control-character",
        ),
        pytest.param(
            """\
            title: T
            codes:
              - name: "two\\nlines"
            """,
            3,
            "must be on one line",
            id="multi-line-name",
        ),
    ],
)
def test_validation_errors_name_the_line(text: str, line: int, expected: str) -> None:
    error = _error(text)
    assert error.line == line
    assert expected in str(error)
    assert str(error).startswith(f"book.yaml, line {line}: ")


def test_syntax_error_is_an_input_error_with_the_line() -> None:
    with pytest.raises(InputError) as caught:
        load_yaml(
            "title: T\ncodes:\n  - name: A\n    definition: [unclosed\n  - name: B\n", path="b.yaml"
        )
    assert not isinstance(caught.value, ValidationError)
    assert caught.value.line is not None and caught.value.line >= 4
    assert "YAML syntax error" in str(caught.value)


def test_tabs_get_a_hint() -> None:
    with pytest.raises(InputError, match="tabs for indentation"):
        load_yaml("title: T\ncodes:\n\t- name: A\n")


def test_empty_and_non_mapping_documents() -> None:
    with pytest.raises(InputError, match="the file is empty"):
        load_yaml("# nothing but a comment\n")
    with pytest.raises(ValidationError, match="pass a Path"):
        load_yaml("codebooks/lind-2014.yaml")


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read the file"):
        load_yaml(tmp_path / "missing.yaml")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("title: Caf\xe9\ncodes: []\n".encode("latin-1"))
    with pytest.raises(InputError, match="is not UTF-8") as caught:
        load_yaml(latin)
    assert caught.value.line == 1


def test_warnings_for_suspect_but_legal_content() -> None:
    spec, warnings = load_yaml(
        dedent(
            """\
            title: T
            codes:
              - name: A
                keywords: [time, Time]
                children:
                  - name: B
                    kind: organizing-theme
                    definition: d
                    keywords: [time]
            """
        ),
        path="w.yaml",
    )
    assert spec.codes[0].children[0].kind == "organizing-theme"
    assert "w.yaml, line 3: code 'A' has no definition" in warnings[0]
    assert any("lists keyword 'Time' twice" in w for w in warnings)
    assert any("organizing theme 'A/B' sits under another code" in w for w in warnings)
    assert any("organizing-theme 'A/B' sits under the code 'A'" in w for w in warnings)
    assert any("keyword 'time' of 'A/B' is also a keyword of 'A' (line 3)" in w for w in warnings)


def test_empty_codebook_warns() -> None:
    spec, warnings = load_yaml("title: T\ncodes:\n")
    assert spec.codes == [] and warnings == ["the codebook has no codes"]


def test_texts_are_trimmed_and_line_breaks_normalised() -> None:
    spec, _ = load_yaml('title: T\ncodes:\n  - name: " A "\n    definition: "x\\r\\ny\\u2028z  "\n')
    assert spec.codes[0].name == "A"
    assert spec.codes[0].definition == "x\ny\nz"


def test_dump_is_stable_and_readable() -> None:
    spec, _ = load_yaml(GOOD)
    text = dump_yaml(spec)
    assert text == dump_yaml(load_yaml(text).spec)
    assert text.startswith(
        "title: Patient partnership in primary-care improvement\nversion: '1.0'\n"
    )
    assert "\ncodes:\n  - name: Challenges\n    kind: organizing-theme\n" in text
    assert "keywords: [time, schedule, after hours]" in text
    assert "- [{LOWER: meeting}, {LOWER: {IN: [time, times, schedule]}}]" in text
    assert "color: '#d55e00'" in text
    assert "kind: code" not in text and "include: ''" not in text


def test_dump_writes_multi_line_texts_as_blocks() -> None:
    spec = CodebookSpec("T", [CodeSpec("A", definition="First line.\nSecond: line.")])
    text = dump_yaml(spec)
    assert "definition: |-\n      First line.\n      Second: line.\n" in text
    assert load_yaml(text).spec == spec


def test_dump_refuses_an_invalid_spec() -> None:
    spec = CodebookSpec("T", [CodeSpec("A", key="t"), CodeSpec("B", key="t")])
    with pytest.raises(ValidationError, match="duplicate shortcut key"):
        dump_yaml(spec)


def test_guid_field_round_trips() -> None:
    text = "title: T\ncodes:\n  - name: A\n    guid: 7B7A7C63-7D0A-4F5B-9A55-0B0E2D5C1A01\n"
    spec, _ = load_yaml(text)
    assert spec.codes[0].guid == "7B7A7C63-7D0A-4F5B-9A55-0B0E2D5C1A01"
    assert load_yaml(dump_yaml(spec)).spec.codes[0].guid == spec.codes[0].guid
    with pytest.raises(ValidationError, match="is not a GUID"):
        load_yaml("title: T\ncodes:\n  - name: A\n    guid: nope\n")
