"""The demo project: a fictional seven-site study, imported, coded and partly reconciled.

`coder demo PATH` builds it from `corpora/partnership-demo/` (see corpora/README.md): the
transcripts with their manifest, the `alidina-2021` codebook, two coders' codings of the
double-coded subset and one coder's of the rest, the consensus the two reached on part of it,
and a few memos.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from coder.errors import ProjectError
from coder.ingest.api import ImportOptions
from coder.project import Project

CORPUS = "partnership-demo"
CODEBOOK = "alidina-2021.yaml"
CODERS = ("maya", "tomas")
LEAD = "lead"

Step = Callable[[str], None]


@dataclass
class DemoReport:
    documents: int = 0
    codes: int = 0
    codings: dict[str, int] = field(default_factory=dict)
    agreements: int = 0
    decisions: int = 0
    memos: int = 0


def repository_root() -> Path:
    return Path(__file__).resolve().parent.parent


def find_corpus(corpus: Path | None = None) -> Path:
    """The demo corpus folder: given, from $CODER_DEMO_CORPUS, or in the source tree."""
    candidates = [corpus] if corpus else []
    if os.environ.get("CODER_DEMO_CORPUS"):
        candidates.append(Path(os.environ["CODER_DEMO_CORPUS"]))
    candidates.append(repository_root() / "corpora" / CORPUS)
    for candidate in candidates:
        if candidate is not None and (candidate / "manifest.csv").is_file():
            return candidate
    raise ProjectError(
        "the demo corpus was not found; run `coder demo` from a source checkout of coder, "
        "or give its folder with --corpus (it holds manifest.csv and transcripts/)"
    )


def find_codebook(corpus: Path) -> Path:
    for folder in (corpus.parent.parent / "codebooks", repository_root() / "codebooks"):
        if (folder / CODEBOOK).is_file():
            return folder / CODEBOOK
    raise ProjectError(f"the codebook {CODEBOOK} was not found beside the demo corpus")


def build(
    location: str | Path, *, corpus: Path | None = None, step: Step | None = None
) -> DemoReport:
    say = step or (lambda _: None)
    folder = find_corpus(corpus)
    report = DemoReport()
    with Project.create(location, title="Patient partners in primary-care improvement (demo)") as p:
        say("Importing transcripts")
        imported = p.import_files(
            [folder / "transcripts"], ImportOptions(manifest=folder / "manifest.csv"), actor=LEAD
        )
        failed = imported.failed
        if failed:
            raise ProjectError(f"demo transcript {failed[0].path.name} failed: {failed[0].message}")
        report.documents = imported.count("imported")
        say("Loading the codebook")
        loaded, _ = p.codebook.load(find_codebook(folder), actor=LEAD)
        report.codes = len(loaded.added)
        for coder in CODERS:
            path = folder / "codings" / f"{coder}.csv"
            if path.is_file():
                say(f"Importing {coder}'s codings")
                p.add_coder(coder, actor=LEAD)
                report.codings[coder] = p.coding.import_csv(path, actor=coder).added
        decisions = folder / "codings" / "decisions.csv"
        if decisions.is_file() and all(c in report.codings for c in CODERS):
            say("Reconciling")
            report.decisions, report.agreements = _reconcile(p, decisions)
        memos = folder / "memos.csv"
        if memos.is_file():
            say("Writing memos")
            with memos.open(encoding="utf-8", newline="") as handle:
                for row in csv.DictReader(handle):
                    p.memos.add(row["on"], row["text"], title=row.get("title", ""), actor=LEAD)
                    report.memos += 1
    return report


def _reconcile(project: Project, path: Path) -> tuple[int, int]:
    """Accept the agreements and apply the recorded decisions, on the documents they cover."""
    with path.open(encoding="utf-8", newline="") as handle:
        documents = sorted({row["document"] for row in csv.DictReader(handle)})
    agreements = project.reconcile.accept_agreements(CODERS, documents=documents, actor=LEAD)
    _, decided = project.reconcile.apply_decisions(path, CODERS, actor=LEAD)
    return decided, agreements
