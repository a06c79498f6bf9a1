"""The corpus as a methods section describes it: documents by group, participants, words, and
interview durations from the turns' timestamps. Read with the same calls as `coder documents`,
`coder info` and `coder describe`."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

import pandas as pd

from coder import model
from coder.matrix.describe import per_document
from coder.storage import Transaction

NONE = "(none)"


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
    # The same per-document counts as `coder describe` (coder/matrix/describe.py).
    measured = per_document(tx)
    counted = {str(n): int(w) for n, w in zip(measured["name"], measured["words"], strict=True)}
    timed = measured.dropna(subset=["seconds"])
    durations = {str(n): float(s) for n, s in zip(timed["name"], timed["seconds"], strict=True)}
    return Corpus(
        documents=summaries,
        words=counted,
        durations=durations,
        participants=tx.counts().participants,
        by=by,
        split=split,
    )
