"""Sustainability failure rules SU-1..SU-9 (the method annex, docs/rules.md, describes each)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from coprod_me.model import entities as M
from coprod_me.model.amounts import amount
from coprod_me.model.quarter import Quarter
from coprod_me.risks.kit import Finding, RuleContext, back, quarter_of, strands_of_series


def _quarters_of(f: M.FundingSource) -> list[str]:
    """The quarters a source's period covers (cached per source: runs ask for them often)."""
    key = (f.period_start, f.period_end)
    hit = _QUARTERS_CACHE.get(key)
    if hit is None:
        hit = []
        if f.period_start is not None and f.period_end is not None:
            first, last = Quarter.containing(f.period_start), Quarter.containing(f.period_end)
            hit = [str(Quarter.from_index(i)) for i in range(first.index, last.index + 1)]
        _QUARTERS_CACHE[key] = hit
    return hit


_QUARTERS_CACHE: dict[tuple[object, object], list[str]] = {}


def per_quarter(f: M.FundingSource) -> float:
    qs = _quarters_of(f)
    return float(f.committed_amount or 0) / len(qs) if qs else 0.0


def committed_by(ctx: RuleContext, f: M.FundingSource) -> date | None:
    """When the money was committed: the field, else the latest dated evidence linked to it."""
    if f.committed_on is not None:
        return f.committed_on
    d = ctx.snap.evidence_dates.get(f.id or -1)
    return d if isinstance(d, date) else None


def _sources(ctx: RuleContext, strand: str | None) -> list[M.FundingSource]:
    """A strand's own sources plus programme-wide ones (programme level: all)."""
    return ctx.memo(("sources", strand), lambda: [
        f for f in ctx.snap.funding
        if strand is None or ctx.snap.strand_of(f.strand_id) in (strand, None)])


def _spend(ctx: RuleContext) -> dict[tuple[str | None, str], float]:
    """Spend by (strand, quarter), and by (None, quarter) for the programme."""
    def build() -> dict[tuple[str | None, str], float]:
        out: dict[tuple[str | None, str], float] = defaultdict(float)
        for s in ctx.snap.spend:
            out[(ctx.snap.strand_of(s.strand_id), s.period)] += s.amount
            if s.strand_id is not None:
                out[(None, s.period)] += s.amount
        return out
    return ctx.memo("spend", build)


def _units(ctx: RuleContext) -> list[str | None]:
    """Strands with their own money, or the programme when none has."""
    def build() -> list[str | None]:
        with_money = {ctx.snap.strand_of(f.strand_id) for f in ctx.snap.funding} | {
            ctx.snap.strand_of(s.strand_id) for s in ctx.snap.spend}
        strands = sorted(s for s in with_money if s is not None)
        return list(strands) if strands else [None]
    return ctx.memo("money_units", build)


def _pc(v: float) -> str:
    return amount(v, "percent")


def _money(v: float) -> str:
    return amount(v, "currency")


def _sponsor_shares(ctx: RuleContext, q: str, strand: str | None) -> tuple[
        dict[str, float], dict[str, M.Sponsor | None], float]:
    """Funding in quarter q by sponsor (a discretionary political allocation without a named
    sponsor counts as its own), which sponsor each key is, and the total committed."""
    sponsors = {s.id: s for s in ctx.snap.sponsors}
    by_sponsor: dict[str, float] = defaultdict(float)
    sponsor_of: dict[str, M.Sponsor | None] = {}
    total = 0.0
    for f in _sources(ctx, strand):
        if q not in _quarters_of(f):
            continue
        money = per_quarter(f)
        total += money
        if f.sponsor_id is not None:
            sp = sponsors.get(f.sponsor_id)
            key = sp.code if sp else str(f.sponsor_id)
            sponsor_of[key] = sp
            by_sponsor[key] += money
        elif f.type == "discretionary_political_allocation":
            by_sponsor[f.code] += money
            sponsor_of[f.code] = None
    return by_sponsor, sponsor_of, total


