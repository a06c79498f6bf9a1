"""teams on PostgreSQL: a coder's memo goes only on a coding of their own

Under 0003 a coder could insert a memo, signed with their own name, on another coder's coding,
even while blind (the lead's export then showed it as that coding's memo), and the foreign-key
error for a coding that does not exist, against success for one that does, told them which
coding ids existed. Now a coder's memo on a coding, and a consensus link from a coder's coding,
must point at a coding the coder may see and (for a memo) owns. The check is part of the
row-level security policy, which PostgreSQL evaluates before the foreign keys: a coding that
is someone else's and one that does not exist are refused with the same error.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As in 0003: scalar subqueries, so that each function runs once per statement.
ME = "(SELECT coder_me())"
OPEN = "(NOT (SELECT coder_blinded()))"
MY_SOURCE = f"EXISTS (SELECT 1 FROM coding c WHERE c.id = source_id AND c.coder_id = {ME})"
MY_CODING = f"EXISTS (SELECT 1 FROM coding c WHERE c.id = coding_id AND c.coder_id = {ME})"
# Read under the coder's own row-level security: a hidden coding is not found, like a missing one.
SEEN_CONSENSUS = "EXISTS (SELECT 1 FROM coding c WHERE c.id = coding_id)"
MEMO_VISIBLE = (
    f"{OPEN} OR author_id = {ME} OR ("
    "(author_id IS NULL OR EXISTS (SELECT 1 FROM coder k WHERE k.id = author_id "
    "AND k.role = 'lead')) "
    "AND (coding_id IS NULL OR EXISTS (SELECT 1 FROM coding c WHERE c.id = coding_id)))"
)

OLD_MEMO_OWN = f"author_id = {ME} OR (author_id IS NULL AND (coding_id IS NULL OR {MY_CODING}))"
NEW_MEMO_OWN = f"(author_id = {ME} OR author_id IS NULL) AND (coding_id IS NULL OR {MY_CODING})"


def _policies(memo_own: str, source_check: str) -> None:
    op.execute("DROP POLICY memo_insert ON memo")
    op.execute("DROP POLICY memo_update ON memo")
    op.execute("DROP POLICY coding_source_own ON coding_source")
    op.execute(f"CREATE POLICY memo_insert ON memo FOR INSERT WITH CHECK ({memo_own})")
    op.execute(
        f"CREATE POLICY memo_update ON memo FOR UPDATE USING ({MEMO_VISIBLE}) "
        f"WITH CHECK ({memo_own})"
    )
    op.execute(
        f"CREATE POLICY coding_source_own ON coding_source FOR ALL USING ({MY_SOURCE}) "
        f"WITH CHECK ({source_check})"
    )


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _policies(NEW_MEMO_OWN, f"{MY_SOURCE} AND {SEEN_CONSENSUS}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _policies(OLD_MEMO_OWN, MY_SOURCE)
