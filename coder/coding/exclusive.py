"""Mutually exclusive codes: a code marked `exclusive` in the codebook (Place, Phase) has
sub-codes that are alternatives, so a passage (one coder's coding of one span) carries at
most one of them, with its own sub-codes (Place/Clinic and Place/Clinic/Ward go together,
Place/Clinic and Place/Home do not). Coding refuses a second alternative; `coder check`
reports those that arrived another way (an import, a reconciliation, a codebook edit)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Any, cast

from coder import model
from coder.codebook.tree import CodeTree

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Clash:
    """A passage carrying two or more alternatives of an exclusive code."""

    document: str
    coder: str
    start: int
    end: int
    dimension: str  # the exclusive code's path
    codes: tuple[str, ...]  # the paths of the codes that clash, in codebook order


def alternatives(tree: CodeTree, code: model.Code) -> list[tuple[model.Code, model.Code]]:
    """For each exclusive ancestor of `code`: (that ancestor, its child on `code`'s path)."""
    line = [*tree.ancestors(code), code]
    return [(above, below) for above, below in pairwise(line) if above.exclusive]


def refusal(tree: CodeTree, code: model.Code, present: list[model.Code]) -> str | None:
    """Why `code` cannot join a passage already carrying `present`, or None."""
    for dimension, branch in alternatives(tree, code):
        for other in present:
            for other_dimension, other_branch in alternatives(tree, other):
                if other_dimension.id == dimension.id and other_branch.id != branch.id:
                    return (
                        f"{tree.path(dimension)!r} takes one code per passage, and this "
                        f"passage already carries {tree.path(other)!r}; remove that coding "
                        "first, or code a different span"
                    )
    return None


def clashes(tree: CodeTree, codings: pd.DataFrame) -> list[Clash]:
    """The passages of `codings` (document, coder, start, end, code_id) that carry two
    alternatives of an exclusive code."""
    by_id = tree.by_id
    order = {code.id: i for i, code in enumerate(tree.codes)}
    found: list[Clash] = []
    passages = codings.groupby(["document", "coder", "start", "end"], sort=True)
    for key, group in passages:
        document, coder, start, end = cast(tuple[Any, Any, Any, Any], key)
        branches: dict[int, dict[int, list[model.Code]]] = {}
        for code_id in sorted(set(group["code_id"]), key=lambda i: order.get(int(i), 0)):
            code = by_id[int(code_id)]
            for dimension, branch in alternatives(tree, code):
                branches.setdefault(dimension.id, {}).setdefault(branch.id, []).append(code)
        for dimension_id, chosen in branches.items():
            if len(chosen) > 1:
                found.append(
                    Clash(
                        document=str(document),
                        coder=str(coder),
                        start=int(start),
                        end=int(end),
                        dimension=tree.path(by_id[dimension_id]),
                        codes=tuple(tree.path(c) for codes in chosen.values() for c in codes),
                    )
                )
    return found
