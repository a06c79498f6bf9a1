"""Files as other programs write them: line ends, byte-order marks, UTF-16 counting, cases,
sets, notes and links, and what coder reports it could not carry."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from qdpx_packages import CODE, NS, SOURCE, USER, package, project_xml, simple

from coder import Project
from coder.exchange.api import import_project
from coder.exchange.offsets import SourceText, Span, place

TEXT = "Interviewer: Where did you meet?\r\n\r\nAnn: At the café 😀 on Straße 5.\r\n"
QUOTE = "café 😀 on Straße"


def _coded(location: Path) -> list[str]:
    with Project.open(location) as project:
        (document,) = project.documents()
        text = project.document(document.name).text
        assert "\r" not in text and "\ufeff" not in text
        return [text[row.start : row.end] for row in project.coding.frame().itertuples()]


def _positions(text: str, quote: str, *, crlf_as_one: bool, utf16: bool) -> tuple[int, int]:
    counted = text.replace("\r\n", "\n") if crlf_as_one else text
    start = counted.index(quote)
    end = start + len(quote)
    if utf16:
        return (
            len(counted[:start].encode("utf-16-le")) // 2,
            len(counted[:end].encode("utf-16-le")) // 2,
        )
    return start, end


@pytest.mark.parametrize(
    ("origin", "crlf_as_one", "utf16", "bom"),
    [
        ("QualCoder 3.5", False, False, False),  # the standard: code points, CRLF is two
        ("QualCoder 3.5", False, False, True),  # a byte-order mark is not counted
        ("ATLAS.ti 23.2", True, False, False),  # a line break counts one
        ("NVivo 14 (Windows)", False, True, True),  # UTF-16 units: an emoji counts two
        ("Unknown tool", True, True, False),  # found from the quotations in the names
    ],
)
def test_offsets_land_on_the_same_text(
    origin: str, crlf_as_one: bool, utf16: bool, bom: bool, tmp_path: Path
) -> None:
    start, end = _positions(TEXT, QUOTE, crlf_as_one=crlf_as_one, utf16=utf16)
    raw = (codecs.BOM_UTF8 if bom else b"") + TEXT.encode("utf-8")
    name = QUOTE if origin.startswith(("ATLAS", "Unknown")) else ""
    file = simple(tmp_path / "in.qdpx", raw, start, end, origin=origin, name=name)

    report = import_project(file, tmp_path / "out.coder")

    assert _coded(tmp_path / "out.coder") == [QUOTE]
    if crlf_as_one or utf16:
        assert any("were counted as" in note for note in report.notes)


def test_place_prefers_what_fits() -> None:
    """With nothing else to go by, the way of counting that puts spans on word boundaries wins;
    positions that exist under no way of counting come back as None."""
    text = SourceText.of("Hi\r\n\r\nAnn: 😀 good 😀 day\r\n")
    start = text.raw.index("good") + 1  # UTF-16: one more for the emoji before it
    placed = place(text, [Span(start, start + 4), Span(0, 999)])
    assert placed.model == "UTF-16"
    assert placed.spans[0] is not None
    assert text.text[slice(*placed.spans[0])] == "good"
    assert placed.spans[1] is None


MAXQDA = (
    f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="{NS}" name="Partnership" origin="MAXQDA 24 (Release 24.7.0)"
         creatingUserGUID="{USER}">
 <Users><User guid="{USER}" name="Sam"/></Users>
 <CodeBook><Codes>
  <Code guid="{{AAAAAAAA-0000-4000-8000-000000000001}}" name="Challenges" isCodable="false"
        color="#FF0000">
   <Description>Things in the way.

Inclusion criteria: any barrier</Description>
   <NoteRef targetGUID="NNNNNNNN-0000-4000-8000-000000000001"/>
   <Code guid="{CODE}" name="Time" isCodable="true"/>
   <Code guid="AAAAAAAA-0000-4000-8000-000000000003" name="Time" isCodable="true"/>
  </Code>
 </Codes></CodeBook>
 <Variables>
  <Variable guid="BBBBBBBB-0000-4000-8000-000000000001" name="site" typeOfVariable="Text"/>
  <Variable guid="BBBBBBBB-0000-4000-8000-000000000002" name="age" typeOfVariable="Integer"/>
 </Variables>
 <Cases>
  <Case guid="CCCCCCCC-0000-4000-8000-000000000001">
   <VariableValue><VariableRef targetGUID="BBBBBBBB-0000-4000-8000-000000000001"/>
    <TextValue>North</TextValue></VariableValue>
   <SourceRef targetGUID="{SOURCE}"/>
  </Case>
  <Case guid="CCCCCCCC-0000-4000-8000-000000000002" name="Ann Lee">
   <Description>Joined in 2024.</Description>
   <VariableValue><VariableRef targetGUID="BBBBBBBB-0000-4000-8000-000000000002"/>
    <IntegerValue>67</IntegerValue></VariableValue>
   <SourceRef targetGUID="{SOURCE}"/>
   <SelectionRef targetGUID="DDDDDDDD-0000-4000-8000-000000000001"/>
  </Case>
 </Cases>
 <Sources>
  <TextSource guid="{SOURCE}" name="Interview 1" plainTextPath="{SOURCE}.txt">
   <Description>Recorded by phone.</Description>
   <PlainTextSelection guid="DDDDDDDD-0000-4000-8000-000000000001" startPosition="40"
        endPosition="57" creatingUser="{USER}">
    <Description>Nice quote</Description>
    <Coding guid="EEEEEEEE-0000-4000-8000-000000000001" creatingUser="99999999-0000-4000-8000-000000000009">
     <CodeRef targetGUID="{CODE.lower()}"/>
     <NoteRef targetGUID="NNNNNNNN-0000-4000-8000-000000000002"/>
    </Coding>
   </PlainTextSelection>
   <PlainTextSelection guid="DDDDDDDD-0000-4000-8000-000000000002" startPosition="0"
        endPosition="11"/>
   <Coding guid="EEEEEEEE-0000-4000-8000-000000000002">
    <CodeRef targetGUID="AAAAAAAA-0000-4000-8000-000000000003"/>
   </Coding>
  </TextSource>
  <PictureSource guid="FFFFFFFF-0000-4000-8000-000000000001" name="Map" path="internal://map.png"/>
 </Sources>
 <Notes>
  <Note guid="NNNNNNNN-0000-4000-8000-000000000001" name="On challenges">
   <PlainTextContent>Split this?</PlainTextContent></Note>
  <Note guid="NNNNNNNN-0000-4000-8000-000000000002"><PlainTextContent>Coding memo</PlainTextContent></Note>
  <Note guid="NNNNNNNN-0000-4000-8000-000000000003"><PlainTextContent>Linked memo</PlainTextContent></Note>
  <Note guid="NNNNNNNN-0000-4000-8000-000000000004"><PlainTextContent>Loose memo</PlainTextContent></Note>
 </Notes>
 <Links>
  <Link guid="LLLLLLLL-0000-4000-8000-000000000001" originGUID="NNNNNNNN-0000-4000-8000-000000000003"
        targetGUID="DDDDDDDD-0000-4000-8000-000000000001"/>
  <Link guid="LLLLLLLL-0000-4000-8000-000000000002" originGUID="{CODE}"
        targetGUID="AAAAAAAA-0000-4000-8000-000000000003"/>
 </Links>
 <Sets>
  <Set guid="SSSSSSSS-0000-4000-8000-000000000001" name="gender: female">
   <MemberSource targetGUID="{SOURCE}"/></Set>
  <Set guid="SSSSSSSS-0000-4000-8000-000000000002" name="Wave 2">
   <MemberSource targetGUID="{SOURCE}"/><MemberCode targetGUID="{CODE}"/></Set>
 </Sets>
 <Graphs><Graph guid="GGGGGGGG-0000-4000-8000-000000000001"/></Graphs>
</Project>
""".replace("NNNNNNNN", "1a2b3c4d")
    .replace("LLLLLLLL", "5e6f7a8b")
    .replace("SSSSSSSS", "9c0d1e2f")
    .replace("GGGGGGGG", "3a4b5c6d")
)
TRANSCRIPT = (
    "Interviewer: What got in the way?\n\n"
    "Ann: Meetings at noon. I work until five.\n\n"
    "Interviewer: Anything else?\n\n"
    "Ann: No.\n"
)


