"""matplotlib ``Figure`` builders: turn the curve, output next to its outcome, equity lines.

Never ``pyplot``: a Figure built here belongs to nobody until the GUI puts it in a
``FigureCanvasQTAgg`` or a report saves it, so building charts needs no display and no Qt.

Quarters are drawn at their position in time (``Quarter.index``), not as categories, so a
missing quarter leaves a gap, a baseline before the first value and a target after the last
one land where they belong, and the forecast continues on the same axis. Tick labels turn the
positions back into ``2024Q2``. Every artist a reader (or a test) may look for carries a
``gid``: history, baseline, baseline-point, target, target-line, forecast, amber, red, message.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Mapping, Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, StrMethodFormatter

from coprod_me.model.errors import DomainError
from coprod_me.model.quarter import Quarter
from coprod_me.reports.series_data import IndicatorSeries, Point

# Okabe & Ito's palette, distinguishable with the common colour-vision deficiencies
BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"
GREY = "#555555"
PALETTE = (BLUE, ORANGE, BLUISH_GREEN, VERMILLION, REDDISH_PURPLE, SKY_BLUE, BLACK, YELLOW)
# a second cue besides colour, for grey-scale prints
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")

FIGSIZE = (8.0, 4.5)
FORECAST_WINDOW = 4  # fit the trend over at most this many of the latest quarters
FORECAST_MIN, FORECAST_MAX = 2, 4  # quarters ahead

UNIT_LABELS = {
    "percent": "per cent (%)",
    "rate_per_1000": "rate per 1,000",
    "rate": "rate",
    "count": "count",
    "hours": "hours",
    "score_0_100": "score (0–100)",
    "ratio": "ratio",
    "days": "days",
    "currency": "amount",
    "index": "index",
}
_UPPER_100 = {"percent", "score_0_100"}
_NON_NEGATIVE = {"percent", "score_0_100", "rate_per_1000", "rate", "count", "hours", "ratio",
                 "days", "currency"}


# ------------------------------------------------------------------------------- quarters


def quarter_x(period: str | Quarter) -> int:
    """Where a quarter sits on a chart's x axis."""
    return Quarter.parse(period).index


def x_quarter(x: float) -> str:
    """The quarter at an x position ('' between quarters or off the calendar)."""
    if not math.isfinite(x) or abs(x - round(x)) > 1e-6:
        return ""
    try:
        return str(Quarter.from_index(round(x)))
    except DomainError:
        return ""


def _quarter_axis(ax: Axes) -> None:
    ax.xaxis.set_major_locator(MaxNLocator(nbins=8, integer=True, steps=[1, 2, 4, 8, 10]))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: x_quarter(x)))
    ax.fmt_xdata = lambda x: x_quarter(round(x)) or f"{x:.1f}"
    ax.grid(True, axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)


def _number(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.3g}"


def unit_label(unit: str) -> str:
    return UNIT_LABELS.get(unit, unit.replace("_", " "))


def _bounds(unit: str) -> tuple[float | None, float | None]:
    return (0.0 if unit in _NON_NEGATIVE else None, 100.0 if unit in _UPPER_100 else None)


# ------------------------------------------------------------------------------- forecast


def forecast(points: Iterable[tuple[str | Quarter, float]], ahead: int, *,
             window: int = FORECAST_WINDOW, lower: float | None = None,
             upper: float | None = None) -> list[Point]:
    """Continue the least-squares straight line through the last ``window`` points.

    Quarters are positioned in time, so a skipped quarter does not bend the trend. Returns
    ``ahead`` quarters after the last point; nothing when fewer than two points are known.
    ``lower``/``upper`` keep the projection inside what the unit allows (0–100 %).
    """
    known = sorted((Quarter.parse(q).index, float(v)) for q, v in points)[-window:]
    if len(known) < 2 or ahead < 1:
        return []
    n = len(known)
    mx = sum(x for x, _ in known) / n
    my = sum(y for _, y in known) / n
    sxx = sum((x - mx) ** 2 for x, _ in known)
    slope = sum((x - mx) * (y - my) for x, y in known) / sxx
    last = known[-1][0]
    out = []
    for k in range(1, ahead + 1):
        y = my + slope * (last + k - mx)
        if lower is not None:
            y = max(y, lower)
        if upper is not None:
            y = min(y, upper)
        out.append((str(Quarter.from_index(last + k)), y))
    return out


def forecast_horizon(series: IndicatorSeries) -> int:
    """2 to 4 quarters: up to the next target when one is that close, else 4."""
    if not series.points:
        return 0
    last = quarter_x(series.points[-1][0])
    ahead = [quarter_x(q) - last for q, _ in series.targets if quarter_x(q) > last]
    if not ahead:
        return FORECAST_MAX
    return min(max(min(ahead), FORECAST_MIN), FORECAST_MAX)


