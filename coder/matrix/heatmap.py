"""A heatmap of any matrix, sized for a paper figure, as PNG or SVG bytes.

Matplotlib is used through its object API on the Agg canvas (no display, no global pyplot
state) and imported only when a picture is asked for. The palette is ColorBrewer's YlGnBu,
sequential and safe for colour-blind readers and greyscale printing; every cell is annotated
with its value (zeros in grey, so that what is there stands out). SVG keeps its text as text,
so labels can be searched and edited.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from coder.matrix import export
from coder.matrix.measures import EVIDENCE, TOTAL
from coder.matrix.result import Matrix

PALETTE = "YlGnBu"
FONT_SIZE = 8.0
CELL_WIDTH = 0.42  # inches
CELL_HEIGHT = 0.26
MAX_WIDTH = 7.2  # a two-column paper figure
MAX_HEIGHT = 9.0  # a page, less its margins and caption
MIN_ROW = 0.17
INDENT = 9.0  # points per level of the code tree
LABEL_CHARS = 48


def short_labels(paths: Sequence[str]) -> list[str]:
    """The last part of each code path, with its parent's when two rows would read the same;
    very long names are shortened with an ellipsis."""
    last = [_parts(p)[-1] for p in paths]
    labels = []
    for path, name in zip(paths, last, strict=True):
        parts = _parts(path)
        labels.append(" / ".join(parts[-2:]) if last.count(name) > 1 else name)
    return [
        label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…" for label in labels
    ]


def _parts(path: str) -> list[str]:
    parts: list[str] = []
    current = ""
    escaped = False
    for char in path:
        if escaped:
            current += char
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "/":
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def values_of(frame: pd.DataFrame) -> pd.DataFrame:
    """The cells a heatmap shows: no evidence column, no totals."""
    columns = [
        c for c in frame.columns if (c[0] if isinstance(c, tuple) else c) not in (EVIDENCE, TOTAL)
    ]
    return frame.loc[[r for r in frame.index if r != TOTAL], columns]


def _annotation(value: float, share: bool) -> str:
    if share:
        return f"{value * 100:.0f}%"
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _text_colour(rgba: Any) -> str:
    red, green, blue = rgba[:3]
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return "white" if luminance < 0.5 else "#1a1a1a"


COLOUR_LABELS = {
    "segments": "Coded segments",
    "sentences": "Coded sentences",
    "documents": "Documents",
    "participants": "Participants mentioning",
    "presence": "Present",
    "share": "Participants mentioning (%)",
    "coverage": "Text coded (%)",
}


def _colour_label(matrix: Matrix) -> str:
    measure = matrix.measure
    if matrix.is_cooccurrence:
        return "Documents" if measure == "documents" else "Co-occurrences"
    if measure == "sentences":
        return f"Coded {matrix.unit or 'sentence'}s"
    return COLOUR_LABELS.get(measure, measure)


@dataclass(frozen=True)
class Line:
    """One display row: a matrix row (`index`), or a heading above some (index None)."""

    label: str
    index: int | None
    bold: bool = False
    indent: int = 0


def row_layout(paths: Sequence[str]) -> list[Line]:
    """How the rows are shown. Rows that include their own sub-rows (level `codes`) are
    indented by depth, with the rows that have sub-rows in bold. Otherwise rows under several
    parents (level `themes`) get a heading for each parent, and a top-level row among them
    (a theme with no sub-codes) a heading of its own, so that every block is labelled."""
    parts = [_parts(p) for p in paths]
    labels = short_labels(paths)
    depths = [len(p) - 1 for p in parts]
    prefixes = {tuple(p[:k]) for p in parts for k in range(1, len(p))}
    if any(tuple(p) in prefixes for p in parts):
        top = min(depths)
        return [
            Line(label, i, bold=tuple(parts[i]) in prefixes, indent=depths[i] - top)
            for i, label in enumerate(labels)
        ]
    parents = [" / ".join(p[:-1]) for p in parts]
    if len(set(parents)) < 2:
        return [Line(label, i) for i, label in enumerate(labels)]
    layout: list[Line] = []
    previous: str | None = None
    for i, (label, parent) in enumerate(zip(labels, parents, strict=True)):
        block = parent or " / ".join(parts[i])
        if block != previous:
            layout.append(Line(block, None))
        layout.append(Line(label, i))
        previous = block
    return layout


def render(matrix: Matrix, fmt: str = "png", *, title: str | None = None) -> bytes:
    """The heatmap as PNG (300 dpi) or SVG bytes."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import colormaps, rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import Normalize
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    shown = values_of(matrix.frame)
    values = shown.to_numpy(dtype=float).reshape(len(shown.index), len(shown.columns))
    layout = row_layout([str(r) for r in shown.index])
    data = np.full((len(layout), values.shape[1]), np.nan)
    for position, line in enumerate(layout):
        if line.index is not None:
            data[position] = values[line.index]
    n_rows, n_cols = data.shape
    share = export.is_share(matrix)
    split = shown.columns.nlevels == 2
    row_labels = [line.label if line.index is not None else "" for line in layout]
    if matrix.is_cooccurrence:
        column_labels = short_labels([str(c) for c in shown.columns])
    elif split:
        column_labels = [str(c[1]) for c in shown.columns]
    else:
        column_labels = [str(c) for c in shown.columns]
    label_lines = max([label.count("\n") + 1 for label in row_labels] or [1])
    longest = max([len(line) for label in row_labels for line in label.split("\n")] or [4])
    deepest = max([line.indent for line in layout] or [0])
    label_width = 0.3 + longest * FONT_SIZE * 0.0072 + deepest * INDENT / 72
    rotate = max([len(c) for c in column_labels] or [1]) > 3
    longest_column = max([len(c) for c in column_labels] or [1])
    top = 0.45 + (0.22 if split else 0) + (0.3 if title else 0)
    top += longest_column * FONT_SIZE * 0.0052 if rotate else 0
    width = min(MAX_WIDTH, label_width + max(n_cols, 1) * CELL_WIDTH + 1.1)
    row_height = CELL_HEIGHT * (1 + 0.45 * (label_lines - 1))
    # Long matrices get shorter rows, down to what the text needs, to fit on a page.
    row_height = max(min(row_height, (MAX_HEIGHT - top - 0.35) / max(n_rows, 1)), MIN_ROW)
    height = top + max(n_rows, 1) * row_height + 0.35
    settings: Any = {
        "svg.fonttype": "none",
        "svg.hashsalt": "coder",
        "font.size": FONT_SIZE,
        "font.family": "DejaVu Sans",
    }
    with rc_context(settings):
        figure = Figure(figsize=(width, height), layout="constrained")
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        cmap = colormaps[PALETTE].with_extremes(bad="white")
        high = 1.0 if share else max(float(np.nanmax(values)) if values.size else 1.0, 1.0)
        if matrix.is_cooccurrence and list(shown.index) == list(shown.columns):
            # A code meets itself most: scale the colours to the other cells, so that they
            # show (the diagonal takes the darkest colour).
            off = values[~np.eye(len(values), dtype=bool)] if values.size else values
            high = max(float(off.max()) if off.size else 1.0, 1.0)
        norm = Normalize(vmin=0, vmax=high)
        image = axes.imshow(
            data if data.size else np.zeros((1, 1)), cmap=cmap, norm=norm, aspect="auto"
        )
        for (i, j), value in np.ndenumerate(data):
            if np.isnan(value):
                continue
            axes.text(
                j,
                i,
                _annotation(float(value), share),
                ha="center",
                va="center",
                fontsize=FONT_SIZE - 0.5,
                color="#9a9a9a" if value == 0 else _text_colour(cmap(norm(value))),
            )
        for position, line in enumerate(layout):
            if line.index is None:
                axes.text(
                    -0.45, position + 0.12, line.label, ha="left", va="center", fontweight="bold"
                )
        if any(line.indent for line in layout):
            _tree_labels(figure, axes, layout)
        else:
            axes.set_yticks(range(n_rows), labels=row_labels)
            for tick, line in zip(axes.get_yticklabels(), layout, strict=True):
                if line.bold:
                    tick.set_fontweight("bold")
        axes.set_xticks(range(n_cols), labels=column_labels)
        if not split:
            axes.xaxis.tick_top()
        axes.tick_params(length=0, pad=3)
        if rotate:
            axes.tick_params(axis="x", labelrotation=45)
            for label in axes.get_xticklabels():
                label.set_horizontalalignment("right" if split else "left")
                label.set_rotation_mode("anchor")
        # White lines between cells; thicker ones between the groups of a split.
        axes.set_xticks(np.arange(-0.5, n_cols, 1), minor=True)
        axes.set_yticks(np.arange(-0.5, n_rows, 1), minor=True)
        axes.grid(which="minor", color="white", linewidth=1.0)
        axes.tick_params(which="minor", length=0)
        for side in axes.spines.values():
            side.set_visible(False)
        if split:
            _group_headers(axes, [str(c[0]) for c in shown.columns])
        if matrix.measure != "presence":
            # A colour bar of at most two inches, whatever the number of rows.
            shrink = min(1.0, 2.0 / max(n_rows * row_height, 0.1))
            colorbar = figure.colorbar(image, ax=axes, shrink=shrink, aspect=16)
            colorbar.outline.set_visible(False)
            colorbar.ax.tick_params(labelsize=FONT_SIZE - 1, length=2)
            colorbar.set_label(_colour_label(matrix), fontsize=FONT_SIZE - 0.5)
            if share:
                colorbar.ax.yaxis.set_major_formatter(lambda v, _: f"{v * 100:.0f}%")
            else:
                colorbar.ax.yaxis.set_major_locator(
                    MaxNLocator(nbins=5, integer=True, steps=[1, 2, 2.5, 5, 10])
                )
        axes.set_xlabel(_axis_name(matrix), labelpad=6)
        if not split:
            axes.xaxis.set_label_position("top")
        if title:
            figure.suptitle(title, fontsize=FONT_SIZE + 1)
        out = io.BytesIO()
        figure.savefig(out, format=fmt, dpi=300, metadata=_metadata(fmt))
    return out.getvalue()


