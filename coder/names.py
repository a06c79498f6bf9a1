"""The one rule for names: codes, coders, attributes, participants and documents.

A name is one line of visible text: no line breaks, tabs or other control characters (which
break tables, exports and XML), no white space around it, at most `MAX_NAME` characters.
Readers apply it with the file and line at hand; the storage layer applies it again to every
name it writes, so no path into a project (a file, a command, the workbench, a script) can
store a name that the exports would then refuse.
"""

from __future__ import annotations

import re

from coder.limits import MAX_NAME


class FieldProblem(ValueError):
    """A value breaks a rule. The message says what and how to fix it, not where."""


# Word and other editors put these in pasted text as line breaks; they all mean a new line.
LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# Characters XML 1.0 cannot carry (or carries only as a nuisance): text holding one could be
# stored but not exported to REFI-QDA, so it is refused on the way in.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str) -> str:
    """Line breaks made "\\n", surrounding white space removed, control characters refused."""
    text = LINE_BREAKS.sub("\n", value).strip()
    bad = FORBIDDEN.search(text)
    if bad:
        raise FieldProblem(
            f"contains the control character U+{ord(bad.group()):04X}, which coder cannot "
            "store; delete it (it is often invisible: retype the text around it)"
        )
    return text


def clean_name(value: str, what: str = "a code") -> str:
    """`value` as a name, or `FieldProblem` saying why it cannot be one. `what` names the
    thing for the empty case ("a coder", "an attribute")."""
    name = clean_text(value)
    if not name:
        raise FieldProblem(f"{what} needs a name")
    if "\n" in name or "\t" in name:
        raise FieldProblem(f"name {_shown(name)} must be on one line, without tabs")
    if len(name) > MAX_NAME:
        raise FieldProblem(
            f"name {_shown(name)} is {len(name):,} characters long; names are at most "
            f"{MAX_NAME} characters"
        )
    return name


def name_from(text: str) -> str:
    """A name made from text that was not written as one (a file name, another tool's
    label): line breaks, tabs and other control characters become spaces, and it is cut to
    `MAX_NAME` characters. May be empty: the caller then needs another name."""
    text = FORBIDDEN.sub(" ", LINE_BREAKS.sub(" ", text)).replace("\n", " ").replace("\t", " ")
    return text.strip()[:MAX_NAME].strip()


def _shown(name: str) -> str:
    return repr(name if len(name) <= 60 else name[:59] + "…")