# -------------------------------------------------------------------------------- drawing


def _title(code: str, name: str, width: int = 72) -> str:
    return textwrap.fill(f"{code} {name}", width=width)


def _range_words(series: IndicatorSeries) -> str:
    lo, hi = series.range_min, series.range_max
    if lo is not None and hi is not None:
        return f"{_number(lo)}–{_number(hi)}"
    if lo is not None:
        return f"at least {_number(lo)}"
    if hi is not None:
        return f"at most {_number(hi)}"
    return "the range"


def direction_words(series: IndicatorSeries) -> str:
    if series.direction == "decrease":
        return "lower is better"
    if series.direction == "maintain_range":
        return f"keep within {_range_words(series)}"
    return "higher is better"


def _y_values(series: IndicatorSeries, extra: Sequence[float] = ()) -> list[float]:
    ys = [*series.values, *(v for _, v in series.targets), *extra]
    ys += [v for v in (series.baseline_value, series.amber_at, series.red_at, series.range_min,
                       series.range_max) if v is not None]
    return ys


def _limits(ys: Sequence[float], unit: str) -> tuple[float, float]:
    if not ys:
        return 0.0, 1.0
    lo, hi = min(ys), max(ys)
    span = hi - lo
    pad = span * 0.12 if span > 0 else max(abs(hi) * 0.1, 1.0)
    lower, _upper = _bounds(unit)
    new_lo = lo - pad
    if lower is not None and lo >= lower:
        new_lo = max(new_lo, lower)
    return new_lo, hi + pad


def _bands(ax: Axes, series: IndicatorSeries, lo: float, hi: float) -> None:
    """Amber and red zones on the bad side of the thresholds, whichever way that is."""
    far = (hi - lo) * 10  # the zones run on when the reader pans past the limits
    far_lo, far_hi = lo - far, hi + far
    red, amber = series.red_at, series.amber_at
    style = {"alpha": 0.16, "linewidth": 0, "zorder": 0}
    if series.direction == "maintain_range":
        label = f"Red: outside {_range_words(series)}"
        if series.range_min is not None:
            ax.axhspan(far_lo, series.range_min, color=VERMILLION, gid="red", label=label,
                       **style)
            label = "_nolegend_"
        if series.range_max is not None:
            ax.axhspan(series.range_max, far_hi, color=VERMILLION, gid="red", label=label,
                       **style)
        return
    if series.direction == "decrease":
        if red is not None:
            ax.axhspan(red, far_hi, color=VERMILLION, gid="red",
                       label=f"Red: above {_number(red)}", **style)
        if amber is not None and (red is None or amber < red):
            ax.axhspan(amber, far_hi if red is None else red, color=ORANGE, gid="amber",
                       label=(f"Amber: above {_number(amber)}" if red is None
                              else f"Amber: {_number(amber)}–{_number(red)}"), **style)
        return
    if red is not None:
        ax.axhspan(far_lo, red, color=VERMILLION, gid="red",
                   label=f"Red: below {_number(red)}", **style)
    if amber is not None and (red is None or amber > red):
        ax.axhspan(far_lo if red is None else red, amber, color=ORANGE, gid="amber",
                   label=(f"Amber: below {_number(amber)}" if red is None
                          else f"Amber: {_number(red)}–{_number(amber)}"), **style)


def _message(ax: Axes, text: str) -> None:
    ax.text(0.5, 0.5, textwrap.fill(text, 60), transform=ax.transAxes, ha="center",
            va="center", color=GREY, fontsize=10, gid="message", wrap=True)


def _no_values_text(series: IndicatorSeries) -> str:
    text = f"No values of {series.code} recorded at {series.where}."
    if series.strand is None and series.strands_with_data:
        text += " Values are recorded by strand: " + ", ".join(series.strands_with_data) + "."
    return text


