"""The report's numbers, from hand-built read models (no database, no workbook)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from coprod_me.model.cell_text import is_formula_like
from coprod_me.reports import quarterly_figures as F
from coprod_me.reports.quarterly_model import (
    Flag,
    FundingInfo,
    IndicatorInfo,
    Link,
    Measurement,
    ProgrammeData,
    QuarterlyReport,
    SpendAmount,
    TargetValue,
)
from coprod_me.reports.quarterly_sheets import build_sheets
from coprod_me.reports.quarterly_workbook import build_workbook

OUTCOME = IndicatorInfo(code="X-O1", name="Households using a toilet",
                        result_level="outcome_short", rba_quadrant="better_off", unit="percent",
                        direction="increase", baseline_value=50.0, amber_at=45.0, red_at=40.0)
OUTPUT = IndicatorInfo(code="X-P1", name="Toilets built", result_level="output",
                       rba_quadrant="how_much", unit="count", direction="increase")


def _m(code: str, period: str, value: float, dims: tuple[tuple[str, str], ...] = (),
       **kw: float) -> Measurement:
    return Measurement(code, "N", period, dims, value, **kw)  # type: ignore[arg-type]


def programme(**kw: object) -> ProgrammeData:
    base: dict[str, object] = dict(
        code="X-01", name="Example", indicators=(OUTCOME, OUTPUT),
        measurements=(
            _m("X-O1", "2024Q1", 51.0), _m("X-O1", "2024Q2", 52.0), _m("X-O1", "2024Q3", 52.5),
            _m("X-P1", "2024Q1", 100.0), _m("X-P1", "2024Q2", 130.0),
            _m("X-P1", "2024Q3", 180.0),
            _m("X-O1", "2024Q3", 60.0, (("sex", "female"),), n_sample=40.0),
            _m("X-O1", "2024Q3", 30.0, (("sex", "male"),), n_sample=3.0),
        ),
        targets=(TargetValue("X-O1", "N", "2024Q4", 70.0),),
        links=(Link("X-P1", "X-O1", "toilets enable use", "hypothesised"),))
    base.update(kw)
    return ProgrammeData(**base)  # type: ignore[arg-type]


def report(p: ProgrammeData, **kw: object) -> QuarterlyReport:
    return QuarterlyReport("2024Q3", (p,), datetime(2024, 10, 1, tzinfo=UTC),
                           ("programme_code", "indicator_code"), **kw)  # type: ignore[arg-type]


def test_rows_put_outcomes_before_outputs_with_baseline_target_and_status():
    rows = F.indicator_rows(programme(), "2024Q3")
    assert [r.indicator.code for r in rows] == ["X-O1", "X-P1"]
    o1 = rows[0]
    assert (o1.baseline, o1.target, o1.target_period, o1.latest) == (50.0, 70.0, "2024Q4", 52.5)
    assert o1.rag == "green"
    assert o1.change("2024Q3", 1) == pytest.approx(0.5)


def test_busy_but_not_better_when_the_output_races_ahead_of_a_flat_outcome():
    rows = {r.indicator.code: r for r in F.indicator_rows(programme(), "2024Q3")}
    assert F.divergence(rows["X-P1"], rows["X-O1"], "2024Q3") == "busy, not better"
    assert F.divergence(rows["X-P1"], None, "2024Q3") == "no linked outcome values"


@pytest.mark.parametrize(("n", "threshold", "hidden"), [(3, 5, True), (5, 5, False),
                                                         (3, 0, False), (None, 5, False)])
def test_small_disaggregated_counts_are_suppressed(n, threshold, hidden):
    m = Measurement("X", None, "2024Q1", (("sex", "male"),), 10.0, n_sample=n)
    assert F.suppressed(m, "percent", threshold) is hidden
    total = Measurement("X", None, "2024Q1", (), 3.0, n_sample=3)
    assert not F.suppressed(total, "count", threshold)  # totals are not disaggregated


def _flag(rule: str, severity: str, period: str = "2024Q3", status: str = "open",
          category: str = "equity") -> Flag:
    return Flag(None, period, rule, "", category, severity, severity, status)


def test_three_open_medium_flags_show_their_category_as_high():
    flags = [_flag("EQ-1", "medium"), _flag("EQ-3", "medium"), _flag("EQ-6", "medium"),
             _flag("SU-2", "low", category="sustainability")]
    rags = {r.category: r for r in F.category_rags(flags, "2024Q3")}
    assert (rags["equity"].level, rags["equity"].rag) == ("high", "red")
    assert rags["sustainability"].rag == "green"
    assert rags["clientelism"].open_flags == 0
    assert {r.rag for r in F.category_rags(None, "2024Q3")} == {"not computed"}


def test_flag_changes_new_escalated_continuing_closed():
    flags = [_flag("EQ-1", "medium", "2024Q2"), _flag("EQ-1", "high"),
             _flag("EQ-3", "medium", "2024Q2"), _flag("EQ-3", "medium"),
             _flag("EQ-6", "low"), _flag("SU-2", "high", "2024Q2", category="sustainability"),
             _flag("EQ-5", "medium", status="closed_resolved")]
    changes = {(f.rule_id, f.period): c for f, c in F.flag_changes(flags, "2024Q3")}
    assert changes[("EQ-1", "2024Q3")] == "escalated"
    assert changes[("EQ-3", "2024Q3")] == "continuing"
    assert changes[("EQ-6", "2024Q3")] == "new"
    assert changes[("EQ-5", "2024Q3")] == "closed"
    assert changes[("SU-2", "2024Q2")] == "not raised this quarter"


def test_runway_spreads_commitments_over_their_quarters():
    p = programme(
        funding=(FundingInfo("F1", None, "N", "project_grant", None, None, 400.0,
                             date(2024, 1, 1), date(2024, 12, 31)),),
        spend=tuple(SpendAmount("N", q, 100.0) for q in ("2023Q4", "2024Q1", "2024Q2",
                                                         "2024Q3")))
    (r,) = [r for r in F.runway(p, "2024Q3") if r.quarter == "2024Q3"]
    # only 2024Q4 (100) of the next four quarters is committed; 400 spent in the last four
    assert (r.committed_ahead, r.trailing_spend, r.percent, r.rag) == (100.0, 400.0, 25.0,
                                                                       "red")


def test_formula_like_text_is_recognised():
    for text in ("=1+1", "+44 20", "-x", "@SUM(A1)", "\tcmd", "\rcmd"):
        assert is_formula_like(text)
    for value in ("a=b", 5, -3.0, None, ""):
        assert not is_formula_like(value)


def test_the_workbook_builds_from_the_read_model_alone(tmp_path):
    p = programme()
    sheets = build_sheets(report(p))
    names = [s.name for s in sheets]
    assert names[:3] == ["README", "Summary", "Outcomes"] and names[-1] == "Observations_raw"
    dis = next(s for s in sheets if s.name == "Disaggregation").blocks[0]
    male = next(r for r in dis.rows if "male" in r and "female" not in r)
    assert male[dis.columns.index(next(c for c in dis.columns if c.header == "n"))] == "<5"
    wb = build_workbook(report(p))
    wb.save(tmp_path / "x.xlsx")
    assert (tmp_path / "x.xlsx").stat().st_size > 5000


def test_a_quarter_without_observations_or_flags_is_no_data_not_green():
    flags = [_flag("EQ-1", "medium", "2024Q2")]
    rags = F.category_rags(flags, "2024Q3", has_data=False)
    assert {r.rag for r in rags} == {"no data"}
    assert {r.rag for r in F.category_rags(flags, "2024Q3")} == {"green"}
