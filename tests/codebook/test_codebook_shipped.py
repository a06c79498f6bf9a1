"""The codebooks shipped in codebooks/: they load cleanly, are complete, and survive every format."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import xmlschema

from coder.codebook.qdc import read_qdc, write_qdc
from coder.codebook.spec import CodebookSpec
from coder.codebook.text_formats import to_latex, to_markdown
from coder.codebook.yaml_format import dump_yaml, load_yaml

CODEBOOKS = Path(__file__).resolve().parents[2] / "codebooks"
NAMES = ["alidina-2021", "clavel-2019", "lind-2014"]
# Colour-blind-safe palettes the codebooks draw from: Okabe-Ito, and Paul Tol's qualitative
# (bright, muted) and sequential/diverging (YlOrBr, BuRd, PRGn) schemes.
PALETTE = set(
    re.findall(
        r"#[0-9a-f]{6}",
        """#e69f00 #56b4e9 #009e73 #f0e442 #0072b2 #d55e00 #cc79a7 #000000
    #4477aa #66ccee #228833 #ccbb44 #ee6677 #aa3377 #bbbbbb
    #cc6677 #332288 #ddcc77 #117733 #88ccee #882255 #44aa99 #999933 #aa4499 #dddddd
    #fff7bc #fee391 #fec44f #fb9a29 #ec7014 #cc4c02 #993404 #662506
    #053061 #2166ac #4393c3 #92c5de #d1e5f0
    #40004b #762a83 #9970ab #c2a5cf #e7d4e8 #d9f0d3 #acd39e #5aae61 #1b7837 #00441b""",
    )
)


def _load(name: str) -> CodebookSpec:
    spec, warnings = load_yaml(CODEBOOKS / f"{name}.yaml")
    assert warnings == []
    return spec


