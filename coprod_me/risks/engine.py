"""The rules' runner (domain §2.0): every enabled rule over every quarter of a snapshot.

Runs the rule modules in their order (a rule whose severity depends on another's runs after
it), applies the ``clientelism_context = high`` amplifier and persistence escalation (capped
at high; only composites reach critical), turns checklist answers into judgement flags, and
rolls a category's flags up to its RAG. ``evaluate`` returns findings; it never touches a
store. What the rules themselves are written with is in ``risks.kit``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from coprod_me.model.category_status import rollup as rollup  # the badges' rule too
from coprod_me.model.progress import collector_paused
from coprod_me.model.quarter import Quarter
from coprod_me.risks import clientelism, co_destruction, data_integrity, equity, sustainability
from coprod_me.risks.definitions import (
    RuleDefinition,
    full_citation,
    load_checklist_items,
    load_rules,
)
from coprod_me.risks.kit import (
    Evaluator,
    Finding,
    RuleContext,
    back,
    lower_level,
    raise_level,
    short_name,
)
from coprod_me.risks.snapshot import ProgrammeSnapshot

AMPLIFIED_BY_CONTEXT = ("CL-2", "CL-4", "CL-5", "CL-6")
EVALUATORS: dict[str, Evaluator] = {
    **co_destruction.EVALUATORS, **clientelism.EVALUATORS, **sustainability.EVALUATORS,
    **equity.EVALUATORS, **data_integrity.EVALUATORS}


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
    wanted = set(only) if only is not None else None
    last = str(Quarter.parse(up_to)) if up_to else None
    quarters = [q for q in snap.quarters
                if (last is None or q <= last) and q not in snap.frozen_quarters]
    for f in frozen:
        ctx.found.setdefault(f.quarter, {}).setdefault(f.rule_id, []).append(f)
    amplify = snap.programme.clientelism_context == "high"
    # the enabled rules in their order, looked up once rather than once a quarter
    todo = [(rule_id, EVALUATORS[rule_id], amplify and rule_id in AMPLIFIED_BY_CONTEXT)
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
                found = [f if f.suppressed else _amplified(f) for f in found]
            found_q[rule_id] = found
            out.extend(found)
        out.extend(checklist_findings(snap, q))
    return _persistence(out, rules, frozen)


def _amplified(f: Finding) -> Finding:
    """The clientelism context amplifier: one level up (capped at high), said in words."""
    sev = raise_level(f.severity)
    if sev == f.severity:
        return f
    return replace(f, severity=sev, escalations=(
        *f.escalations, f"raised from {f.severity} to {sev}: the programme's clientelism "
                        "context is recorded as high"))


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
                             f"raised from {f.severity} to {sev}: flagged {count} quarters "
                             "running")
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
    """The judgement flags of a quarter's checklist answers: the risk answer at the item's
    severity, "partly" at its partly severity when it has one, "unknown" one level below the
    risk answer. The why says the question, the answer, what it implies and what would clear
    it; the next step, what evidence to gather."""
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
            reason = f"{sev}: the risk answer '{r.answer}' gives the item's severity"
        elif r.answer == "unknown":
            sev = lower_level(item.severity_if_risk)
            reason = (f"{sev}: 'unknown' is one level below the risk answer "
                      f"'{item.risk_answer}' ({item.severity_if_risk})")
        elif r.answer == "partly" and item.severity_if_partly:
            sev = item.severity_if_partly
            reason = f"{sev}: the answer 'partly' gives the item's partly severity"
        else:
            continue
        strand = snap.strand_of(r.strand_id)
        named = snap.strands.get(strand) if strand else None
        scope = (f" for {short_name(named.name) if named is not None and named.name else strand}"
                 if strand else "")
        comment = (r.comment or "").strip()
        if comment and comment[-1] not in ".!?":
            comment += "."  # the sentences that follow start on their own
        why = (f"Checklist question \"{item.question}\" was answered '{r.answer}'{scope} in "
               f"{quarter}." + (f" Comment: {comment}" if comment else "")
               + (f" What a '{item.risk_answer}' implies: {item.implies}" if item.implies else "")
               + (f" What would clear it: {item.clears}" if item.clears else ""))
        next_step = (f"Gather the evidence: {item.clears} Attach it to the answer and answer "
                     "the question again." if item.clears else "")
        out.append(Finding(
            item.code, item.category, strand, "", quarter, sev, why,
            {"answer": r.answer}, [{"name": "risk_answer", "label": "risk answer",
                                    "value": item.risk_answer, "tag": "checklist", "unit": "answer",
                                    "observed": r.answer}],
            {"question": item.question, "respondent": r.respondent,
             "evidence": getattr(r, "evidence", None)},
            item.citations, None, False, "checklist", sev, severity_reason=reason,
            next_step=next_step, sources=tuple(full_citation(c) for c in item.citations)))
    return out
