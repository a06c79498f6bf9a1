"""`project.codebook`: the codebook part of the public API."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from coder import model
from coder.codebook import edit
from coder.codebook import load as loading
from coder.codebook.diff import CodeChange
from coder.codebook.diff import diff as code_diff
from coder.codebook.files import read_codebook, write_codebook
from coder.codebook.load import LoadReport
from coder.codebook.spec import CodebookSpec
from coder.codebook.tree import CodeTree
from coder.storage import Store


class Codebook:
    """Read and edit a project's codebook. Every edit is one transaction and can be undone."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def tree(self, *, include_inactive: bool = False) -> CodeTree:
        """The live codes (active, and split ones awaiting recoding), or every code."""
        statuses = model.CODE_STATUSES if include_inactive else ("active", "split")
        with self._store.read() as tx:
            return CodeTree(tx.codes(statuses))

    def code(self, path: str) -> model.Code:
        return self.tree().find(path)

    def diff(
        self, since: int | datetime | None = None, until: int | datetime | None = None
    ) -> list[CodeChange]:
        """What changed in the codebook between two points of history, each an event id (as
        `coder log` shows), a moment (the last event at or before it), or None: the project's
        creation for `since`, now for `until`."""
        with self._store.read() as tx:
            points = [
                point if isinstance(point, int) else tx.last_event_id(point)
                for point in (since or 0, until)
            ]
            after = tx.codes_at(points[1]) if until is not None else tx.codes(model.CODE_STATUSES)
            return code_diff(tx.codes_at(points[0]), after)

    def coding_counts(self) -> dict[int, int]:
        with self._store.read() as tx:
            return tx.coding_counts()

    def add(
        self, name: str, *, parent: str | None = None, actor: str | None = None, **fields: Any
    ) -> model.Code:
        with self._store.write(actor) as tx:
            return edit.add(tx, name, parent=parent, **fields)

    def rename(
        self, path: str, new_name: str, *, seen_version: int | None = None, actor: str | None = None
    ) -> model.Code:
        with self._store.write(actor) as tx:
            return edit.rename(tx, path, new_name, seen_version=seen_version)

    def edit(
        self,
        path: str,
        *,
        seen_version: int | None = None,
        actor: str | None = None,
        **fields: Any,
    ) -> model.Code:
        with self._store.write(actor) as tx:
            return edit.edit(tx, path, fields, seen_version=seen_version)

    def move(self, path: str, new_parent: str | None, *, actor: str | None = None) -> model.Code:
        with self._store.write(actor) as tx:
            return edit.move(tx, path, new_parent)

    def merge(self, source: str, target: str, *, actor: str | None = None) -> tuple[int, int]:
        with self._store.write(actor) as tx:
            return edit.merge(tx, source, target)

    def split(self, path: str, into: list[str], *, actor: str | None = None) -> list[model.Code]:
        with self._store.write(actor) as tx:
            return edit.split(tx, path, into)

    def retire(self, path: str, *, actor: str | None = None) -> model.Code:
        with self._store.write(actor) as tx:
            return edit.retire(tx, path)

    def load(self, file: str | Path, *, actor: str | None = None) -> tuple[LoadReport, list[str]]:
        """Load a codebook file (.yaml/.yml, .qdc or .csv) into the project: new codes are
        added, codes it already has are updated in place (matched by id, guid or path), and
        none is dropped. Returns the report and the file's warnings."""
        spec, warnings = read_codebook(Path(file))
        with self._store.write(actor) as tx:
            return loading.load(tx, spec), warnings

    def spec(self) -> CodebookSpec:
        with self._store.read() as tx:
            return loading.export(tx)

    def export(self, fmt: str) -> bytes:
        """The active codebook as yaml, qdc, md or tex."""
        return write_codebook(self.spec(), fmt)

    def delete(self, path: str, *, force: bool = False, actor: str | None = None) -> int:
        with self._store.write(actor) as tx:
            return edit.delete(tx, path, force=force)
