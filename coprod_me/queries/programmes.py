"""Programme lookups: the programme by code, its strands, phases, people and gate facts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from sqlalchemy import func
from sqlmodel import Session, SQLModel, col, select

from coprod_me.model import entities as M
from coprod_me.model.errors import NotFound

Record = TypeVar("Record", bound=SQLModel)


def find_programme(session: Session, code: str) -> M.Programme | None:
    """The programme with this code, or None."""
    return session.scalars(select(M.Programme).where(M.Programme.code == code)).first()


def get_programme(session: Session, code: str) -> M.Programme:
    """The programme with this code; NotFound (saying where to find the codes) if none."""
    p = find_programme(session, code)
    if p is None:
        raise NotFound.programme(code)
    return p


def programme_ids(session: Session, codes: Sequence[str]) -> dict[str, int]:
    """The ids of the programmes with these codes, in one query; NotFound (as
    ``get_programme`` says it) for the first code no programme has."""
    found = {code: int(pid) for pid, code in session.execute(
        select(M.Programme.id, M.Programme.code).where(col(M.Programme.code).in_(codes)))}
    for code in codes:
        if code not in found:
            raise NotFound.programme(code)
    return {code: found[code] for code in codes}


def all_programmes(session: Session) -> list[M.Programme]:
    return list(session.scalars(select(M.Programme)))


def programme_codes(session: Session) -> dict[int, str]:
    """Every programme's code by its id."""
    return {int(p.id or 0): p.code for p in session.scalars(select(M.Programme))}


def indicator_count(session: Session, programme_id: int | None) -> int:
    return int(session.scalar(select(func.count()).select_from(M.Indicator).where(
        M.Indicator.programme_id == programme_id)) or 0)


def programme_records(session: Session, model: type[Record], programme_id: int | None
                      ) -> list[Record]:
    """The rows of ``model`` (a table with a ``programme_id``) that belong to a programme."""
    return list(session.scalars(select(model).where(
        model.programme_id == programme_id)))  # type: ignore[attr-defined]


# ------------------------------------------------------------------------------- strands

def strands_of(session: Session, programme_id: int | None) -> list[M.Strand]:
    """The programme's strands and sites, by code."""
    return list(session.scalars(select(M.Strand).where(M.Strand.programme_id == programme_id)
                                .order_by(M.Strand.code)))


def find_strand(session: Session, programme_id: int | None, code: str) -> M.Strand | None:
    return session.scalars(select(M.Strand).where(
        M.Strand.programme_id == programme_id, M.Strand.code == code)).first()


def get_strand(session: Session, programme: M.Programme, code: str | None) -> int | None:
    """The id of the programme's strand with this code (None for no code); NotFound if none."""
    if not code:
        return None
    st = find_strand(session, programme.id, code)
    if st is None:
        raise NotFound(f"{programme.code} has no strand '{code}'")
    return st.id


# -------------------------------------------------------------------------------- phases

def phases_of(session: Session, programme_id: int | None) -> list[M.ProgrammePhase]:
    """The phases × levels cells the programme and its strands cover."""
    return list(session.scalars(select(M.ProgrammePhase).where(
        M.ProgrammePhase.programme_id == programme_id)))


def programme_phase(session: Session, programme_id: int | None, phase: str, level: str
                    ) -> M.ProgrammePhase | None:
    """The cell the whole programme (no strand) covers at this phase and level, if any."""
    return session.exec(select(M.ProgrammePhase).where(
        M.ProgrammePhase.programme_id == programme_id, M.ProgrammePhase.phase == phase,
        M.ProgrammePhase.level == level,
        col(M.ProgrammePhase.strand_id).is_(None))).first()


# -------------------------------------------------------------------------------- people

def actor_roles_of(session: Session, programme_id: int | None
                   ) -> list[tuple[M.ProgrammeActor, M.Actor]]:
    """Each role in the programme with the actor playing it, by role then actor name."""
    rows = session.exec(select(M.ProgrammeActor, M.Actor).join(
        M.Actor, col(M.Actor.id) == col(M.ProgrammeActor.actor_id)).where(
        M.ProgrammeActor.programme_id == programme_id).order_by(col(M.ProgrammeActor.role),
                                                                col(M.Actor.name))).all()
    return [(pa, a) for pa, a in rows]


def sponsors_of(session: Session, programme_id: int | None) -> list[M.Sponsor]:
    return list(session.exec(select(M.Sponsor).where(M.Sponsor.programme_id == programme_id)
                             .order_by(col(M.Sponsor.code))))


def funding_of(session: Session, programme_id: int | None) -> list[M.FundingSource]:
    return list(session.exec(select(M.FundingSource).where(
        M.FundingSource.programme_id == programme_id).order_by(col(M.FundingSource.code))))
