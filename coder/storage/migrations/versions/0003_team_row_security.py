"""teams on PostgreSQL: coders identified by their database role, row-level security

Every coder row may name the PostgreSQL role its person logs in as (`coder.db_role`, on both
engines so that a project can move between them). On PostgreSQL only, the database itself then
enforces who sees and changes what:

- while the project is blind, a coder reads only their own codings (suggestions are codings),
  the memos on them, and their own entries of the event log; leads read everything;
- a coder writes only codings, memos and log entries of their own, in every phase; only leads
  write the consensus layer, decisions, the codebook, documents and settings (the table
  privileges, granted by `coder team init`, leave coders read-only everywhere else);
- two codebook edits made from the same version of a code cannot both land: the second one
  is refused even when both passed their own version check at the same moment.

The project's owner (who ran `coder init`) bypasses row-level security, as PostgreSQL table
owners do: it is the administrator's connection. See docs/team.md.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Tables whose rows are filtered per coder; the others are governed by table privileges alone.
SECURED = ("coding", "coding_source", "decision", "memo", "event", "change")

# Log entries that tell what a coder coded or wrote; hidden from other coders while blind.
PRIVATE_ACTIONS = (
    "action LIKE 'coding%' OR action LIKE 'codings.%' OR action LIKE 'memo.%' "
    "OR action LIKE 'reconcile.%' OR action IN ('undo', 'redo')"
)
PRIVATE_TABLES = "'coding', 'coding_source', 'memo', 'decision'"

STALE_EDIT = (
    "code % was changed by someone else since you read it (now version %); "
    "reload it and try again"
)

# Who is connected: current_user is the role the session logs in as (SECURITY INVOKER
# functions keep it). Each function pins its search_path, pg_temp last, so that a coder's
# temporary table named `setting` or `coder` cannot stand in for the real one.
FUNCTIONS = {
    "coder_me() RETURNS integer": "SELECT id FROM coder WHERE db_role = current_user",
    "coder_me_name() RETURNS text": "SELECT name FROM coder WHERE db_role = current_user",
    "coder_is_lead() RETURNS boolean": (
        "SELECT EXISTS (SELECT 1 FROM coder WHERE db_role = current_user AND role = 'lead')"
    ),
    # True when the blind phase hides other coders' work from the connected role.
    "coder_blinded() RETURNS boolean": (
        "SELECT COALESCE((SELECT value #>> '{}' FROM setting WHERE key = 'phase'), 'open') "
        "= 'blind' AND NOT EXISTS "
        "(SELECT 1 FROM coder WHERE db_role = current_user AND role = 'lead')"
    ),
}

# Scalar subqueries, so that each function runs once per statement rather than once per row.
ME = "(SELECT coder_me())"
ME_NAME = "(SELECT coder_me_name())"
LEAD = "(SELECT coder_is_lead())"
OPEN = "(NOT (SELECT coder_blinded()))"
MY_SOURCE = f"EXISTS (SELECT 1 FROM coding c WHERE c.id = source_id AND c.coder_id = {ME})"
MY_CODING = f"EXISTS (SELECT 1 FROM coding c WHERE c.id = coding_id AND c.coder_id = {ME})"
MEMO_VISIBLE = (
    f"{OPEN} OR author_id = {ME} OR ("
    "(author_id IS NULL OR EXISTS (SELECT 1 FROM coder k WHERE k.id = author_id "
    "AND k.role = 'lead')) "
    "AND (coding_id IS NULL OR EXISTS (SELECT 1 FROM coding c WHERE c.id = coding_id)))"
)
MEMO_OWN = f"author_id = {ME} OR (author_id IS NULL AND (coding_id IS NULL OR {MY_CODING}))"
EVENT_VISIBLE = f"{OPEN} OR actor = {ME_NAME} OR NOT ({PRIVATE_ACTIONS})"
CHANGE_VISIBLE = (
    "EXISTS (SELECT 1 FROM event e WHERE e.id = event_id AND "
    f"({OPEN} OR e.actor = {ME_NAME} OR record ->> 'table' NOT IN ({PRIVATE_TABLES})))"
)
MY_EVENT = f"EXISTS (SELECT 1 FROM event e WHERE e.id = event_id AND e.actor = {ME_NAME})"

MINE = f"coder_id = {ME}"
SEEN = f"{OPEN} OR {MINE}"

# (table, policy, command, USING, WITH CHECK); permissive policies, so any one suffices.
# Updates and deletes reach every row a coder can see; the guard triggers below then refuse
# the ones that are not theirs with an error, rather than skipping them without a word.
POLICIES: list[tuple[str, str, str, str | None, str | None]] = [
    *[(table, f"{table}_lead", "ALL", LEAD, LEAD) for table in SECURED],
    ("coding", "coding_read", "SELECT", SEEN, None),
    ("coding", "coding_insert", "INSERT", None, MINE),
    ("coding", "coding_update", "UPDATE", SEEN, MINE),
    ("coding", "coding_delete", "DELETE", SEEN, None),
    ("coding_source", "coding_source_read", "SELECT", OPEN, None),
    ("coding_source", "coding_source_own", "ALL", MY_SOURCE, MY_SOURCE),
    ("decision", "decision_read", "SELECT", OPEN, None),
    ("memo", "memo_read", "SELECT", MEMO_VISIBLE, None),
    ("memo", "memo_insert", "INSERT", None, MEMO_OWN),
    ("memo", "memo_update", "UPDATE", MEMO_VISIBLE, MEMO_OWN),
    ("memo", "memo_delete", "DELETE", MEMO_VISIBLE, None),
    ("event", "event_read", "SELECT", EVENT_VISIBLE, None),
    ("event", "event_append", "INSERT", None, f"actor = {ME_NAME}"),
    ("change", "change_read", "SELECT", CHANGE_VISIBLE, None),
    ("change", "change_append", "INSERT", None, MY_EVENT),
]

# (table, condition on OLD under which a coder may change or delete a row). Row-level
# security is not active for the owner, nor in the foreign-key cascades the database runs.
GUARDS = {
    "coding": "OLD.coder_id = coder_me()",
    "memo": (
        "OLD.author_id = coder_me() OR (OLD.author_id IS NULL AND (OLD.coding_id IS NULL OR "
        "EXISTS (SELECT 1 FROM coding c WHERE c.id = OLD.coding_id "
        "AND c.coder_id = coder_me())))"
    ),
}
NOT_YOURS = "permission denied for table %: % % is another coder''s"

# (table, column, value): who wrote a memo or made a decision, filled in from the connection
# when the program left it empty, so that blind coding does not depend on the program.
SIGNED = (("memo", "author_id", "coder_me()"), ("decision", "decided_by", "coder_me_name()"))


def upgrade() -> None:
    op.add_column("coder", sa.Column("db_role", sa.String(length=63), nullable=True))
    op.create_index("uq_coder_db_role", "coder", ["db_role"], unique=True)
    if op.get_bind().dialect.name != "postgresql":
        return
    schema = op.get_bind().execute(sa.text("SELECT current_schema()")).scalar_one()
    path = f'pg_catalog, "{schema}", pg_temp'
    for signature, body in FUNCTIONS.items():
        op.execute(
            f"CREATE FUNCTION {signature} LANGUAGE sql STABLE "
            f"SET search_path = {path} AS $$ {body} $$"
        )
    for table in SECURED:
        op.execute(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
    for table, name, command, using, check in POLICIES:
        clauses = f" USING ({using})" if using else ""
        clauses += f" WITH CHECK ({check})" if check else ""
        op.execute(f'CREATE POLICY {name} ON "{table}" FOR {command}{clauses}')
    for table, allowed in GUARDS.items():
        op.execute(
            f"CREATE FUNCTION {table}_guard() RETURNS trigger LANGUAGE plpgsql "
            f"SET search_path = {path} AS $$ BEGIN "
            "IF row_security_active(TG_RELID) AND NOT coder_is_lead() "
            f"AND NOT COALESCE({allowed}, false) THEN "
            f"RAISE EXCEPTION '{NOT_YOURS}', TG_TABLE_NAME, TG_TABLE_NAME, OLD.id "
            "USING ERRCODE = 'insufficient_privilege'; END IF; "
            "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$"
        )
        op.execute(
            f'CREATE TRIGGER {table}_guard BEFORE UPDATE OR DELETE ON "{table}" '
            f"FOR EACH ROW EXECUTE FUNCTION {table}_guard()"
        )
    for table, column, value in SIGNED:
        op.execute(
            f"CREATE FUNCTION {table}_signed() RETURNS trigger LANGUAGE plpgsql "
            f"SET search_path = {path} AS $$ BEGIN "
            f"IF NEW.{column} IS NULL THEN NEW.{column} := {value}; END IF; RETURN NEW; END $$"
        )
        op.execute(
            f'CREATE TRIGGER {table}_signed BEFORE INSERT ON "{table}" '
            f"FOR EACH ROW EXECUTE FUNCTION {table}_signed()"
        )
    # Optimistic concurrency, enforced where no race can slip through: an edit sets the
    # version it read plus one, so an update that leaves the version where it now stands was
    # based on a stale read. Undo and redo restore other versions and pass.
    op.execute(
        "CREATE FUNCTION code_version_moved_on() RETURNS trigger LANGUAGE plpgsql "
        f"SET search_path = {path} AS $$ BEGIN "
        f"RAISE EXCEPTION '{STALE_EDIT}', quote_literal(OLD.name), OLD.version "
        "USING ERRCODE = 'integrity_constraint_violation'; END $$"
    )
    op.execute(
        "CREATE TRIGGER code_stale_edit BEFORE UPDATE OF version ON code FOR EACH ROW "
        "WHEN (NEW.version = OLD.version) EXECUTE FUNCTION code_version_moved_on()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER code_stale_edit ON code")
        op.execute("DROP FUNCTION code_version_moved_on()")
        for table, *_ in SIGNED:
            op.execute(f'DROP TRIGGER {table}_signed ON "{table}"')
            op.execute(f"DROP FUNCTION {table}_signed()")
        for table in GUARDS:
            op.execute(f'DROP TRIGGER {table}_guard ON "{table}"')
            op.execute(f"DROP FUNCTION {table}_guard()")
        for table, name, *_ in POLICIES:
            op.execute(f'DROP POLICY {name} ON "{table}"')
        for table in SECURED:
            op.execute(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY')
        for signature in FUNCTIONS:
            op.execute(f"DROP FUNCTION {signature.split(' RETURNS ')[0]}")
    op.drop_index("uq_coder_db_role", table_name="coder")
    op.drop_column("coder", "db_role")
