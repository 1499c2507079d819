"""Record lookups: participation, feedback, allocations and the other programme records,
and the capacity assessments with their scored cells."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session, SQLModel, select

from coprod_me.model import entities as M


def record_with_key(session: Session, model: type[SQLModel], key: Mapping[str, Any]
                    ) -> Any | None:
    """The record of ``model`` whose columns hold these values (None matching NULL), if any."""
    table: Any = model
    return session.scalars(select(model).where(*(
        getattr(table, a) == v if v is not None else getattr(table, a).is_(None)
        for a, v in key.items()))).first()


def assessments_of(session: Session, programme_id: int | None
                   ) -> list[M.CapacityAssessment]:
    return list(session.scalars(select(M.CapacityAssessment).where(
        M.CapacityAssessment.programme_id == programme_id)))


def capacity_scores(session: Session, assessment_id: int) -> list[M.CapacityScore]:
    """The scored cells of an assessment's capacity matrix."""
    return list(session.scalars(select(M.CapacityScore).where(
        M.CapacityScore.assessment_id == assessment_id)))


def capacity_score(session: Session, assessment_id: int, level: str, competence: str
                   ) -> M.CapacityScore | None:
    """One cell of an assessment's matrix, if scored."""
    return session.scalars(select(M.CapacityScore).where(
        M.CapacityScore.assessment_id == assessment_id,
        M.CapacityScore.level == level,
        M.CapacityScore.competence == competence)).first()
