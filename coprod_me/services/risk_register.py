"""The risk register: run the rules, keep flag history per quarter, and the flag lifecycle.

``RiskService.run`` builds read-model snapshots (``services.risk_snapshot``), lets the pure
rules of ``coprod_me.risks`` find flags, and writes them in one audited transaction; Cancel
leaves nothing. Lifecycle (issue 5 §5): open, acknowledged, mitigating, closed_resolved,
closed_false_positive, suppressed_insufficient_data. A flag raised again in the next quarter
carries its lifecycle forward; a closed flag re-opens when its triggering metric moves by
20 % or more. Closing or overriding needs a reason; every change is audited by the store.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from coprod_me.model import entities as M
from coprod_me.model.enums import ChecklistAnswer, RiskCategory
from coprod_me.model.errors import Cancelled, DomainError, NotFound, ValidationFailed
from coprod_me.model.progress import IsCancelled, Progress, never, no_progress
from coprod_me.model.quarter import Quarter
from coprod_me.queries.programmes import get_programme
from coprod_me.queries.risk_snapshot import build_snapshots
from coprod_me.risks.definitions import (
    ChecklistItem,
    RuleDefinition,
    load_checklist_items,
    load_rules,
)
from coprod_me.risks.engine import CLOSED_STATUSES, OPEN_STATUSES, evaluate, rollup
from coprod_me.risks.kit import SEVERITIES, Finding, rank
from coprod_me.risks.snapshot import ProgrammeSnapshot
from coprod_me.store.session import Store, current_user, insert_audited, now

REOPEN_MOVE = 0.20  # a closed flag re-opens when its triggering metric moves this much [CONV]
SUPPRESSED = "suppressed_insufficient_data"


@dataclass(frozen=True)
class FlagView:
    """One row of the register, with everything the detail pane shows."""

    id: int
    rule_id: str
    rule_title: str
    category: str
    programme: str
    strand: str | None
    subject: str
    quarter: str
    severity: str  # effective: the override if any, else the computed severity
    computed_severity: str
    status: str
    why: str
    metrics: dict[str, Any]
    thresholds: list[dict[str, Any]]
    citations: list[str]
    first_raised_period: str | None
    consecutive_periods: int
    mitigation: str | None
    owner: str | None
    due_date: date | None
    override_severity: str | None
    override_reason: str | None
    evaluator_judgement: str | None
    rule_type: str = "computed"
    rule_version: int = 1
    inputs: dict[str, Any] = field(default_factory=dict)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


@dataclass(frozen=True)
class RunSummary:
    programmes: int
    flags: int
    new: int
    escalated: int
    closed: int
    reopened: int
    suppressed: int
    seconds: float
    kept_quarters: int = 0  # judged locked quarters, not evaluated again: their flags stand


@dataclass(frozen=True)
class RuleView:
    id: str
    category: str
    type: str
    title: str
    rationale: str
    citations: list[str]
    params: list[dict[str, Any]]  # name, label, value, tag, default, overridden, reason
    version: int = 1
    enabled: bool = True
    logic: str = ""
    severity_logic: list[dict[str, str]] = field(default_factory=list)
    window_periods: int | None = None
    min_n: int | None = None


@dataclass(frozen=True)
class ChecklistItemView:
    code: str
    category: str
    question: str
    help: str
    risk_answer: str
    severity_if_risk: str
    evidence_required: bool
    citations: list[str]
    severity_if_partly: str | None = None  # only CDQ-1: partly -> medium


@dataclass(frozen=True)
class ChecklistAnswerView(ChecklistItemView):
    answer: str | None = None
    comment: str | None = None
    evidence: str | None = None
    respondent: str | None = None
    strand: str | None = None
    # evidence records attached to this answer (EvidenceLinks of the programme workbook)
    linked_evidence: tuple[str, ...] = ()


def _item_view(i: ChecklistItem) -> ChecklistItemView:
    return ChecklistItemView(i.code, i.category, i.question, i.help, i.risk_answer,
                             i.severity_if_risk, i.evidence_required, list(i.citations),
                             i.severity_if_partly)


@dataclass(frozen=True)
class RiskRunView:
    ran_at: datetime
    user: str
    up_to: str | None
    flags: int


# the rule whose min_n decides which breakdown groups are big enough to compare
SPREAD_RULE = "EQ-2"


def _title(rule_id: str) -> str:
    rule = load_rules().get(rule_id)
    if rule is not None:
        return rule.title
    item = load_checklist_items().get(rule_id)
    return f"Checklist: {item.question}" if item else rule_id


def _required(text: str | None, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationFailed([f"{what} is required; say why (it is kept in the audit log)"],
                               f"{what} missing; nothing was saved")
    return text


def _primary_of(snapshot: dict[str, Any], name: str | None = None) -> tuple[str, float] | None:
    p = snapshot.get("primary")
    if isinstance(p, dict) and isinstance(p.get("value"), (int, float)):
        return str(p["name"]), float(p["value"])
    # snapshots written by hand (a workbook's RiskFlags sheet) may only name the metric
    for source in (snapshot, snapshot.get("metrics") or {}):
        if name and isinstance(source.get(name), (int, float)):
            return name, float(source[name])
    return None


def moved(old_snapshot: str | None, finding: Finding) -> bool:
    """Has the triggering metric moved by 20 % or more since the flag was closed?"""
    if finding.primary is None:
        return False
    try:
        old = json.loads(old_snapshot or "{}")
    except ValueError:
        return False
    before = _primary_of(old, finding.primary[0])
    if before is None:
        return False
    base = abs(before[1])
    if base == 0:
        return finding.primary[1] != 0
    return abs(finding.primary[1] - before[1]) / base >= REOPEN_MOVE


_FLAG_TABLE = M.table_of(M.RiskFlag)
_FLAG_COLUMNS = tuple(c.name for c in _FLAG_TABLE.c)


class _NewFlag:
    """A flag this run creates: the columns of ``RiskFlag`` as plain attributes.

    Building tens of thousands of instrumented SQLModel objects and letting the unit of work
    insert them cost more than the rules themselves; these are written in one executemany
    per programme by ``_insert_flags``, which also writes the audit rows the store's flush
    hook would have written for them, field for field.
    """

    __slots__ = _FLAG_COLUMNS

    def __init__(self, programme_id: int, strand_id: int | None, period: str, rule_id: str,
                 rule_version: int, subject: str, category: str, computed_severity: str,
                 severity: str, status: str, trigger_snapshot: str,
                 first_raised_period: str, consecutive_periods: int) -> None:
        self.id: int | None = None
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
        self.evaluator_judgement: str | None = None
        self.override_severity: str | None = None
        self.override_reason: str | None = None
        self.mitigation: str | None = None
        self.owner: str | None = None
        self.due_date: date | None = None
        self.import_batch_id: int | None = None


def _insert_flags(s: Session, rows: list[_NewFlag]) -> None:
    """Insert the new flags in one executemany, each audited as the store audits an insert;
    the flags land where the unit of work put them, before the run's deletes."""
    records = [{c: getattr(r, c) for c in _FLAG_COLUMNS} for r in rows]
    first = insert_audited(s, _FLAG_TABLE, records)
    for i, r in enumerate(rows, start=first):
        r.id = i


