"""The indicator table: latest value, which figure it is, the target and the on-track status."""

from __future__ import annotations

from pathlib import Path

import pytest

from coprod_me.model.tracking import Track
from coprod_me.services import Services
from coprod_me.services.database import load_samples
from coprod_me.services.indicator_status import combine, indicator_table
from tests.builders import small_programme_rows, write


@pytest.fixture
def loaded(services: Services, tmp_path: Path) -> Services:
    services.workbooks.load(write(tmp_path / "p.xlsx", small_programme_rows()))
    return services


def test_each_indicator_has_a_row_outcomes_first(loaded: Services):
    rows = indicator_table(loaded.store, "T-01")
    assert [r.code for r in rows] == ["T-O1", "T-O2", "T-P1"]
    o1 = rows[0]
    assert (o1.name, o1.result_level, o1.rba_quadrant, o1.better_off_type, o1.unit,
            o1.direction, o1.baseline) == (
        "Households where all members use a toilet", "outcome_short", "better_off",
        "behaviour", "percent", "increase", 58.0)
    assert o1.is_outcome and not rows[2].is_outcome
    assert rows[2].linked_to == ("T-O1",)


def test_the_latest_value_is_the_latest_quarters_total_not_a_disaggregated_cell(
        loaded: Services):
    o1 = indicator_table(loaded.store, "T-01")[0]
    # 2023Q2 has NORTH total 63 and a female cell 60: the total is used
    assert (o1.latest_quarter, o1.latest_value, o1.latest_basis) == (
        "2023Q2", 63.0, "1 strand total")
    assert (o1.target_period, o1.target, o1.target_basis) == ("2024Q4", 85.0, "programme target")
    assert o1.status is Track.ON_TRACK
    assert o1.status_reason == "63 % is 19 % of the way from the baseline 58 % to the target 85 %"


def test_a_programme_level_total_is_used_when_present(loaded: Services):
    p1 = indicator_table(loaded.store, "T-01")[2]
    assert (p1.latest_quarter, p1.latest_value, p1.latest_basis) == (
        "2023Q2", 4300.0, "programme total")
    # no target, no baseline, no thresholds: nothing to judge against
    assert p1.target is None and p1.status is Track.NO_DATA


def test_an_indicator_without_values_has_no_data(loaded: Services):
    o2 = indicator_table(loaded.store, "T-01")[1]
    assert (o2.latest_quarter, o2.latest_value, o2.latest_basis) == (None, None, None)
    assert (o2.status, o2.status_reason) == (Track.NO_DATA, "no value recorded yet")


def test_strand_values_are_averaged_or_summed_by_unit_and_say_which(loaded: Services):
    obs = loaded.observations
    obs.record("T-01", "T-O1", "2023Q3", strand="NORTH", value=70.0)
    obs.record("T-01", "T-O1", "2023Q3", strand="SOUTH", value=60.0)
    obs.record("T-01", "T-P1", "2023Q3", strand="NORTH", value=3000.0)
    obs.record("T-01", "T-P1", "2023Q3", strand="SOUTH", value=2500.0)
    loaded.indicators.update("T-01", "T-P1", {"baseline_value": 0})
    loaded.indicators.set_target("T-01", "T-P1", "2024Q4", 4000, strand="NORTH")
    loaded.indicators.set_target("T-01", "T-P1", "2024Q4", 7000, strand="SOUTH")
    rows = {r.code: r for r in indicator_table(loaded.store, "T-01")}
    assert (rows["T-O1"].latest_quarter, rows["T-O1"].latest_value,
            rows["T-O1"].latest_basis) == ("2023Q3", 65.0, "mean of 2 strand totals")
    p1 = rows["T-P1"]
    assert (p1.latest_value, p1.latest_basis) == (5500.0, "sum of 2 strand totals")
    assert (p1.target, p1.target_basis) == (11000.0, "sum of 2 strand targets")
    assert p1.status is Track.ON_TRACK and "50 % of the way" in p1.status_reason


def test_the_target_is_for_the_strands_that_reported(loaded: Services):
    loaded.indicators.update("T-01", "T-P1", {"baseline_value": 0})
    loaded.observations.record("T-01", "T-P1", "2023Q3", strand="NORTH", value=3000.0)
    loaded.indicators.set_target("T-01", "T-P1", "2024Q4", 4000, strand="NORTH")
    loaded.indicators.set_target("T-01", "T-P1", "2024Q4", 7000, strand="SOUTH")
    loaded.indicators.set_target("T-01", "T-P1", "2024Q2", 99999, strand="NORTH")  # earlier
    p1 = next(r for r in indicator_table(loaded.store, "T-01") if r.code == "T-P1")
    assert (p1.latest_value, p1.target_period, p1.target, p1.target_basis) == (
        3000.0, "2024Q4", 4000.0, "1 strand target")


def test_thresholds_drive_the_status(loaded: Services):
    loaded.indicators.update("T-01", "T-O1", {"amber_at": 65, "red_at": 62})
    o1 = indicator_table(loaded.store, "T-01")[0]
    assert (o1.status, o1.status_reason) == (
        Track.AT_RISK, "63 % is below the amber threshold 65 %; target 85 %")
    loaded.indicators.update("T-01", "T-O1", {"red_at": 64})
    assert indicator_table(loaded.store, "T-01")[0].status is Track.OFF_TRACK


def test_combine_prefers_the_programme_value():
    assert combine("percent", 40.0, [10.0, 20.0]).basis == "programme total"  # type: ignore[union-attr]
    assert combine("count", None, []) is None
    c = combine("rate_per_1000", None, [10.0, 20.0])
    assert c is not None and (c.value, c.basis) == (15.0, "mean of 2 strand totals")


def test_the_sanitation_sample_is_judged_per_indicator(services: Services):
    load_samples(services.store)
    rows = {r.code: r for r in indicator_table(services.store, "RS-01")}
    assert list(rows)[:1] == ["RS-O5"]  # impact first, then outcomes, then outputs
    assert [r.result_level for r in rows.values()].index("output") == 6
    o1 = rows["RS-O1"]
    assert (o1.latest_quarter, o1.latest_basis, o1.target_period, o1.target_basis) == (
        "2024Q2", "mean of 3 strand totals", "2024Q4", "mean of 3 strand targets")
    assert o1.latest_value == pytest.approx((63 + 94 + 78) / 3)
    assert o1.status is Track.ON_TRACK
    o3 = rows["RS-O3"]  # re-verification is only measured in Q1
    assert o3.latest_quarter == "2024Q1"
    assert o3.status is Track.AT_RISK and "below the amber threshold 90" in o3.status_reason
    p1 = rows["RS-P1"]
    assert (p1.latest_value, p1.latest_basis, p1.target) == (
        13500 + 5950 + 11200, "sum of 3 strand totals", 16000 + 6000 + 14000)
    assert p1.linked_to == ("RS-O1", "RS-O2")
    assert all(r.status is not Track.NO_DATA for r in rows.values())
