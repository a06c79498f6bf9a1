"""documents' texts and packed bounds compressed with LZ4 on PostgreSQL

PostgreSQL compresses a long value (a transcript's text, a document's packed sentences and
turns) before storing it, by default with its own pglz: on an import's 200 transcripts that
was most of the server's time for writing the documents. LZ4 compresses several times faster
and decompresses faster too, at about a fifth more space. Values stored earlier keep their
compression (PostgreSQL reads both); only what is written from now on uses LZ4. Nothing
changes on SQLite, nor on a PostgreSQL server built without LZ4 (or older than 14), which
keeps pglz.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    ("document", "text"),
    ("unit_bounds", "turns"),
    ("unit_bounds", "voices"),
    ("unit_bounds", "sentences"),
)


def _server(setting: str) -> object:
    found = sa.text("SELECT setting, enumvals FROM pg_settings WHERE name = :name")
    row = op.get_bind().execute(found, {"name": setting}).first()
    return None if row is None else (row.enumvals if row.enumvals is not None else row.setting)


def _set_compression(method: str) -> None:
    for table, column in COLUMNS:
        op.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" SET COMPRESSION {method}')


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # `lz4` is among the methods only where the server was built with LZ4 (14 and later).
    offered = _server("default_toast_compression")
    if isinstance(offered, list) and "lz4" in offered:
        _set_compression("lz4")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    version = _server("server_version_num")
    if isinstance(version, str) and int(version) >= 140000:
        _set_compression("default")  # the server's default_toast_compression, as before
