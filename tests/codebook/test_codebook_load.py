"""Loading codebook files into a project, exporting them, and loading a newer version."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import xmlschema

from coder import Project
from coder.codebook.spec import CodebookSpec
from coder.codebook.yaml_format import load_yaml
from coder.errors import ConflictError

SHIPPED = sorted((Path(__file__).resolve().parents[2] / "codebooks").glob("*.yaml"))
SCHEMA = Path(__file__).resolve().parents[2] / "coder" / "codebook" / "schemas"

V1 = """title: Partnership
codes:
  - name: Challenges
    id: ch
    kind: organizing-theme
    children:
      - name: Time
        id: ch.time
        key: t
        definition: Not enough time.
      - name: Jargon
        id: ch.jargon
        key: j
"""
V2 = """title: Partnership
version: "2"
codes:
  - name: Challenges
    id: ch
    kind: organizing-theme
    children:
      - name: Time and meeting timing
        id: ch.time
        key: j
        definition: Not enough time, or meetings at the wrong time.
      - name: Clinical jargon
        id: ch.jargon
        key: t
      - name: Attrition
        id: ch.attrition
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("file", SHIPPED, ids=lambda p: p.name)
def test_shipped_codebooks_round_trip_through_a_project(project: Project, file: Path) -> None:
    spec, warnings = load_yaml(file)
    assert warnings == []
    report, _ = project.codebook.load(file)
    assert len(report.added) == len(spec)
    exported = project.codebook.spec()
    assert _comparable(exported) == _comparable(spec)
    # The exported .qdc is valid REFI-QDA.
    schema = xmlschema.XMLSchema(str(next(SCHEMA.glob("Codebook*.xsd"))))
    schema.validate(project.codebook.export("qdc"))


def _comparable(spec: CodebookSpec) -> list[tuple[object, ...]]:
    return [
        (
            v.path,
            v.code.kind,
            v.code.id,
            v.code.definition,
            v.code.include,
            v.code.exclude,
            tuple(v.code.examples),
            v.code.color,
            v.code.key,
            tuple(v.code.keywords),
        )
        for v in spec.walk()
    ]


def test_newer_version_updates_by_identity_and_keeps_codings(
    project: Project, tmp_path: Path
) -> None:
    project.codebook.load(_write(tmp_path, "v1.yaml", V1))
    text = "Interviewer: Why?\n\nDana: No time at all."
    with project._store.write("setup") as tx:
        tx.add_document(
            name="d",
            text=text,
            sha256=hashlib.sha256(text.encode()).hexdigest(),
            source_name=None,
            source_format=None,
            encoding=None,
        )
    project.coding.apply("d", "Challenges/Time", 25, 40, coder="maya")
    project.codebook.add("Inductive", parent="Challenges")

    report, _ = project.codebook.load(_write(tmp_path, "v2.yaml", V2))
    assert report.added == ["Challenges/Attrition"]
    assert sorted(report.updated) == [
        "Challenges/Clinical jargon",
        "Challenges/Time and meeting timing",
    ]
    assert report.kept == ["Challenges/Inductive"]
    time = project.codebook.code("Challenges/Time and meeting timing")
    assert (time.key, time.definition) == ("j", "Not enough time, or meetings at the wrong time.")
    assert project.codebook.code("Challenges/Clinical jargon").key == "t"  # keys swapped
    assert project.codebook.coding_counts() == {time.id: 1}


def test_loading_is_one_undoable_action(project: Project, tmp_path: Path) -> None:
    project.codebook.load(_write(tmp_path, "v1.yaml", V1), actor="lead")
    project.codebook.load(_write(tmp_path, "v2.yaml", V2), actor="lead")
    project.undo(actor="lead")
    assert project.codebook.code("Challenges/Time").key == "t"
    project.undo(actor="lead")
    assert project.codebook.tree().codes == []


def test_a_key_held_by_a_code_outside_the_file_is_refused(project: Project, tmp_path: Path) -> None:
    project.codebook.add("Mine", key="t")
    with pytest.raises(ConflictError, match="already the shortcut of 'Mine'"):
        project.codebook.load(_write(tmp_path, "v1.yaml", V1))
    assert [c.name for c in project.codebook.tree().codes] == ["Mine"]


@pytest.mark.parametrize(
    "file",
    [*SHIPPED, Path(__file__).resolve().parent / "fixtures" / "unicode.yaml"],
    ids=lambda p: p.name,
)
def test_a_project_codebook_goes_through_qdc_into_another_project(
    project: Project, file: Path, tmp_path: Path
) -> None:
    """YAML -> project -> .qdc -> another project: the same tree and texts, non-ASCII too."""
    project.codebook.load(file)
    exported = tmp_path / "codebook.qdc"
    exported.write_bytes(project.codebook.export("qdc"))
    with Project.create(tmp_path / "other.coder") as other:
        other.codebook.load(exported)
        assert _comparable(other.codebook.spec()) == _comparable(project.codebook.spec())
