"""Several coders at once on one server: nothing is lost, and stale codebook edits are refused."""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.managers import SyncManager

import psycopg
import pytest
from team_study import INTERVIEW, TeamStudy
from team_workers import code_spans, edit_definition

from coder.errors import ConflictError

pytestmark = pytest.mark.postgres

PER_PROCESS = 40
PROCESSES = 4


@pytest.fixture(scope="module")
def processes() -> Iterator[tuple[ProcessPoolExecutor, SyncManager]]:
    """Worker processes (spawned: nothing shared with this one but what is sent), kept for
    the module because starting them and importing coder is the slow part."""
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, ProcessPoolExecutor(PROCESSES, mp_context=context) as pool:
        yield pool, manager


def spans_for(slot: int) -> list[tuple[str, int, int]]:
    """PER_PROCESS distinct spans; slots that share a coder never share a span."""
    codes = ("Time", "Jargon", "Support")
    return [
        (codes[i % 3], start, start + 7)
        for i, start in enumerate(range(slot * PER_PROCESS, (slot + 1) * PER_PROCESS))
    ]


def test_concurrent_coders_lose_nothing(
    team: TeamStudy, processes: tuple[ProcessPoolExecutor, SyncManager]
) -> None:
    pool, manager = processes
    assert len(INTERVIEW) > 3 * PER_PROCESS + 7
    # amira codes from two processes at once (two windows open); the others from one each.
    workers = [("amira", 0), ("amira", 1), ("bruno", 0), ("lena", 2)]
    barrier = manager.Barrier(len(workers))
    futures = [
        pool.submit(code_spans, team.url(name), name, spans_for(slot), barrier)
        for name, slot in workers
    ]
    assert [f.result(timeout=300) for f in futures] == [PER_PROCESS] * len(workers)

    frame = team.admin.coding.frame()
    assert len(frame) == PER_PROCESS * len(workers)
    counts = frame.groupby("coder").size().to_dict()
    assert counts == {"amira": 2 * PER_PROCESS, "bruno": PER_PROCESS, "lena": PER_PROCESS}
    for name, slot in workers:
        mine = frame[frame["coder"] == name]
        got = set(zip(mine["start"], mine["end"], strict=True))
        assert {(s, e) for _, s, e in spans_for(slot)} <= got
    added = [e for e in team.admin.events(limit=None) if e.action == "coding.add"]
    assert len(added) == PER_PROCESS * len(workers)
    assert {e.actor for e in added} == {"amira", "bruno", "lena"}


def test_racing_codebook_edits_one_wins(
    team: TeamStudy, processes: tuple[ProcessPoolExecutor, SyncManager]
) -> None:
    pool, manager = processes
    team.add("omar", "lead")
    seen = team.admin.codebook.code("Time").version
    contenders = ["lena", "omar", "lena", "omar"]
    barrier = manager.Barrier(len(contenders))
    futures = [
        pool.submit(edit_definition, team.url(name), f"by {name} #{i}", seen, barrier)
        for i, name in enumerate(contenders)
    ]
    outcomes = [f.result(timeout=300) for f in futures]
    assert outcomes.count("saved") == 1
    for outcome in outcomes:
        assert outcome == "saved" or "changed by someone else since you read it" in outcome
    code = team.admin.codebook.code("Time")
    assert code.version == seen + 1
    assert code.definition == f"by {contenders[outcomes.index('saved')]} #{outcomes.index('saved')}"


def test_the_database_refuses_an_edit_based_on_a_stale_read(team: TeamStudy) -> None:
    """Both edits pass their own version check before either writes: the database, not the
    program, refuses the second."""
    code = team.admin.codebook.code("Time")
    update = "UPDATE code SET definition = %s, version = %s WHERE id = %s"
    result: list[BaseException | None] = []

    with team.sql("lena") as first, team.sql("lena") as second:
        first.autocommit = second.autocommit = False
        first.execute(update, ["first", code.version + 1, code.id])

        def late() -> None:
            try:
                second.execute(update, ["second", code.version + 1, code.id])
                second.commit()
                result.append(None)
            except psycopg.Error as error:
                second.rollback()
                result.append(error)

        thread = threading.Thread(target=late)
        thread.start()
        time.sleep(0.5)  # the second update now waits for the first one's row lock
        first.commit()
        thread.join(timeout=30)
    (error,) = result
    assert isinstance(error, psycopg.errors.IntegrityConstraintViolation)
    assert "code 'Time' was changed by someone else" in str(error)
    assert team.admin.codebook.code("Time").definition == "first"


def test_a_stale_edit_through_coder_names_the_code_and_what_to_do(team: TeamStudy) -> None:
    lena, admin = team.open("lena"), team.admin
    seen = lena.codebook.code("Jargon").version
    admin.codebook.edit("Jargon", definition="Words nobody explained", seen_version=seen)
    with pytest.raises(ConflictError) as refused:
        lena.codebook.rename("Jargon", "Technical language", seen_version=seen)
    message = str(refused.value)
    assert "'Jargon'" in message and "reload" in message
    assert [c.name for c in lena.codebook.tree().codes].count("Jargon") == 1
