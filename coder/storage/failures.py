"""Database failures a researcher can act on, as one line each.

A locked, damaged, read-only or unreachable project, or a value the database refuses, is not a
bug in coder: `explain` turns the driver's exception into a `CoderError` that says what
happened and what to do. Anything it does not recognise is left alone, to keep its traceback.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import StatementError

from coder.errors import CoderError, ProjectError, ValidationError

# SQLite's messages (sqlite3 gives no error codes before Python 3.11's sqlite_errorname,
# and they are stable across versions), each with what it means for the researcher.
_SQLITE: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("database is locked", "database table is locked", "database is busy"),
        "{where} is busy: another process is writing to it; try again when it has finished",
    ),
    (
        ("malformed", "file is not a database", "file is encrypted"),
        "{where} is damaged ({reason}); restore it from a backup (coder keeps one beside it, "
        "named .bak, before each upgrade), or try `sqlite3 FILE .recover`",
    ),
    (
        ("readonly database", "read-only", "readonly"),
        "{where} is read-only for you ({reason}): you may read it but not change it; nothing "
        "was changed. Copy it somewhere you may write, or ask its owner",
    ),
    (
        ("unable to open database file", "cannot open"),
        "cannot open {where} ({reason}); check that the file and its folder exist and that "
        "you may read them",
    ),
    (
        ("disk i/o error", "database or disk is full", "no space left"),
        "{where} could not be written ({reason}); check the disk it is on (space, "
        "permissions, a network drive that went away)",
    ),
)


def explain(
    exc: BaseException, where: str = "the project", *, sqlite_read: bool = False
) -> CoderError | None:
    """The failure as a `CoderError`, or None when it is not a known database failure.
    `sqlite_read` says that `exc` came out of reading a SQLite file, where text that is not
    UTF-8 means damage (the driver raises UnicodeDecodeError for it)."""
    original = exc.orig if isinstance(exc, StatementError) else exc
    if original is None:
        return None
    reason = _first_line(original)
    if sqlite_read and isinstance(original, UnicodeDecodeError):
        return ProjectError(_SQLITE[1][1].format(where=where, reason="text that is not UTF-8"))
    if isinstance(original, OverflowError) and "SQLite INTEGER" in reason:
        return ValidationError(
            "a number is too large for the database (past 9,223,372,036,854,775,807); "
            "nothing was changed. Check the ids, offsets and counts you gave"
        )
    if isinstance(original, sqlite3.Error):
        lowered = reason.lower()
        for needles, message in _SQLITE:
            if any(needle in lowered for needle in needles):
                return ProjectError(message.format(where=where, reason=reason))
        return None
    return _explain_postgres(original, reason, where)


def _explain_postgres(original: BaseException, reason: str, where: str) -> CoderError | None:
    import psycopg

    if not isinstance(original, psycopg.Error):
        return None
    state = getattr(original, "sqlstate", None) or ""
    if state.startswith("22"):  # data exception: a NUL in text, a number out of range...
        return ValidationError(f"the database refused a value ({reason}); nothing was changed")
    if isinstance(original, psycopg.OperationalError) or state.startswith(("08", "57")):
        return ProjectError(
            f"cannot reach {where} ({reason}); check the server, the network and the URL, "
            "and try again (a command cut off half-way changed nothing)"
        )
    if state == "25006":  # read_only_sql_transaction: a standby or a read-only session
        return ProjectError(f"{where} is read-only here ({reason}); nothing was changed")
    return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
