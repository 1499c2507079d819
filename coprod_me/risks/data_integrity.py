"""Data integrity rules DQ-1..DQ-5: can the figures the other rules read be trusted?

A reported figure far from an independently verified one (DQ-1), too much required data
missing (DQ-2), an implausible jump (DQ-3), an indicator set too thin in outcomes to see
harm (DQ-4), and outcomes nobody but the provider has checked (DQ-5). What each rule
detects, its thresholds and sources are in ``resources/rules/data_integrity.json`` (and the
method annex, docs/rules.md, generated from it).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from itertools import pairwise
from typing import Any

from coprod_me.model.amounts import UNIT_DECIMALS, amount
from coprod_me.risks.kit import Finding, RuleContext, back, quarter_of
from coprod_me.risks.snapshot import IndicatorRef, ProgrammeSnapshot

#: Sources that report on their own work (the rule text's "provider/administrative").
REPORTED = ("self_report_provider", "administrative")
#: Sources independent of the provider (the rule text's "independent survey/verification").
VERIFIED = ("independent_survey", "independent_verification", "observation")
#: A verification type as a flag's text names it.
SOURCE_WORDS = {
    "self_report_provider": "the provider's own reporting",
    "administrative": "administrative records",
    "self_report_user": "users' own reports",
    "independent_survey": "an independent survey",
    "independent_verification": "independent verification",
    "observation": "direct observation",
}


def _in(ctx: RuleContext, strand: str | None) -> str:
    """' in <strand name>' for a strand, nothing at the programme level."""
    return f" in {ctx.strand_name(strand)}" if strand else ""


def _source(ind: IndicatorRef) -> str:
    """' (by <source>)' unless the indicator's name already says where it comes from."""
    words = SOURCE_WORDS.get(ind.verification_type or "")
    if words is None or any(k in ind.name.lower() for k in _NAMED_SOURCES):
        return ""
    return f" ({words})"


_NAMED_SOURCES = ("provider", "administrative", "survey", "verif", "observ", "census")


def _points(v: float) -> str:
    """A difference of two percentages, in points ("17 points", "9.5 points")."""
    return amount(abs(v), "percent", suffix=False) + " points"


def _with_unit(d: dict[str, Any], unit: str) -> dict[str, Any]:
    d["unit"] = unit
    return d


def dq1(ctx: RuleContext, q: str) -> list[Finding]:
    """DQ-1 Reported vs verified gap.

    Detects: the same construct (indicators sharing a ``construct_code``) measured by the
    provider's own reporting or administrative records and by an independent source (survey,
    verification, observation) diverging in the same or an adjacent quarter.
    Computes: for each reported series in quarter q and strand, the independent value of the
    same quarter, else the quarter before, else the quarter after; the gap is the difference
    in points when both are percentages, else relative to the independent value.
    Severity: high when |gap| >= gap_pp points (percentages) or >= gap_rel (others); the one
    arm.
    """
    snap, p = ctx.snap, ctx.p("DQ-1")
    by_construct: dict[str, list[IndicatorRef]] = defaultdict(list)
    for ind in snap.indicators.values():
        if ind.construct_code:
            by_construct[ind.construct_code].append(ind)
    out: list[Finding] = []
    for construct, inds in by_construct.items():
        reported = [i for i in inds if i.verification_type in REPORTED]
        verified = [i for i in inds if i.verification_type in VERIFIED]
        for r in reported:
            for v in verified:
                strands = {s for (i, s) in snap.totals if i == r.id}
                for strand in sorted(strands, key=lambda s: s or ""):
                    f = _dq1_pair(ctx, q, p, construct, r, v, strand)
                    if f is not None:
                        out.append(f)
    return out


