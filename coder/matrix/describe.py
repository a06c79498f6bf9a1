"""The studies' Table 1 and Table 2: documents, participants, words and interview time by
group (site, site x role), read with the same groups as the matrices (`--by`, `--split`,
`--where`, document or participant scope). The methods report describes the corpus with the
same per-document counts (`per_document`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coder import model
from coder.matrix.measures import TOTAL, Corpus, Groups
from coder.storage import Transaction

COLUMNS = ["documents", "participants", "words", "minutes", "timed"]


def words(text: str) -> int:
    """Words as a reader counts them: runs of characters between white space."""
    return len(text.split())


def per_document(tx: Transaction) -> pd.DataFrame:
    """document (id), name, words, seconds (from the turns' timestamps; NaN without them).

    A transcript whose turns carry only start times (`[00:01:05] Name: …`) lasts from its
    first timestamp to its last: short by the last turn, which has no end to read."""
    rows = []
    for summary in tx.document_summaries():
        document = tx.document(summary.name)
        turns = tx.segments(document.id, "turn")
        starts = [t.started_at for t in turns if t.started_at is not None]
        ends = [t.ended_at for t in turns if t.ended_at is not None] or starts
        seconds = max(ends) - min(starts) if starts and ends and max(ends) > min(starts) else None
        rows.append((summary.id, summary.name, words(document.text), seconds))
    frame = pd.DataFrame(rows, columns=["document", "name", "words", "seconds"])
    return frame.astype({"seconds": "float64"})


def per_speaker(tx: Transaction) -> pd.DataFrame:
    """document, participant, words and seconds in their turns (NaN without timestamps). A
    turn with a start time but no end ends where the next timed turn starts."""
    rows = []
    texts: dict[int, str] = {}
    for summary in tx.document_summaries():
        turns = tx.segments(summary.id, "turn")
        following = _next_starts(turns)
        for turn, next_start in zip(turns, following, strict=True):
            if turn.participant_id is None:
                continue
            if summary.id not in texts:
                texts[summary.id] = tx.document(summary.name).text
            said = texts[summary.id][turn.start : turn.end]
            end = turn.ended_at if turn.ended_at is not None else next_start
            seconds = None
            if turn.started_at is not None and end is not None and end >= turn.started_at:
                seconds = end - turn.started_at
            rows.append((summary.id, turn.participant_id, words(said), seconds))
    frame = pd.DataFrame(rows, columns=["document", "participant", "words", "seconds"])
    frame = frame.astype({"seconds": "float64"})
    return frame.groupby(["document", "participant"], as_index=False).sum(min_count=1)


def _next_starts(turns: list[model.Segment]) -> list[float | None]:
    """For each turn, the start time of the next turn that has one (None for the last)."""
    following: list[float | None] = []
    upcoming: float | None = None
    for turn in reversed(turns):
        following.append(upcoming)
        if turn.started_at is not None:
            upcoming = turn.started_at
    return following[::-1]


def describe(
    corpus: Corpus, groups: Groups, documents: pd.DataFrame, speakers: pd.DataFrame | None
) -> pd.DataFrame:
    """One row per group and a Total row: documents, participants, words, minutes (of
    interview, or for participant groups of their turns, where timestamps exist) and timed
    (documents with timestamps)."""
    members = groups.members
    every = groups.total().members
    rows = []
    labels = list(enumerate(groups.labels))
    if len(labels) > 1:
        labels.append((0, TOTAL))
    for column, label in labels:
        chosen = (every if label == TOTAL else members[members["column"] == column]).copy()
        if groups.scope == "document":
            docs = documents[documents["document"].isin(chosen["document"])]
            people = corpus.speakers[corpus.speakers["document"].isin(chosen["document"])]
            said = docs
        else:
            assert speakers is not None, "participant groups need per_speaker"
            said = speakers.merge(chosen[["document", "participant"]].drop_duplicates())
            docs = documents[documents["document"].isin(chosen["document"])]
            people = chosen
        seconds = said["seconds"].dropna()
        rows.append(
            {
                "group": " / ".join(label) if isinstance(label, tuple) else str(label),
                "documents": int(docs["document"].nunique()),
                "participants": int(people["participant"].nunique()),
                "words": int(said["words"].sum()),
                "minutes": round(float(seconds.sum()) / 60, 1) if len(seconds) else np.nan,
                "timed": int(docs["seconds"].notna().sum()),
            }
        )
    frame = pd.DataFrame(rows, columns=["group", *COLUMNS]).set_index("group")
    frame.index.name = " / ".join(groups.names)
    return frame
