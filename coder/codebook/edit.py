"""Editing a project's codebook: add, rename, move, merge, split, retire, delete, edit fields.

Each operation runs inside the caller's transaction, logs one event, and records its changes,
so that it can be undone and shows in `codebook diff`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from coder import model
from coder.codebook.checks import (
    FieldProblem,
    check_color,
    check_key,
    check_kind,
    check_patterns,
    clean_keyword,
    clean_name,
    clean_text,
)
from coder.codebook.tree import CodeTree
from coder.errors import ConflictError, UsageError
from coder.limits import depth_problem
from coder.storage import Transaction

EDITABLE = (
    "definition",
    "include",
    "exclude",
    "examples",
    "source",
    "color",
    "key",
    "keywords",
    "patterns",
    "kind",
    "exclusive",
)


def live_tree(tx: Transaction) -> CodeTree:
    return CodeTree(tx.codes())


def _check_name(tree: CodeTree, parent: model.Code | None, name: str, *, moving: int = 0) -> str:
    """The codebook's name rule (one line, no control characters), then no clash."""
    try:
        name = clean_name(name)
    except FieldProblem as exc:
        raise UsageError(str(exc)) from None
    clash = tree.find_child(parent, name)
    if clash is not None and clash.id != moving:
        where = f"under {tree.path(parent)!r}" if parent else "at the top level"
        raise ConflictError(f"there is already a code {clash.name!r} {where}")
    return name


def _check_depth(tree: CodeTree, parent: model.Code | None, code: model.Code | None = None) -> None:
    """Refuse to put a code (with its sub-codes, when it is moved) deeper than the limit."""
    depth = 0 if parent is None else len(tree.ancestors(parent)) + 1
    below = 0 if code is None else tree.height(code)
    if problem := depth_problem(depth + below):
        raise UsageError(problem)


# The codebook's own field rules, so that an edit accepts exactly what a codebook file may hold.
_RULES: dict[str, Callable[[Any], Any]] = {
    "definition": clean_text,
    "include": clean_text,
    "exclude": clean_text,
    "examples": lambda items: [clean_text(item) for item in items],
    "source": clean_text,
    "color": check_color,
    "key": check_key,
    "keywords": lambda items: [clean_keyword(item) for item in items],
    "patterns": check_patterns,
    "kind": check_kind,
}


def check_fields(tree: CodeTree, fields: dict[str, Any], *, code_id: int = 0) -> None:
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise UsageError(f"cannot set {', '.join(sorted(unknown))} on a code")
    for name, value in fields.items():
        if value is None and name in ("color", "key"):
            continue
        try:
            fields[name] = _RULES[name](value)
        except FieldProblem as exc:
            message = str(exc)
            raise UsageError(
                f"{name} {message}" if message.startswith("contains") else message
            ) from None
        except (TypeError, AttributeError):
            raise UsageError(f"{name} {value!r} is not a value a code can hold") from None
    key = fields.get("key")
    if key is not None:
        holder = next((c for c in tree.codes if c.key == key and c.id != code_id), None)
        if holder is not None:
            raise ConflictError(f"key {key!r} is already the shortcut of {tree.path(holder)!r}")


def add(tx: Transaction, name: str, *, parent: str | None = None, **fields: Any) -> model.Code:
    tree = live_tree(tx)
    parent_code = tree.find(parent) if parent else None
    name = _check_name(tree, parent_code, name)
    _check_depth(tree, parent_code)
    check_fields(tree, fields)
    values: dict[str, Any] = {"name": name, "parent_id": parent_code.id if parent_code else None}
    values.update(fields)
    code = tx.add_code(values, log=False)
    tx.log("code.add", "code", code.id, {"path": CodeTree([*tree.codes, code]).path(code)})
    return code


def rename(
    tx: Transaction, path: str, new_name: str, *, seen_version: int | None = None
) -> model.Code:
    tree = live_tree(tx)
    code = tree.find(path)
    parent = tree.by_id.get(code.parent_id) if code.parent_id is not None else None
    new_name = _check_name(tree, parent, new_name, moving=code.id)
    edited = tx.edit_code(code, {"name": new_name}, seen_version=seen_version)
    tx.log("code.rename", "code", code.id, {"path": path, "name": new_name})
    return edited


