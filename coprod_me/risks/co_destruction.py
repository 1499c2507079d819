"""Value co-destruction rules CD-1..CD-8 (domain §2.1)."""

from __future__ import annotations

import statistics
from collections import defaultdict

from coprod_me.model import entities as M
from coprod_me.risks.kit import (
    Finding,
    RuleContext,
    back,
    checklist_answer,
    crossed_red,
    fmt,
    outcome_change,
    pct,
    relative_change,
    series,
    strands_of_series,
    where,
)


def cd1(ctx: RuleContext, q: str) -> list[Finding]:
    """Busy, not better: an output rises while its linked outcome is flat or worse."""
    snap, p = ctx.snap, ctx.p("CD-1")
    out: list[Finding] = []
    for o_id, y_id in snap.links:
        o, y = snap.indicators[o_id], snap.indicators[y_id]
        if not o.is_output or not y.is_outcome:
            continue
        k = 4 if y.is_seasonal else int(p["window_quarters"])
        then = back(q, k)
        for strand in strands_of_series(snap, o_id):
            o_s, y_s = series(snap, o_id, strand), series(snap, y_id, strand)
            if q not in o_s or then not in o_s or q not in y_s or then not in y_s:
                continue
            rise = relative_change(o, o_s[q].value, o_s[then].value)
            if rise is None or rise < float(p["output_rise_rel"]):
                continue
            change = outcome_change(y, y_s[q], y_s[then], p)
            if change is None:
                continue
            red = crossed_red(y, y_s[q].value)
            if not (change.flat or change.adverse or red):
                continue
            subject = f"{o.code}→{y.code}"
            metrics = {"output_change_rel": round(rise, 4),
                       "outcome_change": round(change.delta, 4),
                       "outcome_change_unit": "points" if change.points else "relative",
                       "mde_points": round(change.mde, 2), "window": k,
                       "outcome_crossed_red": red}
            inputs = {o.code: {then: o_s[then].value, q: o_s[q].value},
                      y.code: {then: y_s[then].value, q: y_s[q].value, "n": y_s[q].n}}
            th = [ctx.threshold("CD-1", "output_rise_rel", round(rise, 4)),
                  ctx.threshold("CD-1", "flat_pp" if change.points else "flat_rel",
                                round(change.delta, 4)),
                  ctx.threshold("CD-1", "adverse_pp" if change.points else "adverse_rel")]
            move = (f"{y.name} {'rose' if y_s[q].value > y_s[then].value else 'fell'} "
                    f"{abs(y_s[q].value - y_s[then].value):.1f} point(s)" if change.points
                    else f"{y.name} changed {change.text()}")
            n_now = y_s[q].n
            if y.is_proportion and n_now is not None and n_now < int(p["min_n"]):
                out.append(ctx.suppressed(
                    "CD-1", q, strand, subject,
                    f"{o.name} rose {rise * 100:.0f} % over {k} quarters{where(strand)}, but "
                    f"{y.code} rests on n = {y_s[q].n}.", metrics=metrics, inputs=inputs,
                    thresholds=th))
                continue
            if change.adverse or red:
                sev = "high"
                verdict = ("past its red threshold" if red and not change.adverse
                           else "worse than before")
            else:
                sev = "medium"
                verdict = "within the margin" if change.points else "flat"
            margin = ""
            if change.points:
                margin = (f", within the {change.flat_limit:.1f}-point margin for n = {y_s[q].n}"
                          if change.flat and y_s[q].n else "")
            why = (f"{o.name} rose {rise * 100:.0f} % over {k} quarters{where(strand)} "
                   f"({fmt(o_s[then].value)} → {fmt(o_s[q].value)}) while {move}{margin}: "
                   f"busy but not better ({verdict}).")
            out.append(ctx.finding("CD-1", q, strand, subject, sev, why, metrics=metrics,
                                   thresholds=th, inputs=inputs,
                                   primary=("output_change_rel", rise)))
    return out


