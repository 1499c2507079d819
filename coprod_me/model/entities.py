"""SQLModel entities for the domain model (domain brief §1).

Conventions:
- Enumerated columns are text; ``enum_field`` records the allowed values in the column's
  ``info`` so the workbook format, its drop-downs and its documentation derive from here.
- List-valued columns (an indicator's phases) are comma-separated text with ``info["list_of"]``.
- Quarters are text in the canonical ``2024Q2`` form, which sorts correctly as text.
- Every row a bulk load creates carries that load's ``import_batch_id`` instead of an audit
  row of its own (see ``store.session``).
"""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Index, Table, Text, UniqueConstraint, inspect, text
from sqlalchemy.orm import configure_mappers
from sqlmodel import Field, SQLModel

from coprod_me.model import enums as E


def enum_field(
    enum: type[StrEnum],
    default: Any = None,
    *,
    nullable: bool = True,
    description: str | None = None,
) -> Any:
    return Field(
        default=... if default is None and not nullable else default,
        nullable=nullable,
        description=description,
        sa_column_kwargs={"info": {"enum": enum}},
    )


def list_field(enum: type[StrEnum] | None, description: str | None = None) -> Any:
    return Field(
        default=None,
        nullable=True,
        description=description,
        sa_column_kwargs={"info": {"list_of": enum}},
    )


def text_field(default: Any = None, *, description: str | None = None) -> Any:
    return Field(default=default, nullable=True, description=description,
                 sa_type=Text)  # type: ignore[call-overload]


def quarter_field(*, nullable: bool = True, description: str | None = None) -> Any:
    return Field(default=None if nullable else ..., nullable=nullable, description=description,
                 max_length=7, sa_column_kwargs={"info": {"quarter": True}})


def batch_field() -> Any:
    return Field(default=None, foreign_key="import_batch.id", nullable=True, index=True)


def table_of(model: type[SQLModel]) -> Table:
    """A table model's Core table (``model.__table__``, which SQLModel does not declare)."""
    table = inspect(model).local_table
    assert isinstance(table, Table)
    return table


def prepare_mappers() -> None:
    """Build every entity's ORM mapper now, which the first query would otherwise do (the
    GUI has it done off its thread, through ``Services.prepare``)."""
    configure_mappers()


# --------------------------------------------------------------------------------------------
# Bookkeeping


class ImportBatch(SQLModel, table=True):
    """One bulk load: a programme workbook or an NGO spreadsheet."""

    __tablename__ = "import_batch"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(default="programme_workbook")
    file_name: str
    sha256: str = Field(max_length=64)
    imported_at: datetime
    user: str
    rows_created: int = 0
    rows_updated: int = 0
    rows_unchanged: int = 0
    rows_rejected: int = 0
    counts_json: str | None = text_field()
    mapping_json: str | None = text_field()
    reverted_at: datetime | None = None
    # A code, not a foreign key: programme rows already point at their batch.
    programme_code: str | None = Field(default=None, index=True)
    sheet: str | None = None


class ImportMapping(SQLModel, table=True):
    """A saved column mapping for one NGO's spreadsheet, reused when its headers match."""

    __tablename__ = "import_mapping"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    programme_id: int | None = Field(default=None, foreign_key="programme.id", index=True)
    header_signature: str = Field(index=True, description="normalised headers, to recognise "
                                  "next quarter's file from the same sender")
    mapping_json: str = Field(sa_type=Text)  # type: ignore[call-overload]
    created_at: datetime
    updated_at: datetime
    user: str


