"""The quarterly report's read model: plain frozen records of one or more programmes.

A service fills these from the store with a few queries; everything after that (derived
values, sheets, charts) is pure code over them, so the report needs no session and no Qt.
Codes stand in for database ids everywhere (strand ``None`` means the programme level).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from coprod_me.model.indicator_terms import IndicatorTerms
from coprod_me.reports.iptt_model import NarrativeText, TargetRevisionInfo
from coprod_me.reports.portfolio_model import PortfolioRow

#: The sheets of domain §4.2, in their order; ``Portfolio`` joins after README for several
#: programmes.
SECTIONS: tuple[str, ...] = (
    "README", "Summary", "Outcomes", "Outputs", "IPTT", "Disaggregation", "Participation",
    "Risks", "Capacity", "Sustainability", "DataQuality", "IndicatorDefinitions", "Method",
    "Observations_raw")
PORTFOLIO = "Portfolio"
DEFAULT_SUPPRESSION_THRESHOLD = 5

Dims = tuple[tuple[str, str], ...]  # sorted (dimension, category) pairs; () for a total


@dataclass(frozen=True)
class IndicatorInfo(IndicatorTerms):
    """An indicator's terms (code, unit, baseline, thresholds, ...) and what the report adds."""

    rba_quadrant: str
    accountability_type: str | None = None
    verification_type: str | None = None
    evidence_standard: int | None = None
    is_cumulative: bool = False
    disaggregation_required: tuple[str, ...] = ()
    #: the PIRS reference-sheet fields in reading order, for IndicatorDefinitions
    definition_fields: tuple[tuple[str, Any], ...] = ()

    @property
    def is_results_side(self) -> bool:
        """Shown on the Outcomes sheet: outcomes, impact and context indicators."""
        return self.result_level in ("outcome_short", "outcome_intermediate", "impact",
                                     "context")


@dataclass(frozen=True)
class Measurement:
    indicator: str
    strand: str | None
    period: str
    dims: Dims
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    n_sample: int | None = None
    quality_status: str | None = None
    verification_type: str | None = None


@dataclass(frozen=True)
class TargetValue:
    indicator: str
    strand: str | None
    period: str
    value: float


@dataclass(frozen=True)
class Link:
    output: str  # from_indicator
    outcome: str  # to_indicator
    assumption: str
    strength: str


@dataclass(frozen=True)
class StrandInfo:
    code: str
    name: str
    type: str
    institutional_status: str | None = None
    transition_plan_approved: bool | None = None
    end_date: date | None = None


@dataclass(frozen=True)
class ParticipationCounts:
    strand: str | None
    period: str
    phase: str | None
    group_dimension: str
    group_category: str
    registered: int | None = None
    active: int | None = None
    new: int | None = None
    continuing_active: int | None = None
    exited: int | None = None
    started_tasks: int | None = None
    completed_tasks: int | None = None


@dataclass(frozen=True)
class Population:
    strand: str | None
    group_dimension: str
    group_category: str
    count: float
    year: int


@dataclass(frozen=True)
class Flag:
    strand: str | None
    period: str
    rule_id: str
    subject: str
    category: str
    computed_severity: str
    severity: str
    status: str
    trigger: tuple[tuple[str, str], ...] = ()  # the trigger snapshot, flattened
    #: the snapshot's thresholds (name, label, value, unit, tag, observed) and metrics, as
    #: stored: the register shows them as a reader reads them
    thresholds: tuple[dict[str, Any], ...] = ()
    metrics: tuple[tuple[str, Any], ...] = ()
    first_raised_period: str | None = None
    consecutive_periods: int = 1
    evaluator_judgement: str | None = None
    override_severity: str | None = None
    override_reason: str | None = None
    mitigation: str | None = None
    owner: str | None = None
    due_date: date | None = None
    #: new / escalated / continuing / closed, from the rules engine when it says so
    change: str | None = None


@dataclass(frozen=True)
class ChecklistAnswer:
    strand: str | None
    period: str
    item_code: str
    answer: str
    previous_answer: str | None = None
    comment: str | None = None


@dataclass(frozen=True)
class CapacityCell:
    assessment: str
    actor_scope: str
    actor: str | None
    assessed_on: date
    method: str | None
    level: str
    competence: str
    score: int
    descriptor: str | None = None
    notes: str | None = None
    previous_score: int | None = None  # same scope and actor, the assessment before


@dataclass(frozen=True)
class FundingInfo:
    code: str
    name: str | None
    strand: str | None
    type: str
    funder: str | None
    sponsor: str | None
    committed_amount: float | None
    period_start: date | None
    period_end: date | None
    is_renewable: bool = False
    renewal_decision_date: date | None = None


@dataclass(frozen=True)
class SpendAmount:
    strand: str | None
    period: str
    amount: float


@dataclass(frozen=True)
class SponsorInfo:
    code: str
    strand: str | None
    office_title: str | None
    party: str | None
    term_end_date: date | None
    next_election_date: date | None
    commitment_beyond_term: bool


