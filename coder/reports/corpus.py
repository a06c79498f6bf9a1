"""The corpus as a methods section describes it: documents by group, participants, words, and
interview durations from the turns' timestamps. Read with the same calls as `coder documents`
and `coder info`."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

import pandas as pd

from coder import model
from coder.storage import Transaction

NONE = "(none)"


def words(text: str) -> int:
    """Words as a reader counts them: runs of characters between white space."""
    return len(text.split())


@dataclass(frozen=True)
class Corpus:
    documents: tuple[model.DocumentSummary, ...]
    words: dict[str, int]  # document name -> words
    durations: dict[str, float]  # document name -> seconds, where turns carry timestamps
    participants: int
    by: str | None
    split: str | None

    def groups(self) -> pd.DataFrame:
        """Documents by `by` (rows) and `split` (columns), with totals."""
        frame = pd.DataFrame(
            {
                "by": [_value(d, self.by) for d in self.documents],
                "split": [_value(d, self.split) for d in self.documents],
            }
        )
        if self.by is None:
            frame["by"] = "all"
        if self.split is None:
            counts = frame.groupby("by").size().rename("documents").to_frame()
        else:
            counts = pd.crosstab(frame["by"], frame["split"])
            counts["documents"] = counts.sum(axis=1)
        counts.loc["Total"] = counts.sum(axis=0)
        counts = counts.reset_index().rename(columns={"by": self.by or ""})
        counts.columns = [str(c) for c in counts.columns]
        return counts

    @property
    def total_words(self) -> int:
        return sum(self.words.values())

    def duration_summary(self) -> dict[str, float] | None:
        minutes = sorted(seconds / 60 for seconds in self.durations.values())
        if not minutes:
            return None
        return {
            "n": len(minutes),
            "median": statistics.median(minutes),
            "min": minutes[0],
            "max": minutes[-1],
        }


def _value(document: model.DocumentSummary, attribute: str | None) -> str:
    if attribute is None:
        return ""
    value = document.attributes.get(attribute)
    return NONE if value is None or value == "" else str(value)


def read(tx: Transaction, by: str | None, split: str | None) -> Corpus:
    summaries = tuple(tx.document_summaries())
    counted: dict[str, int] = {}
    durations: dict[str, float] = {}
    for summary in summaries:
        document = tx.document(summary.name)
        counted[summary.name] = words(document.text)
        turns = tx.segments(document.id, "turn")
        starts = [t.started_at for t in turns if t.started_at is not None]
        ends = [t.ended_at for t in turns if t.ended_at is not None]
        if starts and ends and max(ends) > min(starts):
            durations[summary.name] = max(ends) - min(starts)
    return Corpus(
        documents=summaries,
        words=counted,
        durations=durations,
        participants=tx.counts().participants,
        by=by,
        split=split,
    )
