"""Indicators and the results chain between them; the observations measured on them, their
disaggregation cells and the corrections of locked values."""

from datetime import date, datetime

from sqlalchemy import Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from coprod_me.model import enums as E
from coprod_me.model.entities.columns import (
    batch_field,
    enum_field,
    list_field,
    quarter_field,
    text_field,
)

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


class TargetRevision(SQLModel, table=True):
    """A change to a target that had been set: the value it replaced, the new one, and why.

    Revisions are numbered 1, 2, … per target; the target row always holds the current value.
    Funders ask for revised targets to be listed with their justification (IPTT practice).
    """

    __tablename__ = "target_revision"
    __table_args__ = (UniqueConstraint("target_id", "revision"),)

    id: int | None = Field(default=None, primary_key=True)
    target_id: int = Field(foreign_key="target.id", index=True)
    revision: int = Field(ge=1)
    previous_value: float
    value: float
    reason: str = Field(sa_type=Text)  # type: ignore[call-overload]
    revised_by: str
    revised_at: datetime


class VarianceNarrative(SQLModel, table=True):
    """Why an indicator's actual differs from its target in a quarter (the IPTT's deviation
    narrative); ``strand_id`` empty for the programme as a whole."""

    __tablename__ = "variance_narrative"
    __table_args__ = (UniqueConstraint("indicator_id", "strand_id", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(foreign_key="indicator.id", index=True)
    strand_id: int | None = Field(default=None, foreign_key="strand.id")
    period: str = quarter_field(nullable=False)
    text: str = Field(sa_type=Text)  # type: ignore[call-overload]
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
