"""The Portfolio's rows: hand-checked on a small built programme, and the same rules as the
badges, the report's headline and ``coprod-me gates``."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from coprod_me.model.category_status import CategoryStatus, category_statuses, rollup
from coprod_me.model.errors import Cancelled, NotFound
from coprod_me.model.tracking import Track
from coprod_me.reports import quarterly_figures as F
from coprod_me.reports.portfolio_model import COLUMNS, LOOK_BACK
from coprod_me.services import Services
from coprod_me.services.database import load_samples
from tests.builders import small_programme_rows, write


@pytest.fixture
def loaded(services: Services, tmp_path: Path) -> Services:
    services.workbooks.load(write(tmp_path / "p.xlsx", small_programme_rows()))
    return services


def test_a_small_programme_by_hand(loaded: Services):
    """T-01 in 2023Q2. Outcomes: T-O1 is 63 at NORTH (its programme value, the mean of one
    strand), target 85 by 2024Q4, baseline 58: better than the baseline, short of the target,
    so on track; T-O2 has no value in 2023Q2 or the four quarters before: no data.
    Completeness: 3 indicators × 2 strands = 6 totals expected; T-O1 at NORTH has one (its
    cell by sex is no total), T-P1's programme-level total counts at both strands, T-O2 has
    none: 3 of 6. The gates all hold; the rules never ran: every category 'not checked yet'."""
    p = loaded.portfolio.portfolio("2023Q2")
    assert p.quarter == "2023Q2"
    assert p.quarters == ["2023Q2", "2023Q1"]
    (row,) = p.rows
    assert (row.code, row.name) == ("T-01", "Test sanitation programme")
    assert (row.on_track, row.at_risk, row.off_track, row.no_data) == (1, 0, 0, 1)
    assert (row.expected_totals, row.reported_totals) == (6, 3)
    assert row.completeness == pytest.approx(50.0)
    assert row.gates_unmet == ()
    assert [c.words for c in row.categories] == ["not checked yet"] * 5
    assert not row.needs_attention
    text = {c.header: c.text(row) for c in COLUMNS}
    assert text["Data complete"] == "50 % (3 of 6)"
    assert text["Gates unmet"] == "none"


def test_an_earlier_quarter_and_the_latest_by_default(loaded: Services):
    """2023Q1: T-O1 is 61 at NORTH (on track, 61 > 58); only T-O1 at NORTH reported: 1 of 6.
    Without a quarter the latest with a total (2023Q2) is shown."""
    row = loaded.portfolio.portfolio("2023Q1").rows[0]
    assert (row.on_track, row.no_data, row.reported_totals) == (1, 1, 1)
    assert loaded.portfolio.portfolio().quarter == "2023Q2"


def test_gates_unmet_as_coprod_me_gates_says(services: Services, tmp_path: Path):
    rows = small_programme_rows()
    rows["Indicators"][1]["disaggregation_required"] = ""  # T-O2 now fails G4
    services.workbooks.load(write(tmp_path / "p.xlsx", rows))
    row = services.portfolio.portfolio("2023Q2").rows[0]
    assert row.gates_unmet == ("G4",)
    assert [g.code for g in services.programmes.gates("T-01") if not g.met] == ["G4"]
    assert row.needs_attention


def test_categories_are_the_badges_after_the_rules_ran(loaded: Services):
    loaded.risk_runs.run("T-01")
    for quarter in ("2023Q1", "2023Q2"):
        row = loaded.portfolio.portfolio(quarter).rows[0]
        _shown, statuses = loaded.flag_register.statuses("T-01", quarter)
        assert row.categories == tuple(statuses.values())
        assert all(c.checked for c in row.categories)


def test_the_category_rule_by_hand():
    flags = [("equity", "medium", "open"), ("equity", "medium", "acknowledged"),
             ("equity", "medium", "mitigating"), ("equity", "critical", "closed_resolved"),
             ("clientelism", "low", "mitigating"), ("sustainability", "high",
                                                    "closed_false_positive")]
    got = category_statuses(flags)
    # three open mediums show as high; the closed critical does not count
    assert got["equity"] == CategoryStatus("equity", "high", 1, 1)
    assert got["equity"].words == "high · 1 acknowledged · 1 mitigating"
    assert got["equity"].text == "Equity: high · 1 acknowledged · 1 mitigating"
    assert got["equity"].rag == "red"
    assert got["clientelism"].words == "low · 1 mitigating"
    assert got["clientelism"].rag == "green"
    assert got["sustainability"].words == "no open flag"
    assert category_statuses([], checked=False)["equity"].words == "not checked yet"
    assert rollup(["medium", "medium", "high"]) == "high"
    assert rollup(["medium", "medium"]) == "medium"


def test_filtered_by_code_unknown_codes_and_cancel(loaded: Services):
    assert [r.code for r in loaded.portfolio.portfolio("2023Q2", ["T-01"]).rows] == ["T-01"]
    with pytest.raises(NotFound, match="NOPE"):
        loaded.portfolio.portfolio("2023Q2", ["T-01", "NOPE"])
    with pytest.raises(Cancelled):
        loaded.portfolio.portfolio("2023Q2", cancelled=lambda: True)
    seen: list[tuple[int, int]] = []
    loaded.portfolio.portfolio("2023Q2", progress=lambda d, t, _m: seen.append((d, t)))
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)


def test_an_empty_database_has_no_quarter(services: Services):
    p = services.portfolio.portfolio()
    assert (p.quarter, p.rows) == (None, [])


def test_the_outcome_statuses_are_the_reports_headlines(services: Services):
    """Every sample's outcome counts in 2024Q2 as the report's headline judges each outcome
    (the report's own read model), and the window read covers what the headline reads."""
    assert LOOK_BACK == F.LOOK_BACK + 1
    from coprod_me.services.database import load_samples
    load_samples(services.store)
    rows = {r.code: r for r in services.portfolio.portfolio("2024Q2").rows}
    report = services.reports.read_model(list(rows), "2024Q2", sections=["Summary"])
    for p in report.programmes:
        ind_rows = F.indicator_rows(p, "2024Q2")
        counts = dict.fromkeys(Track, 0)
        for ind in (i for i in p.indicators if i.is_outcome):
            counts[F.headline(p, ind, ind_rows, "2024Q2").status.track] += 1
        r = rows[p.code]
        assert (r.on_track, r.at_risk, r.off_track, r.no_data) == (
            counts[Track.ON_TRACK], counts[Track.AT_RISK], counts[Track.OFF_TRACK],
            counts[Track.NO_DATA]), p.code
    assert report.portfolio == tuple(rows.values())


def test_the_report_colours_each_category_by_its_leading_word(services: Services,
                                                              tmp_path: Path):
    """'high · 1 mitigating' is as red as 'high' on the Portfolio sheet, and 'no open flag'
    as green as the badge."""
    load_samples(services.store)
    services.risk_runs.run()
    flag = services.flag_register.register("RS-01", quarter="2024Q2", category="equity",
                                           status="open")[0]
    services.flag_register.mitigate(flag.id, mitigation="outreach in the hamlets",
                                    owner="block office")
    out = services.reports.write(["RS-01", "KR-01"], "2024Q2", tmp_path / "pf.xlsx",
                                 sections=["Summary"]).file
    ws = openpyxl.load_workbook(out)["Portfolio"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(rows) if r[0] == "Programme")
    column = rows[header].index("Equity and digital divide") + 1 \
        if "Equity and digital divide" in rows[header] else rows[header].index("Equity") + 1
    rs01 = next(r for r in rows[header + 1:] if r[0] == "RS-01")
    assert rs01[column - 1].startswith("high · ") and "mitigating" in rs01[column - 1]
    letter = get_column_letter(column)
    rules = {r.formula[0]: r for cf in ws.conditional_formatting for r in cf.rules
             if str(cf.sqref).startswith(letter)}
    high = rules[f'LEFT({letter}{header + 2},4)="high"']
    assert high.dxf.fill.fgColor.rgb.endswith("FFC7CE")
    assert f'LEFT({letter}{header + 2},12)="no open flag"' in rules
