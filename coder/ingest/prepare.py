"""One file ready to import or to preview: read with the manifest's naming of speakers, each
speaker given a role and (for participants) a participant, and every warning collected.

Nothing here writes anything: `coder import` stores what `prepare` returns, and
`coder import --preview` only shows it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from coder.errors import InputError
from coder.ingest.model import ParsedTranscript
from coder.ingest.readers import read_transcript
from coder.ingest.speakers import SpeakerMap, SpeakerRole, speaker_role


@dataclass(frozen=True)
class Prepared:
    path: Path
    name: str
    parsed: ParsedTranscript
    roles: dict[str, SpeakerRole]
    # The speaker taken for the interviewer because they ask the most questions, if guessed.
    guessed: str | None
    # Participant speaker → participant name; key "" for a document's participant when no
    # speaker is one (a monologue named in the manifest).
    people: dict[str, str]
    warnings: tuple[str, ...]


def prepare(
    path: Path,
    name: str,
    *,
    speakers: SpeakerMap = SpeakerMap(),  # noqa: B008 - frozen, so safe as a default
    participant: str = "",
    speaker_pattern: str | None = None,
    interviewer_labels: Iterable[str] = (),
) -> Prepared:
    """Read `path` as the document `name`. `participant` is the manifest's participant cell
    when it names one person (not `Label=Name` pairs, which are in `speakers`)."""
    seen: set[str] = set()

    def rename(label: str) -> str:
        seen.add(" ".join(label.split()).casefold())
        return speakers.rename(label)

    parsed = read_transcript(path, speaker_pattern=speaker_pattern, rename=rename)
    roles, guessed = speaker_roles(parsed, tuple(interviewer_labels), speakers)
    people = participant_names(name, roles, participant, speakers)
    warnings = [*parsed.warnings, *_mapping_warnings(speakers, seen, roles)]
    return Prepared(path, name, parsed, roles, guessed, people, tuple(warnings))


def speaker_roles(
    parsed: ParsedTranscript,
    interviewer_labels: tuple[str, ...],
    speakers: SpeakerMap = SpeakerMap(),  # noqa: B008 - frozen, so safe as a default
) -> tuple[dict[str, SpeakerRole], str | None]:
    """Each speaker's role: as the manifest says, else from the label. When no role comes
    from the manifest and no label is a known interviewer label, the speaker who asks the
    most questions is taken as the interviewer, and that guess is returned."""
    labels = parsed.speakers
    roles: dict[str, SpeakerRole] = {}
    given = False
    for label in labels:
        entry = speakers.by_name(label)
        if entry is not None and entry.role is not None:
            roles[label], given = entry.role, True
        else:
            roles[label] = speaker_role(label, interviewer_labels)
    if given or len(labels) < 2 or "interviewer" in roles.values():
        return roles, None
    questions: Counter[str] = Counter()
    for turn in parsed.turns:
        if turn.speaker is not None and parsed.text[turn.start : turn.end].rstrip().endswith("?"):
            questions[turn.speaker] += 1
    if not questions:
        return roles, None
    asker, _ = questions.most_common(1)[0]
    roles[asker] = "interviewer"
    return roles, asker


def participant_names(
    document: str,
    roles: dict[str, SpeakerRole],
    participant: str = "",
    speakers: SpeakerMap = SpeakerMap(),  # noqa: B008 - frozen, so safe as a default
) -> dict[str, str]:
    """Participant speaker → participant name.

    A speaker the manifest maps to a participant is that participant; the manifest's single
    participant name goes to the one participant speaker left; every other participant
    speaker becomes a participant of its own named `document/label`: people are never merged
    by a shared first name.
    """
    names: dict[str, str] = {}
    for label, role in roles.items():
        entry = speakers.by_name(label)
        if role == "participant" and entry is not None and entry.participant:
            names[label] = entry.participant
    given = participant.strip()
    left = [label for label, role in roles.items() if role == "participant" and label not in names]
    if given:
        if len(left) > 1:
            raise InputError(
                f"the manifest names one participant ({given!r}) but the transcript has "
                f"{len(left)} participant speakers ({', '.join(left)}); map them in a "
                "'speakers' column, e.g. 'Speaker 2=P07; Speaker 3=P08'"
            )
        if left:
            names[left[0]] = given
        elif not names:
            names[""] = given
    for label in left:
        names.setdefault(label, f"{document}/{label}")
    return names


def _mapping_warnings(
    speakers: SpeakerMap, seen: set[str], roles: dict[str, SpeakerRole]
) -> list[str]:
    """Labels the mapping names that the transcript does not use, and participant speakers
    it leaves out (they become participants of their own, `document/label`)."""
    if not speakers:
        return []
    warnings = []
    missing = [
        e.label for e in speakers.entries if " ".join(e.label.split()).casefold() not in seen
    ]
    if missing:
        warnings.append(
            "the speakers list names label(s) not in the transcript: "
            + ", ".join(repr(label) for label in missing)
        )
    unmapped = [
        label
        for label, role in roles.items()
        if role == "participant" and speakers.by_name(label) is None
    ]
    if unmapped:
        warnings.append(
            "participant speaker(s) not in the speakers list, kept as written: "
            + ", ".join(repr(label) for label in unmapped)
        )
    return warnings
