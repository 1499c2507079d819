"""Engine semantics common to every rule (domain §2.0).

Direction-adjusted change, "flat" with the minimum detectable effect, minimum-n suppression,
the severity ladder, persistence escalation (capped at high; only composites reach critical),
the ``clientelism_context = high`` amplifier and the category roll-up. ``evaluate`` runs every
enabled rule over every quarter of a snapshot and returns findings; it never touches a store.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any, TypeVar

from coprod_me.model.progress import collector_paused
from coprod_me.model.quarter import Quarter
from coprod_me.risks.definitions import RuleDefinition, load_checklist_items, load_rules
from coprod_me.risks.snapshot import IndicatorRef, Point, ProgrammeSnapshot

SEVERITIES = ("info", "low", "medium", "high", "critical")
_RANK = {s: i for i, s in enumerate(SEVERITIES)}
OPEN_STATUSES = ("open", "acknowledged", "mitigating")
CLOSED_STATUSES = ("closed_resolved", "closed_false_positive")
AMPLIFIED_BY_CONTEXT = ("CL-2", "CL-4", "CL-5", "CL-6")


def rank(severity: str | None) -> int:
    return -1 if severity is None else _RANK[severity]


def raise_level(severity: str, levels: int = 1, *, cap: str = "high") -> str:
    """Up the ladder, never past ``cap`` (and never lower than where it started)."""
    if rank(severity) >= rank(cap):
        return severity
    return SEVERITIES[min(rank(severity) + levels, rank(cap))]


def lower_level(severity: str) -> str:
    return SEVERITIES[max(rank(severity) - 1, 0)]


def rollup(severities: Iterable[str]) -> str | None:
    """Category RAG: the highest open severity; three or more mediums show as high [CONV]."""
    sev = list(severities)
    if not sev:
        return None
    top = max(sev, key=rank)
    if rank(top) < rank("high") and sum(1 for s in sev if s == "medium") >= 3:
        return "high"
    return top


# ------------------------------------------------------------------------------------------
# Change, flatness, minimum detectable effect


def mde_points(p_pct: float, n: int | None) -> float:
    """Minimum detectable effect in points: 1.96 × √(2p(1−p)/n); 0 without an n."""
    if not n or n <= 0:
        return 0.0
    p = min(max(p_pct / 100.0, 0.0), 1.0)
    return 100.0 * 1.96 * math.sqrt(2 * p * (1 - p) / n)


@dataclass(frozen=True)
class Change:
    """A direction-adjusted change: positive is better. ``points`` for proportions."""

    delta: float
    points: bool
    flat_limit: float  # |delta| below this is flat
    adverse_limit: float  # delta at or below minus this is adverse
    mde: float = 0.0

    @property
    def flat(self) -> bool:
        return abs(self.delta) < self.flat_limit

    @property
    def adverse(self) -> bool:
        return self.delta <= -self.adverse_limit

    def text(self) -> str:
        if self.points:
            return f"{self.delta:+.1f} points"
        return f"{self.delta * 100:+.0f} %"


def relative_change(ind: IndicatorRef, now: float, then: float) -> float | None:
    if then == 0:
        return None
    return ind.sign * (now - then) / abs(then)


def outcome_change(ind: IndicatorRef, now: Point, then: Point, p: dict[str, Any]) -> Change | None:
    """Points for proportions with the MDE from n, relative change otherwise."""
    if ind.is_proportion:
        n = min((x for x in (now.n, then.n) if x), default=None)
        mde = mde_points(then.value, n)  # the level the change is measured from
        limit = max(float(p.get("flat_pp", 2.0)), mde)
        adverse = max(float(p.get("adverse_pp", 2.0)), mde)
        return Change(ind.sign * (now.value - then.value), True, limit, adverse, mde)
    rel = relative_change(ind, now.value, then.value)
    if rel is None:
        return None
    return Change(rel, False, float(p.get("flat_rel", 0.05)), float(p.get("adverse_rel", 0.05)))


def crossed_red(ind: IndicatorRef, value: float) -> bool:
    if ind.red_at is None:
        return False
    return value <= ind.red_at if ind.sign > 0 else value >= ind.red_at


def fmt(v: float | None, unit: str = "") -> str:
    if v is None:
        return "n/a"
    if abs(v) >= 1000:
        s = f"{v:,.0f}"
    elif float(v).is_integer():
        s = f"{v:.0f}"
    elif abs(v) < 1:
        s = f"{v:.2f}"
    else:
        s = f"{v:.1f}"
    return s + unit


def pct(v: float) -> str:
    return f"{v:.0f} %" if abs(v - round(v)) < 0.05 else f"{v:.1f} %"


# ------------------------------------------------------------------------------------------
# Findings


@dataclass(slots=True)
class Finding:
    """What one rule found for one strand (or the programme) and quarter."""

    rule_id: str
    category: str
    strand: str | None
    subject: str
    quarter: str
    severity: str  # after cross-rule logic, amplifier and persistence
    why: str
    metrics: dict[str, Any] = field(default_factory=dict)
    thresholds: list[dict[str, Any]] = field(default_factory=list)
    inputs: dict[str, Any] = field(default_factory=dict)
    citations: tuple[str, ...] = ()
    primary: tuple[str, float] | None = None  # the triggering metric (re-open at ±20 %)
    suppressed: bool = False
    rule_type: str = "computed"
    base_severity: str = ""
    escalations: tuple[str, ...] = ()
    first_raised: str | None = None
    consecutive: int = 1

    @property
    def key(self) -> tuple[str, str | None, str]:
        return (self.rule_id, self.strand, self.subject)

    def snapshot(self, version: int) -> dict[str, Any]:
        """The trigger snapshot stored with the flag: everything needed to explain it."""
        return {
            "rule_id": self.rule_id, "rule_version": version, "rule_type": self.rule_type,
            "quarter": self.quarter,
            "strand": self.strand, "subject": self.subject, "why": self.why,
            "inputs": self.inputs, "metrics": self.metrics, "thresholds": self.thresholds,
            "citations": list(self.citations), "base_severity": self.base_severity,
            "escalations": list(self.escalations), "suppressed": self.suppressed,
            "primary": None if self.primary is None else {
                "name": self.primary[0], "value": self.primary[1]},
        }


class RuleContext:
    """What an evaluator sees: the snapshot, its rule's parameters, and earlier findings."""

    def __init__(self, snap: ProgrammeSnapshot, rules: dict[str, RuleDefinition],
                 overrides: dict[str, dict[str, Any]]) -> None:
        self.snap = snap
        self.rules = rules
        self._values = {rid: r.values(overrides.get(rid)) for rid, r in rules.items()}
        self.found: dict[str, dict[str, list[Finding]]] = {}  # quarter -> rule -> findings
        self._memo: dict[Any, Any] = {}
        self._meta: dict[tuple[str, str], tuple[str, str]] = {}  # a parameter's tag, label

    def memo(self, key: Any, build: Callable[[], T]) -> T:
        """A grouping of the snapshot built once per programme, not once per quarter."""
        if key not in self._memo:
            self._memo[key] = build()
        value: T = self._memo[key]
        return value

    def p(self, rule_id: str) -> dict[str, Any]:
        return self._values[rule_id]

    def threshold(self, rule_id: str, name: str, observed: Any = None) -> dict[str, Any]:
        meta = self._meta.get((rule_id, name))
        if meta is None:
            param = self.rules[rule_id].params.get(name)
            meta = self._meta[(rule_id, name)] = ((param.tag, param.label) if param
                                                  else ("CONV", name))
        d: dict[str, Any] = {"name": name, "label": meta[1],
                             "value": self._values[rule_id][name], "tag": meta[0]}
        if observed is not None:
            d["observed"] = observed
        return d

    def fired(self, rule_id: str, quarter: str, strand: str | None, *,
              subject: str | None = None, at_least: str = "info") -> list[Finding]:
        found = self.found.get(quarter, {}).get(rule_id)
        if not found:
            return []
        floor = _RANK[at_least]
        return [f for f in found
                if f.strand == strand and not f.suppressed and _RANK[f.severity] >= floor
                and (subject is None or f.subject == subject)]

    def finding(self, rule_id: str, quarter: str, strand: str | None, subject: str,
                severity: str, why: str, *, metrics: dict[str, Any] | None = None,
                thresholds: list[dict[str, Any]] | None = None,
                inputs: dict[str, Any] | None = None, primary: tuple[str, float] | None = None,
                suppressed: bool = False, escalations: tuple[str, ...] = ()) -> Finding:
        rule = self.rules[rule_id]
        return Finding(rule_id, rule.category, strand, subject, quarter, severity, why,
                       metrics or {}, thresholds or [], inputs or {}, rule.citations, primary,
                       suppressed, rule.type, severity, escalations)

    def suppressed(self, rule_id: str, quarter: str, strand: str | None, subject: str,
                   why: str, **kw: Any) -> Finding:
        return self.finding(rule_id, quarter, strand, subject, "info",
                            why + " Too few to judge: recorded as insufficient data, not a flag.",
                            suppressed=True, **kw)


