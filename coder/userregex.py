"""Researchers' own regular expressions, run with a time budget.

A pattern such as `(a|aa)+b` takes time exponential in the length of a line it fails on
("catastrophic backtracking"); Python's `re` cannot be interrupted, so a pattern typed on the
command line could hang an import for ever. Patterns from people therefore run on the
`regex` module (the same syntax as `re`), whose matching stops when its time is up: each
`UserPattern` has `coder.limits.REGEX_SECONDS` for all its matches together (one file's
lines, say), and then raises `PatternTimeout` naming the pattern and the text it was on.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

import regex

from coder.errors import UsageError
from coder.limits import REGEX_SECONDS


class PatternTimeout(UsageError):
    """A pattern ran out of time; `subject` is the text it was matching."""

    def __init__(self, message: str, subject: str) -> None:
        super().__init__(message)
        self.subject = subject

    def at(self, where: str) -> PatternTimeout:
        """The same error, its message starting with where it happened ("file, line 3")."""
        return PatternTimeout(f"{where}: {self}", self.subject)


class UserPattern:
    """A compiled pattern with `match` and `search` that share one time budget."""

    def __init__(self, pattern: str, what: str, *, seconds: float = REGEX_SECONDS) -> None:
        try:
            self._compiled = regex.compile(pattern)
        except (regex.error, ValueError, TypeError) as error:
            raise UsageError(f"{what} {pattern!r} is not a valid regex: {error}") from None
        self.pattern = pattern
        self.what = what
        self.seconds = seconds
        self.spent = 0.0

    @property
    def groupindex(self) -> Mapping[str, int]:
        return self._compiled.groupindex

    def match(self, text: str) -> regex.Match[str] | None:
        return self._run(text, search=False)

    def search(self, text: str) -> regex.Match[str] | None:
        return self._run(text, search=True)

    def _run(self, text: str, *, search: bool) -> regex.Match[str] | None:
        started = time.monotonic()
        left = max(self.seconds - self.spent, 0.001)
        try:
            if search:
                return self._compiled.search(text, timeout=left)
            return self._compiled.match(text, timeout=left)
        except TimeoutError:
            shown = text if len(text) <= 60 else text[:59] + "…"
            raise PatternTimeout(
                f"{self.what} {self.pattern!r} takes too long (over {self.seconds:g} s) on the "
                f"text {shown!r}: it backtracks without end on text like this (nested "
                "repetition such as (a+)+ or (a|aa)+); simplify it",
                text,
            ) from None
        finally:
            self.spent += time.monotonic() - started
