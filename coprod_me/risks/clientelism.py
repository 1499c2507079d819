"""Clientelism and clientelist capture rules CL-1..CL-10 and the CL-X composite.

Procurement integrity red flags (concentration, non-competitive awards, single applicants,
post-award changes) adapted to the grants, contracts and places of co-produced services, and
the capture signals around them (politically exposed providers, election-timed surges,
patronage hiring, partisan skew, weak accountability, unrepresented beneficiaries). What each
rule reads and why is in its data (resources/rules/clientelism.json) and the method annex
docs/rules.md.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from coprod_me.model import entities as M
from coprod_me.model.amounts import amount
from coprod_me.model.quarter import Quarter
from coprod_me.risks.kit import (
    Finding,
    RuleContext,
    back,
    checklist_answer,
    quarter_of,
    short_name,
)

NON_COMPETITIVE = ("direct_award", "discretionary_grant", "negotiated")
COMPETITIVE = ("open_call", "restricted_invitation")
# the rule text: "the co-commissioning/co-assessment decision body"
DECISION_PHASES = ("co_commissioning", "co_assessment")


def _window(q: str, quarters: int) -> tuple[date, date]:
    end = quarter_of(q)
    return end.shift(-(quarters - 1)).start, end.end


def allocations_in(ctx: RuleContext, q: str,
                   quarters: int = 4) -> dict[str | None, list[M.Allocation]]:
    """Allocations running in the trailing window, by strand."""
    def build() -> dict[str | None, list[M.Allocation]]:
        lo, hi = _window(q, quarters)
        out: dict[str | None, list[M.Allocation]] = defaultdict(list)
        for a in ctx.snap.allocations:
            start = a.period_start or a.decision_date
            if start is None:
                continue
            end = a.period_end or start
            if start <= hi and end >= lo:
                out[ctx.snap.strand_of(a.strand_id)].append(a)
        return out
    return ctx.memo(("allocations", q, quarters), build)


def _amount(a: M.Allocation) -> float:
    return float(a.amount if a.amount is not None else a.places_or_hours or 0.0)


def _provider(ctx: RuleContext, actor_id: int) -> str:
    actor = ctx.snap.actors.get(actor_id)
    return short_name(actor.name or actor.code) if actor is not None else f"provider {actor_id}"


def _shares(ctx: RuleContext, allocs: list[M.Allocation]) -> dict[str, float]:
    """Each provider's share of the funds (by name), 0..1."""
    total = sum(_amount(a) for a in allocs)
    if total <= 0:
        return {}
    by: dict[str, float] = defaultdict(float)
    for a in allocs:
        by[_provider(ctx, a.provider_actor_id)] += _amount(a)
    return {k: v / total for k, v in by.items()}


def _in(ctx: RuleContext, strand: str | None) -> str:
    """' in <strand name>' for a strand, nothing at the programme level."""
    return f" in {short_name(ctx.strand_name(strand))}" if strand else ""


def _t(ctx: RuleContext, rule_id: str, name: str, unit: str,
       observed: Any = None) -> dict[str, Any]:
    """A threshold as a flag shows it: value, unit, label and provenance tag."""
    return {**ctx.threshold(rule_id, name, observed), "unit": unit}


def _named(ctx: RuleContext, rule_ids: list[str]) -> str:
    """Rules by title, the code in brackets: 'non-competitive ... allocation (CL-2)'."""
    names = [f"{ctx.rules[r].title.lower()} ({r})" for r in rule_ids]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _is(rule_ids: list[str]) -> str:
    return "is" if len(rule_ids) == 1 else "are"


def _pc(v: float) -> str:
    return amount(v, "percent")


