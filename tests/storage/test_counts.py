"""Reads for tables of counts: integers packed by the database and taken apart again give
exactly the rows a plain select gives, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from small_study import build
from sqlalchemy import select

from coder import Project
from coder.storage import schema
from coder.storage.counts import VIEW_COLUMNS, words


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    columns = list(frame.columns)
    return frame.sort_values(columns).reset_index(drop=True)[columns].astype("int64")


def test_columns_share_an_integer_while_they_fit() -> None:
    assert words([11, 7, 2, 16, 16]) == [[0, 1, 2, 3, 4]]
    assert words([40, 23, 1]) == [[0, 1], [2]]
    assert words([63, 63]) == [[0], [1]]


def test_packed_reads_give_the_plain_rows(project: Project, tmp_path: Path) -> None:
    build(project, tmp_path / "study")
    c, s = schema.CodingRow, schema.SegmentRow
    with project._store.read() as tx:
        plain = tx.fetch_ints(select(*(getattr(c, n) for n in VIEW_COLUMNS)), list(VIEW_COLUMNS))
        packed = tx.shown_codings_frame(None)
        pd.testing.assert_frame_equal(_sorted(packed), _sorted(plain))

        units = tx.fetch_ints(
            select(s.document_id, s.start, s.end).where(s.kind == "sentence"),
            ["document", "start", "end"],
        )
        pd.testing.assert_frame_equal(_sorted(tx.unit_spans_frame("sentence")), _sorted(units))

        turns = tx.fetch_ints(
            select(s.document_id, s.start, s.end, s.participant_id).where(
                s.kind == "turn", s.participant_id.is_not(None)
            ),
            ["document_id", "start", "end", "participant_id"],
        )
        assert len(turns) > 0
        pd.testing.assert_frame_equal(_sorted(tx.participant_turns_frame()), _sorted(turns))

        # Bounds too wide for one integer: each column in its own, still the same rows.
        wide = tx.fetch_packed(
            [c.start, c.end], [2**62, 2**62], ["start", "end"], c.origin.is_not(None)
        )
        pd.testing.assert_frame_equal(_sorted(wide), _sorted(plain[["start", "end"]]))
