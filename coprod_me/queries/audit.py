"""The audit log as the history views read it: newest change first."""

from __future__ import annotations

from sqlmodel import Session, col, select

from coprod_me.model import entities as M


def audit_entries(session: Session, entity: str | None = None, entity_id: int | None = None,
                  limit: int = 500) -> list[M.AuditLog]:
    """The latest ``limit`` audit rows, of one table (and one row of it) when given."""
    stmt = select(M.AuditLog).order_by(col(M.AuditLog.id).desc()).limit(limit)
    if entity:
        stmt = stmt.where(M.AuditLog.entity == entity)
    if entity_id is not None:
        stmt = stmt.where(M.AuditLog.entity_id == entity_id)
    return list(session.scalars(stmt))
