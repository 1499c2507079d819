"""Value co-destruction rules CD-1..CD-8: where co-production destroys value instead of
creating it. What each rule detects, its thresholds, departures and sources are in
``resources/rules/co_destruction.json`` (and docs/rules.md, the annex generated from it).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from typing import Any

from coprod_me.model import entities as M
from coprod_me.model.amounts import amount
from coprod_me.risks.kit import (
    Finding,
    RuleContext,
    back,
    checklist_answer,
    crossed_red,
    outcome_change,
    relative_change,
    series,
    strands_of_series,
)
from coprod_me.risks.snapshot import IndicatorRef


def _in(ctx: RuleContext, strand: str | None) -> str:
    """' in <strand name>' for a strand, nothing at the programme level."""
    return f" in {ctx.strand_name(strand)}" if strand else ""


def _threshold(ctx: RuleContext, rule_id: str, name: str, unit: str,
               observed: Any = None) -> dict[str, Any]:
    """A parameter as a flag's threshold, with its unit."""
    d = ctx.threshold(rule_id, name, observed)
    d["unit"] = unit
    return d


def _points(v: float) -> str:
    """A difference of two percentages or scores, in points ("2 points", "1 point")."""
    text = amount(abs(v), "percent", suffix=False)
    return f"{text} point" if text == "1" else f"{text} points"


def _pct(v: float) -> str:  # a share or a relative change in per cent ("47 %")
    return amount(v, "percent")


def _moved(ind: IndicatorRef, then: float, now: float) -> str:
    """How a value moved between two quarters, in its unit ("fell 2 points (50 % → 48 %)",
    "rose 40 % (52,000 → 73,000)", "stayed at 2.9")."""
    if now == then:
        return f"stayed at {amount(now, ind.unit)}"
    verb = "rose" if now > then else "fell"
    span = f"({amount(then, ind.unit)} → {amount(now, ind.unit)})"
    if ind.is_proportion:
        return f"{verb} {_points(now - then)} {span}"
    if then == 0:
        return f"{verb} {span}"
    return f"{verb} {_pct(abs(now - then) / abs(then) * 100)} {span}"


def _actor_name(ctx: RuleContext, actor_id: int | None) -> str:
    a = ctx.snap.actors.get(actor_id) if actor_id is not None else None
    return (a.name or a.code) if a else ""


def _provider(snap_actors: dict[int, M.Actor], actor_id: int | None) -> str:
    """The provider's code: the subject a provider's flag is keyed by."""
    a = snap_actors.get(actor_id) if actor_id is not None else None
    return a.code if a else ""


def cd1(ctx: RuleContext, q: str) -> list[Finding]:
    """CD-1 Output-outcome divergence ("busy, not better").

    Detects: an output growing while its linked outcome (result link) is flat or worse.
    Computes: over k quarters (window_quarters; 4 for a seasonal outcome) the output's
    direction-adjusted relative change >= output_rise_rel; the outcome's change in points
    for percentages (flat: |Δ| < max(flat_pp, MDE from n); adverse: Δ <= -adverse_pp, not
    widened by the MDE), relative otherwise (flat_rel, adverse_rel). An outcome percentage
    on n < min_n in either quarter is suppressed.
    Severity: high when the outcome is adverse or at/past its red threshold; medium when flat.
    """
    snap, p = ctx.snap, ctx.p("CD-1")
    out: list[Finding] = []
    for o_id, y_id in snap.links:
        o, y = snap.indicators[o_id], snap.indicators[y_id]
        if not o.is_output or not y.is_outcome:
            continue
        k = 4 if y.is_seasonal else int(p["window_quarters"])
        for strand in strands_of_series(snap, o_id):
            if (f := _cd1_pair(ctx, q, p, o, y, strand, k)) is not None:
                out.append(f)
    return out


