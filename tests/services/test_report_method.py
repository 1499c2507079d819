"""The quarterly report's Method sheet: the rules behind the flags, the values used (each
programme's own with its reason), the provenance tags and the sources in full."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from coprod_me.risks.definitions import load_rules, load_sources
from coprod_me.services import Services
from coprod_me.services.database import load_samples


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    services = Services.open(tmp_path_factory.mktemp("db") / "method.sqlite")
    try:
        load_samples(services.store)
        services.rule_settings.set_parameter(
            "RS-01", "SU-2", "runway_high_pct", 40,
            reason="=district budgets are voted in October")  # formula-like on purpose
        services.rule_settings.set_parameter("HL-01", "CD-2", "drop_points", 15,
                                             reason="a ten-point fall is within noise here")
        out = tmp_path_factory.mktemp("report") / "rs01.xlsx"
        services.reports.write(["RS-01"], "2024Q2", out, sections=["Method"])
        return out
    finally:
        services.close()


def _rows(path: Path) -> list[list[object]]:
    ws = openpyxl.load_workbook(path)["Method"]
    return [[c for c in row] for row in ws.iter_rows(values_only=True)]


def test_the_method_sheet_lists_every_rule_with_its_default_values(report: Path):
    rows = _rows(report)
    by_rule = {r[0]: r for r in rows if r and r[0] in load_rules()}
    assert set(by_rule) == set(load_rules())
    su2 = by_rule["SU-2"]
    assert su2[1] == "Funding runway"
    assert "runway floor, high (%) = 50 % [CONV]" in str(su2[5])
    cl1 = by_rule["CL-1"]
    assert "HHI highly concentrated (DOJ/FTC 2010) = 2,500 HHI points [REG]" in str(cl1[5])


def test_the_method_sheet_lists_the_programme_s_own_values_with_their_reason(report: Path):
    rows = _rows(report)
    # the rule first, so its parameter and reason print in the wide columns (issue 15)
    overrides = [r for r in rows if r and r[5] == "RS-01"]
    assert len(overrides) == 1, "only this report's programme, not HL-01's"
    (o,) = overrides
    assert tuple(o[:5]) == ("SU-2", "runway floor, high (%) (runway_high_pct)",
                            "=district budgets are voted in October", "40 %", "50 %")
    ws = openpyxl.load_workbook(report)["Method"]
    cell = next(c for row in ws.iter_rows() for c in row
                if c.value == "=district budgets are voted in October")
    assert cell.data_type == "s", "a reason that looks like a formula stays text"


def test_the_method_sheet_explains_the_tags_and_gives_the_sources_in_full(report: Path):
    rows = _rows(report)
    # the text beside each key: in the rules table's wide column on the printed page
    firsts = {r[0]: next((v for v in r[1:] if v), None) for r in rows if r and r[0]}
    for tag in ("[LIT]", "[ANCHOR]", "[REG]", "[CONV]"):
        assert firsts.get(tag)
    assert "docs/rules.md" in str(firsts["Method"])
    sources = load_sources()
    for key in load_rules()["CD-1"].citations:
        assert firsts.get(key) == sources[key]