def _draw_series(ax: Axes, series: IndicatorSeries, *, ahead: int | None,
                 bands: bool = True) -> list[int]:
    """History, baseline, targets, forecast and zones on one axis; returns the x positions."""
    _quarter_axis(ax)
    xs: list[int] = []
    fc: list[Point] = []
    if series.points:
        hx = [quarter_x(q) for q in series.periods]
        ax.plot(hx, series.values, marker="o", color=BLUE, linewidth=2, markersize=5,
                label="Actual", gid="history", zorder=3)
        lq, lv = series.points[-1]
        ax.annotate(_number(lv), (quarter_x(lq), lv), textcoords="offset points",
                    xytext=(0, 7), ha="center", fontsize=8, color=BLUE)
        xs += hx
        lower, upper = _bounds(series.unit)
        fc = forecast(series.points, forecast_horizon(series) if ahead is None else ahead,
                      lower=lower, upper=upper)
    if series.baseline_value is not None:
        when = f" ({series.baseline_period})" if series.baseline_period else ""
        # the baseline belongs to the indicator, not to the strand on show
        whose = "Indicator baseline" if series.strand else "Baseline"
        ax.axhline(series.baseline_value, linestyle="--", color=GREY, linewidth=1,
                   label=f"{whose} {_number(series.baseline_value)}{when}", gid="baseline",
                   zorder=2)
        if series.baseline_period:
            bx = quarter_x(series.baseline_period)
            ax.plot([bx], [series.baseline_value], marker="D", color=GREY, linestyle="none",
                    markersize=6, gid="baseline-point", label="_nolegend_", zorder=3)
            xs.append(bx)
    if series.targets:
        tx = [quarter_x(q) for q, _ in series.targets]
        ty = [v for _, v in series.targets]
        own = " (programme level)" if (series.strand and series.targets_level == "programme") \
            else ""
        ax.plot(tx, ty, marker="*", markersize=13, color=BLUISH_GREEN, linestyle=":",
                linewidth=1.2, label=f"Target{own}", gid="target", zorder=4)
        ax.axhline(ty[-1], linestyle=":", color=BLUISH_GREEN, linewidth=0.9, alpha=0.8,
                   gid="target-line", label="_nolegend_", zorder=2)
        for x, y in zip(tx, ty, strict=True):
            ax.annotate(_number(y), (x, y), textcoords="offset points", xytext=(0, 9),
                        ha="center", fontsize=8, color=BLUISH_GREEN)
        xs += tx
    if fc:
        lq, lv = series.points[-1]
        n = min(len(series.points), FORECAST_WINDOW)
        ax.plot([quarter_x(lq)] + [quarter_x(q) for q, _ in fc], [lv] + [v for _, v in fc],
                linestyle="--", color=REDDISH_PURPLE, linewidth=1.6, marker="o",
                markerfacecolor="white", markersize=5,
                label=f"Forecast (trend of last {n} quarters)", gid="forecast", zorder=3)
        xs += [quarter_x(q) for q, _ in fc]
    lo, hi = _limits(_y_values(series, [v for _, v in fc]), series.unit)
    if bands:
        _bands(ax, series, lo, hi)
    ax.set_ylim(lo, hi)
    if max(abs(lo), abs(hi)) >= 1000:
        ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    if xs:
        ax.set_xlim(*_x_span(xs))
    ax.set_ylabel(unit_label(series.unit))
    if not series.points:
        _message(ax, _no_values_text(series))
    return xs


def _x_span(xs: Sequence[int]) -> tuple[float, float]:
    """Half a quarter either side, and at least a year wide so the ticks fall on quarters."""
    lo, hi = min(xs) - 0.5, max(xs) + 0.5
    short = 4 - (hi - lo)
    if short > 0:
        lo, hi = lo - short / 2, hi + short / 2
    return lo, hi


def _legend(ax: Axes) -> None:
    handles, _labels = ax.get_legend_handles_labels()
    if handles:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False,
                  borderaxespad=0.0)


def _figure(into: Figure | None, figsize: tuple[float, float]) -> Figure:
    """A new figure, or ``into`` emptied to be drawn again (a window redraws in place)."""
    if into is None:
        return Figure(figsize=figsize, layout="constrained")
    into.clear()
    return into


def turn_the_curve(series: IndicatorSeries, *, ahead: int | None = None,
                   into: Figure | None = None) -> Figure:
    """History, baseline, target, amber/red zones and where the trend is heading (RBA)."""
    fig = _figure(into, FIGSIZE)
    ax = fig.add_subplot()
    _draw_series(ax, series, ahead=ahead)
    ax.set_title(f"{_title(series.code, series.name)}\n{series.where} · "
                 f"{direction_words(series)}", loc="left", fontsize=10)
    _legend(ax)
    return fig