def su1(ctx: RuleContext, q: str) -> list[Finding]:
    """SU-1: funding depends on one political sponsor.

    dep = funding of the quarter linked to the largest single sponsor (a discretionary
    political allocation counts) / all funding committed for the quarter, per strand with
    money of its own. Raised at dep >= dep_medium_pct. High when, with no commitment beyond
    the term, the earlier of the sponsor's term end and next election is horizon_months or
    fewer away, or falls before the planned end of the strand (else the programme); medium
    otherwise."""
    p = ctx.p("SU-1")
    here = quarter_of(q)
    floor, horizon = float(p["dep_medium_pct"]), int(p["horizon_months"])
    out: list[Finding] = []
    for strand in _units(ctx):
        by_sponsor, sponsor_of, total = _sponsor_shares(ctx, q, strand)
        if not by_sponsor or total <= 0:
            continue
        key, money = max(by_sponsor.items(), key=lambda kv: kv[1])
        # at a precision floats keep, so a share on the threshold is on it (not 59.99999...)
        dep = round(100 * money / total, 9)
        if dep < floor:
            continue
        sp = sponsor_of[key]
        ends = [d for d in ((sp.term_end_date, sp.next_election_date) if sp else ()) if d]
        end = min(ends) if ends else None
        gap = None if end is None else (
            (end.year - here.end.year) * 12 + (end.month - here.end.month))
        committed = bool(sp and sp.commitment_beyond_term)
        unit = ctx.snap.strands.get(strand) if strand else None
        planned_end = (unit.end_date if unit is not None and unit.end_date
                       else ctx.snap.programme.planned_end_date)
        before_end = bool(end and planned_end and end < planned_end)
        soon = gap is not None and gap <= horizon
        high = (soon or before_end) and not committed
        who = (sp.office_title or sp.code) if sp else f"the discretionary allocation {key}"
        name = ctx.strand_name(strand)
        why = (f"{_pc(dep)} of the funding of {name} in {q} ({_money(money)} of "
               f"{_money(total)}) depends on one political sponsor, {who}; the rule looks "
               f"from {_pc(floor)}.")
        if end is not None and planned_end is not None:
            why += (f" Their term or the next election ({end.isoformat()}) is {gap} months "
                    f"away; the planned end is {planned_end.isoformat()}.")
        elif end is not None:
            why += f" Their term or the next election ({end.isoformat()}) is {gap} months away."
        else:
            why += " No term end or election date is recorded for them."
        why += (" A commitment beyond the term is recorded." if committed
                else " No commitment beyond the term is recorded.")
        lead = f"dependence {_pc(dep)} is at or above {_pc(floor)}"
        if high:
            when = (f"the term or election is {gap} months away, within {horizon}" if soon
                    else f"the term or election ({end}) falls before the planned end "
                    f"({planned_end})")
            reason = f"high: {lead}, {when}, and no commitment beyond the term is recorded"
        elif committed and (soon or before_end):
            reason = (f"medium: {lead}; the sponsor's horizon is short but a commitment beyond "
                      "the term is recorded")
        elif end is None:
            reason = f"medium: {lead}; no term end or election date is recorded"
        else:
            reason = (f"medium: {lead}; the term or election is {gap} months away (beyond "
                      f"{horizon}) and not before the planned end")
        out.append(ctx.finding(
            "SU-1", q, strand, "", "high" if high else "medium", why,
            metrics={"dependence_pct": round(dep, 1), "sponsor": key, "months_to_term_end": gap,
                     "term_ends_before_planned_end": before_end,
                     "commitment_beyond_term": committed},
            thresholds=[ctx.threshold("SU-1", "dep_medium_pct", round(dep, 1), unit="percent"),
                        ctx.threshold("SU-1", "horizon_months", gap, unit="months")],
            inputs={"sponsor_funding": round(money, 2), "total_funding": round(total, 2),
                    "planned_end": planned_end.isoformat() if planned_end else None},
            primary=("dependence_pct", dep), severity_reason=reason))
    return out


def _renewed(f: M.FundingSource, known: list[M.FundingSource]) -> bool:
    """Is f a renewable recurrent budget line with no successor recorded yet?"""
    return (f.type == "recurrent_budget" and bool(f.is_renewable)
            and not any(g is not f and g.type == f.type and g.strand_id == f.strand_id
                        and g.period_start is not None and f.period_end is not None
                        and g.period_start > f.period_end for g in known))


