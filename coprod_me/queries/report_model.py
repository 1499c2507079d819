"""The quarterly report's read model, read from the store: one programme up to a quarter.

``programme_data`` fills the frozen records of ``reports.quarterly_model`` with a few
set-based queries per programme; everything after it (figures, sheets, charts) is pure code
over those records. Codes replace database ids on the way out. Observations come as Core
rows, not ORM objects: a large programme has tens of thousands of them, and building an
object for each one cost more than writing the report.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Row
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from coprod_me.model import entities as M
from coprod_me.model.disaggregation import parse_dims_key
from coprod_me.model.quarter import Quarter
from coprod_me.queries import iptt
from coprod_me.queries.programmes import get_programme
from coprod_me.reports import quarterly_model as R


class WorkbookColumn(Protocol):
    """A programme-workbook column as ``spreadsheets.workbook_format`` declares it."""

    @property
    def header(self) -> str: ...

    @property
    def attr(self) -> str: ...

    @property
    def kind(self) -> str: ...


@dataclass(frozen=True)
class WorkbookColumns:
    """The programme workbook's columns that the report copies: the read floor is below the
    format module, so the service hands them in."""

    indicators: Sequence[WorkbookColumn]
    observations: Sequence[WorkbookColumn]
    dim_prefix: str


@dataclass(frozen=True)
class _Codes:
    """One programme's database ids and the codes the read model shows instead."""

    programme_id: int
    strand: dict[int, str]
    actor: dict[int | None, str]
    evidence: dict[int | None, str]
    indicator: dict[int, str]

    def strand_of(self, strand_id: int | None) -> str | None:
        return self.strand.get(strand_id) if strand_id is not None else None

    def cell(self, obj: Any, column: WorkbookColumn) -> Any:
        """A workbook cell's value: a reference as the target's code, anything else as is."""
        by_id: dict[str, dict[Any, str]] = {
            "strand_id": self.strand, "evidence_id": self.evidence,
            "co_defined_evidence_id": self.evidence}
        target = by_id.get(column.attr)
        value = (obj.get(column.attr) if isinstance(obj, dict)
                 else getattr(obj, column.attr, None))
        if column.kind == "ref":
            return target.get(value) if target is not None and value is not None else None
        return value


Dims = tuple[tuple[str, str], ...]
ObservationRows = Sequence[Row[*tuple[Any, ...]]]  # Core rows: id, indicator_id, ...


def programme_data(session: Session, code: str, quarter: str,
                   columns: WorkbookColumns) -> R.ProgrammeData:
    """Everything the report shows about one programme, up to and including ``quarter``."""
    q = quarter
    p = get_programme(session, code)
    assert p.id is not None
    strands = list(session.scalars(select(M.Strand).where(M.Strand.programme_id == p.id)))
    indicators = list(session.scalars(select(M.Indicator).where(
        M.Indicator.programme_id == p.id)))
    codes = _codes(session, p.id, strands, indicators)
    period = session.scalars(select(M.ReportingPeriod).where(
        M.ReportingPeriod.programme_id == p.id, M.ReportingPeriod.quarter == q)).first()
    observations = _observations(session, list(codes.indicator), q)
    dims_of = _dims_by_observation(observations)
    sponsors = list(session.scalars(select(M.Sponsor).where(M.Sponsor.programme_id == p.id)))
    return R.ProgrammeData(
        code=p.code, name=p.name, is_sample=p.is_sample, sample_note=p.sample_note,
        currency=p.currency, institutional_status=p.institutional_status,
        transition_plan_approved=p.transition_plan_approved,
        planned_end_date=p.planned_end_date,
        period_status=period.status if period else None,
        data_cutoff_date=period.data_cutoff_date if period else None,
        locked_by=period.locked_by if period else None,
        strands=tuple(R.StrandInfo(st.code, st.name, st.type, st.institutional_status,
                                   st.transition_plan_approved, st.end_date)
                      for st in sorted(strands, key=lambda st: st.code)),
        indicators=tuple(_indicator_info(i, codes, columns.indicators) for i in indicators),
        measurements=_measurements(observations, dims_of, codes),
        targets=_targets(session, codes), links=_links(session, codes),
        participation=_participation(session, codes, q),
        population=_population(session, codes), flags=_flags(session, codes, q),
        checklist=_checklist(session, codes, q), capacity=_capacity(session, codes, q),
        funding=_funding(session, codes, sponsors), spend=_spend(session, codes, q),
        sponsors=tuple(R.SponsorInfo(sp.code, codes.strand_of(sp.strand_id), sp.office_title,
                                     sp.party, sp.term_end_date, sp.next_election_date,
                                     sp.commitment_beyond_term) for sp in sponsors),
        revisions=_revisions(session, codes, q, observations, dims_of),
        batches=_batches(session, p), notes=_notes(session, codes),
        raw_observations=_raw_observations(session, p.code, codes, q, dims_of, columns),
        reporting_quarters=iptt.reporting_quarters(session, p.id, q),
        narratives=iptt.variance_narratives(session, codes.indicator, codes.strand),
        target_revisions=iptt.target_revisions(session, codes.indicator, codes.strand))


