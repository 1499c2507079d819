"""Programme lookups."""

from __future__ import annotations

from sqlmodel import Session, select

from coprod_me.model import entities as M
from coprod_me.model.errors import NotFound


def get_programme(session: Session, code: str) -> M.Programme:
    """The programme with this code; NotFound (saying where to find the codes) if none."""
    p = session.scalars(select(M.Programme).where(M.Programme.code == code)).first()
    if p is None:
        raise NotFound(f"no programme with code '{code}'; 'coprod-me list' shows the codes")
    return p