def _cd1_pair(ctx: RuleContext, q: str, p: dict[str, Any], o: IndicatorRef, y: IndicatorRef,
              strand: str | None, k: int) -> Finding | None:
    """CD-1 for one output -> outcome link in one strand, if it diverges."""
    then = back(q, k)
    o_s, y_s = series(ctx.snap, o.id, strand), series(ctx.snap, y.id, strand)
    if q not in o_s or then not in o_s or q not in y_s or then not in y_s:
        return None
    rise = relative_change(o, o_s[q].value, o_s[then].value)
    if rise is None or rise < float(p["output_rise_rel"]):
        return None
    change = outcome_change(y, y_s[q], y_s[then], p)
    if change is None:
        return None
    # the rule text's "adverse by >= 2 pp / >= 5 % rel": fixed, never widened by the MDE
    adverse_limit = float(p["adverse_pp"] if change.points else p["adverse_rel"])
    adverse = change.delta <= -adverse_limit
    if not (change.flat or adverse):
        return None
    red = crossed_red(y, y_s[q].value)
    n = min((x for x in (y_s[q].n, y_s[then].n) if x is not None), default=None)
    subject = f"{o.code}→{y.code}"
    metrics = {"output_change_rel": round(rise, 4), "outcome_change": round(change.delta, 4),
               "outcome_change_unit": "points" if change.points else "relative",
               "mde_points": round(change.mde, 2), "window": k, "outcome_adverse": adverse,
               "outcome_crossed_red": red}
    inputs = {o.code: {then: o_s[then].value, q: o_s[q].value},
              y.code: {then: y_s[then].value, q: y_s[q].value, "n": y_s[q].n}}
    th = _cd1_thresholds(ctx, rise, change.delta, change.points, change.mde)
    o_verb = "rose" if o_s[q].value > o_s[then].value else "fell"
    busy = (f"{o.name} {o_verb} {_pct(abs(rise) * 100)} ({amount(o_s[then].value, o.unit)} → "
            f"{amount(o_s[q].value, o.unit)}) over {k} quarters{_in(ctx, strand)}")
    moved = f"{y.name} {_moved(y, y_s[then].value, y_s[q].value)}"
    if y.is_proportion and n is not None and n < int(p["min_n"]):
        return ctx.suppressed(
            "CD-1", q, strand, subject,
            f"{busy} while {moved}, but the outcome rests on n = {n}, under the minimum of "
            f"{p['min_n']}.", metrics=metrics, inputs=inputs, thresholds=th,
            severity_reason=f"suppressed: n = {n} is under the minimum n of {p['min_n']}")
    judged = _cd1_judgement(change, adverse, p, n)
    red_text = (f"; at {amount(y_s[q].value, y.unit)} it is at or past its red threshold of "
                f"{amount(y.red_at, y.unit)}" if red else "")
    why = f"{busy} while {moved}: {judged}{red_text}. Busy, not better."
    limit = _points if change.points else (lambda v: _pct(v * 100))
    if adverse:
        sev, reason = "high", ("high: the outcome moved the wrong way by at least the adverse "
                               f"threshold ({limit(adverse_limit)})"
                               + (", and it is past its red threshold" if red else ""))
    elif red:
        sev, reason = "high", (f"high: the outcome is flat but{red_text[1:]}")
    else:
        sev, reason = "medium", ("medium: the outcome is flat (within the flat band of "
                                 f"{limit(change.flat_limit)}), not "
                                 "adverse and not past a red threshold")
    return ctx.finding("CD-1", q, strand, subject, sev, why, metrics=metrics, thresholds=th,
                       inputs=inputs, primary=("output_change_rel", rise),
                       severity_reason=reason)


def _cd1_judgement(change: Any, adverse: bool, p: dict[str, Any], n: int | None) -> str:
    """Flat or adverse, said against the band or threshold that decided it."""
    shown = _points if change.points else (lambda v: _pct(abs(v) * 100))
    if adverse:
        limit = float(p["adverse_pp"] if change.points else p["adverse_rel"])
        text = f"worse by {shown(change.delta)}, at or past the adverse threshold of {shown(limit)}"
        if change.points and n and abs(change.delta) < change.mde:
            text += (f" (though inside the survey's {_points(change.mde)} margin of error for "
                     f"n = {n:,}: confirm the fall with the next survey round)")
        return text
    note = (f" (the survey's margin of error for n = {n:,}, wider than "
            f"{_points(float(p['flat_pp']))})"
            if change.points and n and change.mde > float(p["flat_pp"]) else "")
    moved = "unchanged" if change.delta == 0 else f"a change of {shown(change.delta)}"
    return f"flat: {moved}, inside the flat band of {shown(change.flat_limit)}{note}"


