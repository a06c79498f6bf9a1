"""Blind coding enforced by the database: what each role reads and writes, through coder and
through raw SQL on the role's own connection."""

from __future__ import annotations

import psycopg
import pytest
from team_study import TeamStudy

from coder.access import BlindPhaseError
from coder.errors import ConflictError, UsageError
from coder.team.api import NotPermittedError

pytestmark = pytest.mark.postgres


def coder_id(study: TeamStudy, name: str) -> int:
    return next(c.id for c in study.admin.coders() if c.name == name)


def codings_by(study: TeamStudy, name: str) -> list[tuple[object, ...]]:
    """The codings of `name` as the owner sees them (all of them)."""
    origins = ("manual", "suggested", "accepted", "reconciled")
    rows = study.admin.coding.frame(coders=[name], origins=origins)
    return [tuple(r) for r in rows[["id", "code_id", "start", "end"]].itertuples(index=False)]


@pytest.fixture
def coded(team: TeamStudy) -> TeamStudy:
    """amira and bruno each code two sentences, then lena makes the project blind."""
    amira, bruno = team.open("amira"), team.open("bruno")
    team.code(amira, "Time", "Time, mostly.")
    team.code(amira, "Jargon", "Nobody explained PDSA.")
    team.code(bruno, "Time", "Meetings were at noon.")
    team.code(bruno, "Support", "A glossary.")
    team.open("lena").set_phase("blind")
    return team


def test_blind_coder_sees_only_their_own_codings(coded: TeamStudy) -> None:
    amira = coded.open("amira")
    assert set(amira.coding.frame()["coder"]) == {"amira"}
    assert amira.info().counts.codings == 2
    assert set(coded.open("bruno").coding.frame()["coder"]) == {"bruno"}
    # The API refuses to read bruno's codings for amira, and the database would not give
    # them anyway: the rows are not there to be read (see the raw SQL test below).
    with pytest.raises(BlindPhaseError, match="amira reads only their own codings"):
        amira.coding.frame(coders=["bruno"])


def test_blind_coder_cannot_read_or_change_others_with_raw_sql(coded: TeamStudy) -> None:
    bruno_id, amira_id = coder_id(coded, "bruno"), coder_id(coded, "amira")
    before = codings_by(coded, "bruno")
    with coded.sql("amira") as conn:
        assert conn.execute("SELECT count(*) FROM coding").fetchone() == (2,)
        assert conn.execute(
            "SELECT count(*) FROM coding WHERE coder_id = %s", [bruno_id]
        ).fetchone() == (0,)
        # Writes to rows one cannot see touch nothing...
        assert (
            conn.execute(
                'UPDATE coding SET "end" = "end" + 1 WHERE coder_id = %s', [bruno_id]
            ).rowcount
            == 0
        )
        assert conn.execute("DELETE FROM coding WHERE coder_id = %s", [bruno_id]).rowcount == 0
        # ...and no row of one's own can be made into someone else's.
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute(
                "UPDATE coding SET coder_id = %s WHERE coder_id = %s", [bruno_id, amira_id]
            )
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute(
                "INSERT INTO coding (document_id, document_length, code_id, coder_id, start, "
                '"end", origin, created_at) SELECT document_id, document_length, code_id, %s, '
                "0, 5, 'manual', now() FROM coding LIMIT 1",
                [bruno_id],
            )
    assert codings_by(coded, "bruno") == before


def test_a_coder_never_changes_anothers_codings_even_when_open(team: TeamStudy) -> None:
    amira, bruno = team.open("amira"), team.open("bruno")
    team.code(bruno, "Time", "Meetings were at noon.")
    bruno_id = coder_id(team, "bruno")
    assert set(amira.coding.frame()["coder"]) == {"bruno"}  # open: visible, yet not amira's
    with team.sql("amira") as conn:
        for statement in (
            "DELETE FROM coding WHERE coder_id = %s",
            "UPDATE coding SET start = 0 WHERE coder_id = %s",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="another coder's"):
                conn.execute(statement, [bruno_id])
    ((coding, *_, start, end),) = codings_by(team, "bruno")
    assert (start, end) == team.span("Meetings were at noon.")
    with pytest.raises(NotPermittedError, match="changes only their own codings"):
        amira.coding.remove(int(str(coding)))
    assert len(codings_by(team, "bruno")) == 1
    assert amira.events(limit=1)[0].action == "coding.add"  # no removal was logged either


