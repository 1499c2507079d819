"""Running the risk rules: evaluate every programme's snapshot, then save what they find.

``RiskRunService.run`` builds read-model snapshots (``queries.risk_snapshot``), lets the pure
rules of ``coprod_me.risks`` find flags, and writes them in one audited transaction; Cancel
leaves nothing. A flag raised again in the next quarter carries its lifecycle forward; a
closed flag re-opens when its triggering metric moves by 20 % or more; a flag no longer
raised is closed (or, untouched by anyone, deleted). A locked quarter judged once keeps its
flags: later runs do not evaluate it again.

Saving compares the findings with the stored flags of the quarters evaluated (and the
quarter before each, whose lifecycle a new flag inherits) and writes only the difference
(``store.risk_flags.write_flags``): a run that changes nothing writes no flag.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from coprod_me.model import entities as M
from coprod_me.model.errors import Cancelled
from coprod_me.model.progress import IsCancelled, Progress, never, no_progress
from coprod_me.model.quarter import Quarter
from coprod_me.queries.programmes import get_programme, programme_ids
from coprod_me.queries.risk_flags import flag_rows, stored_flags
from coprod_me.queries.risk_runs import last_risk_run, periods_never_judged, risk_runs_of
from coprod_me.queries.risk_snapshot import build_snapshots
from coprod_me.queries.rule_parameters import min_n_overrides, parameter_overrides
from coprod_me.risks.definitions import load_rules
from coprod_me.risks.engine import evaluate
from coprod_me.risks.kit import Finding, rank
from coprod_me.risks.snapshot import ProgrammeSnapshot
from coprod_me.services.flag_register import CLOSED_STATUSES, SUPPRESSED
from coprod_me.store.risk_flags import FlagRow, write_flags
from coprod_me.store.session import Store, current_user, now

REOPEN_MOVE = 0.20  # a closed flag re-opens when its triggering metric moves this much [CONV]
# the rule whose min_n decides which breakdown groups are big enough to compare
SPREAD_RULE = "EQ-2"


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
class RiskRunView:
    ran_at: datetime
    user: str
    up_to: str | None
    flags: int


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


class RiskRunService:
    def __init__(self, store: Store) -> None:
        self.store = store

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
            runs = risk_runs_of(s, [snap.id for snap, _ in results])
            stored = flag_rows(s, {snap.id: _quarters_read(snap, findings, up_to)
                                   for snap, findings in results})
            for i, (snap, findings) in enumerate(results):
                if cancelled():
                    raise Cancelled("running the risk rules")
                progress(total + i, 2 * total, f"saving flags: {snap.code}")
                _persist(s, snap, findings, stored.get(snap.id, []), up_to, counts)
                _record_run(s, runs.get(snap.id), snap.id, up_to, len(findings))
                _freeze_judged(s, snap, up_to)
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
            snaps = _snapshots(s, code)
            overrides = _overrides(s, [sn.id for sn in snaps])
            frozen = _frozen_findings(s, snaps)
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

    def never_checked(self, codes: list[str]) -> list[str]:
        """Those of these programmes the rules never ran for (one query for them all)."""
        with self.store.read() as s:
            ids = programme_ids(s, codes)
            ran = risk_runs_of(s, list(ids.values()))
        return [code for code, pid in ids.items() if pid not in ran]

    def last_run(self, code: str) -> RiskRunView | None:
        """When the rules last ran for this programme; None if they never did (its badges
        then say "not checked", not "clear")."""
        with self.store.read() as s:
            row = last_risk_run(s, get_programme(s, code).id)
            return None if row is None else RiskRunView(row.ran_at, row.user, row.up_to,
                                                        row.flags)


# ----------------------------------------------------------------------------------------
# Reading for a run


def _snapshots(s: Session, code: str | None) -> list[ProgrammeSnapshot]:
    """Snapshots of one programme (None = all). The groups a breakdown compares are cut
    at EQ-2's minimum n inside the aggregate query, so a programme that overrides that
    minimum gets its own query with its own cut."""
    default = load_rules()[SPREAD_RULE].min_n or 30
    own = min_n_overrides(s, SPREAD_RULE)
    if code is not None:
        return build_snapshots(s, [code], min_n=own.get(code, default))
    snaps = [sn for sn in build_snapshots(s, None, min_n=default) if sn.code not in own]
    for c, n in own.items():
        snaps += build_snapshots(s, [c], min_n=n)
    return sorted(snaps, key=lambda sn: sn.code)


def _overrides(s: Session, ids: list[int]) -> dict[int, dict[str, dict[str, Any]]]:
    """The programmes' parameter overrides: programme id -> rule -> parameter -> value."""
    out: dict[int, dict[str, dict[str, Any]]] = defaultdict(lambda: defaultdict(dict))
    for o in parameter_overrides(s, ids):
        out[o.programme_id][o.rule_id][o.param] = json.loads(o.value_json)
    return out


