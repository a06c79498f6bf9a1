"""Importing transcripts: files and folders in, documents with segments and people out.

Each file is read, segmented and written in its own transaction, so a bad file fails alone
and never leaves half a document behind; with `strict`, the whole batch is one transaction.
Files are read one at a time, so memory stays bounded however large the corpus.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from coder import model
from coder.errors import CoderError, InputError, UsageError
from coder.ingest import (
    SUPPORTED_EXTENSIONS,
    Manifest,
    ParsedTranscript,
    convert_value,
    infer_type,
    load_pipeline,
    read_manifest,
    read_transcript,
    segment_many,
    speaker_role,
)
from coder.storage import Store, Transaction

Status = Literal["imported", "replaced", "duplicate", "failed"]
Progress = Callable[[int, int, Path], None]


@dataclass(frozen=True)
class ImportOptions:
    manifest: Path | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    interviewer_labels: tuple[str, ...] = ()
    replace: bool = False
    strict: bool = False
    speaker_pattern: str | None = None
    model: str | None = None


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


def expand(inputs: Iterable[Path]) -> list[Path]:
    """Files as given, and the supported files inside folders (recursively, sorted)."""
    files: list[Path] = []
    for item in inputs:
        if item.is_dir():
            files.extend(
                p
                for p in sorted(item.rglob("*"))
                if p.is_file()
                and p.suffix.lower() in SUPPORTED_EXTENSIONS
                and not any(part.startswith(".") for part in p.relative_to(item).parts)
            )
        elif item.exists():
            files.append(item)
        else:
            raise InputError("no such file or folder", path=item)
    if not files:
        raise UsageError(
            "no transcripts found; supported formats: " + ", ".join(sorted(SUPPORTED_EXTENSIONS))
        )
    return files


def parse_attribute_options(pairs: Iterable[str]) -> dict[str, str]:
    attributes = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--attr expects KEY=VALUE, got {pair!r}")
        attributes[key.strip()] = value.strip()
    return attributes


def run_import(
    store: Store,
    inputs: Iterable[Path],
    options: ImportOptions,
    *,
    actor: str | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    files = expand(inputs)
    manifest = read_manifest(options.manifest) if options.manifest else None
    report = ImportReport()
    rows_for = _match_manifest(manifest, files, report) if manifest is not None else {}
    nlp = load_pipeline(options.model)

    batch: AbstractContextManager[Transaction | None] = (
        store.write(actor) if options.strict else nullcontext()
    )
    with batch as shared:
        for done, path in enumerate(files, start=1):
            outcome = _import_one(
                store, shared, path, rows_for.get(path), manifest, options, nlp, actor
            )
            if outcome.status == "failed" and options.strict:
                raise InputError(f"{outcome.message} (--strict: nothing was imported)", path=path)
            report.outcomes.append(outcome)
            if progress is not None:
                progress(done, len(files), path)
    return report


def _match_manifest(
    manifest: Manifest, files: list[Path], report: ImportReport
) -> dict[Path, dict[str, str]]:
    matched = manifest.match(files)
    unlisted = [f for f in files if f not in matched]
    if unlisted:
        report.notes.append(
            f"{len(unlisted)} file(s) not in the manifest were imported without attributes: "
            + ", ".join(f.name for f in unlisted[:5])
            + (" …" if len(unlisted) > 5 else "")
        )
    return matched


def _import_one(
    store: Store,
    shared: Transaction | None,
    path: Path,
    row: dict[str, str] | None,
    manifest: Manifest | None,
    options: ImportOptions,
    nlp: Any,
    actor: str | None,
) -> FileOutcome:
    name = path.stem
    try:
        parsed = read_transcript(path, speaker_pattern=options.speaker_pattern)
        sha256 = hashlib.sha256(parsed.text.encode("utf-8")).hexdigest()
        with _transaction(store, shared, actor) as tx:
            duplicate = tx.find_document(sha256=sha256)
            if duplicate is not None:
                return FileOutcome(
                    path, "duplicate", duplicate.name, f"same content as {duplicate.name!r}"
                )
            status: Status = "imported"
            existing = tx.find_document(name=name)
            if existing is not None:
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
            details = _write(tx, path, name, parsed, sha256, row, manifest, options, nlp)
        return FileOutcome(path, status, name, details)
    except CoderError as error:
        message = error.detail if isinstance(error, InputError) else str(error)
        return FileOutcome(path, "failed", None, message)


def _transaction(
    store: Store, shared: Transaction | None, actor: str | None
) -> AbstractContextManager[Transaction]:
    if shared is not None:
        return nullcontext(shared)
    return store.write(actor)


def _write(
    tx: Transaction,
    path: Path,
    name: str,
    parsed: ParsedTranscript,
    sha256: str,
    row: dict[str, str] | None,
    manifest: Manifest | None,
    options: ImportOptions,
    nlp: Any,
) -> str:
    document = tx.add_document(
        name=name,
        text=parsed.text,
        sha256=sha256,
        source_name=path.name,
        source_format=parsed.format,
        encoding=parsed.encoding,
        file_sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
    )
    roles, guessed = roles_of_speakers(parsed, options.interviewer_labels)
    attributes = _attributes(row, manifest, options)
    people = link_participants(tx, document, parsed, roles, row, attributes)

    doc_attributes = {}
    for key, (value, type_) in attributes.items():
        attribute = tx.ensure_attribute("document", key, type_)
        tx.set_attribute_value(attribute, document.id, value)
        doc_attributes[key] = (value, type_)

    segments = []
    for spec in segment_many([parsed], nlp)[0]:
        speaker = spec.speaker
        segments.append(
            {
                "kind": spec.kind,
                "start": spec.start,
                "end": spec.end,
                "speaker": speaker,
                "speaker_role": roles.get(speaker) if speaker is not None else None,
                "participant_id": people.get(speaker) if speaker is not None else None,
                "started_at": spec.started_at,
                "ended_at": spec.ended_at,
            }
        )
    tx.add_segments(document, segments)

    turns = sum(1 for s in segments if s["kind"] == "turn")
    sentences = sum(1 for s in segments if s["kind"] == "sentence")
    parts = [f"{turns} turns, {sentences} sentences"]
    if parsed.convention:
        parts.append(f"speaker labels: {parsed.convention}")
    if guessed:
        parts.append(f"interviewer guessed: {guessed} (override with --interviewer)")
    if parsed.encoding_guessed and parsed.encoding:
        parts.append(f"encoding guessed: {parsed.encoding}")
    parts.extend(parsed.warnings)
    return "; ".join(parts)


def roles_of_speakers(
    parsed: ParsedTranscript, interviewer_labels: tuple[str, ...]
) -> tuple[dict[str, model.SpeakerRole], str | None]:
    """Each speaker's role. When no label is a known interviewer label, the speaker who asks
    the most questions is taken as the interviewer, and that guess is reported."""
    labels = list(dict.fromkeys(t.speaker for t in parsed.turns if t.speaker is not None))
    roles: dict[str, model.SpeakerRole] = {
        label: speaker_role(label, interviewer_labels) for label in labels
    }
    if len(labels) < 2 or "interviewer" in roles.values():
        return roles, None
    questions: Counter[str] = Counter()
    for turn in parsed.turns:
        if turn.speaker is not None and parsed.text[turn.start : turn.end].rstrip().endswith("?"):
            questions[turn.speaker] += 1
    if not questions:
        return roles, None
    asker, _ = questions.most_common(1)[0]
    roles[asker] = "interviewer"
    return roles, asker


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
            if key in ("file", "participant") or raw == "":
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
    """Link the document's participants and return speaker label → participant id.

    The manifest's `participant` cell names the participant of a one-to-one interview, or maps
    several speakers as `Label=Name; Label=Name`. Otherwise each participant speaker becomes
    a participant of its own named `document/label`: people are never merged by a shared
    first name. New participants take the document's attributes (site, role...).
    """
    speakers = [label for label, role in roles.items() if role == "participant"]
    given = (row or {}).get("participant", "").strip()
    names: dict[str, str] = {}
    if "=" in given:
        for part in given.split(";"):
            label, _, person = part.partition("=")
            if label.strip() and person.strip():
                names[label.strip()] = person.strip()
    elif given:
        if len(speakers) > 1:
            raise InputError(
                f"the manifest names one participant ({given!r}) but the transcript has "
                f"{len(speakers)} participant speakers ({', '.join(speakers)}); map them as "
                "'Label=Name; Label=Name' in the participant column"
            )
        if speakers:
            names[speakers[0]] = given
        else:
            names[""] = given
    for label in speakers:
        names.setdefault(label, f"{document.name}/{label}")

    people: dict[str, int] = {}
    for label, person in names.items():
        participant = tx.ensure_participant(person)
        tx.link_participant(document.id, participant.id, label or None)
        if label:
            people[label] = participant.id
        for key, (value, type_) in attributes.items():
            attribute = tx.ensure_attribute("participant", key, type_)
            tx.set_attribute_value(attribute, participant.id, value)
    return people
