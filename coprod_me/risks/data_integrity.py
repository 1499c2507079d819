"""Data integrity rules DQ-1..DQ-5 (domain §2.5)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from itertools import pairwise
from typing import Any

from coprod_me.risks.kit import Finding, RuleContext, back, fmt, quarter_of, where
from coprod_me.risks.snapshot import IndicatorRef, ProgrammeSnapshot

REPORTED = ("self_report_provider", "administrative", "self_report_user")
VERIFIED = ("independent_survey", "independent_verification", "observation")


def dq1(ctx: RuleContext, q: str) -> list[Finding]:
    """DQ-1: a reported figure and an independently verified one of a construct diverge."""
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
                    rs = snap.totals.get((r.id, strand), {})
                    vs = snap.totals.get((v.id, strand), {})
                    if q not in rs:
                        continue
                    vq = next((x for x in (q, back(q, 1), back(q, -1)) if x in vs), None)
                    if vq is None:
                        continue
                    a, b = rs[q].value, vs[vq].value
                    if r.is_proportion and v.is_proportion:
                        gap, limit, unit = a - b, float(p["gap_pp"]), "points"
                    else:
                        if b == 0:
                            continue
                        gap, limit, unit = (a - b) / abs(b), float(p["gap_rel"]), "relative"
                    if abs(gap) < limit:
                        continue
                    shown = f"{gap:.0f} points" if unit == "points" else f"{gap * 100:.0f} %"
                    limit_text = (f"{fmt(limit)} points" if unit == "points"
                                  else f"{fmt(limit * 100)} %")
                    why = (f"{r.name} ({r.verification_type}) reports {fmt(a)}{where(strand)} in "
                           f"{q}; {v.name} ({v.verification_type}) finds {fmt(b)} in {vq}: a "
                           f"gap of {shown} (threshold {limit_text}). Compare India's TSC 68 % "
                           "vs census 31 %.")
                    out.append(ctx.finding(
                        "DQ-1", q, strand, construct, "high", why,
                        metrics={"gap": round(gap, 4), "gap_unit": unit, "reported": a,
                                 "verified": b, "verified_quarter": vq},
                        thresholds=[ctx.threshold("DQ-1", "gap_pp" if unit == "points"
                                                  else "gap_rel", round(gap, 4)),
                                    ctx.threshold("DQ-1", "tsc_reported_pct")],
                        inputs={r.code: a, v.code: b}, primary=("gap", abs(gap))))
    return out


def _dq2_series(snap: ProgrammeSnapshot) -> list[tuple[Any, ...]]:
    """The series DQ-2 expects values in, with their first and last quarter, once."""
    out: list[tuple[Any, ...]] = []
    for (iid, strand), s in snap.totals.items():
        ind = snap.indicators[iid]
        if not s or ind.result_level == "context":
            continue
        first, last = min(s), max(s)
        out.append((iid, strand, s, first, last, quarter_of(first).index,
                    ind.frequency_quarters,
                    ind.disaggregation_required if ind.is_outcome else ()))
    return out


def dq2(ctx: RuleContext, q: str) -> list[Finding]:
    """DQ-2: too many required observations (and breakdowns) are missing in the quarter."""
    snap, p = ctx.snap, ctx.p("DQ-2")
    expected = missing = 0
    here = quarter_of(q).index
    for iid, strand, s, first, last, start, every, dims in ctx.memo("dq2", lambda: _dq2_series(
            snap)):
        if not first <= q <= last or (every > 1 and (here - start) % every):
            continue
        expected += 1
        if q not in s:
            missing += 1
            continue
        for dim in dims:
            expected += 1
            if q not in snap.spreads.get((iid, strand, dim), {}):
                missing += 1
    if not expected:
        return []
    share = 100 * missing / expected
    if share < float(p["missing_pct"]):
        return []
    why = (f"{missing} of {expected} required observations (with required breakdowns) are "
           f"missing in {q} ({share:.0f} %, threshold {p['missing_pct']} %).")
    return [ctx.finding("DQ-2", q, None, "", "medium", why,
                        metrics={"missing": missing, "expected": expected,
                                 "missing_pct": round(share, 1)},
                        thresholds=[ctx.threshold("DQ-2", "missing_pct", round(share, 1))],
                        primary=("missing_pct", share))]


def _median(data: list[float]) -> float:
    """``statistics.median`` without its overhead (the same arithmetic: a million calls)."""
    n = len(data)
    if n == 0:
        return statistics.median(data)  # raises StatisticsError, as before
    data = sorted(data)
    i = n // 2
    return data[i] if n % 2 else (data[i - 1] + data[i]) / 2


def dq3(ctx: RuleContext, q: str) -> list[Finding]:
    """DQ-3: a value jumps far beyond its series' median quarterly change."""
    snap, p = ctx.snap, ctx.p("DQ-3")
    out: list[Finding] = []
    min_points = int(p["min_points"])

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
                               _median(changes[:i - 1])))
    for iid, strand, history, med in candidates:
        jump = abs(history[-1] - history[-2])
        level = max(abs(history[-2]), 1e-9)
        # A zero median (a flat history) would make any change a jump; ask for 5 % of the level.
        limit = float(p["jump_factor"]) * med if med > 0 else 0.05 * level
        if jump <= limit:
            continue
        ind = snap.indicators[iid]
        why = (f"{ind.code}{where(strand)} moved {fmt(jump)} in {q} "
               f"({fmt(history[-2])} → {fmt(history[-1])}), more than {p['jump_factor']} × the "
               f"median quarterly change of {fmt(med)}: check for a typing error or a change of "
               "definition.")
        out.append(ctx.finding("DQ-3", q, strand, ind.code, "info", why,
                               metrics={"jump": jump, "median_change": med},
                               thresholds=[ctx.threshold("DQ-3", "jump_factor")],
                               primary=("jump", jump)))
    return out


def dq4(ctx: RuleContext, q: str) -> list[Finding]:
    """DQ-4: the indicator set fails a structural outcome gate (latest quarter only)."""
    if not ctx.snap.gates_unmet or q != ctx.snap.quarters[-1]:
        return []
    why = ("The indicator set is outcome-thin: " + "; ".join(ctx.snap.gates_unmet) + ".")
    return [ctx.finding("DQ-4", q, None, "", "medium", why,
                        metrics={"unmet": list(ctx.snap.gates_unmet)})]


def dq5(ctx: RuleContext, q: str) -> list[Finding]:
    """DQ-5: every outcome observation of the quarter is self-reported by providers."""
    snap = ctx.snap
    kinds = [pt.verification or snap.indicators[iid].verification_type
             for (iid, _), s in snap.totals.items()
             if snap.indicators[iid].is_outcome and (pt := s.get(q)) is not None]
    if not kinds or any(k != "self_report_provider" for k in kinds):
        return []
    why = (f"All {len(kinds)} outcome observations of {q} are self-reported by providers: nobody "
           "else has checked them.")
    return [ctx.finding("DQ-5", q, None, "", "medium", why, metrics={"observations": len(kinds)})]


EVALUATORS = {"DQ-1": dq1, "DQ-2": dq2, "DQ-3": dq3, "DQ-4": dq4, "DQ-5": dq5}