def runway(ctx: RuleContext, q: str, strand: str | None) -> tuple[float, float, float] | None:
    """(committed for the next 4 quarters, spent in the trailing 4, the part of the committed
    assumed from renewable recurrent budget lines), commitments known at q."""
    here = quarter_of(q)
    ahead = {back(q, -k) for k in range(1, 5)}
    known = [f for f in _sources(ctx, strand)
             if (when := committed_by(ctx, f)) is None or when <= here.end]
    committed = assumed = 0.0
    for f in known:
        covered = _quarters_of(f)
        n = sum(1 for x in covered if x in ahead)
        committed += n * per_quarter(f)
        # A renewable recurrent budget line is the opposite of a funding cliff: until its
        # successor is known it is expected to continue at its rate, or every annual budget
        # would look like a cliff three quarters out of four.
        if covered and _renewed(f, known):
            n_after = sum(1 for x in ahead if x > covered[-1])
            assumed += n_after * per_quarter(f)
    spend = _spend(ctx)
    spent = sum(spend.get((strand, back(q, k)), 0.0) for k in range(4))
    if spent <= 0:
        return None
    return committed + assumed, spent, assumed


def su2(ctx: RuleContext, q: str) -> list[Finding]:
    """SU-2: the funding runway is short.

    runway = funding committed (known by the end of the quarter) for the next four quarters /
    spend in the trailing four quarters, per strand with money and spend this quarter. A
    renewable recurrent budget line with no successor recorded is taken to continue at its
    rate (a recorded departure). High below runway_high_pct, medium below runway_medium_pct."""
    p = ctx.p("SU-2")
    medium, high = float(p["runway_medium_pct"]), float(p["runway_high_pct"])
    out: list[Finding] = []
    for strand in _units(ctx):
        if (strand, q) not in _spend(ctx):
            continue
        r = runway(ctx, q, strand)
        if r is None:
            continue
        committed, spent, assumed = r
        rw = round(100 * committed / spent, 9)  # on the threshold is on it (float noise)
        if rw >= medium:
            continue
        sev = "high" if rw < high else "medium"
        why = (f"Funding runway of {ctx.strand_name(strand)} at {q}: {_money(committed)} "
               f"committed for the next four quarters against {_money(spent)} spent in the "
               f"last four, a runway of {_pc(rw)} (medium below {_pc(medium)}, high below "
               f"{_pc(high)}).")
        if assumed:
            why += (f" {_money(assumed)} of it is a renewable recurrent budget line assumed to "
                    "continue at its rate until its successor is recorded.")
        reason = (f"high: the runway of {_pc(rw)} is below {_pc(high)}" if sev == "high" else
                  f"medium: the runway of {_pc(rw)} is below {_pc(medium)} but not below "
                  f"{_pc(high)}")
        out.append(ctx.finding(
            "SU-2", q, strand, "", sev, why,
            metrics={"runway_pct": round(rw, 1), "committed_next_4q": round(committed, 2),
                     "spent_trailing_4q": round(spent, 2),
                     "assumed_renewal": round(assumed, 2)},
            thresholds=[ctx.threshold("SU-2", "runway_medium_pct", round(rw, 1), unit="percent"),
                        ctx.threshold("SU-2", "runway_high_pct", round(rw, 1), unit="percent")],
            primary=("runway_pct", rw), severity_reason=reason))
    return out
def status_at(ctx: RuleContext, q: str, strand: str | None) -> tuple[str | None, bool]:
    """(institutional status, transition plan approved) at quarter q: the latest recorded
    change, else the strand's own, else the programme's."""
    prog = ctx.snap.programme
    changes = sorted((c for c in ctx.snap.status_changes
                      if ctx.snap.strand_of(c.strand_id) == strand and c.period <= q),
                     key=lambda c: c.period)
    if changes:
        return changes[-1].institutional_status, changes[-1].transition_plan_approved
    s = ctx.snap.strands.get(strand) if strand else None
    if s is not None and s.institutional_status:
        return s.institutional_status, bool(s.transition_plan_approved
                                            if s.transition_plan_approved is not None
                                            else prog.transition_plan_approved)
    return prog.institutional_status, bool(prog.transition_plan_approved)