def output_vs_outcome(output: IndicatorSeries, outcome: IndicatorSeries, *,
                      into: Figure | None = None) -> Figure:
    """The effort above, the change it should bring below, on one time axis.

    "Busy but not better" shows as a rising line on top over a flat one underneath.
    """
    fig = _figure(into, (FIGSIZE[0], 6.5))
    top, bottom = fig.subplots(2, 1, sharex=True)
    xs = _draw_series(top, output, ahead=0) + _draw_series(bottom, outcome, ahead=0)
    top.set_title(_title(f"Effort: {output.code}", output.name, 90), loc="left", fontsize=9)
    bottom.set_title(_title(f"Is anyone better off? {outcome.code}", outcome.name, 90),
                     loc="left", fontsize=9)
    top.tick_params(labelbottom=True)
    where = outcome.where if outcome.strand == output.strand else \
        f"{output.where} / {outcome.where}"
    fig.suptitle(f"{output.code} next to {outcome.code} — {where}", fontsize=11,
                 x=0.01, ha="left")
    for ax in (top, bottom):
        _legend(ax)
    if xs:  # the axes share x: one span covering both series
        top.set_xlim(*_x_span(xs))
    return fig


def _ordered(categories: Iterable[str], order: Sequence[str]) -> list[str]:
    known = {c: i for i, c in enumerate(order)}
    return sorted(categories, key=lambda c: (known.get(c, len(known)), c))


def small_multiples(title: str, panels: Mapping[str, Mapping[str, Sequence[tuple[str, float]]]],
                    *, unit: str | None = None,
                    order: Mapping[str, Sequence[str]] | None = None,
                    note: str | None = None, into: Figure | None = None) -> Figure:
    """One small axis per dimension, one line per category, all on one time axis.

    Categories are drawn in the order given, unless ``order`` names one for the dimension.
    """
    n = len(panels)
    ncols = 1 if n <= 1 else (2 if n <= 4 else 3)
    nrows = max(1, math.ceil(n / ncols))
    fig = _figure(into, (FIGSIZE[0], max(FIGSIZE[1], 2.6 * nrows + 1.0)))
    fig.suptitle(textwrap.fill(title, 90), fontsize=10, x=0.01, ha="left")
    if note:
        fig.supxlabel(note, fontsize=8, color=GREY)
    if not panels:
        ax = fig.add_subplot()
        _quarter_axis(ax)
        _message(ax, "No disaggregated values recorded.")
        return fig
    grid = fig.subplots(nrows, ncols, sharex=True, squeeze=False)
    axes = [ax for row in grid for ax in row]
    for ax in axes[n:]:
        fig.delaxes(ax)
    for ax, (dimension, categories) in zip(axes, panels.items(), strict=False):
        _quarter_axis(ax)
        ax.tick_params(labelbottom=True, labelsize=8)
        ax.set_title(dimension.replace("_", " "), loc="left", fontsize=9)
        cats = (list(categories) if order is None or dimension not in order
                else _ordered(categories, order[dimension]))
        for i, cat in enumerate(cats):
            pts = sorted(categories[cat], key=lambda p: quarter_x(p[0]))
            ax.plot([quarter_x(q) for q, _ in pts], [v for _, v in pts],
                    color=PALETTE[i % len(PALETTE)], marker=MARKERS[i % len(MARKERS)],
                    markersize=4, linewidth=1.5, label=cat.replace("_", " "),
                    gid=f"category:{cat}")
        if unit:
            ax.set_ylabel(unit_label(unit), fontsize=8)
        ax.legend(fontsize=7, frameon=False, loc="best")
    return fig


def message_figure(text: str, *, title: str | None = None,
                   into: Figure | None = None) -> Figure:
    """A figure that says why there is no chart (no programme, no values, no link)."""
    fig = _figure(into, FIGSIZE)
    ax = fig.add_subplot()
    ax.set_axis_off()
    if title:
        ax.set_title(title, loc="left", fontsize=10)
    _message(ax, text)
    return fig


def describe(series: IndicatorSeries) -> str:
    """The chart in one sentence, for screen readers and the report's alt text."""
    parts = [f"{series.code} at {series.where} ({direction_words(series)})"]
    if series.points:
        (q0, v0), (q1, v1) = series.points[0], series.points[-1]
        parts.append(f"{len(series.points)} quarter(s) from {q0} ({_number(v0)}) to {q1} "
                     f"({_number(v1)})")
    else:
        parts.append("no values")
    if series.baseline_value is not None:
        parts.append(f"baseline {_number(series.baseline_value)}"
                     + (f" in {series.baseline_period}" if series.baseline_period else ""))
    if series.targets:
        q, v = series.targets[-1]
        parts.append(f"target {_number(v)} in {q}")
    lower, upper = _bounds(series.unit)
    fc = forecast(series.points, forecast_horizon(series), lower=lower, upper=upper)
    if fc:
        parts.append(f"trend points to {_number(fc[-1][1])} by {fc[-1][0]}")
    return "; ".join(parts) + "."
