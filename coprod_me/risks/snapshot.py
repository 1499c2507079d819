"""The read model the rules evaluate: one programme's data shaped for the rules.

``queries.risk_snapshot`` builds it with a few set-based queries. Observations arrive
already aggregated: the programme totals as points, and each disaggregation dimension as the
spread between its lowest and highest group per quarter, because the rules never need the
individual cells and there may be a million of them. Small record tables (allocations,
feedback, participation, ...) are carried as rows with their entity's attribute names: Core
rows from the store (fast to read), entity objects in tests; the rules only read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, NamedTuple

from coprod_me.model import entities as M
from coprod_me.model.enums import ResultLevel, Unit
from coprod_me.model.indicator_terms import IndicatorTerms


class Point(NamedTuple):
    """One total observation: value, survey n and who verified it (a named tuple: the store
    builds a hundred thousand of them per portfolio run, at a fifth of a frozen dataclass's
    cost)."""

    value: float
    n: int | None = None
    verification: str | None = None


class Spread(NamedTuple):
    """The groups of one disaggregation dimension in one quarter (cells under min n left out)."""

    low: float | None
    high: float | None
    low_group: str | None = None
    high_group: str | None = None
    cells: int = 0
    suppressed: int = 0  # cells with n below the minimum


@dataclass(frozen=True)
class IndicatorRef(IndicatorTerms):
    """An indicator as the rules read it: its terms (code, unit, direction, baseline,
    thresholds; keyword-only) and what the rules need besides."""

    id: int
    strand: str | None
    construct_code: str | None = None
    verification_type: str | None = None
    disaggregation_required: tuple[str, ...] = ()
    risk_role: str | None = None
    is_seasonal: bool = False
    is_cumulative: bool = False
    post_exit_due: object | None = None  # a date
    frequency_quarters: int = 1  # 4 for annual indicators (DQ-2 expects one value a year)

    @cached_property
    def is_outcome(self) -> bool:
        return ResultLevel(self.result_level).is_outcome

    @property
    def is_output(self) -> bool:
        return self.result_level == ResultLevel.OUTPUT

    @property
    def is_proportion(self) -> bool:
        return self.unit == Unit.PERCENT

    @property
    def sign(self) -> int:
        """+1 when up is better, -1 when down is better (maintain_range counts as up)."""
        return -1 if self.direction == "decrease" else 1


SeriesKey = tuple[int, str | None]  # indicator id, strand code (None = programme level)


@dataclass(frozen=True)
class ProgrammeSnapshot:
    """One programme as the rules read it; strands are named by code, series by
    (indicator id, strand code)."""

    id: int
    code: str
    programme: M.Programme
    quarters: tuple[str, ...]  # every quarter with data, ascending
    period_status: dict[str, str]
    strands: dict[str, M.Strand]  # by code
    strand_code: dict[int, str]  # strand id -> code
    indicators: dict[int, IndicatorRef]
    links: tuple[tuple[int, int], ...]  # (output id, outcome id)
    totals: dict[SeriesKey, dict[str, Point]]
    # (ind, strand, dimension): outcome indicators', the only breakdowns the rules read
    spreads: dict[tuple[int, str | None, str], dict[str, Spread]]
    targets: dict[SeriesKey, dict[str, float]]
    phases: frozenset[str]
    gates_unmet: tuple[str, ...]
    actors: dict[int, M.Actor]
    participation: tuple[M.ParticipationRecord, ...] = ()
    population: tuple[M.PopulationReference, ...] = ()
    feedback: tuple[M.FeedbackRecord, ...] = ()
    channels: tuple[M.ChannelRecord, ...] = ()
    allocations: tuple[M.Allocation, ...] = ()
    funding: tuple[M.FundingSource, ...] = ()
    sponsors: tuple[M.Sponsor, ...] = ()
    spend: tuple[M.SpendRecord, ...] = ()
    staffing: tuple[M.StaffingRecord, ...] = ()
    capacity: tuple[tuple[M.CapacityAssessment, tuple[M.CapacityScore, ...]], ...] = ()
    checklist: tuple[M.ChecklistResponse, ...] = ()
    programme_actors: tuple[M.ProgrammeActor, ...] = ()
    status_changes: tuple[M.InstitutionalStatusChange, ...] = ()
    evidence_dates: dict[int, object] = field(default_factory=dict)  # evidence id -> issued_on
    # when the named lead was replaced (from the audit trail of programme.lead_person)
    lead_changes: tuple[date, ...] = ()
    # locked quarters the rules already judged: their flags are frozen, not evaluated again
    frozen_quarters: frozenset[str] = frozenset()
    # indexes the rules derive once per snapshot (by period, by key), filled on first use
    derived: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def strand_of(self, strand_id: int | None) -> str | None:
        return None if strand_id is None else self.strand_code.get(strand_id)
