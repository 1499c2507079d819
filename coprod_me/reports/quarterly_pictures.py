"""The report's charts as PNG files, for anyone who wants pictures rather than a workbook.

Turn-the-curve and output-against-outcome pictures are the app's own chart builders
(``reports.charts``), so the report shows what the Charts tab shows; participation and
funding-runway pictures are drawn here from the same ``ChartSpec`` the workbook charts use.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from pathlib import Path

from matplotlib.figure import Figure

from coprod_me.model.errors import Cancelled
from coprod_me.model.progress import IsCancelled, Progress, never, no_progress
from coprod_me.reports import charts as C
from coprod_me.reports.sheet_content import ChartSpec

DPI = 100


def figure_for(spec: ChartSpec) -> Figure:
    if len(spec.indicator_series) == 1:
        return C.turn_the_curve(spec.indicator_series[0])
    if len(spec.indicator_series) == 2:
        return C.output_vs_outcome(*spec.indicator_series)
    return bars_and_lines(spec)


def bars_and_lines(spec: ChartSpec) -> Figure:
    """Bars on the left axis, lines on the right one: counts or money against a share."""
    fig = Figure(figsize=C.FIGSIZE, layout="constrained")
    ax = fig.add_subplot()
    xs = list(range(len(spec.categories)))
    bars = [s for s in spec.series if s.style == "bar"]
    width = 0.8 / max(len(bars), 1)
    for i, s in enumerate(bars):
        offs = [x - 0.4 + width * (i + 0.5) for x in xs]
        ax.bar(offs, [v if v is not None else 0.0 for v in s.values], width=width,
               label=s.name, color=C.PALETTE[i % len(C.PALETTE)])
    right = None
    for j, s in enumerate(x for x in spec.series if x.style != "bar"):
        target = ax
        if s.secondary:
            right = right or ax.twinx()
            target = right
        pts = [(x, v) for x, v in zip(xs, s.values, strict=True) if v is not None]
        if pts:
            target.plot([p[0] for p in pts], [p[1] for p in pts],
                        color=C.PALETTE[(len(bars) + j) % len(C.PALETTE)],
                        marker=C.MARKERS[j % len(C.MARKERS)],
                        linestyle="--" if s.style == "dashed" else "-", label=s.name)
    ax.set_xticks(xs, list(spec.categories), fontsize=8)
    ax.set_ylabel(spec.y_title)
    ax.grid(True, axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    if right is not None:
        right.set_ylabel(spec.y2_title or "")
        right.set_ylim(bottom=0)
    handles, labels = ax.get_legend_handles_labels()
    if right is not None:
        h2, l2 = right.get_legend_handles_labels()
        handles, labels = handles + h2, labels + l2
    if handles:
        ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.08, 1.0), fontsize=8,
                  frameon=False)
    # the whole title, on as many lines as it needs (it was once cut with "…")
    ax.set_title(textwrap.fill(spec.title, 70), loc="left", fontsize=10)
    return fig


def file_stem(key: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", key).strip("_") or "chart"


def save_pngs(charts: Sequence[ChartSpec], folder: Path, *,
              progress: Progress = no_progress, cancelled: IsCancelled = never) -> list[Path]:
    paths = []
    for i, spec in enumerate(charts):
        if cancelled():
            raise Cancelled("report cancelled")
        progress(i, len(charts), f"Drawing {spec.title}")
        path = folder / f"{file_stem(spec.key)}.png"
        figure_for(spec).savefig(path, dpi=DPI)
        paths.append(path)
    progress(len(charts), len(charts), "Charts drawn")
    return paths
