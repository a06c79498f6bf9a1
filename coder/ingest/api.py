"""Importing transcripts into a project: the facade behind `Project.import_files`.

Reading formats and loading spaCy take a while, so `coder.Project` imports this module only
when something is imported; the reading itself is in the pure modules beside it (`readers`,
`segment`, `manifest`, ...), the writing in `run`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from coder.ingest.preview import FilePreview
from coder.ingest.run import (
    FileOutcome,
    ImportOptions,
    ImportReport,
    Progress,
    parse_attribute_options,
    preview,
    run_import,
)
from coder.storage import Store

__all__ = [
    "FileOutcome",
    "FilePreview",
    "ImportOptions",
    "ImportReport",
    "Ingest",
    "Progress",
    "parse_attribute_options",
    "preview",
]


class Ingest:
    def __init__(self, store: Store) -> None:
        self._store = store

    def import_files(
        self,
        inputs: Iterable[str | Path],
        options: ImportOptions | None = None,
        *,
        actor: str | None = None,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Import transcripts (files or folders). Each file is one transaction; a bad file is
        reported in the result and the others go on, unless `options.strict`."""
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
