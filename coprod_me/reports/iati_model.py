"""The IATI export's read model: what one programme's ``iati-activity`` is built from.

Plain frozen records, filled by ``queries.iati``; ``reports.iati_activity`` turns them into
XML with no session. Indicators, measurements and targets are the quarterly report's own
records (codes instead of ids; strand ``None`` is the programme level), so the figures and
their suppression are the report's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from coprod_me.reports.quarterly_model import IndicatorInfo, Measurement, TargetValue


@dataclass(frozen=True)
class Participant:
    """An actor of the programme in one of its roles (``ProgrammeRole`` value)."""

    code: str
    name: str
    role: str
    org_type: str | None  # an ``OrgType`` value
    registration_id: str | None = None


@dataclass(frozen=True)
class IatiProgramme:
    code: str
    name: str
    description: str | None
    iati_identifier: str | None
    reporting_org_ref: str | None
    reporting_org_name: str | None
    reporting_org_type: str | None
    activity_status: str | None
    sector_code: str | None
    default_language: str | None
    currency: str | None
    countries: tuple[str, ...]
    start_date: date | None
    planned_end_date: date | None
    lead_agency: Participant | None  # its role is "lead_agency"
    participants: tuple[Participant, ...]
    indicators: tuple[IndicatorInfo, ...]
    measurements: tuple[Measurement, ...]
    targets: tuple[TargetValue, ...]
    is_sample: bool = False