def su3(ctx: RuleContext, q: str) -> list[Finding]:
    """SU-3: a pilot or time-limited project runs on without being institutionalised.

    Raised when the status at the quarter (the latest recorded change, else the strand's,
    else the programme's) is pilot_experiment or time_limited_project with no approved
    transition plan, and at the end of the quarter the unit is older than age_months or has
    used more than elapsed_share_pct of its planned duration. High when SU-2 (funding
    runway) fires for the same unit this quarter, medium otherwise."""
    p = ctx.p("SU-3")
    prog = ctx.snap.programme
    here = quarter_of(q)
    age_max, share_max = int(p["age_months"]), float(p["elapsed_share_pct"])
    out: list[Finding] = []
    units: list[str | None] = list(ctx.snap.strands) or [None]
    for strand in units:
        status, approved = status_at(ctx, q, strand)
        if status not in ("pilot_experiment", "time_limited_project") or approved:
            continue
        s = ctx.snap.strands.get(strand) if strand else None
        start = (s.start_date if s and s.start_date else None) or prog.start_date
        end = (s.end_date if s and s.end_date else None) or prog.planned_end_date
        if start is None:
            continue
        # the whole quarter has elapsed at its end
        now = here.end + timedelta(days=1)
        age = (now.year - start.year) * 12 + (now.month - start.month)
        elapsed = (100 * (now - start).days / ((end + timedelta(days=1)) - start).days
                   if end and end > start else None)
        old = age > age_max
        late = elapsed is not None and elapsed > share_max
        if not (old or late):
            continue
        with_su2 = bool(ctx.fired("SU-2", q, strand))
        name = ctx.strand_name(strand) if strand else (prog.name or prog.code)
        words = status.replace("_", " ")
        why = (f"{name} is still a {words} after {age} months"
               + (f" ({_pc(elapsed)} of its planned duration)" if elapsed is not None else "")
               + " with no approved transition plan or recurrent budget line; the rule looks "
               f"past {age_max} months or {_pc(share_max)} of the planned duration.")
        past = " and ".join(
            ([f"{age} months is past {age_max}"] if old else [])
            + ([f"{_pc(elapsed)} of the duration is past {_pc(share_max)}"]
               if late and elapsed is not None else []))
        if with_su2:
            why += " Its funding runway is short too, so high."
            reason = (f"high: still a {words} ({past}) and the funding runway rule (SU-2) "
                      "fires for it this quarter")
        else:
            reason = (f"medium: still a {words} ({past}); the funding runway rule (SU-2) "
                      "does not fire for it this quarter")
        out.append(ctx.finding(
            "SU-3", q, strand, "", "high" if with_su2 else "medium", why,
            metrics={"status": status, "age_months": age,
                     "elapsed_pct": None if elapsed is None else round(elapsed, 1)},
            thresholds=[ctx.threshold("SU-3", "age_months", age, unit="months"),
                        ctx.threshold("SU-3", "elapsed_share_pct",
                                      None if elapsed is None else round(elapsed, 1),
                                      unit="percent")],
            primary=("age_months", float(age)),
            escalations=("SU-2 fires",) if with_su2 else (), severity_reason=reason))
    return out


ActiveSeries = dict[tuple[str | None, str], dict[str, M.ParticipationRecord]]


def _active_series(ctx: RuleContext) -> ActiveSeries:
    """Whole-strand participation records with an active count, by (strand, phase), by
    quarter (breakdowns by group are not a series)."""
    def build() -> ActiveSeries:
        out: ActiveSeries = defaultdict(dict)
        for r in ctx.snap.participation:
            if not r.group_dimension and r.active is not None:
                out[(ctx.snap.strand_of(r.strand_id), r.phase or "")][r.period] = r
        return out
    return ctx.memo("active_series", build)


def _phase_label(ctx: RuleContext, strand: str | None, phase: str) -> str:
    """'Boston, co-design' as a flag's text names a strand's phase."""
    where_ = ctx.strand_name(strand) if strand else "the programme"
    return f"{where_}, {phase.replace('_', '-')}" if phase else where_


