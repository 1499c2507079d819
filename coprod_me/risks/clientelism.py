"""Clientelism and clientelist capture rules CL-1..CL-10 and the CL-X composite (domain §2.2)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from coprod_me.model import entities as M
from coprod_me.model.quarter import Quarter
from coprod_me.risks.kit import (
    Finding,
    RuleContext,
    back,
    checklist_answer,
    fmt,
    pct,
    quarter_of,
    where,
)

NON_COMPETITIVE = ("direct_award", "discretionary_grant", "negotiated")
COMPETITIVE = ("open_call", "restricted_invitation")
DECISION_PHASES = ("co_commissioning", "co_design", "co_assessment")


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


def _shares(allocs: list[M.Allocation], actors: dict[int, M.Actor]) -> dict[str, float]:
    total = sum(_amount(a) for a in allocs)
    if total <= 0:
        return {}
    by: dict[str, float] = defaultdict(float)
    for a in allocs:
        actor = actors.get(a.provider_actor_id)
        by[actor.code if actor else str(a.provider_actor_id)] += _amount(a)
    return {k: v / total for k, v in by.items()}


def cl1(ctx: RuleContext, q: str) -> list[Finding]:
    """CL-1: funds concentrate on one provider (top share or HHI); high with CL-2 or CL-4."""
    p = ctx.p("CL-1")
    out: list[Finding] = []
    for strand, allocs in allocations_in(ctx, q, int(p["trailing_quarters"])).items():
        shares = _shares(allocs, ctx.snap.actors)
        if not shares:
            continue
        top_code, top = max(shares.items(), key=lambda kv: kv[1])
        hhi = round(sum((100 * s) ** 2 for s in shares.values()))
        top_pct = 100 * top
        medium = top_pct > float(p["share_top_medium_pct"]) or hhi >= float(p["hhi_medium"])
        if not medium:
            continue
        strong = top_pct > float(p["share_top_high_pct"]) or hhi > float(p["hhi_high"])
        partners = [r for r in ("CL-2", "CL-4") if ctx.fired(r, q, strand)]
        sev = "high" if strong and partners else "medium"
        why = (f"Over the four quarters to {q}{where(strand)}, {top_code} received "
               f"{pct(top_pct)} of funds across {len(shares)} provider(s) (HHI {hhi:,}).")
        if sev == "high":
            why += f" Raised to high because {' and '.join(partners)} also fire."
        elif strong:
            why += (" Concentration alone stays medium: thin local markets make HHI high "
                    "mechanically (four equal providers give 2,500).")
        out.append(ctx.finding(
            "CL-1", q, strand, "", sev, why,
            metrics={"share_top_pct": round(top_pct, 1), "hhi": hhi, "top_provider": top_code,
                     "shares_pct": {k: round(100 * v, 1) for k, v in sorted(shares.items())},
                     "escalated_by": partners},
            thresholds=[ctx.threshold("CL-1", "share_top_medium_pct", round(top_pct, 1)),
                        ctx.threshold("CL-1", "share_top_high_pct", round(top_pct, 1)),
                        ctx.threshold("CL-1", "hhi_medium", hhi),
                        ctx.threshold("CL-1", "hhi_high", hhi)],
            inputs={a.code: _amount(a) for a in allocs}, primary=("hhi", float(hhi)),
            escalations=tuple(f"{r} fires" for r in partners) if sev == "high" else ()))
    return out


def cl2(ctx: RuleContext, q: str) -> list[Finding]:
    """CL-2: too much money goes by direct award, discretion, negotiation or unpublished calls."""
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
        sev = "high" if share > float(p["nc_high_pct"]) else "medium"
        why = (f"{pct(share)} of funds{where(strand)} in the four quarters to {q} went by direct "
               "award, discretionary grant, negotiation or an unpublished call "
               f"({', '.join(a.code for a in nc)}).")
        out.append(ctx.finding(
            "CL-2", q, strand, "", sev, why, metrics={"non_competitive_pct": round(share, 1)},
            thresholds=[ctx.threshold("CL-2", "nc_medium_pct", round(share, 1)),
                        ctx.threshold("CL-2", "nc_high_pct", round(share, 1))],
            inputs={a.code: {"procedure": a.procedure, "call_published": a.call_published,
                             "amount": _amount(a)} for a in allocs},
            primary=("non_competitive_pct", share)))
    return out


def cl3(ctx: RuleContext, q: str) -> list[Finding]:
    """CL-3: too many competitive calls had a single valid applicant."""
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
        sev = "high" if share > float(p["single_high_pct"]) else "medium"
        why = (f"{len(single)} of {len(calls)} competitive call(s){where(strand)} in the four "
               f"quarters to {q} had a single valid applicant ({pct(share)}).")
        out.append(ctx.finding(
            "CL-3", q, strand, "", sev, why,
            metrics={"single_applicant_pct": round(share, 1), "calls": len(calls)},
            thresholds=[ctx.threshold("CL-3", "single_medium_pct", round(share, 1)),
                        ctx.threshold("CL-3", "single_high_pct", round(share, 1))],
            primary=("single_applicant_pct", share)))
    return out


def _pep(actor: M.Actor | None, lo: date, hi: date) -> bool:
    if actor is None or not actor.is_politically_exposed:
        return False
    return (actor.pep_since is None or actor.pep_since <= hi) and (
        actor.pep_until is None or actor.pep_until >= lo)


def cl4(ctx: RuleContext, q: str) -> list[Finding]:
    """CL-4: a politically exposed provider receives funds in the strand."""
    p = ctx.p("CL-4")
    lo, hi = _window(q, 4)
    out: list[Finding] = []
    for strand, allocs in allocations_in(ctx, q).items():
        total = sum(_amount(a) for a in allocs)
        peps: dict[str, float] = defaultdict(float)
        for a in allocs:
            actor = ctx.snap.actors.get(a.provider_actor_id)
            if _pep(actor, lo, hi) and actor is not None:
                peps[actor.code] += _amount(a)
        if not peps or total <= 0:
            continue
        share = 100 * sum(peps.values()) / total
        sev = "high" if share >= float(p["pep_share_high_pct"]) else "medium"
        notes = {ac.code: ac.pep_description or "politically exposed"
                 for a in allocs if (ac := ctx.snap.actors.get(a.provider_actor_id)) is not None
                 and ac.code in peps}
        descr = "; ".join(f"{code}: {text}" for code, text in sorted(notes.items()))[:400]
        why = (f"Politically exposed provider(s) {', '.join(sorted(peps))} received "
               f"{pct(share)} of funds{where(strand)} in the four quarters to {q}. {descr}")
        out.append(ctx.finding(
            "CL-4", q, strand, "", sev, why,
            metrics={"pep_share_pct": round(share, 1), "pep_providers": sorted(peps)},
            thresholds=[ctx.threshold("CL-4", "pep_share_high_pct", round(share, 1))],
            primary=("pep_share_pct", share)))
    return out


def _elections(ctx: RuleContext, strand: str | None) -> list[date]:
    return sorted({s.next_election_date for s in ctx.snap.sponsors
                   if s.next_election_date is not None
                   and ctx.snap.strand_of(s.strand_id) in (strand, None)})


def _new_places(ctx: RuleContext) -> list[tuple[str | None, dict[str, float], list[date]]]:
    """New places in co-delivery by strand and quarter, with the strand's elections, once."""
    new_by: dict[str | None, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for r in ctx.snap.participation:
        if not r.group_dimension and r.new is not None and r.phase in ("co_delivery", None):
            new_by[ctx.snap.strand_of(r.strand_id)][r.period] += r.new
    return [(strand, by_q, _elections(ctx, strand)) for strand, by_q in new_by.items()]


def cl5(ctx: RuleContext, q: str) -> list[Finding]:
    """New places, allocations or hires in the quarters just before an election."""
    p = ctx.p("CL-5")
    pre = int(p["pre_election_quarters"])
    trail = int(p["trailing_quarters"])
    here = quarter_of(q)
    out: list[Finding] = []
    for strand, by_q, elections in ctx.memo("cl5", lambda: _new_places(ctx)):
        upcoming = [d for d in elections if 1 <= Quarter.containing(d) - here <= pre]
        if not upcoming or q not in by_q:
            continue
        hist = [by_q[back(q, k)] for k in range(1, trail + 1) if back(q, k) in by_q]
        if not hist:
            continue
        mean = sum(hist) / len(hist)
        ratio = by_q[q] / mean if mean else 0.0
        if ratio <= float(p["spike_ratio"]):
            continue
        partners = [r for r in ("CL-4", "CL-6") if ctx.fired(r, q, strand)]
        sev = "high" if partners else "medium"
        if by_q[q] < int(p["min_n"]):
            out.append(ctx.suppressed(
                "CL-5", q, strand, "new_places",
                f"{fmt(by_q[q])} new places{where(strand)} in {q} are {ratio * 100:.0f} % of the "
                f"trailing mean of {mean:.1f}, before the election of {upcoming[0].isoformat()}.",
                metrics={"new_places": by_q[q], "ratio": round(ratio, 3)}))
            continue
        why = (f"{fmt(by_q[q])} new places{where(strand)} in {q}, {ratio * 100:.0f} % of the "
               f"trailing mean of {mean:.1f}, in the run-up to the election of "
               f"{upcoming[0].isoformat()}.")
        if partners:
            why += f" With {' and '.join(partners)} in the same quarter, high."
        out.append(ctx.finding(
            "CL-5", q, strand, "new_places", sev, why,
            metrics={"new_places": by_q[q], "trailing_mean": round(mean, 2),
                     "ratio": round(ratio, 3), "election": upcoming[0].isoformat()},
            thresholds=[ctx.threshold("CL-5", "spike_ratio", round(ratio, 3)),
                        ctx.threshold("CL-5", "pre_election_quarters")],
            inputs={"history": hist}, primary=("ratio", ratio),
            escalations=tuple(f"{r} fires" for r in partners)))
    return out


def cl6(ctx: RuleContext, q: str) -> list[Finding]:
    """CL-6: hires bypass public vacancies or come with a political referral."""
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
    for strand, (hires, vacancy, referral) in by.items():
        share = 100 * vacancy / hires
        low = share < float(p["public_vacancy_pct"])
        if not (low or referral):
            continue
        sev = "high" if referral else "medium"
        why = (f"Of {hires} hire(s){where(strand)} in the four quarters to {q}, {vacancy} went "
               f"through a public vacancy ({pct(share)}, floor {p['public_vacancy_pct']} %)"
               + (f" and {referral} came with a political referral" if referral else "") + ".")
        out.append(ctx.finding(
            "CL-6", q, strand, "", sev, why,
            metrics={"public_vacancy_pct": round(share, 1), "hires": hires,
                     "political_referrals": referral},
            thresholds=[ctx.threshold("CL-6", "public_vacancy_pct", round(share, 1))],
            primary=("public_vacancy_pct", share)))
    return out


def cl7(ctx: RuleContext, q: str) -> list[Finding]:
    """CL-7: places favour localities governed by the sponsor's party over their population."""
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
    fav = [r[s.code] for s in strands if any(pt in (s.governing_party or "") for pt in parties)]
    oth = [r[s.code] for s in strands if s.code not in {x.code for x in strands
                                                         if any(pt in (x.governing_party or "")
                                                                for pt in parties)}]
    if not fav or not oth:
        return []
    mf, mo = sum(fav) / len(fav), sum(oth) / len(oth)
    if not (mf > float(p["favoured_rr"]) and mo < float(p["others_rr"])):
        return []
    prev = bool(ctx.fired("CL-7", back(q, 1), None))
    why = (f"Localities governed by the sponsor's party get {mf:.2f} times their population "
           f"share of places, others {mo:.2f} (four quarters to {q}).")
    return [ctx.finding("CL-7", q, None, "", "high" if prev else "medium", why,
                        metrics={"favoured_mean_r": round(mf, 3), "others_mean_r": round(mo, 3),
                                 "r": {k: round(v, 3) for k, v in r.items()}},
                        thresholds=[ctx.threshold("CL-7", "favoured_rr", round(mf, 3)),
                                    ctx.threshold("CL-7", "others_rr", round(mo, 3))],
                        primary=("favoured_mean_r", mf))]


def _feedback_by_period_strand(
        ctx: RuleContext) -> dict[str, dict[str | None, list[M.FeedbackRecord]]]:
    """Feedback rows by quarter and strand, in their order, once per programme."""
    out: dict[str, dict[str | None, list[M.FeedbackRecord]]] = defaultdict(
        lambda: defaultdict(list))
    for f in ctx.snap.feedback:
        out[f.period][ctx.snap.strand_of(f.strand_id)].append(f)
    return out


def cl8(ctx: RuleContext, q: str) -> list[Finding]:
    """CL-8: accountability channels are weak (complaints, unpublished decisions, no COI)."""
    p = ctx.p("CL-8")
    allocs = allocations_in(ctx, q)
    feedback = ctx.memo("cl8_feedback", lambda: _feedback_by_period_strand(ctx)).get(q, {})
    strands = set(allocs) | set(feedback)
    out: list[Finding] = []
    for strand in strands:
        conditions: list[str] = []
        fb = feedback.get(strand, [])
        if fb and any(f.complaints_handled_by_independent_body is False for f in fb):
            conditions.append("complaints are not handled by a body independent of the provider")
        al = allocs.get(strand, [])
        total = sum(_amount(a) for a in al)
        unpublished = 100 * sum(_amount(a) for a in al if a.decision_published is False) / total \
            if total else 0.0
        if unpublished > float(p["unpublished_funds_pct"]):
            conditions.append(f"allocation decisions are unpublished for {pct(unpublished)} of "
                              "funds")
        if any(a.coi_declared is False for a in al):
            conditions.append("conflict-of-interest declarations are missing on allocation panels")
        if not conditions:
            continue
        sev = "high" if len(conditions) >= 2 else "medium"
        why = f"Accountability channels are weak{where(strand)} in {q}: " + "; ".join(
            conditions) + "."
        out.append(ctx.finding(
            "CL-8", q, strand, "", sev, why,
            metrics={"conditions": len(conditions), "unpublished_pct": round(unpublished, 1)},
            thresholds=[ctx.threshold("CL-8", "unpublished_funds_pct", round(unpublished, 1))],
            inputs={"conditions": conditions}, primary=("conditions", float(len(conditions)))))
    return out


def cl9(ctx: RuleContext, q: str) -> list[Finding]:
    """CL-9: beneficiaries hold too few seats on a decision body, or no user-led partner."""
    p = ctx.p("CL-9")
    by_body: dict[str, list[M.ProgrammeActor]] = defaultdict(list)
    for pa in ctx.snap.programme_actors:
        if pa.decision_body and pa.total_seats_decision_body and pa.phase in DECISION_PHASES:
            by_body[pa.decision_body].append(pa)
    out: list[Finding] = []
    for body, rows in by_body.items():
        # a body belongs to the strand its members are named for (programme-wide members,
        # such as a university assessor, sit on the same body)
        named = {ctx.snap.strand_of(r.strand_id) for r in rows if r.strand_id is not None}
        strand = named.pop() if len(named) == 1 else None
        seats = max(r.total_seats_decision_body or 0 for r in rows)
        ben = sum(r.seats_on_decision_body or 0 for r in rows if r.is_beneficiary_represented)
        share = 100 * ben / seats if seats else 0.0
        # the rule's second arm: no user-led organisation among the programme's partners
        user_led = any(
            (a := ctx.snap.actors.get(pa.actor_id)) is not None and a.org_type == "user_led_org"
            for pa in ctx.snap.programme_actors)
        if share >= float(p["beneficiary_seats_pct"]) and user_led:
            continue
        partners = [r for r in ("CL-1", "CL-2", "CL-4") if ctx.fired(r, q, strand)]
        sev = "high" if partners else "medium"
        if share < float(p["beneficiary_seats_pct"]):
            why = (f"Beneficiaries hold {ben} of {seats} seats ({pct(share)}) on the {body}"
                   f"{where(strand)} (floor {p['beneficiary_seats_pct']} %).")
        else:
            why = (f"Beneficiaries hold {pct(share)} of the seats on the {body}"
                   f"{where(strand)}, but no user-led organisation is among the partners.")
        if partners:
            why += f" With {', '.join(partners)} firing, high: no bulwark against capture."
        out.append(ctx.finding(
            "CL-9", q, strand, "", sev, why,
            metrics={"beneficiary_seats_pct": round(share, 1), "seats": seats,
                     "beneficiary_seats": ben, "body": body,
                     "user_led_partner": user_led},
            thresholds=[ctx.threshold("CL-9", "beneficiary_seats_pct", round(share, 1))],
            primary=("beneficiary_seats_pct", share),
            escalations=tuple(f"{r} fires" for r in partners)))
    return out


def cl10(ctx: RuleContext, q: str) -> list[Finding]:
    """CL-10: too much money sits in agreements modified after award, or one rose too much."""
    p = ctx.p("CL-10")
    out: list[Finding] = []
    for strand, allocs in allocations_in(ctx, q).items():
        total = sum(_amount(a) for a in allocs)
        if total <= 0:
            continue
        modified = [a for a in allocs if a.modified_after_award]
        share = 100 * sum(_amount(a) for a in modified) / total
        big = [a for a in allocs if (a.value_change_pct or 0) > float(p["single_increase_pct"])]
        if share <= float(p["modified_funds_pct"]) and not big:
            continue
        why = (f"{pct(share)} of funds{where(strand)} sit in agreements modified after award "
               "without re-competition"
               + (f"; {', '.join(a.code for a in big)} rose by more than "
                  f"{p['single_increase_pct']} %" if big else "") + ".")
        out.append(ctx.finding("CL-10", q, strand, "", "medium", why,
                               metrics={"modified_pct": round(share, 1)},
                               thresholds=[ctx.threshold("CL-10", "modified_funds_pct",
                                                         round(share, 1)),
                                           ctx.threshold("CL-10", "single_increase_pct")],
                               primary=("modified_pct", share)))
    return out


def clx(ctx: RuleContext, q: str) -> list[Finding]:
    """CL-X: captured co-production (CLQ-5 no, CL-9 and at least two capture signals)."""
    p = ctx.p("CL-X")
    out: list[Finding] = []
    strands = {f.strand for f in ctx.found.get(q, {}).get("CL-9", []) if not f.suppressed}
    for strand in strands:
        setting = checklist_answer(ctx, "CLQ-5", q, strand)
        if setting != "no" or not ctx.fired("CL-9", q, strand):
            continue
        signals = [name for name, hit in (
            ("CL-1 high", ctx.fired("CL-1", q, strand, at_least="high")),
            ("CL-2", ctx.fired("CL-2", q, strand)), ("CL-4", ctx.fired("CL-4", q, strand)),
            ("CL-6", ctx.fired("CL-6", q, strand))) if hit]
        if len(signals) < int(p["min_capture_signals"]):
            continue
        why = (f"Captured co-production risk{where(strand)} in {q}: no well-established "
               "implementation setting (CLQ-5 = no), beneficiaries not represented (CL-9), and "
               f"{', '.join(signals)}. Suggests kekez_mode = novel_captured_coproduction for the "
               "evaluator to confirm.")
        out.append(ctx.finding(
            "CL-X", q, strand, "", "critical", why,
            metrics={"signals": signals, "clq5": setting,
                     "suggested_kekez_mode": "novel_captured_coproduction"},
            thresholds=[ctx.threshold("CL-X", "min_capture_signals", len(signals))],
            primary=("signals", float(len(signals)))))
    return out


EVALUATORS = {"CL-1": cl1, "CL-2": cl2, "CL-3": cl3, "CL-4": cl4, "CL-5": cl5, "CL-6": cl6,
              "CL-7": cl7, "CL-8": cl8, "CL-9": cl9, "CL-10": cl10, "CL-X": clx}
