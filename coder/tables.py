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


def text_table(frame: pd.DataFrame, digits: int = 3) -> str:
    """Aligned columns: text left, numbers right."""
    import pandas as pd

    header = [str(c) for c in frame.columns]
    rows = [[cell(v, digits) for v in row] for row in frame.itertuples(index=False)]
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(header)]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]

    def line(values: list[str]) -> str:
        return "  ".join(
            v.rjust(w) if n else v.ljust(w) for v, w, n in zip(values, widths, numeric, strict=True)
        ).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


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