class AuditLog(SQLModel, table=True):
    """Who changed what, when, from what to what, and why."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    user: str
    action: str = Field(max_length=8)  # insert, update, delete
    entity: str = Field(index=True)
    entity_id: int | None = Field(default=None, index=True)
    field: str | None = None
    old: str | None = text_field()
    new: str | None = text_field()
    reason: str | None = text_field()
    import_batch_id: int | None = Field(default=None, foreign_key="import_batch.id")


# --------------------------------------------------------------------------------------------
# Actors


class Actor(SQLModel, table=True):
    """A person, office or organisation; shared between programmes."""

    __tablename__ = "actor"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=40)
    name: str
    actor_class: str = enum_field(E.ActorClass, nullable=False)
    org_type: str | None = enum_field(E.OrgType)
    registration_id: str | None = None
    is_politically_exposed: bool = False
    pep_description: str | None = text_field()
    pep_since: date | None = None
    pep_until: date | None = None
    import_batch_id: int | None = batch_field()


# --------------------------------------------------------------------------------------------
# Programme and its structure


class Programme(SQLModel, table=True):
    __tablename__ = "programme"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=40)
    name: str
    description: str | None = text_field()
    policy_domain: str | None = enum_field(E.PolicyDomain)
    jurisdiction_country: str | None = Field(
        default=None, description="ISO 3166 alpha-2 codes, comma-separated for multi-country")
    jurisdiction_level: str | None = enum_field(E.JurisdictionLevel)
    lead_agency_actor_id: int | None = Field(default=None, foreign_key="actor.id")
    start_date: date | None = None
    planned_end_date: date | None = None
    institutional_status: str | None = enum_field(E.InstitutionalStatus)
    transition_plan_approved: bool = False
    reporting_cadence: str = "quarterly"
    currency: str | None = Field(default=None, max_length=3)
    clientelism_context: str = enum_field(E.ClientelismContext, "unknown", nullable=False)
    os_level: str | None = enum_field(E.OsLevel)
    ors_type: str | None = enum_field(E.OrsType)
    interaction_mode: str | None = enum_field(E.InteractionMode)
    intended_outcome: str | None = enum_field(E.IntendedOutcome)
    moon_type: str | None = enum_field(E.MoonType)
    kekez_mode: str | None = enum_field(E.KekezMode)
    tradition_label_override: str | None = enum_field(E.TraditionLabel)
    tradition_label_override_reason: str | None = text_field()
    status: str = enum_field(E.ProgrammeStatus, "draft", nullable=False)
    scaleup_stage: str | None = enum_field(E.ScaleupStage)
    lead_person: str | None = None
    lead_has_deputy: bool = True
    priority_social_group: str | None = None
    is_sample: bool = False
    sample_note: str | None = text_field()
    import_batch_id: int | None = batch_field()


class Strand(SQLModel, table=True):
    """A site or service strand of a programme; also a disaggregation dimension."""

    __tablename__ = "strand"
    __table_args__ = (UniqueConstraint("programme_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    code: str = Field(max_length=40)
    name: str
    type: str = enum_field(E.StrandType, "site", nullable=False)
    geo_code: str | None = None
    population: int | None = None
    governing_party: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    # Strand-level classification where it differs from the programme's (empty = same)
    os_level: str | None = enum_field(E.OsLevel)
    ors_type: str | None = enum_field(E.OrsType)
    interaction_mode: str | None = enum_field(E.InteractionMode)
    intended_outcome: str | None = enum_field(E.IntendedOutcome)
    institutional_status: str | None = enum_field(E.InstitutionalStatus)
    transition_plan_approved: bool | None = None
    kekez_mode: str | None = enum_field(E.KekezMode)
    moon_type_override: str | None = enum_field(E.MoonType)
    tradition_label_override: str | None = enum_field(E.TraditionLabel)
    tradition_label_override_reason: str | None = text_field()
    import_batch_id: int | None = batch_field()


class ProgrammePhase(SQLModel, table=True):
    """One cell of the phases × levels typology that a programme (or strand) covers."""

    __tablename__ = "programme_phase"
    __table_args__ = (UniqueConstraint("programme_id", "strand_id", "phase", "level"),)

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    strand_id: int | None = Field(default=None, foreign_key="strand.id")
    phase: str = enum_field(E.Phase, nullable=False)
    level: str = enum_field(E.CoproductionLevel, nullable=False)
    intensity: str | None = enum_field(E.PhaseIntensity)
    policy_stage: str | None = enum_field(E.PolicyStage)
    start_date: date | None = None
    end_date: date | None = None
    lay_actor_roles: str | None = text_field()
    decision_rights_text: str | None = text_field()
    import_batch_id: int | None = batch_field()


class ProgrammeActor(SQLModel, table=True):
    __tablename__ = "programme_actor"
    __table_args__ = (
        UniqueConstraint("programme_id", "actor_id", "role", "phase", "strand_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    actor_id: int = Field(foreign_key="actor.id", index=True)
    strand_id: int | None = Field(default=None, foreign_key="strand.id")
    role: str = enum_field(E.ProgrammeRole, nullable=False)
    phase: str | None = enum_field(E.Phase)
    alford_role: str | None = enum_field(E.AlfordRole)
    lay_role: str | None = enum_field(E.LayRole)
    is_beneficiary_represented: bool = False
    decision_body: str | None = None
    seats_on_decision_body: int | None = Field(default=None, ge=0)
    total_seats_decision_body: int | None = Field(default=None, ge=0)
    import_batch_id: int | None = batch_field()


class Sponsor(SQLModel, table=True):
    """A political sponsor of the programme and the term that bounds their support."""

    __tablename__ = "sponsor"
    __table_args__ = (UniqueConstraint("programme_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    code: str = Field(max_length=40)
    actor_id: int | None = Field(default=None, foreign_key="actor.id")
    strand_id: int | None = Field(default=None, foreign_key="strand.id")
    office_title: str | None = None
    party: str | None = None
    term_start: date | None = None
    term_end_date: date | None = None
    next_election_date: date | None = None
    commitment_beyond_term: bool = False
    commitment_evidence_id: int | None = Field(default=None, foreign_key="evidence.id")
    import_batch_id: int | None = batch_field()


class FundingSource(SQLModel, table=True):
    __tablename__ = "funding_source"
    __table_args__ = (UniqueConstraint("programme_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    code: str = Field(max_length=40)
    name: str | None = None
    strand_id: int | None = Field(default=None, foreign_key="strand.id")
    funder_actor_id: int | None = Field(default=None, foreign_key="actor.id")
    sponsor_id: int | None = Field(default=None, foreign_key="sponsor.id")
    type: str = enum_field(E.FundingType, nullable=False)
    committed_amount: float | None = None
    committed_on: date | None = Field(
        default=None, description="when the money was committed (runway counts it from then)")
    period_start: date | None = None
    period_end: date | None = None
    is_renewable: bool = False
    renewal_decision_date: date | None = None
    data_label: str | None = enum_field(E.DataLabel)
    import_batch_id: int | None = batch_field()


class Allocation(SQLModel, table=True):
    """One grant, contract or allocation of places to a provider (procurement red-flag fields)."""

    __tablename__ = "allocation"
    __table_args__ = (UniqueConstraint("programme_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    code: str = Field(max_length=40)
    strand_id: int | None = Field(default=None, foreign_key="strand.id")
    provider_actor_id: int = Field(foreign_key="actor.id")
    amount: float | None = None
    places_or_hours: float | None = None
    decision_date: date | None = None
    period_start: date | None = None
    period_end: date | None = None
    procedure: str = enum_field(E.AllocationProcedure, "unknown", nullable=False)
    call_reference: str | None = Field(
        default=None, description="the call this award came from; awards of one call share it")
    call_published: bool | None = None
    advert_days: int | None = Field(default=None, ge=0)
    n_applicants: int | None = Field(default=None, ge=0)
    n_valid_applicants: int | None = Field(default=None, ge=0)
    modified_after_award: bool = False
    value_change_pct: float | None = None
    extension_days: int | None = None
    decision_published: bool | None = None
    coi_declared: bool | None = None
    data_label: str | None = enum_field(E.DataLabel)
    import_batch_id: int | None = batch_field()


class SpendRecord(SQLModel, table=True):
    """Money actually spent in a quarter; the denominator of the funding runway (SU-2)."""

    __tablename__ = "spend_record"
    __table_args__ = (UniqueConstraint("programme_id", "strand_id", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    strand_id: int | None = Field(default=None, foreign_key="strand.id")
    period: str = quarter_field(nullable=False)
    amount: float
    data_label: str | None = enum_field(E.DataLabel)
    import_batch_id: int | None = batch_field()


class StaffingRecord(SQLModel, table=True):
    __tablename__ = "staffing_record"
    __table_args__ = (
        UniqueConstraint("programme_id", "strand_id", "period", "provider_actor_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    strand_id: int | None = Field(default=None, foreign_key="strand.id")
    period: str = quarter_field(nullable=False)
    provider_actor_id: int | None = Field(default=None, foreign_key="actor.id")
    hires_total: int | None = Field(default=None, ge=0)
    hires_with_public_vacancy: int | None = Field(default=None, ge=0)
    hires_with_political_referral: int | None = Field(default=None, ge=0)
    staff_turnover_pct: float | None = Field(default=None, ge=0, le=100)
    workload_score: float | None = None
    data_label: str | None = enum_field(E.DataLabel)
    import_batch_id: int | None = batch_field()


class ReportingPeriod(SQLModel, table=True):
    """A programme's reporting quarter; a locked quarter freezes its observations and flags."""

    __tablename__ = "reporting_period"
    __table_args__ = (UniqueConstraint("programme_id", "quarter"),)

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    quarter: str = quarter_field(nullable=False)
    status: str = enum_field(E.PeriodStatus, "open", nullable=False)
    data_cutoff_date: date | None = None
    locked_by: str | None = None
    locked_at: datetime | None = None
    # when the risk rules first judged this quarter while it was locked: from then on its
    # flags are frozen and later runs do not evaluate it again
    rules_ran_at: datetime | None = None
    import_batch_id: int | None = batch_field()


