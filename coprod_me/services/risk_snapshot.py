"""Build the risk engine's read model (``risks.snapshot``) with a few set-based queries.

The observations are read through two partial covering indexes, never the table: every
total, and the single-dimension cells of outcome indicators reduced per dimension to the
lowest and highest group (the only breakdown reading a rule makes), from shortly before the
first quarter the rules will judge (a judged locked quarter keeps its flags). The small
record tables come in one query each for all the programmes asked for. No per-programme ORM
loop: a portfolio of 200 programmes costs the same number of queries as one.
"""

from __future__ import annotations

from collections import defaultdict, namedtuple
from collections.abc import Iterable
from datetime import date
from itertools import groupby
from operator import itemgetter
from typing import Any

import sqlalchemy as sa
from sqlalchemy import select
from sqlmodel import Session, SQLModel, col

from coprod_me.model import entities as M
from coprod_me.model.coaching import split_list, structural_gates
from coprod_me.model.entities import table_of
from coprod_me.model.progress import collector_paused
from coprod_me.model.quarter import Quarter
from coprod_me.risks.snapshot import IndicatorRef, Point, ProgrammeSnapshot, Spread

_FREQUENCY_QUARTERS = {"quarterly": 1, "monthly": 1, "semi_annual": 2, "annual": 4,
                       "one_off": 1000}


def _by_programme(session: Session, model: type[SQLModel],
                  ids: list[int] | None) -> dict[int, list[Any]]:
    """A table's rows by programme, as light named tuples with the entity's attribute names
    and Python types: far cheaper than instrumented ORM objects, or Core rows, and the rules
    read them hundreds of thousands of times over a portfolio."""
    table = table_of(model)
    row_type, convert = _row_type(session, table)
    sql = f"SELECT {', '.join(row_type._fields)} FROM {table.name}"
    if ids is not None:
        sql += f" WHERE programme_id IN ({', '.join('?' * len(ids))})"
    out: dict[int, list[Any]] = defaultdict(list)
    at = row_type._fields.index("programme_id")
    new_tuple = tuple.__new__
    for raw in _raw(session, sql, list(ids or [])):
        if convert:
            values = list(raw)
            for i, process in convert:
                if values[i] is not None:
                    values[i] = process(values[i])
            raw = values
        out[raw[at]].append(new_tuple(row_type, raw))
    return out


_ROW_TYPES: dict[str, tuple[Any, list[tuple[int, Any]]]] = {}


def _row_type(session: Session, table: sa.Table) -> tuple[Any, list[tuple[int, Any]]]:
    """A table's named tuple type, and the columns whose stored form SQLAlchemy converts
    (dates, booleans, ...) with the very converters a Core query would apply."""
    cached = _ROW_TYPES.get(table.name)
    if cached is None:
        dialect = session.connection().dialect
        columns = list(table.columns)
        convert = [(i, p) for i, c in enumerate(columns)
                   if (p := c.type._cached_result_processor(dialect, None)) is not None]
        cached = _ROW_TYPES[table.name] = (
            namedtuple(f"{table.name}_row", [c.name for c in columns]), convert)  # type: ignore[misc]
    return cached


# EQ-2, the rule reading a breakdown furthest back, compares a quarter with the two before it
SPREAD_LOOKBACK = 2


def observation_totals(session: Session, programme_ids: list[int] | None) -> list[Any]:
    """(indicator, strand, quarter, value, n, verification) of every total, read from the
    partial covering index of totals (``ix_observation_totals``), never the table, so in
    its order: by indicator, then strand, then quarter."""
    where = "" if programme_ids is None else (
        f" AND indicator_id IN (SELECT id FROM indicator WHERE programme_id IN "
        f"({', '.join('?' * len(programme_ids))}))")
    return _raw(session, "SELECT indicator_id, strand_id, period, value, n_sample, "
                "verification_type FROM observation INDEXED BY ix_observation_totals "
                "WHERE dims_key = '' AND value IS NOT NULL" + where +
                " ORDER BY indicator_id, strand_id, period", list(programme_ids or []))


