"""Chart builders draw what the series holds, on the right side of the thresholds."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from matplotlib.figure import Figure

from coprod_me.reports.charts import (
    describe,
    forecast,
    forecast_horizon,
    output_vs_outcome,
    quarter_x,
    small_multiples,
    turn_the_curve,
    x_quarter,
)
from coprod_me.reports.series_data import IndicatorSeries

SERIES = IndicatorSeries(
    programme_code="T-01", code="T-O1", name="Households where all members use a toilet",
    unit="percent", direction="increase", result_level="outcome_short", strand="NORTH",
    strand_name="North block", baseline_value=55.0, baseline_period="2022Q4", amber_at=60.0,
    red_at=50.0,
    points=(("2023Q1", 58.0), ("2023Q2", 61.0), ("2023Q3", 63.0), ("2023Q4", 64.0)),
    targets=(("2024Q2", 80.0),), targets_level="strand", strands_with_data=("NORTH",))


def artists(fig: Figure, gid: str, ax_index: int = 0) -> list:
    return [a for a in fig.axes[ax_index].get_children() if a.get_gid() == gid]


def quarters(line) -> list[str]:
    return [x_quarter(x) for x in line.get_xdata()]


def y_span(patch) -> tuple[float, float]:
    """A band's data-space y extent, whatever patch class axhspan returns."""
    ys = patch.get_patch_transform().transform(patch.get_path().vertices)[:, 1]
    return float(min(ys)), float(max(ys))


def test_the_history_line_holds_exactly_the_series_values():
    fig = turn_the_curve(SERIES)
    (history,) = artists(fig, "history")
    assert quarters(history) == SERIES.periods
    assert list(history.get_ydata()) == SERIES.values
    assert history.get_label() == "Actual"


def test_baseline_target_and_forecast_are_drawn():
    fig = turn_the_curve(SERIES)
    (baseline,) = artists(fig, "baseline")
    assert set(baseline.get_ydata()) == {55.0} and baseline.get_linestyle() == "--"
    (point,) = artists(fig, "baseline-point")
    assert quarters(point) == ["2022Q4"] and list(point.get_ydata()) == [55.0]
    (target,) = artists(fig, "target")
    assert quarters(target) == ["2024Q2"] and list(target.get_ydata()) == [80.0]
    assert artists(fig, "target-line")
    (fc,) = artists(fig, "forecast")
    # from the last actual value, two quarters on: up to the target's quarter
    assert quarters(fc) == ["2023Q4", "2024Q1", "2024Q2"]
    assert fc.get_ydata()[0] == 64.0 and fc.get_linestyle() == "--"
    title = fig.axes[0].get_title(loc="left")
    assert title.startswith("T-O1 Households") and "higher is better" in title
    assert fig.axes[0].get_ylabel() == "per cent (%)"


def test_bands_lie_below_the_thresholds_when_higher_is_better():
    fig = turn_the_curve(SERIES)
    (red,) = artists(fig, "red")
    (amber,) = artists(fig, "amber")
    lo, hi = y_span(red)
    assert hi == 50.0 and lo < fig.axes[0].get_ylim()[0]
    assert y_span(amber) == (50.0, 60.0)


def test_bands_lie_above_the_thresholds_when_lower_is_better():
    series = replace(SERIES, direction="decrease", amber_at=35.0, red_at=40.0,
                     points=(("2023Q1", 30.0), ("2023Q2", 28.0)), targets=(("2024Q2", 10.0),))
    fig = turn_the_curve(series)
    (red,) = artists(fig, "red")
    (amber,) = artists(fig, "amber")
    lo, hi = y_span(red)
    assert lo == 40.0 and hi > fig.axes[0].get_ylim()[1]
    assert y_span(amber) == (35.0, 40.0)
    assert "lower is better" in fig.axes[0].get_title(loc="left")


def test_a_range_to_keep_is_shaded_outside_it():
    series = replace(SERIES, direction="maintain_range", range_min=55.0, range_max=70.0)
    fig = turn_the_curve(series)
    spans = sorted(y_span(p) for p in artists(fig, "red"))
    assert spans[0][1] == 55.0 and spans[1][0] == 70.0
    assert not artists(fig, "amber")


def test_thresholds_that_are_missing_draw_no_band():
    fig = turn_the_curve(replace(SERIES, amber_at=None, red_at=None))
    assert not artists(fig, "red") and not artists(fig, "amber")


def test_the_forecast_of_a_straight_line_continues_it_exactly():
    points = [("2023Q1", 10.0), ("2023Q2", 12.5), ("2023Q3", 15.0), ("2023Q4", 17.5)]
    assert forecast(points, 3) == [("2024Q1", 20.0), ("2024Q2", 22.5), ("2024Q3", 25.0)]


