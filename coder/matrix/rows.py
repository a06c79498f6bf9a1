"""Which codes are a matrix's rows, and which codings each row counts.

A level names the rows:

- `codes`: every live code (active or split), each counting only its own codings;
- `themes`: the codes of kind `theme`, and each `organizing-theme` with no theme below it
  (it is its own theme); a codebook with no kinds at all uses its top-level codes;
- `top`: the top-level codes;
- a number N: the live codes at depth N (1 is the top level);
- a code path: the children of that code.

At every level but `codes` a row counts its own codings and those of all its descendants
(retired and merged ones too: their codings are still evidence), and the measures count each
stretch of text once, however many of the row's codes cover it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from coder import model
from coder.codebook.tree import CodeTree
from coder.errors import NotFoundError, UsageError

LEVELS = ("codes", "themes", "top")
LIVE: tuple[model.CodeStatus, ...] = ("active", "split")


@dataclass(frozen=True)
class Rows:
    """Row labels (code paths, in codebook order) and, for each row, the codes it counts."""

    labels: list[str]
    members: pd.DataFrame  # code (id), row (index into labels)
    rolled_up: bool

    def total(self) -> Rows:
        """One row counting every code of these rows (for totals)."""
        codes = self.members[["code"]].drop_duplicates().assign(row=0)
        return Rows(labels=["Total"], members=codes.reset_index(drop=True), rolled_up=True)


def select_rows(tree: CodeTree, level: str = "codes", codes: Sequence[str] = ()) -> Rows:
    """The rows for `level`, kept to the named codes and those under them when `codes` is given."""
    chosen, rolled_up = _level(tree, level.strip())
    if codes:
        branches = {tree.find(path).id for path in codes}
        chosen = [c for c in chosen if c.id in branches or _under(tree, c, branches)]
        if not chosen:
            named = ", ".join(repr(p) for p in codes)
            raise UsageError(
                f"no {level} row is {named} or under it; try --level codes, or name a "
                "code higher up"
            )
    pairs: list[tuple[int, int]] = []
    for index, code in enumerate(chosen):
        pairs.append((code.id, index))
        if rolled_up:
            pairs += [(d.id, index) for d in tree.descendants(code)]
    members = pd.DataFrame(pairs, columns=["code", "row"], dtype="int64")
    return Rows(labels=[tree.path(c) for c in chosen], members=members, rolled_up=rolled_up)


def _under(tree: CodeTree, code: model.Code, branches: set[int]) -> bool:
    return any(a.id in branches for a in tree.ancestors(code))


def _level(tree: CodeTree, level: str) -> tuple[list[model.Code], bool]:
    ordered = [(code, depth) for code, depth in tree.walk() if code.status in LIVE]
    if level == "codes":
        return [c for c, _ in ordered], False
    if level == "themes":
        kinds = {c.kind for c, _ in ordered}
        if not kinds & {"theme", "organizing-theme"}:
            return [c for c, depth in ordered if depth == 0], True
        themes = [c for c, _ in ordered if c.kind == "theme"]
        for code, _ in ordered:
            if code.kind == "organizing-theme" and not any(
                d.kind == "theme" for d in tree.descendants(code)
            ):
                themes.append(code)
        order = {c.id: i for i, (c, _) in enumerate(ordered)}
        return sorted(themes, key=lambda c: order[c.id]), True
    if level == "top":
        return [c for c, depth in ordered if depth == 0], True
    if level.isdigit():
        depth = int(level)
        if depth < 1:
            raise UsageError("a level number counts from 1 (the top-level codes)")
        found = [c for c, d in ordered if d == depth - 1]
        if not found:
            raise UsageError(f"the codebook has no codes at depth {depth}")
        return found, True
    try:
        parent = tree.find(level)
    except NotFoundError as error:
        raise NotFoundError(
            f"--level takes codes, themes, top, a depth (1, 2...) or a code path: {error}"
        ) from None
    children = [c for c in tree.children(parent) if c.status in LIVE]
    if not children:
        raise UsageError(
            f"{tree.path(parent)!r} has no sub-codes to make rows of; use --level codes, "
            f"themes, top, a depth, or a code with sub-codes"
        )
    return children, True