def _cd1_thresholds(ctx: RuleContext, rise: float, delta: float, points: bool,
                    mde: float) -> list[dict[str, Any]]:
    th = [_threshold(ctx, "CD-1", "output_rise_rel", "relative", round(rise, 4)),
          _threshold(ctx, "CD-1", "flat_pp" if points else "flat_rel",
                     "points" if points else "relative", round(delta, 4)),
          _threshold(ctx, "CD-1", "adverse_pp" if points else "adverse_rel",
                     "points" if points else "relative")]
    if points and mde:
        th.append({"name": "mde_points", "value": round(mde, 1), "unit": "points",
                   "label": "minimum detectable effect from the survey's n (widens the flat "
                            "band when larger)", "tag": "measured"})
    return th


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


def _for(ctx: RuleContext, strand: str | None, actor_id: int | None) -> str:
    """' in <strand> for <provider>' as a feedback flag's why names where it applies."""
    who = _actor_name(ctx, actor_id)
    return _in(ctx, strand) + (f" for {who}" if who else "")


def cd3(ctx: RuleContext, q: str) -> list[Finding]:
    """CD-3 Complaint or grievance surge.

    Detects: complaints per 100 active users surging against the strand's (and provider's)
    own history, or too few complaints resolved within 30 days.
    Computes: c_t = 100 × complaints / active users; surge when c_t >= surge_ratio × mean and
    c_t >= mean + surge_sd × sd (sample sd) over the history_quarters before (those on
    record, at least 2); breach when 100 × resolved in 30 days / complaints < resolved_floor_pct.
    Severity: high when both hold; medium when either does.
    """
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
        out.append(_cd3_finding(ctx, q, p, strand, provider, f, c_t, hist, mean, sd, surge,
                                resolved, slow))
    return out


def _cd3_finding(ctx: RuleContext, q: str, p: dict[str, Any], strand: str | None,
                 provider: str, f: M.FeedbackRecord, c_t: float, hist: list[float],
                 mean: float | None, sd: float | None, surge: bool, resolved: float | None,
                 slow: bool) -> Finding:
    ratio, k_sd, floor = float(p["surge_ratio"]), float(p["surge_sd"]), p["resolved_floor_pct"]
    rate = (f"there were {f.complaints_received:,} complaints from {f.active_users:,} active "
            f"users ({amount(c_t, 'rate')} per 100)")
    if mean is not None and sd is not None:
        against = (f"against {amount(mean, 'rate')} per 100 on average over the "
                   f"{len(hist)} quarters before ({amount(ratio, 'ratio')} × that average is "
                   f"{amount(ratio * mean, 'rate')}; the average plus {amount(k_sd, 'ratio')} "
                   f"standard deviations is {amount(mean + k_sd * sd, 'rate')})")
        surge_text = f"{rate}, {against}: {'a' if surge else 'no'} surge"
    else:
        surge_text = (f"{rate} (too few earlier quarters on record, {len(hist)}, to judge a "
                      "surge: it needs 2)")
    parts = [surge_text]
    if resolved is not None:
        parts.append(f"{_pct(resolved)} of complaints were resolved within 30 days"
                     + (f", under the {_pct(float(floor))} floor" if slow
                        else f", at or above the {_pct(float(floor))} floor"))
    why = f"In {q}{_for(ctx, strand, f.provider_actor_id)}, " + "; ".join(parts) + "."
    if surge and slow:
        sev, reason = "high", ("high: both arms hold, a complaint surge and resolution "
                               "under the floor")
    elif surge:
        sev, reason = "medium", ("medium: one arm holds, a complaint surge"
                                 + ("; resolution meets the floor" if resolved is not None
                                    else "; resolution within 30 days not reported"))
    else:
        sev, reason = "medium", (f"medium: one arm holds, only {_pct(resolved or 0)} resolved "
                                 f"within 30 days (floor {_pct(float(floor))}); no surge")
    return ctx.finding(
        "CD-3", q, strand, provider, sev, why,
        metrics={"complaints_per_100": round(c_t, 3), "trailing_mean": mean,
                 "trailing_sd": sd, "resolved_30d_pct": resolved, "surge": surge},
        thresholds=[_threshold(ctx, "CD-3", "surge_ratio", "times"),
                    _threshold(ctx, "CD-3", "surge_sd", "sd"),
                    _threshold(ctx, "CD-3", "resolved_floor_pct", "percent", resolved),
                    _threshold(ctx, "CD-3", "history_quarters", "quarters", len(hist))],
        inputs={"complaints": f.complaints_received, "active_users": f.active_users,
                "history_per_100": [round(h, 3) for h in hist]},
        primary=("complaints_per_100", c_t), severity_reason=reason)


