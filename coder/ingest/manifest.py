"""The manifest: a CSV table naming each transcript file and its attributes.

One row per file. The `file` column (required) names the file as a file name or as a path
relative to the folder imported (`site-a/int01.docx`); an entry without an extension also
matches the file's name without one (`int01`). Matching ignores letter case and `\\` vs `/`.
An optional `participant` column names the person interviewed; an optional `speakers` column
maps the transcript's speaker labels to participants and roles (see `SpeakerMap`). Every other
column is an attribute whose type is inferred from all its non-empty values (see `infer_type`).

A separate speakers CSV (`read_speakers`) does the same with one row per label: columns
`label`, `participant` and `role`, and `file` to limit a row to one transcript.

The delimiter is `,`, `;` or tab, whichever splits the header into most columns (see
`coder.csvsafe`, which also refuses a quote left open); the encoding is UTF-8
(with or without BOM) or, failing that, a guessed legacy code page (Excel's "CSV" on Windows).
"""

from __future__ import annotations

import glob
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Literal

from coder import csvsafe
from coder.errors import InputError
from coder.ingest.speakers import SpeakerEntry, SpeakerMap, parse_speakers, speaker_entry
from coder.ingest.textio import decode, read_bytes
from coder.limits import MAX_BYTES
from coder.model import number_value
from coder.names import FieldProblem, clean_name

AttributeType = Literal["text", "number", "date"]
AttributeValue = str | int | float

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# Columns that are not attributes, found whatever their case.
_SPECIAL = ("file", "participant", "speakers")


def convert_value(raw: str, type_: AttributeType) -> AttributeValue:
    """A manifest cell as the value `infer_type` says it is: 12 an int, 1.5 a float."""
    if type_ == "number":
        number = number_value(raw)
        return raw if number is None else number
    return raw


def infer_type(values: Iterable[str]) -> AttributeType:
    """`number` when every non-empty value is a plain decimal number, `date` when every one is
    an ISO date (YYYY-MM-DD), else `text`.

    Deliberately conservative: `007` and `01` stay text (identifiers keep their zeros), so do
    numbers of more than 15 significant digits (record or phone numbers, which a float would
    round: see `coder.model.number_value`), `1,5`, `1e3`, and `03/04/2021`-style dates, which
    read differently in day-first and month-first countries; write them as `2021-04-03` to
    get a date. A column with no values is text.
    """
    present = [v.strip() for v in values if v.strip()]
    if not present:
        return "text"
    if all(number_value(v) is not None for v in present):
        return "number"
    if all(_is_date(v) for v in present):
        return "date"
    return "text"


def _is_date(value: str) -> bool:
    match = _ISO_DATE.fullmatch(value)
    if match is None:
        return False
    try:
        date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class ManifestRow:
    file: str
    line: int
    values: dict[str, str]
    speakers: SpeakerMap = field(default_factory=SpeakerMap)

    @property
    def participant(self) -> str | None:
        return self.values.get("participant") or None


@dataclass(frozen=True)
class ManifestMatch:
    """Which given file each row describes, and the given files no row describes."""

    rows: dict[Path, ManifestRow]
    unlisted: tuple[Path, ...]


@dataclass(frozen=True)
class Manifest:
    path: Path
    columns: tuple[str, ...]
    rows: tuple[ManifestRow, ...]
    types: dict[str, AttributeType] = field(default_factory=dict)

    @property
    def attributes(self) -> tuple[str, ...]:
        """The attribute columns: all but `file`, `participant` and `speakers`."""
        return tuple(c for c in self.columns if c not in _SPECIAL)

    def check(self, files: Sequence[Path]) -> ManifestMatch:
        return check_manifest(self, files)

    def match(self, files: Sequence[Path]) -> dict[Path, dict[str, str]]:
        """Each listed file's row (`file`, `participant` and attribute values as text)."""
        return {path: row.values for path, row in check_manifest(self, files).rows.items()}


def read_manifest(path: Path | str) -> Manifest:
    path = Path(path)
    records = _records(path)
    if not records:
        raise InputError(
            "the manifest is empty; it needs a header row with a 'file' column", path=path
        )
    header_at, header = records[0]
    columns = _columns(header, path, header_at)
    rows = _rows(records[1:], columns, path)
    attributes = [c for c in columns if c not in _SPECIAL]
    types = {c: infer_type(row.values[c] for row in rows) for c in attributes}
    return Manifest(path, columns, tuple(rows), types)