def _dq1_pair(ctx: RuleContext, q: str, p: dict[str, Any], construct: str, r: IndicatorRef,
              v: IndicatorRef, strand: str | None) -> Finding | None:
    """DQ-1 for one reported and one independent indicator in one strand, if they diverge."""
    rs = ctx.snap.totals.get((r.id, strand), {})
    vs = ctx.snap.totals.get((v.id, strand), {})
    if q not in rs:
        return None
    vq = next((x for x in (q, back(q, 1), back(q, -1)) if x in vs), None)
    if vq is None:
        return None
    a, b = rs[q].value, vs[vq].value
    if r.is_proportion and v.is_proportion:
        gap, limit, name, unit = a - b, float(p["gap_pp"]), "gap_pp", "points"
        shown, limit_text = _points(gap), _points(limit)
    else:
        if b == 0:
            return None
        gap, limit, name, unit = (a - b) / abs(b), float(p["gap_rel"]), "gap_rel", "relative"
        shown = amount(abs(gap) * 100, "percent")
        limit_text = amount(limit * 100, "percent")
    if abs(gap) < limit:
        return None
    side = "above" if gap > 0 else "below"
    when = "the same quarter" if vq == q else f"the adjacent quarter {vq}"
    why = (f"{r.name}{_in(ctx, strand)} was {amount(a, r.unit)} in {q}{_source(r)}; "
           f"{v.name} was {amount(b, v.unit)} in {when}{_source(v)}. The reported figure is "
           f"{shown} {side} the independent one, at or past the {limit_text} threshold: the "
           "reported figures cannot be taken at face value (India's sanitation campaign "
           "reported 68 % rural coverage where the census found 31 %).")
    reason = (f"high: the gap of {shown} is at or past the {limit_text} threshold "
              "(the rule's one arm)")
    return ctx.finding(
        "DQ-1", q, strand, construct, "high", why,
        metrics={"gap": round(gap, 4), "gap_unit": unit, "reported": a, "verified": b,
                 "verified_quarter": vq},
        thresholds=[_with_unit(ctx.threshold("DQ-1", name, round(gap, 4)),
                               "points" if unit == "points" else "ratio"),
                    _with_unit(ctx.threshold("DQ-1", "tsc_reported_pct"), "percent")],
        inputs={r.code: a, v.code: b}, primary=("gap", abs(gap)), severity_reason=reason)


def _dq2_series(snap: ProgrammeSnapshot) -> list[tuple[Any, ...]]:
    """The series DQ-2 expects values in, with their first quarter and cadence, once."""
    out: list[tuple[Any, ...]] = []
    for (iid, strand), s in snap.totals.items():
        ind = snap.indicators[iid]
        if not s or ind.result_level == "context":
            continue
        first = min(s)
        out.append((iid, strand, s, first, quarter_of(first).index,
                    ind.frequency_quarters,
                    ind.disaggregation_required if ind.is_outcome else ()))
    return out


def dq2(ctx: RuleContext, q: str) -> list[Finding]:
    """DQ-2 Missing data.

    Detects: a quarter under review with too many required observations missing.
    Computes: every series (indicator × strand it is reported for; context indicators
    aside) is expected from its first value on, in each quarter its frequency calls for
    (one a year for annual indicators); an outcome's required breakdowns are expected with
    it. The share missing is missing / expected.
    Severity: medium when the share is at or above missing_pct; the one arm.
    """
    snap, p = ctx.snap, ctx.p("DQ-2")
    expected = missing = totals_missing = 0
    here = quarter_of(q).index
    for iid, strand, s, first, start, every, dims in ctx.memo("dq2", lambda: _dq2_series(
            snap)):
        if q < first or (every > 1 and (here - start) % every):
            continue
        expected += 1
        if q not in s:
            missing += 1
            totals_missing += 1
            continue
        for dim in dims:
            expected += 1
            if q not in snap.spreads.get((iid, strand, dim), {}):
                missing += 1
    if not expected:
        return []
    share = 100 * missing / expected
    limit = float(p["missing_pct"])
    if share < limit:
        return []
    why = (f"{missing} of the {expected} observations required in {q} are missing "
           f"({amount(share, 'percent')}): {totals_missing} values and "
           f"{missing - totals_missing} required breakdowns of outcomes. At or past the "
           f"{amount(limit, 'percent')} threshold, the quarter's other flags rest on "
           "incomplete data.")
    reason = (f"medium: {amount(share, 'percent')} missing is at or past the "
              f"{amount(limit, 'percent')} threshold (the rule's one arm)")
    return [ctx.finding("DQ-2", q, None, "", "medium", why,
                        metrics={"missing": missing, "expected": expected,
                                 "missing_values": totals_missing,
                                 "missing_pct": round(share, 1)},
                        thresholds=[_with_unit(ctx.threshold("DQ-2", "missing_pct",
                                                             round(share, 1)), "percent")],
                        primary=("missing_pct", share), severity_reason=reason)]


