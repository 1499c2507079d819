"""The value gate behind the grid, paste and the workbook load (issue 12): every rule refuses
with its exact message before anything is saved, and plausibility is said beforehand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from coprod_me.model.errors import DomainError, ValidationFailed
from coprod_me.model.quarter import Quarter
from coprod_me.services import Services
from coprod_me.services.observations import BlockRow
from tests.builders import small_programme_rows, with_ratio_indicator, write

NOW = Quarter.containing(date.today())


@pytest.fixture
def loaded(services: Services, tmp_path: Path) -> Services:
    rows = with_ratio_indicator(small_programme_rows())
    services.workbooks.load(write(tmp_path / "p.xlsx", rows))
    return services


def _values(s: Services, indicator: str) -> list[tuple]:
    return [(o.period, o.strand_code, o.value) for o in s.observations.find(
        "T-01", indicator=indicator)]


@pytest.mark.parametrize(("indicator", "value", "message"), [
    ("T-P1", -3.0, "value -3.0 is a count and cannot be negative"),
    ("T-P1", 2.5, "value 2.5 is a count and must be a whole number"),
    ("T-R1", -0.5, "value -0.5 is a ratio and cannot be negative"),
    ("T-O1", 100.5, "value 100.5 is a percent and must be between 0 and 100"),
])
def test_a_value_outside_its_units_range_is_refused_on_every_door(
        loaded: Services, indicator: str, value: float, message: str):
    before = _values(loaded, indicator)
    with pytest.raises(DomainError) as caught:
        loaded.observations.record("T-01", indicator, "2023Q3", strand="SOUTH", value=value)
    assert str(caught.value) == message
    (oid,) = [o.id for o in loaded.observations.find("T-01", indicator=indicator)
              if o.period == "2023Q2" and not o.dims]
    with pytest.raises(DomainError) as caught:
        loaded.observations.update(oid, {"value": value})
    assert str(caught.value) == message
    with pytest.raises(ValidationFailed) as caught:
        loaded.observations.apply_block("T-01", [BlockRow(indicator, "2023Q3", "SOUTH",
                                                          changes={"value": value})])
    assert caught.value.problems == [f"row 1: {message}"]
    assert _values(loaded, indicator) == before


def test_a_quarter_that_has_not_begun_takes_no_figure(loaded: Services):
    with pytest.raises(DomainError) as caught:
        loaded.observations.record("T-01", "T-P1", "2099Q1", value=5000.0)
    assert str(caught.value) == (f"2099Q1 has not begun (today is in {NOW}); enter figures "
                                 f"for quarters up to {NOW}")
    with pytest.raises(ValidationFailed) as caught:
        loaded.observations.apply_block("T-01", [
            BlockRow("T-P1", "2023Q3", changes={"value": 4400.0}, label="row 1"),
            BlockRow("T-P1", str(NOW.next()), changes={"value": 4500.0}, label="row 2")])
    assert caught.value.problems == [
        f"row 2: {NOW.next()} has not begun (today is in {NOW}); enter figures for quarters "
        f"up to {NOW}"]
    assert "2099Q1" not in loaded.observations.quarters("T-01")  # nor the latest quarter
    assert _values(loaded, "T-P1") == [("2023Q2", None, 4300.0)]


def test_a_quarter_outside_the_programmes_life_takes_no_figure(loaded: Services):
    # T-01 runs 2023-01-01 to 2025-12-31: a baseline may be ten years older, a post-exit
    # measure three years later
    loaded.observations.record("T-01", "T-P1", "2013Q1", value=0.0)
    with pytest.raises(DomainError) as caught:
        loaded.observations.record("T-01", "T-P1", "2012Q4", value=0.0)
    assert str(caught.value) == (
        "2012Q4 is more than 10 years before T-01 started (2023-01-01); check the year, or "
        "correct the programme's start date")
    loaded.programmes.update("T-01", {"start_date": "2015-01-01",
                                      "planned_end_date": "2019-12-31"})
    loaded.observations.record("T-01", "T-P1", "2022Q4", value=9000.0)
    with pytest.raises(DomainError) as caught:
        loaded.observations.record("T-01", "T-P1", "2023Q3", value=9500.0)
    assert str(caught.value) == (
        "2023Q3 is more than 3 years after T-01's planned end (2019-12-31); check the year, "
        "or move the planned end date if the programme was extended")
    # a figure already held is edited whatever its quarter: only new ones are judged
    (oid,) = [o.id for o in loaded.observations.find("T-01", indicator="T-P1")
              if o.period == "2023Q2"]
    loaded.observations.update(oid, {"value": 4400.0})


def test_warnings_name_each_unusual_value_before_anything_is_saved(loaded: Services):
    before = _values(loaded, "T-P1")
    rows = [BlockRow("T-P1", "2023Q3", changes={"value": 1250.0}),
            BlockRow("T-O1", "2023Q3", "NORTH", changes={"value": 6.3}),
            BlockRow("T-O1", "2023Q2", "NORTH", changes={"value": 64.0}),
            BlockRow("T-O1", "2023Q2", "NORTH", {"sex": "female"}, changes={"comment": "x"})]
    assert loaded.observations.warnings("T-01", rows) == [
        "T-O1 2023Q3 at NORTH: 6.3 is 1/10 of 64 in 2023Q2; check for a digit too many or "
        "too few, or a decimal mark read as thousands",
        "T-P1 2023Q3: 1250 is below 4300 in 2023Q2, but this series is cumulative: a running "
        "total does not fall"]
    # the value a correction replaces counts too
    assert loaded.observations.warnings("T-01", [
        BlockRow("T-R1", "2023Q2", "NORTH", changes={"value": 875.0})]) == [
        "T-R1 2023Q2 at NORTH: 875 is 1094 times 0.8, the figure it replaces"]
    assert loaded.observations.warnings("T-01", [
        BlockRow("T-R1", "2023Q2", "NORTH", changes={"value": 0.875})]) == []
    assert _values(loaded, "T-P1") == before  # nothing saved


def test_a_block_row_that_states_no_figure_for_a_new_observation_is_still_refused_by_the_service(
        loaded: Services):
    # the paste plan leaves such rows out (missing, not zero); the service never guesses
    with pytest.raises(ValidationFailed) as caught:
        loaded.observations.apply_block("T-01", [BlockRow("T-P1", "2023Q3",
                                                          changes={"n_sample": 40})])
    assert caught.value.problems[0].startswith("row 1: value is empty and so is numerator")


# ----------------------------------------------------------------------- the workbook load


def _load_problems(services: Services, path: Path) -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        services.workbooks.load(path)
    return caught.value.problems


def test_the_load_refuses_values_outside_their_range_and_quarters_outside_the_life(
        services: Services, tmp_path: Path):
    rows = small_programme_rows()
    rows["Observations"] += [
        {"programme_code": "T-01", "indicator_code": "T-P1", "strand_code": "NORTH",
         "period": "2099Q1", "value": 5000.0},
        {"programme_code": "T-01", "indicator_code": "T-P1", "strand_code": "SOUTH",
         "period": "2023Q2", "value": -4.0},
        {"programme_code": "T-01", "indicator_code": "T-P1", "strand_code": "SOUTH",
         "period": "2023Q3", "value": 4.5},
        {"programme_code": "T-01", "indicator_code": "T-O2", "strand_code": "SOUTH",
         "period": "2023Q3", "value": "1e309"},
        {"programme_code": "T-01", "indicator_code": "T-O2", "strand_code": "NORTH",
         "period": "2023Q3", "value": "1,234"},
        {"programme_code": "T-01", "indicator_code": "T-P1", "strand_code": "SOUTH",
         "period": "2012Q4", "value": 0.0},
    ]
    problems = _load_problems(services, write(tmp_path / "p.xlsx", rows))
    assert problems == [
        "p.xlsx, sheet Observations, row 9, column 'value': '1e309' is too large to be a figure "
        "(it is beyond what can be stored); enter the figure",
        "p.xlsx, sheet Observations, row 10, column 'value': '1,234' can be read as 1.234 or as "
        "1234; write 1234 for the thousands, or add a fourth decimal (1,2340) for the "
        "fraction",
        "p.xlsx, sheet Observations, row 7, column 'value': '-4' is a count and cannot be "
        "negative",
        "p.xlsx, sheet Observations, row 8, column 'value': '4.5' is a count and must be a "
        "whole number",
        f"p.xlsx, sheet Observations, row 6, column 'period': '2099Q1' has not begun (today "
        f"is in {NOW}); enter figures for quarters up to {NOW}",
        "p.xlsx, sheet Observations, row 11, column 'period': '2012Q4' is more than 10 years "
        "before T-01 started (2023-01-01); check the year, or correct the programme's start "
        "date",
    ]
    assert services.programmes.summaries() == []  # all or nothing


def test_the_load_lists_unusual_figures_and_loads_them_all_the_same(services: Services,
                                                                    tmp_path: Path):
    rows = small_programme_rows()
    rows["Observations"] += [
        {"programme_code": "T-01", "indicator_code": "T-P1", "period": "2023Q3",
         "value": 1250.0},
        {"programme_code": "T-01", "indicator_code": "T-O1", "strand_code": "NORTH",
         "period": "2023Q3", "value": 6.3},
    ]
    result = services.workbooks.load(write(tmp_path / "p.xlsx", rows))
    assert result.warnings == [
        "sheet Observations, row 6, T-P1 2023Q3: 1250 is below 4300 in 2023Q2, but this "
        "series is cumulative: a running total does not fall",
        "sheet Observations, row 7, T-O1 2023Q3 at NORTH: 6.3 is 1/10 of 63 in 2023Q2; check "
        "for a digit too many or too few, or a decimal mark read as thousands"]
    assert result.as_json()["warnings"] == result.warnings
    assert [o.value for o in services.observations.find("T-01", indicator="T-P1")] == [
        4300.0, 1250.0]
    # loading the same file again saves nothing new, so it warns about nothing
    assert services.workbooks.load(write(tmp_path / "p.xlsx", rows)).warnings == []


def test_the_sample_programmes_pass_the_gate_without_a_warning(services: Services):
    for result in services.database.load_samples():
        assert result.created and result.warnings == []


def test_coprod_me_load_lists_the_unusual_figures(tmp_path: Path, capsys):
    from coprod_me.cli import main

    rows = small_programme_rows()
    rows["Observations"].append({"programme_code": "T-01", "indicator_code": "T-P1",
                                 "period": "2023Q3", "value": 1250.0})
    assert main(["load", str(write(tmp_path / "p.xlsx", rows)), "--db",
                 str(tmp_path / "cli.sqlite")]) == 0
    assert capsys.readouterr().out.endswith(
        "1 figure(s) look unusual next to their series; check them:\n"
        "  sheet Observations, row 6, T-P1 2023Q3: 1250 is below 4300 in 2023Q2, but this "
        "series is cumulative: a running total does not fall\n")
