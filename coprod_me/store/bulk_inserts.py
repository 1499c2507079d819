"""Inserting many rows at once, bypassing the unit of work (which inserts row by row).

The loads' path: the rows carry their import batch's id and are covered by the batch's own
audit row (``session``). Values come already converted for the driver, column by column,
so a hundred thousand rows cost a few list comprehensions rather than a call per cell.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from coprod_me.store.session import insert_rows


def bind_processors(session: Session, table: Table) -> dict[str, Callable[[Any], Any] | None]:
    """Per column, how the session's driver converts a Python value (None: taken as is)."""
    dialect = session.get_bind().dialect
    return {col.name: col.type.dialect_impl(dialect).bind_processor(dialect)
            for col in table.c}


def insert_columns(session: Session, table: Table, names: list[str],
                   columns: list[list[Any]]) -> list[int]:
    """Insert rows given column by column (``columns[i]`` holds column ``names[i]``, values
    already converted for the driver); returns the new ids in row order ([] for a table
    without an id).

    Ids are assigned here on SQLite (SQLAlchemy can keep RETURNING ids in order there only by
    inserting row by row): the transaction already holds the write lock, because the import
    batch was written first, so max(id) cannot move under us. Elsewhere RETURNING is used.
    """
    if "id" not in table.c:
        insert_rows(session, table, names, list(zip(*columns, strict=True)))
        return []
    if session.get_bind().dialect.name != "sqlite":
        stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        records = [dict(zip(names, r, strict=True)) for r in zip(*columns, strict=True)]
        return list(session.execute(stmt, records).scalars())
    n = len(columns[0]) if columns else 0
    first = (session.execute(select(func.max(table.c.id))).scalar() or 0) + 1
    new_ids = list(range(first, first + n))
    insert_rows(session, table, ["id", *names], list(zip(new_ids, *columns, strict=True)))
    return new_ids