def _retention_rates(by_q: dict[str, M.ParticipationRecord], q: str) -> list[float]:
    """The quarterly retention rates R of the last four quarters up to q, newest first:
    continuing_active / active of the quarter before (fallback (active - new) / active
    before); stops at the first quarter that cannot be computed."""
    rates = []
    for k in range(4):
        a, b = by_q.get(back(q, k)), by_q.get(back(q, k + 1))
        if a is None or b is None or not b.active:
            break
        cont = a.continuing_active
        if cont is None and a.new is not None and a.active is not None:
            cont = a.active - a.new
        if cont is None:
            break
        rates.append(max(cont, 0) / b.active)
    return rates


def su4(ctx: RuleContext, q: str) -> list[Finding]:
    """SU-4: participants or volunteers are not retained, or active numbers fall steeply.

    R_t = continuing_active_t / active_{t-1} (fallback (active_t - new_t) / active_{t-1});
    R_4 = the product of the last four quarterly R. With fewer than four quarters of history
    the product of those there are is used, never annualised (a recorded departure: the
    product only falls as quarters are added, so one already below the floor is below it at
    four). High when active participants are down more than active_drop_pct over two
    consecutive quarters (active_{t-2} to active_t); medium when R_4 < annual_retention_pct.
    Suppressed when the cohort (active_{t-1}) is under min_n."""
    p = ctx.p("SU-4")
    drop_max, floor = float(p["active_drop_pct"]), float(p["annual_retention_pct"])
    out: list[Finding] = []
    for (strand, phase), by_q in _active_series(ctx).items():
        r, prev, first = by_q.get(q), by_q.get(back(q, 1)), by_q.get(back(q, 2))
        if r is None or prev is None or not prev.active or r.active is None:
            continue
        rates = _retention_rates(by_q, q)
        drop = None
        if first is not None and first.active:
            drop = round(100 * (first.active - r.active) / first.active, 9)
        steep = drop is not None and drop > drop_max
        r4 = None
        if rates:
            prod = 1.0
            for x in rates:
                prod *= x
            r4 = round(100 * prod, 9)
        low = r4 is not None and r4 < floor
        if not (steep or low):
            continue
        label = _phase_label(ctx, strand, phase)
        parts = []
        if steep and first is not None:
            parts.append(f"active participants fell from {amount(first.active, 'count')} in "
                         f"{back(q, 2)} to {amount(prev.active, 'count')} and then "
                         f"{amount(r.active, 'count')} in {q}, {_pc(drop or 0)} down over two "
                         f"quarters (high past {_pc(drop_max)})")
        if r4 is not None:
            over = "four quarters" if len(rates) == 4 else (
                f"the {len(rates)} quarter{'s' if len(rates) > 1 else ''} with data (not "
                "annualised)")
            parts.append(f"retention over {over} is {_pc(r4)} (benchmark {_pc(floor)}, "
                         "the CNCS volunteer retention)")
        why = f"Participants are not staying ({label}): " + "; ".join(parts) + "."
        if steep:
            reason = (f"high: active participants are down {_pc(drop or 0)} over two "
                      f"consecutive quarters, more than {_pc(drop_max)}")
        else:
            reason = (f"medium: retention {_pc(r4 or 0)} is below {_pc(floor)}; active "
                      f"participants are not down more than {_pc(drop_max)} over two quarters")
        metrics = {"retention_pct": None if r4 is None else round(r4, 1),
                   "retention_quarters": len(rates),
                   "quarterly_retention": [round(x, 3) for x in rates],
                   "active_drop_2q_pct": None if drop is None else round(drop, 1)}
        th = [ctx.threshold("SU-4", "annual_retention_pct", None if r4 is None else round(r4, 1),
                            unit="percent"),
              ctx.threshold("SU-4", "active_drop_pct", None if drop is None else round(drop, 1),
                            unit="percent")]
        if prev.active < int(p["min_n"]):
            out.append(ctx.suppressed(
                "SU-4", q, strand, phase,
                why + f" The cohort was {prev.active}, under the minimum of {p['min_n']}.",
                metrics=metrics, thresholds=th,
                severity_reason=f"suppressed: a cohort of {prev.active} is under {p['min_n']}"))
            continue
        out.append(ctx.finding(
            "SU-4", q, strand, phase, "high" if steep else "medium", why, metrics=metrics,
            thresholds=th, severity_reason=reason,
            primary=(("active_drop_2q_pct", float(drop or 0)) if steep
                     else ("retention_pct", float(r4 or 0)))))
    return out