@pytest.fixture
def maxqda(tmp_path: Path) -> Path:
    return package(tmp_path / "maxqda.qdpx", MAXQDA, {f"Sources/{SOURCE}.txt": TRANSCRIPT})


def test_a_foreign_project_maps_onto_coder(maxqda: Path, tmp_path: Path) -> None:
    report = import_project(maxqda, tmp_path / "p.coder")

    with Project.open(tmp_path / "p.coder") as project:
        tree = project.codebook.tree()
        paths = sorted(tree.path(c) for c in tree.codes)
        assert paths == ["Challenges", "Challenges/Time", "Challenges/Time (2)"]
        top = tree.find("Challenges")
        assert (top.kind, top.color, top.definition, top.include) == (
            "organizing-theme",
            "#ff0000",
            "Things in the way.",
            "any barrier",
        )
        (document,) = project.documents()
        assert document.name == "Interview 1"
        assert document.attributes == {"gender": "female", "site": "North", "Wave 2": "yes"}
        assert document.participants == ("Ann Lee",)
        codings = project.coding.frame()
        text = project.document("Interview 1").text
        found = sorted(
            (row.coder, tree.path(tree.by_id[row.code_id]), text[row.start : row.end])
            for row in codings.itertuples()
        )
        assert found == [
            ("Sam", "Challenges/Time (2)", text),  # a coding of the whole source
            ("user 99999999", "Challenges/Time", "Meetings at noon."),
        ]
        # Speaker turns were found where they stand, and the one case is who speaks.
        turns = project.segments("Interview 1")
        assert [text[t.start : t.end] for t in turns] == [
            "What got in the way?",
            "Meetings at noon. I work until five.",
            "Anything else?",
            "No.",
        ]
        people = {p.id: p.name for p in _participants(project)}
        assert [people.get(t.participant_id or 0) for t in turns] == [
            None,
            "Ann Lee",
            None,
            "Ann Lee",
        ]
        memos = {(m.target, m.title, m.body) for m in project.memos.list()}
        assert memos == {
            ("code", "On challenges", "Split this?"),
            ("coding", "", "Coding memo"),
            ("coding", "", "Linked memo"),
            ("coding", "Description", "Nice quote"),
            ("document", "Description", "Recorded by phone."),
            ("participant", "Description", "Joined in 2024."),
            ("project", "", "Loose memo"),
        }
        with project._store.read() as tx:
            ann = next(p for p in tx.participants() if p.name == "Ann Lee")
            values = [(o, a.name, v) for o, a, v in tx.attribute_values("participant")]
            assert values == [(ann.id, "age", 67)]
    dropped = {entry.what for entry in report.dropped.values()}
    assert dropped == {
        "PictureSources",
        "case selections",
        "code sets",
        "graphs",
        "links",
        "selections with no code",
    }
    assert any("99999999" in note for note in report.notes)
    assert any("renamed 'Time (2)'" in note for note in report.notes)


