"""Who is asking: a speaker label's role in the interview."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

SpeakerRole = Literal["interviewer", "participant"]

DEFAULT_INTERVIEWER_LABELS: tuple[str, ...] = (
    "I",
    "Q",
    "Interviewer",
    "Int",
    "Moderator",
    "Facilitator",
)

# "Interviewer 2", "I1", "Int.", "Moderator (Jane)" are all the same role as their bare label.
_DECORATION = re.compile(r"[\s.]*(?:\(.*\))?[\s.]*\d*[\s.]*$")


def _key(label: str) -> str:
    return _DECORATION.sub("", label.strip()).casefold()


def speaker_role(label: str, interviewer_labels: Iterable[str] = ()) -> SpeakerRole:
    """`interviewer` when the label is a known interviewer label, else `participant`.

    The built-in labels also match decorated forms ("Interviewer 2", "I1", "Int."). Labels the
    caller adds (`interviewer_labels`, e.g. "Speaker 1" or the interviewer's name) match as
    written, ignoring case: in "Speaker 1" / "Speaker 2" the number is who is speaking.
    """
    written = " ".join(label.split()).casefold()
    if any(written == " ".join(x.split()).casefold() for x in interviewer_labels):
        return "interviewer"
    known = {_key(x) for x in DEFAULT_INTERVIEWER_LABELS}
    return "interviewer" if _key(label) in known or written in known else "participant"
