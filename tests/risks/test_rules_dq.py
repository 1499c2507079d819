"""The data integrity rules DQ-1..DQ-5, written from the rule text: each threshold from both
sides, each severity arm, and the numbers the why and severity reason must say."""

from __future__ import annotations

from dataclasses import replace

import pytest

from coprod_me.risks.engine import evaluate
from coprod_me.risks.kit import Finding
from coprod_me.risks.snapshot import IndicatorRef, Point, Spread
from tests.risks.programmes import QUARTERS, indicator, snapshot

LAST = QUARTERS[-1]


def _found(rule: str, snap: object, quarter: str = LAST) -> list[Finding]:
    return [f for f in evaluate(snap, only=[rule])  # type: ignore[arg-type]
            if f.rule_id == rule and f.quarter == quarter]


# ------------------------------------------------------------------------------------------
# DQ-1: reported vs verified gap >= 10 points (percentages) or >= 20 % relative


def _pair(reported: float, verified: float, *, unit: str = "percent",
          reported_type: str = "self_report_provider", verified_quarter: str = LAST,
          ) -> object:
    r = IndicatorRef(id=1, code="R1", name="Households with a toilet (provider MIS)",
                     strand=None, result_level="outcome_short", unit=unit,
                     direction="increase", construct_code="TOILET",
                     verification_type=reported_type)
    v = IndicatorRef(id=2, code="V1", name="Households using a functional toilet",
                     strand=None, result_level="outcome_short", unit=unit,
                     direction="increase", construct_code="TOILET",
                     verification_type="independent_survey")
    return snapshot(indicators=[r, v], totals={(1, None): {LAST: Point(reported)},
                                               (2, None): {verified_quarter: Point(verified)}})


def test_dq1_raises_high_at_a_gap_of_exactly_ten_points() -> None:
    [f] = _found("DQ-1", _pair(90, 80))
    assert f.severity == "high"
    assert "90 %" in f.why and "80 %" in f.why and "10 points" in f.why
    assert "Households with a toilet (provider MIS)" in f.why and "R1" not in f.why
    assert "high" in f.severity_reason and "10 points" in f.severity_reason
    gap = next(t for t in f.thresholds if t["name"] == "gap_pp")
    assert gap["value"] == 10 and gap["unit"] == "points" and gap["observed"] == 10
    assert all("unit" in t for t in f.thresholds)
    assert f.next_step and f.sources


def test_dq1_does_not_raise_just_under_ten_points() -> None:
    assert _found("DQ-1", _pair(89.9, 80)) == []


def test_dq1_raises_when_the_reported_figure_is_below_the_verified_one() -> None:
    [f] = _found("DQ-1", _pair(70, 81))
    assert f.severity == "high" and "11 points below" in f.why


def test_dq1_the_brief_example_96_against_79_is_a_17_point_gap() -> None:
    [f] = _found("DQ-1", _pair(96, 79))
    assert "17 points above" in f.why and "96 %" in f.why and "79 %" in f.why


def test_dq1_relative_gap_of_twenty_percent_raises_and_nineteen_does_not() -> None:
    [f] = _found("DQ-1", _pair(1200, 1000, unit="count"))
    assert f.severity == "high"
    assert "1,200" in f.why and "1,000" in f.why and "20 % above the independent one" in f.why
    assert "20 %" in f.severity_reason
    rel = next(t for t in f.thresholds if t["name"] == "gap_rel")
    assert rel["unit"] == "ratio"
    assert _found("DQ-1", _pair(1190, 1000, unit="count")) == []


def test_dq1_reads_the_adjacent_quarter_but_not_two_away() -> None:
    [f] = _found("DQ-1", _pair(96, 79, verified_quarter=QUARTERS[-2]))
    assert f"adjacent quarter {QUARTERS[-2]}" in f.why
    assert _found("DQ-1", _pair(96, 79, verified_quarter=QUARTERS[-3])) == []


