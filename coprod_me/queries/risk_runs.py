"""What a rules run reads besides the snapshots: its records, and the quarters it freezes."""

from __future__ import annotations

from sqlmodel import Session, col, select

from coprod_me.model import entities as M


def last_risk_run(session: Session, programme_id: int | None) -> M.RiskRun | None:
    """The record of the programme's last rules run; None if the rules never ran for it."""
    return session.scalars(select(M.RiskRun).where(
        M.RiskRun.programme_id == programme_id)).first()


def periods_never_judged(session: Session, programme_id: int | None,
                         quarters: list[str]) -> list[M.ReportingPeriod]:
    """The programme's reporting periods of these quarters that no rules run judged yet."""
    return list(session.scalars(select(M.ReportingPeriod).where(
        M.ReportingPeriod.programme_id == programme_id,
        col(M.ReportingPeriod.quarter).in_(quarters),
        col(M.ReportingPeriod.rules_ran_at).is_(None))))


def risk_runs_of(session: Session, programme_ids: list[int]) -> dict[int, M.RiskRun]:
    """The record of each programme's last rules run, by programme id (absent: never ran)."""
    if not programme_ids:
        return {}
    return {r.programme_id: r for r in session.scalars(select(M.RiskRun).where(
        col(M.RiskRun.programme_id).in_(programme_ids)))}
