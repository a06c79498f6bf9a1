"""A project's code tree in memory: paths, children, descendants.

A code's path is its ancestors' names and its own joined by "/" ("Challenges/Material/Time").
A "/" inside a name is written "\\/" in a path, and "\\" as "\\\\".
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator

from coder import model
from coder.errors import NotFoundError, UsageError


def split_path(path: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    escaped = False
    for char in path:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "/":
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    if any(not part for part in parts):
        raise UsageError(f"{path!r} is not a code path (empty part); write it as Parent/Child")
    return parts


def join_path(names: Iterable[str]) -> str:
    return "/".join(re.sub(r"([\\/])", r"\\\1", name) for name in names)


class CodeTree:
    """Codes (any statuses you pass in) arranged as a tree."""

    def __init__(self, codes: Iterable[model.Code]) -> None:
        self.codes = list(codes)
        self.by_id = {code.id: code for code in self.codes}
        kids: dict[int | None, list[model.Code]] = defaultdict(list)
        for code in self.codes:
            parent = code.parent_id if code.parent_id in self.by_id else None
            kids[parent].append(code)
        self._children = {k: sorted(v, key=lambda c: (c.position, c.id)) for k, v in kids.items()}

    def children(self, code: model.Code | None) -> list[model.Code]:
        return list(self._children.get(None if code is None else code.id, []))

    def roots(self) -> list[model.Code]:
        return self.children(None)

    def ancestors(self, code: model.Code) -> list[model.Code]:
        """From the root down to the code's parent."""
        chain: list[model.Code] = []
        seen = {code.id}
        parent = self.by_id.get(code.parent_id) if code.parent_id is not None else None
        while parent is not None and parent.id not in seen:
            chain.append(parent)
            seen.add(parent.id)
            parent = self.by_id.get(parent.parent_id) if parent.parent_id is not None else None
        return list(reversed(chain))

    def path(self, code: model.Code) -> str:
        return join_path([c.name for c in self.ancestors(code)] + [code.name])

    def label(self, code: model.Code) -> str:
        """The code's name, with as many of its ancestors' names as it takes to tell it from
        the other codes of that name: `Missing` under each Parity condition reads
        `Numbers/Missing`, `Compensation/Missing`; a name used once is the name alone."""
        names = [c.name for c in self.ancestors(code)] + [code.name]
        namesakes = [
            [c.name for c in self.ancestors(other)] + [other.name]
            for other in self.codes
            if other.id != code.id and other.name.casefold() == code.name.casefold()
        ]
        for size in range(1, len(names) + 1):
            tail = [n.casefold() for n in names[-size:]]
            if all([n.casefold() for n in other[-size:]] != tail for other in namesakes):
                return join_path(names[-size:])
        return join_path(names)

    def walk(self) -> Iterator[tuple[model.Code, int]]:
        """Depth-first, siblings in order, with each code's depth (0 for roots)."""
        # An explicit stack, so that no tree is too deep to walk (see coder.limits).
        stack = [(root, 0) for root in reversed(self.roots())]
        while stack:
            code, depth = stack.pop()
            yield code, depth
            stack.extend((child, depth + 1) for child in reversed(self.children(code)))

    def descendants(self, code: model.Code) -> list[model.Code]:
        """Depth-first, siblings in order."""
        found: list[model.Code] = []
        seen = {code.id}  # a parent cycle written to the database by hand ends the walk
        stack = list(reversed(self.children(code)))
        while stack:
            child = stack.pop()
            if child.id in seen:
                continue
            seen.add(child.id)
            found.append(child)
            stack.extend(reversed(self.children(child)))
        return found

    def height(self, code: model.Code) -> int:
        """Levels of sub-codes below `code` (0 for a code without any)."""
        height, level, seen = 0, self.children(code), {code.id}
        while level:
            height += 1
            seen.update(c.id for c in level)
            level = [c for parent in level for c in self.children(parent) if c.id not in seen]
        return height

    def find(self, path: str) -> model.Code:
        """The code at a path (names compared ignoring case), or a helpful NotFoundError."""
        parts = split_path(path)
        level = self.roots()
        found: model.Code | None = None
        for depth, name in enumerate(parts):
            matches = [c for c in level if c.name.casefold() == name.casefold()]
            if not matches:
                raise NotFoundError(self._not_found(path, parts[: depth + 1], level))
            found = matches[0]
            level = self.children(found)
        assert found is not None
        return found

    def find_child(self, parent: model.Code | None, name: str) -> model.Code | None:
        for child in self.children(parent):
            if child.name.casefold() == name.casefold():
                return child
        return None

    def _not_found(self, path: str, prefix: list[str], level: list[model.Code]) -> str:
        where = "at the top level" if len(prefix) == 1 else f"under {join_path(prefix[:-1])!r}"
        names = [c.name for c in level]
        close = difflib.get_close_matches(prefix[-1], names, n=3, cutoff=0.5)
        paths = [self.path(c) for c in self.codes]
        close_paths = difflib.get_close_matches(path, paths, n=3, cutoff=0.6)
        hint = close or close_paths
        suggestion = f"; did you mean {', '.join(repr(h) for h in hint)}?" if hint else ""
        return f"no code {prefix[-1]!r} {where}{suggestion}"
