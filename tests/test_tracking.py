"""On track, at risk, off track: the pure, direction-aware status of an indicator's latest value."""

from __future__ import annotations

import math

import pytest

from coprod_me.model.tracking import Status, Track, fmt, on_track


def track(direction: str, baseline: float | None, latest: float | None, target: float | None,
          amber: float | None = None, red: float | None = None, lo: float | None = None,
          hi: float | None = None) -> Track:
    return on_track(direction, baseline, latest, target, amber, red, lo, hi).track


def test_no_latest_value_is_no_data_whatever_else_is_set():
    s = on_track("increase", 50, None, 80, 40, 30)
    assert s == Status(Track.NO_DATA, "no value recorded yet")
    assert track("decrease", None, float("nan"), None) is Track.NO_DATA


@pytest.mark.parametrize(("latest", "expected"), [
    (95, Track.ON_TRACK), (60, Track.ON_TRACK),  # 60 is at the amber line, not below it
    (59.9, Track.AT_RISK), (55, Track.AT_RISK),  # 55 is at the red line, not below it
    (54.9, Track.OFF_TRACK), (0, Track.OFF_TRACK),
])
def test_thresholds_for_an_increase_turn_amber_then_red_below_them(latest, expected):
    assert track("increase", 69.6, latest, 85, amber=60, red=55) is expected


@pytest.mark.parametrize(("latest", "expected"), [
    (10, Track.ON_TRACK), (35, Track.ON_TRACK),
    (35.1, Track.AT_RISK), (40, Track.AT_RISK),
    (40.5, Track.OFF_TRACK),
])
def test_thresholds_for_a_decrease_turn_amber_then_red_above_them(latest, expected):
    assert track("decrease", 24.1, latest, 10, amber=35, red=40) is expected


def test_a_target_equal_to_the_amber_threshold_is_on_track_when_met():
    # ULL-O4 style: target 0.8 and amber at 0.8
    assert track("increase", 0.6, 0.8, 0.8, amber=0.8, red=0.5) is Track.ON_TRACK
    assert track("increase", 0.6, 0.79, 0.8, amber=0.8, red=0.5) is Track.AT_RISK


def test_threshold_reasons_name_the_threshold_and_the_target():
    s = on_track("increase", 69.6, 54.0, 85, 60, 55)
    assert s.reason == "54 is below the red threshold 55; target 85"
    s = on_track("decrease", 24.1, 36.25, 10, 35, 40)
    assert s.reason == "36.25 is above the amber threshold 35; target 10"
    s = on_track("increase", 69.6, 90, 85, 60, 55)
    assert s.reason == "90 has not crossed the amber threshold 60; target 85 met"


def test_only_one_threshold_may_be_set():
    assert track("increase", None, 45, None, red=50) is Track.OFF_TRACK
    assert track("increase", None, 55, None, red=50) is Track.ON_TRACK
    assert "red threshold 50" in on_track("increase", None, 55, None, None, 50).reason
    assert track("decrease", None, 45, None, amber=40) is Track.AT_RISK


def test_thresholds_win_over_the_target():
    # short of the target but above both lines: the evaluator's thresholds decide
    assert track("increase", 50, 62, 85, amber=60, red=55) is Track.ON_TRACK
    # target met but the thresholds are above it (a stricter line drawn on purpose)
    assert track("increase", 50, 86, 85, amber=90, red=80) is Track.AT_RISK


@pytest.mark.parametrize(("direction", "latest", "expected"), [
    ("increase", 85, Track.ON_TRACK), ("increase", 90, Track.ON_TRACK),
    ("increase", 70, Track.ON_TRACK),  # on the way from 58 to 85
    ("increase", 58, Track.AT_RISK),  # not moved
    ("increase", 50, Track.OFF_TRACK),  # going backwards
    ("decrease", 10, Track.ON_TRACK), ("decrease", 5, Track.ON_TRACK),
    ("decrease", 30, Track.ON_TRACK), ("decrease", 38, Track.AT_RISK),
    ("decrease", 45, Track.OFF_TRACK),
])
def test_without_thresholds_the_target_and_baseline_decide(direction, latest, expected):
    baseline, target = (58, 85) if direction == "increase" else (38, 10)
    assert track(direction, baseline, latest, target) is expected


