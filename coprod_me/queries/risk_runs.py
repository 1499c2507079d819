"""What a rules run reads besides the snapshots: its record, and the quarters it freezes."""

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
