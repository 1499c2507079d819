"""Risk flag lookups: the register's rows, its quarters, the stored flags a run carries and
the rows a run compares its findings with.

A flag names its strand by id; ``strand_codes`` gives a programme's codes for them (the
checklist answers use it too).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlmodel import Session, col, select

from coprod_me.model import entities as M
from coprod_me.store.risk_flags import FlagRow, flag_columns


class StoredFlag(NamedTuple):
    """The fields of a stored flag that stand in for a finding of a frozen quarter."""

    programme_id: int
    strand_id: int | None
    period: str
    rule_id: str
    subject: str | None
    category: str
    computed_severity: str
    status: str
    first_raised_period: str | None
    consecutive_periods: int | None


def strand_codes(session: Session, programme_id: int | None) -> dict[int | None, str]:
    """A programme's strand codes by strand id."""
    return {st.id: st.code for st in session.scalars(select(M.Strand).where(
        M.Strand.programme_id == programme_id))}


def flags_of(session: Session, programme_id: int | None, *, quarter: str | None = None,
             category: str | None = None, severity: str | None = None,
             status: str | None = None, strand_ids: list[int | None] | None = None
             ) -> list[M.RiskFlag]:
    """A programme's flags, narrowed to a quarter, category, (effective) severity, status or
    strands when given (``strand_ids=[]`` matches none)."""
    stmt = select(M.RiskFlag).where(M.RiskFlag.programme_id == programme_id)
    if quarter:
        stmt = stmt.where(M.RiskFlag.period == quarter)
    if category:
        stmt = stmt.where(M.RiskFlag.category == category)
    if severity:
        stmt = stmt.where(M.RiskFlag.severity == severity)
    if status:
        stmt = stmt.where(M.RiskFlag.status == status)
    if strand_ids is not None:
        stmt = stmt.where(col(M.RiskFlag.strand_id).in_(strand_ids))
    return list(session.scalars(stmt))


def strand_codes_by_programme(session: Session) -> dict[int, dict[int | None, str]]:
    """Every programme's strand codes by strand id, by programme id."""
    out: dict[int, dict[int | None, str]] = {}
    for sid, pid, code in session.execute(select(M.Strand.id, M.Strand.programme_id,
                                                 M.Strand.code)):
        out.setdefault(int(pid), {})[sid] = code
    return out


def listed_flags(session: Session, programme_ids: list[int], *, quarter: str | None,
                 every_quarter: bool) -> list[M.RiskFlag]:
    """The flags ``coprod-me flags`` lists for these programmes, in one query: those of
    ``quarter``, of every quarter, or (neither) of each programme's latest flagged quarter."""
    stmt = select(M.RiskFlag).where(col(M.RiskFlag.programme_id).in_(programme_ids))
    if quarter:
        stmt = stmt.where(M.RiskFlag.period == quarter)
    elif not every_quarter:
        latest = (select(M.RiskFlag.programme_id,
                         sa.func.max(M.RiskFlag.period).label("period"))
                  .group_by(col(M.RiskFlag.programme_id)).subquery())
        stmt = stmt.join(latest, sa.and_(latest.c.programme_id == M.RiskFlag.programme_id,
                                         latest.c.period == M.RiskFlag.period))
    return list(session.scalars(stmt))


def flag_quarters(session: Session, programme_id: int | None) -> list[str]:
    """The quarters a programme has flags in, ascending."""
    return sorted(session.scalars(select(M.RiskFlag.period).distinct().where(
        M.RiskFlag.programme_id == programme_id)))


def stored_flags(session: Session, quarters: set[tuple[int, str]]) -> list[StoredFlag]:
    """The stored flags of these (programme id, quarter) pairs."""
    if not quarters:
        return []
    f = M.table_of(M.RiskFlag)
    rows = session.execute(sa.select(
        f.c.programme_id, f.c.strand_id, f.c.period, f.c.rule_id, f.c.subject,
        f.c.category, f.c.computed_severity, f.c.status, f.c.first_raised_period,
        f.c.consecutive_periods).where(
        f.c.programme_id.in_({p for p, _ in quarters}),
        f.c.period.in_({q for _, q in quarters})))
    return [StoredFlag._make(r) for r in rows if (r[0], r[2]) in quarters]


def flag_rows(session: Session, quarters: dict[int, set[str]]) -> dict[int, list[FlagRow]]:
    """The stored flags of these quarters of each programme (programme id -> quarters), by
    programme id, as plain rows that remember what they were read with (a run changes them
    and writes back only what differs). One query; on SQLite it is sent as the driver's SQL
    (typed Core rows cost twice as much for tens of thousands of flags), each value then
    converted as SQLAlchemy would convert it."""
    wanted = {(p, q) for p, qs in quarters.items() for q in qs}
    if not wanted:
        return {}
    f = M.table_of(M.RiskFlag)
    names = flag_columns()
    ids, periods = sorted(quarters), sorted({q for _, q in wanted})
    conn = session.connection()
    rows: list[Any]
    if conn.dialect.paramstyle == "qmark":
        rows = list(conn.exec_driver_sql(
            f"SELECT {', '.join(names)} FROM {f.name} "
            f"WHERE programme_id IN ({', '.join('?' * len(ids))}) "
            f"AND period IN ({', '.join('?' * len(periods))})", (*ids, *periods)).all())
        convert = [(i, p) for i, p in enumerate(
            f.c[n].type.dialect_impl(conn.dialect).result_processor(conn.dialect, None)
            for n in names) if p is not None]
    else:
        rows = list(conn.execute(sa.select(*(f.c[n] for n in names)).where(
            f.c.programme_id.in_(ids), f.c.period.in_(periods))).all())
        convert = []
    at = names.index("programme_id"), names.index("period")
    out: dict[int, list[FlagRow]] = {}
    for r in rows:
        if (r[at[0]], r[at[1]]) in wanted:
            values = tuple(r)
            if any(values[i] is not None for i, _ in convert):
                values = tuple(p(v) if p is not None and v is not None else v for v, p in
                               zip(values, _processors(convert, len(values)), strict=True))
            out.setdefault(r[at[0]], []).append(FlagRow.stored(values))
    return out


def _processors(convert: list[tuple[int, Any]], n: int) -> list[Any]:
    """The converters by column position (None where a value is taken as it is)."""
    by = dict(convert)
    return [by.get(i) for i in range(n)]
