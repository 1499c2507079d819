"""Observation lookups: the value in one cell, a programme's values, revisions and quarters."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from coprod_me.model import entities as M
from coprod_me.model.enums import PeriodStatus


def reporting_period(session: Session, programme_id: int | None, quarter: str
                     ) -> M.ReportingPeriod | None:
    return session.scalars(select(M.ReportingPeriod).where(
        M.ReportingPeriod.programme_id == programme_id,
        M.ReportingPeriod.quarter == quarter)).first()


def periods_of(session: Session, programme_id: int | None) -> list[M.ReportingPeriod]:
    """The programme's reporting periods, by quarter."""
    return list(session.scalars(select(M.ReportingPeriod).where(
        M.ReportingPeriod.programme_id == programme_id).order_by(M.ReportingPeriod.quarter)))


def locked_quarters(session: Session, programme_id: int | None) -> set[str]:
    """The programme's locked quarters."""
    return set(session.scalars(select(M.ReportingPeriod.quarter).where(
        M.ReportingPeriod.programme_id == programme_id,
        M.ReportingPeriod.status == PeriodStatus.LOCKED)))


def quarters_of(session: Session, programme_id: int | None) -> set[str]:
    """Every quarter with an observation of the programme or a reporting period."""
    seen = set(session.scalars(select(M.Observation.period).distinct().where(
        col(M.Observation.indicator_id).in_(
            select(M.Indicator.id).where(M.Indicator.programme_id == programme_id)))))
    seen |= set(session.scalars(select(M.ReportingPeriod.quarter).where(
        M.ReportingPeriod.programme_id == programme_id)))
    return seen


def observation_at(session: Session, indicator_id: int | None, quarter: str,
                   strand_id: int | None, dims_key: str) -> M.Observation | None:
    """The observation in one cell (indicator × quarter × strand × disaggregation), if any."""
    return session.scalars(select(M.Observation).where(
        M.Observation.indicator_id == indicator_id, M.Observation.period == quarter,
        M.Observation.dims_key == dims_key,
        M.Observation.strand_id == strand_id if strand_id else
        col(M.Observation.strand_id).is_(None))).first()


def observations_of(session: Session, programme_id: int | None, *,
                    indicator_id: int | None = None, period: str | None = None
                    ) -> list[M.Observation]:
    """The programme's observations (of one indicator, in one quarter, when given), by
    indicator, quarter, strand and disaggregation."""
    stmt = select(M.Observation).where(col(M.Observation.indicator_id).in_(
        select(M.Indicator.id).where(M.Indicator.programme_id == programme_id)))
    if indicator_id is not None:
        stmt = stmt.where(M.Observation.indicator_id == indicator_id)
    if period:
        stmt = stmt.where(M.Observation.period == period)
    stmt = stmt.order_by(col(M.Observation.indicator_id), col(M.Observation.period),
                         col(M.Observation.strand_id), col(M.Observation.dims_key))
    return list(session.scalars(stmt))


def revision_counts(session: Session, indicator_ids: list[int]) -> dict[int, int]:
    """How many corrections each observation of these indicators has (those with any)."""
    rev = M.table_of(M.ObservationRevision)
    obs = M.table_of(M.Observation)
    return {oid: n for oid, n in session.execute(
        select(rev.c.observation_id, func.count())
        .join(obs, obs.c.id == rev.c.observation_id)
        .where(obs.c.indicator_id.in_(indicator_ids))
        .group_by(rev.c.observation_id))}


def dims_of(session: Session, observation_id: int | None) -> list[M.ObservationDim]:
    return list(session.scalars(select(M.ObservationDim).where(
        M.ObservationDim.observation_id == observation_id)))


def revisions_of(session: Session, observation_id: int | None
                 ) -> list[M.ObservationRevision]:
    """The corrections of an observation, oldest first."""
    return list(session.scalars(select(M.ObservationRevision).where(
        M.ObservationRevision.observation_id == observation_id).order_by(
        col(M.ObservationRevision.revision))))


def last_revision(session: Session, observation_id: int | None) -> int:
    """The number of the observation's latest correction (0 if none)."""
    return int(session.scalar(select(func.max(M.ObservationRevision.revision)).where(
        M.ObservationRevision.observation_id == observation_id)) or 0)
