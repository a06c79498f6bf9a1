"""A document's sentence boundaries packed into one text value, and unpacked in bulk.

A table of sentences needs where every sentence lies; a large study has a million of them, and
reading a million segment rows costs a second however narrow the query. Packed per document
(start, end pairs in start order as little-endian 32-bit integers, in base64 so that the event
log, which is JSON, can keep a copy of the row), they are two thousand values that NumPy reads
in one pass.
"""

from __future__ import annotations

import base64
import struct
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

PAIR_BYTES = 8  # two 32-bit integers


def pack(spans: Iterable[Sequence[int]]) -> str:
    """(start, end) pairs, in any order, as the stored value."""
    flat = [int(value) for pair in sorted((int(s), int(e)) for s, e in spans) for value in pair]
    return base64.b64encode(struct.pack(f"<{len(flat)}i", *flat)).decode("ascii")


def unpack(rows: Iterable[tuple[int, str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """document, start, end (int64 arrays) of every pair in (document id, value) rows."""
    import numpy as np

    documents: list[int] = []
    counts: list[int] = []
    chunks: list[bytes] = []
    for document, value in rows:
        raw = base64.b64decode(value)
        documents.append(int(document))
        counts.append(len(raw) // PAIR_BYTES)
        chunks.append(raw)
    pairs = np.frombuffer(b"".join(chunks), dtype="<i4").reshape(-1, 2).astype(np.int64)
    document_of = np.repeat(np.asarray(documents, dtype=np.int64), counts)
    return document_of, pairs[:, 0].copy(), pairs[:, 1].copy()