def _codes(session: Session, programme_id: int, strands: list[M.Strand],
           indicators: list[M.Indicator]) -> _Codes:
    # an actor as the report names it: its name beside its code
    actor: dict[int | None, str] = {
        i: f"{n} ({c})" for i, c, n in session.execute(
            select(M.Actor.id, M.Actor.code, M.Actor.name))}
    evidence: dict[int | None, str] = {i: c for i, c in session.execute(
        select(M.Evidence.id, M.Evidence.code).where(M.Evidence.programme_id == programme_id))}
    return _Codes(programme_id, {st.id: st.code for st in strands if st.id is not None},
                  actor, evidence, {i.id: i.code for i in indicators if i.id is not None})


def _indicator_info(i: M.Indicator, codes: _Codes,
                    columns: Sequence[WorkbookColumn]) -> R.IndicatorInfo:
    return R.IndicatorInfo(
        code=i.code, name=i.name, result_level=i.result_level, rba_quadrant=i.rba_quadrant,
        unit=i.unit, direction=i.direction, baseline_value=i.baseline_value,
        baseline_period=i.baseline_period, amber_at=i.amber_at, red_at=i.red_at,
        range_min=i.range_min, range_max=i.range_max,
        accountability_type=i.accountability_type, verification_type=i.verification_type,
        evidence_standard=i.evidence_standard, is_cumulative=i.is_cumulative,
        disaggregation_required=tuple(x.strip() for x in (i.disaggregation_required or "")
                                      .split(",") if x.strip()),
        definition_fields=tuple((c.header, codes.cell(i, c)) for c in columns
                                if c.header != "programme_code"))


def _observations(session: Session, indicator_ids: list[int], q: str) -> ObservationRows:
    """The observations of these indicators up to the quarter, the columns the report reads."""
    ot = M.table_of(M.Observation)
    return session.execute(core_select(
        ot.c.id, ot.c.indicator_id, ot.c.strand_id, ot.c.period, ot.c.dims_key, ot.c.value,
        ot.c.numerator, ot.c.denominator, ot.c.n_sample, ot.c.quality_status,
        ot.c.verification_type).where(ot.c.indicator_id.in_(indicator_ids),
                                      ot.c.period <= q)).all()


def _dims_by_observation(observations: ObservationRows) -> dict[int, Dims]:
    """Observation id -> its sorted (dimension, category) pairs, each key parsed once."""
    parsed: dict[str, Dims] = {}
    dims_of: dict[int, Dims] = {}
    for ob in observations:
        dims = parsed.get(ob.dims_key)
        if dims is None:
            dims = parsed[ob.dims_key] = tuple(sorted(parse_dims_key(ob.dims_key).items()))
        dims_of[ob.id] = dims
    return dims_of


def _measurements(observations: ObservationRows, dims_of: dict[int, Dims],
                  codes: _Codes) -> tuple[R.Measurement, ...]:
    ind, strand = codes.indicator, codes.strand
    return tuple(R.Measurement(
        ind[o.indicator_id], strand.get(o.strand_id) if o.strand_id else None,
        o.period, dims_of[o.id], o.value, o.numerator, o.denominator, o.n_sample,
        o.quality_status, o.verification_type) for o in observations)