def _participants(project: Project) -> list[object]:
    with project._store.read() as tx:
        return list(tx.participants())


def test_into_keeps_what_the_project_has(maxqda: Path, project: Project) -> None:
    """Into an existing project: the document with the same text is found, nothing of the
    project's is changed, a value that differs is reported."""
    import hashlib

    with project._store.write("lead") as tx:
        document = tx.add_document(
            name="ann-interview",
            text=TRANSCRIPT,
            sha256=hashlib.sha256(TRANSCRIPT.encode()).hexdigest(),
            source_name="ann.txt",
            source_format="txt",
            encoding="utf-8",
        )
        site = tx.ensure_attribute("document", "site", "text")
        tx.set_attribute_value(site, document.id, "South")
    project.codebook.add("Challenges", actor="lead")

    report = project.exchange.import_qdpx(maxqda, actor="lead")

    (only,) = project.documents()
    assert only.name == "ann-interview"
    assert only.attributes["site"] == "South"
    assert only.attributes["gender"] == "female"
    assert len(project.coding.frame()) == 2
    assert [c.name for c in project.codebook.tree().roots()] == ["Challenges"]
    assert report.carried["codes matched"] == 1
    assert (
        "document attribute values",
        "the project already has another value, which was kept",
    ) in report.dropped


def test_a_bare_project_file_with_inline_text(tmp_path: Path) -> None:
    body = (
        f'<Sources><TextSource guid="{SOURCE}" name="Inline">'
        "<PlainTextContent>Ann: Hello there, friend.</PlainTextContent>"
        f'<PlainTextSelection guid="22222222-2222-4333-8444-555555555555" startPosition="5" '
        f'endPosition="16"><Coding guid="33333333-2222-4333-8444-555555555555" '
        f'creatingUser="{USER}"><CodeRef targetGUID="{CODE}"/></Coding></PlainTextSelection>'
        "</TextSource></Sources>"
    )
    file = tmp_path / "project.qde"
    file.write_text(project_xml(body), encoding="utf-8")
    import_project(file, tmp_path / "inline.coder")
    assert _coded(tmp_path / "inline.coder") == ["Hello there"]


def test_a_namespace_variant_is_read_with_a_warning(tmp_path: Path) -> None:
    xml = project_xml("").replace(NS, "urn:QDA-XML:project:1:0")
    file = package(tmp_path / "variant.qdpx", xml)
    report = import_project(file, tmp_path / "variant.coder")
    assert any("namespace" in warning for warning in report.warnings)
    with Project.open(tmp_path / "variant.coder") as project:
        assert [c.name for c in project.codebook.tree().codes] == ["Theme"]


def test_a_codebook_file_makes_a_project_with_its_codes(tmp_path: Path) -> None:
    qdc = tmp_path / "codes.qdc"
    qdc.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        f'<Code guid="{CODE}" name="Trust" isCodable="true"/></Codes></CodeBook>',
        encoding="utf-8",
    )
    import_project(qdc, tmp_path / "codes.coder")
    with Project.open(tmp_path / "codes.coder") as project:
        (code,) = project.codebook.tree().codes
        assert (code.name, code.guid) == ("Trust", CODE)


