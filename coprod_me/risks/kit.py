"""The kit the rules are written with (domain §2.0): what every rule module imports.

The severity ladder, direction-adjusted change with "flat" judged against the minimum
detectable effect, the wording of numbers, ``Finding`` (what a rule reports) and
``RuleContext`` (what a rule sees: the snapshot, its parameters and what rules before it
found this quarter), and the small readers the rules share. The runner (``risks.engine``)
imports the rule modules and this kit; a rule module never imports the runner.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar

from coprod_me.model.quarter import Quarter
from coprod_me.risks.definitions import RuleDefinition
from coprod_me.risks.snapshot import IndicatorRef, Point, ProgrammeSnapshot

SEVERITIES = ("info", "low", "medium", "high", "critical")
_RANK = {s: i for i, s in enumerate(SEVERITIES)}
T = TypeVar("T")


def rank(severity: str | None) -> int:
    """A severity's place on the ladder; -1 for none."""
    return -1 if severity is None else _RANK[severity]


def raise_level(severity: str, levels: int = 1, *, cap: str = "high") -> str:
    """Up the ladder, never past ``cap`` (and never lower than where it started)."""
    if rank(severity) >= rank(cap):
        return severity
    return SEVERITIES[min(rank(severity) + levels, rank(cap))]


def lower_level(severity: str) -> str:
    """One step down the ladder, never below info."""
    return SEVERITIES[max(rank(severity) - 1, 0)]


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
    """A direction-adjusted change: positive is better. ``points`` for proportions. Whether
    it is adverse is the rule's reading (CD-1 takes a fixed threshold); the survey's margin
    only widens what counts as flat."""

    delta: float
    points: bool
    flat_limit: float  # |delta| below this is flat
    mde: float = 0.0

    @property
    def flat(self) -> bool:
        return abs(self.delta) < self.flat_limit


def relative_change(ind: IndicatorRef, now: float, then: float) -> float | None:
    """The change from ``then`` to ``now`` relative to ``then``, positive when better."""
    if then == 0:
        return None
    return ind.sign * (now - then) / abs(then)


def outcome_change(ind: IndicatorRef, now: Point, then: Point, p: dict[str, Any]) -> Change | None:
    """Points for proportions with the MDE from n, relative change otherwise."""
    if ind.is_proportion:
        n = min((x for x in (now.n, then.n) if x), default=None)
        mde = mde_points(then.value, n)  # the level the change is measured from
        limit = max(float(p.get("flat_pp", 2.0)), mde)
        return Change(ind.sign * (now.value - then.value), True, limit, mde)
    rel = relative_change(ind, now.value, then.value)
    if rel is None:
        return None
    return Change(rel, False, float(p.get("flat_rel", 0.05)))


def crossed_red(ind: IndicatorRef, value: float) -> bool:
    """Is the value at or past the indicator's red threshold (in its bad direction)?"""
    if ind.red_at is None:
        return False
    return value <= ind.red_at if ind.sign > 0 else value >= ind.red_at


def fmt(v: float | None, unit: str = "") -> str:
    """A number as a flag's text shows it: thousands grouped, few decimals."""
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


def short_name(name: str) -> str:
    """A name without the description written after it: 'Provider A: city-owned company' ->
    'Provider A' (the samples, like many registers, describe a strand in its name)."""
    return name.split(": ", 1)[0]