@dataclass(frozen=True)
class RevisionInfo:
    indicator: str
    strand: str | None
    period: str
    dims: Dims
    revision: int
    old_value: float | None
    reason: str
    revised_by: str
    revised_at: datetime


@dataclass(frozen=True)
class BatchInfo:
    file_name: str
    kind: str
    imported_at: datetime
    user: str
    rows_created: int
    rows_updated: int
    rows_rejected: int
    reverted: bool = False


@dataclass(frozen=True)
class NoteText:
    entity: str
    entity_key: str
    period: str | None
    text: str


@dataclass(frozen=True)
class ProgrammeData:
    """Everything the report shows about one programme, up to the report quarter."""

    code: str
    name: str
    is_sample: bool = False
    sample_note: str | None = None
    currency: str | None = None
    institutional_status: str | None = None
    transition_plan_approved: bool = False
    planned_end_date: date | None = None
    period_status: str | None = None  # open / in_review / locked, None when not recorded
    data_cutoff_date: date | None = None
    locked_by: str | None = None
    strands: tuple[StrandInfo, ...] = ()
    indicators: tuple[IndicatorInfo, ...] = ()
    measurements: tuple[Measurement, ...] = ()
    targets: tuple[TargetValue, ...] = ()
    links: tuple[Link, ...] = ()
    participation: tuple[ParticipationCounts, ...] = ()
    population: tuple[Population, ...] = ()
    #: None: no flags were ever computed for the programme; () none for this report
    flags: tuple[Flag, ...] | None = None
    #: category -> rolled-up severity of open flags, from the rules engine when it ran
    engine_rag: Mapping[str, str | None] | None = None
    checklist: tuple[ChecklistAnswer, ...] = ()
    capacity: tuple[CapacityCell, ...] = ()
    funding: tuple[FundingInfo, ...] = ()
    spend: tuple[SpendAmount, ...] = ()
    sponsors: tuple[SponsorInfo, ...] = ()
    revisions: tuple[RevisionInfo, ...] = ()
    batches: tuple[BatchInfo, ...] = ()
    notes: tuple[NoteText, ...] = ()
    #: the quarter's observations in the programme workbook's ``Observations`` columns
    raw_observations: tuple[Mapping[str, Any], ...] = ()
    #: the IPTT's: its quarters (the reporting periods up to the report's), narratives and
    #: target revisions
    reporting_quarters: tuple[str, ...] = ()
    narratives: tuple[NarrativeText, ...] = ()
    target_revisions: tuple[TargetRevisionInfo, ...] = ()

    def strand_name(self, code: str | None) -> str:
        if code is None:
            return "programme level"
        return next((s.name for s in self.strands if s.code == code), code)


@dataclass(frozen=True)
class MethodParameter:
    """One parameter of a rule as the report used it by default."""

    name: str
    label: str
    value: str  # with its unit ("25 %")
    tag: str  # LIT, ANCHOR, REG, CONV


@dataclass(frozen=True)
class MethodRule:
    """One rule of the method annex: what it detects and the defaults it ran with."""

    rule_id: str
    title: str
    category: str
    enabled: bool
    detects: str
    logic: str
    parameters: tuple[MethodParameter, ...]
    next_step: str
    citations: tuple[str, ...]


@dataclass(frozen=True)
class MethodOverride:
    """A programme's own value for a rule parameter, with the reason it was given."""

    programme: str
    rule_id: str
    param: str
    value: str
    default: str
    reason: str
    user: str
    set_on: date


@dataclass(frozen=True)
class Method:
    """The rules and parameter values behind a report's flags, and the sources they cite."""

    rules: tuple[MethodRule, ...] = ()
    overrides: tuple[MethodOverride, ...] = ()
    sources: tuple[tuple[str, str], ...] = ()  # (key, full reference), in key order
    provenance: tuple[tuple[str, str], ...] = ()  # (tag, its meaning)


@dataclass(frozen=True)
class QuarterlyReport:
    quarter: str
    programmes: tuple[ProgrammeData, ...]
    generated_at: datetime
    #: the programme workbook's ``Observations`` headers (without ``dim:`` columns)
    observation_headers: tuple[str, ...]
    sections: tuple[str, ...] = SECTIONS
    suppression_threshold: int = DEFAULT_SUPPRESSION_THRESHOLD
    app_version: str = ""
    method: Method = Method()
    #: the Portfolio sheet's rows (several programmes), as the Portfolio view shows them
    portfolio: tuple[PortfolioRow, ...] = ()

    @property
    def is_portfolio(self) -> bool:
        return len(self.programmes) > 1

    @property
    def sheet_names(self) -> tuple[str, ...]:
        names = [s for s in SECTIONS if s == "README" or s in self.sections]
        if self.is_portfolio:
            names.insert(1, PORTFOLIO)
        return tuple(names)

    @property
    def codes(self) -> str:
        return ", ".join(p.code for p in self.programmes)
