"""`--where ATTR=VALUE`: keeping only some documents or participants, by their attributes.

Filters on one attribute combine with OR (`--where site=A --where site=B`), filters on
different attributes with AND (`--where site=A --where role=patient`). An attribute is named
as for `--by` (`site`, `document:site`, `participant:role`): a document attribute keeps
documents, a participant attribute keeps participants, and so what they said. A value
nobody has is an error listing the values there are, so a typo never reads as "no data".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coder.errors import UsageError

# pandas and the attribute resolver are loaded by the functions that filter: every command
# line parses --where, and one that is given none (or only quotes) starts without pandas.
if TYPE_CHECKING:
    import pandas as pd

    from coder.storage import Transaction

Where = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class Selection:
    """What a `Where` keeps: document ids and participant ids (None: no filter of that kind)."""

    documents: frozenset[int] | None = None
    participants: frozenset[int] | None = None

    @property
    def everything(self) -> bool:
        return self.documents is None and self.participants is None

    def keeps_document(self, frame: pd.DataFrame, column: str = "document") -> pd.Series:
        import pandas as pd

        if self.documents is None:
            return pd.Series(True, index=frame.index)
        return frame[column].isin(self.documents)

    def keeps_participant(self, frame: pd.DataFrame, column: str = "participant") -> pd.Series:
        import pandas as pd

        if self.participants is None:
            return pd.Series(True, index=frame.index)
        return frame[column].isin(self.participants)


def parse(pairs: Sequence[str]) -> dict[str, list[str]]:
    """["site=A", "site=B", "role=patient"] -> {"site": ["A", "B"], "role": ["patient"]}."""
    found: dict[str, list[str]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--where expects ATTRIBUTE=VALUE, got {pair!r}")
        found.setdefault(key.strip(), []).append(value.strip())
    return found


def as_text(value: Any) -> str:
    """An attribute value as a filter or a column label writes it (3, not 3.0)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def select(
    tx: Transaction, where: Where | None, who_speaks: pd.DataFrame | None = None
) -> Selection:
    """The documents and participants that `where` keeps. `who_speaks` (document,
    participant) saves reading it again when the caller has it."""
    if not where:
        return Selection()
    from coder.attributes.resolve import resolve, sort_key, speakers, values

    if who_speaks is None:
        who_speaks = speakers(tx)
    kept: dict[str, frozenset[int]] = {}
    for written, wanted in where.items():
        attribute = resolve(tx, written, who_speaks)
        present = values(tx, attribute).map(as_text)
        asked = [as_text(v).strip() for v in wanted]
        missing = [v for v in asked if v not in set(present)]
        if missing:
            shown = ", ".join(sorted(set(present), key=sort_key)) or "none yet"
            raise UsageError(
                f"{attribute.name} has no value {', '.join(map(repr, missing))} (values: {shown})"
            )
        ids = frozenset(int(i) for i in present.index[present.isin(asked)])
        scope = attribute.scope
        kept[scope] = kept[scope] & ids if scope in kept else ids
    return Selection(kept.get("document"), kept.get("participant"))


def document_names(
    tx: Transaction, where: Where | None, documents: Sequence[str] | None = None
) -> list[str] | None:
    """For commands that work document by document (agreement): the documents `where` keeps
    (a participant filter keeps the documents those participants speak in), within
    `documents` when given; None when neither filters."""
    if not where:
        return None if documents is None else list(documents)
    from coder.attributes.resolve import speakers

    who_speaks = speakers(tx)
    selection = select(tx, where, who_speaks)
    summaries = tx.document_summaries()
    kept = {d.id for d in summaries}
    if selection.documents is not None:
        kept &= selection.documents
    if selection.participants is not None:
        kept &= {int(d) for d in who_speaks[selection.keeps_participant(who_speaks)]["document"]}
    names = [d.name for d in summaries if d.id in kept]
    if documents is not None:
        names = [n for n in names if n in set(documents)]
    if not names:
        raise UsageError("no document matches --where (and --documents); nothing to compare")
    return names