def _targets(session: Session, codes: _Codes) -> tuple[R.TargetValue, ...]:
    ind, strand = codes.indicator, codes.strand
    return tuple(R.TargetValue(ind[t.indicator_id],
                               strand.get(t.strand_id) if t.strand_id else None,
                               t.period, t.value)
                 for t in session.scalars(select(M.Target).where(
                     col(M.Target.indicator_id).in_(list(ind)))))


def _links(session: Session, codes: _Codes) -> tuple[R.Link, ...]:
    ind = codes.indicator
    return tuple(sorted((R.Link(ind[lk.from_indicator_id], ind[lk.to_indicator_id],
                                lk.assumption_text, lk.strength)
                         for lk in session.scalars(select(M.ResultLink).where(
                             col(M.ResultLink.from_indicator_id).in_(list(ind))))
                         if lk.to_indicator_id in ind),
                        key=lambda lk: (lk.output, lk.outcome)))


def _raw_observations(session: Session, programme_code: str, codes: _Codes, q: str,
                      dims_of: dict[int, Dims], columns: WorkbookColumns
                      ) -> tuple[dict[str, Any], ...]:
    """The quarter's observations in the programme workbook's ``Observations`` columns."""
    ot = M.table_of(M.Observation)
    ind, strand = codes.indicator, codes.strand
    result = session.execute(core_select(ot).where(
        ot.c.indicator_id.in_(list(ind)), ot.c.period == q))
    keys = list(result.keys())  # once: a row's own keys() costs a tenth of a second here
    this_quarter = [dict(zip(keys, r, strict=True)) for r in result]
    raw = []
    for rec in sorted(this_quarter, key=lambda r: (ind[r["indicator_id"]],
                                                  strand.get(r["strand_id"], ""),
                                                  r["dims_key"])):
        row: dict[str, Any] = {}
        for c in columns.observations:
            if c.header == "programme_code":
                row[c.header] = programme_code
            elif c.header == "indicator_code":
                row[c.header] = ind[rec["indicator_id"]]
            else:
                row[c.header] = codes.cell(rec, c)
        for dim, cat in dims_of[rec["id"]]:
            row[columns.dim_prefix + dim] = cat
        raw.append(row)
    return tuple(raw)


def _participation(session: Session, codes: _Codes, q: str
                   ) -> tuple[R.ParticipationCounts, ...]:
    sc = codes.strand_of
    return tuple(R.ParticipationCounts(
        sc(r.strand_id), r.period, r.phase, r.group_dimension, r.group_category, r.registered,
        r.active, r.new, r.continuing_active, r.exited, r.started_tasks, r.completed_tasks)
        for r in session.scalars(select(M.ParticipationRecord).where(
            M.ParticipationRecord.programme_id == codes.programme_id,
            M.ParticipationRecord.period <= q)))


def _population(session: Session, codes: _Codes) -> tuple[R.Population, ...]:
    return tuple(R.Population(codes.strand_of(r.strand_id), r.group_dimension,
                              r.group_category, r.population_count, r.year)
                 for r in session.scalars(select(M.PopulationReference).where(
                     M.PopulationReference.programme_id == codes.programme_id)))


def _flags(session: Session, codes: _Codes, q: str) -> tuple[R.Flag, ...] | None:
    """The flags of the quarter and the one before; None when no flag was ever stored."""
    pid = codes.programme_id
    if session.scalars(select(M.RiskFlag.id).where(M.RiskFlag.programme_id == pid)
                       ).first() is None:
        return None
    prev = str(Quarter.parse(q).previous())
    return tuple(_flag(f, codes.strand_of(f.strand_id)) for f in session.scalars(
        select(M.RiskFlag).where(M.RiskFlag.programme_id == pid,
                                 col(M.RiskFlag.period).in_([q, prev]))))