def cd2(ctx: RuleContext, q: str) -> list[Finding]:
    """CD-2 Users' experienced value falls.

    Detects: users valuing the service less (per provider where the feedback names one).
    Computes: drop = last quarter's score (0-100) - this quarter's, raising at drop >=
    drop_points; or satisfied share < satisfied_floor_pct. An arm resting on n < min_n (for
    the drop, either quarter's) does not count; with none left the finding is suppressed.
    Severity: high when CD-3 fires in the same quarter and strand for the same provider (or
    one of the two names none); medium otherwise.
    """
    p = ctx.p("CD-2")
    min_n = int(p["min_n"])
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
        few_now = f.satisfaction_n is not None and f.satisfaction_n < min_n
        few_prev = (prev is not None and prev.satisfaction_n is not None
                    and prev.satisfaction_n < min_n)
        out.append(_cd2_finding(ctx, q, p, strand, provider, f, prev, drop,
                                low and not few_now, falls and not (few_now or few_prev)))
    return out


def _cd2_finding(ctx: RuleContext, q: str, p: dict[str, Any], strand: str | None,
                 provider: str, f: M.FeedbackRecord, prev: M.FeedbackRecord | None,
                 drop: float | None, low: bool, falls: bool) -> Finding:
    """A CD-2 flag for the arms that hold on enough ratings, or a suppressed finding."""
    where = _for(ctx, strand, f.provider_actor_id)
    metrics = {"satisfied_pct": f.satisfied_share_pct, "satisfaction_mean":
               f.satisfaction_mean_0_100, "drop_points": drop, "n": f.satisfaction_n}
    th = [_threshold(ctx, "CD-2", "satisfied_floor_pct", "percent", f.satisfied_share_pct),
          _threshold(ctx, "CD-2", "drop_points", "score_0_100", drop)]
    if not (low or falls):
        ns = ", ".join(f"n = {x}" for x in (prev and prev.satisfaction_n, f.satisfaction_n)
                       if x is not None)
        return ctx.suppressed(
            "CD-2", q, strand, provider,
            f"In {q}{where}, users' ratings fell short, but they rest on too few ratings "
            f"({ns}; minimum {p['min_n']}).", metrics=metrics, thresholds=th,
            severity_reason=f"suppressed: the ratings rest on fewer than {p['min_n']}")
    parts = []
    if low:
        parts.append(f"only {_pct(f.satisfied_share_pct or 0)} of users were satisfied, under "
                     f"the {_pct(float(p['satisfied_floor_pct']))} floor")
    if falls and prev is not None and drop is not None:
        parts.append(f"the satisfaction score fell {_points(drop)} in a quarter "
                     f"({amount(prev.satisfaction_mean_0_100, 'score_0_100', suffix=False)} → "
                     f"{amount(f.satisfaction_mean_0_100, 'score_0_100', suffix=False)} out of "
                     f"100), at or past the {_points(float(p['drop_points']))} drop threshold")
    n_text = f" (n = {f.satisfaction_n:,})" if f.satisfaction_n is not None else ""
    why = f"In {q}{where}, " + " and ".join(parts) + n_text + "."
    surged = [c for c in ctx.fired("CD-3", q, strand)
              if not provider or not c.subject or c.subject == provider]
    who = _actor_name(ctx, f.provider_actor_id) or ctx.strand_name(strand)
    if surged:
        why += " Complaints surged in the same quarter (complaint surge rule, CD-3)."
        sev, reason = "high", (f"high: the complaint surge rule (CD-3) also fired in {q} "
                               f"for {who}")
    else:
        sev, reason = "medium", (f"medium: no complaint surge (CD-3) in {q} for {who}, so the "
                                 "fall in experienced value stands alone")
    primary = f.satisfied_share_pct if low else f.satisfaction_mean_0_100
    return ctx.finding("CD-2", q, strand, provider, sev, why, metrics=metrics, thresholds=th,
                       primary=("satisfaction", float(primary or 0)),
                       escalations=("combined with CD-3",) if surged else (),
                       severity_reason=reason)


