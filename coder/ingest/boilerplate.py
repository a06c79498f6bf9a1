"""Lines a transcription tool adds that nobody said: dropped, and reported.

Markdown front matter (`---` … `---` at the top), and the notices tools print at the top or
the bottom of an export ("Transcribed by https://otter.ai", "This transcript was exported on
…"). Only the first and last few lines are looked at, so speech that mentions such a tool is
never touched.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_EDGE = 4
_NOTICE = re.compile(
    r"(?:transcribed\s+by\s+(?:https?://)?(?:www\.)?otter\.ai\S*"
    r"|transcribed\s+by\s+otter"
    r"|this\s+transcript\s+was\s+exported\s+on\b.*"
    r"|.*\bview\s+latest\s+version\s+here\.?)",
    re.IGNORECASE,
)
_FRONT_MATTER_END = 60


def front_matter(lines: Sequence[str]) -> int:
    """How many lines of YAML front matter open a Markdown file (0 when there is none)."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or lines[first].strip() != "---":
        return 0
    for index in range(first + 1, min(len(lines), first + _FRONT_MATTER_END)):
        if lines[index].strip() in ("---", "..."):
            return index + 1
    return 0


def drop_notices(lines: list[str]) -> tuple[list[str], list[str]]:
    """The lines with tool notices near either end blanked (so line numbers stay), and the
    notices dropped."""
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    edges = set(nonblank[:_EDGE]) | set(nonblank[-_EDGE:])
    dropped = [i for i in sorted(edges) if _NOTICE.fullmatch(lines[i].strip())]
    if not dropped:
        return lines, []
    gone = set(dropped)
    return [line for i, line in enumerate(lines) if i not in gone], [
        lines[i].strip() for i in dropped
    ]


def dropped_warning(dropped: Sequence[str], what: str = "a tool's notice") -> str:
    shown = "; ".join(repr(line if len(line) <= 60 else line[:59] + "…") for line in dropped[:3])
    more = " …" if len(dropped) > 3 else ""
    return f"{len(dropped)} line(s) dropped as {what}: {shown}{more}"
