"""Random coded spans for the stretch-based agreement tests, and per-character references.

The references materialise every character as a boolean array, the slow and obvious way, so
the interval arithmetic of coder.agreement is checked against something that shares none of it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import strategies as st

LENGTHS = {"d1": 60, "d2": 35}
CODES = ("x", "y", "z")


@st.composite
def spans(
    draw: st.DrawFn,
    coders: tuple[str, ...] = ("A", "B"),
    codes: tuple[str, ...] = CODES,
    lengths: dict[str, int] = LENGTHS,
    most: int = 12,
) -> pd.DataFrame:
    rows = []
    for _ in range(draw(st.integers(0, most))):
        document = draw(st.sampled_from(sorted(lengths)))
        start = draw(st.integers(0, lengths[document] - 1))
        end = draw(st.integers(start + 1, min(lengths[document], start + 25)))
        rows.append(
            (draw(st.sampled_from(coders)), document, draw(st.sampled_from(codes)), start, end)
        )
    return pd.DataFrame(rows, columns=["coder", "document", "code", "start", "end"])


def marks(table: pd.DataFrame, coder: str, document: str, code: str, length: int) -> np.ndarray:
    """Which characters of a document `coder` coded with `code`."""
    out = np.zeros(length, dtype=bool)
    pick = (table["coder"] == coder) & (table["document"] == document) & (table["code"] == code)
    for start, end in table.loc[pick, ["start", "end"]].itertuples(index=False):
        out[start:end] = True
    return out


def segments(flags: np.ndarray) -> list[tuple[int, int]]:
    """Maximal runs of True: a coder's segments once overlapping or touching codings join."""
    padded = np.concatenate(([False], flags, [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))