def test_the_forecast_fits_the_last_four_points_in_time_order():
    # one more per quarter, with 2023Q3 missing: the gap keeps its place in time
    on_time = [("2023Q1", 1.0), ("2023Q2", 2.0), ("2023Q4", 4.0), ("2024Q1", 5.0)]
    assert forecast(on_time, 2) == [("2024Q2", pytest.approx(6.0)),
                                    ("2024Q3", pytest.approx(7.0))]
    # an old, very different value lies outside the window; the order given does not matter
    shuffled = [on_time[2], ("2020Q1", 99.0), on_time[0], on_time[3], on_time[1]]
    assert forecast(shuffled, 2) == forecast(on_time, 2)


def test_the_forecast_needs_two_points_and_stays_within_bounds():
    assert forecast([("2023Q1", 5.0)], 4) == []
    assert forecast([], 2) == []
    falling = [("2023Q1", 30.0), ("2023Q2", 10.0)]
    assert forecast(falling, 2, lower=0.0) == [("2023Q3", 0.0), ("2023Q4", 0.0)]


def test_the_horizon_reaches_a_near_target_and_is_two_to_four_quarters():
    assert forecast_horizon(SERIES) == 2
    assert forecast_horizon(replace(SERIES, targets=(("2024Q1", 70.0),))) == 2
    assert forecast_horizon(replace(SERIES, targets=(("2024Q4", 70.0),))) == 4
    assert forecast_horizon(replace(SERIES, targets=())) == 4
    assert forecast_horizon(replace(SERIES, targets=(("2030Q1", 90.0),))) == 4


def test_quarters_sit_at_their_place_in_time():
    assert quarter_x("2024Q1") - quarter_x("2023Q4") == 1
    assert x_quarter(quarter_x("2024Q2")) == "2024Q2"
    assert x_quarter(quarter_x("2024Q2") + 0.5) == ""


def test_an_empty_series_says_where_the_values_are():
    series = replace(SERIES, strand=None, strand_name=None, points=(), targets=(),
                     strands_with_data=("NORTH", "SOUTH"))
    fig = turn_the_curve(series)
    (message,) = artists(fig, "message")
    assert "NORTH, SOUTH" in message.get_text().replace("\n", " ")
    assert not artists(fig, "history") and not artists(fig, "forecast")


def test_output_next_to_outcome_stacks_two_axes_on_one_time_axis():
    output = replace(SERIES, code="T-P1", name="Toilets built", unit="count",
                     result_level="output", amber_at=None, red_at=None,
                     points=(("2023Q1", 100.0), ("2023Q2", 400.0), ("2023Q3", 900.0)))
    fig = output_vs_outcome(output, SERIES)
    assert len(fig.axes) == 2
    top, bottom = fig.axes
    assert top.get_shared_x_axes().joined(top, bottom)
    assert "T-P1" in top.get_title(loc="left") and "T-O1" in bottom.get_title(loc="left")
    assert list(artists(fig, "history", 0)[0].get_ydata()) == [100.0, 400.0, 900.0]
    assert list(artists(fig, "history", 1)[0].get_ydata()) == SERIES.values


def test_small_multiples_has_one_axis_per_dimension_and_one_line_per_category():
    panels = {
        "sex": {"female": [("2023Q1", 40.0), ("2023Q2", 42.0)],
                "male": [("2023Q1", 38.0), ("2023Q2", 39.0)]},
        "age_band": {"15-24": [("2023Q1", 30.0)], "25-44": [("2023Q1", 35.0)],
                     "45-64": [("2023Q1", 41.0)]},
        "locality": {"urban": [("2023Q1", 50.0)], "rural": [("2023Q1", 33.0)]},
    }
    fig = small_multiples("T-O1 by dimension", panels, unit="percent")
    assert len(fig.axes) == 3
    assert [ax.get_title(loc="left") for ax in fig.axes] == ["sex", "age band", "locality"]
    assert [len(ax.get_lines()) for ax in fig.axes] == [2, 3, 2]
    (female,) = [ln for ln in fig.axes[0].get_lines() if ln.get_gid() == "category:female"]
    assert list(female.get_ydata()) == [40.0, 42.0]
    assert len(small_multiples("nothing", {}).axes) == 1


def test_a_figure_saves_as_png_and_svg_without_a_display(tmp_path: Path):
    fig = turn_the_curve(SERIES)
    fig.savefig(tmp_path / "c.png")
    fig.savefig(tmp_path / "c.svg")
    assert (tmp_path / "c.png").read_bytes()[:4] == b"\x89PNG"
    assert b"<svg" in (tmp_path / "c.svg").read_bytes()[:400]


def test_describe_puts_the_chart_in_words():
    text = describe(SERIES)
    assert "4 quarter(s) from 2023Q1 (58) to 2023Q4 (64)" in text
    assert "baseline 55 in 2022Q4" in text and "target 80 in 2024Q2" in text
