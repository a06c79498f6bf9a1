"""The public API: a `Project` is what the CLI, the TUI and your scripts work with.

    from coder import Project
    with Project.create("study.coder", title="Partnership study") as project:
        project.add_coder("amira")
        print(project.info())

A project lives in a SQLite file (the default) or a PostgreSQL database (for teams); the same
calls work on both.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from functools import cached_property
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Self, cast

from coder import model
from coder.access import Access
from coder.errors import CoderError, UsageError
from coder.history import describe

# Each feature, and the storage layer under them, is imported when first used: a command
# loads what it needs (`coder --help` no database library, `coder import` no pandas), and
# starting Python is a large part of a short command's time.
if TYPE_CHECKING:
    from coder.agreement.api import Agreement, Disagreement, Unit
    from coder.attributes.api import Attributes
    from coder.codebook.api import Codebook
    from coder.coding.api import Coding
    from coder.exchange.api import Exchange
    from coder.ingest.api import FilePreview, ImportBatch, ImportOptions, ImportReport, Progress
    from coder.matrix.api import Matrices
    from coder.memos.api import Memos
    from coder.reconcile.api import Reconciliation
    from coder.reports.api import Reports
    from coder.saturation.api import Saturation
    from coder.storage import Store
    from coder.team.api import Team

WaitNotice = Callable[[str], None]


def tell_stderr(message: str) -> None:
    """The default `on_wait`: one line on stderr, where a command's output does not go."""
    print(f"coder: {message}", file=sys.stderr, flush=True)


def known_failure(error: BaseException) -> CoderError | None:
    """A database failure that escaped a command (a locked, damaged, read-only or unreachable
    project) as the one-line `CoderError` it deserves; None for anything else, which is a bug."""
    if "coder.storage" not in sys.modules:
        return None  # no database was opened, so none failed (click's exits come by here too)
    from coder.storage import explain_failure

    return explain_failure(error)