def su5(ctx: RuleContext, q: str) -> list[Finding]:
    """SU-5: active contributors decay well below their peak after launch.

    decay = active this quarter / the highest active count up to it, read from the second
    quarter after the peak. High below decay_high_pct of the peak, medium below
    decay_medium_pct. Suppressed when the peak is under min_n."""
    p = ctx.p("SU-5")
    medium, high = float(p["decay_medium_pct"]), float(p["decay_high_pct"])
    out: list[Finding] = []
    for (strand, phase), by_q in _active_series(ctx).items():
        r = by_q.get(q)
        if r is None or r.active is None:
            continue
        past = [(x, by_q[x].active or 0) for x in sorted(by_q) if x <= q]
        peak_q, peak = max(past, key=lambda t: (t[1], t[0]))
        if peak <= 0 or quarter_of(q) - quarter_of(peak_q) < 2:
            continue
        decay = round(100 * r.active / peak, 9)
        if decay >= medium:
            continue
        sev = "high" if decay < high else "medium"
        why = (f"Engagement after launch ({_phase_label(ctx, strand, phase)}): "
               f"{amount(r.active, 'count')} active contributors in {q} are {_pc(decay)} of the "
               f"peak of {amount(peak, 'count')} in {peak_q} (medium below {_pc(medium)}, high "
               f"below {_pc(high)}).")
        reason = (f"high: {_pc(decay)} of the peak is below {_pc(high)}" if sev == "high" else
                  f"medium: {_pc(decay)} of the peak is below {_pc(medium)} but not below "
                  f"{_pc(high)}")
        metrics = {"decay_pct": round(decay, 1), "peak": peak, "peak_quarter": peak_q,
                   "active": r.active}
        th = [ctx.threshold("SU-5", "decay_medium_pct", round(decay, 1), unit="percent"),
              ctx.threshold("SU-5", "decay_high_pct", round(decay, 1), unit="percent")]
        if peak < int(p["min_n"]):
            out.append(ctx.suppressed(
                "SU-5", q, strand, phase, why + f" The peak was {peak}, under {p['min_n']}.",
                metrics=metrics, thresholds=th,
                severity_reason=f"suppressed: a peak of {peak} is under {p['min_n']}"))
            continue
        out.append(ctx.finding("SU-5", q, strand, phase, sev, why, metrics=metrics,
                               thresholds=th, primary=("decay_pct", decay),
                               severity_reason=reason))
    return out
def _reverified(ctx: RuleContext, q: str, ind: Any, strand: str | None,
                v: float) -> Finding | None:
    """SU-6's second arm: the share of certified units that passed re-verification."""
    floor = float(ctx.p("SU-6")["sustained_pct"])
    if v >= floor:
        return None
    why = (f"Only {_pc(v)} of certified units in {ctx.strand_name(strand)} passed "
           f"re-verification in {q} ({ind.name}), below {_pc(floor)} (NARSS 2018-19 "
           "re-confirmed 90.7 % of villages declared open-defecation free): outcomes are "
           "slipping.")
    return ctx.finding(
        "SU-6", q, strand, ind.code, "high", why, metrics={"sustained_pct": v},
        thresholds=[ctx.threshold("SU-6", "sustained_pct", v, unit="percent")],
        primary=("sustained_pct", v),
        severity_reason=(f"high (the rule's one level): the re-verified share {_pc(v)} is "
                         f"below {_pc(floor)}"))


