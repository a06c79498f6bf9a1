"""Reading untrusted CSV (manifests, codebook tables, codings files) the same way everywhere.

- The delimiter is the one of `,`, `;` and tab that the header uses most, counted outside
  quoted column names (a `;` inside "site; region" does not count).
- Quotes are read strictly: a quote opened and never closed is an error naming the line it
  was opened on, rather than a cell that silently swallows every row after it.
- A cell may be as long as a whole file (`coder.limits.MAX_BYTES`): the csv module's own
  limit (131,072 characters) is below a long coded passage.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path

from coder.errors import InputError
from coder.limits import MAX_BYTES, read_limited

DELIMITERS = (",", ";", "\t")
_QUOTED = re.compile(r'"(?:[^"]|"")*"')

# The limit is process-wide in the csv module; every file is bounded by MAX_BYTES anyway.
csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES))


def sniff_delimiter(text: str) -> str:
    """The delimiter the first non-empty line uses most outside quoted cells (`,` on a tie)."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    unquoted = _QUOTED.sub("", header)
    return max(DELIMITERS, key=unquoted.count)


def records(
    text: str, path: str | Path | None, delimiter: str = ","
) -> Iterator[tuple[int, list[str]]]:
    """(line the record starts on, its cells) for each record, blank ones included. Raises
    `InputError` naming the line for broken quoting."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise InputError(_explain(error), path=path, line=start) from None
        yield start, cells


def _explain(error: csv.Error) -> str:
    reason = str(error)
    if "unexpected end of data" in reason:
        return (
            'a quote (") opened in this row is never closed, so the rest of the file would '
            'be one cell; close it, and write a quote inside a quoted cell as two ("")'
        )
    if "expected after" in reason:
        return (
            f"a quoted cell goes on after its closing quote ({reason}); put the whole cell in "
            'quotes and write a quote inside it as two ("")'
        )
    if "field larger than" in reason:
        return f"a cell is longer than the {MAX_BYTES:,}-character limit"
    if "NUL" in reason or "null" in reason.lower():
        return "the file contains NUL characters; is it really a CSV text file?"
    return f"cannot read the CSV ({reason})"


def table(
    path: Path, what: str, columns: Sequence[str], required: Collection[str]
) -> tuple[list[dict[str, str]], list[int]]:
    """A comma-separated UTF-8 file with a header row, read whole and checked: its rows as
    dicts by column name (blank rows skipped) and the line each starts on. `what` names the
    file in the size limit's message; unknown or missing columns, a row longer than the
    header and broken quoting are `InputError`s naming the line."""
    data = read_limited(path, what)
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(f"not UTF-8 text ({exc.reason})", path=path, line=line) from None
    found = records(raw, path)
    first = next(found, None)
    header = [h.strip() for h in first[1]] if first else []
    missing = set(required) - set(header)
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(sorted(missing))}; found {', '.join(header) or 'none'} "
            f"(expected {','.join(columns)})",
            path=path,
            line=1,
        )
    unknown = set(header) - set(columns)
    if unknown:
        raise InputError(f"unknown column(s) {', '.join(sorted(unknown))}", path=path, line=1)
    rows, lines = [], []
    for line, cells in found:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            raise InputError(
                f"this row has {len(cells)} cells but the header has {len(header)} columns; "
                "quote cells that contain a comma",
                path=path,
                line=line,
            )
        rows.append({k: v.strip("\r") for k, v in zip(header, cells, strict=False)})
        lines.append(line)
    return rows, lines
