"""Actor lookups: by code, and the records of every programme that name an actor.

Which columns point at an actor is read from the schema itself, so a new reference is
counted (and guards deletion) without a change here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Table, func
from sqlmodel import Session, SQLModel, select

from coprod_me.model import entities as M


def _actor_references() -> list[tuple[Table, Column[Any]]]:
    """Every (table, column) that points at an actor, read from the schema itself."""
    out = []
    for table in SQLModel.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == M.Actor.__tablename__:
                out.append((table, fk.parent))
    return out


_REFERENCES = _actor_references()


def all_actors(session: Session) -> list[M.Actor]:
    """Every actor, by code."""
    return list(session.scalars(select(M.Actor).order_by(M.Actor.code)))


def actor_by_code(session: Session, code: str) -> M.Actor | None:
    return session.scalars(select(M.Actor).where(M.Actor.code == code)).first()


def actor_codes(session: Session, actor_ids: set[int] | list[int]) -> dict[int, str]:
    """The codes of these actors, by id."""
    return {int(a.id or 0): a.code for a in session.scalars(select(M.Actor).where(
        M.Actor.id.in_(list(actor_ids))))}  # type: ignore[union-attr]


def other_actor_with_code(session: Session, code: str, actor_id: int | None
                          ) -> M.Actor | None:
    """An actor other than ``actor_id`` whose code is ``code`` but for case, if any.

    Pending changes are not flushed first: the edited row must not reach the unique index
    before it is checked."""
    with session.no_autoflush:
        return session.scalars(select(M.Actor).where(
            func.lower(M.Actor.code) == code.lower(),
            M.Actor.id != (actor_id or -1))).first()


def programme_ids_by_actor(session: Session, actor_id: int | None = None
                           ) -> list[tuple[int, int]]:
    """(actor id, programme id) for every record that names an actor (only ``actor_id``,
    when given); the lead agency of a programme included."""
    out = []
    for table, column in _REFERENCES:
        pid = table.c.id if table.name == "programme" else table.c.programme_id
        query = select(column, pid).where(column.is_not(None)).distinct()
        if actor_id is not None:
            query = query.where(column == actor_id)
        out += [(int(aid), programme_id) for aid, programme_id in session.execute(query)]
    return out


def reference_counts(session: Session, actor_id: int) -> list[tuple[str, int, int]]:
    """(table, programme id, how many rows) of the records that name the actor."""
    out = []
    for table, column in _REFERENCES:
        pid = table.c.id if table.name == "programme" else table.c.programme_id
        query = select(pid, func.count()).where(column == actor_id).group_by(pid)
        out += [(table.name, programme_id, int(n)) for programme_id, n in session.execute(query)]
    return out
