"""Reads for programme workbooks: programmes by code, and whole tables scoped to programmes.

The rows come back as column mappings, not entities: the exporter and the loader turn them
into workbook terms (``services/workbook_rows``) without building an object per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import RowMapping, Table, select
from sqlalchemy.orm import Session

from coprod_me.model import entities as M


def programme_ids_with_codes(session: Session, codes: set[str]) -> list[int]:
    """The ids of the programmes with these codes (unknown codes are left out)."""
    t = M.table_of(M.Programme)
    return list(session.execute(select(t.c.id).where(t.c.code.in_(codes))).scalars())


def programme_codes_with_ids(session: Session, ids: list[int]) -> set[str]:
    t = M.table_of(M.Programme)
    return set(session.execute(select(t.c.code).where(t.c.id.in_(ids))).scalars())


def rows_of_programmes(session: Session, table: Table, programme_ids: list[int], *,
                       through: tuple[str, Table] | None = None) -> Sequence[RowMapping]:
    """Every row of ``table`` that belongs to the programmes: the programme rows themselves,
    rows with a ``programme_id``, or rows whose ``through`` foreign key (column, parent
    table with a ``programme_id``) names a parent row of the programmes."""
    where: Any
    if table.name == M.Programme.__tablename__:
        where = table.c.id.in_(programme_ids)
    elif through is None:
        where = table.c.programme_id.in_(programme_ids)
    else:
        fk, parent = through
        where = table.c[fk].in_(
            select(parent.c.id).where(parent.c.programme_id.in_(programme_ids)))
    return session.execute(select(table).where(where)).mappings().all()


def actor_rows(session: Session, table: Table, codes: set[str] | None
               ) -> Sequence[RowMapping]:
    """The actors with these codes (every actor for None), as rows of ``table``."""
    stmt = select(table)
    if codes is not None:
        stmt = stmt.where(table.c.code.in_(codes))
    return session.execute(stmt).mappings().all()