@pytest.mark.parametrize("kind", ["administrative", "self_report_provider"])
def test_dq1_reported_side_is_provider_or_administrative(kind: str) -> None:
    assert len(_found("DQ-1", _pair(96, 79, reported_type=kind))) == 1


def test_dq1_names_a_source_once() -> None:
    [f] = _found("DQ-1", _pair(96, 79))  # the provider's name says "provider MIS" already
    assert "own reporting" not in f.why and "self_report" not in f.why
    assert "(an independent survey)" in f.why  # the survey's name does not say it
    [g] = _found("DQ-1", _pair(96, 79, reported_type="administrative"))
    assert "(administrative records)" not in g.why  # "provider MIS" in the name: said once


def test_dq1_a_users_own_report_is_not_the_reported_side() -> None:
    assert _found("DQ-1", _pair(96, 79, reported_type="self_report_user")) == []


# ------------------------------------------------------------------------------------------
# DQ-2: >= 20 % of required observations (with required breakdowns) missing


def _outputs(count: int, missing_now: int) -> object:
    """``count`` output series with values every quarter; ``missing_now`` lack the last."""
    inds = [indicator(i, f"P{i}", "output", "count") for i in range(1, count + 1)]
    totals = {(i.id, None): {q: Point(10.0) for q in QUARTERS
                             if not (q == LAST and i.id <= missing_now)} for i in inds}
    return snapshot(indicators=inds, totals=totals)


def test_dq2_raises_medium_at_exactly_twenty_percent_missing() -> None:
    [f] = _found("DQ-2", _outputs(5, 1))
    assert f.severity == "medium"
    assert "1 of the 5" in f.why and "20 %" in f.why
    assert "medium" in f.severity_reason and "20 %" in f.severity_reason
    [t] = f.thresholds
    assert t["value"] == 20 and t["unit"] == "percent" and t["observed"] == 20.0


def test_dq2_does_not_raise_just_under_twenty_percent() -> None:
    assert _found("DQ-2", _outputs(6, 1)) == []  # 1 of 6 = 16.7 %


def test_dq2_a_series_that_stopped_reporting_is_missing() -> None:
    inds = [indicator(1, "P1", "output", "count"), indicator(2, "P2", "output", "count")]
    totals = {(1, None): {q: Point(5.0) for q in QUARTERS},
              (2, None): {q: Point(5.0) for q in QUARTERS[:3]}}
    [f] = _found("DQ-2", snapshot(indicators=inds, totals=totals))
    assert "1 of the 2" in f.why and "50 %" in f.why


def test_dq2_an_annual_indicator_is_expected_once_a_year() -> None:
    inds = [indicator(1, "P1", "output", "count", frequency_quarters=4),
            indicator(2, "P2", "output", "count")]
    totals = {(1, None): {QUARTERS[0]: Point(5.0), QUARTERS[4]: Point(6.0)},
              (2, None): {q: Point(5.0) for q in QUARTERS}}
    assert _found("DQ-2", snapshot(indicators=inds, totals=totals)) == []  # off-cycle
    del totals[(1, None)][QUARTERS[4]]  # its yearly value is due in QUARTERS[4]
    assert len(_found("DQ-2", snapshot(indicators=inds, totals=totals),
                      quarter=QUARTERS[4])) == 1


def test_dq2_counts_an_outcomes_missing_required_breakdown() -> None:
    inds = [indicator(1, "O1", "outcome_short", disaggregation_required=("sex",)),
            *(indicator(i, f"P{i}", "output", "count") for i in (2, 3, 4))]
    totals = {(i.id, None): {q: Point(50.0) for q in QUARTERS} for i in inds}
    spread = {q: Spread(40.0, 60.0, "f", "m", 2) for q in QUARTERS[:-1]}
    [f] = _found("DQ-2", snapshot(indicators=inds, totals=totals,
                                  spreads={(1, None, "sex"): spread}))
    assert "1 of the 5" in f.why and "1 required breakdowns" in f.why  # 20 %
    spread[LAST] = Spread(40.0, 60.0, "f", "m", 2)
    assert _found("DQ-2", snapshot(indicators=inds, totals=totals,
                                   spreads={(1, None, "sex"): spread})) == []


