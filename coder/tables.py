"""Plain tables for the terminal and for Markdown, from pandas frames."""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd


def cell(value: Any, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def text_table(frame: pd.DataFrame, digits: int = 3, width: int | None = None) -> str:
    """Aligned columns: text left, numbers right; folded to `width` characters if given."""
    import pandas as pd

    header = [str(c) for c in frame.columns]
    rows = [[cell(v, digits) for v in row] for row in frame.itertuples(index=False)]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]
    return layout([header], rows, numeric, width)


GAP = "  "
LABEL_ROOM = 24  # the narrowest the first column is made before the others fold


def layout(
    headers: list[list[str]],
    rows: list[list[str]],
    right: list[bool],
    width: int | None = None,
) -> str:
    """Header lines, a rule and rows, each column as wide as its widest cell: text left,
    numbers right (`right`). Given a terminal `width`, a table wider than it is made to fit
    rather than wrapped by the terminal into noise: first the first column's labels are
    shortened (a code path keeps its first and last parts), then the other columns fold into
    blocks one under the other, each block repeating the first column. Where a header row
    names a group over several columns (two header lines), the name shows once per block."""
    table = [*headers, *rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(headers[0]))]
    if width is not None and _span(widths) > width:
        # Room for every path's last part, if half the width holds it.
        leaves = max((len(row[0].rsplit("/", 1)[-1]) + 2 for row in rows), default=0)
        room = max(LABEL_ROOM, width - _span(widths[1:]) - len(GAP), min(leaves, width // 2))
        rows = [[shorten(row[0], room), *row[1:]] for row in rows]
        widths[0] = max(len(r[0]) for r in [*headers, *rows])
    if width is not None and _span(widths) > width:
        blocks = _blocks(widths, width)
    else:
        blocks = [list(range(len(widths)))]
    out = []
    for columns in blocks:
        shown = [[r[i] for i in columns] for r in headers]
        if len(shown) == 2:
            top = shown[0]
            shown[0] = [v if i < 2 or v != top[i - 1] else "" for i, v in enumerate(top)]
        sizes = [widths[i] for i in columns]
        flags = [right[i] for i in columns]
        lines = [
            *(_line(values, sizes, flags) for values in shown),
            _line(["-" * w for w in sizes], sizes, flags),
            *(_line([r[i] for i in columns], sizes, flags) for r in rows),
        ]
        out.append("\n".join(lines))
    return "\n\n".join(out)


def _line(values: list[str], sizes: list[int], right: list[bool]) -> str:
    return GAP.join(
        v.rjust(w) if r else v.ljust(w) for v, w, r in zip(values, sizes, right, strict=True)
    ).rstrip()


def _span(widths: list[int]) -> int:
    """How wide columns of these widths are, set side by side."""
    return sum(widths) + len(GAP) * max(0, len(widths) - 1)


def _blocks(widths: list[int], width: int) -> list[list[int]]:
    """Column blocks that each fit `width` with the first column repeated (a block always
    takes at least one column, however narrow the terminal)."""
    blocks: list[list[int]] = []
    current = [0]
    used = widths[0]
    for i in range(1, len(widths)):
        if len(current) > 1 and used + len(GAP) + widths[i] > width:
            blocks.append(current)
            current, used = [0], widths[0]
        current.append(i)
        used += len(GAP) + widths[i]
    blocks.append(current)
    return blocks


def shorten(label: str, room: int) -> str:
    """`label` in at most `room` characters: a path "A/B/C/D" keeps its first and last parts
    ("A/…/D"), then its last ("…/D"), whose end is cut with "…" if it is still too long."""
    if len(label) <= room:
        return label
    parts = label.split("/")
    if len(parts) > 2 and len(f"{parts[0]}/…/{parts[-1]}") <= room:
        return f"{parts[0]}/…/{parts[-1]}"
    tail = f"…/{parts[-1]}" if len(parts) > 1 else label
    return tail if len(tail) <= room else tail[: max(1, room - 1)] + "…"


def markdown_table(frame: pd.DataFrame, digits: int = 3) -> str:
    import pandas as pd

    header = [str(c) for c in frame.columns]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]
    lines = [
        "| " + " | ".join(h.replace("|", "\\|") for h in header) + " |",
        "| " + " | ".join("---:" if n else "---" for n in numeric) + " |",
    ]
    for row in frame.itertuples(index=False):
        values = [cell(v, digits).replace("|", "\\|") for v in row]
        lines.append("| " + " | ".join(values) + " |")
    return "\n".join(lines)


def json_ready(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Records with NaN as None, numpy scalars as Python numbers."""
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return [{str(k): _plain(v) for k, v in r.items()} for r in records]


def json_safe(value: Any) -> Any:
    """`value` with every float that JSON cannot carry (NaN, ±infinity) made None, so that
    `json.dumps(..., allow_nan=False)` never writes the non-JSON `NaN` or `Infinity`."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    return value


def _plain(value: Any) -> Any:
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        return value.item()
    if isinstance(value, tuple):
        return list(value)
    return value


LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    # In LaTeX's default font encoding these print as other characters.
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}
_LATEX_PATTERN = re.compile("|".join(re.escape(c) for c in LATEX_SPECIAL))


def latex_escape(text: str) -> str:
    """Text that LaTeX prints as written. One pass, so that escapes are never escaped again."""
    return _LATEX_PATTERN.sub(lambda m: LATEX_SPECIAL[m.group()], text)
