"""Export → import gives back the same project, and the exported file is standard REFI-QDA."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
import xmlschema
from click.testing import CliRunner
from qdpx_snapshot import snapshot

from coder import Project
from coder.cli import cli
from coder.exchange.api import import_project
from coder.exchange.validate import NAMESPACE

SCHEMA = (
    Path(__file__).resolve().parents[2] / "coder" / "exchange" / "schemas" / "Project-mrt2019.xsd"
)
Q = f"{{{NAMESPACE}}}"


def test_round_trip_loses_nothing(study: Project, target: str, tmp_path: Path) -> None:
    before = snapshot(study)
    file = tmp_path / "study.qdpx"
    report = study.exchange.export_qdpx(file)
    assert not report.dropped, report.lines()

    imported = import_project(file, target, actor="lead")

    assert not imported.dropped, imported.lines()
    with Project.open(target) as copy:
        after = snapshot(copy)
    for part, value in before.items():
        assert after[part] == value, part
    # Nothing here is empty by accident: each part holds something to compare.
    assert all(before[part] for part in before if part not in ("codebook",)), before
    assert {coder for coder, _ in before["coders"]} == {"consensus", "lead", "maya", "tomas"}
    assert any(segment[7] == 5.0 for segment in before["segments"])  # a timestamp came along
    # Paragraphs carry their own times (a turn is several timed blocks): they come along too.
    assert any(s[1] == "paragraph" and s[7] is not None for s in before["segments"])
    assert any(code[13] == "retired" for code in before["codes"])


def test_exported_project_validates_and_offsets_follow_the_standard(
    study: Project, tmp_path: Path
) -> None:
    """Checked with the schema and the standard alone: positions are code points into the
    UTF-8 text of sources/<guid>.txt, end exclusive; an emoji is one character."""
    file = tmp_path / "study.qdpx"
    study.exchange.export_qdpx(file)
    with zipfile.ZipFile(file) as archive:
        qde = archive.read("project.qde")
        texts = {
            name.removeprefix("sources/"): archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.startswith("sources/")
        }
    assert list(xmlschema.XMLSchema(str(SCHEMA)).iter_errors(qde.decode("utf-8"))) == []
    root = ET.fromstring(qde)
    codes = {c.get("guid"): c.get("name") for c in root.iter(f"{Q}Code")}
    coded: set[tuple[str, str, str]] = set()
    users = {u.get("guid"): u.get("name") for u in root.iter(f"{Q}User")}
    for source in root.iter(f"{Q}TextSource"):
        path = source.get("plainTextPath") or ""
        assert path.startswith("internal://")
        text = texts[path.removeprefix("internal://")]
        assert "\r" not in text and not text.startswith("\ufeff")
        for selection in source.iter(f"{Q}PlainTextSelection"):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            for coding in selection.iter(f"{Q}Coding"):
                code = codes[coding.find(f"{Q}CodeRef").get("targetGUID")]
                coded.add((users[coding.get("creatingUser")], code, text[start:end]))
    with study._store.read() as tx:
        expected = {
            (
                row["coder"],
                tx.code(row["code_id"]).name,
                study.document(row["document"]).text[row["start"] : row["end"]],
            )
            for row in tx.codings_frame().to_dict("records")
        }
    assert coded == expected
    assert ("maya", "Peer support", "Other patients 🤝 helped") in coded
    assert ("tomas", "Time", "Time was the big thing 👍🏽, honestly.") in coded


def test_export_is_stable(study: Project, tmp_path: Path) -> None:
    """The same project exported twice gives the same project.qde: GUIDs do not wander."""
    first, second = tmp_path / "a.qdpx", tmp_path / "b.qdpx"
    study.exchange.export_qdpx(first)
    study.exchange.export_qdpx(second)
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b:
        assert a.read("project.qde") == b.read("project.qde")
        assert sorted(a.namelist()) == sorted(b.namelist())


def test_import_into_the_same_project_adds_nothing(study: Project, tmp_path: Path) -> None:
    file = tmp_path / "study.qdpx"
    study.exchange.export_qdpx(file)
    before = snapshot(study)

    report = study.exchange.import_qdpx(file, actor="lead")

    assert snapshot(study) == before
    assert report.carried["documents matched by content"] == 2
    assert report.carried["codings"] == 0
    assert "documents" not in report.carried


def test_import_into_matches_documents_by_text_not_name(
    study: Project, target: str, tmp_path: Path
) -> None:
    """A project that holds one transcript under another name receives the other project's
    codings on it; a document with the same name but other text is not taken for it."""
    file = tmp_path / "study.qdpx"
    study.exchange.export_qdpx(file)
    text = study.document("site-a-leader").text
    with Project.create(target, title="Colleague") as other:
        with other._store.write("x") as tx:
            import hashlib

            for name, body in (("leader-renamed", text), ("site-b-patient", "Other text.")):
                tx.add_document(
                    name=name,
                    text=body,
                    sha256=hashlib.sha256(body.encode()).hexdigest(),
                    source_name=None,
                    source_format="txt",
                    encoding="utf-8",
                )
        report = other.exchange.import_qdpx(file, actor="lead")
        names = sorted(d.name for d in other.documents())
        codings = other.coding.frame()

    assert names == ["leader-renamed", "site-b-patient", "site-b-patient (2)"]
    assert set(codings["document"]) == {"leader-renamed", "site-b-patient (2)"}
    assert report.carried["documents matched by content"] == 1
    assert any("site-b-patient (2)" in note for note in report.notes)
    assert report.dropped[("reconciliation decisions", "they are restored only into a new project")]


def test_suggestions_stay_behind_and_are_reported(study: Project, tmp_path: Path) -> None:
    with study._store.write("maya") as tx:
        document = tx.document("site-b-patient")
        code = next(c for c in tx.codes() if c.name == "Peer support")
        coder = tx.coder("maya")
        tx.add_codings(
            [
                {
                    "document_id": document.id,
                    "code_id": code.id,
                    "coder_id": coder.id,
                    "start": 0,
                    "end": 5,
                    "origin": "suggested",
                }
            ]
        )
        tx.log("coding.suggest", "coding", None, {})
    report = study.exchange.export_qdpx(tmp_path / "s.qdpx")
    assert [entry.count for entry in report.dropped.values()] == [1]
    assert "suggested codings" in report.lines()[1]


@pytest.mark.parametrize("fmt", ["qdpx", "qdc"])
def test_cli_export_and_import(study: Project, tmp_path: Path, fmt: str) -> None:
    runner = CliRunner()
    file = tmp_path / f"study.{fmt}"
    result = runner.invoke(cli, ["export", "-p", study.location, "-o", str(file)])
    assert result.exit_code == 0, result.output
    assert file.stat().st_size > 0
    new = tmp_path / "from-file.coder"
    result = runner.invoke(cli, ["import-qdpx", str(file), str(new), "--as", "lead"])
    assert result.exit_code == 0, result.output
    with Project.open(new) as copy:
        assert len(copy.codebook.tree().codes) == len(study.codebook.tree().codes)
        assert len(copy.documents()) == (2 if fmt == "qdpx" else 0)


def test_cli_needs_exactly_one_destination(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["import-qdpx", str(tmp_path / "x.qdpx")])
    assert result.exit_code == 2
    assert "--into" in result.output


def test_coders_own_data_in_a_bad_shape_is_ignored(
    study: Project, target: str, tmp_path: Path
) -> None:
    """A file whose coder comments were edited by hand is read as another program's file,
    never with a traceback."""
    file = tmp_path / "study.qdpx"
    study.exchange.export_qdpx(file)
    with zipfile.ZipFile(file) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    qde = parts["project.qde"].decode("utf-8")
    qde = qde.replace('"status":{', '"status":7,"x":{', 1)
    qde = qde.replace('"segments":[["t",', '"segments":[["q",', 1)
    parts["project.qde"] = qde.encode("utf-8")
    edited = tmp_path / "edited.qdpx"
    with zipfile.ZipFile(edited, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)

    import_project(edited, target)

    with Project.open(target) as copy:
        after = snapshot(copy)
    before = snapshot(study)
    assert after["documents"] == before["documents"]
    assert after["codings"] != before["codings"]  # origins are coder's data: now "imported"
    assert {c[2] for c in after["codings"]} == {c[2] for c in before["codings"]}
    assert {s[1] for s in after["segments"]} == {"turn", "paragraph", "sentence"}
