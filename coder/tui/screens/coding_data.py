"""What the coding screen reads (in its workers) and how its codings become stripes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import pandas as pd

from coder import model
from coder.codebook.tree import CodeTree
from coder.project import Project
from coder.tui.layout import Mark
from coder.tui.widgets.code_tree import code_colors
from coder.tui.widgets.stripes import StripeLook, coder_look

Row = tuple[int, int, int, int, str]  # coding id, code id, start, end, coder
SHOWN_COLUMNS = ["id", "code_id", "start", "end", "coder", "origin"]


def read_shown(
    project: Project, document: str, coder: str, showing: str, origins: tuple[str, ...]
) -> tuple[pd.DataFrame, bool, set[int]]:
    """The document's codings as shown ("me", a coder's name, "all", "consensus"), whether
    the project is blind, and which codings have a memo. Another coder's codings are asked
    for only outside the blind phase (the API refuses them then). Reads the project: call it
    from a worker."""
    blind = project.phase == "blind"
    shown = "me" if blind else showing
    coders = {"me": [coder], "all": None}.get(shown, [shown])
    # Only what the screen draws: the full table's timestamps cost a conversion per coding.
    frame = project.coding.frame(
        documents=[document], coders=coders, origins=origins, columns=SHOWN_COLUMNS
    )
    ids = set(frame["id"].astype(int))
    memos = {
        int(m.target_id)
        for m in project.memos.list()
        if m.target == "coding" and m.target_id in ids
    }
    return frame, blind, memos


def split_suggestions(codings: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The codings shown as coded, and the suggestions shown beside them."""
    proposed = codings["origin"] == "suggested"
    return codings[~proposed], codings[proposed]


def code_counts(code_ids: Iterable[int]) -> dict[int, int]:
    """How many of the codings shown each code has, for the code tree's labels."""
    return dict(Counter(code_ids))


def labels(tree: CodeTree) -> dict[int, str]:
    """Each code's name in the margin: with as much of its path as tells it from namesakes
    (Numbers/Missing, Support/Missing). Only shared names pay for the path search."""
    seen = Counter(c.name.casefold() for c in tree.codes)
    return {c.id: tree.label(c) if seen[c.name.casefold()] > 1 else c.name for c in tree.codes}


def stripes_of(
    codings: list[Row], suggestions: list[Row], memos: set[int], tree: CodeTree, me: str
) -> tuple[list[Mark], dict[int, str], StripeLook]:
    """The marks the transcript draws, the codes' colours, and how stripes look: the coder
    at the keyboard first (solid), the others after, the consensus last."""
    marks = [
        Mark(start, end, code, coding, False, who, coding in memos)
        for coding, code, start, end, who in codings
    ]
    marks += [Mark(s, e, code, coding, True, who) for coding, code, s, e, who in suggestions]
    colors = code_colors(tree)
    shown = list(dict.fromkeys(who for *_, who in codings))
    shown.sort(key=lambda who: (who != me, who == model.CONSENSUS_CODER, who))
    patterns, initials = coder_look(shown)
    look = StripeLook(
        colors=colors,
        keys={c.id: c.key for c in tree.codes if c.key},
        names=labels(tree),
        patterns=patterns,
        initials=initials,
    )
    return marks, colors, look
