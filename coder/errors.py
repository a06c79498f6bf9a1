"""Errors a researcher can act on.

Every failure caused by input (a file, a flag, a project in the wrong state) is raised as a
`CoderError` subclass whose message says what went wrong, where, and what to do. The CLI prints
the message on one line and exits non-zero; the TUI shows it as a notification. Anything else is
a bug and keeps its traceback.
"""

from __future__ import annotations

from pathlib import Path


class CoderError(Exception):
    """Base class for errors caused by the user's input or the project's state."""

    exit_code = 1


class UsageError(CoderError):
    """A command was called with arguments that cannot work together."""

    exit_code = 2


class ProjectError(CoderError):
    """The project cannot be created, opened or upgraded."""


class NotFoundError(CoderError):
    """A named thing (document, code, coder, memo...) does not exist."""


class ConflictError(CoderError):
    """The change conflicts with what is already there (a duplicate, a stale edit...)."""


class InputError(CoderError):
    """A file given to coder is unreadable or malformed.

    `path`, `line` and `offset` locate the problem; the message always names the file and,
    where known, the line (1-based) or character offset (0-based).
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        offset: int | None = None,
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.line = line
        self.offset = offset
        self.detail = message
        where = []
        if self.path is not None:
            where.append(str(self.path))
        if line is not None:
            where.append(f"line {line}")
        if offset is not None:
            where.append(f"offset {offset}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


class ValidationError(InputError):
    """Content that parses but breaks a rule (a duplicate code name, a cycle, a bad colour...)."""