# --------------------------------------------------------------------------------------------
# Indicators and results chain


class Indicator(SQLModel, table=True):
    """A performance indicator with its PIRS reference-sheet fields."""

    __tablename__ = "indicator"
    __table_args__ = (UniqueConstraint("programme_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    strand_id: int | None = Field(default=None, foreign_key="strand.id")
    code: str = Field(max_length=40)
    name: str
    definition: str | None = text_field()
    result_level: str = enum_field(E.ResultLevel, nullable=False)
    rba_quadrant: str = enum_field(E.RbaQuadrant, nullable=False)
    better_off_type: str | None = enum_field(E.BetterOffType)
    accountability_type: str | None = enum_field(E.AccountabilityType)
    attribution_claim: str | None = enum_field(E.AttributionClaim)
    unit: str = enum_field(E.Unit, nullable=False)
    numerator_def: str | None = text_field()
    denominator_def: str | None = text_field()
    direction: str = enum_field(E.Direction, "increase", nullable=False)
    range_min: float | None = None
    range_max: float | None = None
    baseline_value: float | None = None
    baseline_period: str | None = quarter_field()
    baseline_source: str | None = text_field()
    baseline_method: str | None = text_field()
    amber_at: float | None = None
    red_at: float | None = None
    phases: str | None = list_field(E.Phase)
    coproduction_level: str | None = enum_field(E.CoproductionLevel)
    disaggregation_required: str | None = list_field(None)
    data_source: str | None = text_field()
    collection_method: str | None = text_field()
    frequency: str = enum_field(E.Frequency, "quarterly", nullable=False)
    responsible_role: str | None = None
    verification_type: str | None = enum_field(E.VerificationType)
    co_defined_with_lay_actors: bool = False
    co_defined_evidence_id: int | None = Field(default=None, foreign_key="evidence.id")
    construct_code: str | None = Field(
        default=None,
        description="shared code for indicators measuring the same construct from different "
        "sources (reported vs verified, DQ-1)")
    is_cumulative: bool = False
    is_seasonal: bool = False
    post_exit_measurement_due: date | None = None
    risk_role: str | None = enum_field(
        E.IndicatorRiskRole,
        description="how the risk rules read this indicator: misuse_rate (CD-4), "
        "limited_literacy_share or sufficient_literacy_share (CD-5)")
    known_limitations: str | None = text_field()
    evidence_standard: int | None = Field(default=None, ge=1, le=5)
    baseline_label: str | None = enum_field(E.DataLabel)
    import_batch_id: int | None = batch_field()


class Target(SQLModel, table=True):
    __tablename__ = "target"
    __table_args__ = (UniqueConstraint("indicator_id", "strand_id", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True)
    strand_id: int | None = Field(default=None, foreign_key="strand.id")
    period: str = quarter_field(nullable=False)
    value: float
    rationale: str | None = text_field()
    data_label: str | None = enum_field(E.DataLabel)
    import_batch_id: int | None = batch_field()


class ResultLink(SQLModel, table=True):
    """An arrow in the results chain (output -> outcome -> impact) with its assumption."""

    __tablename__ = "result_link"
    __table_args__ = (UniqueConstraint("from_indicator_id", "to_indicator_id"),)

    id: int | None = Field(default=None, primary_key=True)
    from_indicator_id: int = Field(foreign_key="indicator.id", index=True)
    to_indicator_id: int = Field(foreign_key="indicator.id", index=True)
    assumption_text: str = Field(sa_type=Text)  # type: ignore[call-overload]
    strength: str = enum_field(E.ResultLinkStrength, "hypothesised", nullable=False)
    import_batch_id: int | None = batch_field()


# --------------------------------------------------------------------------------------------
# Measurements


class Observation(SQLModel, table=True):
    """One measured value of an indicator for a quarter, strand and disaggregation cell.

    A total has no dimensions. ``dims_key`` is the canonical ``dim=category;...`` text of its
    ObservationDim rows (sorted), so uniqueness and look-ups need no join.
    """

    __tablename__ = "observation"
    __table_args__ = (
        UniqueConstraint("indicator_id", "period", "strand_id", "dims_key"),
        # The risk rules read totals and single-dimension cells only; these partial covering
        # indexes let them do so without touching the table or the cross-tabulated cells.
        Index("ix_observation_totals", "indicator_id", "strand_id", "period", "value",
              "n_sample", "verification_type", sqlite_where=text("dims_key = ''")),
        Index("ix_observation_cells", "indicator_id", "period", "strand_id", "dims_key",
              "value", "n_sample",
              sqlite_where=text("dims_key <> '' AND instr(dims_key, ';') = 0")),
    )

    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True)
    strand_id: int | None = Field(default=None, foreign_key="strand.id")
    period: str = quarter_field(nullable=False)
    dims_key: str = Field(default="", nullable=False)
    phase: str | None = enum_field(E.Phase)
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    n_sample: int | None = Field(default=None, ge=0)
    ci_low: float | None = None
    ci_high: float | None = None
    quality_status: str | None = enum_field(E.QualityStatus)
    verification_type: str | None = enum_field(E.VerificationType)
    data_source: str | None = text_field()
    collection_method: str | None = text_field()
    evidence_id: int | None = Field(default=None, foreign_key="evidence.id")
    comment: str | None = text_field()
    data_label: str | None = enum_field(E.DataLabel)
    entered_by: str | None = None
    entered_at: datetime | None = None
    import_batch_id: int | None = batch_field()


class ObservationDim(SQLModel, table=True):
    __tablename__ = "observation_dim"

    observation_id: int = Field(foreign_key="observation.id", primary_key=True)
    dimension: str = Field(primary_key=True, max_length=40)
    category: str = Field(index=True)


class ObservationRevision(SQLModel, table=True):
    """A correction to an observation of a locked quarter: the values it replaced, and why.

    Revisions are numbered 1, 2, … per observation; the observation row always holds the
    current values, each revision the values that were current before that correction.
    """

    __tablename__ = "observation_revision"
    __table_args__ = (UniqueConstraint("observation_id", "revision"),)

    id: int | None = Field(default=None, primary_key=True)
    observation_id: int = Field(foreign_key="observation.id", index=True)
    revision: int = Field(ge=1)
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    n_sample: int | None = Field(default=None, ge=0)
    quality_status: str | None = enum_field(E.QualityStatus)
    comment: str | None = text_field()
    reason: str = Field(sa_type=Text)  # type: ignore[call-overload]
    revised_by: str
    revised_at: datetime


class ParticipationRecord(SQLModel, table=True):
    """Aggregated cohort counts per quarter × phase × group (no personal data)."""

    __tablename__ = "participation_record"
    __table_args__ = (
        UniqueConstraint("programme_id", "strand_id", "period", "phase", "group_dimension",
                         "group_category"),
    )

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    strand_id: int | None = Field(default=None, foreign_key="strand.id")
    period: str = quarter_field(nullable=False)
    phase: str | None = enum_field(E.Phase)
    group_dimension: str = Field(default="", description="empty for all participants")
    group_category: str = Field(default="")
    registered: int | None = Field(default=None, ge=0)
    active: int | None = Field(default=None, ge=0)
    new: int | None = Field(default=None, ge=0)
    continuing_active: int | None = Field(default=None, ge=0)
    exited: int | None = Field(default=None, ge=0)
    started_tasks: int | None = Field(default=None, ge=0)
    completed_tasks: int | None = Field(default=None, ge=0)
    contributions: int | None = Field(default=None, ge=0)
    contributions_online: int | None = Field(default=None, ge=0)
    top10pct_contrib_share: float | None = Field(
        default=None, ge=0, le=100,
        description="percent of contributions made by the top 10 % of contributors")
    data_label: str | None = enum_field(E.DataLabel)
    import_batch_id: int | None = batch_field()


class PopulationReference(SQLModel, table=True):
    """Denominators for representation ratios."""

    __tablename__ = "population_reference"
    __table_args__ = (
        UniqueConstraint("programme_id", "strand_id", "geo", "group_dimension", "group_category",
                         "year"),
    )

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    strand_id: int | None = Field(default=None, foreign_key="strand.id")
    geo: str = Field(default="")
    group_dimension: str = Field(default="")
    group_category: str = Field(default="")
    population_count: float
    year: int
    source: str | None = text_field()
    data_label: str | None = enum_field(E.DataLabel)
    import_batch_id: int | None = batch_field()


class FeedbackRecord(SQLModel, table=True):
    """Complaints, ratings and proposals per quarter × strand × provider."""

    __tablename__ = "feedback_record"
    __table_args__ = (
        UniqueConstraint("programme_id", "strand_id", "period", "provider_actor_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    strand_id: int | None = Field(default=None, foreign_key="strand.id")
    period: str = quarter_field(nullable=False)
    provider_actor_id: int | None = Field(default=None, foreign_key="actor.id")
    phase: str | None = enum_field(E.Phase)
    interaction_stage: str | None = enum_field(E.InteractionStage)
    active_users: int | None = Field(default=None, ge=0)
    complaints_received: int | None = Field(default=None, ge=0)
    complaints_resolved_30d: int | None = Field(default=None, ge=0)
    complaints_handled_by_independent_body: bool | None = None
    satisfaction_mean_0_100: float | None = Field(default=None, ge=0, le=100)
    satisfied_share_pct: float | None = Field(default=None, ge=0, le=100)
    satisfaction_n: int | None = Field(default=None, ge=0)
    proposals_received: int | None = Field(default=None, ge=0)
    proposals_responded_30d: int | None = Field(default=None, ge=0)
    proposals_adopted: int | None = Field(default=None, ge=0)
    data_label: str | None = enum_field(E.DataLabel)
    import_batch_id: int | None = batch_field()


class ChannelRecord(SQLModel, table=True):
    """How participation opportunities are offered: online only, assisted, offline."""

    __tablename__ = "channel_record"
    __table_args__ = (UniqueConstraint("programme_id", "strand_id", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    strand_id: int | None = Field(default=None, foreign_key="strand.id")
    period: str = quarter_field(nullable=False)
    opportunities_total: int | None = Field(default=None, ge=0)
    opportunities_online_only: int | None = Field(default=None, ge=0)
    assisted_alternative_available: bool | None = None
    assisted_share_of_contributions_pct: float | None = Field(default=None, ge=0, le=100)
    digitally_excluded_share_pct: float | None = Field(
        default=None, ge=0, le=100,
        description="percent of the target population with no access or no skills")
    data_label: str | None = enum_field(E.DataLabel)
    import_batch_id: int | None = batch_field()


class CapacityAssessment(SQLModel, table=True):
    __tablename__ = "capacity_assessment"
    __table_args__ = (UniqueConstraint("programme_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    code: str = Field(max_length=40)
    assessed_on: date
    assessor: str | None = None
    actor_scope: str = enum_field(E.ActorScope, nullable=False)
    actor_id: int | None = Field(default=None, foreign_key="actor.id")
    method: str | None = enum_field(E.AssessmentMethod)
    import_batch_id: int | None = batch_field()


class CapacityScore(SQLModel, table=True):
    """One cell of the 3 × 3 capacity matrix, scored 0 (absent) to 4 (strong)."""

    __tablename__ = "capacity_score"
    __table_args__ = (UniqueConstraint("assessment_id", "level", "competence"),)

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="capacity_assessment.id", index=True)
    level: str = enum_field(E.CapacityLevel, nullable=False)
    competence: str = enum_field(E.Competence, nullable=False)
    score: int = Field(ge=0, le=4)
    descriptor: str | None = text_field()
    notes: str | None = text_field()
    import_batch_id: int | None = batch_field()


class ChecklistResponse(SQLModel, table=True):
    """An evaluator's answer to a checklist item (CDQ-1, CLQ-5, ...)."""

    __tablename__ = "checklist_response"
    __table_args__ = (UniqueConstraint("programme_id", "strand_id", "period", "item_code"),)

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    strand_id: int | None = Field(default=None, foreign_key="strand.id")
    period: str = quarter_field(nullable=False)
    item_code: str = Field(max_length=16)
    answer: str = enum_field(E.ChecklistAnswer, nullable=False)
    comment: str | None = text_field()
    evidence: str | None = text_field(description="what the answer rests on (document, minutes, "
                                      "visit); required for items marked evidence_required")
    respondent: str | None = None
    import_batch_id: int | None = batch_field()


class RiskFlag(SQLModel, table=True):
    """A raised risk flag: a prompt for evaluator judgement, not a verdict."""

    __tablename__ = "risk_flag"
    __table_args__ = (
        UniqueConstraint("programme_id", "strand_id", "period", "rule_id", "subject"),
    )

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    strand_id: int | None = Field(default=None, foreign_key="strand.id")
    period: str = quarter_field(nullable=False)
    rule_id: str = Field(max_length=16)
    rule_version: int = 1
    subject: str = Field(default="", description="what the flag is about within the strand, "
                         "e.g. a result link or a provider")
    category: str = enum_field(E.RiskCategory, nullable=False)
    computed_severity: str = enum_field(E.Severity, nullable=False)
    severity: str = enum_field(E.Severity, nullable=False)
    status: str = enum_field(E.FlagStatus, "open", nullable=False)
    trigger_snapshot: str | None = text_field()
    first_raised_period: str | None = quarter_field()
    consecutive_periods: int = 1
    evaluator_judgement: str | None = text_field()
    override_severity: str | None = enum_field(E.Severity)
    override_reason: str | None = text_field()
    mitigation: str | None = text_field()
    owner: str | None = None
    due_date: date | None = None
    import_batch_id: int | None = batch_field()


class RuleParameterOverride(SQLModel, table=True):
    """A programme's own value for a risk rule's parameter; the reason is mandatory."""

    __tablename__ = "rule_parameter_override"
    __table_args__ = (UniqueConstraint("programme_id", "rule_id", "param"),)

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    rule_id: str = Field(max_length=16)
    param: str
    value_json: str = Field(sa_type=Text)  # type: ignore[call-overload]
    reason: str = Field(sa_type=Text)  # type: ignore[call-overload]
    user: str
    set_at: datetime


class RiskRun(SQLModel, table=True):
    """When a programme's risk rules last ran: a programme never checked is not "clear"."""

    __tablename__ = "risk_run"

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", unique=True)
    ran_at: datetime
    user: str
    up_to: str | None = Field(default=None, max_length=7)  # None: every quarter
    flags: int = 0


class Evidence(SQLModel, table=True):
    __tablename__ = "evidence"
    __table_args__ = (UniqueConstraint("programme_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    code: str = Field(max_length=40)
    type: str = enum_field(E.EvidenceType, nullable=False)
    title: str
    source: str | None = text_field()
    issued_on: date | None = None
    file_path: str | None = None
    sha256: str | None = Field(default=None, max_length=64)
    confidentiality: str = enum_field(E.Confidentiality, "internal", nullable=False)
    reliability: str | None = enum_field(E.Reliability)
    nesta_level: int | None = Field(default=None, ge=1, le=5)
    import_batch_id: int | None = batch_field()


class EvidenceLink(SQLModel, table=True):
    """Attaches evidence to any record, named by entity (table) and the record's natural key."""

    __tablename__ = "evidence_link"
    __table_args__ = (UniqueConstraint("evidence_id", "entity", "entity_key"),)

    id: int | None = Field(default=None, primary_key=True)
    evidence_id: int = Field(foreign_key="evidence.id", index=True)
    entity: str
    entity_key: str
    import_batch_id: int | None = batch_field()


class Note(SQLModel, table=True):
    """A free-text memo on a programme or any of its records (the story behind the curve)."""

    __tablename__ = "note"
    __table_args__ = (UniqueConstraint("programme_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    code: str = Field(max_length=40)
    entity: str = Field(default="programme")
    entity_key: str = Field(default="")
    period: str | None = quarter_field()
    text: str = Field(sa_type=Text)  # type: ignore[call-overload]
    author: str | None = None
    created_at: datetime
    import_batch_id: int | None = batch_field()


class InstitutionalStatusChange(SQLModel, table=True):
    """From which quarter a programme or strand had an institutional status (SU-3 reads it dated).

    The Programme and Strand rows hold one status; a lab that becomes a permanent office in its
    seventh quarter needs the change dated, or SU-3 would judge every quarter by the last status.
    """

    __tablename__ = "institutional_status_change"
    __table_args__ = (UniqueConstraint("programme_id", "strand_id", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    strand_id: int | None = Field(default=None, foreign_key="strand.id")
    period: str = quarter_field(nullable=False, description="first quarter with this status")
    institutional_status: str = enum_field(E.InstitutionalStatus, nullable=False)
    transition_plan_approved: bool = False
    evidence_id: int | None = Field(default=None, foreign_key="evidence.id")
    comment: str | None = text_field()
    import_batch_id: int | None = batch_field()
