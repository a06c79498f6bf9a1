"""A codebook as plain data: what every codebook file format reads into and writes from.

No database here. The storage layer turns a `CodebookSpec` into code rows when a codebook is
loaded into a project, and back when it is exported.

Paths name a code by its ancestors' names and its own, joined by "/":
"Challenges/Material challenges/Time and meeting timing". A "/" inside a name is written "\\/"
in a path and a "\\" is written "\\\\", the same convention as the project's code tree
(`coder.codebook.tree`), so a path printed by one is understood by the other.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from coder.codebook.tree import join_path, split_path
from coder.errors import NotFoundError, UsageError
from coder.model import CODE_KINDS

KINDS: tuple[str, ...] = CODE_KINDS

__all__ = [
    "KINDS",
    "CodeSpec",
    "CodebookSpec",
    "Loaded",
    "Visit",
    "join_path",
    "split_path",
    "walk",
]


@dataclass
class CodeSpec:
    """One code of a codebook, with its sub-codes.

    `line` (where the code starts in the file it was read from) and `guid` (the REFI-QDA
    identity it arrived with, kept so that a re-export matches the tool it came from) are
    bookkeeping: two codes that differ only in them are equal.
    """

    name: str
    kind: str = "code"
    id: str | None = None
    definition: str = ""
    include: str = ""
    exclude: str = ""
    examples: list[str] = field(default_factory=list)
    # Where the code comes from: the study's section, table or page, or the analyst who added it.
    source: str = ""
    color: str | None = None
    key: str | None = None
    keywords: list[str] = field(default_factory=list)
    patterns: list[list[dict[str, Any]]] = field(default_factory=list)
    # Its sub-codes are alternatives: a passage carries at most one (one Place per activity).
    exclusive: bool = False
    children: list[CodeSpec] = field(default_factory=list)
    line: int | None = field(default=None, compare=False, repr=False)
    guid: str | None = field(default=None, compare=False, repr=False)


class Visit(NamedTuple):
    """A code met while walking a tree, with where it sits."""

    path: str
    depth: int
    code: CodeSpec
    parent: CodeSpec | None


def walk(codes: Iterable[CodeSpec]) -> Iterator[Visit]:
    """Depth-first, siblings in order, each code before its children."""
    # An explicit stack: imported codebooks can be deep enough to hit the recursion limit.
    stack: list[tuple[CodeSpec, tuple[str, ...], CodeSpec | None]] = [
        (code, (code.name,), None) for code in reversed(list(codes))
    ]
    while stack:
        code, names, parent = stack.pop()
        yield Visit(join_path(names), len(names) - 1, code, parent)
        stack.extend((child, (*names, child.name), code) for child in reversed(code.children))


@dataclass
class CodebookSpec:
    title: str
    codes: list[CodeSpec]
    version: str | None = None
    description: str = ""
    source: str = ""

    def walk(self) -> Iterator[Visit]:
        return walk(self.codes)

    def paths(self) -> list[str]:
        return [visit.path for visit in self.walk()]

    def __len__(self) -> int:
        return sum(1 for _ in self.walk())

    def find(self, path: str) -> CodeSpec:
        """The code at `path`, names compared ignoring case."""
        try:
            parts = split_path(path)
        except UsageError as exc:
            raise NotFoundError(str(exc)) from exc
        level = self.codes
        found: CodeSpec | None = None
        for depth, name in enumerate(parts):
            found = next((c for c in level if c.name.casefold() == name.casefold()), None)
            if found is None:
                where = "at the top level" if depth == 0 else f"under {join_path(parts[:depth])!r}"
                raise NotFoundError(f"no code {name!r} {where} of codebook {self.title!r}")
            level = found.children
        assert found is not None
        return found

    def by_id(self) -> dict[str, CodeSpec]:
        return {visit.code.id: visit.code for visit in self.walk() if visit.code.id is not None}


class Loaded(NamedTuple):
    """What a reader returns: the codebook, and warnings about things that are legal but
    suspect (each names the file and line). Unpacks as `spec, warnings = load_yaml(...)`."""

    spec: CodebookSpec
    warnings: list[str]
