"""The only package that talks to the database (SQLAlchemy lives here and nowhere else)."""

from coder.storage.migrate import head as schema_head
from coder.storage.store import Store, Transaction

__all__ = ["Store", "Transaction", "schema_head"]
