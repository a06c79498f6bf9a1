"""A document's sentences and turns packed into one text value each, and unpacked in bulk.

The packed sentences are the only stored copy of a document's sentences (schema.UnitBoundsRow).
A table of sentences needs where every sentence lies, and a theme's quotes the turn each
coding starts in and who speaks it; a large study has a million sentences and two hundred
thousand turns, and reading them as rows costs a second however narrow the query. Packed per
document (start and end of each sentence; start, end and voice of each turn; in start order,
as little-endian integers, in base64 so that the event log, which is JSON, can keep a copy of
the row), they are two thousand values: NumPy reads the sentences in one pass, and quotes
bisect each document's turns (without NumPy, which `coder quotes` does not load). A turn's
voice is its speaker, speaker_role and participant_id, listed once per document (`voices`,
JSON).

Segments are written at import and never changed (a participant cannot be removed while
turns name it: undo refuses), so the packed turns stay true; segments added to a document
later are packed again with those it had (storage/segments.py).
"""

from __future__ import annotations

import base64
import binascii
import json
import struct
import sys
from array import array
from collections.abc import Iterable, Sequence
from itertools import chain
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    import numpy as np

SENTENCE = "<i4"  # start, end
TURN = "<i8"  # start, end, voice
_CODES = {SENTENCE: "i", TURN: "q"}  # their letters in `struct`


def pack(spans: Iterable[tuple[int, ...]], kind: str = SENTENCE) -> str:
    """Tuples of integers (start first), in any order, as the stored value."""
    flat = list(chain.from_iterable(sorted(spans)))
    return base64.b64encode(struct.pack(f"<{len(flat)}{_CODES[kind]}", *flat)).decode()


def unpack(rows: Iterable[tuple[int, str]], kind: str = SENTENCE) -> tuple[np.ndarray, np.ndarray]:
    """The document of each packed tuple, and the tuples (an int64 array with a row each),
    of (document id, value) rows."""
    import numpy as np

    width = 2 if kind == SENTENCE else 3
    size = width * np.dtype(kind).itemsize
    documents: list[int] = []
    counts: list[int] = []
    chunks: list[bytes] = []
    for document, value in rows:
        raw = base64.b64decode(value)
        documents.append(int(document))
        counts.append(len(raw) // size)
        chunks.append(raw)
    values = np.frombuffer(b"".join(chunks), dtype=kind).reshape(-1, width).astype(np.int64)
    return np.repeat(np.asarray(documents, dtype=np.int64), counts), values


Voice = tuple[str | None, str | None, int | None]  # speaker, speaker_role, participant_id


def pack_turns(turns: Iterable[tuple[int, int, Voice]]) -> tuple[str, str]:
    """(start, end, voice) of a document's turns as its stored turns and voices."""
    voices: dict[Voice, int] = {}
    spans = [(s, e, voices.setdefault(voice, len(voices))) for s, e, voice in turns]
    return pack(spans, TURN), json.dumps([list(v) for v in voices])


def pack_units(units: Iterable[Sequence[Any]]) -> tuple[str, str, str]:
    """A document's stored sentences, turns and voices, from its segments as (kind, start,
    end, speaker, speaker_role, participant_id) rows; other kinds are left out."""
    sentences: list[tuple[int, int]] = []
    turns: list[tuple[int, int, Voice]] = []
    for kind, start, end, speaker, role, person in units:
        if kind == "sentence":
            sentences.append((start, end))
        elif kind == "turn":
            turns.append((start, end, (speaker, role, person)))
    packed_turns, voices = pack_turns(turns)
    return pack(sentences), packed_turns, voices


# A document's turns: their starts, ends and voice numbers (in start order), and the voices
# the numbers stand for.
Turns = tuple[Sequence[int], Sequence[int], Sequence[int], list[Voice]]
NO_TURNS: Turns = ((), (), (), [])


def unpack_sentences(packed: str) -> list[tuple[int, int]]:
    """A document's sentences (start, end), in order, from its stored value; without NumPy,
    like `unpack_turns`."""
    flat = _integers(packed, "i")
    return list(zip(flat[0::2], flat[1::2], strict=True))


SENTENCE_ID_BITS = 32


def sentence_id(document: Any, number: Any) -> Any:
    """A sentence's id: its document's id and its number in the document (from 1), as one
    integer (or an array of them, given arrays). Sentences are not rows; this id is the same
    at every reading and unique in the project, as a row's would be."""
    return (document << SENTENCE_ID_BITS) + number


def sentence_count(packed: str) -> int:
    """How many sentences a stored value holds, without unpacking them."""
    return len(binascii.a2b_base64(packed)) // (2 * struct.calcsize("<i"))


def _integers(packed: str, code: Literal["i", "q"]) -> Sequence[int]:
    """The little-endian integers (`struct` letter `code`) of a stored value. On a
    little-endian machine a view of the decoded bytes rather than a copy."""
    raw = binascii.a2b_base64(packed)
    if sys.byteorder == "little":
        return memoryview(raw).cast(code)
    flat = array(code, raw)
    flat.byteswap()
    return flat


def unpack_turns(packed: str, listed: str) -> Turns:
    """A document's turns from its stored turns and voices. Not NumPy: quotes start without
    it. On a little-endian machine, views of the decoded bytes rather than copies: a number
    is made only for the turns a bisection reads, and a large study has 200,000 turns."""
    flat = _integers(packed, "q")
    voices: list[list[Any]] = json.loads(listed)
    return flat[0::3], flat[1::3], flat[2::3], [(v[0], v[1], v[2]) for v in voices]
