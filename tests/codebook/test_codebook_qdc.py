"""REFI-QDA codebooks (.qdc): valid output, faithful round trips, tolerant and safe reading."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema

from coder.codebook.qdc import (
    GUID_NAMESPACE,
    NAMESPACE,
    code_guid,
    lenient_color,
    read_qdc,
    write_qdc,
)
from coder.codebook.spec import CodebookSpec, CodeSpec
from coder.codebook.yaml_format import load_yaml
from coder.errors import InputError, ValidationError

NS = {"q": NAMESPACE}


def _unicode(fixtures: Path) -> CodebookSpec:
    spec, warnings = load_yaml(fixtures / "unicode.yaml")
    assert warnings == []
    return spec


def test_written_file_validates_and_keeps_the_hierarchy(
    fixtures: Path, codebook_schema: xmlschema.XMLSchema
) -> None:
    spec = _unicode(fixtures)
    data = write_qdc(spec)
    assert data.startswith(
        b'<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0"'
    )
    assert list(codebook_schema.iter_errors(data)) == []
    root = ET.fromstring(data)
    top = root.findall("q:Codes/q:Code", NS)
    assert [c.get("name") for c in top] == ["Café & crèche", "时间"]
    assert [c.get("name") for c in top[0].findall("q:Code", NS)] == ["Übergänge/Wechsel"]
    assert top[0].get("color") == "#009E73"
    assert {c.get("isCodable") for c in root.iter(f"{{{NAMESPACE}}}Code")} == {"true"}
    emoji = top[1].find("q:Code", NS)
    assert emoji is not None and emoji.get("name") == "🎉 Feiern"


def test_round_trip_gives_equal_trees_and_texts(fixtures: Path) -> None:
    spec = _unicode(fixtures)
    back, warnings = read_qdc(write_qdc(spec))
    assert warnings == []
    assert back == spec
    assert back.title == "Études qualitatives – 中文 codebook 🎉"
    assert back.description == spec.description


def test_description_is_readable_and_escapes_heading_lookalikes(fixtures: Path) -> None:
    root = ET.fromstring(write_qdc(_unicode(fixtures)))
    code = root.find("q:Codes/q:Code/q:Code", NS)
    assert code is not None
    text = code.findtext("q:Description", namespaces=NS)
    assert text == (
        'Definition: Wechsel zwischen Einrichtungen (a "/" inside a name is kept).\n\n'
        "Include: Include: text that looks like a heading at the start.\n\n"
        "Exclude: Keine Zeitfragen; use 时间 instead.\n\n"
        "Example: Wir mussten dreimal wechseln 😩\n\n"
        "Example: Ça a été dur.\n\n"
        "ID: café.übergänge\n\n"
        "Shortcut key: ü\n\n"
        "Keywords: Wechsel, Übergang"
    )


def test_guids_are_stable_and_derived_from_id_or_path() -> None:
    spec = CodebookSpec("T", [CodeSpec("A", id="a.1", children=[CodeSpec("B/C")])])
    root = ET.fromstring(write_qdc(spec))
    a, b = root.iter(f"{{{NAMESPACE}}}Code")
    assert (
        a.get("guid") == str(uuid.uuid5(GUID_NAMESPACE, "id:a.1")) == code_guid(spec.codes[0], "A")
    )
    assert b.get("guid") == str(uuid.uuid5(GUID_NAMESPACE, "path:A/B\\/C"))
    assert write_qdc(spec) == write_qdc(spec)
    # A code's own GUID (kept from an import) wins.
    spec.codes[0].guid = "{7B7A7C63-7D0A-4F5B-9A55-0B0E2D5C1A01}"
    first = ET.fromstring(write_qdc(spec)).find("q:Codes/q:Code", NS)
    assert first is not None and first.get("guid") == spec.codes[0].guid


def test_extras_can_be_left_out() -> None:
    code = CodeSpec("A", kind="theme", id="a", key="k", keywords=["x"], definition="Def.")
    back = read_qdc(write_qdc(CodebookSpec("T", [code]), extras=False)).spec
    assert back.codes[0] == CodeSpec("A", definition="Def.")


def test_an_empty_codebook_cannot_be_written() -> None:
    with pytest.raises(ValidationError, match="needs at least one"):
        write_qdc(CodebookSpec("T", []))


def test_namespace_variant_reads_with_a_warning(fixtures: Path) -> None:
    spec, warnings = read_qdc(fixtures / "nvivo-mac-namespace.qdc")
    assert spec.title == "nvivo-mac-namespace"
    assert [w for w in warnings if "urn:QDA-XML:codebook:1:0" in w] == [
        f"{fixtures / 'nvivo-mac-namespace.qdc'}, line 2: namespace 'urn:QDA-XML:codebook:1:0' "
        "is not the standard 'urn:QDA-XML:codebook:1.0' (some tools write a variant); "
        "the file was read anyway"
    ]
    top = spec.codes[0]
    assert top.name == "Barrières" and top.kind == "organizing-theme"  # isCodable="false"
    assert top.color == "#a1b2c3" and top.definition == "Obstacles cités par les participants."
    child = top.children[0]
    assert child.name == "Zeitmangel (Überstunden)"
    assert child.definition == "Not enough time." and child.examples == ["Ich habe keine Zeit."]
    assert child.guid == "7B7A7C63-7D0A-4F5B-9A55-0B0E2D5C1A02"


@pytest.mark.parametrize("name", ["xxe.qdc", "billion-laughs.qdc"])
def test_entities_and_dtds_are_refused(fixtures: Path, name: str) -> None:
    with pytest.raises(
        InputError, match=r"declares a DTD \(<!DOCTYPE \.\.\.>\), which coder refuses"
    ):
        read_qdc(fixtures / name)


def test_entity_without_dtd_is_refused_too() -> None:
    data = b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="x" name="&lol;" isCodable="true"/></Codes></CodeBook>'
    with pytest.raises(InputError, match="not well-formed XML"):
        read_qdc(data)


def test_foreign_file_is_repaired_with_warnings(fixtures: Path) -> None:
    path = fixtures / "maxqda-style.qdc"
    spec, warnings = read_qdc(path, title="From MAXQDA")
    assert spec.title == "From MAXQDA"
    challenges = spec.codes[0]
    assert challenges.color == "#ff0000"  # alpha dropped
    time, time2, turnover = challenges.children
    assert time.color == "#ff8800"  # #RGB expanded
    assert time.definition == "Talk about time."
    assert time.include == "meetings, schedules."
    assert time.exclude == "turnover (use Turnover)."
    # Not written by coder: "Keywords:" is ordinary text, not a field.
    assert time.examples == [
        "\"I can't come at noon.\"\nKeywords: this heading is not coder's, so it stays text."
    ]
    assert time.keywords == []
    assert time2.name == "time (2)"
    assert turnover.color == "#0072b2" and turnover.guid is None  # duplicate GUID dropped
    assert spec.codes[1].color is None and spec.codes[1].kind == "organizing-theme"
    assert spec.codes[1].children[0].kind == "code"  # isCodable="1"
    text = "\n".join(warnings)
    assert f"{path}, line 4: colour '#FF000080' has an alpha channel" in text
    assert f"{path}, line 16: colour 'red' is not a colour coder understands" in text
    assert f"{path}, line 13: a second code 'time' under Challenges was renamed 'time (2)'" in text
    assert f"{path}, line 20: <Sets> is not kept" in text
    assert "does not follow the REFI-QDA schema" in text
    assert read_qdc(write_qdc(spec)).spec == spec


def test_flat_names_can_be_split(fixtures: Path) -> None:
    flat = read_qdc(fixtures / "atlas8-flat.qdc").spec
    assert [c.name for c in flat.codes] == ["Trust::Doubts", "Trust", "Trust::Confidence", "Time"]
    nested = read_qdc(fixtures / "atlas8-flat.qdc", split_names="::").spec
    assert [c.name for c in nested.codes] == ["Trust", "Time"]
    trust = nested.codes[0]
    assert trust.definition == "Everything about trust."
    assert [c.name for c in trust.children] == ["Doubts", "Confidence"]
    assert trust.children[0].guid == "B0000000-0000-4000-8000-000000000001"


def test_project_file_codebook_is_read() -> None:
    data = b"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="P">
  <CodeBook><Codes>
    <Code guid="C0000000-0000-4000-8000-000000000001" name="A" isCodable="true">
      <NoteRef targetGUID="C0000000-0000-4000-8000-000000000009"/>
    </Code>
  </Codes></CodeBook>
</Project>"""
    spec, warnings = read_qdc(data, title="Project codebook")
    assert [c.name for c in spec.codes] == ["A"]
    assert any("only its codebook was read" in w for w in warnings)
    assert any("<NoteRef> inside code 'A' is not kept" in w for w in warnings)


