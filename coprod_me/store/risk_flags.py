"""Writing what a rules run changed in the flag table: set-based, each row audited as the ORM
would audit it.

Building tens of thousands of instrumented SQLModel objects and letting the unit of work
compare, insert and delete them cost more than the rules themselves, and most of a run that
changes nothing. A run reads the stored flags of the quarters it evaluates as plain
``FlagRow`` objects, which remember the values they were read with; ``write_flags`` then
inserts the new rows, updates only the rows whose values differ and deletes the vanished
ones, one executemany each, and writes the audit rows the store's flush hook would have
written for them, field for field (an unchanged row writes nothing).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session as OrmSession

from coprod_me.model import entities as M
from coprod_me.store.session import audit_text, current_user, now

_FLAG_TABLE = M.table_of(M.RiskFlag)
_FLAG_COLUMNS = tuple(c.name for c in _FLAG_TABLE.c)
_AUDIT_TABLE = M.table_of(M.AuditLog)
#: the audit row's columns as ``write_flags`` fills them (its id is the table's to assign)
_AUDIT_COLUMNS = ("at", "user", "action", "entity", "entity_id", "field", "old", "new",
                  "reason", "import_batch_id")
#: what names a flag (its unique key) and its id never change; a run may change the rest
_VALUE_COLUMNS = tuple(c for c in _FLAG_COLUMNS if c not in (
    "id", "programme_id", "strand_id", "period", "rule_id", "subject"))


class FlagRow:
    """A ``risk_flag`` row as plain attributes: one a run creates (``id`` None until it is
    inserted), or one read from the store, which keeps the values it was read with so that
    ``write_flags`` writes only what changed since."""

    __slots__ = (*_FLAG_COLUMNS, "read_as")

    def __init__(self, programme_id: int, strand_id: int | None, period: str, rule_id: str,
                 rule_version: int, subject: str, category: str, computed_severity: str,
                 severity: str, status: str, trigger_snapshot: str | None,
                 first_raised_period: str | None, consecutive_periods: int, *,
                 id: int | None = None, evaluator_judgement: str | None = None,
                 override_severity: str | None = None, override_reason: str | None = None,
                 mitigation: str | None = None, owner: str | None = None,
                 due_date: date | None = None, import_batch_id: int | None = None) -> None:
        self.id = id
        self.programme_id = programme_id
        self.strand_id = strand_id
        self.period = period
        self.rule_id = rule_id
        self.rule_version = rule_version
        self.subject = subject
        self.category = category
        self.computed_severity = computed_severity
        self.severity = severity
        self.status = status
        self.trigger_snapshot = trigger_snapshot
        self.first_raised_period = first_raised_period
        self.consecutive_periods = consecutive_periods
        self.evaluator_judgement = evaluator_judgement
        self.override_severity = override_severity
        self.override_reason = override_reason
        self.mitigation = mitigation
        self.owner = owner
        self.due_date = due_date
        self.import_batch_id = import_batch_id
        #: the values as read from the store (None for a new row)
        self.read_as: tuple[Any, ...] | None = None

    @classmethod
    def stored(cls, values: tuple[Any, ...]) -> FlagRow:
        """A row read from the store: ``values`` in the order of ``flag_columns()``."""
        row = cls.__new__(cls)
        for set_value, value in zip(_SETTERS, values, strict=True):
            set_value(row, value)
        row.read_as = values
        return row

    def values(self) -> dict[str, Any]:
        return {c: getattr(self, c) for c in _FLAG_COLUMNS}

    def changes(self) -> list[tuple[str, Any, Any]]:
        """(column, value read, value now) of every column changed since it was read."""
        if self.read_as is None:
            return []
        current = tuple(get(self) for get in _GETTERS)
        if current == self.read_as:
            return []
        return [(c, old, new) for c, old, new in zip(_FLAG_COLUMNS, self.read_as, current,
                                                     strict=True) if new != old]


# the slots' own accessors: a run reads and compares tens of thousands of rows
_SETTERS = tuple(getattr(FlagRow, c).__set__ for c in _FLAG_COLUMNS)
_GETTERS = tuple(getattr(FlagRow, c).__get__ for c in _FLAG_COLUMNS)


def flag_columns() -> tuple[str, ...]:
    """The columns of ``risk_flag``, in the order ``FlagRow.stored`` wants them read."""
    return _FLAG_COLUMNS


def write_flags(session: OrmSession, *, created: list[FlagRow], kept: list[FlagRow],
                deleted: list[FlagRow]) -> int:
    """Insert ``created`` (setting their ids), update the rows of ``kept`` that changed since
    they were read and delete ``deleted``: one executemany each, each row audited as the
    store's flush hook audits an ORM insert, update or delete. Returns the number of rows
    written; a run that changed nothing writes nothing."""
    conn = session.connection()
    at, user = _bind(conn, _AUDIT_TABLE, "at", now()), session.info.get("user") or current_user()
    reason, batch = session.info.get("reason"), session.info.get("batch_id")

    def entry(action: str, entity_id: int | None, field: str | None, old: str | None,
              new: str | None) -> tuple[Any, ...]:  # in the order of _AUDIT_COLUMNS
        return (at, user, action, _FLAG_TABLE.name, entity_id, field, old, new, reason, batch)

    audit: list[tuple[Any, ...]] = []
    if created:
        # ids in order after the current maximum, as the store's bulk inserts assign them
        first = int(conn.execute(sa.select(sa.func.max(_FLAG_TABLE.c.id))).scalar() or 0) + 1
        for i, r in enumerate(created, start=first):
            r.id = i
        due = _FLAG_COLUMNS.index("due_date")
        values = [tuple(get(r) for get in _GETTERS) for r in created]
        _insert(conn, _FLAG_TABLE, _FLAG_COLUMNS, [
            v if v[due] is None else (*v[:due], _bind(conn, _FLAG_TABLE, "due_date", v[due]),
                                      *v[due + 1:]) for v in values])
        audit += [entry("insert", r.id, None, None, _row_json(r)) for r in created]
    changed = [(r, c) for r, c in ((r, r.changes()) for r in kept) if c]
    if changed:
        # the SET clause is made from the parameters' keys: every value column
        conn.execute(sa.update(_FLAG_TABLE).where(_FLAG_TABLE.c.id == sa.bindparam("_id")),
                     [{"_id": r.id, **{c: getattr(r, c) for c in _VALUE_COLUMNS}}
                      for r, _ in changed])
        audit += [entry("update", r.id, field, audit_text(old), audit_text(new))
                  for r, changes in changed for field, old, new in changes
                  if audit_text(old) != audit_text(new)]
    if deleted:
        conn.execute(sa.delete(_FLAG_TABLE).where(_FLAG_TABLE.c.id == sa.bindparam("_id")),
                     [{"_id": r.id} for r in deleted])
        audit += [entry("delete", r.id, None, _row_json(r), None) for r in deleted]
    if audit:
        _insert(conn, _AUDIT_TABLE, _AUDIT_COLUMNS, audit)
    return len(created) + len(changed) + len(deleted)


def _insert(conn: sa.Connection, table: sa.Table, names: tuple[str, ...],
            rows: list[tuple[Any, ...]]) -> None:
    """One executemany of plain tuples, their values already as the driver takes them
    (``_bind``), at the driver's speed: tens of thousands of flags and audit rows on a first
    run."""
    if conn.dialect.paramstyle == "qmark":
        conn.exec_driver_sql(f"INSERT INTO {table.name} ({', '.join(names)}) "
                             f"VALUES ({', '.join('?' for _ in names)})", rows)
    else:
        conn.execute(sa.insert(table), [dict(zip(names, r, strict=True)) for r in rows])


def _bind(conn: sa.Connection, table: sa.Table, name: str, value: Any) -> Any:
    """A value of a column as SQLAlchemy binds it for this database (a date or time as the
    text SQLite stores)."""
    process = table.c[name].type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
    return value if process is None or value is None else process(value)


def _row_json(row: FlagRow) -> str:
    """A row's values as the store's audit writes them (no nulls, keys sorted)."""
    return json.dumps({c: v if type(v) is str else audit_text(v)
                       for c, v in zip(_FLAG_COLUMNS, (get(row) for get in _GETTERS),
                                       strict=True) if v is not None},
                      ensure_ascii=False, sort_keys=True)