def test_every_codebook_is_tested() -> None:
    assert sorted(p.stem for p in CODEBOOKS.glob("*.yaml")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_loads_without_warnings(name: str) -> None:
    spec, warnings = load_yaml(CODEBOOKS / f"{name}.yaml")
    assert warnings == []
    assert spec.title and spec.source and re.fullmatch(r"\d+\.\d+", spec.version)


def test_sizes() -> None:
    sizes = {name: len(_load(name)) for name in NAMES}
    assert 40 <= sizes["alidina-2021"] <= 62
    assert 30 <= sizes["clavel-2019"] <= 50
    assert sizes["lind-2014"] == 3 + 4 + 4 + 7 * 3  # each Parity condition: Met, Missing


@pytest.mark.parametrize("name", NAMES)
def test_every_code_is_fully_described(name: str) -> None:
    spec = _load(name)
    names = {visit.code.name for visit in spec.walk()}
    for visit in spec.walk():
        code = visit.code
        assert code.definition and code.include and code.exclude, visit.path
        assert 1 <= len(code.examples) <= 2, visit.path
        assert all(len(example) < 120 for example in code.examples), visit.path
        assert code.id is not None, visit.path
        assert code.color in PALETTE, (visit.path, code.color)
        # The exclusion names the neighbouring code to use instead.
        others = [n for n in names if n != code.name and n in code.exclude]
        assert others, f"{visit.path}: exclude names no other code"
        if code.kind == "code":
            assert len(code.keywords) >= 2, visit.path


@pytest.mark.parametrize("name", NAMES)
def test_most_used_leaves_have_keys(name: str) -> None:
    spec = _load(name)
    leaves = [v.code for v in spec.walk() if not v.code.children]
    keyed = [c for c in leaves if c.key]
    assert len(keyed) >= len(leaves) // 2
    assert all(len(c.key or "") == 1 for c in keyed)


def test_structure_of_alidina() -> None:
    spec = _load("alidina-2021")
    tops = [c.name for c in spec.codes]
    assert tops[:2] == ["Challenges", "Resources"]
    assert {"Forms of engagement", "Shared learning journey", "Value and impact"} <= set(tops)
    for top in ("Challenges", "Resources"):
        themes = [c.name.split()[0] for c in spec.find(top).children]
        assert themes[:3] == ["Material", "Technical", "Sociocultural"]
    # The source of a resource cuts across the kinds of resources: a dimension of its own,
    # not a fourth kind beside material, technical and sociocultural.
    assert [c.name for c in spec.find("Resources").children] == [
        "Material resources",
        "Technical resources",
        "Sociocultural resources",
    ]
    source = spec.find("Source of the resource")
    assert source.kind == "organizing-theme"
    assert [c.name for c in source.children] == [
        "External source",
        "Organizational source",
        "Individual source",
    ]
    # Every code says where in the article it comes from.
    assert all(visit.code.source for visit in spec.walk())
    # Strong or weaker partnership classifies sites (a document attribute), not passages.
    assert "coder attributes set partnership=" in spec.description
    consultation = {c.name for c in spec.find("Forms of engagement/Consultation").children}
    assert {"Surveys", "Suggestion boxes", "Mystery shoppers", "Focus groups"} <= consultation
    journey = {c.name for c in spec.find("Shared learning journey").children}
    assert {"Frequent interactions over time", "Proximity to decision-making"} <= journey
    assert spec.find("Challenges/Material challenges/Time and meeting timing").patterns


def test_clavel_crosses_practices_with_levels_and_phases() -> None:
    spec = _load("clavel-2019")
    practices = [c.name for c in spec.find("Managerial practices").children]
    assert practices == [
        "Design practices",
        "Structuration practices",
        "Operational practices",
        "Evaluation practices",
    ]
    # The article's names for the levels (Methods, "Data collection methods"), which do not
    # collide with "Operational practices".
    assert [c.name for c in spec.find("Management level").children] == [
        "Top-level managers",
        "Mid-level managers",
        "Front-line managers",
    ]
    assert [c.name for c in spec.find("Change phase").children] == [
        "Initiation",
        "Deployment",
        "Sustainability",
    ]
    # One phase per passage; a passage may name several levels ("top and mid-level managers").
    assert spec.find("Change phase").exclusive
    assert not spec.find("Management level").exclusive
    sizes = [len(spec.find(f"Managerial practices/{p}").children) for p in practices]
    assert sizes == [5, 6, 8, 3]
    # Every code says where in the article it comes from; the article has no code for
    # measuring effects on quality (its Discussion names that as a challenge still ahead).
    assert all(visit.code.source for visit in spec.walk())
    names = {visit.code.name for visit in spec.walk()}
    assert "Measuring effects on quality" not in names
    # Case and period are attributes of the interviews, and the description says so.
    assert "document attributes" in " ".join(spec.description.split())


def test_lind_place_phase_parity() -> None:
    spec = _load("lind-2014")
    assert [c.name for c in spec.codes] == ["Place", "Phase", "Parity"]
    assert [c.name for c in spec.find("Place").children] == [
        "Direct care",
        "Clinic",
        "Organization",
        "Region or system",
    ]
    assert [c.name for c in spec.find("Phase").children] == [
        "Design",
        "Plan",
        "Implement",
        "Evaluate",
    ]
    # Lind, Section II: Place and Phase are the matrix's axes, one of each per activity.
    assert [c.name for c in spec.codes if c.exclusive] == ["Place", "Phase"]
    # Phase is where collaboration begins (Lind: "the phase ... in which collaboration
    # begins"), not any stage a passage describes.
    assert "begin" in spec.find("Phase").definition
    assert " or the stage" not in spec.find("Phase").definition
    # Parity: seven conditions (Section II, "Factor 3: Parity"), each met or missing for an
    # activity, never both.
    conditions = spec.find("Parity").children
    assert [c.name for c in conditions] == [
        "Numbers",
        "Compensation",
        "Power balance and comfort",
        "Preparation and training",
        "Support",
        "Leadership",
        "Vulnerability",
    ]
    for condition in conditions:
        assert condition.exclusive, condition.name
        assert [c.name for c in condition.children] == ["Met", "Missing"]
        met, missing = condition.children
        assert met.key and missing.key and met.key.upper() == missing.key
    # Every code says where in the report it comes from.
    for visit in spec.walk():
        assert re.match(r"Section I", visit.code.source or ""), visit.path


@pytest.mark.parametrize("name", NAMES)
def test_yaml_round_trip(name: str) -> None:
    spec = _load(name)
    again = load_yaml(dump_yaml(spec))
    assert again.spec == spec
    assert again.warnings == []
    assert dump_yaml(again.spec) == dump_yaml(spec)


@pytest.mark.parametrize("name", NAMES)
def test_qdc_round_trip_validates(name: str, codebook_schema: xmlschema.XMLSchema) -> None:
    spec = _load(name)
    data = write_qdc(spec)
    assert list(codebook_schema.iter_errors(data)) == []
    back = read_qdc(data)
    assert back.warnings == []
    assert back.spec == spec
    assert write_qdc(back.spec) == data  # GUIDs are stable from one export to the next


@pytest.mark.parametrize("name", NAMES)
def test_qdc_without_extras_still_validates(
    name: str, codebook_schema: xmlschema.XMLSchema
) -> None:
    data = write_qdc(_load(name), extras=False)
    assert list(codebook_schema.iter_errors(data)) == []
    assert b"Shortcut key:" not in data


@pytest.mark.parametrize("name", NAMES)
def test_appendix_exports(name: str) -> None:
    spec = _load(name)
    markdown = to_markdown(spec)
    latex = to_latex(spec)
    assert markdown.count("\n#") == len(spec)
    assert len(re.findall(r"^\\(sub)*(section|paragraph)\*", latex, re.M)) == len(spec) + 1
