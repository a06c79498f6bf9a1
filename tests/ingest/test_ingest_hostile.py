"""Hostile and careless transcripts and manifests: each is refused in one clear line (or
read exactly), fast and in bounded memory, and a failed file writes nothing."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import office_files
import pytest
from bounded import run_bounded
from click.testing import CliRunner

from coder import Project
from coder.cli import cli
from coder.errors import InputError
from coder.ingest import read_manifest, read_transcript


def odt(path: Path, body: str) -> Path:
    path.write_bytes(office_files.odt_with_body(body))
    return path


def test_an_odt_with_two_billion_spaces_is_refused_at_once(tmp_path: Path) -> None:
    """`<text:s text:c="2000000000"/>` is two billion spaces in 1 KB: expanded text counts
    against the same limit as a file. (This test is run in a process with 1 GB of address
    space to spare, so that the old behaviour fails instead of taking the machine.)"""
    path = odt(
        tmp_path / "spaces.odt",
        '<text:p>Interviewer: Hello<text:s text:c="2000000000"/>there.</text:p>',
    )
    assert path.stat().st_size < 2_000
    message = _in_bounded_process(f"read_transcript({str(path)!r})")
    assert "grows past the 50.0 MB limit once expanded" in message


def test_an_odt_keeps_its_ordinary_spaces(tmp_path: Path) -> None:
    path = odt(
        tmp_path / "spaces.odt",
        '<text:p>Interviewer: Hello<text:s text:c="3"/>there<text:s/>now<text:s text:c="x"/>.'
        "</text:p>",
    )
    assert read_transcript(path).text == "Interviewer: Hello   there now ."


def test_an_odt_nested_without_end_is_refused(tmp_path: Path) -> None:
    body = "<text:p>" + "<text:span>" * 50_000 + "deep" + "</text:span>" * 50_000 + "</text:p>"
    with pytest.raises(InputError, match="nests its elements more than 120 levels"):
        read_transcript(odt(tmp_path / "deep.odt", body))


def test_a_docx_that_would_decompress_past_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document>" + b" " * 60_000_000)
    assert path.stat().st_size < 200_000
    with pytest.raises(InputError, match=r"would decompress to 60\.0 MB, more than the 50\.0 MB"):
        read_transcript(path)


def _in_bounded_process(call: str) -> str:
    done = run_bounded(f"from coder.ingest import read_transcript\n{call}")
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


# -- numbers in manifests --------------------------------------------------------------------


def test_long_numbers_stay_exact_and_json_stays_json(project: Project, tmp_path: Path) -> None:
    (tmp_path / "int01.txt").write_text("Interviewer: Hello?\nAnn: Hello.\n")
    (tmp_path / "int02.txt").write_text("Interviewer: And you?\nBen: Fine.\n")
    huge = "9" * 400
    (tmp_path / "manifest.csv").write_text(
        "file,record,big,score\n"
        f"int01.txt,12345678901234567,{huge},2.5\n"
        f"int02.txt,12345678901234568,1,3\n"
    )
    manifest = read_manifest(tmp_path / "manifest.csv")
    assert manifest.types == {"record": "text", "big": "text", "score": "number"}
    project.import_files([tmp_path], _options(tmp_path / "manifest.csv"))
    documents = {d.name: d.attributes for d in project.documents()}
    assert documents["int01"] == {"record": "12345678901234567", "big": huge, "score": 2.5}
    assert documents["int02"] == {"record": "12345678901234568", "big": "1", "score": 3}
    result = CliRunner().invoke(cli, ["documents", "-p", project.location, "--json"])
    assert result.exit_code == 0, result.stderr
    assert "Infinity" not in result.stdout and "NaN" not in result.stdout
    listed = {d["name"]: d["attributes"] for d in json.loads(result.stdout)}
    assert listed["int01"]["record"] == "12345678901234567"


def _options(manifest: Path) -> object:
    from coder.ingest.api import ImportOptions

    return ImportOptions(manifest=manifest)


# -- manifests written by hand -----------------------------------------------------------------


def test_the_delimiter_is_counted_outside_quotes(tmp_path: Path) -> None:
    path = tmp_path / "manifest.csv"
    path.write_text('file,"site; region; area"\nint01.txt,"North; coast; east"\n')
    manifest = read_manifest(path)
    assert manifest.columns == ("file", "site; region; area")
    assert manifest.rows[0].values["site; region; area"] == "North; coast; east"


def test_an_unterminated_quote_is_refused_where_it_opens(tmp_path: Path) -> None:
    path = tmp_path / "manifest.csv"
    path.write_text(
        'file,site\nint01.txt,North\nint02.txt,"South\nint03.txt,East\nint04.txt,West\n'
    )
    with pytest.raises(InputError, match="never closed") as caught:
        read_manifest(path)
    assert caught.value.line == 3


def test_manifest_entries_are_names_not_patterns_nor_paths_too_long(tmp_path: Path) -> None:
    """Found by the fuzz tests: an entry too long for a file name raised OSError, and `*`
    matched every file below the manifest's folder."""
    (tmp_path / "int01.txt").write_text("Interviewer: Hello?\nAnn: Hello.\n")
    path = tmp_path / "manifest.csv"
    path.write_text(f"file,site\n{'[' * 5000}int02.txt,North\n*,South\n")
    manifest = read_manifest(path)
    with pytest.raises(InputError, match=r"2 file\(s\) named in the manifest do not exist"):
        manifest.check([tmp_path / "int01.txt"])