def _median(data: list[float]) -> float:
    """``statistics.median`` without its overhead (the same arithmetic: a million calls)."""
    n = len(data)
    if n == 0:
        return statistics.median(data)  # raises StatisticsError, as before
    data = sorted(data)
    i = n // 2
    return data[i] if n % 2 else (data[i - 1] + data[i]) / 2


#: With a flat history (median change 0) a change is a jump above this share of the level.
FLAT_SHARE = 0.05


def _limit_text(jump: float, limit: float, unit: str) -> str:
    """The limit as the text shows it; "just under 0.5" when rounding would show the jump and
    its limit equal (0.5 against 0.45 at one decimal)."""
    shown = amount(limit, unit, suffix=False)
    return f"just under {shown}" if shown == amount(jump, unit, suffix=False) else shown


def dq3(ctx: RuleContext, q: str) -> list[Finding]:
    """DQ-3 Implausible jump.

    Detects: a value that moved far more than its series usually moves (a typing error or a
    change of definition, to be checked).
    Computes: for a series with at least min_points values before quarter q, the change
    |v_q - v_before| against jump_factor × the median of the absolute changes between those
    earlier values (the change judged is not in its own median). A flat history (median 0)
    asks for more than 5 % of the previous level.
    Severity: info (a review prompt) when the change exceeds the limit; the one arm.
    """
    snap, p = ctx.snap, ctx.p("DQ-3")
    out: list[Finding] = []
    min_points = int(p["min_points"])
    factor = float(p["jump_factor"])

    def histories() -> list[tuple[int, str | None, dict[str, Any], list[str], list[float]]]:
        """Every series once: its quarters in order and its quarter-on-quarter changes."""
        rows = []
        for (iid, strand), s in snap.totals.items():
            quarters = sorted(s)
            rows.append((iid, strand, s, quarters,
                         [abs(s[b].value - s[a].value) for a, b in pairwise(quarters)]))
        return rows

    # the median is taken only for the quarters judged (a locked quarter keeps its flags)
    candidates = []
    for iid, strand, s, quarters, changes in ctx.memo("dq3_histories", histories):
        if q not in s:
            continue
        i = quarters.index(q)
        if i >= min_points:
            candidates.append((iid, strand, (s[quarters[i - 1]].value, s[q].value),
                               _median(changes[:i - 1]), i))
    for iid, strand, (before, now), med, points in candidates:
        jump = abs(now - before)
        level = max(abs(before), 1e-9)
        limit = factor * med if med > 0 else FLAT_SHARE * level
        if jump <= limit:
            continue
        ind = snap.indicators[iid]
        u = ind.unit
        # a median (and the limit from it) of whole counts may be a half: one decimal for them
        du = "rate" if UNIT_DECIMALS.get(u, 1) == 0 else u
        lim = _limit_text(jump, limit, du)
        if med > 0:
            bar = (f"more than {amount(factor, 'ratio')} × the median quarterly change of "
                   f"{amount(med, du, suffix=False)} over its {points} earlier values "
                   f"(limit {lim})")
        else:
            bar = (f"while its {points} earlier values never changed: with a flat history a "
                   f"change above 5 % of the level ({lim}) counts "
                   "as a jump")
        why = (f"{ind.name}{_in(ctx, strand)} moved by {amount(jump, u, suffix=False)} in {q} "
               f"({amount(before, u)} → {amount(now, u)}), {bar}. Check for a typing error or "
               "a change of definition before reading this quarter's other flags.")
        reason = (f"info: the change of {amount(jump, u, suffix=False)} exceeds the limit of "
                  f"{lim} (the rule's one arm: a review prompt)")
        out.append(ctx.finding("DQ-3", q, strand, ind.code, "info", why,
                               metrics={"jump": jump, "median_change": med, "limit": limit},
                               thresholds=[_with_unit(ctx.threshold("DQ-3", "jump_factor"),
                                                      "ratio"),
                                           _with_unit(ctx.threshold("DQ-3", "min_points"),
                                                      "count")],
                               primary=("jump", jump), severity_reason=reason))
    return out


