"""The flag register: the flags the rules raised, by quarter, and their lifecycle.

Lifecycle (issue 5 §5): open, acknowledged, mitigating, closed_resolved,
closed_false_positive, suppressed_insufficient_data. Acknowledging, mitigating, closing and
overriding the severity are the evaluator's; closing or overriding needs a reason, and every
change is audited by the store. The rules run (``services.risk_runs``) writes the flags and
carries a flag's lifecycle into the next quarter.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from coprod_me.model import entities as M
from coprod_me.model.category_status import CategoryStatus, category_statuses
from coprod_me.model.enums import FlagStatus
from coprod_me.model.errors import NotFound, ValidationFailed
from coprod_me.model.quarter import Quarter
from coprod_me.queries.programmes import get_programme, programme_ids
from coprod_me.queries.risk_flags import (
    flag_quarters,
    flags_of,
    listed_flags,
    strand_codes,
    strand_codes_by_programme,
)
from coprod_me.queries.risk_runs import last_risk_run
from coprod_me.risks.definitions import (
    PROVENANCE,
    full_citation,
    load_checklist_items,
    load_rules,
)
from coprod_me.risks.definitions import value_text as value_text  # the GUI says a threshold so
from coprod_me.risks.kit import SEVERITIES, rank
from coprod_me.store.session import Store

OPEN_STATUSES = (FlagStatus.OPEN.value, FlagStatus.ACKNOWLEDGED.value,
                 FlagStatus.MITIGATING.value)
CLOSED_STATUSES = (FlagStatus.CLOSED_RESOLVED.value, FlagStatus.CLOSED_FALSE_POSITIVE.value)
SUPPRESSED = FlagStatus.SUPPRESSED_INSUFFICIENT_DATA.value


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
    #: why this level: the rule's arm, then the engine's escalations in words ("" for a
    #: flag stored before flags carried it)
    severity_reason: str = ""
    next_step: str = ""
    sources: list[str] = field(default_factory=list)  # full citations

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


def reason_given(text: str | None, what: str) -> str:
    """The reason, stripped; ValidationFailed when there is none (it goes to the audit log)."""
    text = (text or "").strip()
    if not text:
        raise ValidationFailed([f"{what} is required; say why (it is kept in the audit log)"],
                               f"{what} missing; nothing was saved")
    return text


def _explained(t: dict[str, Any], rule_id: str) -> dict[str, Any]:
    """A threshold with its unit and its provenance in words (a flag stored before
    thresholds carried a unit takes it from the rule's current data)."""
    rule = load_rules().get(rule_id)
    param = rule.params.get(str(t.get("name"))) if rule is not None else None
    unit = t.get("unit") or (param.unit if param is not None else "")
    tag = str(t.get("tag") or "")
    return {**t, "unit": unit, "provenance": PROVENANCE.get(tag, tag)}


def _severity_reason(snap: dict[str, Any]) -> str:
    """The stored arm of the severity logic with the engine's escalations after it; empty
    for a flag stored before flags carried a severity reason."""
    if "severity_reason" not in snap:
        return ""
    parts = [str(snap.get("severity_reason") or "").rstrip(". ")]
    parts += [str(x) for x in snap.get("escalations") or () if str(x).startswith("raised from")]
    text = "; ".join(p for p in parts if p)
    return text + "." if text else ""


def _guidance(rule_id: str) -> tuple[str, list[str]]:
    """The rule's (or checklist item's) current next step and full sources: what a flag
    stored before flags carried them shows."""
    rule = load_rules().get(rule_id)
    if rule is not None:
        return rule.next_step, list(rule.sources)
    item = load_checklist_items().get(rule_id)
    if item is None:
        return "", []
    return (f"Evidence that would clear it: {item.clears}" if item.clears else "",
            [full_citation(c) for c in item.citations])


def _title(rule_id: str) -> str:
    rule = load_rules().get(rule_id)
    if rule is not None:
        return rule.title
    item = load_checklist_items().get(rule_id)
    return f"Checklist: {item.question}" if item else rule_id


class FlagRegisterService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def register(self, code: str, *, quarter: str | None = None, category: str | None = None,
                 severity: str | None = None, status: str | None = None,
                 strand: str | None = None) -> list[FlagView]:
        """A programme's flags, latest quarter first, the most severe first within it."""
        with self.store.read() as s:
            prog = get_programme(s, code)
            strands = strand_codes(s, prog.id)
            rows = flags_of(
                s, prog.id, quarter=str(Quarter.parse(quarter)) if quarter else None,
                category=category, severity=severity, status=status,
                strand_ids=[i for i, c in strands.items() if c == strand] if strand else None)
        return _latest_first([_view(r, code, strands) for r in rows])

    def registers(self, codes: list[str], *, quarter: str | None = None,
                  every_quarter: bool = False) -> dict[str, list[FlagView]]:
        """Several programmes' flags at once, in ``register``'s order: those of ``quarter``,
        of every quarter, or (neither) of each programme's latest quarter with flags. A few
        queries whatever the number of programmes (``coprod-me flags`` lists 200)."""
        q = str(Quarter.parse(quarter)) if quarter else None
        with self.store.read() as s:
            ids = programme_ids(s, codes)
            strands = strand_codes_by_programme(s)
            rows = listed_flags(s, list(ids.values()), quarter=q, every_quarter=every_quarter)
        by_id: dict[int, list[M.RiskFlag]] = {}
        for r in rows:
            by_id.setdefault(r.programme_id, []).append(r)
        return {code: _latest_first([_view(r, code, strands.get(pid, {}))
                                     for r in by_id.get(pid, [])])
                for code, pid in ids.items()}

    def flag(self, flag_id: int) -> FlagView:
        with self.store.read() as s:
            row = s.get(M.RiskFlag, flag_id)
            if row is None:
                raise NotFound(f"no risk flag with id {flag_id}; it may have been re-run away")
            prog = s.get(M.Programme, row.programme_id)
            assert prog is not None
            return _view(row, prog.code, strand_codes(s, prog.id))

    def quarters(self, code: str) -> list[str]:
        """The quarters the programme has flags in, ascending."""
        with self.store.read() as s:
            return flag_quarters(s, get_programme(s, code).id)

    def rag(self, code: str, quarter: str | None = None) -> dict[str, str | None]:
        """Every category's rolled-up severity of open flags in the quarter; None when clear."""
        return {c: st.level for c, st in self.statuses(code, quarter)[1].items()}

    def statuses(self, code: str, quarter: str | None = None
                 ) -> tuple[str | None, dict[str, CategoryStatus]]:
        """The quarter shown (the given one, else the latest with flags) and every category's
        status in it, as the Overview badges and the Portfolio show it
        (``model.category_status``); ``checked`` is False when the rules never ran."""
        with self.store.read() as s:  # one read: the badges ask on every programme shown
            pid = get_programme(s, code).id
            qs = flag_quarters(s, pid)
            q = str(Quarter.parse(quarter)) if quarter else (qs[-1] if qs else None)
            flags = flags_of(s, pid, quarter=q) if q else []
            checked = last_risk_run(s, pid) is not None
            return q, category_statuses(((f.category, f.severity, f.status) for f in flags),
                                        checked=checked)

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
        why = reason_given(reason, "a reason for closing the flag")
        return self._edit(flag_id, why, evaluator_judgement=why,
                          status="closed_false_positive" if false_positive
                          else "closed_resolved")

    def override_severity(self, flag_id: int, severity: str | None, *, reason: str) -> FlagView:
        why = reason_given(reason, "a reason for the severity override")
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


def _latest_first(views: list[FlagView]) -> list[FlagView]:
    """Latest quarter first, the most severe first within it."""
    views.sort(key=lambda v: (v.quarter, rank(v.severity), v.rule_id), reverse=True)
    views.sort(key=lambda v: v.quarter, reverse=True)
    return views


def _view(r: M.RiskFlag, code: str, strands: dict[int | None, str]) -> FlagView:
    """A stored flag as the register shows it, explained from its trigger snapshot."""
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
    next_step, sources = _guidance(r.rule_id)
    assert r.id is not None
    return FlagView(
        id=r.id, rule_id=r.rule_id, rule_title=_title(r.rule_id), category=r.category,
        programme=code, strand=strands.get(r.strand_id) if r.strand_id else None,
        subject=r.subject, quarter=r.period, severity=r.severity,
        computed_severity=r.computed_severity, status=r.status,
        why=str(snap.get("why") or r.evaluator_judgement or _title(r.rule_id)),
        metrics=metrics,
        thresholds=[_explained(t, r.rule_id) for t in thresholds if isinstance(t, dict)],
        citations=list(snap.get("citations") or []),
        first_raised_period=r.first_raised_period, consecutive_periods=r.consecutive_periods,
        mitigation=r.mitigation, owner=r.owner, due_date=r.due_date,
        override_severity=r.override_severity, override_reason=r.override_reason,
        evaluator_judgement=r.evaluator_judgement,
        rule_type=str(snap.get("rule_type") or (
            "checklist" if r.rule_id in load_checklist_items() else
            load_rules()[r.rule_id].type if r.rule_id in load_rules() else "computed")),
        rule_version=r.rule_version, inputs=snap.get("inputs") or {},
        severity_reason=_severity_reason(snap),
        next_step=str(snap.get("next_step") or next_step),
        sources=list(snap.get("sources") or sources))
