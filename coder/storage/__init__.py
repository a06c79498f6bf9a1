"""The only package that talks to the database (SQLAlchemy lives here and nowhere else)."""

from coder.storage.failures import explain as explain_failure
from coder.storage.migrate import head as schema_head
from coder.storage.store import Store, Transaction

__all__ = ["Store", "Transaction", "explain_failure", "schema_head"]
