"""Importing transcripts: files and folders in, documents with segments and people out.

Each file is read, segmented and written in its own transaction, so a bad file fails alone
and never leaves half a document behind; with `strict`, the whole batch is one transaction.
Files are read one at a time (the next one while the current one is written), so memory
stays bounded however large the corpus. `preview` reads the same files the same way and
writes nothing. What an import is made of before anything is read (its options, files and
plan) is in plan.py.
"""

from __future__ import annotations

import gc
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import AbstractContextManager, ExitStack, contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from coder import model
from coder.errors import CoderError, InputError, UsageError
from coder.ingest import (
    Manifest,
    ParsedTranscript,
    convert_value,
    infer_type,
    load_pipeline,
    segment_many,
)
from coder.ingest.ahead import Failure, reader
from coder.ingest.model import SegmentRow
from coder.ingest.plan import ImportOptions, _Plan, _plan, _prepare
from coder.ingest.prepare import Prepared, participant_names, speaker_roles
from coder.ingest.preview import FilePreview, failure, summarise
from coder.userregex import PatternTimeout

# The storage layer is the writer's, imported by whoever opened the project: reading a batch
# can start before, in a process that then holds none of it.
if TYPE_CHECKING:
    from coder.storage import Store, Transaction

Status = Literal["imported", "replaced", "duplicate", "failed"]
Progress = Callable[[int, int, Path], None]


@dataclass(frozen=True)
class FileOutcome:
    path: Path
    status: Status
    document: str | None = None
    message: str = ""


@dataclass
class ImportReport:
    outcomes: list[FileOutcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def count(self, *statuses: Status) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status in statuses)

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def summary(self) -> str:
        return (
            f"{self.count('imported', 'replaced')} imported, "
            f"{self.count('duplicate')} skipped as duplicates, {self.count('failed')} failed"
        )


class ImportBatch:
    """The files of one import, planned and being read ahead of their writing: made by
    `start_reading`, written by `write_batch` (once). Reading needs no project, so a batch
    can start before the project is opened, and its reader loads spaCy meanwhile."""

    def __init__(self, plan: _Plan, options: ImportOptions, stack: ExitStack) -> None:
        self.plan = plan
        self.options = options
        # The next file is read and segmented while this one is written: writing waits on the
        # database (the disk, or PostgreSQL's server), and reading need not wait with it. One
        # file ahead at most, so memory stays bounded; written in order. Started before the
        # project's connection is opened, a forked reader (for a batch: see
        # coder.ingest.ahead) holds none of it.
        self._read_next = reader(
            stack,
            len(plan.files),
            partial(_read, plan, options=options),
            _message,
            partial(_ready, options.model),
        )
        self._ahead = [self._read_next(path) for path in plan.files[:1]]
        self._written = False

    @property
    def files(self) -> list[Path]:
        return self.plan.files

    def next_reading(self, done: int) -> Future[_Read | Failure]:
        """The reading of file `done` (0-based), the one after it started."""
        if done + 1 < len(self.plan.files):
            self._ahead.append(self._read_next(self.plan.files[done + 1]))
        return self._ahead.pop(0)


@contextmanager
def start_reading(inputs: Iterable[Path], options: ImportOptions) -> Iterator[ImportBatch]:
    """Plan an import (its files, names, manifest rows and speakers) and start reading its
    first file. A named spaCy pipeline is loaded here, so that a missing one is said before
    anything is read; the default one is loaded where the files are read."""
    plan = _plan(inputs, options)
    if options.model is not None:
        load_pipeline(options.model)
    with ExitStack() as stack:
        yield ImportBatch(plan, options, stack)


def _ready(model: str | None) -> None:
    """Where files are read, before the first: the pipeline loaded. What is loaded by then is
    most of the process's objects and lives as long as it does: left out of the collector's
    full passes (see `write_batch`)."""
    load_pipeline(model)
    gc.freeze()


