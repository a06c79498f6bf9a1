"""One depth limit for code trees, checked before anything recurses, whatever the way in (a
YAML, CSV or QDC file, a .qdpx, an edit); and one rule for names, whatever path creates or
renames a code, a coder or an attribute."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from coder import Project
from coder.cli import cli
from coder.codebook.csv_format import read_csv
from coder.codebook.qdc import read_qdc
from coder.codebook.yaml_format import load_yaml
from coder.errors import InputError, UsageError, ValidationError
from coder.exchange.api import read_file
from coder.exchange.archive import Limits

# The limit the README promises (coder.limits.MAX_DEPTH; checked below).
MAX_DEPTH = 100

NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"


def test_the_limit_is_the_documented_one() -> None:
    from coder import limits

    assert limits.MAX_DEPTH == MAX_DEPTH


def deep_csv(depth: int) -> str:
    rows = ["name,parent,definition", "L0,,top"]
    rows += [f"L{n},L{n - 1},level {n}" for n in range(1, depth)]
    return "\n".join(rows) + "\n"


def deep_yaml(depth: int) -> str:
    lines = ["title: Deep", "codes:"]
    for level in range(depth):
        pad = "  " * (2 * level + 1)
        lines.append(f"{pad}- name: L{level}")
        lines.append(f"{pad}  definition: level {level}")
        if level < depth - 1:
            lines.append(f"{pad}  children:")
    return "\n".join(lines) + "\n"


def deep_codes(depth: int) -> str:
    return "".join(f'<Code name="L{n}" isCodable="true">' for n in range(depth)) + "</Code>" * depth


def deep_qdc(depth: int) -> bytes:
    return f'<CodeBook xmlns="{NS}"><Codes>{deep_codes(depth)}</Codes></CodeBook>'.encode()


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 1_200, 10_000])
def test_a_deep_csv_codebook_is_refused_before_it_is_walked(depth: int) -> None:
    with pytest.raises(ValidationError, match=f"nested more than {MAX_DEPTH} levels"):
        read_csv(deep_csv(depth))


def test_a_csv_codebook_at_the_limit_loads_and_exports(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "deep.csv"
    path.write_text(deep_csv(MAX_DEPTH))
    project.codebook.load(path)
    for args in (["codebook", "show"], ["codebook", "export", "-o", str(tmp_path / "out.qdc")]):
        result = CliRunner().invoke(cli, [*args, "-p", project.location])
        assert result.exit_code == 0, result.stderr
    report = project.exchange.export_qdpx(tmp_path / "deep.qdpx")
    assert report is not None
    assert len(project.codebook.spec()) == MAX_DEPTH


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 10_000])
def test_a_deep_yaml_codebook_is_refused(depth: int) -> None:
    with pytest.raises(InputError, match="nested more than"):
        load_yaml(deep_yaml(depth))


def test_yaml_nesting_deeper_than_any_codebook_is_refused_before_composing() -> None:
    with pytest.raises(InputError, match="nest") as caught:
        load_yaml("title: T\ncodes: " + "[" * 20_000 + "]" * 20_000 + "\n")
    assert caught.value.line == 2


def test_yaml_aliases_cannot_multiply_a_pattern() -> None:
    laughs = ["title: T", "values:", "  - &a0 [x, x, x, x, x, x, x, x, x]"]
    laughs += [f"  - &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    laughs += ["codes:", "  - name: A", "    patterns:", "      - [{LOWER: {IN: *a9}}]"]
    with pytest.raises(ValidationError, match="alias"):
        load_yaml("\n".join(laughs) + "\n")


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 10_000])
def test_a_deep_qdc_is_refused_before_schema_validation(depth: int) -> None:
    with pytest.raises(InputError, match="nested more than"):
        read_qdc(deep_qdc(depth))


def test_split_names_cannot_nest_past_the_limit() -> None:
    name = "::".join("ab"[n % 2] for n in range(MAX_DEPTH + 5))  # short: names are bounded too
    data = (
        f'<CodeBook xmlns="{NS}"><Codes><Code name="{name}" isCodable="true"/></Codes></CodeBook>'
    )
    with pytest.raises(InputError, match=f"nested more than {MAX_DEPTH} levels"):
        read_qdc(data.encode(), split_names="::")


def test_a_deep_qdpx_is_refused(tmp_path: Path) -> None:
    import zipfile

    qde = (
        f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="{PROJECT_NS}" name="Deep">'
        f"<CodeBook><Codes>{deep_codes(10_000)}</Codes></CodeBook></Project>"
    )
    path = tmp_path / "deep.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde)
    with pytest.raises(InputError, match="nested more than"):
        read_file(path, Limits())


def test_edits_cannot_nest_codes_past_the_limit(project: Project) -> None:
    parent = None
    for level in range(MAX_DEPTH):
        project.codebook.add(f"L{level}", parent=parent)
        parent = f"{parent}/L{level}" if parent else f"L{level}"
    with pytest.raises(UsageError, match=f"nested more than {MAX_DEPTH} levels"):
        project.codebook.add("Too deep", parent=parent)
    project.codebook.add("Branch")
    project.codebook.add("Twig", parent="Branch")
    with pytest.raises(UsageError, match="nested more than"):
        project.codebook.move("Branch", parent)
    with pytest.raises(UsageError, match="nested more than"):
        project.codebook.merge("Branch", parent)
    assert sys.getrecursionlimit() >= 1000  # nothing above needed more


# -- names -------------------------------------------------------------------------------------


BAD_NAMES = ["Two\nlines", "Tab\there", "Nul\x00", "Bell\x07", " ", "x" * 501]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_no_path_stores_a_name_the_codebook_refuses(project: Project, name: str) -> None:
    project.codebook.add("Good")
    with pytest.raises((UsageError, ValidationError)):
        project.codebook.add(name)
    with pytest.raises((UsageError, ValidationError)):
        project.codebook.rename("Good", name)
    with pytest.raises((UsageError, ValidationError)):
        project.codebook.split("Good", [name, "Other"])
    with pytest.raises((UsageError, ValidationError)):
        project.add_coder(name)
    assert [c.name for c in project.codebook.tree().codes] == ["Good"]
    assert project.coders() == []


def test_the_cli_refuses_a_bad_name_in_one_line_and_exports_keep_working(
    project: Project, tmp_path: Path
) -> None:
    for args in (["codebook", "add", "Two\nlines"], ["codebook", "add", "Tab\there"]):
        result = CliRunner().invoke(cli, [*args, "-p", project.location])
        assert result.exit_code in (1, 2)
        assert len(result.stderr.strip().splitlines()) == 1
        assert "one line" in result.stderr
    project.codebook.add("Fine")
    for fmt in ("yaml", "qdc", "md", "tex"):
        target = tmp_path / f"book.{fmt}"
        result = CliRunner().invoke(
            cli, ["codebook", "export", "-o", str(target), "-p", project.location]
        )
        assert result.exit_code == 0, result.stderr
    project.exchange.export_qdpx(tmp_path / "all.qdpx")


def test_edited_fields_follow_the_codebook_rules(project: Project) -> None:
    project.codebook.add("A")
    with pytest.raises(UsageError, match="U\\+0007"):
        project.codebook.edit("A", definition="ring\x07")
    with pytest.raises(UsageError, match="keyword"):
        project.codebook.edit("A", keywords=["two\nlines"])
    with pytest.raises(UsageError, match="pattern"):
        project.codebook.edit("A", patterns=[[{"NOPE": "x"}]])
    assert project.codebook.code("A").definition == ""