def read_speakers(path: Path | str) -> dict[str | None, SpeakerMap]:
    """A speakers CSV: each file entry's map (key None: rows for every file)."""
    path = Path(path)
    records = _records(path)
    if not records:
        raise InputError("the speakers file is empty; it needs a header row", path=path)
    header_at, header = records[0]
    columns = [c.strip().casefold() for c in header]
    if "label" not in columns or not {"participant", "role"} & set(columns):
        raise InputError(
            "a speakers CSV needs a 'label' column and a 'participant' or 'role' column "
            "(and optionally 'file')",
            path=path,
            line=header_at,
        )
    maps: dict[str | None, list[SpeakerEntry]] = {}
    for line, cells in records[1:]:
        values = dict(zip(columns, cells, strict=False))
        label = values.get("label", "")
        target = values.get("participant", "") or values.get("role", "")
        if not label or not target:
            raise InputError(
                "this row needs a label and a participant or a role", path=path, line=line
            )
        try:
            entry = speaker_entry(label, target, values.get("role", ""))
        except ValueError as error:
            raise InputError(str(error), path=path, line=line) from None
        key = _normalise_entry(values["file"]) if values.get("file") else None
        maps.setdefault(key, []).append(entry)
    return {key: SpeakerMap(tuple(entries)) for key, entries in maps.items()}


def speakers_for(maps: dict[str | None, SpeakerMap], file: Path) -> SpeakerMap:
    """The speakers CSV's map for one transcript: its own rows first, then rows for all."""
    found = SpeakerMap()
    for key, mapping in maps.items():
        if key is not None and _matches(file, key.split("/"), PurePosixPath(key).suffix == ""):
            found = found.merged(mapping)
    return found.merged(maps.get(None, SpeakerMap()))


def _records(path: Path) -> list[tuple[int, list[str]]]:
    raw = decode(read_bytes(path, MAX_BYTES), path).text
    text = raw.removeprefix("\ufeff")
    return [
        (line, [cell.strip() for cell in cells])
        for line, cells in csvsafe.records(text, path, csvsafe.sniff_delimiter(text))
        if any(cell.strip() for cell in cells)
    ]


def _columns(header: list[str], path: Path, line: int) -> tuple[str, ...]:
    while header and not header[-1]:
        header.pop()
    # `file`, `participant` and `speakers` are found whatever their case; attribute names stay
    # as written.
    columns = [c.casefold() if c.casefold() in _SPECIAL else c for c in header]
    if "file" not in columns:
        found = ", ".join(repr(c) for c in columns) or "none"
        raise InputError(
            f"the manifest has no 'file' column (columns found: {found}); "
            "add a column named 'file' giving each transcript's file name",
            path=path,
            line=line,
        )
    for index, column in enumerate(columns):
        if not column:
            raise InputError(f"column {index + 1} of the header has no name", path=path, line=line)
        try:
            clean_name(column, "a column")  # an attribute's name, under the rule for names
        except FieldProblem as exc:
            raise InputError(f"column {index + 1}: {exc}", path=path, line=line) from None
        if columns.index(column) != index:
            raise InputError(
                f"the column {column!r} appears twice in the header", path=path, line=line
            )
    return tuple(columns)


def _rows(
    records: list[tuple[int, list[str]]], columns: tuple[str, ...], path: Path
) -> list[ManifestRow]:
    rows: list[ManifestRow] = []
    seen: dict[str, int] = {}
    for line, cells in records:
        # Spreadsheets often pad rows with empty trailing cells: those are harmless.
        while len(cells) > len(columns) and not cells[-1]:
            cells.pop()
        if len(cells) != len(columns):
            raise InputError(
                f"this row has {len(cells)} cells but the header has {len(columns)} columns; "
                "check for a missing or extra delimiter, or quote values that contain one",
                path=path,
                line=line,
            )
        values = dict(zip(columns, cells, strict=True))
        name = values["file"]
        if not name:
            raise InputError(
                "the 'file' cell is empty; every row must name a file", path=path, line=line
            )
        key = _normalise_entry(name)
        if key in seen:
            raise InputError(
                f"{name!r} is listed twice (also on line {seen[key]}); keep one row per file",
                path=path,
                line=line,
            )
        seen[key] = line
        rows.append(ManifestRow(name, line, values, _row_speakers(values, path, line)))
    return rows