def edit(
    tx: Transaction, path: str, fields: dict[str, Any], *, seen_version: int | None = None
) -> model.Code:
    tree = live_tree(tx)
    code = tree.find(path)
    check_fields(tree, fields, code_id=code.id)
    edited = tx.edit_code(code, fields, seen_version=seen_version)
    tx.log("code.edit", "code", code.id, {"path": path, "fields": sorted(fields)})
    return edited


def move(
    tx: Transaction, path: str, new_parent: str | None, *, seen_version: int | None = None
) -> model.Code:
    tree = live_tree(tx)
    code = tree.find(path)
    target = tree.find(new_parent) if new_parent else None
    if target is not None and (target.id == code.id or target in tree.descendants(code)):
        raise ConflictError(f"cannot move {path!r} under itself or one of its sub-codes")
    _check_name(tree, target, code.name, moving=code.id)
    _check_depth(tree, target, code)
    edited = tx.edit_code(
        code, {"parent_id": target.id if target else None}, seen_version=seen_version
    )
    tx.log("code.move", "code", code.id, {"path": path, "to": new_parent or ""})
    return edited


def merge(tx: Transaction, source_path: str, target_path: str) -> tuple[int, int]:
    """Merge a code into another: its codings, sub-codes and memos go to the survivor, and it
    is kept as `merged` (pointing at the survivor) for the record. Returns (moved, dropped):
    codings moved, and codings dropped because the survivor already had the same span."""
    tree = live_tree(tx)
    source, target = tree.find(source_path), tree.find(target_path)
    if source.id == target.id:
        raise UsageError("cannot merge a code into itself")
    if target in tree.descendants(source):
        raise ConflictError(f"cannot merge {source_path!r} into one of its own sub-codes")
    for child in tree.children(source):
        _check_name(tree, target, child.name)
        _check_depth(tree, target, child)
    moved, dropped = tx.move_codings(source, target)
    tx.move_children(source, target)
    tx.move_memos(source, target)
    tx.edit_code(source, {"status": "merged", "merged_into_id": target.id, "key": None})
    tx.log(
        "code.merge",
        "code",
        source.id,
        {"path": source_path, "into": target_path, "moved": moved, "dropped": dropped},
    )
    return moved, dropped


def split(tx: Transaction, path: str, into: list[str]) -> list[model.Code]:
    """Split a code into new sibling codes. The old code keeps its codings, marked `split`,
    so they can be found and recoded into the new ones."""
    if len(into) < 2:
        raise UsageError("split a code into at least two new codes")
    tree = live_tree(tx)
    code = tree.find(path)
    parent = tree.by_id.get(code.parent_id) if code.parent_id is not None else None
    names = [_check_name(tree, parent, name) for name in into]
    if len({n.casefold() for n in names}) != len(names):
        raise UsageError("the new codes need distinct names")
    created = [
        tx.add_code({"name": n, "parent_id": code.parent_id, "kind": code.kind}, log=False)
        for n in names
    ]
    tx.edit_code(code, {"status": "split", "key": None})
    tx.log(
        "code.split",
        "code",
        code.id,
        {"path": path, "into": names, "to_recode": tx.codings_of(code.id)},
    )
    return created


def retire(tx: Transaction, path: str) -> model.Code:
    """Take a code out of use: it stays in reports with its codings but is no longer offered
    for coding, and its shortcut key is freed."""
    tree = live_tree(tx)
    code = tree.find(path)
    if tree.children(code):
        raise ConflictError(f"{path!r} has sub-codes; retire or move them first")
    retired = tx.edit_code(code, {"status": "retired", "key": None})
    tx.log("code.retire", "code", code.id, {"path": path})
    return retired


def delete(tx: Transaction, path: str, *, force: bool = False) -> int:
    """Delete a code. Refused while it has codings unless `force` (they go too, and come back
    with undo). Returns the number of codings deleted."""
    tree = live_tree(tx)
    code = tree.find(path)
    if tree.children(code):
        raise ConflictError(f"{path!r} has sub-codes; delete or move them first")
    count = tx.codings_of(code.id)
    if count and not force:
        raise ConflictError(
            f"{path!r} has {count} codings; merge it into another code, retire it, "
            "or delete with --force (undo brings them back)"
        )
    tx.delete_code(code)
    tx.log("code.delete", "code", code.id, {"path": path, "codings": count})
    return count