def cl1(ctx: RuleContext, q: str) -> list[Finding]:
    """Funds concentrate on one provider in a strand.

    Over the trailing window (4 quarters) of allocations running in the strand: the top
    provider's share of funds and the HHI = Σ(100·share)², compared unrounded. Medium when the
    top share is over 50 % or the HHI is 1,500 or more (the 2010 bands: 1,500–2,500 moderately
    concentrated); the high candidate (top share over 70 % or HHI over 2,500) stays medium on
    its own and is high only when non-competitive allocation (CL-2) or a politically exposed
    provider (CL-4) fires for the strand in the same quarter.
    """
    p = ctx.p("CL-1")
    n_q = int(p["trailing_quarters"])
    out: list[Finding] = []
    for strand, allocs in allocations_in(ctx, q, n_q).items():
        shares = _shares(ctx, allocs)
        if not shares:
            continue
        top_name, top = max(shares.items(), key=lambda kv: kv[1])
        hhi = sum((100 * s) ** 2 for s in shares.values())
        top_pct = 100 * top
        by_share = top_pct > float(p["share_top_medium_pct"])
        if not (by_share or hhi >= float(p["hhi_medium"])):
            continue
        strong = top_pct > float(p["share_top_high_pct"]) or hhi > float(p["hhi_high"])
        partners = [r for r in ("CL-2", "CL-4") if ctx.fired(r, q, strand)]
        sev = "high" if strong and partners else "medium"
        hhi_text = amount(hhi, "count")
        why = (f"Over the {n_q} quarters to {q}{_in(ctx, strand)}, {top_name} received "
               f"{_pc(top_pct)} of funds across {len(shares)} provider(s); the concentration "
               f"index (HHI) is {hhi_text}.")
        if strong:
            level = (f"the top share {_pc(top_pct)} is over {_pc(p['share_top_high_pct'])}"
                     if top_pct > float(p["share_top_high_pct"]) else
                     f"the HHI {hhi_text} is over {amount(p['hhi_high'], 'count')}")
        else:
            level = (f"the top share {_pc(top_pct)} is over {_pc(p['share_top_medium_pct'])}"
                     if by_share else f"the HHI {hhi_text} is in the moderately concentrated "
                     f"band ({amount(p['hhi_medium'], 'count')}–"
                     f"{amount(p['hhi_high'], 'count')})")
        if sev == "high":
            reason = f"high: {level}, and {_named(ctx, partners)} {_is(partners)} raised as well"
            why += f" Raised to high because {_named(ctx, partners)} {_is(partners)} raised too."
        elif strong:
            reason = (f"medium: {level}, but concentration alone stays medium: neither "
                      "non-competitive allocation (CL-2) nor a politically exposed provider "
                      "(CL-4) is raised")
            why += (" Concentration alone stays medium: thin local markets make the HHI high "
                    "mechanically (four equal providers give 2,500).")
        else:
            reason = f"medium: {level}"
        out.append(ctx.finding(
            "CL-1", q, strand, "", sev, why, severity_reason=reason,
            metrics={"share_top_pct": round(top_pct, 1), "hhi": round(hhi),
                     "top_provider": top_name,
                     "shares_pct": {k: round(100 * v, 1) for k, v in sorted(shares.items())},
                     "escalated_by": partners},
            thresholds=[_t(ctx, "CL-1", "share_top_medium_pct", "percent", round(top_pct, 1)),
                        _t(ctx, "CL-1", "share_top_high_pct", "percent", round(top_pct, 1)),
                        _t(ctx, "CL-1", "hhi_medium", "index", round(hhi)),
                        _t(ctx, "CL-1", "hhi_high", "index", round(hhi))],
            inputs={a.code: _amount(a) for a in allocs}, primary=("hhi", float(round(hhi))),
            escalations=tuple(f"{r} fires" for r in partners) if sev == "high" else ()))
    return out


def cl2(ctx: RuleContext, q: str) -> list[Finding]:
    """Too much money goes by direct award, discretion, negotiation or an unpublished call.

    share_nc = funds of allocations running in the trailing 4 quarters whose procedure is a
    direct award, discretionary grant or negotiation, or whose call was not published, over
    all their funds. Over 30 % medium, over 50 % high (a high clientelism context raises it one
    level more, in the engine).
    """
    p = ctx.p("CL-2")
    out: list[Finding] = []
    for strand, allocs in allocations_in(ctx, q).items():
        total = sum(_amount(a) for a in allocs)
        if total <= 0:
            continue
        nc = [a for a in allocs if a.procedure in NON_COMPETITIVE or a.call_published is False]
        share = 100 * sum(_amount(a) for a in nc) / total
        if share <= float(p["nc_medium_pct"]):
            continue
        high = share > float(p["nc_high_pct"])
        sev = "high" if high else "medium"
        bound = p["nc_high_pct"] if high else p["nc_medium_pct"]
        reason = f"{sev}: {_pc(share)} of funds went without open competition, over {_pc(bound)}"
        if not high:
            reason += f" (high above {_pc(p['nc_high_pct'])})"
        why = (f"{_pc(share)} of funds{_in(ctx, strand)} in the four quarters to {q} went by "
               "direct award, discretionary grant, negotiation or an unpublished call "
               f"(agreements {', '.join(a.code for a in nc)}).")
        out.append(ctx.finding(
            "CL-2", q, strand, "", sev, why, severity_reason=reason,
            metrics={"non_competitive_pct": round(share, 1)},
            thresholds=[_t(ctx, "CL-2", "nc_medium_pct", "percent", round(share, 1)),
                        _t(ctx, "CL-2", "nc_high_pct", "percent", round(share, 1))],
            inputs={a.code: {"procedure": a.procedure, "call_published": a.call_published,
                             "amount": _amount(a)} for a in allocs},
            primary=("non_competitive_pct", share)))
    return out