def _provider(snap_actors: dict[int, M.Actor], actor_id: int | None) -> str:
    a = snap_actors.get(actor_id) if actor_id is not None else None
    return a.code if a else ""


FeedbackSeries = dict[tuple[str | None, str], dict[str, M.FeedbackRecord]]


def _feedback_by_key(ctx: RuleContext) -> FeedbackSeries:
    def build() -> FeedbackSeries:
        out: FeedbackSeries = defaultdict(dict)
        for f in ctx.snap.feedback:
            key = (ctx.snap.strand_of(f.strand_id),
                   _provider(ctx.snap.actors, f.provider_actor_id))
            out[key][f.period] = f
        return out
    return ctx.memo("feedback", build)


def cd3(ctx: RuleContext, q: str) -> list[Finding]:
    """CD-3: complaints surge against their trailing history, or too few are resolved in 30 days."""
    p = ctx.p("CD-3")
    out: list[Finding] = []
    hist_n = int(p["history_quarters"])
    for (strand, provider), by_q in _feedback_by_key(ctx).items():
        f = by_q.get(q)
        if f is None or not f.complaints_received or not f.active_users:
            continue
        c_t = 100.0 * f.complaints_received / f.active_users
        hist = []
        for k in range(1, hist_n + 1):
            h = by_q.get(back(q, k))
            if h is not None and h.complaints_received is not None and h.active_users:
                hist.append(100.0 * h.complaints_received / h.active_users)
        resolved = (None if f.complaints_resolved_30d is None
                    else 100.0 * f.complaints_resolved_30d / f.complaints_received)
        slow = resolved is not None and resolved < float(p["resolved_floor_pct"])
        surge = False
        mean = sd = None
        if len(hist) >= 2:
            mean = statistics.fmean(hist)
            ratio_hit = c_t >= float(p["surge_ratio"]) * mean
            if not (ratio_hit or slow):
                continue  # no flag either way: spare the (exact, slow) standard deviation
            sd = statistics.stdev(hist)
            surge = ratio_hit and c_t >= mean + float(p["surge_sd"]) * sd
        if not (surge or slow):
            continue
        sev = "high" if surge and slow else "medium"
        parts = []
        if surge and mean is not None and sd is not None:
            parts.append(f"complaints rose to {c_t:.1f} per 100 users against a trailing mean of "
                         f"{mean:.2f} (≥ {p['surge_ratio']} × mean and above mean + "
                         f"{p['surge_sd']} sd = {mean + float(p['surge_sd']) * sd:.2f})")
        if slow and resolved is not None:
            parts.append(f"only {pct(resolved)} were resolved within 30 days "
                         f"(floor {p['resolved_floor_pct']} %)")
        who = f" for {provider}" if provider else ""
        why = f"In {q}{where(strand)}{who}, " + " and ".join(parts) + "."
        out.append(ctx.finding(
            "CD-3", q, strand, provider, sev, why,
            metrics={"complaints_per_100": round(c_t, 3), "trailing_mean": mean,
                     "trailing_sd": sd, "resolved_30d_pct": resolved, "surge": surge},
            thresholds=[ctx.threshold("CD-3", "surge_ratio"), ctx.threshold("CD-3", "surge_sd"),
                        ctx.threshold("CD-3", "resolved_floor_pct", resolved)],
            inputs={"complaints": f.complaints_received, "active_users": f.active_users,
                    "history_per_100": [round(h, 3) for h in hist]},
            primary=("complaints_per_100", c_t)))
    return out