def test_control_characters_xml_cannot_hold_are_replaced_and_said(
    project: Project, tmp_path: Path
) -> None:
    project.memos.add("project", "Tab\there, bell\x07 there", actor="lead")
    report = project.exchange.export_qdpx(tmp_path / "c.qdpx")
    assert any("U+FFFD" in warning for warning in report.warnings)
    import_project(tmp_path / "c.qdpx", tmp_path / "c.coder")
    with Project.open(tmp_path / "c.coder") as copy:
        assert [m.body for m in copy.memos.list()] == ["Tab\there, bell\ufffd there"]


def test_an_import_into_a_project_is_undone_whole(maxqda: Path, study: Project) -> None:
    from qdpx_snapshot import snapshot

    before = snapshot(study)
    study.exchange.import_qdpx(maxqda, actor="lead")
    assert snapshot(study) != before

    study.undo(actor="lead")

    assert snapshot(study) == before


NVIVO_TEXT = (
    "Interviewer: So?\r\nP1: I love 😀😀 the group 🎉 meetings.\r\n"
    "Interviewer: Why?\r\nP1: People listen.\r\n"
)


def _u16(text: str, quote: str) -> str:
    start = text.index(quote)
    units = [len(text[:i].encode("utf-16-le")) // 2 for i in (start, start + len(quote))]
    return f'startPosition="{units[0]}" endPosition="{units[1]}"'


def test_an_nvivo_style_package(tmp_path: Path) -> None:
    """`Sources/`, BOMs and CRLF, UTF-16 positions, one selection per code with an empty
    description, an annotation that is a note in a file linked to a selection."""
    g = "00000000-0000-4000-8000-0000000000"
    selections = "".join(
        f'<PlainTextSelection guid="{g}d{i}" name="" {_u16(NVIVO_TEXT, quote)} '
        f'creatingUser="{g}aa"><Description /><Coding guid="{g}e{i}" creatingUser="{g}aa">'
        f'<CodeRef targetGUID="{g}c{code}"/></Coding></PlainTextSelection>'
        for i, (quote, code) in enumerate(
            [("the group", 2), ("meetings", 2), ("People listen", 3), ("People listen", 2)]
        )
    )
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="{NS}" name="NV" origin="NVivo for Windows 12.6" creatingUserGUID="{g}aa">
<Users><User guid="{g}aa" name="Chris P" id="CP"/></Users>
<CodeBook><Codes><Code guid="{g}c1" name="Folder" isCodable="false">
<Code guid="{g}c2" name="Groups" isCodable="true"/><Code guid="{g}c3" name="Listening" isCodable="true"/>
</Code></Codes></CodeBook>
<Sources><TextSource guid="{SOURCE}" name="P1 interview" richTextPath="internal://{SOURCE}.docx"
 plainTextPath="internal://{SOURCE}.txt">{selections}</TextSource></Sources>
<Notes><Note guid="{g}f1" name="Annotation" plainTextPath="internal://{g}f1.txt"/></Notes>
<Links><Link guid="{g}b1" direction="OneWay" originGUID="{g}f1" targetGUID="{g}d2"/></Links>
</Project>"""
    bom = codecs.BOM_UTF8
    file = package(
        tmp_path / "nvivo.qdpx",
        bom + qde.encode(),
        {
            f"Sources/{SOURCE}.txt": bom + NVIVO_TEXT.encode(),
            f"Sources/{SOURCE}.docx": b"(a Word file)",
            f"Sources/{g}f1.txt": bom + b"Annotation text\r\nline 2",
            "sources/.root": b"",
        },
    )

    report = import_project(file, tmp_path / "nv.coder")

    assert any("counted as UTF-16" in note for note in report.notes)
    with Project.open(tmp_path / "nv.coder") as project:
        tree = project.codebook.tree()
        text = project.document("P1 interview").text
        coded = sorted(
            (row.coder, tree.by_id[row.code_id].name, text[row.start : row.end])
            for row in project.coding.frame().itertuples()
        )
        assert coded == [
            ("Chris P", "Groups", "People listen"),
            ("Chris P", "Groups", "meetings"),
            ("Chris P", "Groups", "the group"),
            ("Chris P", "Listening", "People listen"),
        ]
        assert tree.find("Folder").kind == "organizing-theme"
        (memo,) = project.memos.list()
        assert (memo.target, memo.title, memo.body) == (
            "coding",
            "Annotation",
            "Annotation text\nline 2",
        )
        assert [s.speaker for s in project.segments("P1 interview")] == ["Interviewer", "P1"] * 2
