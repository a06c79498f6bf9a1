"""Speaker labels at the start of a line: the conventions, and how one is picked.

Each convention is a regular expression with the named groups `speaker` and optionally `time`;
the utterance starts where the match ends. Detection scores every convention on the
document's lines and keeps the one whose labels look like speakers: labels that recur (or are
role words such as `Interviewer`, `I`, `Speaker 2`), that are short and name-like, and that
start a fair share of the lines. A line such as "Note: we met at 3:30" in a monologue, or a
list of "Site A: ..." lines, never wins on its own.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from coder.errors import UsageError
from coder.userregex import UserPattern

TIME = r"\d{1,2}:\d{1,2}(?::\d{1,2})?(?:[.,]\d{1,3})?"
_TIME_PARTS = re.compile(r"(\d+):(\d+)(?::(\d+))?(?:[.,](\d+))?")
# A name: up to six words; which words pass is decided by `plausible_name`.
_NAME = r"[^\W\d_][\w.'’&\-]*(?: +[\w.'’&\-]+){0,5}?"
# A name with a note in brackets: `Interviewer (IV)`, `Participant (P07)`, `Moderator (Jane)`.
_NOTED_NAME = rf"{_NAME}(?:[ \t]*\([^()\n]{{1,30}}\))?"
_NOTE = re.compile(r"\s*\(([^()]*)\)$")
_LEADING_TIME = re.compile(rf"[\[(](?P<time>{TIME})[\])][ \t]*")
_TIME_ONLY = re.compile(rf"[\[(]?(?P<time>{TIME})[\])]?")
_MAX_LABEL = 40


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


ROLE_WORDS = _words(
    "i r q a iv ie int resp interviewer interviewee respondent participant moderator "
    "facilitator researcher speaker question answer p patient clinician nurse doctor "
    "provider caregiver carer parent child student teacher manager staff client"
)
_PARTICLES = _words(
    "de da das do dos del della der den di du la le van von y e al el bin ibn ben ter ten st st."
)
# First words of "Word: text" lines that are headings, notes or list items, not people
# (months that are also given names, such as May or June, are left out).
_NOT_SPEAKERS = _words(
    """note notes nb n.b. ps p.s. date time location place site venue duration length subject re
    topic title agenda summary example examples e.g. i.e. eg ie step phase stage part section
    chapter table figure fig item option point total result results update warning tip source
    reference link url email e-mail tel phone address attendees present absent transcript
    transcription interview recording file audio video project study code codes theme category
    pros cons goal aim aims objective objectives day week month year morning afternoon evening
    monday tuesday wednesday thursday friday saturday sunday january february march september
    october november december also however but and so then first
    second third finally today yesterday tomorrow well yes no okay ok um uh hmm mm oh yeah
    inaudible crosstalk laughs laughter laughing pause silence unintelligible unclear overlapping
    overtalk music noise coughs cough sighs redacted background end start break participants
    speakers interviewers people keywords tags minutes meeting"""
)


@dataclass(frozen=True)
class Convention:
    name: str
    pattern: re.Pattern[str] | UserPattern


@dataclass(frozen=True)
class Label:
    speaker: str
    time: float | None
    rest: str


def _convention(name: str, pattern: str) -> Convention:
    return Convention(name, re.compile(pattern))


# Most specific first: when two conventions score the same, the earlier one is reported.
CONVENTIONS: tuple[Convention, ...] = (
    _convention(
        "bracket-timestamp",
        rf"(?:[\[(](?P<time>{TIME})[\])]|(?P<time2>{TIME}))\s*[-–]?\s*(?P<speaker>{_NAME})\s*:(?:\s+|$)",
    ),
    _convention(
        "speaker-n-timestamp", rf"(?P<speaker>{_NAME})\s*[\[(](?P<time>{TIME})[\])]\s*:?(?:\s+|$)"
    ),
    _convention("otter", rf"(?P<speaker>{_NAME})[ \t]+(?P<time>{TIME})$"),
    _convention(
        "bracket-name", rf"\[(?P<speaker>{_NAME})\](?:[ \t]*(?P<time>{TIME}))?\s*:?(?:\s+|$)"
    ),
    _convention("i-r", r"(?P<speaker>(?:I|R|IV|IE|Int|Resp)\d{0,2})[ \t]*:(?:\s+|$)"),
    _convention("q-a", r"(?P<speaker>[QA]\d{0,2})[ \t]*[:.](?:\s+|$)"),
    _convention("name-colon", rf"(?:>>[ \t]*)?(?P<speaker>{_NOTED_NAME})[ \t]*:(?:\s+|$)"),
    _convention("name-tab", rf"(?P<speaker>{_NOTED_NAME}) *\t\s*(?=\S)"),
)


def seconds(value: str) -> float | None:
    """`1:02:03`, `01:02`, `0:03.5`, `00:00:01,250` → seconds; None if it is not a time."""
    match = _TIME_PARTS.fullmatch(value.strip())
    if match is None:
        return None
    first, second, third, fraction = match.groups()
    if third is None:
        hours, minutes, secs = 0, int(first), int(second)
    else:
        hours, minutes, secs = int(first), int(second), int(third)
    if secs >= 60 or (third is not None and minutes >= 60):
        return None
    total = hours * 3600 + minutes * 60 + secs
    if fraction:
        total += int(fraction) / 10 ** len(fraction)
    return float(total)


def _without_note(label: str) -> tuple[str, str | None]:
    note = _NOTE.search(label)
    return (label[: note.start()], note.group(1)) if note else (label, None)


def is_role_word(label: str) -> bool:
    """`Interviewer`, `I`, `Speaker 2`, `P07`, `Participant 3`, `Interviewer (IV)`..."""
    words = _without_note(label)[0].casefold().rstrip(".").split()
    if not words:
        return False
    head = words[0].rstrip("0123456789")
    return head in ROLE_WORDS and all(w.isdigit() for w in words[1:])


def plausible_name(label: str) -> bool:
    """Short, name-like, and not a word that usually introduces a note or a list item."""
    label, note = _without_note(label)
    if note is not None and (not note.strip() or seconds(note) is not None):
        return False
    if not label or len(label) > _MAX_LABEL or label[-1] in "-&":
        return False
    if is_role_word(label):
        return True
    words = label.split()
    if words[0].casefold().rstrip(".") in _NOT_SPEAKERS:
        return False
    return all(_name_word(word) for word in words)


def _name_word(word: str) -> bool:
    first = word[0]
    if first.isdigit() or first.isupper() or word.casefold() in _PARTICLES:
        return True
    # Scripts without letter case (Chinese, Arabic, Hebrew...) cannot be judged by capitals.
    return first.isalpha() and not first.islower()


def match_label(convention: Convention, line: str) -> Label | None:
    match = convention.pattern.match(line)
    if match is None:
        return None
    speaker = " ".join(match.group("speaker").split())
    if not plausible_name(speaker):
        return None
    groups = match.groupdict()
    raw_time = groups.get("time") or groups.get("time2")
    rest = line[match.end() :].strip()
    # `Speaker 1: [00:01:02] text` (Sonix, Happy Scribe): the time belongs to the turn.
    leading = _LEADING_TIME.match(rest) if raw_time is None else None
    if leading is not None:
        raw_time, rest = leading["time"], rest[leading.end() :]
    return Label(speaker, seconds(raw_time) if raw_time else None, rest)


def time_only(line: str) -> float | None:
    """The seconds of a line that holds nothing but a timestamp (`[00:05:00]`, `12:30`)."""
    match = _TIME_ONLY.fullmatch(line)
    return seconds(match["time"]) if match else None


def custom_convention(pattern: str) -> Convention:
    """A researcher's own label pattern: a regex applied at line start with a `speaker` group,
    run with a time budget (see `coder.userregex`)."""
    compiled = UserPattern(pattern, "the speaker pattern")
    if "speaker" not in compiled.groupindex:
        raise UsageError(
            f"the speaker pattern {pattern!r} needs a named group for the label, "
            r"e.g. '(?P<speaker>[A-Z]\w+):'"
        )
    return Convention("custom", compiled)


def match_custom(convention: Convention, line: str) -> Label | None:
    match = convention.pattern.match(line)
    if match is None or not (match.group("speaker") or "").strip():
        return None
    raw_time = match.groupdict().get("time")
    rest = line[match.end() :].lstrip(" \t:").strip()
    return Label(" ".join(match.group("speaker").split()), seconds(raw_time or ""), rest)


@dataclass(frozen=True)
class Score:
    convention: Convention
    support: int
    matches: int
    share: float

    @property
    def qualifies(self) -> bool:
        # Most matches must be recurring or role labels, and labels must start a fair share
        # of the lines (or be numerous): a few stray "Word:" lines never make a convention.
        if self.support >= 2 and self.support >= 0.5 * self.matches:
            return self.share >= 0.1 or self.support >= 20
        # A short exchange: half the lines labelled, one of them a role word or a repeat.
        return self.support >= 1 and self.share >= 0.5


def score(convention: Convention, lines: Sequence[str]) -> Score:
    labels = [found.speaker for line in lines if (found := match_label(convention, line))]
    counts = Counter(labels)
    support = sum(n for label, n in counts.items() if n >= 2 or is_role_word(label))
    nonblank = sum(1 for line in lines if line)
    return Score(convention, support, len(labels), len(labels) / max(1, nonblank))


def detect(lines: Sequence[str]) -> Convention | None:
    """The convention whose labels best explain the lines, or None when none dominates."""
    scores = [score(c, lines) for c in CONVENTIONS]
    qualified = [s for s in scores if s.qualifies]
    if not qualified:
        return None
    # max() keeps the first of equals, so the more specific convention wins a tie.
    return max(qualified, key=lambda s: s.support).convention