def cd2(ctx: RuleContext, q: str) -> list[Finding]:
    """CD-2: users' experienced value falls (satisfaction drops or too few are satisfied)."""
    p = ctx.p("CD-2")
    out: list[Finding] = []
    for (strand, provider), by_q in _feedback_by_key(ctx).items():
        f = by_q.get(q)
        if f is None:
            continue
        prev = by_q.get(back(q, 1))
        drop = None
        if (f.satisfaction_mean_0_100 is not None and prev is not None
                and prev.satisfaction_mean_0_100 is not None):
            drop = prev.satisfaction_mean_0_100 - f.satisfaction_mean_0_100
        falls = drop is not None and drop >= float(p["drop_points"])
        low = (f.satisfied_share_pct is not None
               and f.satisfied_share_pct < float(p["satisfied_floor_pct"]))
        if not (falls or low):
            continue
        who = f" for {provider}" if provider else ""
        parts = []
        if low:
            parts.append(f"only {pct(f.satisfied_share_pct or 0)} of users are satisfied "
                         f"(floor {p['satisfied_floor_pct']} %)")
        if falls:
            parts.append(f"the satisfaction score fell {drop:.0f} points in a quarter")
        metrics = {"satisfied_pct": f.satisfied_share_pct, "satisfaction_mean":
                   f.satisfaction_mean_0_100, "drop_points": drop, "n": f.satisfaction_n}
        th = [ctx.threshold("CD-2", "satisfied_floor_pct", f.satisfied_share_pct),
              ctx.threshold("CD-2", "drop_points", drop)]
        why = f"In {q}{where(strand)}{who}, " + " and ".join(parts) + "."
        if f.satisfaction_n is not None and f.satisfaction_n < int(p["min_n"]):
            out.append(ctx.suppressed("CD-2", q, strand, provider,
                                      why + f" The rating rests on n = {f.satisfaction_n}.",
                                      metrics=metrics, thresholds=th))
            continue
        with_cd3 = bool(ctx.fired("CD-3", q, strand, subject=provider))
        sev = "high" if with_cd3 else "medium"
        if with_cd3:
            why += " Complaints surged in the same quarter (CD-3), so high."
        primary = f.satisfied_share_pct if low else f.satisfaction_mean_0_100
        out.append(ctx.finding("CD-2", q, strand, provider, sev, why, metrics=metrics,
                               thresholds=th, primary=("satisfaction", float(primary or 0)),
                               escalations=("combined with CD-3",) if with_cd3 else ()))
    return out


def cd4(ctx: RuleContext, q: str) -> list[Finding]:
    """CD-4: a misuse or overuse rate worsens over the window."""
    snap, p = ctx.snap, ctx.p("CD-4")
    k = int(p["window_quarters"])
    out: list[Finding] = []
    for ind in snap.indicators.values():
        if ind.risk_role != "misuse_rate":
            continue
        for strand in strands_of_series(snap, ind.id):
            s = series(snap, ind.id, strand)
            then = back(q, k)
            if q not in s or then not in s:
                continue
            rel = relative_change(ind, s[q].value, s[then].value)
            if rel is None:
                continue
            worse = -rel
            red = crossed_red(ind, s[q].value)
            if worse < float(p["rise_medium_rel"]) and not red:
                continue
            sev = "high" if worse >= float(p["rise_high_rel"]) or red else "medium"
            why = (f"{ind.name} worsened {worse * 100:.1f} % over {k} quarters{where(strand)} "
                   f"({fmt(s[then].value)} → {fmt(s[q].value)})"
                   + (", past its red threshold" if red else "")
                   + ": more avoidable use of services.")
            out.append(ctx.finding(
                "CD-4", q, strand, ind.code, sev, why,
                metrics={"worsening_rel": round(worse, 4), "crossed_red": red},
                thresholds=[ctx.threshold("CD-4", "rise_medium_rel", round(worse, 4)),
                            ctx.threshold("CD-4", "rise_high_rel")],
                inputs={ind.code: {then: s[then].value, q: s[q].value}},
                primary=("worsening_rel", worse)))
    return out


