"""The IATI 2.03 activity built from a programme, and the checks it passes before writing."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from lxml import etree

from coprod_me.model.amounts import UNIT_DECIMALS
from coprod_me.reports import iati_activity as X
from coprod_me.reports.iati_model import IatiProgramme, Participant
from coprod_me.reports.quarterly_model import IndicatorInfo, Measurement, TargetValue
from coprod_me.services.iati_exports import SCHEMA_DIR, schema

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "iati"
WHEN = datetime(2024, 7, 15, 9, 30, tzinfo=UTC)


def _indicator(code: str, level: str, unit: str, direction: str = "increase",
               **kw: object) -> IndicatorInfo:
    return IndicatorInfo(code=code, name=f"Indicator {code}", result_level=level,
                         rba_quadrant="how_well", unit=unit, direction=direction, **kw)


def _programme(**changes: object) -> IatiProgramme:
    p = IatiProgramme(
        code="P-1", name="A programme", description="What it does.",
        iati_identifier="XI-TEST-1-P-1", reporting_org_ref="XI-TEST-1",
        reporting_org_name="Reporter", reporting_org_type="21", activity_status="2",
        sector_code="14032", default_language="en", currency="USD",
        countries=("IN", "BD", "ID"), start_date=date(2022, 10, 1),
        planned_end_date=date(2026, 6, 30),
        lead_agency=Participant("LEAD", "Lead agency", "lead_agency", "government_unit"),
        participants=(Participant("LEAD", "Lead agency", "provider", "government_unit"),
                      Participant("FUND", "A donor", "funder", "funder_philanthropy", "XM-1"),
                      Participant("POL", "A mayor", "sponsor", "political_office")),
        indicators=(_indicator("OUT-1", "output", "count"),
                    _indicator("OC-1", "outcome_short", "percent", "decrease",
                               baseline_value=41.234, baseline_period="2022Q4"),
                    _indicator("OC-2", "impact", "score_0_100", "maintain_range"),
                    _indicator("IN-1", "input", "currency")),
        measurements=(
            Measurement("OUT-1", "S1", "2024Q1", (), 10.0),
            Measurement("OUT-1", "S2", "2024Q1", (), 15.0),
            Measurement("OUT-1", "S1", "2024Q1", (("sex", "female"),), 7.0, n_sample=7),
            Measurement("OUT-1", "S2", "2024Q1", (("sex", "female"),), 9.0, n_sample=9),
            Measurement("OUT-1", "S1", "2024Q1", (("sex", "male"),), 3.0, n_sample=3),
            Measurement("OUT-1", "S2", "2024Q1", (("sex", "male"),), 6.0, n_sample=6),
            Measurement("OC-1", None, "2024Q1", (), 38.26),
            Measurement("OC-2", None, "2024Q2", (), 70.0)),
        targets=(TargetValue("OUT-1", None, "2024Q4", 60.0),
                 TargetValue("OC-1", "S1", "2024Q4", 30.0),
                 TargetValue("OC-1", "S2", "2024Q4", 34.0)))
    return replace(p, **changes)  # type: ignore[arg-type]


def _build(*programmes: IatiProgramme, threshold: int = 5,
           notes: X.BuildNotes | None = None) -> etree._Element:
    return X.build(programmes or (_programme(),), threshold=threshold,
                   decimals=UNIT_DECIMALS, generated_at=WHEN, notes=notes)


def test_the_shipped_schemas_accept_the_iati_example_and_reject_a_missing_measure():
    assert (SCHEMA_DIR / "LICENCE.md").is_file()
    good = etree.parse(str(FIXTURES / "results-example.xml"))
    bad = etree.parse(str(FIXTURES / "results-invalid-missing-measure.xml"))
    assert schema().validate(good)
    assert not schema().validate(bad)


def test_a_complete_programme_is_valid_iati_and_passes_the_ruleset():
    root = _build(_programme(), _programme(code="P-2", iati_identifier="XI-TEST-1-P-2"))
    assert X.problems(root, schema()) == []
    X.check(root, schema())  # raises nothing
    a = root.find("iati-activity")
    assert root.get("version") == "2.03" and len(root) == 2
    assert a.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert a.get("default-currency") == "USD"
    assert a.findtext("iati-identifier").startswith(a.find("reporting-org").get("ref"))
    assert [(d.get("type"), d.get("iso-date")) for d in a.iter("activity-date")] == [
        ("1", "2022-10-01"), ("2", "2022-10-01"), ("3", "2026-06-30")]
    assert a.find("sector").attrib == {"vocabulary": "1", "code": "14032"}
    # a start still ahead is no actual start, whatever the status says
    later = _build(_programme(start_date=date(2025, 1, 1)))
    assert [d.get("type") for d in later.iter("activity-date")] == ["1", "3"]


def test_several_countries_share_exactly_100_percent():
    shares = [(c.get("code"), c.get("percentage"))
              for c in _build().iter("recipient-country")]
    assert shares == [("IN", "33.33"), ("BD", "33.33"), ("ID", "33.34")]
    assert sum(float(s) for _c, s in shares) == pytest.approx(100)
    one = _build(_programme(countries=("RS",)))
    assert [c.attrib for c in one.iter("recipient-country")] == [{"code": "RS"}]


def test_participants_take_iati_roles_and_types_and_a_sponsor_is_no_organisation():
    orgs = [(o.get("role"), o.get("type"), o.get("ref"), o.findtext("narrative"))
            for o in _build().iter("participating-org")]
    # the lead agency, a provider, is also the accountable organisation: no commissioner
    assert orgs == [("1", "60", "XM-1", "A donor"), ("2", "10", None, "Lead agency"),
                    ("4", "10", None, "Lead agency")]


def test_results_by_type_with_measure_ascending_and_baseline():
    notes = X.BuildNotes()
    root = _build(notes=notes)
    results = {r.get("type"): [i.find("reference").get("code") for i in r.iter("indicator")]
               for r in root.iter("result")}
    assert results == {"1": ["OUT-1"], "2": ["OC-1"], "3": ["OC-2"]}
    assert notes.indicators_left_out == ["P-1/IN-1"]
    ind = {i.find("reference").get("code"): i for i in root.iter("indicator")}
    assert ind["OUT-1"].get("measure") == "1" and ind["OUT-1"].get("ascending") == "true"
    assert ind["OC-1"].get("measure") == "2" and ind["OC-1"].get("ascending") == "false"
    assert "ascending" not in ind["OC-2"].attrib  # a range to hold has no better end
    base = ind["OC-1"].find("baseline")
    assert base.attrib == {"year": "2022", "iso-date": "2022-12-31", "value": "41.2"}


def test_periods_are_quarters_with_targets_actuals_and_rounded_values():
    ind = {i.find("reference").get("code"): i for i in _build().iter("indicator")}
    periods = [(p.find("period-start").get("iso-date"), p.find("period-end").get("iso-date"),
                [t.get("value") for t in p.iter("target")],
                [a.get("value") for a in p.iter("actual")]) for p in ind["OC-1"].iter("period")]
    # the percent rounds to one decimal; strand targets of a percent are averaged
    assert periods == [("2024-01-01", "2024-03-31", [], ["38.3"]),
                       ("2024-10-01", "2024-12-31", ["32"], [])]


def test_dimensions_from_disaggregations_with_small_cells_left_out():
    notes = X.BuildNotes()
    ind = next(i for i in _build(notes=notes).iter("indicator")
               if i.find("reference").get("code") == "OUT-1")
    actuals = [(a.get("value"), [(d.get("name"), d.get("value")) for d in a.iter("dimension")])
               for a in ind.find("period").iter("actual")]
    # the strands' total is summed (a count); men are fewer than 5 in one strand: left out
    assert actuals == [("25", []), ("16", [("sex", "female")])]
    assert notes.suppressed_cells == 1
    open_ = next(i for i in _build(threshold=0).iter("indicator")
                 if i.find("reference").get("code") == "OUT-1")
    assert len(open_.find("period").findall("actual")) == 3


def test_missing_profile_fields_are_named_with_their_element():
    p = _programme(iati_identifier=None, sector_code="  ", countries=(), participants=(),
                   lead_agency=None,
                   start_date=None)
    assert X.missing_fields(p) == [
        ("iati_identifier", "iati-identifier"), ("start_date", "activity-date"),
        ("jurisdiction_country", "recipient-country"), ("sector_code", "sector/@code"),
        ("actors", "participating-org")]
    assert X.missing_fields(_programme()) == []


def test_a_schema_failure_names_the_element_and_why_in_one_line():
    root = _build()
    for ind in root.iter("indicator"):
        del ind.attrib["measure"]
    with pytest.raises(X.IatiProblems) as caught:
        X.check(root, schema())
    message = str(caught.value)
    assert "\n" not in message and message.startswith("not valid IATI 2.03: XI-TEST-1-P-1 ")
    assert "indicator" in message and "'measure' is required" in message
    assert "(and 2 more)" in message


def test_the_ruleset_identifier_dates_and_numeric_values():
    root = _build(_programme(iati_identifier="OTHER-P-1",
                             planned_end_date=date(2021, 1, 1)))
    ind = next(root.iter("indicator"))
    ind.find("period/actual").set("value", "about 25")
    period = ind.find("period")
    period.find("period-end").set("iso-date", "2023-12-31")
    found = X.problems(root, schema())
    assert any("iati-identifier: must start with the reporting-org ref 'XI-TEST-1'" in f
               for f in found)
    assert any("activity-date: the planned start 2022-10-01 is not before the planned end "
               "2021-01-01" in f for f in found)
    assert any("indicator OUT-1 actual: value 'about 25' must be a number for measure 1" in f
               for f in found)
    assert any("indicator OUT-1 period: the start 2024-01-01 is not before the end "
               "2023-12-31" in f for f in found)
    root.find("iati-activity/recipient-country").set("percentage", "50")
    assert any("recipient-country: the percentages" in f for f in X.problems(root, schema()))


def test_control_characters_a_pasted_cell_can_carry_are_dropped_not_a_crash():
    root = _build(_programme(name="Water\x0bkiosks\x00", description="Run\x1b by residents"))
    assert root.findtext("iati-activity/title/narrative") == "Waterkiosks"
    assert X.problems(root, schema()) == []
