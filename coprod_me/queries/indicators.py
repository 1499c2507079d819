"""Indicator lookups: a programme's indicators, their targets (with the revisions of a target
that was changed) and the result links between them."""

from __future__ import annotations

from sqlalchemy import func, orm
from sqlmodel import Session, col, select

from coprod_me.model import entities as M
from coprod_me.model.errors import NotFound


def indicators_of(session: Session, programme_id: int | None) -> list[M.Indicator]:
    """The programme's indicators, in no particular order."""
    return list(session.scalars(select(M.Indicator).where(
        M.Indicator.programme_id == programme_id)))


def indicator_ids_of(session: Session, programme_id: int | None) -> list[int]:
    return list(session.scalars(select(col(M.Indicator.id)).where(
        M.Indicator.programme_id == programme_id)))


def find_indicator(session: Session, programme_id: int | None, code: str
                   ) -> M.Indicator | None:
    return session.scalars(select(M.Indicator).where(
        M.Indicator.programme_id == programme_id, M.Indicator.code == code)).first()


def get_indicator(session: Session, programme: M.Programme, code: str) -> M.Indicator:
    """The programme's indicator with this code; NotFound if it has none."""
    ind = find_indicator(session, programme.id, code)
    if ind is None:
        raise NotFound(f"{programme.code} has no indicator '{code}'")
    return ind


def has_observations(session: Session, indicator_id: int | None) -> bool:
    return session.scalars(select(M.Observation.id).where(
        M.Observation.indicator_id == indicator_id)).first() is not None


def targets_of(session: Session, indicator_id: int | None) -> list[M.Target]:
    """The indicator's targets, by quarter."""
    return list(session.scalars(select(M.Target).where(M.Target.indicator_id == indicator_id)
                                .order_by(M.Target.period)))


def target_at(session: Session, indicator_id: int | None, period: str, strand_id: int | None
              ) -> M.Target | None:
    """The indicator's target for this quarter and strand (None: the whole programme)."""
    return session.scalars(select(M.Target).where(
        M.Target.indicator_id == indicator_id, M.Target.period == period,
        M.Target.strand_id == strand_id if strand_id else
        col(M.Target.strand_id).is_(None))).first()


def target_revisions_of(session: Session, target_ids: list[int]) -> list[M.TargetRevision]:
    """The revisions of these targets, each target's oldest first."""
    return list(session.scalars(select(M.TargetRevision).where(
        col(M.TargetRevision.target_id).in_(target_ids)).order_by(
        col(M.TargetRevision.target_id), col(M.TargetRevision.revision))))


def latest_target_revision(session: orm.Session, target_id: int | None
                           ) -> M.TargetRevision | None:
    """The target's latest revision (None: its value was never changed)."""
    return session.scalars(select(M.TargetRevision).where(
        M.TargetRevision.target_id == target_id).order_by(
        col(M.TargetRevision.revision).desc())).first()


def revised_target_count(session: Session, indicator_id: int | None) -> int:
    """How many of the indicator's targets have been revised."""
    return int(session.scalar(select(func.count(func.distinct(M.TargetRevision.target_id)))
                              .join(M.Target, col(M.Target.id) == M.TargetRevision.target_id)
                              .where(M.Target.indicator_id == indicator_id)) or 0)


def dimensions_in_use(session: Session, programme_id: int | None) -> set[str]:
    """The disaggregation dimensions the programme's indicators require or its observations
    are broken down by."""
    required = session.scalars(select(M.Indicator.disaggregation_required).where(
        M.Indicator.programme_id == programme_id))
    used = {d.strip() for text in required if text for d in text.split(",") if d.strip()}
    used |= set(session.scalars(select(M.ObservationDim.dimension).distinct().join(
        M.Observation, col(M.Observation.id) == M.ObservationDim.observation_id).join(
        M.Indicator, col(M.Indicator.id) == M.Observation.indicator_id).where(
        M.Indicator.programme_id == programme_id)))
    return used


def dependents_of(session: Session, indicator_id: int | None
                  ) -> list[M.Target | M.ResultLink | M.VarianceNarrative]:
    """What goes with an indicator when it is deleted: its targets, then the links from and
    to it, then its deviation narratives."""
    out: list[M.Target | M.ResultLink | M.VarianceNarrative] = list(session.scalars(
        select(M.Target).where(M.Target.indicator_id == indicator_id)))
    out += session.scalars(select(M.ResultLink).where(
        M.ResultLink.from_indicator_id == indicator_id))
    out += session.scalars(select(M.ResultLink).where(
        M.ResultLink.to_indicator_id == indicator_id))
    out += session.scalars(select(M.VarianceNarrative).where(
        M.VarianceNarrative.indicator_id == indicator_id))
    return out


def links_from(session: Session, indicator_ids: list[int]) -> list[M.ResultLink]:
    """The result links that start at any of these indicators."""
    return list(session.scalars(select(M.ResultLink).where(
        col(M.ResultLink.from_indicator_id).in_(indicator_ids))))


def link_pairs(session: Session, indicator_ids: list[int]) -> list[tuple[int, int]]:
    """(from, to) of the links that start at any of these indicators: a chain read at once."""
    return [(f, t) for f, t in session.execute(select(
        M.ResultLink.from_indicator_id, M.ResultLink.to_indicator_id).where(
        col(M.ResultLink.from_indicator_id).in_(indicator_ids)))]


def link_between(session: Session, from_id: int | None, to_id: int | None
                 ) -> M.ResultLink | None:
    return session.scalars(select(M.ResultLink).where(
        M.ResultLink.from_indicator_id == from_id,
        M.ResultLink.to_indicator_id == to_id)).first()
