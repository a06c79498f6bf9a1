"""Whose codings a table, a figure or a list of quotes shows: one rule for every command.

By default (no coder named) a document that has consensus codings (the `consensus` coder's,
written by reconciliation) shows those alone, and every other document shows all coders'
codings merged: text two coders coded alike is one passage, one quote, one segment. Naming a
coder shows that coder's codings only (`consensus` for the consensus layer alone); naming
several shows theirs, merged.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from coder import model


def choose_codings(
    frame: pd.DataFrame,
    coders: Sequence[str] | str | None,
    reconciled: Iterable[int] | None = None,
) -> pd.DataFrame:
    """The rows of a codings table (with document_id and coder) that the view shows.
    `reconciled` lists the documents with consensus codings when `frame` holds only some
    codes' codings (a document is reconciled whatever codes its consensus holds)."""
    if isinstance(coders, str):
        coders = [coders]
    if coders is not None:
        return frame[frame["coder"].isin(list(coders))]
    consensus = frame["coder"] == model.CONSENSUS_CODER
    if reconciled is None:
        reconciled = frame.loc[consensus, "document_id"].unique()
    return frame[consensus | ~frame["document_id"].isin(list(reconciled))]


def merge_coders(frame: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """Codings of different coders on the same span, within each `keys` group, as one row
    whose `coder` lists the coders ("maya, tomas"); its other columns are the first
    coding's. Codings that only overlap stay apart: each is a reading of the passage, and a
    quote cut to their union would be neither."""
    if frame.empty or frame["coder"].nunique() < 2:
        return frame
    same = [*keys, "start", "end"]
    # One pass over plain tuples: a pandas group per passage costs more than the quote.
    names: dict[tuple[object, ...], dict[str, None]] = {}
    spans = zip(*(frame[column].tolist() for column in same), strict=True)
    for span, coder in zip(spans, frame["coder"].tolist(), strict=True):
        names.setdefault(span, {})[coder] = None
    first = frame.drop_duplicates(same).reset_index(drop=True)
    spans = zip(*(first[column].tolist() for column in same), strict=True)
    return first.assign(coder=[", ".join(names[span]) for span in spans])
