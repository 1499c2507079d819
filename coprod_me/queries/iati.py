"""What the IATI export reads of a programme: its profile, actors, indicators, figures."""

from __future__ import annotations

from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from coprod_me.model import entities as M
from coprod_me.model.disaggregation import parse_dims_key
from coprod_me.queries.programmes import get_programme
from coprod_me.reports import iati_model as I
from coprod_me.reports import quarterly_model as R


def iati_programme(session: Session, code: str) -> I.IatiProgramme:
    """One programme as its IATI activity needs it; NotFound for an unknown code."""
    p = get_programme(session, code)
    assert p.id is not None
    strands = {st.id: st.code for st in session.scalars(
        select(M.Strand).where(M.Strand.programme_id == p.id))}
    indicators = list(session.scalars(select(M.Indicator).where(
        M.Indicator.programme_id == p.id).order_by(M.Indicator.code)))
    by_id = {i.id: i.code for i in indicators}
    lead = session.get(M.Actor, p.lead_agency_actor_id) if p.lead_agency_actor_id else None
    return I.IatiProgramme(
        code=p.code, name=p.name, description=p.description,
        iati_identifier=p.iati_identifier, reporting_org_ref=p.reporting_org_ref,
        reporting_org_name=p.reporting_org_name, reporting_org_type=p.reporting_org_type,
        activity_status=p.activity_status, sector_code=p.sector_code,
        default_language=p.default_language, currency=p.currency,
        countries=tuple(c.strip().upper() for c in (p.jurisdiction_country or "").split(",")
                        if c.strip()),
        start_date=p.start_date, planned_end_date=p.planned_end_date,
        lead_agency=I.Participant(lead.code, lead.name, "lead_agency", lead.org_type,
                                  lead.registration_id) if lead else None,
        participants=_participants(session, p.id),
        indicators=tuple(_indicator(i) for i in indicators),
        measurements=_measurements(session, by_id, strands),
        targets=tuple(R.TargetValue(by_id[t.indicator_id],
                                    strands.get(t.strand_id) if t.strand_id else None,
                                    t.period, t.value)
                      for t in session.scalars(select(M.Target).where(
                          col(M.Target.indicator_id).in_(list(by_id))))),
        is_sample=p.is_sample)


def _participants(session: Session, programme_id: int) -> tuple[I.Participant, ...]:
    rows = session.execute(select(M.ProgrammeActor.role, M.Actor).join(
        M.Actor, col(M.Actor.id) == M.ProgrammeActor.actor_id).where(
        M.ProgrammeActor.programme_id == programme_id).order_by(M.Actor.code))
    seen: dict[tuple[str, str], I.Participant] = {}
    for role, a in rows:
        seen.setdefault((a.code, role), I.Participant(a.code, a.name, role, a.org_type,
                                                      a.registration_id))
    return tuple(seen.values())


def _indicator(i: M.Indicator) -> R.IndicatorInfo:
    return R.IndicatorInfo(
        code=i.code, name=i.name, result_level=i.result_level, rba_quadrant=i.rba_quadrant,
        unit=i.unit, direction=i.direction, baseline_value=i.baseline_value,
        baseline_period=i.baseline_period, range_min=i.range_min, range_max=i.range_max,
        is_cumulative=i.is_cumulative,
        definition_fields=(("definition", i.definition), ("baseline_source",
                                                          i.baseline_source)))


def _measurements(session: Session, indicator: dict[int | None, str],
                  strand: dict[int | None, str]) -> tuple[R.Measurement, ...]:
    ot = M.table_of(M.Observation)
    rows = session.execute(core_select(
        ot.c.indicator_id, ot.c.strand_id, ot.c.period, ot.c.dims_key, ot.c.value,
        ot.c.numerator, ot.c.denominator, ot.c.n_sample).where(
        ot.c.indicator_id.in_(list(indicator)))).all()
    parsed: dict[str, tuple[tuple[str, str], ...]] = {}
    out = []
    for r in rows:
        if r.dims_key not in parsed:
            parsed[r.dims_key] = tuple(sorted(parse_dims_key(r.dims_key).items()))
        out.append(R.Measurement(indicator[r.indicator_id],
                                 strand.get(r.strand_id) if r.strand_id else None, r.period,
                                 parsed[r.dims_key], r.value, r.numerator, r.denominator,
                                 r.n_sample))
    return tuple(out)
