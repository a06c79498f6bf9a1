"""The saturation figure: new codes per interview (bars) and the cumulative count (line), with
the point where the rule was met, as PNG or SVG bytes. Matplotlib's object API on the Agg
canvas, imported only when a picture is asked for, as for the matrix heatmaps."""

from __future__ import annotations

import io

from coder.saturation.rule import Assessment

WIDTH = 6.4  # inches: one column of a paper
HEIGHT = 3.6
X_LABEL = "Interviews in order"
Y_LABEL = "New codes"
Y2_LABEL = "Codes so far (cumulative)"


def figure(result: Assessment, fmt: str, *, level: str = "codes", title: str = "") -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    what = "themes" if level == "themes" else "codes"
    fig = Figure(figsize=(WIDTH, HEIGHT))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    positions = list(range(1, len(result.new) + 1))
    ax.bar(positions, result.new, color="#41b6c4", label=f"new {what}")
    ax.set_xlabel(X_LABEL)
    ax.set_ylabel(Y_LABEL.replace("codes", what))
    ax.set_xticks(positions)
    ax.tick_params(axis="x", labelsize=7)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    cumulative = ax.twinx()
    cumulative.plot(positions, result.cumulative, color="#253494", marker="o", markersize=3)
    cumulative.set_ylabel(Y2_LABEL.replace("Codes", what.capitalize()))
    cumulative.set_ylim(bottom=0)
    cumulative.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.axvspan(0.5, result.base_size + 0.5, color="#f0f0f0", zorder=0)
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
    ax.set_title(title or f"New {what} per interview and cumulative {what}", fontsize=9)
    fig.tight_layout()
    buffer = io.BytesIO()
    metadata = {"Title": title or f"Saturation of {what}"}
    fig.savefig(buffer, format=fmt, metadata=metadata)
    return buffer.getvalue()
