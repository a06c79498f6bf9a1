"""Rows that point at another coder's rows: a coder, typing raw SQL on their own connection,
cannot attach a memo or a consensus link to someone else's coding, nor learn from the
database's answer which coding ids exist. And a coder is never mapped to a role that
PostgreSQL exempts from row-level security."""

from __future__ import annotations

import psycopg
import pytest
from team_study import TeamStudy

from coder.errors import UsageError

pytestmark = pytest.mark.postgres

MEMO = (
    "INSERT INTO memo (target, coding_id, body, title, created_at, updated_at) "
    "VALUES ('coding', %s, 'mine now', '', now(), now())"
)
LINK = "INSERT INTO coding_source (coding_id, source_id) VALUES (%s, %s)"


@pytest.fixture
def coded(team: TeamStudy) -> tuple[TeamStudy, int, int]:
    """amira and bruno each code a sentence; lena makes the project blind. Returns the study,
    amira's coding and bruno's."""
    amira, bruno = team.open("amira"), team.open("bruno")
    mine = team.code(amira, "Time", "Time, mostly.")
    theirs = team.code(bruno, "Time", "Meetings were at noon.")
    team.open("lena").set_phase("blind")
    return team, mine, theirs


def _refusal(conn: psycopg.Connection[tuple[object, ...]], sql: str, args: list[object]) -> str:
    with pytest.raises(psycopg.errors.InsufficientPrivilege) as caught:
        conn.execute(sql, args)
    return str(caught.value).splitlines()[0]


def test_a_blind_coder_cannot_put_a_memo_on_anothers_coding(
    coded: tuple[TeamStudy, int, int],
) -> None:
    team, mine, theirs = coded
    with team.sql("amira") as conn:
        on_theirs = _refusal(conn, MEMO, [theirs])
        on_nothing = _refusal(conn, MEMO, [theirs + 1000])
        # The same answer for a coding that exists and one that does not: no id leaks.
        assert on_theirs == on_nothing
        assert "row-level security" in on_theirs
        conn.execute(MEMO, [mine])  # a memo on one's own coding is fine
    memos = team.admin.memos.list()
    assert [(m.target_id, m.body) for m in memos] == [(mine, "mine now")]


def test_nor_when_the_project_is_open(team: TeamStudy) -> None:
    """A memo on a coding is that coding's memo (exports give it as its coder's note)."""
    amira, bruno = team.open("amira"), team.open("bruno")
    theirs = team.code(bruno, "Time", "Meetings were at noon.")
    with team.sql("amira") as conn:
        assert "row-level security" in _refusal(conn, MEMO, [theirs])
    with pytest.raises(UsageError, match=f"coding {theirs} is bruno's"):
        amira.memos.add(f"coding:{theirs}", "Not hers to annotate")
    assert team.admin.memos.list() == []


def test_an_existing_memo_cannot_be_moved_onto_anothers_coding(
    coded: tuple[TeamStudy, int, int],
) -> None:
    team, mine, theirs = coded
    with team.sql("amira") as conn:
        conn.execute(MEMO, [mine])
        assert "row-level security" in _refusal(
            conn, "UPDATE memo SET coding_id = %s WHERE coding_id = %s", [theirs, mine]
        )


def test_a_coder_cannot_link_their_coding_to_a_hidden_one(
    coded: tuple[TeamStudy, int, int],
) -> None:
    team, mine, theirs = coded
    with team.sql("amira") as conn:
        hidden = _refusal(conn, LINK, [theirs, mine])
        missing = _refusal(conn, LINK, [theirs + 1000, mine])
        assert hidden == missing
    with team.sql("lena") as conn:
        assert conn.execute("SELECT count(*) FROM coding_source").fetchone() == (0,)


def test_a_coder_cannot_attach_changes_to_a_hidden_log_entry(
    coded: tuple[TeamStudy, int, int],
) -> None:
    """The other tables that point at rows a coder may not see (the log's change records at
    their entries) refuse alike whether the row exists; decisions coders may not write at all."""
    team, _, _ = coded
    hidden = max(e.id for e in team.admin.events(limit=None) if e.actor == "bruno")
    change = "INSERT INTO change (event_id, record) VALUES (%s, '{}')"
    with team.sql("amira") as conn:
        assert _refusal(conn, change, [hidden]) == _refusal(conn, change, [hidden + 1000])
        decision = (
            'INSERT INTO decision (document_id, code_id, start, "end", unit, coders, choice, '
            "rationale, decided_by, decided_at) SELECT document_id, code_id, 0, 5, 'sentence', "
            "'[]', 'agree', '', 'amira', now() FROM coding LIMIT 1"
        )
        assert "permission denied for table decision" in _refusal(conn, decision, [])


def test_a_coder_is_never_mapped_to_a_role_that_bypasses_security(team: TeamStudy) -> None:
    owner = team.admin.team.database_role()
    assert owner is not None
    with pytest.raises(UsageError, match="exempts from row-level security"):
        team.admin.team.add_coder("carla", "coder", db_role=owner)
    admin = psycopg.connect(team.admin_url.replace("+psycopg", ""), autocommit=True)
    try:
        admin.execute("CREATE ROLE sneaky_bypass LOGIN BYPASSRLS")
        with pytest.raises(UsageError, match="BYPASSRLS"):
            team.admin.team.add_coder("carla", "coder", db_role="sneaky_bypass")
        assert "carla" not in [c.name for c in team.admin.coders()]
        # A lead sees everything anyway: the administrator may lead with their own role.
        added = team.admin.team.add_coder("dora", "lead", db_role=owner)
        assert added.member.db_role == owner
    finally:
        admin.execute("DROP ROLE IF EXISTS sneaky_bypass")
        admin.close()
