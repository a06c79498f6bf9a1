"""A process killed in the middle of a large import leaves a consistent project: every
document that is there is whole, nothing hangs loose, and the import can simply be re-run."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from coder import Project

TURNS = 6


def _write_corpus(folder: Path, count: int) -> None:
    folder.mkdir()
    for i in range(count):
        lines = []
        for turn in range(TURNS // 2):
            lines.append(f"Interviewer: Question {turn} for person {i}?")
            lines.append(f"Person {i}: Answer {turn}. It took time. We met at noon, mostly.")
        (folder / f"interview-{i:04d}.txt").write_text("\n".join(lines) + "\n")


def _count(path: Path, sql: str) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute(sql).fetchone()[0])


def test_killed_import_leaves_no_partial_document(tmp_path: Path) -> None:
    project = tmp_path / "study.coder"
    Project.create(project).close()
    corpus = tmp_path / "corpus"
    _write_corpus(corpus, 200)
    process = subprocess.Popen(
        [sys.executable, "-m", "coder", "import", "-p", str(project), str(corpus)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while _count(project, "SELECT count(*) FROM document") < 5:
        assert process.poll() is None, "the import finished before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    imported = _count(project, "SELECT count(*) FROM document")
    assert 5 <= imported < 200
    with sqlite3.connect(project) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # Every document has all its turns and sentences, and a log entry.
        per_document = conn.execute(
            "SELECT d.name, "
            "(SELECT count(*) FROM segment s WHERE s.document_id = d.id AND s.kind = 'turn'), "
            # Sentences are packed, two 4-byte integers each, in base64.
            "(SELECT length(b.sentences) * 3 / 4 / 8 FROM unit_bounds b WHERE b.document_id = d.id), "
            "(SELECT count(*) FROM event e WHERE e.action = 'document.add' AND e.entity_id = d.id) "
            "FROM document d"
        ).fetchall()
        assert all(turns == TURNS for _, turns, _, _ in per_document)
        assert all(sentences == TURNS // 2 * 4 for _, _, sentences, _ in per_document)
        assert all(logged == 1 for *_, logged in per_document)
        orphans = conn.execute(
            "SELECT count(*) FROM segment WHERE document_id NOT IN (SELECT id FROM document)"
        ).fetchone()[0]
        assert orphans == 0

    # Running the same import again completes it, skipping what is already there.
    with Project.open(project) as reopened:
        report = reopened.import_files([corpus])
        assert report.count("duplicate") == imported
        assert report.count("imported") == 200 - imported
        assert len(reopened.documents()) == 200