def cd5(ctx: RuleContext, q: str) -> list[Finding]:
    """CD-5: many users have limited literacy and CDQ-2 (organisational literacy) is not yes."""
    snap, p = ctx.snap, ctx.p("CD-5")
    out: list[Finding] = []
    for ind in snap.indicators.values():
        if ind.risk_role not in ("limited_literacy_share", "sufficient_literacy_share"):
            continue
        for strand in strands_of_series(snap, ind.id):
            pt = series(snap, ind.id, strand).get(q)
            if pt is None:
                continue
            limited = pt.value if ind.risk_role == "limited_literacy_share" else 100 - pt.value
            if limited <= float(p["limited_share_pct"]):
                continue
            answer = checklist_answer(ctx, "CDQ-2", q, strand)
            if answer == "yes":
                continue
            sev = "medium" if answer == "partly" else "high"
            why = (f"{pct(limited)} of participating users have limited literacy{where(strand)} "
                   f"(above {p['limited_share_pct']} %; HLS-EU found 47 %) and organisational "
                   f"literacy measures (CDQ-2) are "
                   + (f"answered '{answer}'" if answer else "not assessed") + ".")
            out.append(ctx.finding(
                "CD-5", q, strand, ind.code, sev, why,
                metrics={"limited_share_pct": round(limited, 1), "cdq2": answer},
                thresholds=[ctx.threshold("CD-5", "limited_share_pct", round(limited, 1)),
                            ctx.threshold("CD-5", "hls_eu_limited_pct")],
                inputs={ind.code: pt.value}, primary=("limited_share_pct", limited)))
    return out


def _total_rows(ctx: RuleContext, q: str) -> list[M.ParticipationRecord]:
    """The programme's total (not group) participation rows of quarter q, in their order."""
    def build() -> dict[str, list[M.ParticipationRecord]]:
        out: dict[str, list[M.ParticipationRecord]] = defaultdict(list)
        for r in ctx.snap.participation:
            if not r.group_dimension:
                out[r.period].append(r)
        return out
    return ctx.memo("total_rows_by_period", build).get(q, [])


def cd6(ctx: RuleContext, q: str) -> list[Finding]:
    """CD-6: too few who started a co-design or co-delivery task completed it."""
    p = ctx.p("CD-6")
    out: list[Finding] = []
    for r in _total_rows(ctx, q):
        if not r.started_tasks or r.completed_tasks is None:
            continue
        if r.phase not in ("co_design", "co_delivery", None):
            continue
        completion = 100.0 * r.completed_tasks / r.started_tasks
        if completion >= float(p["completion_medium_pct"]):
            continue
        strand = ctx.snap.strand_of(r.strand_id)
        subject = r.phase or ""
        why = (f"Only {pct(completion)} of the {r.started_tasks} participants who started a "
               f"{(r.phase or 'co-design').replace('_', '-')} task{where(strand)} completed it "
               f"in {q} (floor {p['completion_medium_pct']} %).")
        metrics = {"completion_pct": round(completion, 1), "started": r.started_tasks}
        th = [ctx.threshold("CD-6", "completion_medium_pct", round(completion, 1)),
              ctx.threshold("CD-6", "completion_high_pct")]
        if r.started_tasks < int(p["min_n"]):
            out.append(ctx.suppressed("CD-6", q, strand, subject, why, metrics=metrics,
                                      thresholds=th))
            continue
        sev = "high" if completion < float(p["completion_high_pct"]) else "medium"
        out.append(ctx.finding("CD-6", q, strand, subject, sev, why, metrics=metrics,
                               thresholds=th, primary=("completion_pct", completion)))
    return out