def run_import(
    store: Store,
    inputs: Iterable[Path],
    options: ImportOptions,
    *,
    actor: str | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    with start_reading(inputs, options) as batch:
        return write_batch(store, batch, actor=actor, progress=progress)


def write_batch(
    store: Store,
    batch: ImportBatch,
    *,
    actor: str | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Write each file of `batch` as its reading comes: one transaction per file, or with
    `strict` one for the whole batch."""
    if batch._written:
        raise UsageError("this import batch was written already; start reading it again")
    batch._written = True
    plan, options = batch.plan, batch.options
    report = ImportReport(notes=list(plan.notes))

    # Strict: one transaction for the whole batch. Otherwise one per file, committed alone,
    # on one connection (see `Store.writes`).
    each: Callable[[], AbstractContextManager[Transaction]]
    with ExitStack() as stack:
        # What is loaded by now (SQLAlchemy's tables and statements; spaCy's vocabulary where
        # files are read in this process) is most of the process's objects and lives as long
        # as it does: left out of the collector's full passes while the batch runs, which
        # would otherwise walk all of them again and again (a third of a second for 200
        # transcripts). Back in its care afterwards.
        gc.freeze()
        stack.callback(gc.unfreeze)
        if options.strict:
            each = _within(stack.enter_context(store.write(actor)))
        else:
            each = stack.enter_context(store.writes(actor))
        for done, path in enumerate(plan.files, start=1):
            outcome = _import_one(each, plan, path, options, batch.next_reading(done - 1))
            if outcome.status == "failed" and options.strict:
                raise InputError(f"{outcome.message} (--strict: nothing was imported)", path=path)
            report.outcomes.append(outcome)
            if progress is not None:
                progress(done, len(plan.files), path)
    return report


def _within(shared: Transaction) -> Callable[[], AbstractContextManager[Transaction]]:
    """Each file's "transaction" in a strict import: the batch's one."""
    return lambda: nullcontext(shared)


def preview(
    inputs: Iterable[Path], options: ImportOptions, store: Store | None = None
) -> tuple[list[FilePreview], list[str]]:
    """What importing would do with each file, writing nothing; with a project, whether each
    is new, a duplicate or in the way of a document of the same name. Also the batch's notes."""
    plan = _plan(inputs, options)
    previews = []
    for path in plan.files:
        try:
            prepared = _prepare(plan, path, options)
        except CoderError as error:
            previews.append(failure(path, plan.names[path], _message(error)))
            continue
        found = summarise(prepared)
        if store is not None:
            found = _against(store, found, _sha256(prepared.parsed.text))
        previews.append(found)
    return previews, plan.notes


def _against(store: Store, found: FilePreview, sha256: str) -> FilePreview:
    with store.read() as tx:
        duplicate, taken = tx.same_document(found.document, sha256)
    if duplicate is not None:
        return replace(found, status="duplicate", existing=duplicate)
    if taken:
        return replace(found, status="exists", existing=found.document)
    return found


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _message(error: CoderError) -> str:
    """The error without the file's path, which the report shows already, but with its line."""
    if not isinstance(error, InputError):
        return str(error)
    return f"line {error.line}: {error.detail}" if error.line is not None else error.detail


@dataclass(frozen=True)
class _Read:
    """A file read and segmented, ready to be written: what writing needs of it.

    The parsed transcript comes without its turns: writing stores the text, and the turns as
    the segments `rows` carry (with everything else a turn is), so sending them too from a
    reader process would cost a Python object per turn and paragraph, made twice."""

    prepared: Prepared
    sha256: str  # of the text as stored
    file_sha256: str  # of the file as read, for the log's audit trail
    rows: Sequence[SegmentRow]  # the segments, in `SegmentSpec`'s field order

    def __reduce__(self) -> tuple[Any, ...]:
        # From a reader process, the segments travel as plain tuples, and stay plain: pickle
        # builds a named tuple through a Python call each, most of the cost of sending a file.
        rows = [tuple(row) for row in self.rows]
        return (_Read, (self.prepared, self.sha256, self.file_sha256, rows))


def _read(plan: _Plan, path: Path, options: ImportOptions) -> _Read:
    """Everything about a file that needs no database: the slow part of importing it."""
    prepared = _prepare(plan, path, options)
    nlp = load_pipeline(options.model)  # loaded once per process
    parsed = prepared.parsed
    return _Read(
        replace(prepared, parsed=replace(parsed, turns=())),
        _sha256(parsed.text),
        hashlib.sha256(path.read_bytes()).hexdigest(),
        segment_many([parsed], nlp)[0],
    )


def _import_one(
    transaction: Callable[[], AbstractContextManager[Transaction]],
    plan: _Plan,
    path: Path,
    options: ImportOptions,
    reading: Future[_Read | Failure],
) -> FileOutcome:
    name = plan.names[path]
    try:
        read = reading.result()  # raises what reading the file raised
        if isinstance(read, Failure):
            raise read.error()
        with transaction() as tx:
            duplicate, taken = tx.same_document(name, read.sha256)
            if duplicate is not None:
                return FileOutcome(path, "duplicate", duplicate, f"same content as {duplicate!r}")
            status: Status = "imported"
            if taken:
                existing = tx.document(name)
                if not options.replace:
                    raise InputError(
                        f"a document named {name!r} already exists with different content; "
                        "use --replace to replace it",
                        path=path,
                    )
                codings = tx.coding_count(existing.id)
                if codings:
                    raise InputError(
                        f"cannot replace {name!r}: it has {codings} codings that would be lost; "
                        "export them first (coder codings export) or import under another name",
                        path=path,
                    )
                tx.delete_document(existing)
                status = "replaced"
            row = plan.rows.get(path)
            details = _write(tx, read, row.values if row else None, plan.manifest, options)
        return FileOutcome(path, status, name, details)
    except PatternTimeout:
        raise  # the pattern, not the file, is at fault: it would fail on the next file too
    except CoderError as error:
        return FileOutcome(path, "failed", None, _message(error))


def _write(
    tx: Transaction,
    read: _Read,
    row: dict[str, str] | None,
    manifest: Manifest | None,
    options: ImportOptions,
) -> str:
    prepared, rows = read.prepared, read.rows
    parsed = prepared.parsed
    document = tx.add_document(
        name=prepared.name,
        text=parsed.text,
        sha256=read.sha256,
        source_name=prepared.path.name,
        source_format=parsed.format,
        encoding=parsed.encoding,
        file_sha256=read.file_sha256,
    )
    roles = prepared.roles
    attributes = _attributes(row, manifest, options)
    notes: list[str] = []
    people = _link_people(tx, document, prepared.people, attributes, notes)

    tx.set_attributes("document", document.id, attributes, new_owner=True)

    # Tuples in the storage's column order, built in one pass: a transcript has thousands.
    segments = [
        (
            kind,
            start,
            end,
            speaker,
            None if speaker is None else roles.get(speaker),
            # A paragraph's or sentence's participant is its turn's, stored on the turn.
            people.get(speaker) if kind == "turn" and speaker is not None else None,
            started_at,
            ended_at,
        )
        for kind, start, end, speaker, started_at, ended_at, _ in rows
    ]
    tx.add_segment_rows(document, segments)

    kinds = Counter(row[0] for row in rows)
    turns, sentences = kinds["turn"], kinds["sentence"]
    parts = [f"{turns} turns, {sentences} sentences"]
    if parsed.format_note:
        parts.append(parsed.format_note)
    if parsed.convention:
        parts.append(f"speaker labels: {parsed.convention}")
    if prepared.guessed:
        parts.append(f"interviewer guessed: {prepared.guessed} (override with --interviewer)")
    if parsed.encoding_guessed and parsed.encoding:
        parts.append(f"encoding guessed: {parsed.encoding}")
    parts.extend(prepared.warnings)
    parts.extend(notes)
    return "; ".join(parts)


def roles_of_speakers(
    parsed: ParsedTranscript, interviewer_labels: tuple[str, ...]
) -> tuple[dict[str, model.SpeakerRole], str | None]:
    """Each speaker's role (see `coder.ingest.prepare.speaker_roles`)."""
    return speaker_roles(parsed, interviewer_labels)


def _attributes(
    row: dict[str, str] | None, manifest: Manifest | None, options: ImportOptions
) -> dict[str, tuple[model.AttributeValue, model.AttributeType]]:
    """--attr values for every file, then the manifest's row for this file on top."""
    values: dict[str, tuple[model.AttributeValue, model.AttributeType]] = {}
    for key, raw in options.attributes.items():
        type_ = infer_type([raw])
        values[key] = (convert_value(raw, type_), type_)
    if row is not None and manifest is not None:
        for key, raw in row.items():
            if key not in manifest.types or raw == "":
                continue
            type_ = manifest.types[key]
            values[key] = (convert_value(raw, type_), type_)
    return values


def link_participants(
    tx: Transaction,
    document: model.Document,
    parsed: ParsedTranscript,
    roles: dict[str, model.SpeakerRole],
    row: dict[str, str] | None,
    attributes: dict[str, tuple[model.AttributeValue, model.AttributeType]],
) -> dict[str, int]:
    """Link the document's participants (see `participant_names`) and return speaker label →
    participant id."""
    given = (row or {}).get("participant", "")
    names = participant_names(document.name, roles, "" if "=" in given else given)
    return _link_people(tx, document, names, attributes)


def _link_people(
    tx: Transaction,
    document: model.Document,
    names: dict[str, str],
    attributes: dict[str, tuple[model.AttributeValue, model.AttributeType]],
    notes: list[str] | None = None,
) -> dict[str, int]:
    """Link each named participant to the document and return speaker label → participant id.

    A participant takes the document's attributes (site, role...) that they do not have yet: a
    second interview with the same person (a later period, say) adds to what is known of them
    but never rewrites it, so their groups in matrices stay those of their first interview.
    A value that differs is kept on the document and named in `notes`."""
    people: dict[str, int] = {}
    for label, person in names.items():
        participant, added = tx.find_or_add_participant(person)
        tx.link_participant(document.id, participant.id, label or None)
        if label:
            people[label] = participant.id
        known = {} if added else tx.owner_attribute_values("participant", participant.id)
        new = {key: given for key, given in attributes.items() if key not in known}
        if new:
            tx.set_attributes("participant", participant.id, new, new_owner=added)
        differ = [
            key
            for key, (value, _) in attributes.items()
            if key in known and known[key] != model.value_text(value)
        ]
        if differ and notes is not None:
            notes.append(
                f"participant {person} keeps {', '.join(differ)} from an earlier interview "
                "(this one's values stay on the document)"
            )
    return people