def observation_spreads(session: Session, programme_ids: list[int] | None, min_n: int,
                        since: str | None) -> list[Any]:
    """Each outcome's breakdowns per (strand, quarter) from ``since`` on, read from the
    partial covering index of single-dimension cells (``ix_observation_cells``): one row per
    dimension the outcome is broken down by (whether its reference sheet requires it or not)
    with its lowest and highest cell with n at least ``min_n``, the number of its cells and
    how many of them have that n. Cross-tabulated cells are in no rule's reading and not in
    the index.
    """
    big_enough = "(n_sample IS NULL OR n_sample >= ?)"
    params: list[Any] = [min_n, min_n, min_n]
    outcomes = ("SELECT id FROM indicator WHERE result_level IN "
                "('outcome_short', 'outcome_intermediate')")
    if programme_ids is not None:
        outcomes += f" AND programme_id IN ({', '.join('?' * len(programme_ids))})"
        params += programme_ids
    sql = ("SELECT indicator_id, strand_id, period, "
           "substr(dims_key, 1, instr(dims_key, '=') - 1) AS dimension, "
           f"min(CASE WHEN {big_enough} THEN value END), "
           f"max(CASE WHEN {big_enough} THEN value END), count(*), "
           f"count(CASE WHEN {big_enough} THEN 1 END) "
           "FROM observation INDEXED BY ix_observation_cells WHERE dims_key <> '' "
           "AND instr(dims_key, ';') = 0 AND value IS NOT NULL "
           f"AND indicator_id IN ({outcomes})")
    if since is not None:
        sql += " AND period >= ?"
        params.append(since)
    return _raw(session, sql + " GROUP BY indicator_id, period, strand_id, dimension", params)


def observation_quarters(session: Session, programme_ids: list[int] | None,
                         after: str | None = None) -> list[Any]:
    """(indicator, quarter) for every quarter after ``after`` (all when None) holding an
    observation of any kind (a quarter with only cross-tabulated cells counts too): a walk of
    the unique index's prefix, from ``after`` on within each indicator."""
    params: list[Any] = list(programme_ids or [])
    indicators = "SELECT id FROM indicator" + ("" if programme_ids is None else (
        f" WHERE programme_id IN ({', '.join('?' * len(programme_ids))})"))
    sql = f"SELECT DISTINCT indicator_id, period FROM observation WHERE indicator_id IN " \
          f"({indicators})"
    if after is not None:
        sql += " AND period > ?"
        params.append(after)
    return _raw(session, sql, params)


def _raw(session: Session, sql: str, params: list[Any]) -> list[Any]:
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(sql, params)
        return list(cursor.fetchall())
    finally:
        cursor.close()


_NAMES_CHUNK = 150  # five parameters a group: within SQLite's oldest variable limit (999)


def _group_names(session: Session, wanted: Iterable[tuple[int, int | None, str, str]],
                 min_n: int) -> dict[tuple[int, int | None, str, str, float | None], str]:
    """Category names of the lowest and highest groups, for the few spreads that need them.

    Only the wanted (indicator, quarter, strand) groups are read, each by a seek on the
    observation index narrowed to the dimension's keys, not every cell of the indicators.
    Where two groups share a value the later row (by id, the order of the indicator index the
    earlier scan used) names it.
    """
    wanted = list(wanted)
    out: dict[tuple[int, int | None, str, str, float | None], str] = {}
    for chunk in range(0, len(wanted), _NAMES_CHUNK):
        part = wanted[chunk:chunk + _NAMES_CHUNK]
        params: list[Any] = []
        for iid, sid, period, d in part:
            params += [iid, period, sid, f"{d}=", f"{d}>"]
        values = ", ".join(["(?, ?, ?, ?, ?)"] * len(part))
        sql = ("WITH w(i, p, s, lo, hi) AS (VALUES " + values + ") "
               "SELECT o.indicator_id, o.strand_id, o.period, o.dims_key, o.value, o.n_sample "
               "FROM w JOIN observation AS o ON o.indicator_id = w.i AND o.period = w.p "
               "AND o.strand_id IS w.s AND o.dims_key > w.lo AND o.dims_key < w.hi "
               "WHERE instr(o.dims_key, ';') = 0 AND o.value IS NOT NULL ORDER BY o.id")
        for iid, sid, period, key, value, n in _raw(session, sql, params):
            if n is None or n >= min_n:
                dim, _, cat = key.partition("=")
                out[(iid, sid, period, dim, value)] = cat
    return out