def _row_speakers(values: dict[str, str], path: Path, line: int) -> SpeakerMap:
    """The row's `speakers` cell, and a `participant` cell written as `Label=Name; ...`."""
    found = SpeakerMap()
    for column in ("speakers", "participant"):
        cell = values.get(column, "")
        if column == "participant" and "=" not in cell:
            continue
        try:
            found = found.merged(parse_speakers(cell, rename=column == "speakers"))
        except ValueError as error:
            raise InputError(f"the {column!r} cell: {error}", path=path, line=line) from None
    return found


def _normalise_entry(entry: str) -> str:
    parts = PurePosixPath(entry.replace("\\", "/").strip()).parts
    return "/".join(p for p in parts if p not in (".", "/")).casefold()


def check_manifest(manifest: Manifest, files: Sequence[Path]) -> ManifestMatch:
    """Match rows to files. A row naming a file that is neither among `files` nor on disk
    (beside the manifest) is an error listing every such row; a row for a file that exists but
    was not given is skipped, so part of a corpus can be imported with the whole manifest; a
    given file that no row names is only reported (in `unlisted`)."""
    from coder.ingest.readers import SUPPORTED_EXTENSIONS

    rows: dict[Path, ManifestRow] = {}
    missing: list[ManifestRow] = []
    # The files by name and by stem (their positions, in order): a row is matched against
    # the few files its last part can name, not every file, which took seconds for the
    # thousands of rows and files of a large study.
    by_name: dict[str, list[int]] = {}
    by_stem: dict[str, list[int]] = {}
    for i, file in enumerate(files):
        by_name.setdefault(file.name.casefold(), []).append(i)
        by_stem.setdefault(file.stem.casefold(), []).append(i)
    for row in manifest.rows:
        entry = _normalise_entry(row.file)
        parts = entry.split("/")
        bare = PurePosixPath(parts[-1]).suffix not in SUPPORTED_EXTENSIONS
        named = by_name.get(parts[-1], [])
        if bare:
            named = sorted({*named, *by_stem.get(parts[-1], [])})
        found = [files[i] for i in named if _matches(files[i], parts, bare)]
        if len(found) > 1:
            names = ", ".join(str(f) for f in found[:4])
            raise InputError(
                f"{row.file!r} matches several files ({names}); give its folder too, "
                "e.g. 'site-a/interview.docx'",
                path=manifest.path,
                line=row.line,
            )
        if not found:
            if not _on_disk(manifest.path.parent, row.file):
                missing.append(row)
            continue
        if found[0] in rows:
            raise InputError(
                f"{row.file!r} and {rows[found[0]].file!r} (line {rows[found[0]].line}) "
                f"both name {found[0]}; keep one row per file",
                path=manifest.path,
                line=row.line,
            )
        rows[found[0]] = row
    if missing:
        listed = ", ".join(f"{r.file} (line {r.line})" for r in missing[:10])
        more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
        raise InputError(
            f"{len(missing)} file(s) named in the manifest do not exist: {listed}{more}; "
            "check their names or remove their rows",
            path=manifest.path,
        )
    unlisted = tuple(f for f in files if f not in rows)
    return ManifestMatch(rows, unlisted)


def _on_disk(folder: Path, entry: str) -> bool:
    """Whether a manifest entry names an existing file, relative to the manifest's folder or
    anywhere below it (manifests often sit beside a folder of transcripts)."""
    name = entry.replace("\\", "/").strip()
    try:
        if (folder / name).is_file():
            return True
        base = PurePosixPath(name).name  # a file name, not a pattern: `*` matches only `*`
        return bool(base) and any(p.is_file() for p in folder.rglob(glob.escape(base)))
    except (OSError, ValueError):  # a name no file can have (too long, say)
        return False


def _matches(file: Path, parts: list[str], bare: bool) -> bool:
    tail = [p.casefold() for p in file.parts[-len(parts) :]]
    if len(tail) < len(parts) or tail[:-1] != parts[:-1]:
        return False
    return tail[-1] == parts[-1] or (bare and file.stem.casefold() == parts[-1])
