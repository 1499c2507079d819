"""Actors, and a programme with its structure: strands, phases, roles, sponsors, money,
staffing and reporting quarters."""

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from coprod_me.model import enums as E
from coprod_me.model.entities.columns import (
    batch_field,
    enum_field,
    quarter_field,
    text_field,
)

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
    # What an IATI 2.03 activity needs beyond the profile above (codes from the IATI
    # codelists: OrganisationType, ActivityStatus, Sector vocabulary 1 = DAC 5-digit).
    iati_identifier: str | None = Field(
        default=None, max_length=200,
        description="IATI activity identifier: the reporting organisation's ref, a hyphen, "
                    "then the activity's own id (e.g. XM-DAC-41114-PROJ-0042)")
    reporting_org_ref: str | None = Field(
        default=None, max_length=120, description="IATI organisation identifier of the reporter")
    reporting_org_name: str | None = None
    reporting_org_type: str | None = Field(
        default=None, max_length=4, description="IATI OrganisationType code (e.g. 10, 21)")
    activity_status: str | None = Field(
        default=None, max_length=2, description="IATI ActivityStatus code (1 pipeline ... 6)")
    sector_code: str | None = Field(
        default=None, max_length=10, description="OECD DAC 5-digit purpose code (e.g. 14030)")
    default_language: str | None = Field(
        default=None, max_length=3, description="ISO 639-1 code of the texts (e.g. en)")
    import_batch_id: int | None = batch_field()


class Dhis2Mapping(SQLModel, table=True):
    """How a programme's figures are named in a DHIS2 instance: one row per thing mapped.

    ``kind`` is what is mapped: ``data_set`` (source ''), ``data_element`` (source: an
    indicator code), ``org_unit`` (a strand code, '' for the programme as a whole),
    ``category_option_combo`` (an observation's breakdown key, e.g. ``sex=female``; '' for
    the total) or ``attribute_option_combo`` (source ''). ``target`` is the DHIS2 code or UID.
    """

    __tablename__ = "dhis2_mapping"
    __table_args__ = (UniqueConstraint("programme_id", "kind", "source"),)

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    kind: str = Field(max_length=30)
    source: str = ""
    target: str = Field(max_length=200)
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