def su6(ctx: RuleContext, q: str) -> list[Finding]:
    """SU-6: an outcome that met its target slips back, or re-verified units are not sustained.

    For each outcome series: the earliest earlier quarter in which it met a target, when the
    value now is worse than that target by slip_rel or more (relative, direction-adjusted); or,
    for an indicator whose role is the re-verified sustained share, a value below
    sustained_pct. Either is high (the rule's one level)."""
    snap, p = ctx.snap, ctx.p("SU-6")
    slip_min = float(p["slip_rel"])
    out: list[Finding] = []
    for ind in snap.indicators.values():
        if not ind.is_outcome:
            continue
        for strand in strands_of_series(snap, ind.id):
            s = snap.totals[(ind.id, strand)]
            if q not in s:
                continue
            v = s[q].value
            if ind.risk_role == "reverified_sustained_share":
                f = _reverified(ctx, q, ind, strand, v)
                if f is not None:
                    out.append(f)
                continue
            targets = snap.targets.get((ind.id, strand)) or snap.targets.get((ind.id, None), {})
            for tq, target in sorted(targets.items()):
                if tq >= q or tq not in s:
                    continue
                met = ind.sign * (s[tq].value - target) >= 0
                if not met or target == 0:
                    continue
                slip = round(ind.sign * (target - v) / abs(target), 9)
                if slip < slip_min:
                    continue
                why = (f"{ind.name} in {ctx.strand_name(strand)} met its target of "
                       f"{amount(target, ind.unit)} in {tq} ({amount(s[tq].value, ind.unit)}) "
                       f"but is {amount(v, ind.unit)} in {q}, {_pc(100 * slip)} worse than the "
                       f"target (the rule looks from {_pc(100 * slip_min)}).")
                out.append(ctx.finding(
                    "SU-6", q, strand, ind.code, "high", why,
                    metrics={"slip_rel": round(slip, 3), "target": target, "met_in": tq},
                    thresholds=[ctx.threshold("SU-6", "slip_rel", round(slip, 3), unit="ratio")],
                    primary=("slip_rel", slip),
                    severity_reason=(f"high (the rule's one level): {_pc(100 * slip)} worse "
                                     f"than a target met in {tq}, at least "
                                     f"{_pc(100 * slip_min)}")))
                break
    return out


_LEVELS = {"individual": "individual", "organizational": "organisational",
           "systemic": "system", "system": "system"}


def _latest_assessments(ctx: RuleContext, q: str) -> list[
        tuple[M.CapacityAssessment, tuple[M.CapacityScore, ...]]]:
    """The latest capacity assessment of each actor up to the end of quarter q."""
    end = quarter_of(q).end
    latest: dict[tuple[str, int | None],
                 tuple[M.CapacityAssessment, tuple[M.CapacityScore, ...]]] = {}
    for a, scores in ctx.snap.capacity:
        if a.assessed_on > end:
            continue
        key = (a.actor_scope, a.actor_id)
        if key not in latest or latest[key][0].assessed_on < a.assessed_on:
            latest[key] = (a, scores)
    return list(latest.values())


def su7(ctx: RuleContext, q: str) -> list[Finding]:
    """SU-7: the latest capacity assessment scores a cell at or below the cut.

    For each assessed actor, its latest 3 x 3 capacity assessment up to the quarter's end:
    any cell scored at or below cell_max (0-4 scale) is medium; the organisational-operational
    cell at or below it is high."""
    cut = int(ctx.p("SU-7")["cell_max"])
    out: list[Finding] = []
    for a, scores in _latest_assessments(ctx, q):
        weak = [s for s in scores if s.score <= cut]
        if not weak:
            continue
        org_op = any(s.level == "organizational" and s.competence == "operational" for s in weak)
        cells = ", ".join(f"{_LEVELS.get(s.level, s.level)}-{s.competence} {s.score}"
                          for s in weak)
        who = a.actor_scope.replace("_", " ")
        actor = ctx.snap.actors.get(a.actor_id) if a.actor_id is not None else None
        if actor is not None and actor.name:
            who = f"{actor.name}, {who}"
        why = (f"The capacity assessment of {a.assessed_on.isoformat()} ({who}) scores "
               f"{cells} on the 0-4 scale, at or below {cut}"
               + ("; organisational-operational capacity, the 'Achilles heel' of "
                  "co-production, is weak" if org_op else "") + ".")
        reason = (f"high: the organisational-operational cell scores at or below {cut}"
                  if org_op else
                  f"medium: {len(weak)} cell{'s' if len(weak) > 1 else ''} at or below {cut}, "
                  "the organisational-operational cell above it")
        out.append(ctx.finding(
            "SU-7", q, None, a.code, "high" if org_op else "medium", why,
            metrics={"weak_cells": {f"{s.level}/{s.competence}": s.score for s in weak}},
            thresholds=[ctx.threshold("SU-7", "cell_max", min(s.score for s in weak),
                                      unit="score_0_4")],
            primary=("weak_cells", float(len(weak))), severity_reason=reason))
    return out


