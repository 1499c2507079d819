"""The Portfolio's reads: what every programme's row is computed from, for all programmes (or
some) at once.

A handful of set-based queries, whatever the number of programmes: the programmes, their
indicators, result links, phases and strands (for the outcome gates and the completeness),
the totals of the few quarters the outcome statuses look at, the targets, the quarter's
flags and which programmes the risk rules ran for. ``reports.portfolio_model`` turns them
into rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import ColumnClause, literal_column
from sqlmodel import Session, col, select

from coprod_me.model import entities as M
from coprod_me.reports.portfolio_model import PortfolioFacts, ProgrammeFacts, window

#: (strand id or None, quarter, value)
Value = tuple[int | None, str, float]
#: A total's empty dims_key, written into the statement rather than bound: only then does
#: SQLite see that the totals' partial index (``WHERE dims_key = ''``) answers the query,
#: and reads 12 % of the observations instead of all of them (four to six times faster).
TOTAL: ColumnClause[str] = literal_column("''")


def portfolio_facts(session: Session, quarter: str, codes: Sequence[str] | None = None
                    ) -> PortfolioFacts:
    """Everything the Portfolio's rows need for ``quarter``: every programme, or those with
    these codes."""
    query = select(M.Programme.id, M.Programme.code, M.Programme.name)
    if codes is not None:
        query = query.where(col(M.Programme.code).in_(list(codes)))
    programmes = {int(pid): (code, name) for pid, code, name in session.execute(query)}
    ids = list(programmes)
    only = codes is not None  # filter the other queries by programme only when asked to

    indicators: dict[int, list[M.Indicator]] = defaultdict(list)
    iq = select(M.Indicator)
    for ind in session.scalars(iq.where(col(M.Indicator.programme_id).in_(ids)) if only else iq):
        indicators[ind.programme_id].append(ind)
    owner = {ind.id: pid for pid, inds in indicators.items() for ind in inds}

    links: dict[int, list[M.ResultLink]] = defaultdict(list)
    for link in session.scalars(select(M.ResultLink)):
        if (pid := owner.get(link.from_indicator_id)) is not None:
            links[pid].append(link)

    phases: dict[int, set[str]] = defaultdict(set)
    for pid, phase in session.execute(
            select(M.ProgrammePhase.programme_id, M.ProgrammePhase.phase).distinct()):
        phases[pid].add(phase)

    strands: dict[int, dict[int, str]] = defaultdict(dict)
    for sid, pid, code in session.execute(
            select(M.Strand.id, M.Strand.programme_id, M.Strand.code)):
        strands[pid][sid] = code

    flags: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for pid, category, severity, status in session.execute(
            select(M.RiskFlag.programme_id, M.RiskFlag.category, M.RiskFlag.severity,
                   M.RiskFlag.status).where(M.RiskFlag.period == quarter)):
        flags[pid].append((category, severity, status))
    checked = set(session.scalars(select(M.RiskRun.programme_id)))

    facts = [ProgrammeFacts(pid, code, name, indicators[pid], links[pid], phases[pid],
                            strands[pid], flags[pid], pid in checked)
             for pid, (code, name) in programmes.items()]
    return PortfolioFacts(quarter, facts, _totals(session, quarter, owner),
                          _targets(session, owner))


def _totals(session: Session, quarter: str, owner: dict[int | None, int]
            ) -> dict[int, list[Value]]:
    """The totals (observations without a breakdown) of the window's quarters, by indicator:
    one pass over the totals' partial index."""
    first, last = window(quarter)
    o = M.Observation
    out: dict[int, list[Value]] = defaultdict(list)
    for ind_id, sid, period, value in session.execute(
            select(o.indicator_id, o.strand_id, o.period, o.value).where(
                o.dims_key == TOTAL, col(o.value).is_not(None), col(o.period) >= first,
                col(o.period) <= last)):
        if ind_id in owner:
            out[ind_id].append((sid, period, value))
    return out


def _targets(session: Session, owner: dict[int | None, int]) -> dict[int, list[Value]]:
    out: dict[int, list[Value]] = defaultdict(list)
    for ind_id, sid, period, value in session.execute(
            select(M.Target.indicator_id, M.Target.strand_id, M.Target.period,
                   M.Target.value)):
        if ind_id in owner:
            out[ind_id].append((sid, period, value))
    return out


def reported_quarters(session: Session) -> list[str]:
    """Every quarter with a total (with a value) of any programme, latest first."""
    return sorted(set(session.scalars(select(M.Observation.period).distinct().where(
        M.Observation.dims_key == TOTAL, col(M.Observation.value).is_not(None)))),
        reverse=True)
