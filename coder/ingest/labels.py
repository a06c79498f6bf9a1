"""Speaker labels at the start of a line: the conventions, and how one is picked.

Each convention is a regular expression with the named groups `speaker` and optionally `time`;
the utterance starts where the match ends. Detection scores every convention on the
document's lines and keeps the one whose labels look like speakers: labels that recur (or are
role words such as `Interviewer`, `I`, `Speaker 2`), that are short and name-like, and that
start a fair share of the lines. A line such as "Note: we met at 3:30" in a monologue, or a
list of "Site A: ..." lines, never wins on its own. Detection reads a sample of a long
document's lines and reports the convention chosen and the runner-up.

A `strict` convention (a name alone on its line) accepts only labels that recur in the
document or are role words: a one-word answer or a section heading on its own line is speech,
not a speaker.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Sequence
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
# The colon after a label, then the words: ASCII `:` before a space (so `3:30` and `http:` are
# not labels) or straight before a letter of a script without spaces; full-width `：` as
# Chinese, Japanese and Korean transcripts write it, with or without a space.
_COLON = r"(?:[ \t]*:(?:\s+|$|(?=[^\x00-\x7f]))|[ \t]*：[ \t]*)"
_LEADING_TIME = re.compile(rf"[\[(](?P<time>{TIME})[\])][ \t]*")
# A line holding only a time, or a span of time (`0:0:3.470 --> 0:0:9.200` in the Word
# transcripts Microsoft Teams used to export, `[00:01:02 → 00:01:09]`).
_TIME_ONLY = re.compile(rf"[\[(]?(?P<time>{TIME})(?:[ \t]*(?:-->|→|–|-)[ \t]*{TIME})?[\])]?")
# A bracketed timestamp at the start or the end of a paragraph (Descript, noScribe).
_EDGE_TIME_START = re.compile(rf"\[(?P<time>{TIME})\][ \t]*")
_EDGE_TIME_END = re.compile(rf"[ \t]*\[(?P<time>{TIME})\]$")
# An identifier in brackets: `[id1]` (QualCoder's sample), `[P07]`, `[s02]`.
_BRACKET_ID = re.compile(r"[^\W\d_]{1,6}[ _-]?\d{1,4}")
_MAX_LABEL = 40
# How far into a line a label can reach (a 40-character name, a timestamp, brackets).
_EARLY = 72
_KEY_VALUE = re.compile(r"(?P<key>[^\W\d_][^:：\n]{0,39})[ \t]*[:：][ \t]*(?P<value>\S.{0,79})")
# Detection scores at most this many lines of a long document: the first ones and a spread
# of the rest, which is plenty to tell conventions apart and keeps import fast.
_SAMPLE = 600


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
    speakers interviewers people keywords tags minutes meeting applause cheering chuckles
    chuckling sigh sighing clears indistinct overlap interruption interrupted foreign speaking
    translation translated beep audio video phone door silent cut mhm mm-hmm mm-hm uh-huh hm ah
    right sure exactly absolutely really great good fine wow true correct indeed definitely
    totally alright thanks bye hello hi hey cheers interesting transcribed observations
    observation reflections reflection introduction conclusion conclusions discussion questions
    answers findings methods context comments actions next background overview appendix the an
    this that these those it its my our your their his her what which who why how when where here
    there one because if"""
)


@dataclass(frozen=True)
class Convention:
    name: str
    pattern: re.Pattern[str] | UserPattern
    # Labels must recur in the document (or be role words) to count: see the module docstring.
    strict: bool = False
    # Which labels pass (None: `plausible_name`).
    plausible: Callable[[str], bool] | None = None
    # A cheap test a line must pass before the pattern is tried: most lines of a transcript
    # are long stretches of speech that no label pattern needs to look at.
    quick: Callable[[str], bool] | None = None


@dataclass(frozen=True)
class Label:
    speaker: str
    time: float | None
    rest: str


def _convention(
    name: str,
    pattern: str,
    *,
    strict: bool = False,
    plausible: Callable[[str], bool] | None = None,
    quick: Callable[[str], bool] | None = None,
) -> Convention:
    return Convention(name, re.compile(pattern), strict, plausible, quick)


def _colon_early(line: str) -> bool:
    head = line[:_EARLY]
    return ":" in head or "：" in head


def _opens_with_bracket_or_digit(line: str) -> bool:
    return line[:1] in "[(0123456789"


def _short(line: str) -> bool:
    return len(line) <= _EARLY