def test_the_lead_sees_and_changes_everything_and_reconciles(coded: TeamStudy) -> None:
    lena = coded.open("lena")
    assert set(lena.coding.frame()["coder"]) == {"amira", "bruno"}
    with coded.sql("lena") as conn:
        assert conn.execute("SELECT count(*) FROM coding").fetchone() == (4,)
        assert conn.execute("SELECT count(*) FROM event WHERE actor = 'bruno'").fetchone() == (2,)
    lena.set_phase("reconcile")
    accepted = lena.reconcile.accept_agreements(["amira", "bruno"], "turn")
    assert accepted > 0
    consensus = lena.coding.frame(coders=["consensus"])
    assert len(consensus) >= accepted
    assert not lena.reconcile.sources().empty


def test_only_leads_write_the_consensus_layer(coded: TeamStudy) -> None:
    lena = coded.open("lena")
    lena.set_phase("reconcile")
    lena.reconcile.accept_agreements(["amira", "bruno"], "turn")
    consensus_id = coder_id(coded, "consensus")
    consensus = codings_by(coded, "consensus")
    assert consensus
    with coded.sql("amira") as conn:
        visible = conn.execute("SELECT count(*) FROM coding WHERE coder_id = %s", [consensus_id])
        assert visible.fetchone() == (len(consensus),)
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="another coder's"):
            conn.execute("DELETE FROM coding WHERE coder_id = %s", [consensus_id])
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute(
                "INSERT INTO coding (document_id, document_length, code_id, coder_id, start, "
                '"end", origin, created_at) SELECT document_id, document_length, code_id, %s, '
                "0, 5, 'reconciled', now() FROM coding LIMIT 1",
                [consensus_id],
            )
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM decision")
    with pytest.raises(UsageError, match="cannot act as 'consensus'"):
        coded.open("amira").coding.apply("interview", "Time", 0, 5, coder="consensus")
    assert codings_by(coded, "consensus") == consensus


def test_a_phase_change_takes_effect_at_once(team: TeamStudy) -> None:
    amira, bruno, lena = team.open("amira"), team.open("bruno"), team.open("lena")
    team.code(amira, "Time", "Time, mostly.")
    team.code(bruno, "Time", "Meetings were at noon.")
    with team.sql("amira") as conn:
        count = "SELECT count(*) FROM coding"
        assert conn.execute(count).fetchone() == (2,)
        lena.set_phase("blind")
        # The same session, the very next statement.
        assert conn.execute(count).fetchone() == (1,)
        assert len(amira.coding.frame()) == 1
        lena.set_phase("reconcile")
        assert conn.execute(count).fetchone() == (2,)
        lena.set_phase("blind")
        assert conn.execute(count).fetchone() == (1,)
        lena.set_phase("open")
        assert conn.execute(count).fetchone() == (2,)


def test_the_connection_says_who_is_coding(team: TeamStudy) -> None:
    amira = team.open("amira")
    with pytest.raises(UsageError, match=r"connected as database role .*, which is coder 'amira'"):
        amira.coding.apply("interview", "Time", *team.span("Time, mostly."), coder="bruno")
    with pytest.raises(UsageError, match="cannot act as 'bruno'"):
        amira.undo(actor="bruno")
    coding = team.code(amira, "Time", "Time, mostly.")
    assert amira.coding.get(coding).coder_id == coder_id(team, "amira")
    assert amira.events(limit=1)[0].actor == "amira"
    # Not even raw SQL writes the log under someone else's name.
    with team.sql("amira") as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(
            "INSERT INTO event (at, actor, action, entity, data) "
            "VALUES (now(), 'bruno', 'coding.add', 'coding', '{}')"
        )


