"""The blind phase's rule, held by the Python API itself (coder/access.py): while blind, a
coder reads only their own codings through every facade, and a lead reads everything. On both
engines; on PostgreSQL the project's owner connection says who reads with `as_coder`, as a
script on SQLite does (tests/team/test_team_rls.py holds a coder's own connection to it)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from coder import Project
from coder.access import BlindPhaseError
from coder.coding.quotes import QuoteFilter
from coder.ingest.api import ImportOptions

INTERVIEW = """Interviewer: What got in the way?
Dana: Time, mostly. Meetings were at noon. I work days. The jargon was hard too.
Interviewer: What helped?
Dana: A glossary. And the coach. She came every month.
"""


def span(text: str) -> tuple[int, int]:
    start = INTERVIEW.index(text)
    return start, start + len(text)


@pytest.fixture
def blind(project: Project, tmp_path: Path) -> Iterator[str]:
    """maya and tomas (coders) each code two passages of one interview, lena leads; then the
    project goes blind. Yields the project's location."""
    (tmp_path / "interview.txt").write_text(INTERVIEW)
    project.import_files([tmp_path / "interview.txt"], ImportOptions(attributes={"site": "A"}))
    for name in ("Time", "Jargon", "Support"):
        project.codebook.add(name)
    project.add_coder("maya")
    project.add_coder("tomas")
    project.add_coder("lena", "lead")
    for coder, code, text in [
        ("maya", "Time", "Time, mostly."),
        ("maya", "Jargon", "The jargon was hard too."),
        ("tomas", "Time", "Meetings were at noon."),
        ("tomas", "Support", "A glossary."),
    ]:
        project.coding.apply("interview", code, *span(text), coder=coder)
    project.set_phase("blind")
    yield project.location


@pytest.fixture
def opened() -> Iterator[Callable[..., Project]]:
    projects: list[Project] = []

    def open_as(location: str, as_coder: str | None = None) -> Project:
        projects.append(Project.open(location, as_coder=as_coder))
        return projects[-1]

    yield open_as
    for project in projects:
        project.close()


# Every read of codings in the API, asking for tomas's (or everyone's, where that is the ask:
# the methods report tells every coder's work).
TOMAS: dict[str, Callable[[Project], Any]] = {
    "codings frame": lambda p: p.coding.frame(coders=["tomas"]),
    "quotes": lambda p: p.coding.quotes(QuoteFilter(coders=["tomas"])),
    "codings export": lambda p: p.coding.export_csv(coders=["tomas"]),
    "suggestions": lambda p: p.coding.suggestions("tomas"),
    "matrix": lambda p: p.matrices.matrix("site", coder="tomas"),
    "co-occurrence": lambda p: p.matrices.cooccurrence(coder="tomas"),
    "exemplars": lambda p: p.matrices.exemplars("site", coder="tomas"),
    "report": lambda p: p.matrices.report("site", coder="tomas", fmt="md"),
    "agreement": lambda p: p.agreement(["maya", "tomas"]),
    "disagreements": lambda p: p.disagreements(["maya", "tomas"]),
    "reconciliation": lambda p: p.reconcile.pending(["maya", "tomas"]),
    "saturation": lambda p: p.saturation.items(coder="tomas"),
    "methods report": lambda p: p.reports.methods(draws=20, orders=20),
}


@pytest.mark.parametrize("read", TOMAS.values(), ids=TOMAS.keys())
def test_a_coder_is_refused_another_coders_codings(
    blind: str, opened: Callable[..., Project], read: Callable[[Project], Any]
) -> None:
    maya = opened(blind, as_coder="maya")
    with pytest.raises(BlindPhaseError, match=r"blind phase: .*maya reads only their own"):
        read(maya)


def test_a_coders_saturation_counts_their_own_codings(
    blind: str, opened: Callable[..., Project]
) -> None:
    items = opened(blind, as_coder="maya").saturation.items()
    assert items.coder == "maya"


def test_a_coder_asking_for_everyone_gets_their_own(
    blind: str, opened: Callable[..., Project], tmp_path: Path
) -> None:
    maya = opened(blind, as_coder="maya")
    assert set(maya.coding.frame()["coder"]) == {"maya"}
    assert {q.coder for q in maya.coding.quotes()} == {"maya"}
    assert {row.split(",")[4] for row in maya.coding.export_csv().splitlines()[1:]} == {"maya"}
    themes = maya.matrices.matrix("site", measure="documents")
    assert themes.coder == "maya"
    assert themes.frame.loc[["Time", "Jargon", "Support"], "A"].tolist() == [1, 1, 0]
    pairs = maya.matrices.cooccurrence()
    assert pairs.coder == "maya" and pairs.frame.loc["Support", "Support"] == 0
    assert maya.coding.frame(coders=["maya"])["coder"].tolist() == ["maya", "maya"]
    with pytest.raises(BlindPhaseError, match="maya reads only their own"):
        maya.exchange.export_qdpx(tmp_path / "all.qdpx")


def test_a_lead_reads_everything(
    blind: str, opened: Callable[..., Project], tmp_path: Path
) -> None:
    lena = opened(blind, as_coder="lena")
    assert set(lena.coding.frame()["coder"]) == {"maya", "tomas"}
    for read in TOMAS.values():
        read(lena)
    lena.exchange.export_qdpx(tmp_path / "all.qdpx")
    assert (tmp_path / "all.qdpx").stat().st_size > 0


def test_naming_nobody_reads_one_coder_at_a_time(
    blind: str, opened: Callable[..., Project], tmp_path: Path
) -> None:
    """A script that names nobody is taken to be the one coder whose codings it asks for,
    as `coder quotes --coder NAME` is; everyone's at once is refused, on PostgreSQL to the
    project's owner too."""
    anyone = opened(blind)
    assert set(anyone.coding.frame(coders=["tomas"])["coder"]) == {"tomas"}
    assert anyone.matrices.matrix("site", coder="tomas").coder == "tomas"
    refusals: list[Callable[[], Any]] = [
        anyone.coding.frame,
        anyone.coding.quotes,
        lambda: anyone.matrices.matrix("site"),
        lambda: anyone.agreement(["maya", "tomas"]),
        lambda: anyone.exchange.export_qdpx(tmp_path / "all.qdpx"),
    ]
    for refused in refusals:
        with pytest.raises(BlindPhaseError, match="say who you are"):
            refused()


def test_outside_the_blind_phase_everyone_reads_everything(
    blind: str, opened: Callable[..., Project]
) -> None:
    opened(blind, as_coder="lena").set_phase("reconcile", actor="lena")
    maya = opened(blind, as_coder="maya")
    assert set(maya.coding.frame()["coder"]) == {"maya", "tomas"}
    assert set(opened(blind).coding.frame()["coder"]) == {"maya", "tomas"}


def test_a_name_that_is_no_coders_reads_nothing_of_others(
    blind: str, opened: Callable[..., Project]
) -> None:
    stranger = opened(blind, as_coder="zoe")
    assert stranger.coding.frame().empty
    with pytest.raises(BlindPhaseError, match="zoe reads only their own"):
        stranger.coding.frame(coders=["maya"])
