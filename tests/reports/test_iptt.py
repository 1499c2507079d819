"""The IPTT of RS-01, its figures worked out by hand from the sample data, and the report's
IPTT sheet with the target revisions.

RS-01 (sample_programmes/RS-01.xlsx) records its figures per strand (IN-BLK, BD-UPZ, ID-KAB),
never for the programme as a whole, and sets its targets per strand for 2024Q4 only; its
reporting periods run 2022Q4 … 2024Q2. So the programme level combines the strands (the mean
for percentages and ratios, the sum for counts), and no quarter up to 2024Q2 has a target of
its own until a test sets one.
"""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import takewhile
from pathlib import Path

import openpyxl
import pytest

from coprod_me.paths import sample_programmes_dir
from coprod_me.reports.iptt import NARRATIVE_NEEDED, IpttRow, iptt_rows
from coprod_me.services import Services
from coprod_me.store.session import current_user

QUARTER = "2024Q2"


@pytest.fixture(scope="module")
def rs01(tmp_path_factory: pytest.TempPathFactory) -> Services:
    services = Services.open(tmp_path_factory.mktemp("db") / "rs01.sqlite")
    services.workbooks.load(sample_programmes_dir() / "RS-01.xlsx")
    yield services
    services.close()


def _rows(services: Services) -> list[IpttRow]:
    report = services.reports.read_model(["RS-01"], QUARTER)
    return iptt_rows(report.programmes[0], QUARTER)


def _at(rows: list[IpttRow], code: str, quarter: str) -> IpttRow:
    return next(r for r in rows if r.indicator.code == code and r.quarter == quarter)


def test_rows_run_outcomes_first_then_outputs_over_the_reporting_quarters(rs01: Services):
    rows = _rows(rs01)
    # 11 indicators × 7 reporting quarters (2022Q4 … 2024Q2)
    assert len(rows) == 77
    codes = list(dict.fromkeys(r.indicator.code for r in rows))
    assert codes == ["RS-O1", "RS-O2", "RS-O3", "RS-O4", "RS-O5", "RS-O6",
                     "RS-P1", "RS-P2", "RS-P3", "RS-P4", "RS-P5"]
    assert [r.quarter for r in rows[:7]] == ["2022Q4", "2023Q1", "2023Q2", "2023Q3",
                                            "2023Q4", "2024Q1", "2024Q2"]


def test_rs01_figures_checked_by_hand(rs01: Services):
    rows = _rows(rs01)
    o1 = _at(rows, "RS-O1", QUARTER)
    # RS-O1 (percent, increase), baseline 69.6 (2022Q4). 2024Q2 by strand: IN-BLK 63,
    # BD-UPZ 94, ID-KAB 78 -> mean (63 + 94 + 78) / 3 = 78.333 -> 78.3.
    # Targets 2024Q4: 85, 95, 85 -> LoP target 88.333 -> 88.3; 78.333 / 88.333 = 88.68 %.
    assert (o1.baseline, o1.actual, o1.lop_target, o1.lop_period) == (69.6, 78.3, 88.3,
                                                                      "2024Q4")
    assert o1.percent_of_lop == 88.7
    # no target of its own in 2024Q2: no target, no variance, no narrative asked
    assert (o1.target, o1.variance, o1.needs_narrative, o1.cumulative) == (None, None, False,
                                                                           None)
    assert o1.basis == "mean of 3 strand(s)"
    # RS-O2 (decrease): 2024Q2 25, 3, 14 -> 14.0; targets 10, 2, 10 -> 7.333 -> 7.3;
    # 14 / 7.333 = 190.9 % (still well above the target)
    o2 = _at(rows, "RS-O2", QUARTER)
    assert (o2.actual, o2.lop_target, o2.percent_of_lop) == (14.0, 7.3, 190.9)
    # RS-P1 (count, cumulative: each quarter records the total to date).
    # 2024Q2: 13,500 + 5,950 + 11,200 = 30,650; 2024Q1: 11,800 + 5,740 + 9,200 = 26,740;
    # gain 3,910. LoP 16,000 + 6,000 + 14,000 = 36,000; 30,650 / 36,000 = 85.14 %.
    p1 = _at(rows, "RS-P1", QUARTER)
    assert (p1.actual, p1.cumulative, p1.lop_target, p1.percent_of_lop) == (
        3910.0, 30650.0, 36000.0, 85.1)
    assert p1.basis == "sum of 3 strand(s)"
    # 2022Q4, the baseline quarter: 0 everywhere, a gain of 0 on the baseline 0
    first = _at(rows, "RS-P1", "2022Q4")
    assert (first.actual, first.cumulative) == (0.0, 0.0)
    # the gains add up to the cumulative (from the baseline 0)
    gains = [r.actual for r in rows if r.indicator.code == "RS-P1"]
    assert sum(g or 0.0 for g in gains) == 30650.0
    # RS-P4 has values in 2024Q2 only and no target: mean of 96, 97.5, 84 = 92.5
    p4 = _at(rows, "RS-P4", QUARTER)
    assert (p4.actual, p4.lop_target, p4.percent_of_lop) == (92.5, None, None)
    assert _at(rows, "RS-P4", "2024Q1").actual is None