Evaluator = Callable[[RuleContext, str], list[Finding]]
T = TypeVar("T")


def _registry() -> dict[str, Evaluator]:
    from coprod_me.risks import (
        clientelism,
        co_destruction,
        data_integrity,
        equity,
        sustainability,
    )
    out: dict[str, Evaluator] = {}
    for module in (co_destruction, clientelism, sustainability, equity, data_integrity):
        out.update(module.EVALUATORS)
    return out


# Rules whose severity depends on another's result in the same quarter run after it.
ORDER = ("CD-3", "CD-2", "CD-1", "CD-4", "CD-5", "CD-6", "CD-7", "CD-8",
         "CL-2", "CL-3", "CL-4", "CL-6", "CL-1", "CL-5", "CL-7", "CL-8", "CL-10", "CL-9",
         "SU-2", "SU-1", "SU-3", "SU-4", "SU-5", "SU-6", "SU-7", "SU-8", "SU-9",
         "EQ-1", "EQ-2", "EQ-3", "EQ-4", "EQ-5", "EQ-6",
         "DQ-1", "DQ-2", "DQ-3", "DQ-4", "DQ-5", "CL-X")


def evaluate(snap: ProgrammeSnapshot, *, up_to: str | None = None,
             overrides: dict[str, dict[str, Any]] | None = None,
             rules: dict[str, RuleDefinition] | None = None,
             only: Iterable[str] | None = None, frozen: Iterable[Finding] = ()
             ) -> list[Finding]:
    """Every enabled rule over every quarter with data up to ``up_to`` (all when None).

    The snapshot's ``frozen_quarters`` are not evaluated again (a locked quarter freezes its
    flags, domain §1.4); ``frozen`` are stored flags of those quarters, standing in for their
    findings where a later quarter looks back (persistence, CL-7).
    """
    # the findings and their metrics form no cycles: collecting meanwhile only rescans them
    # (a fifth of the evaluation time over a portfolio)
    with collector_paused():
        return _evaluate(snap, up_to, overrides, rules, only, list(frozen))