def test_dq2_context_indicators_are_not_required() -> None:
    inds = [indicator(1, "C1", "context", "count"), indicator(2, "P2", "output", "count")]
    totals = {(1, None): {QUARTERS[0]: Point(5.0)}, (2, None): {q: Point(5.0) for q in QUARTERS}}
    assert _found("DQ-2", snapshot(indicators=inds, totals=totals)) == []


# ------------------------------------------------------------------------------------------
# DQ-3: |v_t - v_t-1| > 3 x median |QoQ change| over the history (>= 4 points)


def _series(*values: float, unit: str = "count") -> object:
    ind = IndicatorRef(id=1, code="P1", name="Home-help visits", strand=None,
                       result_level="output", unit=unit, direction="increase")
    quarters = QUARTERS[-len(values):]
    return snapshot(indicators=[ind],
                    totals={(1, None): {q: Point(v) for q, v in zip(quarters, values,
                                                                    strict=True)}})


def test_dq3_raises_info_just_past_three_times_the_median_change() -> None:
    # earlier changes 100, 100, 100: median 100, limit 300; 1,100 -> 1,450 is 350
    [f] = _found("DQ-3", _series(1000, 1100, 1000, 1100, 1450))
    assert f.severity == "info"
    assert "Home-help visits" in f.why and "P1" not in f.why
    assert "1,100 → 1,450" in f.why and "350" in f.why and "median quarterly change of 100" in f.why
    assert "limit 300" in f.why and "4 earlier values" in f.why
    assert "info" in f.severity_reason and "350" in f.severity_reason and "300" in f.severity_reason
    assert {t["unit"] for t in f.thresholds} == {"ratio", "count"}


def test_dq3_does_not_raise_at_exactly_three_times_the_median_change() -> None:
    assert _found("DQ-3", _series(1000, 1100, 1000, 1100, 1400)) == []


def test_dq3_needs_four_values_before_the_one_judged() -> None:
    assert _found("DQ-3", _series(1000, 1100, 1000, 5000)) == []  # three before
    assert len(_found("DQ-3", _series(1000, 1100, 1000, 1100, 5000))) == 1


def test_dq3_a_flat_history_asks_for_more_than_five_percent_of_the_level() -> None:
    [f] = _found("DQ-3", _series(40, 40, 40, 40, 43))  # 3 > 5 % of 40 = 2
    assert "never changed" in f.why and "40 → 43" in f.why and "(2)" in f.why
    assert _found("DQ-3", _series(40, 40, 40, 40, 42)) == []  # 2 is not above 2


def test_dq3_a_half_median_of_counts_is_shown_with_its_decimal() -> None:
    # earlier changes 1, 2, 1, 2: median 1.5, limit 4.5; 16 -> 21 is 5
    [f] = _found("DQ-3", _series(10, 11, 13, 14, 16, 21))
    assert "median quarterly change of 1.5" in f.why and "limit 4.5" in f.why
    assert _found("DQ-3", _series(10, 11, 13, 14, 16, 20)) == []  # 4 is not above 4.5


def test_dq3_says_just_under_when_rounding_would_show_the_limit_equal() -> None:
    # changes 0.15 (median), limit 0.45; 0.5 shown at one decimal
    [f] = _found("DQ-3", _series(68.0, 68.15, 68.0, 68.15, 68.65, unit="score_0_100"))
    assert "just under 0.5" in f.why


# ------------------------------------------------------------------------------------------
# DQ-4: any structural gate unmet -> medium, at the latest quarter


def _gates(*unmet: str) -> object:
    o = indicator(1, "P1", "output", "count")
    return replace(snapshot(indicators=[o], totals={(1, None): {q: Point(1.0) for q in QUARTERS}}),
                   gates_unmet=unmet)


