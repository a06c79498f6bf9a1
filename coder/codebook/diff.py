"""What changed in a codebook between two points of its history.

Codes are matched by their row id, which survives renames, moves, merges and undo, so a
renamed code is reported as renamed, not as one code removed and another added.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from coder import model
from coder.codebook.edit import EDITABLE
from coder.codebook.tree import CodeTree

ChangeKind = Literal["added", "removed", "renamed", "moved", "edited", "status"]

MARKS = {"added": "+", "removed": "-", "renamed": "~", "moved": ">", "edited": "*", "status": "!"}


@dataclass(frozen=True)
class CodeChange:
    kind: ChangeKind
    path: str  # where the code is at the later point (the earlier one for a removed code)
    before: str | None = None  # the earlier path, name, or status
    after: str | None = None
    fields: tuple[str, ...] = ()

    def describe(self) -> str:
        mark = MARKS[self.kind]
        if self.kind in ("added", "removed"):
            return f"{mark} {self.path}  ({self.kind})"
        if self.kind in ("renamed", "moved"):
            return f"{mark} {self.before} → {self.after}  ({self.kind})"
        if self.kind == "edited":
            return f"{mark} {self.path}  (edited: {', '.join(self.fields)})"
        return f"{mark} {self.path}  ({self.before} → {self.after})"


def _status(code: model.Code, tree: CodeTree) -> str:
    if code.status == "merged" and code.merged_into_id in tree.by_id:
        return f"merged into {tree.path(tree.by_id[code.merged_into_id])}"
    return code.status


def diff(before: list[model.Code], after: list[model.Code]) -> list[CodeChange]:
    """Changes from `before` to `after` (each every code, of any status), in the later tree's
    order, removed codes last."""
    old, new = CodeTree(before), CodeTree(after)
    changes: list[CodeChange] = []
    for code, _ in new.walk():
        path = new.path(code)
        was = old.by_id.get(code.id)
        if was is None:
            changes.append(CodeChange("added", path))
            continue
        old_path = old.path(was)
        if was.name != code.name:
            changes.append(CodeChange("renamed", path, old_path, path))
        elif old_path != path:
            changes.append(CodeChange("moved", path, old_path, path))
        # The content of the code; its name and place are reported apart.
        fields = tuple(f for f in EDITABLE if getattr(was, f) != getattr(code, f))
        if fields:
            changes.append(CodeChange("edited", path, fields=fields))
        if (was.status, was.merged_into_id) != (code.status, code.merged_into_id):
            changes.append(CodeChange("status", path, _status(was, old), _status(code, new)))
    for code, _ in old.walk():
        if code.id not in new.by_id:
            changes.append(CodeChange("removed", old.path(code)))
    return changes
