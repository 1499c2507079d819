"""The one transaction boundary: commit on success, roll back on any error, audit every write.

Every insert, update and delete made through the ORM in a ``session_scope`` gets an AuditLog
row in the same transaction (entity, id, field, old, new, user, time, reason), written by an
``after_flush`` hook. A bulk load opens ``session_scope(batch=...)``: the rows it inserts with
Core carry the batch id and are covered by the single audit row of the ImportBatch itself,
while each existing row it changes through the ORM is still audited field by field.
"""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from enum import Enum
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, event, func, insert, inspect, select

if TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlalchemy.orm import Session as OrmSession
    from sqlalchemy.orm import sessionmaker
    from sqlmodel import Session

# The ORM, sqlmodel (with pydantic) and the entities are imported by the first session, not
# with the store: opening a database and reading the programme list with plain SQL (the
# window's first paint, ``programme_index``) needs none of them.


@cache
def _audit_table() -> Table:
    from coprod_me.model.entities import AuditLog, table_of

    return table_of(AuditLog)


@cache
def _audited_session() -> type[Session]:
    from sqlmodel import Session

    class AuditedSession(Session):
        """A Session whose ``info`` carries who is writing, why, and under which import
        batch; every flush writes its audit rows (``_write_audit_rows``)."""

    event.listen(AuditedSession, "after_flush", _write_audit_rows)
    return AuditedSession


def current_user() -> str:
    env = os.environ.get("COPROD_ME_USER")
    if env:
        return env
    try:
        return getpass.getuser()
    except (KeyError, OSError, ImportError):  # no login name in some containers
        return "unknown"


def now() -> datetime:
    """Timestamps are aware UTC; SQLModel's UTCDateTime refuses naive ones."""
    return datetime.now(UTC)


def audit_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def _row_dict(obj: Any) -> dict[str, Any]:
    mapper = inspect(obj).mapper
    return {c.key: audit_text(getattr(obj, c.key)) for c in mapper.column_attrs}


def _entity_id(obj: Any) -> int | None:
    pk = inspect(obj).mapper.primary_key_from_instance(obj)
    if len(pk) == 1 and isinstance(pk[0], int):
        return pk[0]
    return None


def _json(d: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in d.items() if v is not None}, ensure_ascii=False,
                      sort_keys=True)


def _write_audit_rows(session: Session, _ctx: Any) -> None:
    user = session.info.get("user") or current_user()
    reason = session.info.get("reason")
    batch_id = session.info.get("batch_id")
    at = now()
    rows: list[dict[str, Any]] = []

    def add(action: str, obj: Any, field: str | None, old: Any, new: Any) -> None:
        rows.append({
            "at": at, "user": user, "action": action, "entity": obj.__tablename__,
            "entity_id": _entity_id(obj), "field": field, "old": old, "new": new,
            "reason": reason, "import_batch_id": batch_id,
        })

    from coprod_me.model.entities import AuditLog

    for obj in session.new:
        if isinstance(obj, AuditLog):
            continue
        if batch_id is not None and getattr(obj, "import_batch_id", None) == batch_id:
            continue  # covered by the batch's own audit row
        add("insert", obj, None, None, _json(_row_dict(obj)))
    for obj in session.dirty:
        if isinstance(obj, AuditLog) or not session.is_modified(obj, include_collections=False):
            continue
        state = inspect(obj)
        for attr in state.mapper.column_attrs:
            hist = state.attrs[attr.key].history
            if not hist.has_changes():
                continue
            old = audit_text(hist.deleted[0]) if hist.deleted else None
            new = audit_text(hist.added[0]) if hist.added else None
            if old != new:
                add("update", obj, attr.key, old, new)
    for obj in session.deleted:
        if isinstance(obj, AuditLog):
            continue
        add("delete", obj, None, _json(_row_dict(obj)), None)
    if rows:
        session.connection().execute(insert(_audit_table()), rows)


def insert_rows(session: OrmSession, table: Any, names: list[str],
                rows: list[tuple[Any, ...]]) -> None:
    """One executemany of already-converted tuples at the driver's speed (the bulk loads'
    path; their ImportBatch row is the audit). Runs on the session's connection."""
    if not rows:
        return
    conn = session.connection()
    if conn.dialect.paramstyle == "qmark":
        sql = (f"INSERT INTO {table.name} ({', '.join(names)}) "
               f"VALUES ({', '.join('?' for _ in names)})")
        conn.exec_driver_sql(sql, rows)
    else:
        conn.execute(insert(table), [dict(zip(names, r, strict=True)) for r in rows])


def insert_audited(session: OrmSession, table: Any, records: list[dict[str, Any]]) -> int:
    """Insert many rows of ``table`` with one executemany, bypassing the unit of work (which
    inserts row by row), and write the audit row the flush hook would write for each.

    Ids are assigned here, in order after the current maximum, and set on each record;
    returns the first. Runs on the session's connection, so nothing pending is flushed first.
    """
    if not records:
        return 0
    conn = session.connection()
    first = int(conn.execute(select(func.max(table.c.id))).scalar() or 0) + 1
    for i, record in enumerate(records, start=first):
        record["id"] = i
    conn.execute(insert(table), records)
    user = session.info.get("user") or current_user()
    reason, batch_id, at = session.info.get("reason"), session.info.get("batch_id"), now()
    conn.execute(insert(_audit_table()), [{
        "at": at, "user": user, "action": "insert", "entity": table.name,
        "entity_id": r["id"], "field": None, "old": None,
        "new": _json({k: audit_text(v) for k, v in r.items()}), "reason": reason,
        "import_batch_id": batch_id} for r in records])
    return first


class Store:
    """An engine plus the factory for audited sessions on it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessionmaker: sessionmaker[Session] | None = None

    def _factory(self) -> Session:
        if self._sessionmaker is None:
            from sqlalchemy.orm import sessionmaker

            self._sessionmaker = sessionmaker(bind=self.engine, class_=_audited_session(),
                                              expire_on_commit=False)
        return self._sessionmaker()

    @contextmanager
    def session(
        self,
        *,
        user: str | None = None,
        reason: str | None = None,
        batch_id: int | None = None,
    ) -> Iterator[Session]:
        """One transaction: commits on success, rolls back on any exception (or Cancel)."""
        session = self._factory()
        session.info.update(user=user or current_user(), reason=reason, batch_id=batch_id)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for queries only; nothing in it is committed.

        Closing (not rolling back) keeps loaded objects readable after the block.
        """
        session = self._factory()
        try:
            yield session
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