def test_progress_towards_the_target_is_given_as_a_share_of_the_way():
    s = on_track("increase", 0, 30650, 36000)
    assert s == Status(Track.ON_TRACK,
                       "30,650 is 85 % of the way from the baseline 0 to the target 36,000")
    s = on_track("decrease", 40, 25, 10)
    assert s.reason == "25 is 50 % of the way from the baseline 40 to the target 10"
    assert on_track("increase", 58, 58, 85).reason == \
        "58 has not moved from the baseline 58; target 85"
    assert on_track("increase", 58, 50, 85).reason == \
        "50 is worse than the baseline 58; target 85"
    assert on_track("increase", 58, 85, 85).reason == "85 meets the target 85"


def test_a_missed_target_without_a_baseline_cannot_be_judged():
    s = on_track("increase", None, 50, 85)
    assert s.track is Track.NO_DATA
    assert "without a baseline or thresholds" in s.reason
    assert track("increase", None, 90, 85) is Track.ON_TRACK  # but a met target is met


@pytest.mark.parametrize(("direction", "latest", "expected"), [
    ("increase", 70, Track.ON_TRACK), ("increase", 63, Track.AT_RISK),
    ("increase", 60, Track.OFF_TRACK), ("decrease", 60, Track.ON_TRACK),
    ("decrease", 70, Track.OFF_TRACK),
])
def test_without_a_target_the_baseline_alone_gives_the_direction(direction, latest, expected):
    s = on_track(direction, 63, latest, None)
    assert s.track is expected
    assert "(no target set)" in s.reason


def test_nothing_to_compare_with_is_no_data():
    s = on_track("increase", None, 42, None)
    assert s == Status(Track.NO_DATA, "42: no target, baseline or thresholds to judge it "
                                      "against")
    assert track("increase", math.nan, 42, math.nan) is Track.NO_DATA


@pytest.mark.parametrize(("latest", "expected", "words"), [
    (5, Track.ON_TRACK, "within the range 5–10"), (7.5, Track.ON_TRACK, "within"),
    (10, Track.ON_TRACK, "within"), (4.9, Track.OFF_TRACK, "below the range 5–10"),
    (10.1, Track.OFF_TRACK, "above the range 5–10"),
])
def test_maintain_range_is_on_track_inside_the_range_only(latest, expected, words):
    s = on_track("maintain_range", 7, latest, None, None, None, 5, 10)
    assert s.track is expected
    assert words in s.reason


def test_a_range_given_upside_down_is_read_the_right_way_round():
    assert track("maintain_range", None, 7, None, lo=10, hi=5) is Track.ON_TRACK


def test_maintain_range_without_bounds_cannot_be_judged():
    s = on_track("maintain_range", 7, 8, 9, None, None, 5, None)
    assert s.track is Track.NO_DATA
    assert "range_min and range_max" in s.reason


def test_an_unknown_direction_is_read_as_increase():
    assert track(None, 10, 12, 20) is Track.ON_TRACK  # type: ignore[arg-type]
    assert track("increase", 10, 12, 20) is Track.ON_TRACK


def test_labels_and_number_format():
    assert Track.AT_RISK.label == "at risk"
    assert on_track("increase", None, None, None).label == "no data"
    assert [fmt(v) for v in (0, 13500.0, 0.84, 78.3333, -2.5, 1e20)] == [
        "0", "13,500", "0.84", "78.33", "-2.5", "100,000,000,000,000,000,000"]


def test_with_its_unit_the_why_rounds_as_the_report_shows_the_figure():
    """The report's Summary said '78.33 has not crossed the amber threshold 60; target
    88.33' beside a cell showing 78.3 %."""
    status = on_track("increase", None, 78.333, 88.333, amber_at=60, unit="percent")
    assert status.reason == "78.3 % has not crossed the amber threshold 60 %; target 88.3 %"
    assert on_track("increase", 0, 1250.4, 5000, unit="count").reason.startswith("1,250 is ")
    assert on_track("increase", None, 78.333, 88.333, amber_at=60).reason == (
        "78.33 has not crossed the amber threshold 60; target 88.33")  # no unit: as before