def _evaluate(snap: ProgrammeSnapshot, up_to: str | None,
              overrides: dict[str, dict[str, Any]] | None,
              rules: dict[str, RuleDefinition] | None,
              only: Iterable[str] | None, frozen: list[Finding]) -> list[Finding]:
    rules = rules if rules is not None else load_rules()
    ctx = RuleContext(snap, rules, overrides or {})
    evaluators = _registry()
    wanted = set(only) if only is not None else None
    last = str(Quarter.parse(up_to)) if up_to else None
    quarters = [q for q in snap.quarters
                if (last is None or q <= last) and q not in snap.frozen_quarters]
    for f in frozen:
        ctx.found.setdefault(f.quarter, {}).setdefault(f.rule_id, []).append(f)
    amplify = snap.programme.clientelism_context == "high"
    # the enabled rules in their order, looked up once rather than once a quarter
    todo = [(rule_id, evaluators[rule_id], amplify and rule_id in AMPLIFIED_BY_CONTEXT)
            for rule_id in ORDER
            if (rule := rules.get(rule_id)) is not None and rule.enabled
            and (wanted is None or rule_id in wanted)]
    out: list[Finding] = []
    for q in quarters:
        found_q: dict[str, list[Finding]] = {}
        ctx.found[q] = found_q
        for rule_id, run, amplified in todo:
            found = run(ctx, q)
            if amplified:
                found = [f if f.suppressed else replace(
                    f, severity=raise_level(f.severity),
                    escalations=(*f.escalations, "clientelism_context = high: one level up"))
                    for f in found]
            found_q[rule_id] = found
            out.extend(found)
        out.extend(checklist_findings(snap, q))
    return _persistence(out, rules, frozen)


