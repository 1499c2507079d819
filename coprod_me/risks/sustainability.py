"""Sustainability failure rules SU-1..SU-9 (domain §2.3)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from coprod_me.model import entities as M
from coprod_me.model.quarter import Quarter
from coprod_me.risks.kit import (
    Finding,
    RuleContext,
    back,
    fmt,
    pct,
    quarter_of,
    strands_of_series,
    where,
)


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


def su1(ctx: RuleContext, q: str) -> list[Finding]:
    """SU-1: funding depends on one political sponsor, high when their horizon is short."""
    p = ctx.p("SU-1")
    here = quarter_of(q)
    sponsors = {s.id: s for s in ctx.snap.sponsors}
    out: list[Finding] = []
    for strand in _units(ctx):
        by_sponsor: dict[str, float] = defaultdict(float)
        total = 0.0
        sponsor_of: dict[str, M.Sponsor | None] = {}
        for f in _sources(ctx, strand):
            if q not in _quarters_of(f):
                continue
            amount = per_quarter(f)
            total += amount
            if f.sponsor_id is not None:
                sp = sponsors.get(f.sponsor_id)
                key = sp.code if sp else str(f.sponsor_id)
                sponsor_of[key] = sp
                by_sponsor[key] += amount
            elif f.type == "discretionary_political_allocation":
                by_sponsor[f.code] += amount
                sponsor_of[f.code] = None
        if not by_sponsor or total <= 0:
            continue
        key, amount = max(by_sponsor.items(), key=lambda kv: kv[1])
        dep = 100 * amount / total
        if dep < float(p["dep_medium_pct"]):
            continue
        sp = sponsor_of[key]
        ends = [d for d in ((sp.term_end_date, sp.next_election_date) if sp else ()) if d]
        gap = None
        if ends:
            end = min(ends)
            gap = (end.year - here.end.year) * 12 + (end.month - here.end.month)
        committed = bool(sp and sp.commitment_beyond_term)
        # The sponsor's horizon also bites when it ends before the programme (or strand) does.
        unit = ctx.snap.strands.get(strand) if strand else None
        planned_end = (unit.end_date if unit is not None and unit.end_date
                       else ctx.snap.programme.planned_end_date)
        before_end = bool(ends and planned_end and min(ends) < planned_end)
        soon = gap is not None and gap <= int(p["horizon_months"])
        high = (soon or before_end) and not committed
        who = (sp.office_title or sp.code) if sp else key
        why = (f"{pct(dep)} of funding{where(strand)} in {q} depends on one political sponsor "
               f"({who})")
        if gap is not None:
            why += (f"; their term or the next election is {gap} months away"
                    + (f", before the planned end on {planned_end.isoformat()}"
                       if before_end and planned_end else "")
                    + (" and there is no commitment beyond it" if not committed
                       else ", with a commitment beyond the term"))
        why += "."
        out.append(ctx.finding(
            "SU-1", q, strand, "", "high" if high else "medium", why,
            metrics={"dependence_pct": round(dep, 1), "sponsor": key, "months_to_term_end": gap,
                     "term_ends_before_planned_end": before_end,
                     "commitment_beyond_term": committed},
            thresholds=[ctx.threshold("SU-1", "dep_medium_pct", round(dep, 1)),
                        ctx.threshold("SU-1", "horizon_months", gap)],
            primary=("dependence_pct", dep)))
    return out


def runway(ctx: RuleContext, q: str, strand: str | None) -> tuple[float, float] | None:
    """(committed for the next 4 quarters, spent in the trailing 4), commitments known at q."""
    here = quarter_of(q)
    ahead = {back(q, -k) for k in range(1, 5)}
    known = [f for f in _sources(ctx, strand)
             if (when := committed_by(ctx, f)) is None or when <= here.end]
    committed = 0.0
    for f in known:
        covered = _quarters_of(f)
        n = sum(1 for x in covered if x in ahead)
        committed += n * per_quarter(f)
        # A renewable recurrent budget line is the opposite of a funding cliff: until its
        # successor is known it is expected to continue at its rate, or every annual budget
        # would look like a cliff three quarters out of four.
        if (f.type == "recurrent_budget" and f.is_renewable and covered
                and not any(g is not f and g.type == f.type and g.strand_id == f.strand_id
                            and g.period_start is not None and f.period_end is not None
                            and g.period_start > f.period_end for g in known)):
            n_after = sum(1 for x in ahead if x > covered[-1])
            committed += n_after * per_quarter(f)
    spend = _spend(ctx)
    spent = sum(spend.get((strand, back(q, k)), 0.0) for k in range(4))
    if spent <= 0:
        return None
    return committed, spent


def su2(ctx: RuleContext, q: str) -> list[Finding]:
    """SU-2: funding committed for the next four quarters is short of the trailing spend."""
    p = ctx.p("SU-2")
    out: list[Finding] = []
    for strand in _units(ctx):
        if (strand, q) not in _spend(ctx):
            continue
        r = runway(ctx, q, strand)
        if r is None:
            continue
        committed, spent = r
        rw = 100 * committed / spent
        if rw >= float(p["runway_medium_pct"]):
            continue
        sev = "high" if rw < float(p["runway_high_pct"]) else "medium"
        why = (f"Funding runway{where(strand)} at {q}: {fmt(committed)} committed for the next "
               f"four quarters against {fmt(spent)} spent in the last four ({pct(rw)}).")
        out.append(ctx.finding(
            "SU-2", q, strand, "", sev, why,
            metrics={"runway_pct": round(rw, 1), "committed_next_4q": round(committed, 2),
                     "spent_trailing_4q": round(spent, 2)},
            thresholds=[ctx.threshold("SU-2", "runway_medium_pct", round(rw, 1)),
                        ctx.threshold("SU-2", "runway_high_pct", round(rw, 1))],
            primary=("runway_pct", rw)))
    return out


def status_at(ctx: RuleContext, q: str, strand: str | None) -> tuple[str | None, bool]:
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
    """SU-3: a pilot or time-limited project runs on with no approved transition plan."""
    p = ctx.p("SU-3")
    prog = ctx.snap.programme
    here = quarter_of(q)
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
        old = age > int(p["age_months"])
        late = elapsed is not None and elapsed > float(p["elapsed_share_pct"])
        if not (old or late):
            continue
        with_su2 = bool(ctx.fired("SU-2", q, strand))
        why = (f"{strand or prog.code} is still a {status.replace('_', ' ')} after {age} months"
               + (f" ({elapsed:.0f} % of its planned duration)" if elapsed is not None else "")
               + " with no approved transition plan or recurrent budget line.")
        if with_su2:
            why += " Its funding runway is short too (SU-2), so high."
        out.append(ctx.finding(
            "SU-3", q, strand, "", "high" if with_su2 else "medium", why,
            metrics={"status": status, "age_months": age,
                     "elapsed_pct": None if elapsed is None else round(elapsed, 1)},
            thresholds=[ctx.threshold("SU-3", "age_months", age),
                        ctx.threshold("SU-3", "elapsed_share_pct",
                                      None if elapsed is None else round(elapsed, 1))],
            primary=("age_months", float(age)),
            escalations=("SU-2 fires",) if with_su2 else ()))
    return out


ActiveSeries = dict[tuple[str | None, str], dict[str, M.ParticipationRecord]]


def _active_series(ctx: RuleContext) -> ActiveSeries:
    def build() -> ActiveSeries:
        out: ActiveSeries = defaultdict(dict)
        for r in ctx.snap.participation:
            if not r.group_dimension and r.active is not None:
                out[(ctx.snap.strand_of(r.strand_id), r.phase or "")][r.period] = r
        return out
    return ctx.memo("active_series", build)


def su4(ctx: RuleContext, q: str) -> list[Finding]:
    """SU-4: participants or volunteers are not retained, or active numbers fall steeply."""
    p = ctx.p("SU-4")
    out: list[Finding] = []
    for (strand, phase), by_q in _active_series(ctx).items():
        r, prev = by_q.get(q), by_q.get(back(q, 1))
        if r is None or prev is None or not prev.active:
            continue
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
        drops = []
        for k in range(2):
            a, b = by_q.get(back(q, k)), by_q.get(back(q, k + 1))
            if a is not None and b is not None and b.active and a.active is not None:
                drops.append(100 * (b.active - a.active) / b.active)
        steep = len(drops) == 2 and all(d > float(p["active_drop_pct"]) for d in drops)
        annual = None
        if rates:
            prod = 1.0
            for x in rates:
                prod *= x
            annual = 100 * prod ** (4 / len(rates))
        low = annual is not None and annual < float(p["annual_retention_pct"])
        if not (steep or low):
            continue
        sev = "high" if steep else "medium"
        label = f"{strand or 'programme'} {phase.replace('_', '-')}".strip()
        why = (f"Participants are not staying ({label}, {q}): "
               + (f"annualised retention {pct(annual)} (benchmark 65 %, CNCS)"
                  if annual is not None else "")
               + (f"; active participants fell {drops[1]:.0f} % and then {drops[0]:.0f} % in "
                  "consecutive quarters" if steep else "") + ".")
        metrics = {"annual_retention_pct": None if annual is None else round(annual, 1),
                   "quarterly_retention": [round(x, 3) for x in rates],
                   "active_drops_pct": [round(d, 1) for d in drops]}
        th = [ctx.threshold("SU-4", "annual_retention_pct",
                            None if annual is None else round(annual, 1)),
              ctx.threshold("SU-4", "active_drop_pct")]
        if prev.active < int(p["min_n"]):
            out.append(ctx.suppressed("SU-4", q, strand, phase, why +
                                      f" The cohort was {prev.active}.", metrics=metrics,
                                      thresholds=th))
            continue
        out.append(ctx.finding("SU-4", q, strand, phase, sev, why, metrics=metrics,
                               thresholds=th,
                               primary=("annual_retention_pct", float(annual or 0))))
    return out


def su5(ctx: RuleContext, q: str) -> list[Finding]:
    """SU-5: active contributors decay well below their peak after launch."""
    p = ctx.p("SU-5")
    out: list[Finding] = []
    for (strand, phase), by_q in _active_series(ctx).items():
        r = by_q.get(q)
        if r is None or r.active is None:
            continue
        past = [(x, by_q[x].active or 0) for x in sorted(by_q) if x <= q]
        peak_q, peak = max(past, key=lambda t: (t[1], t[0]))
        if peak <= 0 or quarter_of(q) - quarter_of(peak_q) < 2:
            continue
        decay = 100 * r.active / peak
        if decay >= float(p["decay_medium_pct"]):
            continue
        sev = "high" if decay < float(p["decay_high_pct"]) else "medium"
        label = f"{strand or 'programme'} {phase.replace('_', '-')}".strip()
        why = (f"Engagement after launch ({label}): {r.active:,} active contributors in {q} are "
               f"{pct(decay)} of the peak of {peak:,} in {peak_q}.")
        metrics = {"decay_pct": round(decay, 1), "peak": peak, "peak_quarter": peak_q,
                   "active": r.active}
        th = [ctx.threshold("SU-5", "decay_medium_pct", round(decay, 1)),
              ctx.threshold("SU-5", "decay_high_pct", round(decay, 1))]
        if peak < int(p["min_n"]):
            out.append(ctx.suppressed("SU-5", q, strand, phase, why, metrics=metrics,
                                      thresholds=th))
            continue
        out.append(ctx.finding("SU-5", q, strand, phase, sev, why, metrics=metrics,
                               thresholds=th, primary=("decay_pct", decay)))
    return out


def su6(ctx: RuleContext, q: str) -> list[Finding]:
    """SU-6: an outcome that met its target slips back, or re-verified units are not sustained."""
    snap, p = ctx.snap, ctx.p("SU-6")
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
                if v >= float(p["sustained_pct"]):
                    continue
                why = (f"Only {pct(v)} of certified units{where(strand)} passed re-verification "
                       f"in {q} ({ind.code}), below the {p['sustained_pct']} % anchor (NARSS "
                       "2018-19 re-confirmed 90.7 %): outcomes are slipping.")
                out.append(ctx.finding(
                    "SU-6", q, strand, ind.code, "high", why,
                    metrics={"sustained_pct": v},
                    thresholds=[ctx.threshold("SU-6", "sustained_pct", v)],
                    primary=("sustained_pct", v)))
                continue
            targets = snap.targets.get((ind.id, strand)) or snap.targets.get((ind.id, None), {})
            for tq, target in sorted(targets.items()):
                if tq >= q or tq not in s:
                    continue
                met = ind.sign * (s[tq].value - target) >= 0
                if not met or target == 0:
                    continue
                slip = ind.sign * (target - v) / abs(target)
                if slip < float(p["slip_rel"]):
                    continue
                why = (f"{ind.name}{where(strand)} met its target of {fmt(target)} in {tq} but "
                       f"is {slip * 100:.0f} % worse than it in {q} ({fmt(v)}).")
                out.append(ctx.finding(
                    "SU-6", q, strand, ind.code, "high", why,
                    metrics={"slip_rel": round(slip, 3), "target": target, "met_in": tq},
                    thresholds=[ctx.threshold("SU-6", "slip_rel", round(slip, 3))],
                    primary=("slip_rel", slip)))
                break
    return out


def su7(ctx: RuleContext, q: str) -> list[Finding]:
    """SU-7: the latest capacity assessment scores a cell at or below the cut."""
    p = ctx.p("SU-7")
    cut = int(p["cell_max"])
    end = quarter_of(q).end
    latest: dict[tuple[str, int | None],
                 tuple[M.CapacityAssessment, tuple[M.CapacityScore, ...]]] = {}
    for a, scores in ctx.snap.capacity:
        if a.assessed_on > end:
            continue
        key = (a.actor_scope, a.actor_id)
        if key not in latest or latest[key][0].assessed_on < a.assessed_on:
            latest[key] = (a, scores)
    out: list[Finding] = []
    for a, scores in latest.values():
        weak = [s for s in scores if s.score <= cut]
        if not weak:
            continue
        org_op = any(s.level == "organizational" and s.competence == "operational" for s in weak)
        cells = ", ".join(f"{s.level}-{s.competence} {s.score}" for s in weak)
        why = (f"Capacity assessment {a.code} ({a.actor_scope.replace('_', ' ')}, "
               f"{a.assessed_on.isoformat()}) scores {cells} on the 0-4 scale"
               + ("; organisational-operational capacity, the 'Achilles heel', is weak"
                  if org_op else "") + ".")
        out.append(ctx.finding(
            "SU-7", q, None, a.code, "high" if org_op else "medium", why,
            metrics={"weak_cells": {f"{s.level}/{s.competence}": s.score for s in weak}},
            thresholds=[ctx.threshold("SU-7", "cell_max", min(s.score for s in weak))],
            primary=("weak_cells", float(len(weak)))))
    return out


def su8(ctx: RuleContext, q: str) -> list[Finding]:
    """SU-8: the programme rests on one named lead with no deputy, or its lead changed."""
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
    why = f"{prog.code} " + " and ".join(reasons) + "."
    return [ctx.finding("SU-8", q, None, "", "medium", why,
                        metrics={"lead": prog.lead_person, "single_lead": single,
                                 "lead_changed_on": changed[-1].isoformat() if changed
                                 else None})]


def su9(ctx: RuleContext, q: str) -> list[Finding]:
    """SU-9: an outcome has no measurement planned after the programme's end."""
    p = ctx.p("SU-9")
    prog = ctx.snap.programme
    end = prog.planned_end_date
    if end is None:
        return []
    here = quarter_of(q)
    gap = Quarter.containing(end) - here
    if not 0 <= gap <= int(p["ending_within_quarters"]):
        return []
    need = end + timedelta(days=round(30.44 * int(p["post_exit_months"])))
    out: list[Finding] = []
    for ind in ctx.snap.indicators.values():
        if not ind.is_outcome:
            continue
        due = ind.post_exit_due
        if isinstance(due, date) and due >= need:
            continue
        sev = "medium" if gap == 0 else "low"
        why = (f"{ind.code} has no measurement planned {p['post_exit_months']} months after the "
               f"programme ends on {end.isoformat()}: nobody will know whether benefits last.")
        out.append(ctx.finding("SU-9", q, None, ind.code, sev, why,
                               metrics={"post_exit_due": str(due) if due else None}))
    return out


EVALUATORS = {"SU-1": su1, "SU-2": su2, "SU-3": su3, "SU-4": su4, "SU-5": su5, "SU-6": su6,
              "SU-7": su7, "SU-8": su8, "SU-9": su9}
