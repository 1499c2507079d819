"""The quarterly report use case: read a programme's quarter, write the workbook and PNGs.

The store is read once per programme into the frozen read model of
``reports.quarterly_model``; the workbook is built from that alone. The file is written to a
temporary name in the target folder and renamed into place, so a crash or a Cancel never
leaves half a report where the user expects a whole one.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select as core_select
from sqlalchemy.orm import Session
from sqlmodel import col, select

from coprod_me import __version__
from coprod_me.model import entities as M
from coprod_me.model.disaggregation import parse_dims_key
from coprod_me.model.errors import Cancelled, DomainError, NotFound
from coprod_me.model.progress import IsCancelled, Progress, never, no_progress
from coprod_me.model.quarter import Quarter
from coprod_me.reports import quarterly_model as R
from coprod_me.spreadsheets.workbook_format import DIM_PREFIX, SHEETS_BY_NAME
from coprod_me.store.session import Store

#: the report's sheets in order (README is always written)
SECTIONS = R.SECTIONS
DEFAULT_SUPPRESSION_THRESHOLD = R.DEFAULT_SUPPRESSION_THRESHOLD
OBSERVATION_HEADERS: tuple[str, ...] = tuple(
    c.header for c in SHEETS_BY_NAME["Observations"].columns)
_CLASSIFICATION = ("policy_domain", "jurisdiction_country", "jurisdiction_level", "os_level",
                   "ors_type", "interaction_mode", "intended_outcome", "moon_type",
                   "kekez_mode", "tradition_label_override", "clientelism_context",
                   "scaleup_stage", "status")


class UnknownSection(DomainError):
    pass


@dataclass
class ReportResult:
    file: Path
    quarter: str
    programmes: list[str]
    sheets: list[str]
    charts: int
    pngs: list[Path] = field(default_factory=list)
    suppression_threshold: int = R.DEFAULT_SUPPRESSION_THRESHOLD
    flags_computed: dict[str, bool] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"file": str(self.file), "quarter": self.quarter,
                "programmes": self.programmes, "sheets": self.sheets, "charts": self.charts,
                "pngs": [str(p) for p in self.pngs],
                "suppression_threshold": self.suppression_threshold,
                "flags_computed": self.flags_computed}


def check_sections(sections: Sequence[str] | None) -> tuple[str, ...]:
    """The sheets asked for, in report order; README is always there."""
    if not sections:
        return R.SECTIONS
    wanted = {s.strip() for s in sections if s.strip()}
    known = {s.lower(): s for s in R.SECTIONS}
    unknown = sorted(s for s in wanted if s.lower() not in known)
    if unknown:
        raise UnknownSection(f"unknown section(s) {', '.join(unknown)}; choose from "
                             f"{', '.join(R.SECTIONS)}")
    chosen = {known[s.lower()] for s in wanted} | {"README"}
    return tuple(s for s in R.SECTIONS if s in chosen)


class ReportService:
    """Quarterly reports for a policy unit (domain §4)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # ------------------------------------------------------------------------ read model

    def read_model(self, codes: Sequence[str], quarter: str, *,
                   sections: Sequence[str] | None = None,
                   suppression_threshold: int = R.DEFAULT_SUPPRESSION_THRESHOLD,
                   generated_at: datetime | None = None,
                   cancelled: IsCancelled = never) -> R.QuarterlyReport:
        q = str(Quarter.parse(quarter))
        if not codes:
            raise DomainError("choose at least one programme for the report")
        if suppression_threshold < 0:
            raise DomainError("the suppression threshold cannot be negative")
        chosen = check_sections(sections)
        programmes = []
        with self.store.read() as s:
            for code in dict.fromkeys(codes):  # once each, in the order asked
                if cancelled():
                    raise Cancelled("report cancelled")
                programmes.append(_programme(s, code, q))
        self._apply_risk_engine(programmes, q)
        return R.QuarterlyReport(
            quarter=q, programmes=tuple(programmes),
            generated_at=generated_at or datetime.now(UTC),
            observation_headers=OBSERVATION_HEADERS, sections=chosen,
            suppression_threshold=suppression_threshold, app_version=__version__)

    def _apply_risk_engine(self, programmes: list[R.ProgrammeData], quarter: str) -> None:
        """Where the rules engine can say which flags are new, escalated or closed, use it.

        The engine lives in ``services.risk_register`` (built separately); without it, or
        when it fails, the report works the changes out from the stored flags itself.
        """
        try:
            from coprod_me.services.risk_register import RiskService  # type: ignore[import-not-found,unused-ignore]
        except ImportError:
            return
        try:
            engine = RiskService(self.store)
            for i, p in enumerate(programmes):
                if not p.flags:
                    continue
                words = _change_words(engine.changes(p.code, quarter))
                flags = tuple(
                    _with_change(f, words.get((f.strand, f.rule_id, f.subject)))
                    for f in p.flags)
                programmes[i] = _replace(p, flags=flags,
                                         engine_rag=dict(engine.rag(p.code, quarter)))
        except Exception:  # the engine is optional here; the stored flags still report
            return

    # ---------------------------------------------------------------------------- write

    def write(self, codes: Sequence[str], quarter: str, output: Path | str, *,
              sections: Sequence[str] | None = None,
              suppression_threshold: int = R.DEFAULT_SUPPRESSION_THRESHOLD,
              png_dir: Path | str | None = None, progress: Progress = no_progress,
              cancelled: IsCancelled = never,
              generated_at: datetime | None = None) -> ReportResult:
        from coprod_me.reports.quarterly_sheets import all_charts, build_sheets
        from coprod_me.reports.quarterly_workbook import build_workbook, discard

        output = Path(output)
        if output.suffix.lower() != ".xlsx":
            raise DomainError(f"{output.name}: a report is an Excel workbook; name it .xlsx")
        if not output.parent.is_dir():
            raise DomainError(f"folder {output.parent} does not exist; create it first")
        progress(0, 100, "Reading the programmes")
        report = self.read_model(codes, quarter, sections=sections,
                                 suppression_threshold=suppression_threshold,
                                 generated_at=generated_at, cancelled=cancelled)
        if cancelled():
            raise Cancelled("report cancelled")
        progress(30, 100, "Building the sheets")
        sheets = build_sheets(report)
        wb = build_workbook(report, sheets)
        if cancelled():
            discard(wb)
            raise Cancelled("report cancelled")
        progress(60, 100, f"Writing {output.name}")
        _save_atomically(wb, output, cancelled)
        charts = all_charts(sheets)
        pngs: list[Path] = []
        if png_dir is not None:
            from coprod_me.reports.quarterly_pictures import save_pngs

            folder = Path(png_dir)
            folder.mkdir(parents=True, exist_ok=True)

            def png_progress(done: int, total: int, message: str) -> None:
                progress(80 + 20 * done // max(total, 1), 100, message)
            pngs = save_pngs(charts, folder, progress=png_progress, cancelled=cancelled)
        progress(100, 100, f"Wrote {output.name}")
        return ReportResult(
            output, report.quarter, [p.code for p in report.programmes],
            list(report.sheet_names), len(charts), pngs, suppression_threshold,
            {p.code: p.flags is not None for p in report.programmes})

    def quarters(self, codes: Sequence[str]) -> list[str]:
        """Quarters with observations for these programmes, latest first (for pickers)."""
        with self.store.read() as s:
            ids = list(s.scalars(select(M.Programme.id).where(col(M.Programme.code).in_(codes))))
            rows = s.scalars(select(M.Observation.period).distinct().join(
                M.Indicator, col(M.Indicator.id) == M.Observation.indicator_id).where(
                col(M.Indicator.programme_id).in_(ids)))
            return sorted(set(rows), reverse=True)

    def programme_codes(self) -> list[tuple[str, str]]:
        with self.store.read() as s:
            return [(c, n) for c, n in s.execute(
                select(M.Programme.code, M.Programme.name).order_by(M.Programme.code))]


def _save_atomically(wb: Any, output: Path, cancelled: IsCancelled) -> None:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{output.stem}.", suffix=".xlsx.partial",
                                    dir=output.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        wb.save(tmp)
        if cancelled():
            raise Cancelled("report cancelled")
        os.replace(tmp, output)  # atomic on one file system: whole report or none
    finally:
        tmp.unlink(missing_ok=True)


# ------------------------------------------------------------------------------ queries


def _programme(s: Session, code: str, q: str) -> R.ProgrammeData:
    p = s.scalars(select(M.Programme).where(M.Programme.code == code)).first()
    if p is None:
        raise NotFound(f"no programme with code '{code}'; 'coprod-me list' shows the codes")
    pid = p.id
    strands = list(s.scalars(select(M.Strand).where(M.Strand.programme_id == pid)))
    strand_code = {st.id: st.code for st in strands}
    actor_code: dict[int | None, str] = {
        i: c for i, c in s.execute(select(M.Actor.id, M.Actor.code))}
    evidence_code: dict[int | None, str] = {i: c for i, c in s.execute(
        select(M.Evidence.id, M.Evidence.code).where(M.Evidence.programme_id == pid))}
    period = s.scalars(select(M.ReportingPeriod).where(
        M.ReportingPeriod.programme_id == pid, M.ReportingPeriod.quarter == q)).first()

    indicators = list(s.scalars(select(M.Indicator).where(M.Indicator.programme_id == pid)))
    ind_code = {i.id: i.code for i in indicators}
    ind_ids = list(ind_code)
    # Core rows, not ORM objects: a large programme has tens of thousands of observations
    # and building an object for each one cost more than writing the report
    ot = M.table_of(M.Observation)
    observations = s.execute(core_select(
        ot.c.id, ot.c.indicator_id, ot.c.strand_id, ot.c.period, ot.c.dims_key, ot.c.value,
        ot.c.numerator, ot.c.denominator, ot.c.n_sample, ot.c.quality_status,
        ot.c.verification_type).where(ot.c.indicator_id.in_(ind_ids),
                                      ot.c.period <= q)).all()
    parsed_dims: dict[str, tuple[tuple[str, str], ...]] = {}
    dims_of: dict[int, tuple[tuple[str, str], ...]] = {}
    for ob in observations:
        dims = parsed_dims.get(ob.dims_key)
        if dims is None:
            dims = parsed_dims[ob.dims_key] = tuple(sorted(parse_dims_key(ob.dims_key).items()))
        dims_of[ob.id] = dims
    measurements = tuple(R.Measurement(
        ind_code[o.indicator_id], strand_code.get(o.strand_id) if o.strand_id else None,
        o.period, dims_of[o.id], o.value, o.numerator, o.denominator, o.n_sample,
        o.quality_status, o.verification_type) for o in observations)
    targets = tuple(R.TargetValue(ind_code[t.indicator_id],
                                  strand_code.get(t.strand_id) if t.strand_id else None,
                                  t.period, t.value)
                    for t in s.scalars(select(M.Target).where(
                        col(M.Target.indicator_id).in_(ind_ids))))
    links = tuple(sorted((R.Link(ind_code[lk.from_indicator_id], ind_code[lk.to_indicator_id],
                                 lk.assumption_text, lk.strength)
                          for lk in s.scalars(select(M.ResultLink).where(
                              col(M.ResultLink.from_indicator_id).in_(ind_ids)))
                          if lk.to_indicator_id in ind_code),
                         key=lambda lk: (lk.output, lk.outcome)))

    def sc(strand_id: int | None) -> str | None:
        return strand_code.get(strand_id) if strand_id is not None else None

    def refs(obj: Any, column: Any) -> Any:
        target = {"strand_id": strand_code, "evidence_id": evidence_code,
                  "co_defined_evidence_id": evidence_code}.get(column.attr)
        value = (obj.get(column.attr) if isinstance(obj, dict)
                 else getattr(obj, column.attr, None))
        if column.kind == "ref":
            return target.get(value) if target is not None and value is not None else None
        return value

    ind_spec = SHEETS_BY_NAME["Indicators"]
    infos = tuple(R.IndicatorInfo(
        code=i.code, name=i.name, result_level=i.result_level, rba_quadrant=i.rba_quadrant,
        unit=i.unit, direction=i.direction, baseline_value=i.baseline_value,
        baseline_period=i.baseline_period, amber_at=i.amber_at, red_at=i.red_at,
        range_min=i.range_min, range_max=i.range_max,
        accountability_type=i.accountability_type, verification_type=i.verification_type,
        evidence_standard=i.evidence_standard, is_cumulative=i.is_cumulative,
        disaggregation_required=tuple(x.strip() for x in (i.disaggregation_required or "")
                                      .split(",") if x.strip()),
        definition_fields=tuple((c.header, refs(i, c)) for c in ind_spec.columns
                                if c.header != "programme_code"))
        for i in indicators)

    obs_spec = SHEETS_BY_NAME["Observations"]
    raw = []
    this_quarter = [dict(r) for r in s.execute(core_select(ot).where(
        ot.c.indicator_id.in_(ind_ids), ot.c.period == q)).mappings()]
    for rec in sorted(this_quarter, key=lambda r: (ind_code[r["indicator_id"]],
                                                  strand_code.get(r["strand_id"], ""),
                                                  r["dims_key"])):
        row: dict[str, Any] = {}
        for c in obs_spec.columns:
            if c.header == "programme_code":
                row[c.header] = p.code
            elif c.header == "indicator_code":
                row[c.header] = ind_code[rec["indicator_id"]]
            else:
                row[c.header] = refs(rec, c)
        for dim, cat in dims_of[rec["id"]]:
            row[DIM_PREFIX + dim] = cat
        raw.append(row)

    participation = tuple(R.ParticipationCounts(
        sc(r.strand_id), r.period, r.phase, r.group_dimension, r.group_category, r.registered,
        r.active, r.new, r.continuing_active, r.exited, r.started_tasks, r.completed_tasks)
        for r in s.scalars(select(M.ParticipationRecord).where(
            M.ParticipationRecord.programme_id == pid, M.ParticipationRecord.period <= q)))
    population = tuple(R.Population(sc(r.strand_id), r.group_dimension, r.group_category,
                                    r.population_count, r.year)
                       for r in s.scalars(select(M.PopulationReference).where(
                           M.PopulationReference.programme_id == pid)))

    any_flags = s.scalars(select(M.RiskFlag.id).where(M.RiskFlag.programme_id == pid)
                          ).first() is not None
    prev = str(Quarter.parse(q).previous())
    flags: tuple[R.Flag, ...] | None = None
    if any_flags:
        flags = tuple(_flag(f, sc(f.strand_id)) for f in s.scalars(
            select(M.RiskFlag).where(M.RiskFlag.programme_id == pid,
                                     col(M.RiskFlag.period).in_([q, prev]))))

    answers: dict[tuple[str | None, str], list[M.ChecklistResponse]] = defaultdict(list)
    for resp in s.scalars(select(M.ChecklistResponse).where(
            M.ChecklistResponse.programme_id == pid, M.ChecklistResponse.period <= q)):
        answers[(sc(resp.strand_id), resp.item_code)].append(resp)
    checklist = []
    for (strand, item), rs in answers.items():
        rs.sort(key=lambda c: c.period)
        last = rs[-1]
        checklist.append(R.ChecklistAnswer(strand, last.period, item, last.answer,
                                           rs[-2].answer if len(rs) > 1 else None,
                                           last.comment))

    end = Quarter.parse(q).end
    assessments = [a for a in s.scalars(select(M.CapacityAssessment).where(
        M.CapacityAssessment.programme_id == pid)) if a.assessed_on <= end]
    latest: dict[tuple[str, int | None], list[M.CapacityAssessment]] = defaultdict(list)
    for a in assessments:
        latest[(a.actor_scope, a.actor_id)].append(a)
    scores: dict[int, dict[tuple[str, str], M.CapacityScore]] = defaultdict(dict)
    for cs in s.scalars(select(M.CapacityScore).where(col(M.CapacityScore.assessment_id).in_(
            [a.id for a in assessments]))):
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
                a.code, a.actor_scope, actor_code.get(a.actor_id) if a.actor_id else None,
                a.assessed_on, a.method, level, competence, cs.score, cs.descriptor, cs.notes,
                old.score if old else None))

    sponsors_rows = list(s.scalars(select(M.Sponsor).where(M.Sponsor.programme_id == pid)))
    sponsor_code = {sp.id: sp.code for sp in sponsors_rows}
    funding = tuple(R.FundingInfo(
        f.code, f.name, sc(f.strand_id), f.type,
        actor_code.get(f.funder_actor_id) if f.funder_actor_id else None,
        sponsor_code.get(f.sponsor_id) if f.sponsor_id else None, f.committed_amount,
        f.period_start, f.period_end, f.is_renewable, f.renewal_decision_date)
        for f in s.scalars(select(M.FundingSource).where(M.FundingSource.programme_id == pid)))
    spend = tuple(R.SpendAmount(sc(r.strand_id), r.period, r.amount)
                  for r in s.scalars(select(M.SpendRecord).where(
                      M.SpendRecord.programme_id == pid, M.SpendRecord.period <= q)))
    sponsors = tuple(R.SponsorInfo(sp.code, sc(sp.strand_id), sp.office_title, sp.party,
                                   sp.term_end_date, sp.next_election_date,
                                   sp.commitment_beyond_term) for sp in sponsors_rows)

    obs_by_id = {o.id: o for o in observations}
    revisions = tuple(R.RevisionInfo(
        ind_code[obs_by_id[r.observation_id].indicator_id],
        sc(obs_by_id[r.observation_id].strand_id), obs_by_id[r.observation_id].period,
        dims_of[r.observation_id], r.revision, r.value, r.reason, r.revised_by, r.revised_at)
        for r in s.scalars(select(M.ObservationRevision).join(
            ot, ot.c.id == M.ObservationRevision.observation_id).where(
            ot.c.indicator_id.in_(ind_ids), ot.c.period <= q)))
    batches = tuple(R.BatchInfo(b.file_name, b.kind, b.imported_at, b.user, b.rows_created,
                                b.rows_updated, b.rows_rejected, b.reverted_at is not None)
                    for b in s.scalars(select(M.ImportBatch).where(
                        M.ImportBatch.programme_code == code)))
    if not batches and p.import_batch_id is not None:
        b = s.get(M.ImportBatch, p.import_batch_id)
        if b is not None:
            batches = (R.BatchInfo(b.file_name, b.kind, b.imported_at, b.user, b.rows_created,
                                   b.rows_updated, b.rows_rejected,
                                   b.reverted_at is not None),)
    notes = tuple(R.NoteText(n.entity, n.entity_key, n.period, n.text)
                  for n in s.scalars(select(M.Note).where(M.Note.programme_id == pid)))

    return R.ProgrammeData(
        code=p.code, name=p.name, is_sample=p.is_sample, sample_note=p.sample_note,
        currency=p.currency, institutional_status=p.institutional_status,
        transition_plan_approved=p.transition_plan_approved,
        planned_end_date=p.planned_end_date,
        classification=tuple((k, getattr(p, k)) for k in _CLASSIFICATION),
        period_status=period.status if period else None,
        data_cutoff_date=period.data_cutoff_date if period else None,
        locked_by=period.locked_by if period else None,
        strands=tuple(R.StrandInfo(st.code, st.name, st.type, st.institutional_status,
                                   st.transition_plan_approved, st.end_date)
                      for st in sorted(strands, key=lambda st: st.code)),
        indicators=infos, measurements=measurements, targets=targets, links=links,
        participation=participation, population=population, flags=flags,
        checklist=tuple(checklist), capacity=tuple(capacity), funding=funding, spend=spend,
        sponsors=sponsors, revisions=revisions, batches=batches, notes=notes,
        raw_observations=tuple(raw))


