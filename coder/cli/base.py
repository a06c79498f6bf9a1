"""What every command shares: the group that turns errors into one line, common options."""

from __future__ import annotations

import getpass
import importlib
import json
import os
import re
import shutil
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from coder.errors import CoderError, UsageError
from coder.project import known_failure
from coder.tables import json_safe

F = TypeVar("F", bound=Callable[..., Any])

PROJECT_HELP = (
    "The project: a .coder file or a postgresql+psycopg://user@host/db URL. "
    "Defaults to $CODER_PROJECT."
)


class ChoiceOf(click.Choice[str]):
    """A choice among the names a feature defines (its measures, units, formats), looked up
    when the option is first parsed or its help shown. Building the command line then loads
    no feature, and with them no pandas or database library: `coder --help` and `coder
    import` start without them."""

    def __init__(self, load: Callable[[], Sequence[str]], case_sensitive: bool = True) -> None:
        self._load = load
        self._choices: tuple[str, ...] | None = None
        self.case_sensitive = case_sensitive

    @property
    def choices(self) -> tuple[str, ...]:
        if self._choices is None:
            self._choices = tuple(self._load())
        return self._choices

    @choices.setter
    def choices(self, value: Sequence[str]) -> None:
        self._choices = tuple(value)


def names_in(module: str, attribute: str, *extra: str) -> Callable[[], tuple[str, ...]]:
    """The names `module.attribute` holds (and `extra`), read when first asked for: what a
    `ChoiceOf` offers, without importing the feature while the command line is built."""

    def load() -> tuple[str, ...]:
        return (*getattr(importlib.import_module(module), attribute), *extra)

    return load


class CoderFailure(click.ClickException):
    """A CoderError on its way to the terminal."""

    def show(self, file: Any = None) -> None:
        click.echo(f"coder: error: {one_line(self.format_message())}", err=True)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def terminal_width() -> int | None:
    """The width to fit printed tables to: the terminal's when the output goes to one (or
    $COLUMNS says how wide), else None, so that piped output keeps every line whole."""
    if "COLUMNS" in os.environ or sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return None


def one_line(text: str) -> str:
    """`text` on one line: line breaks and other control characters (in a file name, say)
    shown as escapes such as \\n, so that every error and report line stays one line."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


class CoderUsageFailure(CoderFailure):
    """Arguments that cannot work together: exit status 2, as for click's own usage errors."""

    exit_code = 2


class CoderGroup(click.Group):
    def __init__(
        self, *args: Any, lazy_commands: Mapping[str, str] | None = None, **kwargs: Any
    ) -> None:
        """`lazy_commands`: command name → "module:object", imported when first asked for."""
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy_commands:
            module, _, name = self.lazy_commands[cmd_name].partition(":")
            self.add_command(getattr(importlib.import_module(module), name), cmd_name)
        return super().get_command(ctx, cmd_name)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """`coder PROJECT [--as NAME]` is short for `coder tui -p PROJECT [--as NAME]`, and
        `coder tui PROJECT` (or `serve`) for `coder tui -p PROJECT`."""
        if args and args[0] not in self.list_commands(ctx) and is_project_location(args[0]):
            args = ["tui", "-p", args[0], *args[1:]]
        if len(args) > 1 and args[0] in ("tui", "serve") and is_project_location(args[1]):
            args = [args[0], "-p", *args[1:]]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        """The one place errors become what the researcher sees: a `CoderError`, or a database
        failure the project recognises (locked, damaged, read-only, unreachable), is one line
        on stderr and exit status 1 (2 for a usage error); anything else is a bug and keeps its
        traceback."""
        try:
            return super().invoke(ctx)
        except CoderError as error:
            failure = CoderUsageFailure if error.exit_code == 2 else CoderFailure
            raise failure(str(error)) from None
        except click.ClickException:
            raise
        except Exception as error:
            known = known_failure(error)
            if known is None:
                raise
            raise CoderFailure(str(known)) from None


def is_project_location(text: str) -> bool:
    return text.startswith("postgresql") or (
        not text.startswith("-") and Path(text).suffix == ".coder" and Path(text).is_file()
    )


def project_option(func: F) -> F:
    return click.option(
        "-p",
        "--project",
        "location",
        envvar="CODER_PROJECT",
        required=True,
        metavar="PROJECT",
        help=PROJECT_HELP,
    )(func)


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def echo_json(data: Any) -> None:
    text = json.dumps(
        json_safe(data), indent=2, ensure_ascii=False, default=_json_default, allow_nan=False
    )
    click.echo(text)


def actor_option(func: F) -> F:
    return click.option(
        "--as",
        "actor",
        envvar="CODER_USER",
        default=getpass.getuser,
        show_default="$CODER_USER or your login name",
        metavar="NAME",
        help="Who is doing this, for the project log and undo.",
    )(func)


def reader_option(func: F) -> F:
    """--as for commands that read codings: who is reading, for the blind phase's rule (see
    coder/access.py). No default: naming nobody is not the same as naming the login name."""
    return click.option(
        "--as",
        "reader",
        envvar="CODER_USER",
        metavar="NAME",
        help="Who is reading (default $CODER_USER): while the project is blind, a coder "
        "reads only their own codings and a lead reads everything.",
    )(func)


def coder_list(value: str) -> list[str]:
    coders = [c.strip() for c in value.split(",") if c.strip()]
    if len(coders) < 2:
        raise UsageError("--coders takes two or more names separated by commas, e.g. maya,tomas")
    return coders


WHERE_HELP = (
    "Only these documents or participants, by attribute (repeatable: the same attribute "
    "ORs, different ones AND); document:NAME or participant:NAME chooses the scope."
)


def where_option(func: F) -> F:
    """--where ATTR=VALUE, parsed by `parse_where` (coder/attributes/where.py)."""
    return click.option("--where", "where", multiple=True, metavar="ATTR=VALUE", help=WHERE_HELP)(
        func
    )
