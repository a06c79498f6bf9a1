"""Random codebooks survive YAML and REFI-QDA round trips unchanged."""

from __future__ import annotations

from typing import Any

import xmlschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coder.codebook import description
from coder.codebook.qdc import read_qdc, write_qdc
from coder.codebook.spec import KINDS, CodebookSpec, CodeSpec, walk
from coder.codebook.yaml_format import dump_yaml, load_yaml

# Everything a codebook may hold: no control characters, surrogates or XML non-characters.
CHARS = st.characters(
    exclude_categories=("Cc", "Cs", "Zl", "Zp"), exclude_characters="\ufffe\uffff"
)
NAMES = st.text(CHARS, min_size=1, max_size=12).map(str.strip).filter(bool)
TEXTS = st.text(st.one_of(CHARS, st.sampled_from("\n\t :#-\\")), max_size=60).map(str.strip)
KEYS = st.characters(exclude_categories=["Cs"]).filter(
    lambda c: c.isprintable() and not c.isspace()
)
IDS = st.text("abcxyzé01._:-", min_size=1, max_size=8)
COLORS = st.integers(0, 0xFFFFFF).map(lambda n: f"#{n:06x}")
TOKENS: st.SearchStrategy[dict[str, Any]] = st.one_of(
    st.fixed_dictionaries({"LOWER": NAMES}),
    st.fixed_dictionaries(
        {"LOWER": st.fixed_dictionaries({"IN": st.lists(NAMES, min_size=1, max_size=3)})}
    ),
    st.fixed_dictionaries({"IS_ALPHA": st.booleans(), "OP": st.sampled_from(["?", "+", "*", "!"])}),
    st.fixed_dictionaries({"LENGTH": st.integers(0, 30)}),
)


@st.composite
def codes(draw: st.DrawFn, depth: int = 0) -> list[CodeSpec]:
    found: list[CodeSpec] = []
    for name in draw(st.lists(NAMES, max_size=3 if depth < 3 else 0, unique_by=str.casefold)):
        found.append(
            CodeSpec(
                name=name,
                kind=draw(st.sampled_from(KINDS)),
                id=draw(st.none() | IDS),
                definition=draw(TEXTS),
                include=draw(TEXTS),
                exclude=draw(TEXTS),
                examples=draw(st.lists(TEXTS.filter(bool), max_size=2)),
                color=draw(st.none() | COLORS),
                key=draw(st.none() | KEYS),
                keywords=draw(st.lists(NAMES, max_size=3)),
                patterns=draw(st.lists(st.lists(TOKENS, min_size=1, max_size=3), max_size=2)),
                children=draw(codes(depth + 1)),
            )
        )
    return found


@st.composite
def codebooks(draw: st.DrawFn) -> CodebookSpec:
    tree = draw(codes()) or [CodeSpec(name=draw(NAMES))]
    # Keys and ids are unique across a codebook: keep the first of each.
    seen: set[str] = set()
    for visit in walk(tree):
        code = visit.code
        for attribute, prefix in (("key", "k:"), ("id", "i:")):
            value = getattr(code, attribute)
            if value is not None and prefix + value in seen:
                setattr(code, attribute, None)
            elif value is not None:
                seen.add(prefix + value)
    return CodebookSpec(
        title=draw(NAMES),
        codes=tree,
        version=draw(st.none() | NAMES),
        description=draw(TEXTS),
        source=draw(TEXTS),
    )


SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(codebooks())
def test_yaml_round_trip(spec: CodebookSpec) -> None:
    text = dump_yaml(spec)
    assert load_yaml(text).spec == spec
    assert dump_yaml(load_yaml(text).spec) == text


@SETTINGS
@given(codebooks())
def test_qdc_round_trip(spec: CodebookSpec) -> None:
    # write_qdc validates what it writes against the schema and raises if it does not conform.
    assert read_qdc(write_qdc(spec)).spec == spec


@settings(max_examples=20, deadline=None)
@given(codebooks())
def test_qdc_output_validates_independently(
    codebook_schema: xmlschema.XMLSchema, spec: CodebookSpec
) -> None:
    assert list(codebook_schema.iter_errors(write_qdc(spec))) == []


@SETTINGS
@given(TEXTS, TEXTS, st.lists(TEXTS.filter(bool), max_size=3))
def test_description_round_trip(definition: str, include: str, examples: list[str]) -> None:
    code = CodeSpec("A", definition=definition, include=include, examples=examples)
    found = description.parse(description.compose(code), extras=True)
    assert (found.definition, found.include, found.exclude, found.examples) == (
        definition,
        include,
        "",
        examples,
    )


@SETTINGS
@given(st.lists(NAMES, min_size=1, max_size=5))
def test_keyword_lists_round_trip(keywords: list[str]) -> None:
    assert description.parse_keywords(description.format_keywords(keywords)) == keywords