def plausible_bracketed(label: str) -> bool:
    """`[Name]`, `[Name’s iPad (SL)]`, `[id1]`: brackets mark a label, so identifiers pass too,
    but never a timestamp or a transcriber's note such as `[laughs]`."""
    if seconds(label) is not None or not any(c.isalpha() for c in label):
        return False
    if label.split()[0].casefold().strip(".,") in _NOT_SPEAKERS:
        return False
    return plausible_name(label) or _BRACKET_ID.fullmatch(label) is not None


def plausible_cue_name(label: str) -> bool:
    """At the start of a caption cue a label is the captioner's convention, so a name typed in
    lower case (as people often type theirs into Zoom) passes too."""
    if plausible_name(label):
        return True
    words = _without_note(label)[0].split()
    return (
        0 < len(words) <= 3
        and len(label) <= _MAX_LABEL
        and words[0].casefold().strip(".") not in _NOT_SPEAKERS
        and all(word[0].isalpha() for word in words)
    )


def key_value(line: str) -> str | None:
    """The key of a short `Key: value` line (a header's `Date: 12 May`), else None."""
    found = _KEY_VALUE.fullmatch(line)
    if found is None or found["value"].rstrip().endswith((".", "?", "!")):
        return None
    return found["key"]


def is_header_key(key: str) -> bool:
    """`Date`, `Location`, `Duration`...: a key that no speaker is called."""
    return key.split()[0].casefold().rstrip(".") in _NOT_SPEAKERS


def plausible_line_name(label: str) -> bool:
    """A name alone on its line: no sentence punctuation after it."""
    return not label.endswith((".", "?", "!", ",", ";", "…")) and plausible_name(label)


