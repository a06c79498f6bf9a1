"""A batch read in a forked process stores and reports exactly what a thread's reading does."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from coder import Project
from coder.errors import InputError, UsageError
from coder.ingest import ahead, run
from coder.ingest.api import ImportOptions, start_reading
from coder.userregex import PatternTimeout

TRANSCRIPTS = {
    "a-leader.txt": "Interviewer: How did it start?\nAmira: Slowly. We met at noon.\n\n"
    "Nobody came. [laughs]\nInterviewer: And then?\nAmira: Evenings. It doubled.\n",
    "b-patient.txt": "I: What got in the way?\nR: The jargon, honestly. Dr. Lee helped.\n"
    "I: Anything else?\nR: Time... I work days!\n",
    "c-focus.txt": "[00:00:05] Facilitator: Welcome.\n[00:00:12] Rosa: Thanks (I came).\n"
    "[00:00:20] Tom: Same here? Yes.\n",
    "d-notes.txt": "No labels here. Just a researcher's note.\n\nA second paragraph.\n",
    "e-empty.txt": "   \n",
}
MANIFEST = "file,site,participant\na-leader.txt,A,Amira Haddad\nb-patient.txt,B,\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "transcripts"
    folder.mkdir()
    for name, text in TRANSCRIPTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(MANIFEST, encoding="utf-8")
    return folder


def _stored(project: Project) -> list[object]:
    found: list[object] = []
    with project._store.read() as tx:
        for document in project.documents():
            found.append((document.name, document.attributes, document.participants))
            for kind in ("turn", "paragraph", "sentence"):
                found.extend(
                    (s.kind, s.start, s.end, s.speaker, s.speaker_role, s.started_at)
                    for s in tx.segments(document.id, kind)
                )
    return found


def _import(
    project: Project,
    corpus: Path,
    forked: bool,
    monkeypatch: pytest.MonkeyPatch,
    strict: bool = False,
) -> tuple[list[tuple[str, str, str]], list[object], bool]:
    """The outcomes, what was stored, and whether a reader process ran during the import."""
    with monkeypatch.context() as patch:
        # The test runner may run threads of its own, where the import would not fork.
        patch.setattr(ahead, "can_fork", lambda: forked)
        patch.setattr(ahead, "PROCESS_FROM", 1)
        children: list[int] = []

        def progress(done: int, total: int, path: Path) -> None:
            children.append(len(multiprocessing.active_children()))

        manifest = corpus.parent / "manifest.csv"
        report = project.import_files(
            [corpus], ImportOptions(manifest=manifest, strict=strict), progress=progress
        )
    outcomes: list[tuple[str, str, str]] = [
        (o.path.name, o.status, o.message) for o in report.outcomes
    ]
    return outcomes, _stored(project), any(children)


def test_a_forked_reader_stores_what_a_thread_stores(
    project: Project, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    forked = _import(project, corpus, True, monkeypatch)
    assert forked[2], "the batch was not read in a process"
    with Project.create(tmp_path / "threaded.coder", title="Test study") as other:
        threaded = _import(other, corpus, False, monkeypatch)
    assert not threaded[2]
    assert forked[:2] == threaded[:2]
    # The empty file fails alone, with the message a thread's reading gives.
    assert [o for o in forked[0] if o[1] != "imported"] == [
        (
            "e-empty.txt",
            "failed",
            "the file contains no text (only whitespace or invisible control characters); "
            "nothing to import",
        )
    ]
    assert len(forked[0]) == 5


def test_a_forked_reader_failing_a_strict_batch_writes_nothing(
    project: Project, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(InputError, match=r"contains no text.*nothing was imported"):
        _import(project, corpus, True, monkeypatch, True)
    assert project.documents() == []
    assert project.info().counts.participants == 0


@pytest.mark.parametrize("forked", [True, False])
def test_a_batch_read_before_the_project_opens_stores_what_an_import_stores(
    project: Project,
    corpus: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    forked: bool,
) -> None:
    """`coder import` starts reading its files before it opens the project; what it stores
    and reports is what importing the paths into an open project stores and reports."""
    with Project.create(tmp_path / "paths.coder", title="Test study") as other:
        usual = _import(other, corpus, forked, monkeypatch)
    options = ImportOptions(manifest=corpus.parent / "manifest.csv")
    with monkeypatch.context() as patch:
        patch.setattr(ahead, "can_fork", lambda: forked)
        patch.setattr(ahead, "PROCESS_FROM", 1)
        with start_reading([corpus], options) as batch:
            with pytest.raises(UsageError, match="has its options already"):
                project.import_files(batch, options)
            report = project.import_files(batch)
            with pytest.raises(UsageError, match="written already"):
                project.import_files(batch)
    outcomes = [(o.path.name, o.status, o.message) for o in report.outcomes]
    assert (outcomes, _stored(project)) == tuple(usual[:2])
    assert len(outcomes) == 5


def test_a_failure_comes_back_as_the_error_it_was() -> None:
    timeout = ahead.Failure("the speaker pattern took too long", "Amira: a" * 50).error()
    assert isinstance(timeout, PatternTimeout) and timeout.subject.startswith("Amira")
    plain = ahead.Failure("line 3: not a transcript").error()
    assert not isinstance(plain, PatternTimeout)
    assert run._message(plain) == "line 3: not a transcript"