def cd4(ctx: RuleContext, q: str) -> list[Finding]:
    """CD-4 Misuse or overuse of services.

    Detects: an avoidable-use rate (risk_role misuse_rate, e.g. emergency visits for
    ambulatory-care-sensitive conditions per 1,000) getting worse.
    Computes: worsening = minus the direction-adjusted relative change over window_quarters,
    raising at worsening >= rise_medium_rel (10 %).
    Severity: high when worsening >= rise_high_rel (20 %) or the latest value is at or past
    the indicator's red threshold; medium otherwise.
    """
    snap, p = ctx.snap, ctx.p("CD-4")
    k = int(p["window_quarters"])
    medium, high = float(p["rise_medium_rel"]), float(p["rise_high_rel"])
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
            if rel is None or -rel < medium:
                continue
            worse = -rel
            red = crossed_red(ind, s[q].value)
            red_text = (f"at {amount(s[q].value, ind.unit)} it is at or past its red threshold "
                        f"of {amount(ind.red_at, ind.unit)}" if red else "")
            why = (f"{ind.name}{_in(ctx, strand)} went from {amount(s[then].value, ind.unit)} "
                   f"to {amount(s[q].value, ind.unit)} over {k} quarters: worse by "
                   f"{_pct(worse * 100)}, at or past the "
                   f"{_pct(medium * 100)} threshold" + (f", and {red_text}" if red else "")
                   + ". More avoidable use of services.")
            if worse >= high:
                sev, reason = "high", (f"high: worse by {_pct(worse * 100)}, at or past the "
                                       f"{_pct(high * 100)} high threshold")
            elif red:
                sev, reason = "high", (f"high: worse by {_pct(worse * 100)} (under the "
                                       f"{_pct(high * 100)} high threshold) and {red_text}")
            else:
                sev, reason = "medium", (f"medium: worse by {_pct(worse * 100)}, at or past "
                                         f"{_pct(medium * 100)} but under the "
                                         f"{_pct(high * 100)} high threshold, and not past a "
                                         "red threshold")
            out.append(ctx.finding(
                "CD-4", q, strand, ind.code, sev, why,
                metrics={"worsening_rel": round(worse, 4), "crossed_red": red},
                thresholds=[_threshold(ctx, "CD-4", "rise_medium_rel", "relative",
                                       round(worse, 4)),
                            _threshold(ctx, "CD-4", "rise_high_rel", "relative"),
                            _threshold(ctx, "CD-4", "window_quarters", "quarters")],
                inputs={ind.code: {then: s[then].value, q: s[q].value}},
                primary=("worsening_rel", worse), severity_reason=reason))
    return out


_CDQ2 = "the checklist item on organisational literacy measures (CDQ-2)"


