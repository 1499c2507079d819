"""DHIS2 mapping lookups: how a programme's indicators, strands and breakdowns are named in
a DHIS2 instance (the ``dhis2_mapping`` table), and the breakdowns its observations use."""

from __future__ import annotations

from sqlmodel import Session, col, select

from coprod_me.model import entities as M


def mappings_of(session: Session, programme_id: int | None) -> list[M.Dhis2Mapping]:
    """The programme's DHIS2 mapping rows, by kind and source."""
    return list(session.scalars(select(M.Dhis2Mapping).where(
        M.Dhis2Mapping.programme_id == programme_id).order_by(
        col(M.Dhis2Mapping.kind), col(M.Dhis2Mapping.source))))


def find_mapping(session: Session, programme_id: int | None, kind: str, source: str
                 ) -> M.Dhis2Mapping | None:
    """The mapping row of one thing (kind × source), if any."""
    return session.scalars(select(M.Dhis2Mapping).where(
        M.Dhis2Mapping.programme_id == programme_id, M.Dhis2Mapping.kind == kind,
        M.Dhis2Mapping.source == source)).first()


def breakdowns_of(session: Session, programme_id: int | None) -> list[str]:
    """Every breakdown key (``dims_key``, '' for a total) the programme's observations use."""
    return list(session.scalars(select(M.Observation.dims_key).distinct().where(
        col(M.Observation.indicator_id).in_(
            select(M.Indicator.id).where(M.Indicator.programme_id == programme_id)))
        .order_by(col(M.Observation.dims_key))))


def has_programme_totals(session: Session, programme_id: int | None) -> bool:
    """Whether any observation of the programme is for the programme as a whole (no strand)."""
    return session.scalars(select(M.Observation.id).where(
        col(M.Observation.strand_id).is_(None),
        col(M.Observation.indicator_id).in_(
            select(M.Indicator.id).where(M.Indicator.programme_id == programme_id)))
        .limit(1)).first() is not None