def test_only_leads_change_the_codebook_documents_and_phase(team: TeamStudy) -> None:
    amira = team.open("amira")
    with pytest.raises(NotPermittedError, match="only a lead changes the codebook"):
        amira.codebook.add("Parking")
    with pytest.raises(NotPermittedError, match="codebook"):
        amira.codebook.edit("Time", definition="Whatever I like")
    with pytest.raises(NotPermittedError, match="phase"):
        amira.set_phase("open")
    with pytest.raises(NotPermittedError, match="adds coders"):
        amira.add_coder("zoe")
    with team.sql("amira") as conn:
        for statement in (
            "UPDATE code SET definition = 'x'",
            "UPDATE setting SET value = '\"open\"' WHERE key = 'phase'",
            "UPDATE coder SET role = 'lead'",
            "DELETE FROM document",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
    lena = team.open("lena")
    lena.codebook.add("Parking")
    assert "Parking" in [c.name for c in amira.codebook.tree().codes]


def test_a_coder_undoes_and_redoes_their_own_work_while_blind(coded: TeamStudy) -> None:
    amira = coded.open("amira")
    bruno_before = codings_by(coded, "bruno")
    assert amira.undo().startswith("Undid: Coded interview")
    assert len(codings_by(coded, "amira")) == 1
    assert amira.redo().startswith("Redid:")
    assert len(codings_by(coded, "amira")) == 2
    assert codings_by(coded, "bruno") == bruno_before


def test_the_log_keeps_other_coders_work_private_while_blind(coded: TeamStudy) -> None:
    amira, bruno, lena = coded.open("amira"), coded.open("bruno"), coded.open("lena")
    (removed,) = [c for c in codings_by(coded, "bruno") if c[2:] == coded.span("A glossary.")]
    bruno.coding.remove(int(str(removed[0])))
    lena.codebook.add("Parking")
    seen = amira.team.changes_since(0)
    actions = {(e.actor, e.action) for e in seen}
    assert ("amira", "coding.add") in actions
    assert ("lena", "code.add") in actions
    assert not [e for e in seen if e.actor == "bruno"]
    with coded.sql("amira") as conn:
        # The change records hold whole copies of deleted rows; bruno's stay out of reach.
        rows = conn.execute("SELECT record::text FROM change").fetchall()
        assert not [r for r in rows if '"coding"' in str(r[0]) and '"delete"' in str(r[0])]
        assert conn.execute("SELECT count(*) FROM event WHERE actor = 'bruno'").fetchone() == (0,)
    assert ("bruno", "coding.remove") in {(e.actor, e.action) for e in lena.team.changes_since(0)}
    lena.set_phase("open")
    assert [e for e in amira.team.changes_since(0) if e.actor == "bruno"]


def test_memos_on_hidden_codings_are_hidden(coded: TeamStudy) -> None:
    bruno, amira = coded.open("bruno"), coded.open("amira")
    bruno.coding.apply(
        "interview",
        "Jargon",
        *coded.span("The jargon was hard too."),
        coder="bruno",
        memo="She sounded annoyed",
    )
    bruno.memos.add("project", "My private thoughts")  # the database signs it
    coded.open("lena").memos.add("project", "Code turns, not sentences", actor="lena")
    assert [m.body for m in amira.memos.list()] == ["Code turns, not sentences"]
    assert {m.body for m in bruno.memos.list()} >= {"She sounded annoyed", "My private thoughts"}
    with coded.sql("amira") as conn:
        assert conn.execute("SELECT count(*) FROM memo").fetchone() == (1,)


def test_a_stale_codebook_edit_is_refused(team: TeamStudy) -> None:
    lena = team.open("lena")
    team.add("omar", "lead")
    omar = team.open("omar")
    seen = lena.codebook.code("Time").version
    assert omar.codebook.code("Time").version == seen
    omar.codebook.edit("Time", definition="Lack of time", seen_version=seen)
    with pytest.raises(ConflictError, match="changed by someone else since you read it"):
        lena.codebook.edit("Time", definition="Scheduling", seen_version=seen)
    assert lena.codebook.code("Time").definition == "Lack of time"
    fresh = lena.codebook.code("Time").version
    lena.codebook.rename("Time", "Time pressure", seen_version=fresh)
    assert omar.codebook.code("Time pressure").version == fresh + 1
