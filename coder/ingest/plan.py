"""What one import is made of, before anything is read: its options (`ImportOptions`), the
files its inputs name (`expand`: folders searched for transcripts), and its plan (`_plan`:
each file's document name, manifest row and speaker map, and the notes about them), from which
each file is prepared (`_prepare`). run.py reads and writes the files so planned; preview
reads them the same way and writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from coder.errors import InputError, UsageError
from coder.ingest import SUPPORTED_EXTENSIONS, Manifest, ManifestRow, read_manifest
from coder.ingest.manifest import read_speakers, speakers_for
from coder.ingest.naming import document_names
from coder.ingest.prepare import Prepared, prepare
from coder.ingest.sniff import ALIASES
from coder.ingest.speakers import SpeakerMap


@dataclass(frozen=True)
class ImportOptions:
    manifest: Path | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    interviewer_labels: tuple[str, ...] = ()
    replace: bool = False
    strict: bool = False
    speaker_pattern: str | None = None
    model: str | None = None
    # A speakers CSV: label, participant, role (and file) per row; see `read_speakers`.
    speakers: Path | None = None


def expand(inputs: Iterable[Path]) -> list[Path]:
    """Files as given, and inside folders (recursively, sorted) the files in a supported
    format or without an extension (those are sniffed by their content)."""
    files: list[Path] = []
    for item in inputs:
        if item.is_dir():
            files.extend(
                p
                for p in sorted(item.rglob("*"))
                if p.is_file()
                and _importable(p)
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


def _importable(path: Path) -> bool:
    suffix = path.suffix.lower()
    return suffix in SUPPORTED_EXTENSIONS or suffix in ALIASES or not suffix


def parse_attribute_options(pairs: Iterable[str]) -> dict[str, str]:
    attributes = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--attr expects KEY=VALUE, got {pair!r}")
        attributes[key.strip()] = value.strip()
    return attributes


@dataclass(frozen=True)
class _Plan:
    """The files of one import, with their names, manifest rows and speaker maps."""

    files: list[Path]
    names: dict[Path, str]
    manifest: Manifest | None
    rows: dict[Path, ManifestRow]
    speakers: dict[Path, SpeakerMap]
    notes: list[str]


def _plan(inputs: Iterable[Path], options: ImportOptions) -> _Plan:
    files = expand(inputs)
    notes: list[str] = []
    rows: dict[Path, ManifestRow] = {}
    manifest = read_manifest(options.manifest) if options.manifest is not None else None
    if manifest is not None:
        match = manifest.check(files)
        rows = match.rows
        if match.unlisted:
            notes.append(
                f"{len(match.unlisted)} file(s) not in the manifest have no attributes: "
                + ", ".join(f.name for f in match.unlisted[:5])
                + (" …" if len(match.unlisted) > 5 else "")
            )
    csv_maps = read_speakers(options.speakers) if options.speakers is not None else {}
    speakers = {}
    for file in files:
        row = rows.get(file)
        found = row.speakers if row is not None else SpeakerMap()
        speakers[file] = found.merged(speakers_for(csv_maps, file)) if csv_maps else found
    naming = document_names(files)
    notes.extend(naming.notes)
    return _Plan(files, naming.names, manifest, rows, speakers, notes)


def _prepare(plan: _Plan, path: Path, options: ImportOptions) -> Prepared:
    row = plan.rows.get(path)
    cell = row.participant if row is not None else None
    return prepare(
        path,
        plan.names[path],
        speakers=plan.speakers[path],
        participant="" if cell is None or "=" in cell else cell,
        speaker_pattern=options.speaker_pattern,
        interviewer_labels=options.interviewer_labels,
    )