def cl3(ctx: RuleContext, q: str) -> list[Finding]:
    """Too many competitive calls had a single valid applicant.

    The competitive calls (open call, restricted invitation; the awards of one call share its
    reference) running in the trailing 4 quarters; a call is single-applicant when its awards
    record n_valid_applicants = 1. A call without a recorded count stays in the denominator
    (it is a competitive call without a known single applicant). Over 30 % medium, over 50 %
    high.
    """
    p = ctx.p("CL-3")
    out: list[Finding] = []
    for strand, allocs in allocations_in(ctx, q).items():
        calls: dict[str, list[M.Allocation]] = defaultdict(list)
        for a in allocs:
            if a.procedure in COMPETITIVE:
                calls[a.call_reference or a.code].append(a)
        if not calls:
            continue
        single = [c for c, aw in calls.items()
                  if all(a.n_valid_applicants == 1 for a in aw)]
        share = 100 * len(single) / len(calls)
        if share <= float(p["single_medium_pct"]):
            continue
        high = share > float(p["single_high_pct"])
        sev = "high" if high else "medium"
        bound = p["single_high_pct"] if high else p["single_medium_pct"]
        reason = (f"{sev}: {len(single)} of {len(calls)} calls ({_pc(share)}) had one valid "
                  f"applicant, over {_pc(bound)}")
        if not high:
            reason += f" (high above {_pc(p['single_high_pct'])})"
        why = (f"{len(single)} of {len(calls)} competitive call(s){_in(ctx, strand)} in the four "
               f"quarters to {q} had a single valid applicant ({_pc(share)}).")
        out.append(ctx.finding(
            "CL-3", q, strand, "", sev, why, severity_reason=reason,
            metrics={"single_applicant_pct": round(share, 1), "calls": len(calls)},
            thresholds=[_t(ctx, "CL-3", "single_medium_pct", "percent", round(share, 1)),
                        _t(ctx, "CL-3", "single_high_pct", "percent", round(share, 1))],
            inputs={"single_applicant_calls": sorted(single)},
            primary=("single_applicant_pct", share)))
    return out


def _pep(actor: M.Actor | None, lo: date, hi: date) -> bool:
    if actor is None or not actor.is_politically_exposed:
        return False
    return (actor.pep_since is None or actor.pep_since <= hi) and (
        actor.pep_until is None or actor.pep_until >= lo)


def cl4(ctx: RuleContext, q: str) -> list[Finding]:
    """A politically exposed provider receives funds or places in the strand.

    A provider flagged politically exposed at any time in the trailing 4 quarters (pep_since /
    pep_until) with allocations running in them. Severity on the politically exposed
    providers' combined share of the strand's funds: under 10 % medium, 10 % or more high
    (a recorded departure: the text speaks of one provider's share).
    """
    p = ctx.p("CL-4")
    lo, hi = _window(q, 4)
    out: list[Finding] = []
    for strand, allocs in allocations_in(ctx, q).items():
        total = sum(_amount(a) for a in allocs)
        peps: dict[str, float] = defaultdict(float)
        notes: dict[str, str] = {}
        for a in allocs:
            actor = ctx.snap.actors.get(a.provider_actor_id)
            if actor is not None and _pep(actor, lo, hi):
                name = short_name(actor.name or actor.code)
                peps[name] += _amount(a)
                notes[name] = actor.pep_description or "politically exposed"
        if not peps or total <= 0:
            continue
        share = 100 * sum(peps.values()) / total
        high = share >= float(p["pep_share_high_pct"])
        sev = "high" if high else "medium"
        reason = (f"{sev}: politically exposed providers hold {_pc(share)} of the strand's "
                  f"funds, {'at or over' if high else 'under'} {_pc(p['pep_share_high_pct'])}"
                  + (f" ({len(peps)} providers' shares combined)" if len(peps) > 1 else ""))
        descr = "; ".join(f"{name}: {text}" for name, text in sorted(notes.items()))[:400]
        why = (f"Politically exposed provider(s) {', '.join(sorted(peps))} received "
               f"{_pc(share)} of funds{_in(ctx, strand)} in the four quarters to {q}. {descr}.")
        out.append(ctx.finding(
            "CL-4", q, strand, "", sev, why, severity_reason=reason,
            metrics={"pep_share_pct": round(share, 1), "pep_providers": sorted(peps)},
            thresholds=[_t(ctx, "CL-4", "pep_share_high_pct", "percent", round(share, 1))],
            primary=("pep_share_pct", share)))
    return out


