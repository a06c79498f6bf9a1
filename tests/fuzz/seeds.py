"""Valid files of every format coder reads, made the way the tools that write them do: the
starting points the fuzz tests mutate."""

from __future__ import annotations

import io
import zipfile

import office_files

TRANSCRIPT = (
    "Interviewer: What got in the way of taking part?\n\n"
    "Dana: Time, mostly. Meetings were at noon, and I work days.\n\n"
    "Interviewer: Anything else?\n\n"
    "Dana: The jargon. Nobody explained PDSA, and the coach came only monthly.\n"
)

TEXT_SEEDS: dict[str, str] = {
    "txt": TRANSCRIPT,
    "md": "# Interview 3\n\n**Interviewer:** What got in the way?\n\n**Dana:** Time, mostly.\n",
    "vtt": (
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Interviewer>What got in the way?\n\n"
        "00:00:04.500 --> 00:00:09.000\n<v Dana>Time, mostly. Meetings were at noon.\n"
    ),
    "srt": (
        "1\n00:00:01,000 --> 00:00:04,000\nInterviewer: What got in the way?\n\n"
        "2\n00:00:04,500 --> 00:00:09,000\nDana: Time, mostly.\n"
    ),
    "rtf": (
        "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Calibri;}}\n"
        "\\pard Interviewer: What got in the way?\\par\n"
        "\\pard Dana: Time, mostly. Caf\\'e9 meetings were at noon.\\par\n}"
    ),
}

MANIFEST = "file,site,period,participant\nint01.txt,North,2015,Dana\nint02.txt,South,2016,Eli\n"

CODEBOOK_YAML = """\
title: Barriers
version: "1.0"
codes:
  - name: Challenges
    kind: organizing-theme
    definition: What got in the way.
    children:
      - name: Time
        id: challenge.time
        definition: Meetings at bad hours.
        color: "#d55e00"
        key: t
        keywords: [noon, time]
        patterns:
          - [{LOWER: meetings}, {LOWER: were}]
      - name: Jargon
        definition: Words nobody explained.
"""

CODEBOOK_CSV = (
    "name,parent,definition,kind,id,color,key\n"
    "Challenges,,What got in the way.,organizing-theme,,,\n"
    "Time,Challenges,Meetings at bad hours.,code,challenge.time,#d55e00,t\n"
    'Jargon,Challenges,"Words nobody explained, like ""PDSA"".",code,,,\n'
)

CODEBOOK_QDC = """\
<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="MAXQDA 24">
  <Codes>
    <Code guid="6C1A3B2E-0F4D-4C8B-9E7A-1D2C3B4A5F60" name="Challenges" isCodable="false">
      <Description>What got in the way.</Description>
      <Code guid="6C1A3B2E-0F4D-4C8B-9E7A-1D2C3B4A5F61" name="Time" isCodable="true"
            color="#D55E00"><Description>Meetings at bad hours.</Description></Code>
      <Code guid="6C1A3B2E-0F4D-4C8B-9E7A-1D2C3B4A5F62" name="Jargon" isCodable="true"/>
    </Code>
  </Codes>
</CodeBook>
"""

CODINGS_CSV = (
    "document,start,end,code,coder,memo,text\n"
    'interview,56,69,Challenges/Time,dana,noon,"Time, mostly."\n'
    "interview,,,Challenges/Jargon,eli,,The jargon.\n"
)

USER = "A1B2C3D4-E5F6-4711-8899-AABBCCDDEEFF"
SOURCE = "11111111-2222-4333-8444-555555555555"
QDE = f"""\
<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Foreign" origin="NVivo 14">
<Users><User guid="{USER}" name="Sam"/></Users>
<CodeBook><Codes><Code guid="6C1A3B2E-0F4D-4C8B-9E7A-1D2C3B4A5F60" name="Theme" isCodable="true"/>
</Codes></CodeBook>
<Variables><Variable guid="BBBBBBBB-0000-4000-8000-000000000002" name="age"
 typeOfVariable="Integer"/></Variables>
<Cases><Case guid="CCCCCCCC-0000-4000-8000-000000000001" name="Dana">
<VariableValue><VariableRef targetGUID="BBBBBBBB-0000-4000-8000-000000000002"/>
<IntegerValue>67</IntegerValue></VariableValue><SourceRef targetGUID="{SOURCE}"/></Case></Cases>
<Sources><TextSource guid="{SOURCE}" name="Interview" plainTextPath="internal://{SOURCE}.txt">
<PlainTextSelection guid="22222222-2222-4333-8444-555555555555" startPosition="56"
 endPosition="69" creatingUser="{USER}"><Coding guid="33333333-2222-4333-8444-555555555555"
 creatingUser="{USER}"><CodeRef targetGUID="6C1A3B2E-0F4D-4C8B-9E7A-1D2C3B4A5F60"/></Coding>
</PlainTextSelection></TextSource></Sources>
<Notes><Note guid="44444444-2222-4333-8444-555555555555" name="Memo">
<PlainTextContent>Ask about evenings.</PlainTextContent></Note></Notes>
</Project>
"""


def zipped(parts: dict[str, bytes], *, stored_first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            method = zipfile.ZIP_STORED if name == stored_first else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=method)
    return buffer.getvalue()


def qdpx(qde: bytes, source: bytes) -> bytes:
    return zipped({"project.qde": qde, f"sources/{SOURCE}.txt": source})


ODT_CONTENT = office_files.ODT_CONTENT.format(
    body="""
<text:p>Interviewer: What got in the way?</text:p>
<text:p>Dana: Time,<text:s text:c="2"/>mostly.<text:tab/>Meetings<text:line-break/>at noon.</text:p>
<table:table><table:table-row><table:table-cell><text:p>Eli</text:p></table:table-cell>
<table:table-cell><text:p>The jargon.</text:p></table:table-cell></table:table-row></table:table>
"""
)


def docx_parts() -> dict[str, bytes]:
    """A Word document as python-docx writes one (the same parts Word writes)."""
    import docx

    document = docx.Document()
    document.add_paragraph("Interviewer: What got in the way?")
    paragraph = document.add_paragraph()
    paragraph.add_run("Dana").bold = True
    paragraph.add_run(" Time, mostly. Meetings were at noon.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Eli"
    table.rows[0].cells[1].text = "The jargon."
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def pdf() -> bytes:
    return office_files.pdf("Interviewer: What got in the way?", "Dana: Time, mostly.")
