"""The risk checklists and flags, the rule parameters a programme overrides, and the runs."""

from datetime import date, datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from coprod_me.model import enums as E
from coprod_me.model.entities.columns import (
    batch_field,
    enum_field,
    quarter_field,
    text_field,
)


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