def _frozen_findings(s: Session, snaps: list[ProgrammeSnapshot]) -> dict[int, list[Finding]]:
    """The stored flags of each frozen quarter that a judged quarter follows: what a
    quarter's persistence (and CL-7) looks back at, without judging the frozen one again."""
    wanted: set[tuple[int, str]] = set()
    for snap in snaps:
        for q in snap.frozen_quarters:
            if str(Quarter.parse(q).shift(1)) not in snap.frozen_quarters:
                wanted.add((snap.id, q))
    out: dict[int, list[Finding]] = defaultdict(list)
    codes = {sn.id: sn.strand_code for sn in snaps}
    for f in stored_flags(s, wanted):
        strand = codes[f.programme_id].get(f.strand_id) if f.strand_id is not None else None
        out[f.programme_id].append(Finding(
            f.rule_id, f.category, strand, f.subject or "", f.period, f.computed_severity, "",
            suppressed=f.status == SUPPRESSED, first_raised=f.first_raised_period or f.period,
            consecutive=f.consecutive_periods or 1))
    return out


# ----------------------------------------------------------------------------------------
# Saving a run


def _freeze_judged(s: Session, snap: ProgrammeSnapshot, up_to: str | None) -> None:
    """A locked quarter judged for the first time keeps these flags from now on."""
    todo = [q for q, status in snap.period_status.items() if status == "locked"
            and q not in snap.frozen_quarters and (up_to is None or q <= up_to)]
    if not todo:
        return
    for period in periods_never_judged(s, snap.id, todo):
        period.rules_ran_at = now()


def _record_run(s: Session, row: M.RiskRun | None, programme_id: int, up_to: str | None,
                flags: int) -> None:
    user = s.info.get("user") or current_user()
    if row is None:
        s.add(M.RiskRun(programme_id=programme_id, ran_at=now(), user=user, up_to=up_to,
                        flags=flags))
    else:
        row.ran_at, row.user, row.up_to, row.flags = now(), user, up_to, flags


FlagKey = tuple[int | None, str, str, str]  # strand id, quarter, rule, subject


def _evaluated(snap: ProgrammeSnapshot, up_to: str | None) -> set[str]:
    """The quarters a run judges now: up to ``up_to``, the frozen ones left out."""
    return {q for q in snap.quarters if (up_to is None or q <= up_to)
            and q not in snap.frozen_quarters}


def _quarters_read(snap: ProgrammeSnapshot, findings: list[Finding], up_to: str | None
                   ) -> set[str]:
    """The quarters whose stored flags a run compares its findings with: those it evaluated
    (or found something in), and the quarter before each, whose lifecycle a new flag
    inherits. The other quarters' flags are neither read nor written."""
    found = _evaluated(snap, up_to) | {f.quarter for f in findings}
    return found | {str(Quarter.parse(q).previous()) for q in found}