def su8(ctx: RuleContext, q: str) -> list[Finding]:
    """SU-8: the programme rests on one named lead with no deputy, or its lead changed.

    Raised (medium, the rule's one level) when the programme names a lead with no deputy or
    succession plan, or a change of lead is dated in the quarter."""
    prog = ctx.snap.programme
    here = quarter_of(q)
    changed = [d for d in ctx.snap.lead_changes if here.start <= d <= here.end]
    single = bool(prog.lead_person) and not prog.lead_has_deputy
    if not single and not changed:
        return []
    reasons = []
    if single:
        reasons.append(f"rests on one named lead ({prog.lead_person}) with no deputy or "
                       "succession plan")
    if changed:
        reasons.append(f"changed its lead this quarter (on {changed[-1].isoformat()})")
    said = " and ".join(reasons)
    why = f"{prog.name or prog.code} {said}."
    return [ctx.finding("SU-8", q, None, "", "medium", why,
                        metrics={"lead": prog.lead_person, "single_lead": single,
                                 "lead_changed_on": changed[-1].isoformat() if changed
                                 else None},
                        severity_reason=f"medium (the rule's one level): the programme {said}")]


def su9(ctx: RuleContext, q: str) -> list[Finding]:
    """SU-9: an outcome has no measurement planned after its activities end.

    An outcome indicator whose activities end (its strand's end date, else the programme's
    planned end) within ending_within_quarters quarters of this one, and that has no
    post-exit measurement due at least post_exit_months after that end. Medium in the quarter
    the activities end, low before."""
    p = ctx.p("SU-9")
    prog = ctx.snap.programme
    here = quarter_of(q)
    within, months = int(p["ending_within_quarters"]), int(p["post_exit_months"])
    out: list[Finding] = []
    for ind in ctx.snap.indicators.values():
        if not ind.is_outcome:
            continue
        unit = ctx.snap.strands.get(ind.strand) if ind.strand else None
        end = unit.end_date if unit is not None and unit.end_date else prog.planned_end_date
        if end is None:
            continue
        gap = Quarter.containing(end) - here
        if not 0 <= gap <= within:
            continue
        need = end + timedelta(days=round(30.44 * months))
        due = ind.post_exit_due
        if isinstance(due, date) and due >= need:
            continue
        whose = (f"{ctx.strand_name(ind.strand)} ends" if unit is not None and unit.end_date
                 else "the programme ends")
        planned = (f"the only one planned is on {due.isoformat()}, before {need.isoformat()}"
                   if isinstance(due, date) else "none is planned")
        why = (f"{ind.name} has no measurement planned {months} months or more after "
               f"{whose} on {end.isoformat()} ({planned}): nobody will know whether the "
               "benefits last.")
        sev = "medium" if gap == 0 else "low"
        reason = (f"medium: the activities end this quarter ({end.isoformat()})" if gap == 0
                  else f"low: the activities end in {gap} quarter{'s' if gap > 1 else ''} "
                  f"({end.isoformat()}), within {within}; medium in the quarter they end")
        out.append(ctx.finding(
            "SU-9", q, None, ind.code, sev, why,
            metrics={"post_exit_due": str(due) if due else None, "ends_on": end.isoformat(),
                     "quarters_to_end": gap},
            thresholds=[ctx.threshold("SU-9", "ending_within_quarters", gap, unit="quarters"),
                        ctx.threshold("SU-9", "post_exit_months", None, unit="months")],
            severity_reason=reason))
    return out


EVALUATORS = {"SU-1": su1, "SU-2": su2, "SU-3": su3, "SU-4": su4, "SU-5": su5, "SU-6": su6,
              "SU-7": su7, "SU-8": su8, "SU-9": su9}