@pytest.mark.parametrize(
    ("data", "expected", "line"),
    [
        (b"<CodeBook><Codes><Code></Codes>", "is not well-formed XML (mismatched tag)", 1),
        (b"<Other xmlns='x'/>", "starts with <Other>, not <CodeBook>", 1),
        (b"<CodeBook xmlns='urn:QDA-XML:codebook:1.0'/>", "has no <Codes> element", None),
        (b"", "is not well-formed XML", 1),
    ],
)
def test_unusable_files_are_refused(data: bytes, expected: str, line: int | None) -> None:
    with pytest.raises(InputError) as caught:
        read_qdc(data, path="bad.qdc")
    assert expected in str(caught.value)
    assert caught.value.line == line


def test_missing_file() -> None:
    with pytest.raises(InputError, match="cannot read the file"):
        read_qdc(Path("/nonexistent/book.qdc"))


def test_bad_coder_fields_are_left_out_with_a_warning() -> None:
    data = b"""<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="coder 0.1.0"><Codes>
<Code guid="D0000000-0000-4000-8000-000000000001" name="A" isCodable="true">
<Description>Definition: d

Kind: thing

Shortcut key: tt

Patterns: [[{"LOWR": "x"}]]

Keywords: ["unclosed</Description></Code>
<Code guid="D0000000-0000-4000-8000-000000000002" name="" isCodable="true"/>
</Codes></CodeBook>"""
    spec, warnings = read_qdc(data)
    code = spec.codes[0]
    assert (code.kind, code.key, code.patterns, code.keywords) == ("code", None, [], [])
    assert spec.codes[1].name == "Unnamed code"
    text = "\n".join(warnings)
    assert (
        "line 2: unknown kind 'thing'; use one of organizing-theme, theme, code; it was left out"
        in text
    )
    assert "shortcut key 'tt' must be a single character" in text
    assert "unknown token attribute 'LOWR'" in text
    assert "keywords could not be read" in text
    assert "line 12: a code has no name" in text
    assert "title" not in text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("#D55E00", "#d55e00"),
        ("d55e00", "#d55e00"),
        ("#abc", "#aabbcc"),
        ("#d55e0080", "#d55e00"),
        ("rgb(213, 94, 0)", "#d55e00"),
        ("RGBA(213,94,0,0.5)", "#d55e00"),
        ("rgb(300, 0, 0)", None),
        ("blue", None),
    ],
)
def test_lenient_colours(value: str, expected: str | None) -> None:
    assert lenient_color(value)[0] == expected
