"""What the NGO spreadsheet import reads: the programme's names, stored observations to
compare against, saved mappings and what an undo must check."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any, NamedTuple

from sqlmodel import Session, select

from coprod_me.model import entities as M

_OBS = M.table_of(M.Observation)
_AUDIT = M.table_of(M.AuditLog)


def indicator_codes(session: Session, programme_id: int | None) -> list[str]:
    """The codes of a programme's indicators (to recognise them in headers)."""
    return [c for (c,) in session.execute(select(M.Indicator.code).where(
        M.Indicator.programme_id == programme_id))]


def strand_named(session: Session, programme_id: int | None, code: str) -> M.Strand | None:
    """The programme's strand with this code, if any."""
    return session.scalars(select(M.Strand).where(M.Strand.programme_id == programme_id,
                                                  M.Strand.code == code)).first()


def evidence_ids(session: Session, programme_id: int | None) -> dict[str, int]:
    """Evidence code -> id, for a programme."""
    return {e.code: e.id for e in session.scalars(
        select(M.Evidence).where(M.Evidence.programme_id == programme_id)) if e.id is not None}


def stored_observations(session: Session, indicator_ids: Sequence[int | None],
                        fields: Sequence[str]) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """The stored observations of these indicators, read as plain rows (an import compares
    every row of a file against them): (indicator id, quarter, strand id, dims key) ->
    (id, *the values of ``fields``)."""
    cols = [_OBS.c[n] for n in ("id", "indicator_id", "period", "strand_id", "dims_key",
                                *fields)]
    existing: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    for r in session.execute(select(*cols).where(_OBS.c.indicator_id.in_(indicator_ids))):
        existing[r[1:5]] = (r[0], *r[5:])
    return existing


def observations_by_id(session: Session, ids: Sequence[int | None]) -> list[M.Observation]:
    """These observations as entities, loaded a few hundred per query."""
    return [o for start in range(0, len(ids), 500) for o in session.scalars(
        select(M.Observation).where(_OBS.c.id.in_(ids[start:start + 500])))]


# ------------------------------------------------------------------------ saved mappings


def mapping_named(session: Session, name: str) -> M.ImportMapping | None:
    return session.scalars(select(M.ImportMapping).where(M.ImportMapping.name == name)).first()


def saved_mappings(session: Session) -> list[M.ImportMapping]:
    """Every saved mapping, by name."""
    return list(session.scalars(select(M.ImportMapping).order_by(M.ImportMapping.name)))


class AuditedChange(NamedTuple):
    """One field an import batch changed on an existing observation, as audited."""

    entity_id: int
    field: str
    old: str | None
    new: str | None


class LaterChange(NamedTuple):
    """A change made, outside a batch, to an observation the batch created."""

    entity_id: int
    field: str
    user: str


def batch_changes(session: Session, batch_id: int) -> list[AuditedChange]:
    """The fields the batch changed on existing observations, newest first."""
    return [AuditedChange(*r) for r in session.execute(select(
        _AUDIT.c.entity_id, _AUDIT.c.field, _AUDIT.c.old, _AUDIT.c.new).where(
        _AUDIT.c.import_batch_id == batch_id, _AUDIT.c.entity == "observation",
        _AUDIT.c.action == "update").order_by(_AUDIT.c.id.desc()))]


def batch_quarters(session: Session, batch_id: int) -> set[str]:
    """The quarters of the observations the batch created."""
    return set(session.scalars(select(_OBS.c.period).where(
        _OBS.c.import_batch_id == batch_id)))


def quarters_of_observations(session: Session, observation_ids: Collection[int]) -> set[str]:
    return set(session.scalars(select(_OBS.c.period).where(_OBS.c.id.in_(observation_ids))))


def later_changes(session: Session, batch_id: int) -> list[LaterChange]:
    """Changes made since, outside this batch, to observations the batch created, oldest
    first (undoing the batch would lose them)."""
    created = select(_OBS.c.id).where(_OBS.c.import_batch_id == batch_id)
    return [LaterChange(*r) for r in session.execute(select(
        _AUDIT.c.entity_id, _AUDIT.c.field, _AUDIT.c.user).where(
        _AUDIT.c.entity == "observation", _AUDIT.c.action == "update",
        _AUDIT.c.entity_id.in_(created),
        (_AUDIT.c.import_batch_id.is_(None)) | (_AUDIT.c.import_batch_id != batch_id))
        .order_by(_AUDIT.c.id)).all()]
