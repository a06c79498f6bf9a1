"""The manifest CSV: delimiters, encodings, inferred types, errors, matching files."""

from __future__ import annotations

from pathlib import Path

import pytest

from coder.errors import InputError
from coder.ingest import check_manifest, infer_type, read_manifest


def write(tmp_path: Path, content: str | bytes, name: str = "manifest.csv") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def test_comma_manifest(fixtures: Path) -> None:
    manifest = read_manifest(fixtures / "manifest.csv")
    assert manifest.columns == (
        "file",
        "site",
        "role",
        "period",
        "date",
        "participant",
        "interviews",
    )
    assert manifest.attributes == ("site", "role", "period", "date", "interviews")
    assert manifest.types == {
        "site": "text",
        "role": "text",
        "period": "number",
        "date": "date",
        "interviews": "number",
    }
    assert [(r.file, r.line) for r in manifest.rows] == [
        ("name_colon.txt", 2),
        ("roles.txt", 3),
        ("site-b/i_r.txt", 4),
    ]
    assert manifest.rows[0].participant == "Amira Haddad"
    assert manifest.rows[1].participant is None
    assert manifest.rows[0].values["site"] == "C"


def test_semicolon_cp1252_manifest(fixtures: Path) -> None:
    manifest = read_manifest(fixtures / "manifest_semicolon.csv")
    assert manifest.columns == ("file", "Site", "Rôle", "Période")
    assert manifest.rows[0].values == {
        "file": "name_colon",
        "Site": "Montréal",
        "Rôle": "infirmière",
        "Période": "2015",
    }
    assert manifest.types == {"Site": "text", "Rôle": "text", "Période": "number"}


def test_tab_manifest_with_bom(fixtures: Path) -> None:
    manifest = read_manifest(fixtures / "manifest_tab.csv")
    assert manifest.columns == ("file", "site", "score", "visit")
    # 12/03/2021 could be 12 March or 3 December: the column stays text.
    assert manifest.types == {"site": "text", "score": "number", "visit": "text"}


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["1", "2", "-3"], "number"),
        (["1.5", "2", ""], "number"),
        (["01", "02"], "text"),
        (["1,5"], "text"),
        (["1e3"], "text"),
        (["2021-03-12", "2020-02-29"], "date"),
        (["2021-02-30"], "text"),
        (["12/03/2021"], "text"),
        (["2021-03-12", "soon"], "text"),
        (["", " "], "text"),
        ([], "text"),
        (["0", "0.25", ".5"], "number"),
    ],
)
def test_infer_type(values: list[str], expected: str) -> None:
    assert infer_type(values) == expected


def test_quoted_cells_and_trailing_empty_cells(tmp_path: Path) -> None:
    path = write(tmp_path, 'file,note\n"a.txt","said ""yes"", then left",,\n\n"b.txt",x\n')
    manifest = read_manifest(path)
    assert [r.values["note"] for r in manifest.rows] == ['said "yes", then left', "x"]
    assert [r.line for r in manifest.rows] == [2, 4]


def test_missing_file_column(tmp_path: Path) -> None:
    path = write(tmp_path, "name,site\na.txt,A\n")
    with pytest.raises(InputError) as caught:
        read_manifest(path)
    assert caught.value.line == 1
    assert "no 'file' column (columns found: 'name', 'site')" in str(caught.value)
    assert str(path) in str(caught.value)


def test_file_column_in_any_case(tmp_path: Path) -> None:
    manifest = read_manifest(write(tmp_path, "FILE,Participant,Site\na.txt,Ana,A\n"))
    assert manifest.columns == ("file", "participant", "Site")


def test_duplicate_rows(tmp_path: Path) -> None:
    path = write(tmp_path, "file,site\na.txt,A\nb.txt,B\nA.TXT,C\n")
    with pytest.raises(InputError, match=r"line 4: 'A.TXT' is listed twice \(also on line 2\)"):
        read_manifest(path)


def test_empty_file_cell(tmp_path: Path) -> None:
    path = write(tmp_path, "file,site\na.txt,A\n,B\n")
    with pytest.raises(InputError, match=r"line 3: the 'file' cell is empty"):
        read_manifest(path)


@pytest.mark.parametrize(
    ("row", "cells"), [("a.txt,A,extra", 3), ("a.txt", 1)], ids=["too-many", "too-few"]
)
def test_wrong_number_of_cells(tmp_path: Path, row: str, cells: int) -> None:
    path = write(tmp_path, f"file,site\nb.txt,B\n{row}\n")
    with pytest.raises(
        InputError, match=rf"line 3: this row has {cells} cells but the header has 2"
    ):
        read_manifest(path)


def test_duplicate_column(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="'site' appears twice"):
        read_manifest(write(tmp_path, "file,site,site\na,b,c\n"))


def test_empty_manifest(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="empty"):
        read_manifest(write(tmp_path, "\n\n"))


def test_check_matches_names_paths_and_stems(tmp_path: Path) -> None:
    manifest = read_manifest(
        write(tmp_path, "file,site\nint01.docx,A\nsite-b\\int02.txt,B\nint03,C\n")
    )
    files = [
        Path("data/site-a/int01.docx"),
        Path("data/site-b/int02.txt"),
        Path("data/site-c/INT03.vtt"),
        Path("data/site-c/extra.txt"),
    ]
    matched = check_manifest(manifest, files)
    assert {p.name: row.values["site"] for p, row in matched.rows.items()} == {
        "int01.docx": "A",
        "int02.txt": "B",
        "INT03.vtt": "C",
    }
    assert matched.unlisted == (Path("data/site-c/extra.txt"),)
    assert manifest.match(files)[files[0]]["site"] == "A"


def test_check_lists_every_missing_file(tmp_path: Path) -> None:
    manifest = read_manifest(write(tmp_path, "file\na.txt\nb.txt\nc.txt\n"))
    with pytest.raises(InputError) as caught:
        check_manifest(manifest, [Path("b.txt")])
    message = str(caught.value)
    assert "2 file(s) named in the manifest do not exist" in message
    assert "a.txt (line 2), c.txt (line 4)" in message


def test_rows_for_files_on_disk_but_not_given_are_skipped(tmp_path: Path) -> None:
    """Importing part of a corpus with the whole manifest works."""
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "transcripts").mkdir()
    (tmp_path / "transcripts" / "c.txt").write_text("x")
    manifest = read_manifest(write(tmp_path, "file,site\na.txt,A\nb.txt,B\nc.txt,C\n"))
    matched = check_manifest(manifest, [Path("b.txt")])
    assert {p.name: row.values["site"] for p, row in matched.rows.items()} == {"b.txt": "B"}


def test_check_ambiguous_entry(tmp_path: Path) -> None:
    manifest = read_manifest(write(tmp_path, "file\nint01.txt\n"))
    with pytest.raises(InputError, match=r"line 2: 'int01.txt' matches several files"):
        check_manifest(manifest, [Path("a/int01.txt"), Path("b/int01.txt")])


def test_check_two_rows_for_one_file(tmp_path: Path) -> None:
    manifest = read_manifest(write(tmp_path, "file\nint01\nint01.txt\n"))
    with pytest.raises(InputError, match=r"line 3: .* both name"):
        check_manifest(manifest, [Path("int01.txt")])