def cd5(ctx: RuleContext, q: str) -> list[Finding]:
    """CD-5 Literacy mismatch (individual × organisational).

    Detects: many users with limited health or digital literacy while the organisation has
    not adapted (checklist CDQ-2, organisational literacy measures, not answered 'yes').
    Computes: limited share = a limited_literacy_share indicator, or 100 minus a
    sufficient_literacy_share one; raising when > limited_share_pct (40 %) and the latest
    CDQ-2 answer up to the quarter (strand's, else programme's) is not 'yes'. Suppressed when
    the share rests on n < min_n.
    Severity: medium when CDQ-2 is 'partly'; high when it is 'no', 'unknown' or unanswered.
    """
    snap, p = ctx.snap, ctx.p("CD-5")
    floor = float(p["limited_share_pct"])
    out: list[Finding] = []
    for ind in snap.indicators.values():
        if ind.risk_role not in ("limited_literacy_share", "sufficient_literacy_share"):
            continue
        for strand in strands_of_series(snap, ind.id):
            pt = series(snap, ind.id, strand).get(q)
            if pt is None:
                continue
            sufficient = ind.risk_role == "sufficient_literacy_share"
            limited = 100 - pt.value if sufficient else pt.value
            if limited <= floor:
                continue
            answer = checklist_answer(ctx, "CDQ-2", q, strand)
            if answer == "yes":
                continue
            said = f"answered '{answer}'" if answer else f"not yet answered (by {q})"
            basis = (f"100 % minus {ind.name} at {_pct(pt.value)}" if sufficient
                     else ind.name)
            why = (f"{_pct(limited)} of participating users{_in(ctx, strand)} have limited "
                   f"literacy ({basis}), above the {_pct(floor)} threshold (the HLS-EU survey "
                   f"found {_pct(float(p['hls_eu_limited_pct']))} across eight EU countries), "
                   f"and {_CDQ2} is {said}: lay contributions may not land.")
            metrics = {"limited_share_pct": round(limited, 1), "cdq2": answer}
            th = [_threshold(ctx, "CD-5", "limited_share_pct", "percent", round(limited, 1)),
                  _threshold(ctx, "CD-5", "hls_eu_limited_pct", "percent")]
            if pt.n is not None and pt.n < int(p["min_n"]):
                out.append(ctx.suppressed(
                    "CD-5", q, strand, ind.code,
                    why + f" The share rests on n = {pt.n}, under the minimum of "
                    f"{p['min_n']}.", metrics=metrics, thresholds=th,
                    inputs={ind.code: pt.value},
                    severity_reason=f"suppressed: n = {pt.n} is under the minimum n of "
                                    f"{p['min_n']}"))
                continue
            sev = "medium" if answer == "partly" else "high"
            reason = (f"{sev}: CDQ-2 is {said}"
                      + (" (measures partly in place)" if answer == "partly"
                         else " (no organisational literacy measures shown to be in place)"))
            out.append(ctx.finding(
                "CD-5", q, strand, ind.code, sev, why, metrics=metrics, thresholds=th,
                inputs={ind.code: pt.value}, primary=("limited_share_pct", limited),
                severity_reason=reason))
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
    """CD-6 Co-design drop-out.

    Detects: participants who started a co-design or testing task not completing it by the
    deadline (Habibipour et al.'s drop-out).
    Computes: completion = 100 × completed_tasks / started_tasks on the quarter's total rows of
    the co-design phase (rows without a phase count too), raising at completion <
    completion_medium_pct (70 %). Suppressed when fewer than min_n started.
    Severity: high when completion < completion_high_pct (50 %); medium otherwise.
    """
    p = ctx.p("CD-6")
    medium, high = float(p["completion_medium_pct"]), float(p["completion_high_pct"])
    out: list[Finding] = []
    for r in _total_rows(ctx, q):
        if not r.started_tasks or r.completed_tasks is None:
            continue
        if r.phase not in ("co_design", None):
            continue
        completion = 100.0 * r.completed_tasks / r.started_tasks
        if completion >= medium:
            continue
        strand = ctx.snap.strand_of(r.strand_id)
        subject = r.phase or ""
        task = "co-design task" if r.phase else "task (phase not recorded)"
        why = (f"Of the {r.started_tasks:,} participants who started a {task}"
               f"{_in(ctx, strand)} in {q}, {r.completed_tasks:,} completed it: "
               f"{_pct(completion)}, under the {_pct(medium)} completion floor. Drop-out "
               "wastes what participants and staff put in.")
        metrics = {"completion_pct": round(completion, 1), "started": r.started_tasks}
        th = [_threshold(ctx, "CD-6", "completion_medium_pct", "percent", round(completion, 1)),
              _threshold(ctx, "CD-6", "completion_high_pct", "percent")]
        if r.started_tasks < int(p["min_n"]):
            out.append(ctx.suppressed(
                "CD-6", q, strand, subject,
                why + f" Only {r.started_tasks} started, under the minimum of {p['min_n']}.",
                metrics=metrics, thresholds=th,
                severity_reason=f"suppressed: {r.started_tasks} started, under the minimum n "
                                f"of {p['min_n']}"))
            continue
        if completion < high:
            sev, reason = "high", (f"high: completion {_pct(completion)} is under the "
                                   f"{_pct(high)} high floor")
        else:
            sev, reason = "medium", (f"medium: completion {_pct(completion)} is under "
                                     f"{_pct(medium)} but not under the {_pct(high)} high floor")
        out.append(ctx.finding("CD-6", q, strand, subject, sev, why, metrics=metrics,
                               thresholds=th, primary=("completion_pct", completion),
                               severity_reason=reason))
    return out