def dq4(ctx: RuleContext, q: str) -> list[Finding]:
    """DQ-4 Outcome-thin indicator set.

    Detects: an indicator set that fails any of the structural outcome gates (G1-G5: enough
    outcomes, no more outputs than outcomes, outputs linked to outcomes, outcomes complete,
    one outcome verified by someone other than the provider).
    Computes: the gates the snapshot found unmet; raised once, at the latest quarter with
    data (the gates judge today's indicator set, not a quarter's data).
    Severity: medium when any gate is unmet; the one arm.
    """
    unmet = ctx.snap.gates_unmet
    if not unmet or q != ctx.snap.quarters[-1]:
        return []
    why = (f"The indicator set fails {len(unmet)} structural outcome "
           f"check{'s' if len(unmet) > 1 else ''}: " + "; ".join(unmet) + ". A programme "
           "that measures mostly outputs cannot see whether anyone is better off, nor harm "
           "done. Judged on the indicator set as it stands, so raised at the latest quarter "
           f"({q}) only.")
    reason = (f"medium: {len(unmet)} structural gate condition"
              f"{'s' if len(unmet) > 1 else ''} unmet (the rule's one arm: any unmet gate)")
    return [ctx.finding("DQ-4", q, None, "", "medium", why,
                        metrics={"unmet": list(unmet)}, severity_reason=reason)]


def dq5(ctx: RuleContext, q: str) -> list[Finding]:
    """DQ-5 Self-reported-only outcomes.

    Detects: a quarter whose outcome observations all come from the provider's own
    reporting: nobody independent has checked any of them.
    Computes: the verification of every outcome total of quarter q (the observation's own,
    else its indicator's); raised when there is at least one and every one is
    self_report_provider.
    Severity: medium; the one arm.
    """
    snap = ctx.snap
    kinds = [pt.verification or snap.indicators[iid].verification_type
             for (iid, _), s in snap.totals.items()
             if snap.indicators[iid].is_outcome and (pt := s.get(q)) is not None]
    if not kinds or any(k != "self_report_provider" for k in kinds):
        return []
    why = (f"All {len(kinds)} outcome observations of {q} come from the provider's own "
           "reporting: nobody else has checked them, so the programme's results rest on its "
           "providers' word (India's sanitation campaign reported 68 % coverage where the "
           "census found 31 %).")
    reason = (f"medium: every one of the {len(kinds)} outcome observations is self-reported "
              "by the provider (the rule's one arm)")
    return [ctx.finding("DQ-5", q, None, "", "medium", why,
                        metrics={"observations": len(kinds)}, severity_reason=reason)]


EVALUATORS = {"DQ-1": dq1, "DQ-2": dq2, "DQ-3": dq3, "DQ-4": dq4, "DQ-5": dq5}
