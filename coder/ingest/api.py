"""Importing transcripts into a project: the facade behind `Project.import_files`.

Reading formats and loading spaCy take a while, so `coder.Project` imports this module only
when something is imported; the reading itself is in the pure modules beside it (`readers`,
`segment`, `manifest`, ...), the writing in `run`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from coder.errors import UsageError
from coder.ingest.plan import ImportOptions, parse_attribute_options
from coder.ingest.preview import FilePreview
from coder.ingest.run import (
    FileOutcome,
    ImportBatch,
    ImportReport,
    Progress,
    preview,
    run_import,
    start_reading,
    write_batch,
)

if TYPE_CHECKING:
    from coder.storage import Store

__all__ = [
    "FileOutcome",
    "FilePreview",
    "ImportBatch",
    "ImportOptions",
    "ImportReport",
    "Ingest",
    "Progress",
    "parse_attribute_options",
    "preview",
    "start_reading",
]


class Ingest:
    def __init__(self, store: Store) -> None:
        self._store = store

    def import_files(
        self,
        inputs: Iterable[str | Path] | ImportBatch,
        options: ImportOptions | None = None,
        *,
        actor: str | None = None,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Import transcripts (files or folders). Each file is one transaction; a bad file is
        reported in the result and the others go on, unless `options.strict`. `inputs` may be
        a batch already being read (`start_reading`), with its own options."""
        if isinstance(inputs, ImportBatch):
            if options is not None:
                raise UsageError("a batch being read has its options already")
            return write_batch(self._store, inputs, actor=actor, progress=progress)
        return run_import(
            self._store,
            [Path(i) for i in inputs],
            options or ImportOptions(),
            actor=actor,
            progress=progress,
        )

    def preview(
        self, inputs: Iterable[str | Path], options: ImportOptions | None = None
    ) -> tuple[list[FilePreview], list[str]]:
        """What `import_files` would make of each file, writing nothing, and whether each is
        new to the project, a duplicate, or in the way of a document of the same name; also
        the batch's notes (see `coder.ingest.run.preview`)."""
        return preview([Path(i) for i in inputs], options or ImportOptions(), self._store)
