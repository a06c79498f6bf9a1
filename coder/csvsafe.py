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
from collections.abc import Iterator
from pathlib import Path

from coder.errors import InputError
from coder.limits import MAX_BYTES

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
