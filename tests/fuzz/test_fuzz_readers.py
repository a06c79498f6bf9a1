"""Every reader of files, fed damaged and hostile versions of valid files through the command
line (Hypothesis). Whatever the input, the command either works or says why in one line:
no traceback, exit status 1 or 2, nothing written to the project, no file left behind; and
it finishes, within the memory it may use.

The examples are the same on every run (`derandomize`), `FUZZ_EXAMPLES` per reader; set
`CODER_FUZZ_EXAMPLES=500` (say) for a longer, randomised search.
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import signal
import sqlite3
import traceback
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import office_files
import pytest
import seeds
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mutations import HOSTILE, damaged

from coder import Project
from coder.cli import cli

_CHOSEN = os.environ.get("CODER_FUZZ_EXAMPLES", "").strip()
FUZZ_EXAMPLES = int(_CHOSEN) if _CHOSEN.isdigit() else 12
FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=not _CHOSEN,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)
# A hang, not a speed limit: the slowest honest example takes a few seconds.
HANG_SECONDS = 120
# Memory the whole fuzz run may add to the interpreter (address space).
MEMORY_BYTES = 2 * 2**30


class Hang(Exception):
    pass


@pytest.fixture(scope="module", autouse=True)
def bounded_memory() -> Iterator[None]:
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    used = int(Path("/proc/self/statm").read_text().split()[0]) * resource.getpagesize()
    resource.setrlimit(resource.RLIMIT_AS, (used + MEMORY_BYTES, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


class Bench:
    """A folder with a project copied fresh from a template for each example."""

    def __init__(self, template: Path, folder: Path) -> None:
        self.template = template
        self.folder = folder
        self.project = folder / "study.coder"
        self.before = _fingerprint(template)

    def reset(self) -> None:
        for path in self.folder.iterdir():
            shutil.rmtree(path) if path.is_dir() else path.unlink()
        shutil.copyfile(self.template, self.project)

    def run(self, *args: str, report_per_file: bool = False, into: bool = False) -> Result:
        """Run `coder ARGS` on the project (`--into` it rather than `-p` it, for a package)."""
        files = _listing(self.folder)
        target = ["--into" if into else "-p", str(self.project), "--as", "maya"]

        def hang(_signal: int, _frame: FrameType | None) -> None:
            raise Hang(f"still running after {HANG_SECONDS} s")

        previous = signal.signal(signal.SIGALRM, hang)
        signal.setitimer(signal.ITIMER_REAL, HANG_SECONDS)
        try:
            result = CliRunner().invoke(cli, [*args, *target])
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            detail = "".join(traceback.format_exception(*result.exc_info))  # type: ignore[misc]
            raise AssertionError(f"coder {' '.join(args)} raised:\n{detail}")
        for stream in (result.stdout, result.stderr):
            assert "Traceback" not in stream
        assert result.exit_code in (0, 1, 2), result.exit_code
        if result.exit_code != 0:
            if report_per_file:
                assert all(line.startswith(("! failed", "note:")) for line in _lines(result)[:-1])
            else:
                (line,) = [line for line in result.stderr.splitlines() if line.strip()]
                assert line.startswith("coder: error: "), line
            assert _fingerprint(self.project) == self.before, "a failed command wrote"
        assert _listing(self.folder) == files, "a file was left behind"
        return result


def _lines(result: Result) -> list[str]:
    return [line for line in result.stdout.splitlines() if line.strip()]


def _listing(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if not p.name.endswith(("-wal", "-shm"))}


def _fingerprint(project: Path) -> str:
    """Everything the project holds, as SQL."""
    connection = sqlite3.connect(project)
    try:
        return hashlib.sha256("\n".join(connection.iterdump()).encode()).hexdigest()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.coder"
    (folder / "interview.txt").write_text(seeds.TRANSCRIPT)
    (folder / "codebook.yaml").write_text(seeds.CODEBOOK_YAML)
    with Project.create(path, title="Fuzz") as project:
        project.import_files([folder / "interview.txt"])
        project.codebook.load(folder / "codebook.yaml")
        project.add_coder("maya")
    return path


@pytest.fixture
def bench(template: Path, tmp_path: Path) -> Bench:
    return Bench(template, tmp_path)


def _write(bench: Bench, name: str, data: bytes) -> Path:
    bench.reset()
    path = bench.folder / name
    path.write_bytes(data)
    return path


# -- transcripts -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(seeds.TEXT_SEEDS))
@FUZZ
@given(data=st.data())
def test_text_transcripts(bench: Bench, fmt: str, data: st.DataObject) -> None:
    raw = data.draw(damaged(seeds.TEXT_SEEDS[fmt].encode()))
    path = _write(bench, f"int01.{fmt}", raw)
    result = bench.run("import", str(path), report_per_file=True)
    assert len(_lines(result)) == 2  # one line for the file, one for the summary


@pytest.mark.parametrize("fmt", ["docx", "odt"])
@FUZZ
@given(data=st.data())
def test_word_processor_files(bench: Bench, fmt: str, data: st.DataObject) -> None:
    parts = seeds.docx_parts() if fmt == "docx" else {"content.xml": seeds.ODT_CONTENT.encode()}
    main = "word/document.xml" if fmt == "docx" else "content.xml"
    parts[main] = data.draw(damaged(parts[main]))
    packed = seeds.zipped(parts) if fmt == "docx" else office_files.odt(parts[main])
    if data.draw(st.booleans()):  # now and then the ZIP itself is damaged too
        packed = data.draw(damaged(packed))
    path = _write(bench, f"int01.{fmt}", packed)
    result = bench.run("import", str(path), report_per_file=True)
    assert len(_lines(result)) == 2


@FUZZ
@given(data=st.data())
def test_pdf(bench: Bench, data: st.DataObject) -> None:
    path = _write(bench, "int01.pdf", data.draw(damaged(PDF)))
    result = bench.run("import", str(path), report_per_file=True)
    assert len(_lines(result)) == 2


PDF = seeds.pdf()


@FUZZ
@given(data=st.data())
def test_speaker_patterns(bench: Bench, data: st.DataObject) -> None:
    pattern = data.draw(
        st.text(alphabet="(?P<speaker>)[]{}+*|.\\wsda:^$-0123456789,", min_size=1, max_size=40)
    )
    path = _write(bench, "int01.txt", seeds.TRANSCRIPT.encode() + b"a" * 40 + b"\n")
    if pattern.startswith("-"):
        pattern = " " + pattern  # not an option
    bench.run("import", str(path), "--speaker-pattern", pattern, report_per_file=True)


# -- tables and codebooks ----------------------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_manifests(bench: Bench, data: st.DataObject) -> None:
    manifest = _write(bench, "manifest.csv", data.draw(damaged(seeds.MANIFEST.encode())))
    transcripts = bench.folder / "in"
    transcripts.mkdir()
    (transcripts / "int01.txt").write_text(seeds.TRANSCRIPT)
    (transcripts / "int02.txt").write_text(seeds.TRANSCRIPT.replace("Dana", "Eli"))
    bench.run("import", str(transcripts), "--manifest", str(manifest), report_per_file=True)


CODEBOOKS = {"yaml": seeds.CODEBOOK_YAML, "csv": seeds.CODEBOOK_CSV, "qdc": seeds.CODEBOOK_QDC}


@pytest.mark.parametrize("fmt", sorted(CODEBOOKS))
@FUZZ
@given(data=st.data())
def test_codebooks(bench: Bench, fmt: str, data: st.DataObject) -> None:
    path = _write(bench, f"codebook.{fmt}", data.draw(damaged(CODEBOOKS[fmt].encode())))
    bench.run("codebook", "load", str(path))


@FUZZ
@given(data=st.data())
def test_codings(bench: Bench, data: st.DataObject) -> None:
    path = _write(bench, "codings.csv", data.draw(damaged(_codings_seed(bench.template))))
    bench.run("codings", "import", str(path))


def _codings_seed(template: Path) -> bytes:
    with Project.open(template) as project:
        text = project.document("interview").text
    start = text.index("Time, mostly.")
    return seeds.CODINGS_CSV.replace("56,69", f"{start},{start + 13}").encode()


@FUZZ
@given(data=st.data())
def test_qdpx(bench: Bench, data: st.DataObject) -> None:
    qde, source = seeds.QDE.encode(), seeds.TRANSCRIPT.encode()
    if data.draw(st.booleans()):
        qde = data.draw(damaged(qde))
    else:
        source = data.draw(damaged(source))
    packed = seeds.qdpx(qde, source)
    if data.draw(st.integers(0, 3)) == 0:
        packed = data.draw(damaged(packed))
    path = _write(bench, "foreign.qdpx", packed)
    bench.run("import-qdpx", str(path), into=True)


def test_the_hostile_pieces_are_all_different() -> None:
    assert len(set(HOSTILE)) == len(HOSTILE)
