"""Evidence and what it supports, notes, and dated institutional status changes."""

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
