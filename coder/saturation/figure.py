"""The saturation figure: new codes per interview (bars) and the cumulative count (line), with
the base shaded and the point where the rule was met, as PNG or SVG bytes. Matplotlib's object
API on the Agg canvas, imported only when a picture is asked for, as for the matrix heatmaps:
SVG keeps its text as text, and neither format carries a creation date, so the same data give
the same file. The PNG's metadata names the axes."""

from __future__ import annotations

import io
from typing import Any

from coder.saturation.rule import Assessment

WIDTH = 6.4  # inches: one column of a paper
HEIGHT = 3.6
X_LABEL = "Interviews in order"


def labels(level: str) -> tuple[str, str, str]:
    """The x, left-y and right-y axis labels."""
    what = "themes" if level == "themes" else "codes"
    return X_LABEL, f"New {what}", f"{what.capitalize()} so far (cumulative)"


def figure(result: Assessment, fmt: str, *, level: str = "codes", title: str = "") -> bytes:
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    x_label, y_label, y2_label = labels(level)
    what = "themes" if level == "themes" else "codes"
    title = title or f"New {what} per interview and cumulative {what}"
    settings: Any = {"svg.fonttype": "none", "svg.hashsalt": "coder", "font.size": 8.0}
    with rc_context(settings):
        fig = Figure(figsize=(WIDTH, HEIGHT), layout="constrained")
        FigureCanvasAgg(fig)
        ax = fig.add_subplot(1, 1, 1)
        positions = list(range(1, len(result.new) + 1))
        ax.axvspan(0.5, result.base_size + 0.5, color="#f0f0f0", zorder=0, label="base")
        ax.bar(positions, result.new, color="#41b6c4")
        ax.set_xlabel(x_label)
        ax.set_ylabel(y_label)
        ax.set_xticks(positions)
        ax.tick_params(axis="x", labelsize=7)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        cumulative = ax.twinx()
        cumulative.plot(positions, result.cumulative, color="#253494", marker="o", markersize=3)
        cumulative.set_ylabel(y2_label)
        cumulative.set_ylim(bottom=0)
        cumulative.yaxis.set_major_locator(MaxNLocator(integer=True))
        if result.reached_at is not None:
            ax.axvline(result.reached_at + 0.5, color="#d7301f", linestyle="--", linewidth=1)
            ax.annotate(
                f"saturation {result.notation} (≤{result.threshold:.0%})",
                xy=(result.reached_at + 0.5, 1.0),
                xycoords=("data", "axes fraction"),
                xytext=(3, -12),
                textcoords="offset points",
                fontsize=7,
                color="#d7301f",
            )
        ax.set_title(title, fontsize=9)
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, dpi=200, metadata=_metadata(fmt, title, level))
    return buffer.getvalue()


def _metadata(fmt: str, title: str, level: str) -> dict[str, Any]:
    if fmt == "svg":
        return {"Date": None, "Title": title}
    x_label, y_label, y2_label = labels(level)
    return {
        "Software": "coder",
        "Title": title,
        "Description": f"x: {x_label}; y: {y_label}; right y: {y2_label}",
    }
