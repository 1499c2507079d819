"""The records beside the indicators: participation, population references, feedback,
channels, and the 3 × 3 capacity assessments."""

from datetime import date

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from coprod_me.model import enums as E
from coprod_me.model.entities.columns import (
    batch_field,
    enum_field,
    quarter_field,
    text_field,
)


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
