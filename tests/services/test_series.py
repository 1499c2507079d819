"""The chart read model: series by quarter and strand, targets, disaggregation, links."""

from __future__ import annotations

import pytest

from coprod_me.model.errors import NotFound
from coprod_me.services import Services
from coprod_me.services.database import load_samples
from coprod_me.services.series import SeriesService, category_order

# RS-O1 at the Indian block, as the domain brief's sample documents it
RS_O1_IN_BLK = [("2022Q4", 58.0), ("2023Q1", 61.0), ("2023Q2", 63.0), ("2023Q3", 63.0),
                ("2023Q4", 64.0), ("2024Q1", 64.0), ("2024Q2", 63.0)]


@pytest.fixture
def samples(services: Services) -> Services:
    load_samples(services.store)
    return services


@pytest.fixture
def series(samples: Services) -> SeriesService:
    return SeriesService(samples.store)


def test_rs_o1_at_the_indian_block_holds_the_documented_totals(samples, series):
    stored = sorted((o.period, o.value) for o in samples.observations.find(
        "RS-01", indicator="RS-O1") if o.strand_code == "IN-BLK" and not o.dims)
    assert stored == RS_O1_IN_BLK  # the sample holds what the brief says
    s = series.indicator_series("RS-01", "RS-O1", strand="IN-BLK")
    assert list(s.points) == stored
    assert s.periods[0] == "2022Q4" and s.values[-1] == 63.0
    assert (s.code, s.unit, s.direction, s.result_level) == (
        "RS-O1", "percent", "increase", "outcome_intermediate")
    assert s.strand == "IN-BLK" and s.strand_name


def test_baseline_thresholds_and_targets_come_through(samples, series):
    ind = samples.indicators.get("RS-01", "RS-O1")
    s = series.indicator_series("RS-01", "RS-O1", strand="IN-BLK")
    assert (s.baseline_value, s.baseline_period) == (ind.baseline_value, ind.baseline_period)
    assert (s.amber_at, s.red_at) == (ind.amber_at, ind.red_at)
    assert s.targets == (("2024Q4", 85.0),) and s.targets_level == "strand"
    other = series.indicator_series("RS-01", "RS-O1", strand="BD-UPZ")
    assert other.targets == (("2024Q4", 95.0),)


def test_an_indicator_recorded_only_by_strand_offers_its_strands(series):
    s = series.indicator_series("RS-01", "RS-O1")
    assert s.points == () and s.strand is None
    assert not s.programme_level_has_data
    assert s.strands_with_data == ("BD-UPZ", "ID-KAB", "IN-BLK")


def test_programme_level_rows_are_the_ones_without_a_strand(samples, series):
    expected = sorted((o.period, o.value) for o in samples.observations.find(
        "HR-01", indicator="HR-O5") if o.strand_code is None and not o.dims)
    s = series.indicator_series("HR-01", "HR-O5")
    assert list(s.points) == expected and len(expected) == 8
    assert s.programme_level_has_data and s.strands_with_data == ("HH", "PA")


def test_a_strand_without_targets_of_its_own_falls_back_to_programme_targets(samples,
                                                                            series):
    # HR-O6 has a programme-level target only
    s = series.indicator_series("HR-01", "HR-O6", strand="HH")
    assert s.targets == (("2021Q4", 80.0),) and s.targets_level == "programme"
    own = series.indicator_series("HR-01", "HR-O6")
    assert own.targets == (("2021Q4", 80.0),) and own.targets_level == "programme"
    # once the strand has a target of its own, that one is shown
    samples.indicators.set_target("HR-01", "HR-O6", "2021Q4", 77.0, strand="HH")
    s = series.indicator_series("HR-01", "HR-O6", strand="HH")
    assert s.targets == (("2021Q4", 77.0),) and s.targets_level == "strand"
    # strand targets are not summed into a programme-level one
    assert series.indicator_series("RS-01", "RS-O1").targets == ()


def test_disaggregation_groups_single_dimension_cells_by_dimension_and_category(samples,
                                                                              series):
    d = series.disaggregated("RS-01", "RS-O1", strand="IN-BLK")
    assert list(d.panels) == ["social_group"]
    assert list(d.panels["social_group"]) == ["other", "sc_st"]
    stored = sorted((o.period, o.value) for o in samples.observations.find(
        "RS-01", indicator="RS-O1") if o.strand_code == "IN-BLK"
        and o.dims == {"social_group": "sc_st"})
    assert d.panels["social_group"]["sc_st"] == stored and len(stored) == 7
    assert d.cross_cells == 0
    hl = series.disaggregated("HL-01", "HL-O1")
    assert list(hl.panels) == ["age_band", "sex"]
    assert list(hl.panels["age_band"]) == ["25-44", "45-64", "65-74", "75+"]


def test_cells_crossing_dimensions_are_counted_not_drawn(samples, series):
    samples.observations.record("HL-01", "HL-O1", "2024Q2",
                                dims={"sex": "female", "age_band": "75+"}, value=47.0)
    d = series.disaggregated("HL-01", "HL-O1")
    assert d.cross_cells == 1
    assert all(47.0 not in [v for _, v in pts] for cats in d.panels.values()
               for pts in cats.values())


def test_categories_follow_the_standard_code_list_then_natural_order():
    assert category_order("age_band", ["75+", "15-24", "5-14", "0-4"]) == [
        "0-4", "5-14", "15-24", "75+"]
    assert category_order("digital_access", ["full_user", "no_access", "basic_user"]) == [
        "no_access", "basic_user", "full_user"]
    assert category_order("provider", ["P-10", "P-9", "P-1"]) == ["P-1", "P-9", "P-10"]


def test_links_run_from_outputs_to_outcomes(series):
    assert "RS-P1" in series.linked_outputs("RS-01", "RS-O1")
    assert series.linked_outputs("RS-01", "RS-O1") == ["RS-P1", "RS-P3", "RS-P4", "RS-P5"]
    assert series.linked_outcomes("RS-01", "RS-P1") == ["RS-O1", "RS-O2"]
    assert series.linked_outputs("RS-01", "RS-P1") == []
    assert series.linked_outcomes("RS-01", "RS-O5") == []


def test_unknown_codes_are_reported_as_not_found(series):
    with pytest.raises(NotFound, match="no strand 'XX'"):
        series.indicator_series("RS-01", "RS-O1", strand="XX")
    with pytest.raises(NotFound):
        series.indicator_series("RS-01", "NOPE")


def test_chart_methods_hand_back_figures_of_the_series(series):
    fig = series.turn_the_curve_chart("RS-01", "RS-O1", strand="IN-BLK")
    (history,) = [ln for ln in fig.axes[0].get_lines() if ln.get_gid() == "history"]
    assert list(history.get_ydata()) == [v for _, v in RS_O1_IN_BLK]
    assert len(series.output_vs_outcome_chart("RS-01", "RS-P1", "RS-O1",
                                              strand="IN-BLK").axes) == 2
    assert len(series.disaggregation_chart("HL-01", "HL-O1").axes) == 2
