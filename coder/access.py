"""Who is asking, and what they may read: the access rules every facade applies.

While the project is blind, each coder reads only their own codings, so that double coding
stays independent; a lead reads everything. The facades ask `Access` before they read codings
(`project.coding`, `project.matrices`, `Project.agreement`, `project.reconcile`,
`project.exchange`), so the rule holds the same for the command line, the workbench and a
script, on SQLite as on PostgreSQL; on PostgreSQL the database's row-level security enforces
it a second time (coder/storage/team.py).

Who is asking:

- on a PostgreSQL connection that logs in as a coder's own role, that coder, whatever the
  program says (the database knows no other);
- otherwise the coder the caller names: `Project.open(location, as_coder="maya")`, `--as maya`;
  a name that is no coder's is a coder with no codings yet;
- otherwise nobody in particular, who reads as the one coder whose codings they ask for
  (`--coder maya`) and is refused a read of several coders' codings or of everyone's. That
  holds for a PostgreSQL project's owner too, although the database would let them read
  everything: the same script gets the same answer on both engines.

A coder who asks for everyone's codings while blind gets their own, as the database gives them
on PostgreSQL; asking for someone else's by name is refused with `BlindPhaseError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coder.errors import UsageError

if TYPE_CHECKING:
    from coder.storage import Transaction

END_PHASE = "a lead can end the phase with `coder phase reconcile`"


class BlindPhaseError(UsageError):
    """A read that the blind phase does not allow this reader."""


@dataclass(frozen=True)
class Reader:
    name: str | None  # None: nobody named
    sees_everything: bool


class Access:
    """The access rules, for a project opened by (or for) `as_coder`."""

    def __init__(self, as_coder: str | None = None) -> None:
        self.as_coder = as_coder.strip() or None if as_coder else None

    def reader(self, tx: Transaction) -> Reader:
        _, me = tx.connected_coder()
        if me is not None:
            return Reader(me.name, me.role == "lead")
        if self.as_coder is not None:
            roles = {coder.name: coder.role for coder in tx.coders()}
            return Reader(self.as_coder, roles.get(self.as_coder) == "lead")
        return Reader(None, False)

    def blind(self, tx: Transaction) -> bool:
        return bool(tx.setting("phase", "open") == "blind")

    def coders(self, tx: Transaction, wanted: Sequence[str] | None) -> list[str] | None:
        """The coders whose codings a read may return: `wanted` as asked (None: everyone's),
        or, while blind, the reader's own. Raises BlindPhaseError for anyone else's."""
        asked = None if wanted is None else list(dict.fromkeys(wanted))
        if not self.blind(tx):
            return asked
        reader = self.reader(tx)
        if reader.sees_everything:
            return asked
        if reader.name is None:
            if asked is not None and len(asked) == 1:
                return asked
            raise BlindPhaseError(
                "the project is in the blind phase, in which each coder reads only their own "
                "codings: ask for one coder's (--coder NAME) or say who you are (--as NAME, "
                f"as_coder= in Python); {END_PHASE}"
            )
        if asked is None:
            return [reader.name]
        others = [name for name in asked if name != reader.name]
        if others:
            raise BlindPhaseError(
                f"the project is in the blind phase: {reader.name} reads only their own "
                f"codings, not those of {', '.join(others)}; {END_PHASE}"
            )
        return asked

    def coder(self, tx: Transaction, wanted: str | None) -> str | None:
        """`coders` for a read of one coder's codings, or of everyone's (None)."""
        allowed = self.coders(tx, None if wanted is None else [wanted])
        return None if allowed is None else allowed[0]

    def everything(self, tx: Transaction, what: str) -> None:
        """Refuse, while blind, a read of every coder's work to a reader who may not see it."""
        if not self.blind(tx):
            return
        reader = self.reader(tx)
        if reader.sees_everything:
            return
        if reader.name is None:
            who = "which only a lead reads: say who you are (--as NAME, as_coder= in Python)"
        else:
            who = f"and {reader.name} reads only their own"
        raise BlindPhaseError(
            f"the project is in the blind phase: {what} holds every coder's codings, {who}; "
            f"{END_PHASE}"
        )
