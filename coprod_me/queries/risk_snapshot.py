"""The rules' read model (``risks.snapshot``), built with a few set-based queries.

The observations are read through two partial covering indexes, never the table: every
total, and the single-dimension cells of outcome indicators reduced per dimension to the
lowest and highest group (the only breakdown reading a rule makes), from shortly before the
first quarter the rules will judge (a judged locked quarter keeps its flags). The small
record tables come in one query each for all the programmes asked for. No per-programme ORM
loop: a portfolio of 200 programmes costs the same number of queries as one.

``build_snapshots`` is the entry point; the functions it calls each read one part of the
model for every programme asked for, keyed by programme id.
"""

from __future__ import annotations

from collections import defaultdict, namedtuple
from collections.abc import Iterable
from dataclasses import dataclass, field
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
from coprod_me.risks.snapshot import IndicatorRef, Point, ProgrammeSnapshot, SeriesKey, Spread

_FREQUENCY_QUARTERS = {"quarterly": 1, "monthly": 1, "semi_annual": 2, "annual": 4,
                       "one_off": 1000}


def rows_by_programme(session: Session, model: type[SQLModel],
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


SpreadKey = tuple[int, str | None, str]
# the small record tables a snapshot carries as rows, by their snapshot field
RECORD_TABLES: tuple[tuple[str, type[SQLModel]], ...] = (
    ("participation", M.ParticipationRecord), ("population", M.PopulationReference),
    ("feedback", M.FeedbackRecord), ("channels", M.ChannelRecord),
    ("allocations", M.Allocation), ("funding", M.FundingSource), ("sponsors", M.Sponsor),
    ("spend", M.SpendRecord), ("staffing", M.StaffingRecord),
    ("checklist", M.ChecklistResponse), ("programme_actors", M.ProgrammeActor),
    ("status_changes", M.InstitutionalStatusChange),
    ("assessments", M.CapacityAssessment), ("evidence", M.Evidence))


@dataclass
class _Portfolio:
    """What the snapshots of the programmes asked for are made of, each part by programme id
    (read once for all of them)."""

    strands: dict[int, list[Any]]
    indicators: dict[int, list[Any]]
    periods: dict[int, list[Any]]
    phases: dict[int, list[Any]]
    tables: dict[str, dict[int, list[Any]]]
    strand_code: dict[int | None, str]
    indicator_by_id: dict[int, Any]
    links: dict[int, list[M.ResultLink]]
    targets: dict[int, list[M.Target]]
    scores: dict[int, list[Any]]
    actors: dict[int, Any]
    fund_dates: dict[tuple[int, str], date]
    lead_changes: dict[int, list[date]]
    frozen: dict[int, frozenset[str]]
    data_quarters: dict[int, set[str]] = field(default_factory=dict)
    totals: dict[int, dict[SeriesKey, dict[str, Point]]] = field(default_factory=dict)
    spreads: dict[int, dict[SpreadKey, dict[str, Spread]]] = field(default_factory=dict)


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
    programmes = programmes_by_code(session, codes)
    if not programmes:
        return []
    ids: list[int] | None = None if codes is None else [p.id for p in programmes if p.id]
    pf = _portfolio(session, ids)
    programme_of = {i: ind.programme_id for i, ind in pf.indicator_by_id.items()}
    # Quarters up to a programme's last judged locked quarter are known already (each is a
    # declared reporting period), so only later ones are looked for in the observations.
    after = None if complete or any(not pf.frozen.get(p.id or -1) for p in programmes) else min(
        max(pf.frozen[p.id or -1]) for p in programmes)
    pf.data_quarters = data_quarters(session, ids, programme_of, after)
    pf.totals = series_totals(session, ids, programme_of, pf.strand_code)
    # Breakdowns only for outcomes (EQ-2, EQ-5 and DQ-2 read them), and only from a little
    # before the first quarter to judge: a judged locked quarter's flags are frozen.
    since = None if complete else _first_breakdown_quarter(pf.periods, pf.frozen,
                                                           pf.data_quarters)
    # group names are fetched only where EQ-2 may flag a gap: outcomes in rates or shares
    gap_ids = {i for i, ind in pf.indicator_by_id.items() if ind.unit != "count"
               and ind.result_level in ("outcome_short", "outcome_intermediate")}
    pf.spreads = {} if since == "" else breakdown_spreads(
        session, ids, min_n, since, programme_of, pf.strand_code, gap_ids)
    return [_snapshot(prog, pf) for prog in programmes]


def programmes_by_code(session: Session, codes: Iterable[str] | None) -> list[M.Programme]:
    """The programmes with these codes (all when None), in code order."""
    stmt = select(M.Programme).order_by(M.Programme.code)
    if codes is not None:
        stmt = stmt.where(M.Programme.code.in_(list(codes)))  # type: ignore[attr-defined]
    return list(session.scalars(stmt))


def _portfolio(session: Session, ids: list[int] | None) -> _Portfolio:
    """Every part of the snapshots but the observations, for these programmes (None: all)."""
    strands = rows_by_programme(session, M.Strand, ids)
    indicators = rows_by_programme(session, M.Indicator, ids)
    periods = rows_by_programme(session, M.ReportingPeriod, ids)
    tables = {name: rows_by_programme(session, model, ids) for name, model in RECORD_TABLES}
    ind_by_id = {i.id: i for rows in indicators.values() for i in rows}
    ind_ids = None if ids is None else sorted(i for i in ind_by_id if i is not None)
    return _Portfolio(
        strands=strands, indicators=indicators, periods=periods,
        phases=rows_by_programme(session, M.ProgrammePhase, ids), tables=tables,
        strand_code={s.id: s.code for rows in strands.values() for s in rows},
        indicator_by_id=ind_by_id, links=result_links(session, ind_by_id, ind_ids),
        targets=targets_by_programme(session, ind_by_id, ind_ids),
        scores=capacity_scores(session), actors=actors_by_id(session),
        fund_dates=funding_commitment_dates(session, tables["evidence"]),
        lead_changes=_lead_changes(session, ids),
        frozen={pid: frozenset(r.quarter for r in rows
                               if r.status == "locked" and r.rules_ran_at is not None)
                for pid, rows in periods.items()})


def result_links(session: Session, ind_by_id: dict[int, Any], ind_ids: list[int] | None
                 ) -> dict[int, list[M.ResultLink]]:
    """The result links from these indicators (all when ``ind_ids`` is None), by programme."""
    rows = session.scalars(select(M.ResultLink)).all() if ind_ids is None else session.scalars(
        select(M.ResultLink).where(M.ResultLink.from_indicator_id.in_(ind_ids or [-1])))  # type: ignore[attr-defined]
    out: dict[int, list[M.ResultLink]] = defaultdict(list)
    for lk in rows:
        ind = ind_by_id.get(lk.from_indicator_id)
        if ind is not None:
            out[ind.programme_id].append(lk)
    return out


def targets_by_programme(session: Session, ind_by_id: dict[int, Any],
                         ind_ids: list[int] | None) -> dict[int, list[M.Target]]:
    """The targets of these indicators (all when ``ind_ids`` is None), by programme."""
    rows = session.scalars(select(M.Target)) if ind_ids is None else session.scalars(
        select(M.Target).where(M.Target.indicator_id.in_(ind_ids or [-1])))  # type: ignore[attr-defined]
    out: dict[int, list[M.Target]] = defaultdict(list)
    for t in rows:
        t_ind = ind_by_id.get(t.indicator_id)
        if t_ind is not None:
            out[t_ind.programme_id].append(t)
    return out


def capacity_scores(session: Session) -> dict[int, list[Any]]:
    """Every capacity score (Core rows), by assessment id."""
    out: dict[int, list[Any]] = defaultdict(list)
    for sc in session.execute(select(table_of(M.CapacityScore))):
        out[sc.assessment_id].append(sc)
    return out


def actors_by_id(session: Session) -> dict[int, Any]:
    """Every actor (Core rows), by id."""
    return {a.id: a for a in session.execute(select(table_of(M.Actor)))}


def funding_commitment_dates(session: Session, evidence: dict[int, list[Any]]
                             ) -> dict[tuple[int, str], date]:
    """When each funding source was committed, by (programme id, source code): the latest
    issue date of the evidence linked to it (SU-2). ``evidence``: the programmes' evidence
    rows by programme."""
    ev_by_code = {(e.programme_id, e.code): e for rows in evidence.values() for e in rows}
    ev_ids = {e.id: e for e in ev_by_code.values()}
    out: dict[tuple[int, str], date] = {}
    for el in session.scalars(select(M.EvidenceLink).where(
            col(M.EvidenceLink.entity) == "funding_source")):
        ev = ev_ids.get(el.evidence_id)
        if ev is not None and ev.issued_on is not None:
            key = (ev.programme_id, el.entity_key)
            out[key] = max(out.get(key, ev.issued_on), ev.issued_on)
    return out


def data_quarters(session: Session, ids: list[int] | None, programme_of: dict[int, int],
                  after: str | None) -> dict[int, set[str]]:
    """The quarters after ``after`` (all when None) holding an observation, by programme."""
    out: dict[int, set[str]] = defaultdict(set)
    for iid, period in observation_quarters(session, ids, after):
        pid = programme_of.get(iid)
        if pid is not None:
            out[pid].add(period)
    return out


def series_totals(session: Session, ids: list[int] | None, programme_of: dict[int, int],
                  strand_code: dict[int | None, str]
                  ) -> dict[int, dict[SeriesKey, dict[str, Point]]]:
    """Every total observation as a point, by programme, then (indicator, strand code), then
    quarter."""
    totals: dict[int, dict[SeriesKey, dict[str, Point]]] = defaultdict(dict)
    new_tuple = tuple.__new__  # a named tuple without its keyword-handling constructor
    # the totals index orders rows by indicator and strand: one series is one run of rows
    for (iid, sid), run in groupby(observation_totals(session, ids), key=itemgetter(0, 1)):
        pid = programme_of.get(iid)
        if pid is None:
            continue
        scode = strand_code.get(sid) if sid is not None else None
        totals[pid].setdefault((iid, scode), {}).update(
            {r[2]: new_tuple(Point, (r[3], r[4], r[5])) for r in run})
    return totals


def breakdown_spreads(session: Session, ids: list[int] | None, min_n: int, since: str | None,
                      programme_of: dict[int, int], strand_code: dict[int | None, str],
                      gap_ids: set[int]) -> dict[int, dict[SpreadKey, dict[str, Spread]]]:
    """The outcomes' breakdowns from ``since`` on as spreads, by programme, then (indicator,
    strand code, dimension), then quarter; the lowest and highest groups are named where
    EQ-2 may flag the gap (``gap_ids``, a ratio under 0.8)."""
    spreads: dict[int, dict[SpreadKey, dict[str, Spread]]] = defaultdict(dict)
    wanted: dict[tuple[int, int | None, str, str], tuple[int, str | None]] = {}
    new_tuple = tuple.__new__
    # per (indicator, strand id, dimension) its series, made on first use (None: not ours)
    series_of: dict[tuple[Any, ...], dict[str, Spread] | None] = {}
    for iid, sid, period, d, lo, hi, cells, ok in observation_spreads(session, ids, min_n,
                                                                       since):
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
    return spreads


def _indicator_refs(pf: _Portfolio, pid: int) -> dict[int, IndicatorRef]:
    refs: dict[int, IndicatorRef] = {}
    for i in pf.indicators.get(pid, []):
        assert i.id is not None
        refs[i.id] = IndicatorRef(
            id=i.id, code=i.code, name=i.name,
            strand=pf.strand_code.get(i.strand_id) if i.strand_id else None,
            result_level=i.result_level, unit=i.unit, direction=i.direction,
            baseline_value=i.baseline_value, baseline_period=i.baseline_period,
            amber_at=i.amber_at, red_at=i.red_at, range_min=i.range_min,
            range_max=i.range_max, construct_code=i.construct_code,
            verification_type=i.verification_type,
            disaggregation_required=tuple(split_list(i.disaggregation_required)),
            risk_role=i.risk_role, is_seasonal=bool(i.is_seasonal),
            is_cumulative=bool(i.is_cumulative), post_exit_due=i.post_exit_measurement_due,
            frequency_quarters=_FREQUENCY_QUARTERS.get(i.frequency, 1))
    return refs


def _quarters(pf: _Portfolio, pid: int) -> tuple[str, ...]:
    """Every declared reporting period, and every quarter that holds an observation even
    when nobody declared its period (a value logged or imported for a new quarter); without
    either, the quarters of the records. A context figure from 2016 or a spend record from
    before the programme's window does not otherwise make a quarter to judge."""
    quarters = {r.quarter for r in pf.periods.get(pid, [])} | set(
        pf.data_quarters.get(pid, set()))
    if not quarters:
        for name in ("participation", "feedback", "channels", "spend", "staffing",
                     "checklist"):
            quarters |= {r.period for r in pf.tables[name].get(pid, [])}
    return tuple(sorted(quarters))


def _snapshot(prog: M.Programme, pf: _Portfolio) -> ProgrammeSnapshot:
    """One programme's snapshot, from the portfolio's parts."""
    pid = prog.id
    assert pid is not None
    p_strands = {s.code: s for s in pf.strands.get(pid, [])}
    p_links = pf.links.get(pid, [])
    p_phases = frozenset(ph.phase for ph in pf.phases.get(pid, []))
    gates = structural_gates(pf.indicators.get(pid, []), p_links, p_phases)
    tables = {name: tuple(rows.get(pid, [])) for name, rows in pf.tables.items()}
    evidence_dates: dict[int, object] = {}
    for f in tables["funding"]:
        when = pf.fund_dates.get((pid, f.code))
        if when is not None and f.id is not None:
            evidence_dates[f.id] = when
    return ProgrammeSnapshot(
        id=pid, code=prog.code, programme=prog, quarters=_quarters(pf, pid),
        period_status={r.quarter: r.status for r in pf.periods.get(pid, [])},
        strands=p_strands, strand_code={s.id: s.code for s in p_strands.values()
                                        if s.id is not None},
        indicators=_indicator_refs(pf, pid),
        links=tuple((lk.from_indicator_id, lk.to_indicator_id) for lk in p_links),
        totals=pf.totals.get(pid, {}), spreads=pf.spreads.get(pid, {}),
        targets=_targets(pf.targets.get(pid, []), pf.strand_code),
        phases=p_phases,
        gates_unmet=tuple(d for g in gates if not g.met for d in (g.details or (g.title,))),
        actors=pf.actors,
        participation=tables["participation"], population=tables["population"],
        feedback=tables["feedback"], channels=tables["channels"],
        allocations=tables["allocations"], funding=tables["funding"],
        sponsors=tables["sponsors"], spend=tables["spend"], staffing=tables["staffing"],
        capacity=tuple((a, tuple(pf.scores.get(a.id or -1, [])))
                       for a in tables["assessments"]),
        checklist=tables["checklist"], programme_actors=tables["programme_actors"],
        status_changes=tables["status_changes"], evidence_dates=evidence_dates,
        lead_changes=tuple(pf.lead_changes.get(pid, ())),
        frozen_quarters=pf.frozen.get(pid, frozenset()))


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