def build_snapshots(session: Session, codes: Iterable[str] | None = None, *,
                    min_n: int = 30, complete: bool = False) -> list[ProgrammeSnapshot]:
    """Snapshots for the programmes with these codes (all when None), in code order.

    Breakdowns are read from shortly before the first quarter the rules will judge (judged
    locked quarters are frozen); ``complete`` reads them for every quarter.
    """
    with collector_paused():
        return _build_snapshots(session, codes, min_n, complete)


def _first_breakdown_quarter(periods: dict[int, list[Any]], frozen: dict[int, frozenset[str]],
                             data_quarters: dict[int, set[str]]) -> str | None:
    """The earliest quarter whose breakdowns a rule may read this run: SPREAD_LOOKBACK
    quarters before the first quarter not frozen, over all the programmes; "" when every
    quarter is frozen (nothing to read), None when nothing is."""
    first: list[str] = []
    for pid, quarters in data_quarters.items():
        if not frozen.get(pid):
            return None
        open_quarters = sorted((quarters | {r.quarter for r in periods.get(pid, [])})
                               - frozen[pid])
        if open_quarters:
            first.append(open_quarters[0])
    if not first:
        return ""
    return str(Quarter.parse(min(first)).shift(-SPREAD_LOOKBACK))


def _build_snapshots(session: Session, codes: Iterable[str] | None,
                     min_n: int, complete: bool) -> list[ProgrammeSnapshot]:
    stmt = select(M.Programme).order_by(M.Programme.code)
    if codes is not None:
        stmt = stmt.where(M.Programme.code.in_(list(codes)))  # type: ignore[attr-defined]
    programmes = list(session.scalars(stmt))
    if not programmes:
        return []
    ids: list[int] | None = None if codes is None else [p.id for p in programmes if p.id]
    strands = _by_programme(session, M.Strand, ids)
    indicators = _by_programme(session, M.Indicator, ids)
    periods = _by_programme(session, M.ReportingPeriod, ids)
    phases = _by_programme(session, M.ProgrammePhase, ids)
    tables = {name: _by_programme(session, model, ids) for name, model in (
        ("participation", M.ParticipationRecord), ("population", M.PopulationReference),
        ("feedback", M.FeedbackRecord), ("channels", M.ChannelRecord),
        ("allocations", M.Allocation), ("funding", M.FundingSource), ("sponsors", M.Sponsor),
        ("spend", M.SpendRecord), ("staffing", M.StaffingRecord),
        ("checklist", M.ChecklistResponse), ("programme_actors", M.ProgrammeActor),
        ("status_changes", M.InstitutionalStatusChange),
        ("assessments", M.CapacityAssessment), ("evidence", M.Evidence))}
    lead_changes = _lead_changes(session, ids)
    ind_by_id = {i.id: i for rows in indicators.values() for i in rows}
    ind_ids = None if ids is None else sorted(i for i in ind_by_id if i is not None)
    link_rows = session.scalars(select(M.ResultLink)).all() if ids is None else session.scalars(
        select(M.ResultLink).where(M.ResultLink.from_indicator_id.in_(ind_ids or [-1])))  # type: ignore[attr-defined]
    links: dict[int, list[M.ResultLink]] = defaultdict(list)
    for lk in link_rows:
        ind = ind_by_id.get(lk.from_indicator_id)
        if ind is not None:
            links[ind.programme_id].append(lk)
    target_rows = session.scalars(select(M.Target)) if ids is None else session.scalars(
        select(M.Target).where(M.Target.indicator_id.in_(ind_ids or [-1])))  # type: ignore[attr-defined]
    targets_by: dict[int, list[M.Target]] = defaultdict(list)
    for t in target_rows:
        t_ind = ind_by_id.get(t.indicator_id)
        if t_ind is not None:
            targets_by[t_ind.programme_id].append(t)
    scores: dict[int, list[Any]] = defaultdict(list)
    for sc in session.execute(select(table_of(M.CapacityScore))):
        scores[sc.assessment_id].append(sc)
    actors: dict[int, Any] = {a.id: a for a in session.execute(select(table_of(M.Actor)))}
    # when a funding source was committed: its latest dated evidence (SU-2)
    ev_by_code = {(e.programme_id, e.code): e for rows in tables["evidence"].values()
                  for e in rows}
    ev_ids = {e.id: e for e in ev_by_code.values()}
    fund_dates: dict[tuple[int, str], date] = {}
    for el in session.scalars(select(M.EvidenceLink).where(
            col(M.EvidenceLink.entity) == "funding_source")):
        ev = ev_ids.get(el.evidence_id)
        if ev is not None and ev.issued_on is not None:
            key = (ev.programme_id, el.entity_key)
            fund_dates[key] = max(fund_dates.get(key, ev.issued_on), ev.issued_on)

    strand_code = {s.id: s.code for rows in strands.values() for s in rows}
    totals: dict[int, dict[tuple[int, str | None], dict[str, Point]]] = defaultdict(dict)
    spreads: dict[int, dict[tuple[int, str | None, str], dict[str, Spread]]] = defaultdict(dict)
    programme_of = {i: ind.programme_id for i, ind in ind_by_id.items()}
    # the dimensions outcome reference sheets require: what EQ-2, EQ-5 and DQ-2 look at
    # group names are fetched only where EQ-2 may flag a gap: outcomes in rates or shares
    gap_ids = {i for i, ind in ind_by_id.items() if ind.unit != "count"
               and ind.result_level in ("outcome_short", "outcome_intermediate")}
    wanted: dict[tuple[int, int | None, str, str], tuple[int, str | None]] = {}
    data_quarters: dict[int, set[str]] = defaultdict(set)
    # Quarters up to a programme's last judged locked quarter are known already (each is a
    # declared reporting period), so only later ones are looked for in the observations.
    frozen = {pid: frozenset(r.quarter for r in rows
                             if r.status == "locked" and r.rules_ran_at is not None)
              for pid, rows in periods.items()}
    after = None if complete or any(not frozen.get(p.id or -1) for p in programmes) else min(
        max(frozen[p.id or -1]) for p in programmes)
    for iid, period in observation_quarters(session, ids, after):
        pid = programme_of.get(iid)
        if pid is not None:
            data_quarters[pid].add(period)
    new_tuple = tuple.__new__  # a named tuple without its keyword-handling constructor
    # the totals index orders rows by indicator and strand: one series is one run of rows
    for (iid, sid), run in groupby(observation_totals(session, ids), key=itemgetter(0, 1)):
        pid = programme_of.get(iid)
        if pid is None:
            continue
        scode = strand_code.get(sid) if sid is not None else None
        totals[pid].setdefault((iid, scode), {}).update(
            {r[2]: new_tuple(Point, (r[3], r[4], r[5])) for r in run})
    # Breakdowns only for outcomes (EQ-2, EQ-5 and DQ-2 read them), and only from a little
    # before the first quarter to judge: a judged locked quarter's flags are frozen.
    since = None if complete else _first_breakdown_quarter(periods, frozen, data_quarters)
    rows = [] if since == "" else observation_spreads(session, ids, min_n, since)
    # per (indicator, strand id, dimension) its series, made on first use (None: not ours)
    series_of: dict[tuple[Any, ...], dict[str, Spread] | None] = {}
    for iid, sid, period, d, lo, hi, cells, ok in rows:
        cell_key = (iid, sid, d)
        if cell_key not in series_of:
            pid = programme_of.get(iid)
            series_of[cell_key] = None if pid is None else spreads[pid].setdefault(
                (iid, strand_code.get(sid) if sid is not None else None, d), {})
        by_q = series_of[cell_key]
        if by_q is None:
            continue
        by_q[period] = new_tuple(Spread, (lo, hi, None, None, cells, cells - ok))
        if lo is not None and hi and cells >= 2 and lo / hi < 0.8 and iid in gap_ids:
            wanted[(iid, sid, period, d)] = (programme_of[iid],
                                             strand_code.get(sid) if sid is not None else None)
    names = _group_names(session, wanted, min_n)
    for (iid, sid, period, d), (pid, scode) in wanted.items():
        sp = spreads[pid][(iid, scode, d)][period]
        spreads[pid][(iid, scode, d)][period] = Spread(
            sp.low, sp.high, names.get((iid, sid, period, d, sp.low)),
            names.get((iid, sid, period, d, sp.high)), sp.cells, sp.suppressed)

    out: list[ProgrammeSnapshot] = []
    for prog in programmes:
        pid = prog.id
        assert pid is not None
        p_strands = {s.code: s for s in strands.get(pid, [])}
        refs: dict[int, IndicatorRef] = {}
        for i in indicators.get(pid, []):
            assert i.id is not None
            refs[i.id] = IndicatorRef(
                i.id, i.code, i.name, strand_code.get(i.strand_id) if i.strand_id else None,
                i.result_level, i.unit, i.direction, i.red_at, i.construct_code,
                i.verification_type, tuple(split_list(i.disaggregation_required)),
                i.risk_role, bool(i.is_seasonal), bool(i.is_cumulative),
                i.post_exit_measurement_due, _FREQUENCY_QUARTERS.get(i.frequency, 1))
        p_links = links.get(pid, [])
        p_phases = frozenset(ph.phase for ph in phases.get(pid, []))
        gates = structural_gates(indicators.get(pid, []), p_links, p_phases)
        # The reporting quarters (else those with observations): a context figure from 2016 or
        # a spend record from before the programme's window does not make a quarter to judge.
        # every declared reporting period, and every quarter that holds an observation even
        # when nobody declared its period (a value logged or imported for a new quarter)
        quarters = {r.quarter for r in periods.get(pid, [])} | set(data_quarters.get(pid, set()))
        if not quarters:
            for name in ("participation", "feedback", "channels", "spend", "staffing",
                         "checklist"):
                quarters |= {r.period for r in tables[name].get(pid, [])}
        assessments = tables["assessments"].get(pid, [])
        funding = tables["funding"].get(pid, [])
        evidence_dates: dict[int, object] = {}
        for f in funding:
            when = fund_dates.get((pid, f.code))
            if when is not None and f.id is not None:
                evidence_dates[f.id] = when
        out.append(ProgrammeSnapshot(
            id=pid, code=prog.code, programme=prog, quarters=tuple(sorted(quarters)),
            period_status={r.quarter: r.status for r in periods.get(pid, [])},
            strands=p_strands, strand_code={s.id: s.code for s in p_strands.values()
                                            if s.id is not None},
            indicators=refs,
            links=tuple((lk.from_indicator_id, lk.to_indicator_id) for lk in p_links),
            totals=totals.get(pid, {}), spreads=spreads.get(pid, {}),
            targets=_targets(targets_by.get(pid, []), strand_code),
            phases=p_phases,
            gates_unmet=tuple(d for g in gates if not g.met for d in (g.details or (g.title,))),
            actors=actors,
            participation=tuple(tables["participation"].get(pid, [])),
            population=tuple(tables["population"].get(pid, [])),
            feedback=tuple(tables["feedback"].get(pid, [])),
            channels=tuple(tables["channels"].get(pid, [])),
            allocations=tuple(tables["allocations"].get(pid, [])),
            funding=tuple(funding), sponsors=tuple(tables["sponsors"].get(pid, [])),
            spend=tuple(tables["spend"].get(pid, [])),
            staffing=tuple(tables["staffing"].get(pid, [])),
            capacity=tuple((a, tuple(scores.get(a.id or -1, []))) for a in assessments),
            checklist=tuple(tables["checklist"].get(pid, [])),
            programme_actors=tuple(tables["programme_actors"].get(pid, [])),
            status_changes=tuple(tables["status_changes"].get(pid, [])),
            evidence_dates=evidence_dates,
            lead_changes=tuple(lead_changes.get(pid, ())),
            frozen_quarters=frozen.get(pid, frozenset())))
    return out


def _lead_changes(session: Session, ids: list[int] | None) -> dict[int, list[date]]:
    """The days a programme's named lead was replaced by another (SU-8), from the audit
    trail: the store records every change of ``lead_person`` with its old and new value."""
    audit = M.table_of(M.AuditLog)
    stmt = sa.select(audit.c.entity_id, audit.c.at).where(
        audit.c.entity == "programme", audit.c.field == "lead_person",
        audit.c.action == "update", audit.c.old.is_not(None), audit.c.new.is_not(None))
    if ids is not None:
        stmt = stmt.where(audit.c.entity_id.in_(ids))
    out: dict[int, list[date]] = defaultdict(list)
    for pid, at in session.execute(stmt):
        out[pid].append(at.date())
    return out


def _targets(rows: list[M.Target], strand_code: dict[int | None, str]
             ) -> dict[tuple[int, str | None], dict[str, float]]:
    out: dict[tuple[int, str | None], dict[str, float]] = defaultdict(dict)
    for t in rows:
        out[(t.indicator_id, strand_code.get(t.strand_id) if t.strand_id else None)][
            t.period] = t.value
    return dict(out)
