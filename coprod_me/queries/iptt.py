"""Reads for the IPTT: a programme's reporting quarters, deviation narratives and target
revisions, and the small read model the app's IPTT dialog builds its table from.

The report reads the same narratives and revisions (``queries.report_model``); codes stand
in for database ids on the way out (strand ``None``: the programme as a whole).
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from coprod_me.model import entities as M
from coprod_me.queries.programmes import get_programme
from coprod_me.reports import quarterly_model as R
from coprod_me.reports.iptt_model import NarrativeText, TargetRevisionInfo


def reporting_quarters(session: Session, programme_id: int, up_to: str) -> tuple[str, ...]:
    """The programme's reporting periods up to and including ``up_to``, in order."""
    return tuple(session.scalars(select(M.ReportingPeriod.quarter).where(
        M.ReportingPeriod.programme_id == programme_id,
        M.ReportingPeriod.quarter <= up_to).order_by(M.ReportingPeriod.quarter)))


def variance_narratives(session: Session, indicators: Mapping[int, str],
                        strands: Mapping[int, str]) -> tuple[NarrativeText, ...]:
    """Every narrative of these indicators (id -> code), strands by code."""
    return tuple(NarrativeText(indicators[n.indicator_id],
                               strands.get(n.strand_id) if n.strand_id else None,
                               n.period, n.text)
                 for n in session.scalars(select(M.VarianceNarrative).where(
                     col(M.VarianceNarrative.indicator_id).in_(list(indicators)))))


def target_revisions(session: Session, indicators: Mapping[int, str],
                     strands: Mapping[int, str]) -> tuple[TargetRevisionInfo, ...]:
    """Every revision of these indicators' targets, with the target it revised."""
    rows = session.execute(select(M.TargetRevision, M.Target).join(
        M.Target, col(M.Target.id) == M.TargetRevision.target_id).where(
        col(M.Target.indicator_id).in_(list(indicators))))
    return tuple(TargetRevisionInfo(
        indicators[t.indicator_id], strands.get(t.strand_id) if t.strand_id else None,
        t.period, r.revision, r.previous_value, r.value, r.reason, r.revised_by, r.revised_at)
        for r, t in rows)


def variance_narrative(session: Session, indicator_id: int, strand_id: int | None,
                       period: str) -> M.VarianceNarrative | None:
    """The narrative of an indicator at a strand (None: the programme) and quarter."""
    return session.scalars(select(M.VarianceNarrative).where(
        M.VarianceNarrative.indicator_id == indicator_id,
        M.VarianceNarrative.strand_id == strand_id if strand_id is not None
        else col(M.VarianceNarrative.strand_id).is_(None),
        M.VarianceNarrative.period == period)).first()


def latest_quarter(session: Session, programme_id: int) -> str | None:
    """The last reporting period of the programme, else its last quarter with an
    observation; None when it has neither."""
    period = session.scalars(select(M.ReportingPeriod.quarter).where(
        M.ReportingPeriod.programme_id == programme_id).order_by(
        col(M.ReportingPeriod.quarter).desc())).first()
    if period is not None:
        return period
    return session.scalars(select(M.Observation.period).join(
        M.Indicator, col(M.Indicator.id) == M.Observation.indicator_id).where(
        M.Indicator.programme_id == programme_id).order_by(
        col(M.Observation.period).desc())).first()


def iptt_programme(session: Session, code: str, quarter: str) -> R.ProgrammeData:
    """What the IPTT of one programme needs, up to ``quarter``: its strands, indicators,
    totals, targets, reporting quarters and narratives (no flags, no disaggregation)."""
    p = get_programme(session, code)
    assert p.id is not None
    strands = list(session.scalars(select(M.Strand).where(M.Strand.programme_id == p.id)))
    indicators = list(session.scalars(select(M.Indicator).where(
        M.Indicator.programme_id == p.id)))
    ind = {i.id: i.code for i in indicators if i.id is not None}
    strand = {st.id: st.code for st in strands if st.id is not None}
    ot = M.table_of(M.Observation)
    totals = session.execute(core_select(
        ot.c.indicator_id, ot.c.strand_id, ot.c.period, ot.c.value).where(
        ot.c.indicator_id.in_(list(ind)), ot.c.dims_key == "", ot.c.period <= quarter)).all()
    return R.ProgrammeData(
        code=p.code, name=p.name,
        strands=tuple(R.StrandInfo(st.code, st.name, st.type)
                      for st in sorted(strands, key=lambda st: st.code)),
        indicators=tuple(_info(i) for i in indicators),
        measurements=tuple(R.Measurement(ind[o.indicator_id], strand.get(o.strand_id),
                                         o.period, (), o.value) for o in totals),
        targets=tuple(R.TargetValue(ind[t.indicator_id], strand.get(t.strand_id)
                                    if t.strand_id else None, t.period, t.value)
                      for t in session.scalars(select(M.Target).where(
                          col(M.Target.indicator_id).in_(list(ind))))),
        reporting_quarters=reporting_quarters(session, p.id, quarter),
        narratives=variance_narratives(session, ind, strand))


def _info(i: M.Indicator) -> R.IndicatorInfo:
    return R.IndicatorInfo(
        code=i.code, name=i.name, result_level=i.result_level, rba_quadrant=i.rba_quadrant,
        unit=i.unit, direction=i.direction, baseline_value=i.baseline_value,
        baseline_period=i.baseline_period, amber_at=i.amber_at, red_at=i.red_at,
        range_min=i.range_min, range_max=i.range_max, is_cumulative=i.is_cumulative)
