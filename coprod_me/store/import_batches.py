"""The bulk writes of an NGO import batch, with Core: its new observations in, and out again
when the batch is undone.

The rows are covered by the batch's own audit row (see ``session``), so they bypass the unit
of work: one executemany per chunk on the way in, three deletes on the way out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from coprod_me.model import entities as M
from coprod_me.store.session import insert_rows

_OBS = M.table_of(M.Observation)
_BATCH = M.table_of(M.ImportBatch)
_DIM = M.table_of(M.ObservationDim)
_REVISION = M.table_of(M.ObservationRevision)


def observation_columns(fields: Sequence[str]) -> list[str]:
    """The order of a row ``insert_observations`` takes: id, what identifies the observation,
    ``fields``, then who entered it, when, and under which batch."""
    return ["id", "indicator_id", "strand_id", "period", "dims_key", *fields, "entered_by",
            "entered_at", "import_batch_id"]


def next_observation_id(session: Session) -> int:
    """The first id after the stored observations' (ids are assigned here, not by the
    database, so the dims rows can name their observation in the same executemany)."""
    return (session.execute(select(func.max(_OBS.c.id))).scalar() or 0) + 1


def entered_at_value(session: Session, at: datetime) -> Any:
    """``at`` as the driver takes it for observation.entered_at: ``insert_rows`` hands the
    values to the driver unconverted."""
    dialect = session.get_bind().dialect
    bind = _OBS.c.entered_at.type.dialect_impl(dialect).bind_processor(dialect)
    return bind(at) if bind else at


def insert_observations(session: Session, columns: list[str], rows: list[tuple[Any, ...]],
                        dims: list[tuple[int, str, str]]) -> None:
    """Observations (in ``columns`` order) and their (observation id, dimension, category)."""
    insert_rows(session, _OBS, columns, rows)
    insert_rows(session, _DIM, ["observation_id", "dimension", "category"], dims)


def delete_batch_observations(session: Session, batch_id: int) -> int:
    """Delete the observations a batch created, with their dims and revisions; how many."""
    created = select(_OBS.c.id).where(_OBS.c.import_batch_id == batch_id)
    n = session.scalar(select(func.count()).select_from(created.subquery())) or 0
    session.execute(delete(_DIM).where(_DIM.c.observation_id.in_(created)))
    session.execute(delete(_REVISION).where(_REVISION.c.observation_id.in_(created)))
    session.execute(delete(_OBS).where(_OBS.c.import_batch_id == batch_id))
    return int(n)


def delete_observations_from(session: Session, first_id: int) -> None:
    """Delete the observations inserted from ``first_id`` on, with their dims (an import
    taking back what it wrote in this transaction)."""
    session.execute(delete(_DIM).where(_DIM.c.observation_id >= first_id))
    session.execute(delete(_OBS).where(_OBS.c.id >= first_id))


def reserve_batch_id(session: Session) -> int:
    """The id the next import batch gets (max + 1, as SQLite assigns it), with foreign keys
    checked at commit for the rest of this transaction: an import inserts its observations
    naming the batch first, and writes the batch row once its counts are known."""
    if session.get_bind().dialect.name == "sqlite":
        # the pragma holds until the transaction ends, and the driver begins one at the
        # first write: a write that changes nothing begins it
        session.execute(delete(_OBS).where(_OBS.c.id < 0))
        session.execute(text("PRAGMA defer_foreign_keys = ON"))
    return (session.execute(select(func.max(_BATCH.c.id))).scalar() or 0) + 1


def observation_value(field_name: str, text: str | None) -> Any:
    """An audited value (text, see ``session.audit_text``) back in the observation column's
    type, to put back what a batch changed."""
    if text is None:
        return None
    py = _OBS.c[field_name].type.python_type
    if py is float:
        return float(text)
    if py is int:
        return int(float(text))
    return text