def cd7(ctx: RuleContext, q: str) -> list[Finding]:
    """CD-7: proposals are rarely adopted or answered within 30 days (voice without influence)."""
    p = ctx.p("CD-7")
    out: list[Finding] = []
    cumulative: dict[tuple[str | None, str], list[int]] = defaultdict(lambda: [0, 0])
    for f in ctx.memo("cd7_feedback", lambda: sorted(ctx.snap.feedback,
                                                     key=lambda r: r.period)):
        if f.period > q:
            break  # sorted by quarter: nothing later counts
        if not f.proposals_received:
            continue
        key = (ctx.snap.strand_of(f.strand_id), _provider(ctx.snap.actors, f.provider_actor_id))
        cumulative[key][0] += f.proposals_received
        cumulative[key][1] += f.proposals_adopted or 0
        if f.period != q or f.proposals_responded_30d is None:
            continue
        uptake = 100.0 * (f.proposals_adopted or 0) / f.proposals_received
        responded = 100.0 * f.proposals_responded_30d / f.proposals_received
        if uptake >= float(p["uptake_pct"]) or responded >= float(p["responded_medium_pct"]):
            continue
        strand, provider = key
        sev = "high" if responded < float(p["responded_high_pct"]) else "medium"
        total, adopted = cumulative[key]
        why = (f"In {q}{where(strand)}, {f.proposals_adopted or 0} of "
               f"{f.proposals_received:,} proposals were adopted ({uptake:.2f} %, floor "
               f"{p['uptake_pct']} %) and {pct(responded)} got an answer within 30 days (floor "
               f"{p['responded_medium_pct']} %); {adopted} of {total:,} adopted since the "
               f"start ({1000.0 * adopted / total:.2f} per 1,000; Gwanghwamun 0.55): voice "
               "without influence.")
        out.append(ctx.finding(
            "CD-7", q, strand, provider, sev, why,
            metrics={"uptake_pct": round(uptake, 3), "responded_30d_pct": round(responded, 1),
                     "cumulative_adopted": adopted, "cumulative_received": total},
            thresholds=[ctx.threshold("CD-7", "uptake_pct", round(uptake, 3)),
                        ctx.threshold("CD-7", "responded_medium_pct", round(responded, 1)),
                        ctx.threshold("CD-7", "responded_high_pct", round(responded, 1)),
                        ctx.threshold("CD-7", "gwanghwamun_adopted_per_1000")],
            primary=("responded_30d_pct", responded)))
    return out


def cd8(ctx: RuleContext, q: str) -> list[Finding]:
    """CD-8: staff turnover or workload strain while co-production activity rises."""
    snap, p = ctx.snap, ctx.p("CD-8")
    out: list[Finding] = []
    prev_q = back(q, 1)
    by_key: dict[tuple[str | None, str], dict[str, M.StaffingRecord]] = defaultdict(dict)
    for r in snap.staffing:
        by_key[(snap.strand_of(r.strand_id), _provider(snap.actors, r.provider_actor_id))][
            r.period] = r
    for (strand, provider), by_q in by_key.items():
        row = by_q.get(q)
        if row is None:
            continue
        r = row
        prev = by_q.get(prev_q)
        turnover = r.staff_turnover_pct
        worse = (r.workload_score - prev.workload_score
                 if prev is not None and r.workload_score is not None
                 and prev.workload_score is not None else None)
        strained = ((turnover is not None and turnover >= float(p["turnover_pct"]))
                    or (worse is not None and worse >= float(p["workload_points"])))
        if not strained:
            continue
        busier = any(
            (s := series(snap, i.id, strand)).get(q) is not None and s.get(prev_q) is not None
            and i.sign * (s[q].value - s[prev_q].value) > 0
            for i in snap.indicators.values() if i.is_output)
        if not busier:
            continue
        why = (f"Staff strain{where(strand)} in {q}: turnover {fmt(turnover)} % (threshold "
               f"{p['turnover_pct']} %), workload {'+' + fmt(worse) if worse else 'n/a'} points, "
               "while co-production activity rises.")
        out.append(ctx.finding("CD-8", q, strand, provider, "medium", why,
                               metrics={"turnover_pct": turnover, "workload_change": worse},
                               thresholds=[ctx.threshold("CD-8", "turnover_pct", turnover),
                                           ctx.threshold("CD-8", "workload_points", worse)],
                               primary=("turnover_pct", float(turnover or worse or 0))))
    return out


EVALUATORS = {"CD-1": cd1, "CD-2": cd2, "CD-3": cd3, "CD-4": cd4, "CD-5": cd5, "CD-6": cd6,
              "CD-7": cd7, "CD-8": cd8}