# Most specific first: when two conventions score the same, the earlier one is reported.
CONVENTIONS: tuple[Convention, ...] = (
    _convention(
        "bracket-timestamp",
        rf"(?:[\[(](?P<time>{TIME})[\])]|(?P<time2>{TIME}))\s*[-–]?\s*(?P<speaker>{_NAME}){_COLON}",
        quick=_opens_with_bracket_or_digit,
    ),
    _convention(
        "speaker-n-timestamp",
        rf"(?P<speaker>{_NAME})\s*[\[(](?P<time>{TIME})[\])]\s*:?(?:\s+|$)",
        quick=lambda line: "(" in line[:_EARLY] or "[" in line[:_EARLY],
    ),
    _convention("otter", rf"(?P<speaker>{_NAME})[ \t]+(?P<time>{TIME})$", quick=_short),
    _convention(
        "bracket-name",
        rf"\[(?P<speaker>[^\[\]\n]{{1,60}})\](?:[ \t]*(?P<time>{TIME}))?[ \t]*:?(?:\s+|$)",
        plausible=plausible_bracketed,
        quick=lambda line: line[:1] == "[",
    ),
    _convention(
        "i-r",
        rf"(?P<speaker>(?:I|R|IV|IE|Int|Resp)\d{{0,2}}){_COLON}",
        quick=lambda line: line[:1] in "IR",
    ),
    _convention(
        "q-a",
        rf"(?P<speaker>[QA]\d{{0,2}})(?:{_COLON}|[ \t]*\.(?:\s+|$))",
        quick=lambda line: line[:1] in "QA",
    ),
    _convention(
        "name-colon", rf"(?:>>[ \t]*)?(?P<speaker>{_NOTED_NAME}){_COLON}", quick=_colon_early
    ),
    _convention(
        "name-tab",
        rf"(?P<speaker>{_NOTED_NAME}) *\t\s*(?=\S)",
        quick=lambda line: "\t" in line[:_EARLY],
    ),
    _convention(
        "name-line",
        rf"(?P<speaker>{_NOTED_NAME})$",
        strict=True,
        plausible=plausible_line_name,
        quick=_short,
    ),
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
        # One division, so 3.470 is 3.47 and not 3 + 0.47 = 3.4699999999999998.
        scale = int(10 ** len(fraction))
        return (total * scale + int(fraction)) / scale
    return float(total)


def _without_note(label: str) -> tuple[str, str | None]:
    note = _NOTE.search(label)
    return (label[: note.start()], note.group(1)) if note else (label, None)


@functools.lru_cache(maxsize=4096)
def is_role_word(label: str) -> bool:
    """`Interviewer`, `I`, `Speaker 2`, `P07`, `Participant 3`, `Interviewer (IV)`..."""
    words = _without_note(label)[0].casefold().rstrip(".").split()
    if not words:
        return False
    head = words[0].rstrip("0123456789")
    return head in ROLE_WORDS and all(w.isdigit() for w in words[1:])


@functools.lru_cache(maxsize=4096)
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
    # A device name as Zoom shows it: `iPad`, `iPhone`.
    if first.islower() and any(c.isupper() for c in word[1:]):
        return True
    # Scripts without letter case (Chinese, Arabic, Hebrew...) cannot be judged by capitals.
    return first.isalpha() and not first.islower()


def match_label(convention: Convention, line: str) -> Label | None:
    if convention.quick is not None and not convention.quick(line):
        return None
    match = convention.pattern.match(line)
    if match is None:
        return None
    speaker = " ".join(match.group("speaker").split())
    if not (convention.plausible or plausible_name)(speaker):
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
    """The seconds of a line that holds nothing but a timestamp (`[00:05:00]`, `12:30`), or
    the start of a line that holds nothing but a span of time."""
    match = _TIME_ONLY.fullmatch(line)
    return seconds(match["time"]) if match else None


def edge_times(text: str) -> tuple[str, float | None, float | None]:
    """`[00:01:02] text` and `text [00:01:05]`: the text without a bracketed timestamp at
    either edge, the time at its start, and the time at its end (which dates what follows)."""
    start = end = None
    leading = _EDGE_TIME_START.match(text) if text.startswith("[") else None
    if leading is not None and leading.end() < len(text):
        start, text = seconds(leading["time"]), text[leading.end() :]
    trailing = _EDGE_TIME_END.search(text) if text.endswith("]") else None
    if trailing is not None and trailing.start() > 0:
        end, text = seconds(trailing["time"]), text[: trailing.start()]
    return text, start, end


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
        if self.convention.strict:
            # Only recurring names count, and nearly every match must be one of them.
            return self.support >= 2 and self.support >= 0.8 * self.matches and self.share >= 0.1
        # Most matches must be recurring or role labels, and labels must start a fair share
        # of the lines (or be numerous): a few stray "Word:" lines never make a convention.
        if self.support >= 2 and self.support >= 0.5 * self.matches:
            return self.share >= 0.1 or self.support >= 20
        # A short exchange: half the lines labelled, one of them a role word or a repeat.
        return self.support >= 1 and self.share >= 0.5


@dataclass(frozen=True)
class Detection:
    """The convention chosen (None: no labels recognised) and the best one not chosen."""

    convention: Convention | None
    runner_up: Convention | None = None


def label_counts(convention: Convention, lines: Sequence[str]) -> Counter[str]:
    return Counter(found.speaker for line in lines if (found := match_label(convention, line)))


def recurring(counts: Counter[str]) -> frozenset[str]:
    """The labels a strict convention accepts: those that recur, and role words."""
    return frozenset(label for label, n in counts.items() if n >= 2 or is_role_word(label))


def score(convention: Convention, lines: Sequence[str]) -> Score:
    found = [label for line in lines if (label := match_label(convention, line))]
    counts = Counter(label.speaker for label in found)
    # A label counts when it recurs, is a role word, or carries a timestamp: a chance
    # "Word:" at the start of a line seldom has a time with it.
    support = sum(
        1
        for label in found
        if counts[label.speaker] >= 2 or label.time is not None or is_role_word(label.speaker)
    )
    nonblank = sum(1 for line in lines if line)
    return Score(convention, support, len(found), len(found) / max(1, nonblank))


def sample(lines: Sequence[str], size: int = _SAMPLE) -> list[str]:
    """The non-blank lines, or for a long document the first half of `size` of them and an even
    spread of the rest."""
    nonblank = [line for line in lines if line]
    if len(nonblank) <= size:
        return nonblank
    head = size // 2
    step = (len(nonblank) - head) / (size - head)
    return nonblank[:head] + [nonblank[head + int(i * step)] for i in range(size - head)]


def detect(lines: Sequence[str], conventions: Sequence[Convention] = CONVENTIONS) -> Detection:
    """The convention whose labels best explain the lines, and the runner-up."""
    sampled = sample(lines)
    scores = [score(c, sampled) for c in conventions]
    qualified = [s for s in scores if s.qualifies]
    # max() keeps the first of equals, so the more specific convention wins a tie.
    chosen = max(qualified, key=lambda s: s.support) if qualified else None
    others = [s for s in scores if s is not chosen and s.matches]
    runner = max(others, key=lambda s: (s.qualifies, s.support, s.matches), default=None)
    return Detection(chosen.convention if chosen else None, runner.convention if runner else None)