def _flag(f: M.RiskFlag, strand: str | None) -> R.Flag:
    return R.Flag(
        strand=strand, period=f.period, rule_id=f.rule_id, subject=f.subject,
        category=f.category, computed_severity=f.computed_severity, severity=f.severity,
        status=f.status, trigger=_flatten(f.trigger_snapshot),
        first_raised_period=f.first_raised_period, consecutive_periods=f.consecutive_periods,
        evaluator_judgement=f.evaluator_judgement, override_severity=f.override_severity,
        override_reason=f.override_reason, mitigation=f.mitigation, owner=f.owner,
        due_date=f.due_date)


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


def _change_words(changes: Any) -> dict[tuple[str | None, str, str], str]:
    """The engine's changes as (strand, rule, subject) -> new / escalated / closed.

    Accepts a mapping of kind -> flags or an object with ``new``/``escalated``/``closed``
    attributes; anything else is ignored and the report works the changes out itself.
    """
    out: dict[tuple[str | None, str, str], str] = {}
    for kind in ("new", "escalated", "closed"):
        items = changes.get(kind) if isinstance(changes, dict) else getattr(changes, kind, None)
        for f in items or ():
            strand = getattr(f, "strand", None) or getattr(f, "strand_code", None)
            rule = getattr(f, "rule_id", None)
            if rule is None:
                continue
            out[(strand, rule, getattr(f, "subject", "") or "")] = kind
    return out


def _with_change(f: R.Flag, change: str | None) -> R.Flag:
    return f if change is None else _replace(f, change=change)


def _replace(obj: Any, **kw: Any) -> Any:
    from dataclasses import replace
    return replace(obj, **kw)