def _persistence(findings: list[Finding], rules: dict[str, RuleDefinition],
                 frozen: list[Finding] | None = None) -> list[Finding]:
    """Consecutive-quarter runs; a computed flag raised twice running moves up one level.
    A frozen flag carries its run as it was stored (first raised, quarters running)."""
    frozen = frozen or []
    raised = {(f.key, f.quarter): f for f in (*frozen, *findings) if not f.suppressed}
    run_of: dict[tuple[tuple[str, str | None, str], str], tuple[str, int]] = {
        (f.key, f.quarter): (f.first_raised or f.quarter, f.consecutive)
        for f in frozen if not f.suppressed}
    out: list[Finding] = []
    for f in sorted(findings, key=lambda f: f.quarter):  # 2024Q2 sorts as text
        if f.suppressed:
            out.append(f)
            continue
        prev_q = back(f.quarter, 1)
        prev = run_of.get((f.key, prev_q)) if (f.key, prev_q) in raised else None
        first, count = (prev[0], prev[1] + 1) if prev else (f.quarter, 1)
        run_of[(f.key, f.quarter)] = (first, count)
        rule = rules.get(f.rule_id)
        escalate = (count >= 2 and f.rule_type == "computed" and rule is not None
                    and rule.persistence_escalation)
        sev = raise_level(f.severity) if escalate else f.severity
        if escalate and sev != f.severity:
            f.escalations = (*f.escalations,
                             f"raised {count} quarters running: one level up (capped at high)")
            f.why += f" Raised {count} quarters running (since {first}), so {sev}."
            f.severity = sev
        # findings are fresh from this evaluation, so they are completed in place
        f.first_raised, f.consecutive = first, count
        out.append(f)
    return out


# ------------------------------------------------------------------------------------------
# Checklists (domain §1.7): a risk answer raises a judgement flag at the item's severity,
# "unknown" one level lower.


def checklist_findings(snap: ProgrammeSnapshot, quarter: str) -> list[Finding]:
    items = load_checklist_items()
    out: list[Finding] = []
    for r in snap.checklist:
        if r.period != quarter:
            continue
        item = items.get(r.item_code)
        if item is None:
            continue
        if r.answer == item.risk_answer:
            sev = item.severity_if_risk
            said = f"answered '{r.answer}'"
        elif r.answer == "unknown":
            sev = lower_level(item.severity_if_risk)
            said = "answered 'unknown' (one level below the risk answer)"
        elif r.answer == "partly" and item.severity_if_partly:
            sev = item.severity_if_partly
            said = "answered 'partly'"
        else:
            continue
        strand = snap.strand_of(r.strand_id)
        why = (f"Checklist {item.code}: \"{item.question}\" was {said}"
               + (f" for {strand}" if strand else "") + f" in {quarter}."
               + (f" Comment: {r.comment}" if r.comment else ""))
        out.append(Finding(
            item.code, item.category, strand, "", quarter, sev, why,
            {"answer": r.answer}, [{"name": "risk_answer", "label": "risk answer",
                                    "value": item.risk_answer, "tag": "CONV",
                                    "observed": r.answer}],
            {"question": item.question, "respondent": r.respondent,
             "evidence": getattr(r, "evidence", None)},
            item.citations, None, False, "checklist", sev))
    return out


# ------------------------------------------------------------------------------------------
# Small shared readers


def series(snap: ProgrammeSnapshot, ind_id: int, strand: str | None) -> dict[str, Point]:
    return snap.totals.get((ind_id, strand), {})


@cache
def back(quarter: str, k: int) -> str:
    """The quarter k before (cached: the rules ask for the same few quarters millions of times)."""
    return str(Quarter.parse(quarter).shift(-k))


@cache
def quarter_of(text: str) -> Quarter:
    return Quarter.parse(text)


def strands_of_series(snap: ProgrammeSnapshot, ind_id: int) -> list[str | None]:
    by = snap.derived.get("series_strands")
    if by is None:
        grouped: dict[int, set[str | None]] = {}
        for (i, s) in snap.totals:
            grouped.setdefault(i, set()).add(s)
        by = {i: sorted(v, key=lambda s: s or "") for i, v in grouped.items()}
        snap.derived["series_strands"] = by
    strands: list[str | None] = by.get(ind_id, [])
    return strands