def pct(v: float) -> str:
    """A percentage as text: whole when it is nearly whole, else one decimal."""
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
    #: Why this level: the arm of the rule's severity logic that gave it (the engine adds
    #: escalations to it when it shows them).
    severity_reason: str = ""
    next_step: str = ""  # from the rule's data
    sources: tuple[str, ...] = ()  # full citations, from the rule's data

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
            "severity_reason": self.severity_reason, "next_step": self.next_step,
            "sources": list(self.sources),
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
        self._meta: dict[tuple[str, str], tuple[str, str, str]] = {}  # tag, label, unit

    def memo(self, key: Any, build: Callable[[], T]) -> T:
        """A grouping of the snapshot built once per programme, not once per quarter."""
        if key not in self._memo:
            self._memo[key] = build()
        value: T = self._memo[key]
        return value

    def p(self, rule_id: str) -> dict[str, Any]:
        """The rule's parameter values, with the programme's overrides."""
        return self._values[rule_id]

    def threshold(self, rule_id: str, name: str, observed: Any = None, *,
                  unit: str | None = None) -> dict[str, Any]:
        """A threshold as the flag stores it: the parameter's name, label, value, unit and
        provenance tag, and what was observed against it; ``unit`` names the unit where
        the rule knows it better than the parameter's data (a share of a given kind)."""
        meta = self._meta.get((rule_id, name))
        if meta is None:
            param = self.rules[rule_id].params.get(name)
            meta = self._meta[(rule_id, name)] = ((param.tag, param.label, param.unit) if param
                                                  else ("CONV", name, "count"))
        d: dict[str, Any] = {"name": name, "label": meta[1],
                             "value": self._values[rule_id][name],
                             "unit": meta[2] if unit is None else unit, "tag": meta[0]}
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
                suppressed: bool = False, escalations: tuple[str, ...] = (),
                severity_reason: str = "") -> Finding:
        rule = self.rules[rule_id]
        return Finding(rule_id, rule.category, strand, subject, quarter, severity, why,
                       metrics or {}, thresholds or [], inputs or {}, rule.citations, primary,
                       suppressed, rule.type, severity, escalations,
                       severity_reason=severity_reason, next_step=rule.next_step,
                       sources=rule.sources)

    def strand_name(self, code: str | None) -> str:
        """A strand as a flag's text names it: its name without its description (the
        programme for None)."""
        if code is None:
            return "the programme as a whole"
        strand = self.snap.strands.get(code)
        return short_name(strand.name) if strand is not None and strand.name else code

    def suppressed(self, rule_id: str, quarter: str, strand: str | None, subject: str,
                   why: str, **kw: Any) -> Finding:
        return self.finding(rule_id, quarter, strand, subject, "info",
                            why + " Too few to judge: recorded as insufficient data, not a flag.",
                            suppressed=True, **kw)


Evaluator = Callable[[RuleContext, str], list[Finding]]


# ------------------------------------------------------------------------------------------
# Small shared readers


def series(snap: ProgrammeSnapshot, ind_id: int, strand: str | None) -> dict[str, Point]:
    """An indicator's totals by quarter in a strand (None: the programme level)."""
    return snap.totals.get((ind_id, strand), {})


@cache
def back(quarter: str, k: int) -> str:
    """The quarter k before (cached: the rules ask for the same few quarters millions of times)."""
    return str(Quarter.parse(quarter).shift(-k))


@cache
def quarter_of(text: str) -> Quarter:
    """A quarter's text parsed (cached, as ``back``)."""
    return Quarter.parse(text)


def strands_of_series(snap: ProgrammeSnapshot, ind_id: int) -> list[str | None]:
    """The strands (None: programme level) an indicator has totals for, sorted, once."""
    by = snap.derived.get("series_strands")
    if by is None:
        grouped: dict[int, set[str | None]] = {}
        for (i, s) in snap.totals:
            grouped.setdefault(i, set()).add(s)
        by = {i: sorted(v, key=lambda s: s or "") for i, v in grouped.items()}
        snap.derived["series_strands"] = by
    strands: list[str | None] = by.get(ind_id, [])
    return strands


def where(strand: str | None) -> str:
    """The words ' in BD-UPZ' for a strand, none at the programme level (a flag's why)."""
    return f" in {strand}" if strand else ""


def checklist_answer(ctx: RuleContext, item: str, q: str, strand: str | None) -> str | None:
    """The latest answer to a checklist item up to ``q`` (the strand's, else the programme's)."""
    best: tuple[str, str] | None = None
    for r in ctx.snap.checklist:
        if r.item_code != item or r.period > q:
            continue
        s = ctx.snap.strand_of(r.strand_id)
        if s not in (strand, None):
            continue
        if best is None or r.period > best[0] or (r.period == best[0] and s == strand):
            best = (r.period, r.answer)
    return best[1] if best else None