def _elections(ctx: RuleContext, strand: str | None) -> list[date]:
    return sorted({s.next_election_date for s in ctx.snap.sponsors
                   if s.next_election_date is not None
                   and ctx.snap.strand_of(s.strand_id) in (strand, None)})


#: What CL-5 counts, as (subject, words, unit): the rule's "allocations, new places or hires".
SURGE_MEASURES = (("new_places", "new places", "count"), ("hires", "hires", "count"),
                  ("allocations", "funds newly allocated", "currency"))


def _surge_series(ctx: RuleContext) -> dict[tuple[str | None, str], dict[str, float]]:
    """New places (co-delivery), hires and funds allocated (by decision date), by strand,
    measure and quarter, once per programme."""
    by: dict[tuple[str | None, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for r in ctx.snap.participation:
        if not r.group_dimension and r.new is not None and r.phase in ("co_delivery", None):
            by[(ctx.snap.strand_of(r.strand_id), "new_places")][r.period] += r.new
    for s in ctx.snap.staffing:
        if s.hires_total is not None:
            by[(ctx.snap.strand_of(s.strand_id), "hires")][s.period] += s.hires_total
    for a in ctx.snap.allocations:
        if a.decision_date is not None and a.amount is not None:
            key = (ctx.snap.strand_of(a.strand_id), "allocations")
            by[key][str(Quarter.containing(a.decision_date))] += float(a.amount)
    return by


def cl5(ctx: RuleContext, q: str) -> list[Finding]:
    """New places, hires or allocations surge in the quarters just before an election.

    For each strand with a sponsor's election 1..pre_election_quarters (2) quarters after q:
    the quarter's new places (co-delivery), hires or funds allocated (by decision date) over
    the mean of the trailing 4 quarters before it (those with data). Over spike_ratio (1.5,
    i.e. 150 %) it is raised; under min_n (30) new places or hires it is recorded as
    insufficient data instead. High when a politically exposed provider (CL-4) or patronage
    in staffing (CL-6) is raised in the same quarter, else medium.
    """
    p = ctx.p("CL-5")
    pre, trail = int(p["pre_election_quarters"]), int(p["trailing_quarters"])
    here = quarter_of(q)
    out: list[Finding] = []
    for (strand, subject), by_q in ctx.memo("cl5", lambda: _surge_series(ctx)).items():
        upcoming = [d for d in _elections(ctx, strand)
                    if 1 <= Quarter.containing(d) - here <= pre]
        if not upcoming or q not in by_q:
            continue
        hist = [by_q[back(q, k)] for k in range(1, trail + 1) if back(q, k) in by_q]
        mean = sum(hist) / len(hist) if hist else 0.0
        if not mean or by_q[q] / mean <= float(p["spike_ratio"]):
            continue
        ratio, now = by_q[q] / mean, by_q[q]
        words, unit = next((w, u) for s, w, u in SURGE_MEASURES if s == subject)
        fact = (f"{amount(now, unit)} {words}{_in(ctx, strand)} in {q}, "
                f"{amount(ratio, 'ratio')} times the mean of {amount(mean, unit)} over the "
                f"{len(hist)} quarter(s) before (threshold {amount(p['spike_ratio'], 'ratio')} "
                f"times), in the run-up to the election of {upcoming[0].isoformat()}.")
        metrics = {subject: now, "trailing_mean": round(mean, 2), "ratio": round(ratio, 3),
                   "election": upcoming[0].isoformat()}
        if unit == "count" and now < int(p["min_n"]):
            out.append(ctx.suppressed(
                "CL-5", q, strand, subject, fact + f" Fewer than {p['min_n']} {words}.",
                metrics=metrics, severity_reason=f"suppressed: {amount(now, unit)} {words}, "
                f"under the minimum of {p['min_n']}"))
            continue
        partners = [r for r in ("CL-4", "CL-6") if ctx.fired(r, q, strand)]
        sev = "high" if partners else "medium"
        if partners:
            fact += f" With {_named(ctx, partners)} raised in the same quarter, high."
            reason = (f"high: a {amount(ratio, 'ratio')}-times surge before the election, "
                      f"combined with {_named(ctx, partners)}")
        else:
            reason = (f"medium: a {amount(ratio, 'ratio')}-times surge before the election, "
                      "with no politically exposed provider (CL-4) or patronage hiring (CL-6) "
                      "raised in the quarter")
        out.append(ctx.finding(
            "CL-5", q, strand, subject, sev, fact, severity_reason=reason, metrics=metrics,
            thresholds=[_t(ctx, "CL-5", "spike_ratio", "ratio", round(ratio, 3)),
                        _t(ctx, "CL-5", "pre_election_quarters", "count"),
                        _t(ctx, "CL-5", "trailing_quarters", "count")],
            inputs={"history": hist}, primary=("ratio", ratio),
            escalations=tuple(f"{r} fires" for r in partners)))
    return out


def cl6(ctx: RuleContext, q: str) -> list[Finding]:
    """Hires bypass public vacancies or come with a political referral.

    Over the trailing 4 quarters of staffing records in the strand: the share of hires made
    through a public vacancy under 75 % is medium; any hire with a political referral is high.
    """
    p = ctx.p("CL-6")
    window = {back(q, k) for k in range(4)}
    by: dict[str | None, list[int]] = defaultdict(lambda: [0, 0, 0])
    for r in ctx.snap.staffing:
        if r.period not in window or not r.hires_total:
            continue
        t = by[ctx.snap.strand_of(r.strand_id)]
        t[0] += r.hires_total
        t[1] += r.hires_with_public_vacancy or 0
        t[2] += r.hires_with_political_referral or 0
    out: list[Finding] = []
    floor = float(p["public_vacancy_pct"])
    for strand, (hires, vacancy, referral) in by.items():
        share = 100 * vacancy / hires
        low = share < floor
        if not (low or referral):
            continue
        sev = "high" if referral else "medium"
        if referral:
            reason = f"high: {referral} hire(s) came with a political referral (any is high)"
        else:
            reason = (f"medium: {_pc(share)} of hires went through a public vacancy, "
                      f"under {_pc(floor)}")
        why = (f"Of {hires} hire(s){_in(ctx, strand)} in the four quarters to {q}, {vacancy} went "
               f"through a public vacancy ({_pc(share)}, floor {_pc(floor)})"
               + (f" and {referral} came with a political referral" if referral else "") + ".")
        out.append(ctx.finding(
            "CL-6", q, strand, "", sev, why, severity_reason=reason,
            metrics={"public_vacancy_pct": round(share, 1), "hires": hires,
                     "political_referrals": referral},
            thresholds=[_t(ctx, "CL-6", "public_vacancy_pct", "percent", round(share, 1))],
            primary=("public_vacancy_pct", share)))
    return out


def cl7(ctx: RuleContext, q: str) -> list[Finding]:
    """Places favour localities governed by the sponsor's party over their population.

    Each strand with a population and a governing party is a locality j: r_j = its share of
    the places allocated in the trailing 4 quarters over its share of the population. When the
    localities whose governing party includes a sponsor's party have mean r over 1.25 while the
    others have mean r under 0.8, medium; high when it was also raised the quarter before.
    """
    p = ctx.p("CL-7")
    parties = {s.party for s in ctx.snap.sponsors if s.party}
    strands = [s for s in ctx.snap.strands.values() if s.population and s.governing_party]
    if not parties or len(strands) < 2:
        return []
    allocs = allocations_in(ctx, q)
    places = {s.code: sum(float(a.places_or_hours or 0) for a in allocs.get(s.code, []))
              for s in strands}
    total_places = sum(places.values())
    total_pop = sum(float(s.population or 0) for s in strands)
    if total_places <= 0 or total_pop <= 0:
        return []
    r = {s.code: (places[s.code] / total_places) / (float(s.population or 0) / total_pop)
         for s in strands}
    favoured = {s.code for s in strands if any(pt in (s.governing_party or "") for pt in parties)}
    fav = [r[c] for c in r if c in favoured]
    oth = [r[c] for c in r if c not in favoured]
    if not fav or not oth:
        return []
    mf, mo = sum(fav) / len(fav), sum(oth) / len(oth)
    if not (mf > float(p["favoured_rr"]) and mo < float(p["others_rr"])):
        return []
    prev = bool(ctx.fired("CL-7", back(q, 1), None))
    numbers = (f"{amount(mf, 'ratio')} (over {amount(p['favoured_rr'], 'ratio')}) against "
               f"{amount(mo, 'ratio')} (under {amount(p['others_rr'], 'ratio')})")
    reason = (f"high: the skew {numbers} holds for a second quarter running ({back(q, 1)} too)"
              if prev else f"medium: the skew {numbers} in this quarter; high if it persists "
              "a second quarter")
    why = (f"Localities governed by the sponsor's party "
           f"({', '.join(short_name(ctx.strand_name(c)) for c in sorted(favoured))}) get "
           f"{amount(mf, 'ratio')} times their population share of places, the others "
           f"{amount(mo, 'ratio')} times (four quarters to {q}).")
    return [ctx.finding("CL-7", q, None, "", "high" if prev else "medium", why,
                        severity_reason=reason,
                        metrics={"favoured_mean_r": round(mf, 3), "others_mean_r": round(mo, 3),
                                 "r": {k: round(v, 3) for k, v in r.items()}},
                        thresholds=[_t(ctx, "CL-7", "favoured_rr", "ratio", round(mf, 3)),
                                    _t(ctx, "CL-7", "others_rr", "ratio", round(mo, 3))],
                        inputs={"places": places}, primary=("favoured_mean_r", mf))]


def _feedback_by_period_strand(
        ctx: RuleContext) -> dict[str, dict[str | None, list[M.FeedbackRecord]]]:
    """Feedback rows by quarter and strand, in their order, once per programme."""
    out: dict[str, dict[str | None, list[M.FeedbackRecord]]] = defaultdict(
        lambda: defaultdict(list))
    for f in ctx.snap.feedback:
        out[f.period][ctx.snap.strand_of(f.strand_id)].append(f)
    return out


def cl8(ctx: RuleContext, q: str) -> list[Finding]:
    """Accountability channels are weak.

    Three conditions per strand: a feedback record of the quarter says complaints are not
    handled by a body independent of the provider; allocation decisions are unpublished for
    more than 20 % of the funds running in the trailing 4 quarters; an allocation among them
    records no conflict-of-interest declaration (any panel without one; a recorded departure).
    One condition medium, two or more high.
    """
    p = ctx.p("CL-8")
    allocs = allocations_in(ctx, q)
    feedback = ctx.memo("cl8_feedback", lambda: _feedback_by_period_strand(ctx)).get(q, {})
    out: list[Finding] = []
    for strand in set(allocs) | set(feedback):
        conditions: list[str] = []
        fb = feedback.get(strand, [])
        if fb and any(f.complaints_handled_by_independent_body is False for f in fb):
            conditions.append("complaints are not handled by a body independent of the provider")
        al = allocs.get(strand, [])
        total = sum(_amount(a) for a in al)
        unpublished = 100 * sum(_amount(a) for a in al if a.decision_published is False) / total \
            if total else 0.0
        if unpublished > float(p["unpublished_funds_pct"]):
            conditions.append(f"allocation decisions are unpublished for {_pc(unpublished)} of "
                              f"funds (more than {_pc(p['unpublished_funds_pct'])})")
        no_coi = [a.code for a in al if a.coi_declared is False]
        if no_coi:
            conditions.append("conflict-of-interest declarations are missing on the panels of "
                              f"{len(no_coi)} allocation(s) ({', '.join(no_coi)}; one panel "
                              "without them is enough)")
        if not conditions:
            continue
        sev = "high" if len(conditions) >= 2 else "medium"
        reason = (f"high: {len(conditions)} of the 3 conditions hold (two or more is high)"
                  if sev == "high" else "medium: 1 of the 3 conditions holds (two would be high)")
        why = f"Accountability channels are weak{_in(ctx, strand)} in {q}: " + "; ".join(
            conditions) + "."
        out.append(ctx.finding(
            "CL-8", q, strand, "", sev, why, severity_reason=reason,
            metrics={"conditions": len(conditions), "unpublished_pct": round(unpublished, 1)},
            thresholds=[_t(ctx, "CL-8", "unpublished_funds_pct", "percent",
                           round(unpublished, 1))],
            inputs={"conditions": conditions}, primary=("conditions", float(len(conditions)))))
    return out


def _cl9_finding(ctx: RuleContext, q: str, strand: str | None, why: str,
                 metrics: dict[str, Any], share: float | None) -> Finding:
    partners = [r for r in ("CL-1", "CL-2", "CL-4") if ctx.fired(r, q, strand)]
    sev = "high" if partners else "medium"
    if partners:
        why += f" With {_named(ctx, partners)} raised, high: no bulwark against capture."
        reason = (f"high: beneficiaries are not represented and {_named(ctx, partners)} "
                  f"{_is(partners)} raised")
    else:
        reason = ("medium: beneficiaries are not represented, but no concentration (CL-1), "
                  "non-competitive allocation (CL-2) or politically exposed provider (CL-4) "
                  "is raised")
    return ctx.finding(
        "CL-9", q, strand, "", sev, why, severity_reason=reason, metrics=metrics,
        thresholds=[_t(ctx, "CL-9", "beneficiary_seats_pct", "percent",
                       None if share is None else round(share, 1))],
        primary=("beneficiary_seats_pct", share if share is not None else 0.0),
        escalations=tuple(f"{r} fires" for r in partners))


def cl9(ctx: RuleContext, q: str) -> list[Finding]:
    """Beneficiaries hold too few seats on a decision body, or no user-led partner.

    For each decision body with a member in co-commissioning or co-assessment: the seats of
    its members that represent beneficiaries over the body's seats; under 20 % is raised, as
    is a programme with no user-led organisation among its partners (on each body, or at the
    programme level when no body is recorded). High when provider concentration (CL-1),
    non-competitive allocation (CL-2) or a politically exposed provider (CL-4) is raised for
    the strand too.
    """
    p = ctx.p("CL-9")
    floor = float(p["beneficiary_seats_pct"])
    by_body: dict[str, list[M.ProgrammeActor]] = defaultdict(list)
    for pa in ctx.snap.programme_actors:
        if pa.decision_body and pa.total_seats_decision_body:
            by_body[pa.decision_body].append(pa)
    # a body that commissions or assesses (one member in those phases); all its members count
    by_body = {body: rows for body, rows in by_body.items()
               if any(r.phase in DECISION_PHASES for r in rows)}
    user_led = any(
        (a := ctx.snap.actors.get(pa.actor_id)) is not None and a.org_type == "user_led_org"
        for pa in ctx.snap.programme_actors)
    if not by_body:
        if user_led or not ctx.snap.programme_actors:
            return []
        return [_cl9_finding(ctx, q, None, "No user-led organisation is among the programme's "
                             "partners, and no decision body with its seats is recorded.",
                             {"user_led_partner": False}, None)]
    out: list[Finding] = []
    for body, rows in by_body.items():
        # a body belongs to the strand its members are named for (programme-wide members,
        # such as a university assessor, sit on the same body)
        named = {ctx.snap.strand_of(r.strand_id) for r in rows if r.strand_id is not None}
        strand = named.pop() if len(named) == 1 else None
        seats = max(r.total_seats_decision_body or 0 for r in rows)
        ben = sum(r.seats_on_decision_body or 0 for r in rows if r.is_beneficiary_represented)
        share = 100 * ben / seats if seats else 0.0
        if share >= floor and user_led:
            continue
        if share < floor:
            why = (f"Beneficiaries hold {ben} of {seats} seats ({_pc(share)}) on the {body}"
                   f"{_in(ctx, strand)} (floor {_pc(floor)}).")
        else:
            why = (f"Beneficiaries hold {_pc(share)} of the seats on the {body}"
                   f"{_in(ctx, strand)}, but no user-led organisation is among the partners.")
        out.append(_cl9_finding(ctx, q, strand, why, {
            "beneficiary_seats_pct": round(share, 1), "seats": seats, "beneficiary_seats": ben,
            "body": body, "user_led_partner": user_led}, share))
    return out


def _modified(a: M.Allocation) -> bool:
    """Extended or increased after award: flagged as modified, or an extension or rise."""
    return bool(a.modified_after_award or (a.extension_days or 0) > 0
                or (a.value_change_pct or 0) > 0)


def cl10(ctx: RuleContext, q: str) -> list[Finding]:
    """Too much money sits in agreements modified after award, or one rose too much.

    Of the funds running in the trailing 4 quarters: the share in agreements extended or
    increased after award (modified_after_award, an extension in days or a value rise) over
    20 %, or any single agreement whose value rose more than 25 %. Either is medium.
    """
    p = ctx.p("CL-10")
    out: list[Finding] = []
    for strand, allocs in allocations_in(ctx, q).items():
        total = sum(_amount(a) for a in allocs)
        if total <= 0:
            continue
        modified = [a for a in allocs if _modified(a)]
        share = 100 * sum(_amount(a) for a in modified) / total
        big = [a for a in allocs if (a.value_change_pct or 0) > float(p["single_increase_pct"])]
        over = share > float(p["modified_funds_pct"])
        if not over and not big:
            continue
        arms = ([f"{_pc(share)} of funds sit in modified agreements, over "
                 f"{_pc(p['modified_funds_pct'])}"] if over else []) + (
            [f"{len(big)} agreement(s) rose by more than {_pc(p['single_increase_pct'])}"]
            if big else [])
        rises = ", ".join(f"{a.code} by {_pc(a.value_change_pct or 0)}" for a in big)
        why = (f"{_pc(share)} of funds{_in(ctx, strand)} in the four quarters to {q} sit in "
               "agreements extended or increased after award without re-competition"
               + (f"; {rises}, more than {_pc(p['single_increase_pct'])}" if big else "") + ".")
        out.append(ctx.finding(
            "CL-10", q, strand, "", "medium", why,
            severity_reason="medium (the rule's only level): " + "; ".join(arms),
            metrics={"modified_pct": round(share, 1),
                     "largest_increase_pct": max((a.value_change_pct or 0 for a in allocs),
                                                 default=0)},
            thresholds=[_t(ctx, "CL-10", "modified_funds_pct", "percent", round(share, 1)),
                        _t(ctx, "CL-10", "single_increase_pct", "percent")],
            inputs={a.code: {"modified_after_award": a.modified_after_award,
                             "extension_days": a.extension_days,
                             "value_change_pct": a.value_change_pct} for a in modified},
            primary=("modified_pct", share)))
    return out


CAPTURE_SIGNALS = (("CL-1", "high"), ("CL-2", "info"), ("CL-4", "info"), ("CL-6", "info"))


def clx(ctx: RuleContext, q: str) -> list[Finding]:
    """Captured co-production: all of a weak setting, unrepresented beneficiaries and capture.

    For each strand where beneficiaries are not represented (CL-9 raised) and the checklist's
    latest answer to CLQ-5 (a well-established implementation setting) is "no": at least two
    of provider concentration at high (CL-1 high), non-competitive allocation (CL-2), a
    politically exposed provider (CL-4) and patronage in staffing (CL-6). Always critical.
    """
    p = ctx.p("CL-X")
    out: list[Finding] = []
    strands = {f.strand for f in ctx.found.get(q, {}).get("CL-9", []) if not f.suppressed}
    for strand in strands:
        setting = checklist_answer(ctx, "CLQ-5", q, strand)
        if setting != "no" or not ctx.fired("CL-9", q, strand):
            continue
        signals = [r for r, floor in CAPTURE_SIGNALS
                   if ctx.fired(r, q, strand, at_least=floor)]
        need = int(p["min_capture_signals"])
        if len(signals) < need:
            continue
        named = "; ".join(f"{ctx.rules[r].title.lower()} ({r}{' high' if r == 'CL-1' else ''})"
                          for r in signals)
        why = (f"Captured co-production risk{_in(ctx, strand)} in {q}: the checklist says there "
               "is no well-established implementation setting (licensing, standards, "
               "inspection; CLQ-5 = no), beneficiaries are not represented (CL-9), and "
               f"{len(signals)} capture signals are raised: {named}. This suggests the "
               "Kekez mode 'novel captured co-production' for the evaluator to confirm.")
        out.append(ctx.finding(
            "CL-X", q, strand, "", "critical", why,
            severity_reason=(f"critical: all three conditions hold, with {len(signals)} "
                             f"capture signals (at least {need} needed)"),
            metrics={"signals": [f"{r} high" if r == "CL-1" else r for r in signals],
                     "clq5": setting, "suggested_kekez_mode": "novel_captured_coproduction"},
            thresholds=[_t(ctx, "CL-X", "min_capture_signals", "count", len(signals))],
            primary=("signals", float(len(signals)))))
    return out


EVALUATORS = {"CL-1": cl1, "CL-2": cl2, "CL-3": cl3, "CL-4": cl4, "CL-5": cl5, "CL-6": cl6,
              "CL-7": cl7, "CL-8": cl8, "CL-9": cl9, "CL-10": cl10, "CL-X": clx}
