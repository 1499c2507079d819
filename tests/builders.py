"""Small, valid programme workbooks built in code, so tests need no files from outside."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlmodel import select

from coprod_me.model import entities as M
from coprod_me.services import Services
from coprod_me.spreadsheets.programme_workbook import write_workbook

_SMALL: dict[str, list[dict[str, Any]]] = {
    "Actors": [
        {"code": "T-AGENCY", "name": "District water agency", "actor_class": "state_direct",
         "org_type": "government_unit"},
        {"code": "T-NGO", "name": "Village sanitation NGO", "actor_class": "lay_organisation",
         "org_type": "ngo_association"},
    ],
    "Programmes": [
        {"code": "T-01", "name": "Test sanitation programme", "policy_domain": "wash_sanitation",
         "lead_agency_actor_code": "T-AGENCY", "start_date": date(2023, 1, 1),
         "planned_end_date": date(2025, 12, 31), "institutional_status": "time_limited_project",
         "os_level": "participative", "ors_type": "co_construction",
         "interaction_mode": "in_person_sync", "currency": "INR"},
    ],
    "Strands": [
        {"programme_code": "T-01", "code": "NORTH", "name": "North block", "type": "site"},
        {"programme_code": "T-01", "code": "SOUTH", "name": "South block", "type": "site"},
    ],
    "ProgrammePhases": [
        {"programme_code": "T-01", "phase": "co_delivery", "level": "collective"},
    ],
    "ProgrammeActors": [
        {"programme_code": "T-01", "actor_code": "T-NGO", "role": "provider",
         "phase": "co_delivery", "alford_role": "partner"},
    ],
    "ReportingPeriods": [
        {"programme_code": "T-01", "quarter": "2023Q1", "status": "locked",
         "locked_by": "tester", "locked_at": datetime(2023, 4, 15, 9, 30, tzinfo=UTC)},
        {"programme_code": "T-01", "quarter": "2023Q2", "status": "open"},
    ],
    "Indicators": [
        {"programme_code": "T-01", "code": "T-O1",
         "name": "Households where all members use a toilet", "result_level": "outcome_short",
         "rba_quadrant": "better_off", "better_off_type": "behaviour", "unit": "percent",
         "numerator_def": "households where all members use a toilet",
         "denominator_def": "households surveyed", "direction": "increase",
         "baseline_value": 58.0, "baseline_period": "2022Q4", "phases": "co_delivery",
         "disaggregation_required": "sex", "verification_type": "independent_survey"},
        {"programme_code": "T-01", "code": "T-O2", "name": "Open defecation prevalence",
         "result_level": "outcome_short", "rba_quadrant": "better_off",
         "better_off_type": "behaviour", "unit": "percent", "numerator_def": "people",
         "denominator_def": "people surveyed", "direction": "decrease",
         "baseline_value": 38.0, "phases": "co_delivery", "disaggregation_required": "sex",
         "verification_type": "independent_survey"},
        {"programme_code": "T-01", "code": "T-P1", "name": "Household toilets constructed",
         "result_level": "output", "rba_quadrant": "how_much", "unit": "count",
         "direction": "increase", "is_cumulative": True},
    ],
    "Targets": [
        {"programme_code": "T-01", "indicator_code": "T-O1", "period": "2024Q4", "value": 85.0},
    ],
    "ResultLinks": [
        {"programme_code": "T-01", "from_indicator_code": "T-P1", "to_indicator_code": "T-O1",
         "assumption_text": "Toilets enable use if demand exists"},
    ],
    "Observations": [
        {"programme_code": "T-01", "indicator_code": "T-O1", "strand_code": "NORTH",
         "period": "2023Q1", "value": 61.0, "numerator": 366, "denominator": 600,
         "n_sample": 600, "phase": "co_delivery", "quality_status": "verified"},
        {"programme_code": "T-01", "indicator_code": "T-O1", "strand_code": "NORTH",
         "period": "2023Q2", "value": 63.0, "n_sample": 600},
        {"programme_code": "T-01", "indicator_code": "T-O1", "strand_code": "NORTH",
         "period": "2023Q2", "value": 60.0, "dim:sex": "female"},
        {"programme_code": "T-01", "indicator_code": "T-P1", "period": "2023Q2",
         "value": 4300.0},
    ],
}


def small_programme_rows() -> dict[str, list[dict[str, Any]]]:
    return copy.deepcopy(_SMALL)


def with_ratio_indicator(rows: dict[str, list[dict[str, Any]]], *,
                         observed: bool = True) -> dict[str, list[dict[str, Any]]]:
    """``rows`` with T-R1, a ratio (the unit where 0,875 and 1,234 need care), and unless
    ``observed`` is False its one figure, 0.8 at NORTH in 2023Q2."""
    rows["Indicators"].append(
        {"programme_code": "T-01", "code": "T-R1", "name": "Women's representation ratio",
         "result_level": "output", "rba_quadrant": "how_well", "unit": "ratio",
         "direction": "increase"})
    if observed:
        rows["Observations"].append(
            {"programme_code": "T-01", "indicator_code": "T-R1", "strand_code": "NORTH",
             "period": "2023Q2", "value": 0.8})
    return rows


def write(path: Path, rows: dict[str, list[dict[str, Any]]]) -> Path:
    return write_workbook(path, rows)


def set_total(services: Services, indicator: str, strand: str, quarter: str,
              value: float) -> None:
    """Change a stored total (no breakdown) of an indicator at a strand in a quarter."""
    with services.store.session(reason="test edit") as s:
        obs = s.scalars(select(M.Observation).join(
            M.Indicator, M.Indicator.id == M.Observation.indicator_id).join(
            M.Strand, M.Strand.id == M.Observation.strand_id).where(
            M.Indicator.code == indicator, M.Strand.code == strand,
            M.Observation.period == quarter, M.Observation.dims_key == "")).one()
        obs.value = value