def _flag(f: M.RiskFlag, strand: str | None) -> R.Flag:
    return R.Flag(
        strand=strand, period=f.period, rule_id=f.rule_id, subject=f.subject,
        category=f.category, computed_severity=f.computed_severity, severity=f.severity,
        status=f.status, trigger=_flatten(f.trigger_snapshot),
        thresholds=_thresholds(f.trigger_snapshot), metrics=_metrics(f.trigger_snapshot),
        first_raised_period=f.first_raised_period, consecutive_periods=f.consecutive_periods,
        evaluator_judgement=f.evaluator_judgement, override_severity=f.override_severity,
        override_reason=f.override_reason, mitigation=f.mitigation, owner=f.owner,
        due_date=f.due_date)


def _snapshot(snapshot: str | None) -> dict[str, Any]:
    try:
        data = json.loads(snapshot) if snapshot else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _thresholds(snapshot: str | None) -> tuple[dict[str, Any], ...]:
    """The thresholds a flag was judged against, as its trigger snapshot stored them."""
    found = _snapshot(snapshot).get("thresholds")
    return tuple(t for t in found if isinstance(t, dict)) if isinstance(found, list) else ()


def _metrics(snapshot: str | None) -> tuple[tuple[str, Any], ...]:
    """The numbers a flag's rule computed, as its trigger snapshot stored them."""
    found = _snapshot(snapshot).get("metrics")
    return tuple(sorted(found.items())) if isinstance(found, dict) else ()


def _flatten(snapshot: str | None) -> tuple[tuple[str, str], ...]:
    """A trigger snapshot as key = value pairs (nested keys joined with dots)."""
    if not snapshot:
        return ()
    try:
        data = json.loads(snapshot)
    except ValueError:
        return (("snapshot", snapshot),)
    out: list[tuple[str, str]] = []

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for k in sorted(value):
                walk(f"{prefix}.{k}" if prefix else str(k), value[k])
        elif isinstance(value, list):
            out.append((prefix, ", ".join(json.dumps(v, ensure_ascii=False)
                                          if isinstance(v, (dict, list)) else str(v)
                                          for v in value)))
        else:
            out.append((prefix, str(value)))
    walk("", data)
    return tuple(out)


def _checklist(session: Session, codes: _Codes, q: str) -> tuple[R.ChecklistAnswer, ...]:
    """Each item's latest answer up to the quarter, beside the answer before it."""
    answers: dict[tuple[str | None, str], list[M.ChecklistResponse]] = defaultdict(list)
    for resp in session.scalars(select(M.ChecklistResponse).where(
            M.ChecklistResponse.programme_id == codes.programme_id,
            M.ChecklistResponse.period <= q)):
        answers[(codes.strand_of(resp.strand_id), resp.item_code)].append(resp)
    checklist = []
    for (strand, item), rs in answers.items():
        rs.sort(key=lambda c: c.period)
        last = rs[-1]
        checklist.append(R.ChecklistAnswer(strand, last.period, item, last.answer,
                                           rs[-2].answer if len(rs) > 1 else None,
                                           last.comment))
    return tuple(checklist)


def _capacity(session: Session, codes: _Codes, q: str) -> tuple[R.CapacityCell, ...]:
    """The latest assessment's scores per scope and actor, beside the assessment before."""
    end = Quarter.parse(q).end
    assessments = [a for a in session.scalars(select(M.CapacityAssessment).where(
        M.CapacityAssessment.programme_id == codes.programme_id)) if a.assessed_on <= end]
    latest: dict[tuple[str, int | None], list[M.CapacityAssessment]] = defaultdict(list)
    for a in assessments:
        latest[(a.actor_scope, a.actor_id)].append(a)
    scores: dict[int, dict[tuple[str, str], M.CapacityScore]] = defaultdict(dict)
    for cs in session.scalars(select(M.CapacityScore).where(
            col(M.CapacityScore.assessment_id).in_([a.id for a in assessments]))):
        scores[cs.assessment_id][(cs.level, cs.competence)] = cs
    capacity = []
    for group in latest.values():
        group.sort(key=lambda a: (a.assessed_on, a.code))
        a = group[-1]
        before = group[-2] if len(group) > 1 else None
        assert a.id is not None
        for (level, competence), cs in scores[a.id].items():
            old = scores[before.id].get((level, competence)) if before and before.id else None
            capacity.append(R.CapacityCell(
                a.code, a.actor_scope, codes.actor.get(a.actor_id) if a.actor_id else None,
                a.assessed_on, a.method, level, competence, cs.score, cs.descriptor, cs.notes,
                old.score if old else None))
    return tuple(capacity)