def _persist(s: Session, snap: ProgrammeSnapshot, findings: list[Finding],
             stored: list[FlagRow], up_to: str | None, counts: dict[str, int]) -> None:
    """Save a programme's findings as flags, against its ``stored`` flags of the quarters
    read: new ones inserted, stored ones updated where they changed, and the flags of judged
    quarters no longer raised closed (or deleted, untouched); only what changed is
    written."""
    strand_id = {code: st.id for code, st in snap.strands.items()}
    locked = {q for q, st in snap.period_status.items() if st == "locked"}
    evaluated = _evaluated(snap, up_to)
    by_key: dict[FlagKey, FlagRow] = {(f.strand_id, f.period, f.rule_id, f.subject): f
                                      for f in stored}
    seen: set[FlagKey] = set()
    created: list[FlagRow] = []
    for f in sorted(findings, key=lambda f: (f.quarter, f.rule_id, f.strand or "",
                                             f.subject)):
        sid = strand_id.get(f.strand) if f.strand else None
        key = (sid, f.quarter, f.rule_id, f.subject)
        seen.add(key)
        counts["flags"] += 1
        counts["suppressed"] += f.suppressed
        row = by_key.get(key)
        if row is None:
            row = _new_flag(snap.id, sid, f, by_key, counts)
            created.append(row)
            by_key[key] = row
        elif f.quarter not in locked:  # a locked quarter keeps its flags as they were
            _update(row, f, counts)
    deleted = _close_unraised(by_key, seen, evaluated, locked, counts)
    gone = {id(r) for r in deleted}
    write_flags(s, created=created, kept=[r for r in stored if id(r) not in gone],
                deleted=deleted)


def _snapshot_text(f: Finding) -> tuple[int, str]:
    """The rule version and the trigger snapshot (JSON) stored with a finding's flag."""
    rules = load_rules()
    version = rules[f.rule_id].version if f.rule_id in rules else 1
    return version, json.dumps(f.snapshot(version), ensure_ascii=False, default=str)


def _new_flag(programme_id: int, sid: int | None, f: Finding, by_key: dict[FlagKey, FlagRow],
              counts: dict[str, int]) -> FlagRow:
    """A flag for a finding first raised in its quarter, inheriting the previous quarter's
    lifecycle where the same flag was raised then."""
    version, snapshot = _snapshot_text(f)
    row = FlagRow(programme_id, sid, f.quarter, f.rule_id, version, f.subject, f.category,
                  f.severity, f.severity, SUPPRESSED if f.suppressed else "open", snapshot,
                  f.first_raised or f.quarter, f.consecutive)
    if not f.suppressed:
        prev = by_key.get((sid, str(Quarter.parse(f.quarter).previous()), f.rule_id,
                           f.subject))
        _inherit(row, prev, f, counts)
    return row


def _update(row: FlagRow, f: Finding, counts: dict[str, int]) -> None:
    """A stored flag raised again in its quarter: the new finding, the evaluator's fields
    kept; a suppressed, or closed and moved, flag opens again."""
    version, snapshot = _snapshot_text(f)
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


def _close_unraised(by_key: dict[FlagKey, FlagRow], seen: set[FlagKey], evaluated: set[str],
                    locked: set[str], counts: dict[str, int]) -> list[FlagRow]:
    """Flags of the quarters judged now that the rules no longer raise: deleted when nobody
    touched them (returned, to delete), else closed as resolved with a note."""
    deleted = []
    for key, row in list(by_key.items()):
        if key in seen or row.period not in evaluated or row.period in locked:
            continue
        untouched = not (row.mitigation or row.owner or row.override_severity
                         or row.evaluator_judgement)
        if row.status in ("open", SUPPRESSED) and untouched:
            counts["closed"] += row.status == "open"
            deleted.append(row)
            del by_key[key]
        elif row.status in ("open", "acknowledged", "mitigating"):
            row.status = "closed_resolved"
            row.evaluator_judgement = ((row.evaluator_judgement or "") +
                                       " [no longer raised by the rules]").strip()
            counts["closed"] += 1
    return deleted


def _inherit(row: FlagRow, prev: FlagRow | None, f: Finding, counts: dict[str, int]) -> None:
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