# -- speaker patterns --------------------------------------------------------------------------


def test_a_runaway_speaker_pattern_stops_the_import_naming_pattern_and_line(
    project: Project, tmp_path: Path
) -> None:
    """`(a|aa)+b` backtracks for ever on a line of 60 a's; the import stops within its time
    budget, says which pattern and which line, and writes nothing."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "int01.txt").write_text("Interviewer: Hello\n" + "a" * 60 + "\nAnn: Fine\n")
    (folder / "int02.txt").write_text("Interviewer: Hello\nAnn: Fine\n")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "coder",
            "import",
            str(folder),
            "-p",
            project.location,
            "--speaker-pattern",
            "(?P<speaker>(a|aa)+b)",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2  # the pattern is an argument: a usage error
    assert "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"coder: error: {folder / 'int01.txt'}, line 2: the speaker pattern")
    assert "'(?P<speaker>(a|aa)+b)' takes too long" in line
    assert project.info().counts.documents == 0


# -- small things ------------------------------------------------------------------------------


def test_a_file_of_control_characters_is_not_a_document(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(range(1, 9)) * 20)
    with pytest.raises(InputError, match="contains no text"):
        read_transcript(path)


def test_a_file_name_with_a_line_break_keeps_the_report_one_line_per_file(
    project: Project, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "int\n01.txt").write_text("Interviewer: Hello?\nAnn: Hello.\n")
    (folder / "bad\nname.txt").write_bytes(b"")
    result = CliRunner().invoke(cli, ["import", str(folder), "-p", project.location])
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 3, result.stdout  # one per file, and the summary
    assert lines[0].startswith("! failed") and "bad\\nname.txt" in lines[0]
    assert lines[1].startswith("+ imported  int 01:")
    assert [d.name for d in project.documents()] == ["int 01"]


def test_pdf_repair_notes_stay_off_stderr(tmp_path: Path) -> None:
    """A PDF with a broken cross-reference table: pypdf repairs it, and says so through
    logging, which used to reach the terminal."""
    data = office_files.pdf("Interviewer: Hello")
    start = data.rindex(b"startxref")
    broken = data[:start] + b"startxref\n999999\n%%EOF\n"  # points nowhere
    path = tmp_path / "broken.pdf"
    path.write_bytes(broken)
    done = subprocess.run(
        [sys.executable, "-c", f"from coder.ingest import read_transcript as r; r({str(path)!r})"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