def test_a_variance_over_ten_percent_needs_a_narrative_until_one_is_written(
        tmp_path: Path):
    services = Services.open(tmp_path / "own.sqlite")
    try:
        services.workbooks.load(sample_programmes_dir() / "RS-01.xlsx")
        # programme-level targets for 2024Q2, so the quarter has a target of its own
        services.indicators.set_target("RS-01", "RS-O1", QUARTER, 90.0)
        services.indicators.set_target("RS-01", "RS-O2", QUARTER, 15.0)
        services.indicators.set_target("RS-01", "RS-O4", "2024Q1", 60.0)
        rows = _rows(services)
        o1 = _at(rows, "RS-O1", QUARTER)
        # (78.333 - 90) / 90 = -12.96 % -> -13.0 %: worse than the target by more than 10 %
        assert (o1.target, o1.variance) == (90.0, -13.0)
        assert o1.needs_narrative and o1.status == NARRATIVE_NEEDED
        # RS-O2 falls (decrease): 14.0 against 15 is better; -(14 - 15) / 15 = +6.7 %
        o2 = _at(rows, "RS-O2", QUARTER)
        assert (o2.variance, o2.needs_narrative) == (6.7, False)
        # RS-O4 2024Q1: 64, 72, 60 (IN-BLK) -> (60 + 72 + 64) / 3 = 65.333 against 60:
        # +8.9 % better, within 10 %
        o4 = _at(rows, "RS-O4", "2024Q1")
        assert (o4.actual, o4.variance, o4.needs_narrative) == (65.3, 8.9, False)
        # the LoP target stays the last period's (2024Q4), not the quarter's own
        assert o1.lop_target == 88.3

        services.narratives.set("RS-01", "RS-O1", QUARTER,
                                "IN-BLK slipped back after the monsoon damaged pits.")
        o1 = _at(_rows(services), "RS-O1", QUARTER)
        assert not o1.needs_narrative and o1.status == ""
        assert o1.narrative == "IN-BLK slipped back after the monsoon damaged pits."

        out = services.reports.write(["RS-01"], QUARTER, tmp_path / "rs01.xlsx").file
        sheet = _sheet_rows(out)
        header = sheet.index(["Indicator", "Quarter", "Baseline", "Target", "Actual",
                              "Cumulative", "LoP target", "% of LoP target",
                              "Variance (+ = better)", "Deviation narrative"])
        row = next(r for r in sheet[header:] if r[0] and r[0].startswith("RS-O1:")
                   and r[1] == QUARTER)
        assert row[2:] == [69.6, 90, 78.3, None, 88.3, 88.7, -13,
                           "IN-BLK slipped back after the monsoon damaged pits."]
        services.narratives.clear("RS-01", "RS-O1", QUARTER)
        sheet = _sheet_rows(services.reports.write(["RS-01"], QUARTER,
                                                   tmp_path / "rs01b.xlsx").file)
        row = next(r for r in sheet if r[0] and str(r[0]).startswith("RS-O1:")
                   and r[1] == QUARTER)
        assert row[-1] == NARRATIVE_NEEDED
    finally:
        services.close()


def _sheet_rows(path: Path) -> list[list[object]]:
    ws = openpyxl.load_workbook(path)["IPTT"]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_the_iptt_sheet_lists_the_target_revisions(tmp_path: Path):
    """A target revised in the app and one revised by loading a changed programme workbook
    are both listed, with their reasons."""
    services = Services.open(tmp_path / "rev.sqlite")
    try:
        services.workbooks.load(sample_programmes_dir() / "RS-01.xlsx")
        services.indicators.set_target("RS-01", "RS-O1", "2024Q4", 92.5, strand="BD-UPZ",
                                       reason="Survey frame changed in 2024")
        exported = services.workbooks.export(["RS-01"], tmp_path / "rs01-out.xlsx")
        book = openpyxl.load_workbook(exported)
        ws = book["Targets"]
        head = [c.value for c in ws[1]]
        for row in ws.iter_rows(min_row=2):
            cells = dict(zip(head, (c for c in row), strict=False))
            if (cells["indicator_code"].value, cells["strand_code"].value) == ("RS-O1", "IN-BLK"):
                cells["value"].value = 80
        book.save(exported)
        services.workbooks.load(exported, reason="India target lowered by the steering group")

        sheet = _sheet_rows(services.reports.write(["RS-01"], QUARTER,
                                                   tmp_path / "rs01.xlsx").file)
        header = sheet.index(["Indicator", "Period", "Strand", "Previous", "New", "Revised on",
                              "Revised by", "Revision", "Change (% of previous)", "Reason"])
        listed = list(takewhile(lambda r: r[1] is not None, sheet[header + 1:]))
        assert all(r[0].startswith("RS-O1: Households where all members aged 5+ use a toilet")
                   for r in listed)
        today = datetime.now(UTC).date().isoformat()
        assert sorted(tuple(r[1:]) for r in listed) == sorted([
            ("2024Q4", "Bangladesh (BD-UPZ)", 95, 92.5, today, current_user(), 1,
             pytest.approx(-2.631579), "Survey frame changed in 2024"),
            ("2024Q4", "India (IN-BLK)", 85, 80, today, current_user(), 1,
             pytest.approx(-5.882353), "India target lowered by the steering group")])
        assert "Target revisions" in [r[0] for r in sheet]
    finally:
        services.close()