def _tree_labels(figure: Any, axes: Any, layout: Sequence[Line]) -> None:
    """Row labels drawn left-aligned, indented by depth, all starting as far left of the
    cells as the widest one needs (tick labels can only be right-aligned against the cells)."""
    from matplotlib.transforms import offset_copy

    renderer = figure.canvas.get_renderer()
    base = axes.get_yaxis_transform()
    texts = []
    for position, line in enumerate(layout):
        if line.index is None:
            continue
        text = axes.text(
            0,
            position,
            line.label,
            transform=base,
            ha="left",
            va="center",
            fontweight="bold" if line.bold else "normal",
        )
        texts.append((text, line.indent * INDENT))
    widths = [t.get_window_extent(renderer).width * 72 / figure.dpi + i for t, i in texts]
    start = max(widths, default=0.0) + 4
    for text, indent in texts:
        text.set_transform(offset_copy(base, fig=figure, x=indent - start, units="points"))
    axes.set_yticks(range(len(layout)), labels=[""] * len(layout))


def _axis_name(matrix: Matrix) -> str:
    if matrix.is_cooccurrence:
        return ""
    return f"{matrix.by} / {matrix.split}" if matrix.split else str(matrix.by or "")


def _metadata(fmt: str) -> dict[str, Any]:
    # No creation date, so the same matrix gives the same file.
    if fmt == "svg":
        return {"Date": None}
    return {"Software": "coder"}


def _group_headers(axes: Any, groups: Sequence[str]) -> None:
    """Groups of a split along the top, centred over their subgroups (which are along the
    bottom), with a thick line between groups."""
    centres, labels, position = [], [], 0
    for label, width in export.spans(list(groups)):
        centres.append(position + (width - 1) / 2)
        labels.append(label)
        if position > 0:
            axes.axvline(position - 0.5, color="white", linewidth=3)
        position += width
    top = axes.secondary_xaxis("top")
    top.set_xticks(centres, labels=labels, fontweight="bold")
    top.tick_params(length=0, pad=3)
    top.spines["top"].set_visible(False)