def cd7(ctx: RuleContext, q: str) -> list[Finding]:
    """CD-7 Voice without influence (expectation gap).

    Detects: a proposal channel that neither adopts nor answers what it collects.
    Computes: per strand and provider, uptake = 100 × adopted / received and responded = 100 ×
    answered in 30 days / received in the quarter; raising when uptake < uptake_pct (1 %) and
    responded < responded_medium_pct (80 %). Adopted per 1,000 since the start is context.
    Severity: high when responded < responded_high_pct (50 %); medium otherwise.
    """
    p = ctx.p("CD-7")
    uptake_floor, resp_medium = float(p["uptake_pct"]), float(p["responded_medium_pct"])
    resp_high = float(p["responded_high_pct"])
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
        adopted_now = f.proposals_adopted or 0
        uptake = 100.0 * adopted_now / f.proposals_received
        responded = 100.0 * f.proposals_responded_30d / f.proposals_received
        if uptake >= uptake_floor or responded >= resp_medium:
            continue
        strand, provider = key
        total, adopted = cumulative[key]
        why = (f"In {q}{_for(ctx, strand, f.provider_actor_id)}, {adopted_now:,} of "
               f"{f.proposals_received:,} proposals were adopted "
               f"({amount(10 * uptake, 'rate_per_1000')}), under the {_pct(uptake_floor)} "
               f"uptake floor, and {f.proposals_responded_30d:,} ({_pct(responded)}) got an "
               f"answer within 30 days, under the {_pct(resp_medium)} floor. Since the start "
               f"{adopted:,} of {total:,} were adopted "
               f"({amount(1000.0 * adopted / total, 'rate_per_1000')}; Gwanghwamun 1st Street "
               "reflected 99 of 180,705 suggestions): voice without influence.")
        if responded < resp_high:
            sev, reason = "high", (f"high: only {_pct(responded)} answered within 30 days, "
                                   f"under the {_pct(resp_high)} high floor")
        else:
            sev, reason = "medium", (f"medium: {_pct(responded)} answered within 30 days, "
                                     f"under {_pct(resp_medium)} but not under the "
                                     f"{_pct(resp_high)} high floor")
        out.append(ctx.finding(
            "CD-7", q, strand, provider, sev, why,
            metrics={"uptake_pct": round(uptake, 3), "responded_30d_pct": round(responded, 1),
                     "cumulative_adopted": adopted, "cumulative_received": total},
            thresholds=[_threshold(ctx, "CD-7", "uptake_pct", "percent", round(uptake, 3)),
                        _threshold(ctx, "CD-7", "responded_medium_pct", "percent",
                                   round(responded, 1)),
                        _threshold(ctx, "CD-7", "responded_high_pct", "percent",
                                   round(responded, 1)),
                        _threshold(ctx, "CD-7", "gwanghwamun_adopted_per_1000", "per_1000",
                                   round(1000.0 * adopted / total, 3))],
            primary=("responded_30d_pct", responded), severity_reason=reason))
    return out