class RiskService:
    def __init__(self, store: Store) -> None:
        self.store = store

    # ------------------------------------------------------------------------------------
    # Running the rules

    def run(self, code: str | None = None, *, quarter: str | None = None,
            progress: Progress = no_progress, cancelled: IsCancelled = never) -> RunSummary:
        """Every enabled rule for one programme (None = all), every quarter up to ``quarter``."""
        start = time.perf_counter()
        up_to = str(Quarter.parse(quarter)) if quarter else None
        counts: dict[str, int] = defaultdict(int)
        # Evaluate on a read session (other writers are not held up while the rules think),
        # then write everything in one audited transaction; Cancel before it leaves nothing.
        results = self.evaluations(code, quarter=quarter, cancelled=cancelled,
                                   progress=lambda i, n, m: progress(i, 2 * n, m))
        total = len(results)
        with self.store.session(reason="risk rules run") as s:
            for i, (snap, findings) in enumerate(results):
                if cancelled():
                    raise Cancelled("running the risk rules")
                progress(total + i, 2 * total, f"saving flags: {snap.code}")
                self._persist(s, snap, findings, up_to, counts)
                self._record_run(s, snap.id, up_to, len(findings))
                self._freeze_judged(s, snap, up_to)
                counts["kept"] += sum(1 for q in snap.frozen_quarters
                                      if up_to is None or q <= up_to)
            if cancelled():
                raise Cancelled("running the risk rules")
        progress(2 * total, 2 * total, "risk rules done")
        return RunSummary(total, counts["flags"], counts["new"], counts["escalated"],
                          counts["closed"], counts["reopened"], counts["suppressed"],
                          time.perf_counter() - start, counts["kept"])

    def evaluations(self, code: str | None = None, *, quarter: str | None = None,
                    progress: Progress = no_progress, cancelled: IsCancelled = never
                    ) -> list[tuple[ProgrammeSnapshot, list[Finding]]]:
        """What the rules find now for one programme (None = all), without saving: every
        quarter up to ``quarter`` except the locked quarters they already judged, whose
        stored flags stand (and carry persistence into the next quarter)."""
        up_to = str(Quarter.parse(quarter)) if quarter else None
        with self.store.read() as s:
            if code is not None:
                get_programme(s, code)
            snaps = self._snapshots(s, code)
            overrides = self._overrides(s, [sn.id for sn in snaps])
            frozen = self._frozen_findings(s, snaps)
        out = []
        for i, snap in enumerate(snaps):
            if cancelled():
                raise Cancelled("running the risk rules")
            progress(i, len(snaps), f"risk rules: {snap.code}")
            out.append((snap, evaluate(snap, up_to=up_to, overrides=overrides.get(snap.id, {}),
                                       frozen=frozen.get(snap.id, ()))))
        return out

    def evaluate(self, code: str, *, quarter: str | None = None) -> list[Finding]:
        """What the rules find now, without saving anything (for previews and tests)."""
        return self.evaluations(code, quarter=quarter)[0][1]

    @staticmethod
    def _frozen_findings(s: Session, snaps: list[ProgrammeSnapshot]
                         ) -> dict[int, list[Finding]]:
        """The stored flags of each frozen quarter that a judged quarter follows: what a
        quarter's persistence (and CL-7) looks back at, without judging the frozen one again."""
        wanted: set[tuple[int, str]] = set()
        for snap in snaps:
            for q in snap.frozen_quarters:
                if str(Quarter.parse(q).shift(1)) not in snap.frozen_quarters:
                    wanted.add((snap.id, q))
        out: dict[int, list[Finding]] = defaultdict(list)
        if not wanted:
            return out
        codes = {sn.id: sn.strand_code for sn in snaps}
        f = M.table_of(M.RiskFlag)
        rows = s.execute(sa.select(
            f.c.programme_id, f.c.strand_id, f.c.period, f.c.rule_id, f.c.subject,
            f.c.category, f.c.computed_severity, f.c.status, f.c.first_raised_period,
            f.c.consecutive_periods).where(
            f.c.programme_id.in_({p for p, _ in wanted}),
            f.c.period.in_({q for _, q in wanted})))
        for pid, sid, period, rule_id, subject, category, sev, status, first, count in rows:
            if (pid, period) not in wanted:
                continue
            strand = codes[pid].get(sid) if sid is not None else None
            out[pid].append(Finding(
                rule_id, category, strand, subject or "", period, sev, "",
                suppressed=status == SUPPRESSED, first_raised=first or period,
                consecutive=count or 1))
        return out

    @staticmethod
    def _freeze_judged(s: Session, snap: ProgrammeSnapshot, up_to: str | None) -> None:
        """A locked quarter judged for the first time keeps these flags from now on."""
        todo = [q for q, status in snap.period_status.items() if status == "locked"
                and q not in snap.frozen_quarters and (up_to is None or q <= up_to)]
        if not todo:
            return
        for period in s.scalars(select(M.ReportingPeriod).where(
                M.ReportingPeriod.programme_id == snap.id,
                col(M.ReportingPeriod.quarter).in_(todo),
                col(M.ReportingPeriod.rules_ran_at).is_(None))):
            period.rules_ran_at = now()

    @staticmethod
    def _record_run(s: Session, programme_id: int, up_to: str | None, flags: int) -> None:
        row = s.scalars(select(M.RiskRun).where(
            M.RiskRun.programme_id == programme_id)).first()
        user = s.info.get("user") or current_user()
        if row is None:
            s.add(M.RiskRun(programme_id=programme_id, ran_at=now(), user=user, up_to=up_to,
                            flags=flags))
        else:
            row.ran_at, row.user, row.up_to, row.flags = now(), user, up_to, flags

    def last_run(self, code: str) -> RiskRunView | None:
        """When the rules last ran for this programme; None if they never did (its badges
        then say "not checked", not "clear")."""
        with self.store.read() as s:
            prog = get_programme(s, code)
            row = s.scalars(select(M.RiskRun).where(M.RiskRun.programme_id == prog.id)).first()
            return None if row is None else RiskRunView(row.ran_at, row.user, row.up_to,
                                                        row.flags)

    @staticmethod
    def _snapshots(s: Session, code: str | None) -> list[Any]:
        """Snapshots of one programme (None = all). The groups a breakdown compares are cut
        at EQ-2's minimum n inside the aggregate query, so a programme that overrides that
        minimum gets its own query with its own cut."""
        default = load_rules()[SPREAD_RULE].min_n or 30
        custom = {pid: int(json.loads(v)) for pid, v in s.execute(
            select(M.RuleParameterOverride.programme_id, M.RuleParameterOverride.value_json)
            .where(M.RuleParameterOverride.rule_id == SPREAD_RULE,
                   M.RuleParameterOverride.param == "min_n"))}
        codes = dict(s.execute(select(M.Programme.id, M.Programme.code).where(
            col(M.Programme.id).in_(list(custom)))).all()) if custom else {}
        if code is not None:
            pid = next((p for p, c in codes.items() if c == code), None)
            return build_snapshots(s, [code], min_n=custom.get(pid, default)
                                   if pid is not None else default)
        own = {codes[pid]: n for pid, n in custom.items() if pid in codes}
        snaps = [sn for sn in build_snapshots(s, None, min_n=default) if sn.code not in own]
        for c, n in own.items():
            snaps += build_snapshots(s, [c], min_n=n)
        return sorted(snaps, key=lambda sn: sn.code)

    @staticmethod
    def _overrides(s: Session, ids: list[int]) -> dict[int, dict[str, dict[str, Any]]]:
        out: dict[int, dict[str, dict[str, Any]]] = defaultdict(lambda: defaultdict(dict))
        for o in s.scalars(select(M.RuleParameterOverride).where(
                col(M.RuleParameterOverride.programme_id).in_(ids))):
            out[o.programme_id][o.rule_id][o.param] = json.loads(o.value_json)
        return out

    def _persist(self, s: Session, snap: Any, findings: list[Finding], up_to: str | None,
                 counts: dict[str, int]) -> None:
        rules = load_rules()
        strand_id = {code: st.id for code, st in snap.strands.items()}
        existing = list(s.scalars(select(M.RiskFlag).where(M.RiskFlag.programme_id == snap.id)))
        by_key: dict[tuple[int | None, str, str, str], Any] = {
            (f.strand_id, f.period, f.rule_id, f.subject): f for f in existing}
        locked = {q for q, st in snap.period_status.items() if st == "locked"}
        evaluated = {q for q in snap.quarters if (up_to is None or q <= up_to)
                     and q not in snap.frozen_quarters}
        seen: set[tuple[int | None, str, str, str]] = set()
        created: list[_NewFlag] = []
        for f in sorted(findings, key=lambda f: (f.quarter, f.rule_id, f.strand or "",
                                                 f.subject)):
            sid = strand_id.get(f.strand) if f.strand else None
            key = (sid, f.quarter, f.rule_id, f.subject)
            seen.add(key)
            version = rules[f.rule_id].version if f.rule_id in rules else 1
            snapshot = json.dumps(f.snapshot(version), ensure_ascii=False, default=str)
            counts["flags"] += 1
            counts["suppressed"] += f.suppressed
            row = by_key.get(key)
            prev = by_key.get((sid, str(Quarter.parse(f.quarter).previous()), f.rule_id,
                               f.subject))
            if row is None:
                row = _NewFlag(
                    snap.id, sid, f.quarter, f.rule_id, version, f.subject, f.category,
                    f.severity, f.severity, SUPPRESSED if f.suppressed else "open", snapshot,
                    f.first_raised or f.quarter, f.consecutive)
                if not f.suppressed:
                    self._inherit(row, prev, f, counts)
                created.append(row)
                by_key[key] = row
                continue
            if f.quarter in locked:
                continue  # a locked quarter keeps its flags as they were
            was = row.computed_severity
            old_snapshot = row.trigger_snapshot
            row.rule_version = version
            row.category = f.category
            row.computed_severity = f.severity
            row.trigger_snapshot = snapshot
            row.first_raised_period = f.first_raised or f.quarter
            row.consecutive_periods = f.consecutive
            if f.suppressed:
                if row.status == "open":
                    row.status = SUPPRESSED
            elif row.status == SUPPRESSED:
                row.status = "open"
                counts["new"] += 1
            elif row.status in CLOSED_STATUSES and moved(old_snapshot, f):
                row.status = "open"
                counts["reopened"] += 1
            elif rank(f.severity) > rank(was):
                counts["escalated"] += 1
            row.severity = row.override_severity or f.severity
        _insert_flags(s, created)
        for key, row in list(by_key.items()):
            if key in seen or row.period not in evaluated or row.period in locked:
                continue
            untouched = not (row.mitigation or row.owner or row.override_severity
                             or row.evaluator_judgement)
            if row.status in ("open", SUPPRESSED) and untouched:
                counts["closed"] += row.status == "open"
                s.delete(row)
                del by_key[key]
            elif row.status in ("open", "acknowledged", "mitigating"):
                row.status = "closed_resolved"
                row.evaluator_judgement = ((row.evaluator_judgement or "") +
                                           " [no longer raised by the rules]").strip()
                counts["closed"] += 1

    @staticmethod
    def _inherit(row: Any, prev: Any, f: Finding,
                 counts: dict[str, int]) -> None:
        """A flag raised again next quarter keeps its lifecycle, unless its metric moved."""
        if prev is None or prev.status == SUPPRESSED:
            counts["new"] += 1
            return
        if rank(f.severity) > rank(prev.computed_severity):
            counts["escalated"] += 1
        if prev.status in CLOSED_STATUSES and moved(prev.trigger_snapshot, f):
            counts["reopened"] += 1
            return
        if prev.status == "open":
            return
        row.status = prev.status
        row.evaluator_judgement = prev.evaluator_judgement
        row.mitigation, row.owner, row.due_date = prev.mitigation, prev.owner, prev.due_date
        if prev.override_severity:
            row.override_severity, row.override_reason = (prev.override_severity,
                                                          prev.override_reason)
            row.severity = prev.override_severity

    # ------------------------------------------------------------------------------------
    # The register

    def register(self, code: str, *, quarter: str | None = None, category: str | None = None,
                 severity: str | None = None, status: str | None = None,
                 strand: str | None = None) -> list[FlagView]:
        with self.store.read() as s:
            prog = get_programme(s, code)
            stmt = select(M.RiskFlag).where(M.RiskFlag.programme_id == prog.id)
            if quarter:
                stmt = stmt.where(M.RiskFlag.period == str(Quarter.parse(quarter)))
            if category:
                stmt = stmt.where(M.RiskFlag.category == category)
            if severity:
                stmt = stmt.where(M.RiskFlag.severity == severity)
            if status:
                stmt = stmt.where(M.RiskFlag.status == status)
            strands = self._strand_codes(s, prog.id)
            if strand:
                ids = [i for i, c in strands.items() if c == strand]
                stmt = stmt.where(col(M.RiskFlag.strand_id).in_(ids))
            rows = list(s.scalars(stmt))
        views = [self._view(r, code, strands) for r in rows]
        views.sort(key=lambda v: (v.quarter, rank(v.severity), v.rule_id), reverse=True)
        views.sort(key=lambda v: v.quarter, reverse=True)
        return views

    def flag(self, flag_id: int) -> FlagView:
        with self.store.read() as s:
            row = s.get(M.RiskFlag, flag_id)
            if row is None:
                raise NotFound(f"no risk flag with id {flag_id}; it may have been re-run away")
            prog = s.get(M.Programme, row.programme_id)
            assert prog is not None
            return self._view(row, prog.code, self._strand_codes(s, prog.id))

    def quarters(self, code: str) -> list[str]:
        with self.store.read() as s:
            prog = get_programme(s, code)
            return sorted(set(s.scalars(select(M.RiskFlag.period).where(
                M.RiskFlag.programme_id == prog.id))))

    def rag(self, code: str, quarter: str | None = None) -> dict[str, str | None]:
        """Every category's rolled-up severity of open flags in the quarter; None when clear."""
        qs = self.quarters(code)
        q = str(Quarter.parse(quarter)) if quarter else (qs[-1] if qs else None)
        flags = self.register(code, quarter=q) if q else []
        by: dict[str, list[str]] = defaultdict(list)
        for f in flags:
            if f.is_open:
                by[f.category].append(f.severity)
        return {c.value: rollup(by.get(c.value, [])) for c in RiskCategory}

    def changes(self, code: str, quarter: str) -> dict[str, list[FlagView]]:
        """New, escalated and closed flags against the previous quarter with flags."""
        q = str(Quarter.parse(quarter))
        earlier = [x for x in self.quarters(code) if x < q]
        now_flags = [f for f in self.register(code, quarter=q)
                     if f.status != SUPPRESSED]
        before = [f for f in self.register(code, quarter=earlier[-1])
                  if f.status != SUPPRESSED] if earlier else []

        def key(f: FlagView) -> tuple[str, str | None, str]:
            return (f.rule_id, f.strand, f.subject)

        prev = {key(f): f for f in before}
        cur = {key(f): f for f in now_flags}
        new = [f for k, f in cur.items() if k not in prev and f.is_open]
        escalated = [f for k, f in cur.items() if k in prev and f.is_open
                     and rank(f.severity) > rank(prev[k].severity)]
        closed = [f for k, f in cur.items() if f.status in CLOSED_STATUSES
                  and (k not in prev or prev[k].is_open)]
        closed += [f for k, f in prev.items() if k not in cur and f.is_open]
        return {"new": new, "escalated": escalated, "closed": closed}

    # ------------------------------------------------------------------------------------
    # Lifecycle

    def _edit(self, flag_id: int, reason: str, **changes: Any) -> FlagView:
        with self.store.session(reason=reason) as s:
            row = s.get(M.RiskFlag, flag_id)
            if row is None:
                raise NotFound(f"no risk flag with id {flag_id}")
            for k, v in changes.items():
                setattr(row, k, v)
            row.severity = row.override_severity or row.computed_severity
        return self.flag(flag_id)

    def acknowledge(self, flag_id: int, *, note: str | None = None) -> FlagView:
        changes: dict[str, Any] = {"status": "acknowledged"}
        if note and note.strip():
            changes["evaluator_judgement"] = note.strip()
        return self._edit(flag_id, note or "acknowledged", **changes)

    def mitigate(self, flag_id: int, *, mitigation: str, owner: str,
                 due_date: date | None = None) -> FlagView:
        problems = [f"{what} is required" for what, v in (("the mitigation", mitigation),
                                                           ("an owner", owner))
                    if not (v or "").strip()]
        if problems:
            raise ValidationFailed(problems, "a mitigation needs what will be done and who owns it")
        return self._edit(flag_id, f"mitigation: {mitigation.strip()}", status="mitigating",
                          mitigation=mitigation.strip(), owner=owner.strip(), due_date=due_date)

    def close(self, flag_id: int, *, false_positive: bool, reason: str) -> FlagView:
        why = _required(reason, "a reason for closing the flag")
        return self._edit(flag_id, why, evaluator_judgement=why,
                          status="closed_false_positive" if false_positive
                          else "closed_resolved")

    def override_severity(self, flag_id: int, severity: str | None, *, reason: str) -> FlagView:
        why = _required(reason, "a reason for the severity override")
        if severity is not None and severity not in SEVERITIES:
            raise ValidationFailed([f"'{severity}' is not a severity; use one of "
                                    f"{', '.join(SEVERITIES)}"])
        return self._edit(flag_id, why, override_severity=severity,
                          override_reason=why if severity is not None else None)

    def restore(self, before: FlagView) -> FlagView:
        """Put the lifecycle fields back as they were in ``before`` (the GUI's undo)."""
        return self._edit(before.id, "undo", status=before.status,
                          mitigation=before.mitigation, owner=before.owner,
                          due_date=before.due_date, override_severity=before.override_severity,
                          override_reason=before.override_reason,
                          evaluator_judgement=before.evaluator_judgement)

    # ------------------------------------------------------------------------------------
    # Rules and their parameters

    def rules(self, code: str | None = None) -> list[RuleView]:
        overrides: dict[tuple[str, str], M.RuleParameterOverride] = {}
        if code is not None:
            with self.store.read() as s:
                prog = get_programme(s, code)
                for o in s.scalars(select(M.RuleParameterOverride).where(
                        M.RuleParameterOverride.programme_id == prog.id)):
                    overrides[(o.rule_id, o.param)] = o
        out = []
        for r in load_rules().values():
            params = []
            for name in r.param_names():
                p = r.params.get(name)
                default = p.value if p else (r.min_n if r.min_n is not None else 30)
                ov = overrides.get((r.rule_id, name))
                params.append({"name": name, "label": p.label if p else "minimum n",
                               "value": json.loads(ov.value_json) if ov else default,
                               "tag": p.tag if p else "CONV", "default": default,
                               "overridden": ov is not None,
                               "reason": ov.reason if ov else None})
            out.append(RuleView(r.rule_id, r.category, r.type, r.title, r.rationale,
                                list(r.citations), params, r.version, r.enabled, r.logic,
                                list(r.severity_logic), r.window_periods, r.min_n))
        return out

    @staticmethod
    def _rule(rule_id: str, param: str) -> RuleDefinition:
        rule = load_rules().get(rule_id)
        if rule is None:
            raise NotFound(f"no risk rule '{rule_id}'; 'coprod-me flags' lists them")
        if param not in rule.param_names():
            raise DomainError(f"rule {rule_id} has no parameter '{param}'; it has "
                              f"{', '.join(rule.param_names())}")
        return rule

    def set_parameter(self, code: str, rule_id: str, param: str, value: Any, *,
                      reason: str) -> None:
        why = _required(reason, "a reason for changing the threshold")
        rule = self._rule(rule_id, param)
        default = rule.values()[param]
        numeric = isinstance(default, (int, float)) and not isinstance(default, bool)
        if numeric and (isinstance(value, bool) or not isinstance(value, (int, float))):
            try:
                value = float(value)
            except (TypeError, ValueError):
                raise ValidationFailed([f"{rule_id} {param} must be a number, not "
                                        f"{value!r}"]) from None
        with self.store.session(reason=why) as s:
            prog = get_programme(s, code)
            row = s.scalars(select(M.RuleParameterOverride).where(
                M.RuleParameterOverride.programme_id == prog.id,
                M.RuleParameterOverride.rule_id == rule_id,
                M.RuleParameterOverride.param == param)).first()
            text = json.dumps(value)
            if row is None:
                assert prog.id is not None
                s.add(M.RuleParameterOverride(programme_id=prog.id, rule_id=rule_id,
                                              param=param, value_json=text, reason=why,
                                              user=s.info.get("user") or current_user(),
                                              set_at=now()))
            else:
                row.value_json, row.reason, row.set_at = text, why, now()

    def clear_parameter(self, code: str, rule_id: str, param: str, *, reason: str) -> None:
        why = _required(reason, "a reason for restoring the default threshold")
        self._rule(rule_id, param)
        with self.store.session(reason=why) as s:
            prog = get_programme(s, code)
            row = s.scalars(select(M.RuleParameterOverride).where(
                M.RuleParameterOverride.programme_id == prog.id,
                M.RuleParameterOverride.rule_id == rule_id,
                M.RuleParameterOverride.param == param)).first()
            if row is not None:
                s.delete(row)

    # ------------------------------------------------------------------------------------
    # Checklists

    def checklist_items(self, category: str | None = None) -> list[ChecklistItemView]:
        return [_item_view(i) for i in load_checklist_items().values()
                if category is None or i.category == category]

    def checklist(self, code: str, quarter: str, *,
                  strand: str | None = None) -> list[ChecklistAnswerView]:
        q = str(Quarter.parse(quarter))
        with self.store.read() as s:
            prog = get_programme(s, code)
            sid = self._strand_id(s, prog.id, strand)
            answers = {r.item_code: r for r in s.scalars(select(M.ChecklistResponse).where(
                M.ChecklistResponse.programme_id == prog.id, M.ChecklistResponse.period == q,
                M.ChecklistResponse.strand_id == sid))}
            # an answer's evidence records are linked by "STRAND|QUARTER|ITEM" (no strand:
            # "|QUARTER|ITEM" or "QUARTER|ITEM")
            linked: dict[str, list[str]] = defaultdict(list)
            for ev_code, key in s.execute(
                    select(M.Evidence.code, M.EvidenceLink.entity_key)
                    .join(M.Evidence, col(M.Evidence.id) == col(M.EvidenceLink.evidence_id))
                    .where(M.Evidence.programme_id == prog.id,
                           M.EvidenceLink.entity == "checklist_response")):
                parts = key.split("|")
                where, period, item_code = (["", *parts] if len(parts) == 2 else parts)[:3]
                if period == q and (where or None) == strand:
                    linked[item_code].append(ev_code)
        out = []
        for item in load_checklist_items().values():
            r = answers.get(item.code)
            base = _item_view(item)
            out.append(ChecklistAnswerView(
                **{k: getattr(base, k) for k in base.__dataclass_fields__},
                answer=r.answer if r else None, comment=r.comment if r else None,
                evidence=r.evidence if r else None, respondent=r.respondent if r else None,
                strand=strand, linked_evidence=tuple(sorted(linked.get(item.code, ())))))
        return out

    def answer(self, code: str, quarter: str, item_code: str, answer: str | None, *,
               comment: str | None = None, evidence: str | None = None,
               strand: str | None = None) -> None:
        """Record (or, with None, remove) an answer; run the rules to see its flag."""
        q = str(Quarter.parse(quarter))
        if item_code not in load_checklist_items():
            raise NotFound(f"no checklist item '{item_code}'")
        if answer is not None and answer not in {a.value for a in ChecklistAnswer}:
            raise ValidationFailed([f"'{answer}' is not an answer; use yes, partly, no, "
                                    "unknown or n/a"])
        with self.store.session(reason=f"checklist {item_code} {q}") as s:
            prog = get_programme(s, code)
            assert prog.id is not None
            sid = self._strand_id(s, prog.id, strand)
            row = s.scalars(select(M.ChecklistResponse).where(
                M.ChecklistResponse.programme_id == prog.id, M.ChecklistResponse.period == q,
                M.ChecklistResponse.strand_id == sid,
                M.ChecklistResponse.item_code == item_code)).first()
            if answer is None:
                if row is not None:
                    s.delete(row)
                return
            if row is None:
                s.add(M.ChecklistResponse(programme_id=prog.id, strand_id=sid, period=q,
                                          item_code=item_code, answer=answer, comment=comment,
                                          evidence=evidence,
                                          respondent=s.info.get("user") or current_user()))
            else:
                row.answer, row.comment, row.evidence = answer, comment, evidence
                row.respondent = s.info.get("user") or current_user()

    # ------------------------------------------------------------------------------------

    @staticmethod
    def _strand_codes(s: Session, programme_id: int | None) -> dict[int | None, str]:
        return {st.id: st.code for st in s.scalars(select(M.Strand).where(
            M.Strand.programme_id == programme_id))}

    def _strand_id(self, s: Session, programme_id: int | None, strand: str | None) -> int | None:
        if strand is None:
            return None
        for i, c in self._strand_codes(s, programme_id).items():
            if c == strand:
                return i
        raise NotFound(f"no strand '{strand}' in this programme")

    @staticmethod
    def _view(r: M.RiskFlag, code: str, strands: dict[int | None, str]) -> FlagView:
        try:
            snap = json.loads(r.trigger_snapshot or "{}")
        except ValueError:
            snap = {}
        metrics = snap.get("metrics")
        if not isinstance(metrics, dict):  # a hand-written snapshot: its top level
            metrics = {k: v for k, v in snap.items()
                       if k not in ("rule_id", "rule_version", "citations", "params", "why")}
        thresholds = snap.get("thresholds")
        if not isinstance(thresholds, list):
            params = snap.get("params") or {}
            thresholds = [{"name": k, "value": v.get("value"), "tag": v.get("tag")}
                          for k, v in params.items() if isinstance(v, dict)]
        assert r.id is not None
        return FlagView(
            id=r.id, rule_id=r.rule_id, rule_title=_title(r.rule_id), category=r.category,
            programme=code, strand=strands.get(r.strand_id) if r.strand_id else None,
            subject=r.subject, quarter=r.period, severity=r.severity,
            computed_severity=r.computed_severity, status=r.status,
            why=str(snap.get("why") or r.evaluator_judgement or _title(r.rule_id)),
            metrics=metrics, thresholds=thresholds, citations=list(snap.get("citations") or []),
            first_raised_period=r.first_raised_period, consecutive_periods=r.consecutive_periods,
            mitigation=r.mitigation, owner=r.owner, due_date=r.due_date,
            override_severity=r.override_severity, override_reason=r.override_reason,
            evaluator_judgement=r.evaluator_judgement,
            rule_type=str(snap.get("rule_type") or (
                "checklist" if r.rule_id in load_checklist_items() else
                load_rules()[r.rule_id].type if r.rule_id in load_rules() else "computed")),
            rule_version=r.rule_version, inputs=snap.get("inputs") or {})
