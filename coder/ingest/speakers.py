"""Who is speaking: a speaker label's role in the interview, and the manifest's naming of
speakers (participants, roles, aliases)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class SpeakerEntry:
    """What the manifest says about one speaker label."""

    label: str  # as the transcript writes it
    name: str  # the speaker as stored: the participant, or a name for the label
    role: SpeakerRole | None  # None: decide as usual (interviewer labels, questions asked)
    participant: str | None  # the participant the label's turns belong to


_ROLE_ONLY = {"interviewer": "interviewer", "participant": "participant"}
_TARGET = re.compile(r"(?P<name>.*?)\s*(?:\((?P<role>interviewer|participant)\))?\s*", re.I)


def _fold(label: str) -> str:
    return " ".join(label.split()).casefold()


@dataclass(frozen=True)
class SpeakerMap:
    """Speaker labels mapped to participants and roles, aliases merged.

    Written in a manifest's `speakers` cell as `LABEL=TARGET` entries separated by `;`, where
    LABEL may list aliases separated by `|` and TARGET is a participant (`P07`, `Meredith
    Okafor`), a role alone (`interviewer`, `participant`), or both (`Dr. Lee (interviewer)`):

        Speaker 1=interviewer; Speaker 2=P07
        Bekah|Bekah Hawrot Weigel=Bekah Hawrot Weigel (interviewer); Nick=Nick Taylor

    Labels match ignoring case and repeated spaces.
    """

    entries: tuple[SpeakerEntry, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.entries)

    def entry(self, label: str) -> SpeakerEntry | None:
        key = _fold(label)
        return next((e for e in self.entries if _fold(e.label) == key), None)

    def rename(self, label: str) -> str:
        found = self.entry(label)
        return found.name if found is not None else label

    def by_name(self, name: str) -> SpeakerEntry | None:
        """The entry a stored speaker name came from (aliases share their target)."""
        return next((e for e in self.entries if e.name == name), None)

    def merged(self, other: SpeakerMap) -> SpeakerMap:
        """This map with `other`'s entries for labels it does not have."""
        mine = {_fold(e.label) for e in self.entries}
        extra = tuple(e for e in other.entries if _fold(e.label) not in mine)
        return SpeakerMap(self.entries + extra)


def parse_speakers(cell: str, *, rename: bool = True) -> SpeakerMap:
    """A manifest's `speakers` cell (see `SpeakerMap`); raises ValueError saying what is wrong.

    With `rename=False` (a `participant` cell written `Label=Name; ...`) each target is only
    the participant the label's turns belong to: labels stay as written and roles are decided
    as usual.
    """
    entries: list[SpeakerEntry] = []
    for part in re.split(r"[;\n]", cell):
        if not part.strip():
            continue
        labels, sep, target = part.partition("=")
        if not sep or not labels.strip() or not target.strip():
            raise ValueError(
                f"{part.strip()!r} is not LABEL=PARTICIPANT (e.g. 'Speaker 2=P07' or "
                "'Speaker 1=interviewer')"
            )
        for label in labels.split("|"):
            if not label.strip():
                continue
            if rename:
                entries.append(speaker_entry(label, target))
            else:
                written = " ".join(label.split())
                entries.append(SpeakerEntry(written, written, None, " ".join(target.split())))
    return SpeakerMap(tuple(entries))


def speaker_entry(label: str, target: str, role: str = "") -> SpeakerEntry:
    """One label's entry: `target` is a participant, a role, or `Name (role)`."""
    label = " ".join(label.split())
    target = " ".join(target.split())
    chosen = role.strip().casefold()
    if chosen and chosen not in _ROLE_ONLY:
        raise ValueError(f"the role {role.strip()!r} is neither 'interviewer' nor 'participant'")
    if target.casefold() in _ROLE_ONLY and not chosen:
        return SpeakerEntry(label, label, _role(target.casefold()), None)
    found = _TARGET.fullmatch(target)
    name = (found["name"] if found else target).strip() or label
    given = (found["role"] or "").casefold() if found else ""
    final = _role(chosen or given or "participant")
    return SpeakerEntry(label, name, final, name if final == "participant" else None)


def _role(word: str) -> SpeakerRole:
    return "interviewer" if word == "interviewer" else "participant"