def cd8(ctx: RuleContext, q: str) -> list[Finding]:
    """CD-8 Professional-side strain.

    Detects: strain on co-delivering professionals while co-production activity grows.
    Computes: per strand and provider staffing row, strain when turnover >= turnover_pct (in
    the quarter) or the workload score (higher is heavier) rose >= workload_points since the
    quarter before; activity rises when any output's value in the same strand (programme
    level for programme rows) is higher than the quarter before.
    Severity: medium (the rule's one level).
    """
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
        prev = by_q.get(prev_q)
        turnover = row.staff_turnover_pct
        worse = (row.workload_score - prev.workload_score
                 if prev is not None and row.workload_score is not None
                 and prev.workload_score is not None else None)
        high_turnover = turnover is not None and turnover >= float(p["turnover_pct"])
        heavier = worse is not None and worse >= float(p["workload_points"])
        if not (high_turnover or heavier):
            continue
        busier = [i for i in snap.indicators.values() if i.is_output
                  and (s := series(snap, i.id, strand)).get(q) is not None
                  and s.get(prev_q) is not None and s[q].value > s[prev_q].value]
        if not busier:
            continue
        out.append(_cd8_finding(ctx, q, p, strand, provider, row, prev, busier,
                                high_turnover, heavier))
    return out


def _cd8_finding(ctx: RuleContext, q: str, p: dict[str, Any], strand: str | None,
                 provider: str, r: M.StaffingRecord, prev: M.StaffingRecord | None,
                 busier: list[IndicatorRef], high_turnover: bool, heavier: bool) -> Finding:
    turnover = r.staff_turnover_pct
    worse = (r.workload_score or 0) - (prev.workload_score or 0) if prev is not None else None
    strain = []
    if high_turnover:
        strain.append(f"staff turnover was {_pct(turnover or 0)} in the quarter, at or past "
                      f"the {_pct(float(p['turnover_pct']))} threshold")
    if heavier and prev is not None:
        strain.append(f"the staff-reported workload score rose {_points(worse or 0)} "
                      f"({amount(prev.workload_score, 'score_0_100', suffix=False)} → "
                      f"{amount(r.workload_score, 'score_0_100', suffix=False)}), at or past "
                      f"the {_points(float(p['workload_points']))} threshold")
    prev_q = back(q, 1)
    grew = []
    for i in busier[:2]:
        s = series(ctx.snap, i.id, strand)
        grew.append(f"{i.name} {_moved(i, s[prev_q].value, s[q].value)}")
    more = f" and {len(busier) - 2} more output(s)" if len(busier) > 2 else ""
    why = (f"In {q}{_for(ctx, strand, r.provider_actor_id)}, " + " and ".join(strain)
           + f", while co-production activity rose since {prev_q}: " + "; ".join(grew) + more
           + ". Strain on the professionals destroys value on the state side.")
    reason = ("medium: the rule's one level, reached by "
              + " and ".join(x for x, on in (("high staff turnover", high_turnover),
                                             ("a heavier workload", heavier)) if on)
              + " while outputs rose")
    return ctx.finding(
        "CD-8", q, strand, provider, "medium", why,
        metrics={"turnover_pct": turnover, "workload_change": worse,
                 "outputs_rising": [i.code for i in busier]},
        thresholds=[_threshold(ctx, "CD-8", "turnover_pct", "percent", turnover),
                    _threshold(ctx, "CD-8", "workload_points", "score_0_100", worse)],
        primary=("turnover_pct", float(turnover or worse or 0)), severity_reason=reason)


EVALUATORS = {"CD-1": cd1, "CD-2": cd2, "CD-3": cd3, "CD-4": cd4, "CD-5": cd5, "CD-6": cd6,
              "CD-7": cd7, "CD-8": cd8}