class Project:
    """A project, opened by someone: `as_coder` says who reads (see coder/access.py). While
    the project is blind, a coder reads only their own codings and a lead reads everything;
    on a PostgreSQL team connection the connection says who is reading."""

    def __init__(self, store: Store, *, as_coder: str | None = None) -> None:
        self._store = store
        self._access = Access(as_coder)

    # -- the features, each made on first use ------------------------------------------------

    @cached_property
    def agreement(self) -> Agreement:
        """Called, project.agreement(coders, unit) is the agreement report; its methods give
        the other measures (project.agreement.unitized(...), .character, .overlap, .confusion)."""
        from coder.agreement.api import Agreement

        return Agreement(self._store, self._access)

    @cached_property
    def attributes(self) -> Attributes:
        from coder.attributes.api import Attributes

        return Attributes(self._store)

    @cached_property
    def codebook(self) -> Codebook:
        from coder.codebook.api import Codebook

        return Codebook(self._store)

    @cached_property
    def coding(self) -> Coding:
        from coder.coding.api import Coding

        return Coding(self._store, self._access)

    @cached_property
    def memos(self) -> Memos:
        from coder.memos.api import Memos

        return Memos(self._store)

    @cached_property
    def reconcile(self) -> Reconciliation:
        from coder.reconcile.api import Reconciliation

        return Reconciliation(self._store, self._access)

    @cached_property
    def exchange(self) -> Exchange:
        from coder.exchange.api import Exchange

        return Exchange(self._store, self._access)

    @cached_property
    def matrices(self) -> Matrices:
        from coder.matrix.api import Matrices

        return Matrices(self._store, self._access)

    @cached_property
    def team(self) -> Team:
        from coder.team.api import Team

        return Team(self._store)

    @cached_property
    def saturation(self) -> Saturation:
        from coder.saturation.api import Saturation

        return Saturation(self._store, self._access)

    @cached_property
    def reports(self) -> Reports:
        from coder.reports.api import Reports

        return Reports(self._store, self._access)

    # -- lifecycle -------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        location: str | Path,
        *,
        title: str | None = None,
        as_coder: str | None = None,
        on_wait: WaitNotice | None = tell_stderr,
    ) -> Project:
        """Create a new, empty project at the current schema version."""
        from coder.lifecycle import create_store

        return cls(create_store(str(location), title=title, on_wait=on_wait), as_coder=as_coder)

    @classmethod
    def open(
        cls,
        location: str | Path,
        *,
        as_coder: str | None = None,
        on_wait: WaitNotice | None = tell_stderr,
    ) -> Project:
        """Open an existing project, upgrading its schema first if it is older (SQLite files
        are copied to a backup beside them before the upgrade, and only one of several
        processes opening it at once upgrades it). `as_coder` names who is reading, for the
        blind phase's rule (on a team connection the connection says it).

        A change waits while another process is writing to the same SQLite file, for up to
        `coder.limits.lock_wait()` seconds; `on_wait` is told once, in words, what it waits
        for (by default on stderr; None says nothing). A file you may read but not write
        opens read-only: changes are refused with a `ProjectError` saying so."""
        from coder.storage import Store

        return cls(Store.open(str(location), on_wait=on_wait), as_coder=as_coder)

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- about the project -----------------------------------------------------------------

    @property
    def as_coder(self) -> str | None:
        """Who the caller said is reading (None: nobody named)."""
        return self._access.as_coder

    @property
    def location(self) -> str:
        return self._store.display

    @property
    def upgraded_from(self) -> str | None:
        """The schema version the project had before `open` upgraded it, if it did."""
        return self._store.upgraded_from

    @property
    def backup_path(self) -> Path | None:
        return self._store.backup_path

    def info(self) -> model.ProjectInfo:
        from coder.storage import schema_head

        with self._store.read() as tx:
            created = tx.setting("created_at")
            return model.ProjectInfo(
                title=str(tx.setting("title", "")),
                location=self.location,
                backend=self._store.backend,
                schema_version=self._store.schema_version(),
                schema_head=schema_head(),
                phase=cast(model.Phase, tx.setting("phase", "open")),
                counts=tx.counts(),
                created_at=datetime.fromisoformat(created) if created else None,
            )

    @property
    def title(self) -> str:
        with self._store.read() as tx:
            return str(tx.setting("title", ""))

    def set_title(self, title: str, *, actor: str | None = None) -> None:
        if not title.strip():
            raise UsageError("a project title cannot be empty")
        with self._store.write(actor) as tx:
            tx.set_setting("title", title.strip())

    # -- phases and agreement ----------------------------------------------------------------

    @property
    def phase(self) -> model.Phase:
        with self._store.read() as tx:
            return cast(model.Phase, tx.setting("phase", "open"))

    def set_phase(self, phase: model.Phase, *, actor: str | None = None) -> None:
        """open: everyone sees every coding; blind: each coder sees only their own; reconcile:
        the lead compares and decides."""
        if phase not in model.PHASES:
            raise UsageError(f"phase {phase!r} is not one of {', '.join(model.PHASES)}")
        with self._store.write(actor) as tx:
            tx.set_setting("phase", phase)

    def disagreements(
        self,
        coders: Sequence[str],
        unit: Unit = "sentence",
        *,
        documents: Sequence[str] | None = None,
    ) -> list[Disagreement]:
        return self.agreement.disagreements(coders, unit, documents=documents)

    # -- coders ----------------------------------------------------------------------------

    def coders(self) -> list[model.Coder]:
        with self._store.read() as tx:
            return tx.coders()

    def add_coder(
        self, name: str, role: model.CoderRole = "coder", *, actor: str | None = None
    ) -> model.Coder:
        if not name.strip():
            raise UsageError("a coder needs a name")
        if role not in model.CODER_ROLES:
            raise UsageError(f"unknown role {role!r}; use one of {', '.join(model.CODER_ROLES)}")
        with self._store.write(actor) as tx:
            return tx.add_coder(name, role)

    # -- documents -------------------------------------------------------------------------

    def import_files(
        self,
        inputs: Iterable[str | Path] | ImportBatch,
        options: ImportOptions | None = None,
        *,
        actor: str | None = None,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Import transcripts (files or folders). Each file is one transaction; a bad file is
        reported in the result and the others go on, unless `options.strict`.

        `inputs` may also be a batch whose reading started before the project was opened
        (`coder.ingest.api.start_reading(inputs, options)`, a context manager; its options
        are the batch's): its files are read, and spaCy loaded, while the project opens."""
        # Imported on first use: reading formats and loading spaCy is not needed to open a project.
        from coder.ingest.api import Ingest

        return Ingest(self._store).import_files(inputs, options, actor=actor, progress=progress)

    def preview_import(
        self, inputs: Iterable[str | Path], options: ImportOptions | None = None
    ) -> tuple[list[FilePreview], list[str]]:
        """What `import_files` would make of each file, writing nothing: format, encoding,
        speaker convention, speakers and turns, warnings, and whether each file is new here,
        a duplicate or in the way of a document of the same name. Also the batch's notes."""
        from coder.ingest.api import Ingest

        return Ingest(self._store).preview(inputs, options)

    def documents(self) -> list[model.DocumentSummary]:
        with self._store.read() as tx:
            return tx.document_summaries()

    def document(self, name: str) -> model.Document:
        with self._store.read() as tx:
            return tx.document(name)

    def segments(self, document: str, kind: model.SegmentKind = "turn") -> list[model.Segment]:
        with self._store.read() as tx:
            return tx.segments(tx.document(document).id, kind)

    def document_segments(
        self, document: str, kinds: Sequence[model.SegmentKind]
    ) -> tuple[model.Document, dict[model.SegmentKind, list[model.Segment]]]:
        """The document and its segments of each of `kinds`, read together: one transaction
        and one look-up of the document (its whole text) rather than one for each."""
        with self._store.read() as tx:
            found = tx.document(document)
            return found, tx.segments_of(found.id, kinds)

    # -- history ---------------------------------------------------------------------------

    def undo(self, *, actor: str | None = None) -> str:
        """Undo `actor`'s latest action still in effect; returns what was undone, in words."""
        with self._store.write(actor) as tx:
            return f"Undid: {describe(tx.undo())}"

    def redo(self, *, actor: str | None = None) -> str:
        with self._store.write(actor) as tx:
            return f"Redid: {describe(tx.redo())}"

    def events(
        self,
        limit: int | None = 50,
        *,
        since: datetime | int | None = None,
        who: str | None = None,
        action: str | None = None,
    ) -> list[model.Event]:
        """The most recent entries of the event log, newest first: at most `limit` (None for
        all), from `since` (a moment, or an event id), by `who`, of `action` ("code.rename",
        or "code" for every code.* action)."""
        with self._store.read() as tx:
            return tx.events(limit, since=since, actor=who, action=action)