def _funding(session: Session, codes: _Codes, sponsors: list[M.Sponsor]
             ) -> tuple[R.FundingInfo, ...]:
    sponsor_code = {sp.id: sp.code for sp in sponsors}
    return tuple(R.FundingInfo(
        f.code, f.name, codes.strand_of(f.strand_id), f.type,
        codes.actor.get(f.funder_actor_id) if f.funder_actor_id else None,
        sponsor_code.get(f.sponsor_id) if f.sponsor_id else None, f.committed_amount,
        f.period_start, f.period_end, f.is_renewable, f.renewal_decision_date)
        for f in session.scalars(select(M.FundingSource).where(
            M.FundingSource.programme_id == codes.programme_id)))


def _spend(session: Session, codes: _Codes, q: str) -> tuple[R.SpendAmount, ...]:
    return tuple(R.SpendAmount(codes.strand_of(r.strand_id), r.period, r.amount)
                 for r in session.scalars(select(M.SpendRecord).where(
                     M.SpendRecord.programme_id == codes.programme_id,
                     M.SpendRecord.period <= q)))


def _revisions(session: Session, codes: _Codes, q: str, observations: ObservationRows,
               dims_of: dict[int, Dims]) -> tuple[R.RevisionInfo, ...]:
    ot = M.table_of(M.Observation)
    obs_by_id = {o.id: o for o in observations}
    return tuple(R.RevisionInfo(
        codes.indicator[obs_by_id[r.observation_id].indicator_id],
        codes.strand_of(obs_by_id[r.observation_id].strand_id),
        obs_by_id[r.observation_id].period, dims_of[r.observation_id], r.revision, r.value,
        r.reason, r.revised_by, r.revised_at)
        for r in session.scalars(select(M.ObservationRevision).join(
            ot, ot.c.id == M.ObservationRevision.observation_id).where(
            ot.c.indicator_id.in_(list(codes.indicator)), ot.c.period <= q)))


def _batches(session: Session, p: M.Programme) -> tuple[R.BatchInfo, ...]:
    """The programme's import batches; else the batch that created it, when it has one."""
    batches = tuple(_batch(b) for b in session.scalars(select(M.ImportBatch).where(
        M.ImportBatch.programme_code == p.code)))
    if not batches and p.import_batch_id is not None:
        b = session.get(M.ImportBatch, p.import_batch_id)
        if b is not None:
            batches = (_batch(b),)
    return batches


def _batch(b: M.ImportBatch) -> R.BatchInfo:
    return R.BatchInfo(b.file_name, b.kind, b.imported_at, b.user, b.rows_created,
                       b.rows_updated, b.rows_rejected, b.reverted_at is not None)


def _notes(session: Session, codes: _Codes) -> tuple[R.NoteText, ...]:
    return tuple(R.NoteText(n.entity, n.entity_key, n.period, n.text)
                 for n in session.scalars(select(M.Note).where(
                     M.Note.programme_id == codes.programme_id)))


def observed_quarters(session: Session, codes: Sequence[str]) -> list[str]:
    """Quarters with observations for these programmes, latest first."""
    ids = list(session.scalars(select(M.Programme.id).where(col(M.Programme.code).in_(codes))))
    rows = session.scalars(select(M.Observation.period).distinct().join(
        M.Indicator, col(M.Indicator.id) == M.Observation.indicator_id).where(
        col(M.Indicator.programme_id).in_(ids)))
    return sorted(set(rows), reverse=True)


def programme_names(session: Session) -> list[tuple[str, str]]:
    """Every programme's (code, name), by code."""
    return [(c, n) for c, n in session.execute(
        select(M.Programme.code, M.Programme.name).order_by(M.Programme.code))]
