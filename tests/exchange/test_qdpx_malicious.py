"""Untrusted packages: each attack or breakage is refused with a clear error, and nothing is
written, neither a new project nor a row in an existing one."""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from qdpx_packages import SOURCE, one_source, package, project_xml, simple
from qdpx_snapshot import snapshot

from coder import Project
from coder.errors import CoderError, InputError, ProjectError
from coder.exchange.api import Limits, import_project
from coder.exchange.archive import Package

TEXT = "Interviewer: Why?\n\nAnn: Because the meetings were at noon.\n"

XXE = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE Project [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&secret;"/>
"""

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&lol9;"/>
"""


def _good(path: Path) -> Path:
    return simple(path, TEXT, 24, 56)


def _xxe(path: Path) -> Path:
    return package(path, XXE)


def _laughs(path: Path) -> Path:
    return package(path, LAUGHS)


def _slip(name: str) -> Callable[[Path], Path]:
    def build(path: Path) -> Path:
        good = _good(path.with_suffix(".good.qdpx"))
        with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as archive:
            for info in source.infolist():
                archive.writestr(info, source.read(info))
            archive.writestr(name, b"owned")
        return path

    return build


def _declared_bomb(path: Path) -> Path:
    return simple(path, "Ann: " + "a" * 50_000, 0, 4)


def _lying_sizes(path: Path) -> Path:
    """A deflated entry whose headers claim it holds 100 bytes while it holds a megabyte."""
    simple(path, "Ann: " + "a" * 1_000_000, 0, 4)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(f"sources/{SOURCE}.txt")
    struct.pack_into("<I", data, info.header_offset + 22, 100)  # local header
    for found in _all(data, b"PK\x01\x02"):  # the central directory's record of the entry
        name_length = struct.unpack_from("<H", data, found + 28)[0]
        if data[found + 46 : found + 46 + name_length] == info.filename.encode():
            struct.pack_into("<I", data, found + 24, 100)
    path.write_bytes(bytes(data))
    return path


def _all(data: bytearray, marker: bytes) -> list[int]:
    found, start = [], 0
    while (index := data.find(marker, start)) >= 0:
        found.append(index)
        start = index + 1
    return found


def _no_qde(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"sources/{SOURCE}.txt", TEXT)
    return path


def _broken_xml(path: Path) -> Path:
    xml = project_xml(one_source(24, 56))
    return package(path, xml[: len(xml) // 2], {f"sources/{SOURCE}.txt": TEXT})


def _outside(path: Path) -> Path:
    return simple(path, TEXT, 24, len(TEXT) + 10)


def _missing_source(path: Path) -> Path:
    return package(path, project_xml(one_source(24, 56)), {"sources/other.txt": TEXT})


def _external_source(path: Path) -> Path:
    xml = project_xml(one_source(24, 56, path="absolute:///etc/passwd"))
    return package(path, xml, {f"sources/{SOURCE}.txt": TEXT})


def _climbing_reference(path: Path) -> Path:
    xml = project_xml(one_source(24, 56, path="internal://../../etc/passwd"))
    return package(path, xml, {f"sources/{SOURCE}.txt": TEXT})


def _not_a_zip(path: Path) -> Path:
    path.write_bytes(b"PK\x03\x04 this is not really a zip file at all")
    return path


CASES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "xxe": (_xxe, "DTD"),
    "billion-laughs": (_laughs, "DTD"),
    "zip-slip-dotdot": (_slip("../evil.txt"), "climbs out"),
    "zip-slip-nested": (_slip("sources/../../evil.txt"), "climbs out"),
    "zip-slip-absolute": (_slip("/etc/evil.txt"), "absolute path"),
    "zip-slip-drive": (_slip("C:\\Windows\\evil.txt"), "absolute path"),
    "zip-bomb-declared": (_declared_bomb, "limit"),
    "zip-bomb-lying": (_lying_sizes, "damaged"),
    "missing-project-qde": (_no_qde, "no project.qde"),
    "broken-xml": (_broken_xml, "not well-formed"),
    "selection-outside-source": (_outside, "outside the source"),
    "source-missing": (_missing_source, "missing from the package"),
    "source-outside-package": (_external_source, "outside the package"),
    "source-climbing-out": (_climbing_reference, "not a file inside the package"),
    "not-a-zip": (_not_a_zip, "not a readable .qdpx"),
}
LIMITS = Limits(max_bytes=20_000)


@pytest.mark.parametrize("case", sorted(CASES))
def test_refused_and_no_project_left_behind(case: str, target: str, tmp_path: Path) -> None:
    build, words = CASES[case]
    file = build(tmp_path / f"{case}.qdpx")

    with pytest.raises(InputError) as caught:
        import_project(file, target, limits=LIMITS)

    assert words in str(caught.value)
    assert caught.value.path is not None and str(file) in str(caught.value.path)
    if "://" not in target:
        assert not list(tmp_path.glob("imported.coder*"))
    else:
        with pytest.raises(ProjectError):
            Project.open(target)


@pytest.mark.parametrize("case", sorted(CASES))
def test_refused_into_a_project_that_stays_unchanged(
    case: str, study: Project, tmp_path: Path
) -> None:
    build, words = CASES[case]
    file = build(tmp_path / f"{case}.qdpx")
    before, events = snapshot(study), len(study.events(limit=None))

    with pytest.raises(InputError, match=words):
        study.exchange.import_qdpx(file, limits=LIMITS)

    assert snapshot(study) == before
    assert len(study.events(limit=None)) == events


def test_errors_name_the_line_and_the_selection(tmp_path: Path) -> None:
    file = _outside(tmp_path / "outside.qdpx")
    with pytest.raises(InputError) as caught:
        import_project(file, tmp_path / "x.coder")
    error = caught.value
    assert error.line == 5
    assert "22222222-2222-4333-8444-555555555555" in str(error)
    assert "'Interview'" in str(error)
    assert str(error.path).endswith("outside.qdpx/project.qde")


def test_the_default_limit_is_one_gibibyte(tmp_path: Path) -> None:
    assert Limits().max_bytes == 2**30
    with Package(_good(tmp_path / "ok.qdpx"), Limits()) as opened:
        assert b"<Project" in opened.project_xml()


def test_a_bomb_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    """100 MB of zeros compress to a few hundred kilobytes; the declared size gives it away."""
    file = simple(tmp_path / "bomb.qdpx", b"\0" * 100_000_000, 0, 4)
    assert file.stat().st_size < 1_000_000
    with pytest.raises(InputError, match=r"would decompress to 95\.4 MiB"):
        Package(file, Limits(max_bytes=10 * 2**20))


@pytest.mark.parametrize(
    ("attack", "words"),
    [("symlink", "symbolic link"), ("encrypted", "encrypted"), ("duplicate", "twice")],
)
def test_other_entries_that_cannot_be_trusted(attack: str, words: str, tmp_path: Path) -> None:
    file = _good(tmp_path / "base.qdpx")
    bad = tmp_path / f"{attack}.qdpx"
    with zipfile.ZipFile(file) as source, zipfile.ZipFile(bad, "w") as archive:
        for info in source.infolist():
            archive.writestr(info, source.read(info))
        extra = zipfile.ZipInfo("sources/link.txt")
        if attack == "symlink":
            extra.create_system = 3
            extra.external_attr = 0o120777 << 16
        if attack == "duplicate":
            with pytest.warns(UserWarning, match="Duplicate name"):
                archive.writestr("project.qde", b"<Project/>")
        else:
            archive.writestr(extra, b"/etc/passwd")
    if attack == "encrypted":  # zipfile clears the flag when writing: set it in the file
        data = bytearray(bad.read_bytes())
        for found in _all(data, b"PK\x01\x02"):
            data[found + 8] |= 0x1
        bad.write_bytes(bytes(data))
    with pytest.raises(InputError, match=words):
        import_project(bad, tmp_path / "x.coder")
    assert not (tmp_path / "x.coder").exists()


def test_a_failure_while_writing_removes_the_new_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coder.exchange import load

    def fail(self: object) -> None:
        raise CoderError("disk full")

    monkeypatch.setattr(load._Loader, "add_memos", fail)
    file = _good(tmp_path / "ok.qdpx")
    with pytest.raises(CoderError, match="disk full"):
        import_project(file, tmp_path / "new.coder")
    assert list(tmp_path.glob("new.coder*")) == []


def test_an_existing_file_is_never_overwritten_nor_removed(tmp_path: Path) -> None:
    existing = tmp_path / "mine.coder"
    existing.write_bytes(b"precious")
    with pytest.raises(CoderError, match="already exists"):
        import_project(_good(tmp_path / "ok.qdpx"), existing)
    assert existing.read_bytes() == b"precious"


def test_cli_reports_one_line_and_fails(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from coder.cli import cli

    file = _xxe(tmp_path / "xxe.qdpx")
    result = CliRunner().invoke(cli, ["import-qdpx", str(file), str(tmp_path / "x.coder")])
    assert result.exit_code == 1
    assert result.output.startswith("coder: error: ")
    assert "DTD" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "x.coder").exists()


def test_cli_size_limit(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from coder.cli import cli

    file = simple(tmp_path / "big.qdpx", b"\0" * 3 * 2**20, 0, 4)
    args = ["import-qdpx", str(file), str(tmp_path / "x.coder"), "--max-size", "1"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "1.0 MiB limit" in result.output