def test_dq4_raises_medium_at_the_latest_quarter_when_a_gate_is_unmet() -> None:
    snap = _gates("0 outcome(s) for 1 output(s)", "only 0 outcome indicator(s)")
    found = [f for f in evaluate(snap, only=["DQ-4"]) if f.rule_id == "DQ-4"]  # type: ignore[arg-type]
    [f] = found
    assert f.quarter == LAST and f.severity == "medium"
    assert "fails 2 structural outcome checks" in f.why and "0 outcome(s) for 1 output(s)" in f.why
    assert "medium" in f.severity_reason and "2 structural gate conditions" in f.severity_reason


def test_dq4_does_not_raise_when_every_gate_is_met() -> None:
    assert [f for f in evaluate(_gates(), only=["DQ-4"])  # type: ignore[arg-type]
            if f.rule_id == "DQ-4"] == []


# ------------------------------------------------------------------------------------------
# DQ-5: every outcome observation of the period self-reported by the provider -> medium


def _outcomes(*kinds: str | None, point_kind: str | None = None) -> object:
    inds = [indicator(i, f"O{i}", "outcome_short", verification_type=k)
            for i, k in enumerate(kinds, start=1)]
    totals = {(i.id, None): {LAST: Point(50.0, None, point_kind)} for i in inds}
    return snapshot(indicators=inds, totals=totals)


def test_dq5_raises_medium_when_every_outcome_is_self_reported_by_the_provider() -> None:
    [f] = _found("DQ-5", _outcomes("self_report_provider", "self_report_provider"))
    assert f.severity == "medium" and "All 2 outcome observations" in f.why
    assert "medium" in f.severity_reason and "2" in f.severity_reason


def test_dq5_does_not_raise_when_one_outcome_is_independently_checked() -> None:
    assert _found("DQ-5", _outcomes("self_report_provider", "independent_survey")) == []


def test_dq5_an_observations_own_verification_counts_over_its_indicators() -> None:
    assert _found("DQ-5", _outcomes("independent_survey",
                                    point_kind="self_report_provider")) != []
    assert _found("DQ-5", _outcomes("self_report_provider",
                                    point_kind="observation")) == []


def test_dq5_does_not_raise_without_outcome_observations() -> None:
    o = indicator(1, "P1", "output", "count", verification_type="self_report_provider")
    assert _found("DQ-5", snapshot(indicators=[o], totals={(1, None): {LAST: Point(1.0)}})) == []


# ------------------------------------------------------------------------------------------
# Checklist flags: the question, the answer, what it implies and what would clear it


@pytest.mark.parametrize(("answer", "severity", "arm"), [
    ("no", "high", "risk answer"), ("partly", "medium", "partly"), ("unknown", "medium",
                                                                     "one level below")])
def test_a_checklist_flag_says_what_the_answer_implies_and_what_would_clear_it(
        answer: str, severity: str, arm: str) -> None:
    from coprod_me.model import entities as M
    from coprod_me.risks.definitions import load_checklist_items

    item = load_checklist_items()["CDQ-1"]
    row = M.ChecklistResponse(programme_id=1, period=LAST, item_code="CDQ-1", answer=answer)
    [f] = [f for f in evaluate(snapshot(checklist=(row,)), only=[])  # type: ignore[arg-type]
           if f.rule_id == "CDQ-1"]
    assert f.severity == severity and arm in f.severity_reason
    assert item.question in f.why and f"'{answer}'" in f.why
    assert item.implies in f.why and item.clears in f.why
    assert item.clears in f.next_step and f.sources


def test_an_answer_that_is_not_the_risk_answer_raises_nothing() -> None:
    from coprod_me.model import entities as M

    row = M.ChecklistResponse(programme_id=1, period=LAST, item_code="CDQ-2", answer="yes")
    assert [f for f in evaluate(snapshot(checklist=(row,)), only=[])  # type: ignore[arg-type]
            if f.rule_id == "CDQ-2"] == []


def test_every_checklist_item_says_what_a_risk_answer_implies_and_what_clears_it() -> None:
    from coprod_me.risks.definitions import load_checklist_items

    for item in load_checklist_items().values():
        assert item.implies and item.clears, item.code
