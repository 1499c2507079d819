"""Equity and digital-divide rules EQ-1..EQ-6 (domain §2.4)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from coprod_me.model import entities as M
from coprod_me.risks.kit import Finding, RuleContext, back, fmt, pct, raise_level, where
from coprod_me.risks.snapshot import ProgrammeSnapshot

AGENDA_PHASES = ("co_commissioning", "co_design")
# dimensions that describe who delivers or where, not who is better or worse off
NOT_GROUPS = ("provider", "site_strand", "strand", "channel", "pilot_lead")
EXCLUDED_GROUPS = {("digital_access", "no_access"), ("digital_access", "access_no_skills"),
                   ("age_band", "65+"), ("age_band", "75+"), ("age_band", "65-74")}


def _population(ctx: RuleContext, strand: str | None, dim: str, cat: str,
                year: int) -> tuple[float, float] | None:
    """(group population, reference total) from the nearest year's references."""
    return ctx.memo(("population", strand, dim, cat, year),
                    lambda: _find_population(ctx, strand, dim, cat, year))


def _find_population(ctx: RuleContext, strand: str | None, dim: str, cat: str,
                     year: int) -> tuple[float, float] | None:
    refs = [r for r in ctx.snap.population
            if ctx.snap.strand_of(r.strand_id) in (strand, None) and r.group_dimension == dim]
    if not refs:
        return None
    best_year = min({r.year for r in refs}, key=lambda y: (y > year, abs(year - y)))
    refs = [r for r in refs if r.year == best_year]
    # prefer the strand's own references over programme-wide ones
    own = [r for r in refs if ctx.snap.strand_of(r.strand_id) == strand]
    refs = own or refs
    group = [r for r in refs if r.group_category == cat]
    if not group:
        return None
    g = group[0]
    totals = [r for r in ctx.snap.population
              if r.strand_id == g.strand_id and r.geo == g.geo and r.year == g.year
              and not r.group_dimension]
    total = totals[0].population_count if totals else sum(
        r.population_count for r in refs if r.geo == g.geo)
    return (g.population_count, total) if total > 0 else None


def representation(ctx: RuleContext, q: str) -> list[dict[str, object]]:
    """Every group's representation ratio in quarter q (used by EQ-1 and EQ-4)."""
    return ctx.memo(("representation", q), lambda: _representation(ctx, q))


def _by_period(ctx: RuleContext) -> dict[str, list[M.ParticipationRecord]]:
    def build() -> dict[str, list[M.ParticipationRecord]]:
        out: dict[str, list[M.ParticipationRecord]] = defaultdict(list)
        for r in ctx.snap.participation:
            out[r.period].append(r)
        return out
    return ctx.memo("participation_by_period", build)


def _representation(ctx: RuleContext, q: str) -> list[dict[str, object]]:
    rows = _by_period(ctx).get(q, [])
    totals = {(r.strand_id, r.phase): r for r in rows if not r.group_dimension}
    sums: dict[tuple[int | None, str | None, str], int] = defaultdict(int)
    for r in rows:
        if r.group_dimension:
            sums[(r.strand_id, r.phase, r.group_dimension)] += r.active or r.registered or 0
    out: list[dict[str, object]] = []
    year = int(q[:4])
    for r in rows:
        if not r.group_dimension:
            continue
        part_g = r.active if r.active is not None else r.registered
        if part_g is None:
            continue
        t = totals.get((r.strand_id, r.phase))
        part = (t.active if t is not None and t.active is not None
                else sums[(r.strand_id, r.phase, r.group_dimension)])
        strand = ctx.snap.strand_of(r.strand_id)
        pop = _population(ctx, strand, r.group_dimension, r.group_category, year)
        if not part or pop is None:
            continue
        pop_share = pop[0] / pop[1]
        if pop_share <= 0:
            continue
        out.append({"strand": strand, "phase": r.phase or "", "dimension": r.group_dimension,
                    "category": r.group_category, "participants": part,
                    "participants_g": part_g, "pop_share": pop_share,
                    "rr": (part_g / part) / pop_share})
    return out


def eq1(ctx: RuleContext, q: str) -> list[Finding]:
    """EQ-1: a group's representation ratio among participants is below the screen."""
    p = ctx.p("EQ-1")
    out: list[Finding] = []
    for g in representation(ctx, q):
        rr = float(g["rr"])  # type: ignore[arg-type]
        if rr >= float(p["rr_medium"]):
            continue
        strand = g["strand"] if isinstance(g["strand"], str) else None
        phase = str(g["phase"])
        subject = f"{g['dimension']}={g['category']} ({phase})"
        sev = "high" if rr < float(p["rr_high"]) else "medium"
        agenda = phase in AGENDA_PHASES
        if agenda:
            sev = raise_level(sev)
        share_g = 100 * float(g["participants_g"]) / float(g["participants"])  # type: ignore[arg-type]
        why = (f"{g['category']} ({g['dimension']}) make up {pct(share_g)} of "
               f"{g['participants']:,} participants in {phase.replace('_', '-')}{where(strand)} "
               f"but {pct(100 * float(g['pop_share']))} of the population: representation "  # type: ignore[arg-type]
               f"ratio {rr:.2f} (four-fifths screen 0.8)"
               + ("; exclusion at agenda-setting weighs one level more" if agenda else "") + ".")
        metrics = {"rr": round(rr, 3), "participants": g["participants"],
                   "participants_group": g["participants_g"],
                   "population_share_pct": round(100 * float(g["pop_share"]), 2)}  # type: ignore[arg-type]
        th = [ctx.threshold("EQ-1", "rr_medium", round(rr, 3)),
              ctx.threshold("EQ-1", "rr_high", round(rr, 3)),
              ctx.threshold("EQ-1", "min_group_share_pct",
                            round(100 * float(g["pop_share"]), 2))]  # type: ignore[arg-type]
        small = (int(g["participants"]) < int(p["min_n"])  # type: ignore[call-overload]
                 or 100 * float(g["pop_share"]) < float(p["min_group_share_pct"]))  # type: ignore[arg-type]
        if small:
            out.append(ctx.suppressed("EQ-1", q, strand, subject, why, metrics=metrics,
                                      thresholds=th))
            continue
        out.append(ctx.finding("EQ-1", q, strand, subject, sev, why, metrics=metrics,
                               thresholds=th, primary=("rr", rr),
                               escalations=("agenda-setting phase",) if agenda else ()))
    return out


def _gap_spreads(snap: ProgrammeSnapshot) -> list[tuple[Any, ...]]:
    """The spreads EQ-2 reads (outcomes in rates or shares, groups of people), once, each
    with its outcome gap ratio (lowest / highest group) by quarter where it is defined:
    both groups present, the highest above 0, at least two cells."""
    out: list[tuple[Any, ...]] = []
    for key, by_q in snap.spreads.items():
        ind = snap.indicators.get(key[0])
        if ind is None or not ind.is_outcome or ind.unit == "count" or key[2] in NOT_GROUPS:
            continue
        ogrs = {q: sp.low / sp.high for q, sp in by_q.items()
                if sp.low is not None and sp.high is not None and sp.high > 0
                and sp.cells >= 2}
        out.append((key, by_q, ind, ogrs))
    return out


def eq2(ctx: RuleContext, q: str) -> list[Finding]:
    """EQ-2: an outcome's gap ratio between groups is below the screen, high when widening."""
    snap, p = ctx.snap, ctx.p("EQ-2")
    out: list[Finding] = []
    medium = float(p["ogr_medium"])
    q1, q2 = back(q, 1), back(q, 2)
    for key, by_q, ind, ogrs in ctx.memo("eq2_spreads", lambda: _gap_spreads(snap)):
        ogr = ogrs.get(q)  # a ratio implies a spread this quarter
        if ogr is None or ogr >= medium:
            continue
        strand, dim = key[1], key[2]
        sp = by_q[q]
        prev1, prev2 = ogrs.get(q1), ogrs.get(q2)
        # compared at the two decimals a ratio is read at, so noise in the cells is no trend
        widening = (prev1 is not None and prev2 is not None
                    and round(ogr, 2) < round(prev1, 2) < round(prev2, 2))
        worst = sp.low_group if ind.sign > 0 else sp.high_group
        best = sp.high_group if ind.sign > 0 else sp.low_group
        worst_v = sp.low if ind.sign > 0 else sp.high
        best_v = sp.high if ind.sign > 0 else sp.low
        why = (f"{ind.name}{where(strand)} in {q}: {worst or 'the worst-off group'} "
               f"{fmt(worst_v)} against {best or 'the best-off group'} {fmt(best_v)} "
               f"({dim}), an outcome gap ratio of {ogr:.2f} (screen 0.8)")
        if widening:
            why += f", widening two quarters running ({prev2:.2f} → {prev1:.2f} → {ogr:.2f})"
        why += "."
        out.append(ctx.finding(
            "EQ-2", q, strand, f"{ind.code}:{dim}", "high" if widening else "medium", why,
            metrics={"ogr": round(ogr, 3), "previous": [prev2, prev1], "widening": widening,
                     "cells_under_min_n": sp.suppressed, "worst_group": worst,
                     "best_group": best},
            thresholds=[ctx.threshold("EQ-2", "ogr_medium", round(ogr, 3))],
            inputs={"worst": worst_v, "best": best_v}, primary=("ogr", ogr)))
    return out


def eq3(ctx: RuleContext, q: str) -> list[Finding]:
    """EQ-3: participation is mostly online-only while many are digitally excluded."""
    p = ctx.p("EQ-3")
    out: list[Finding] = []
    for c in ctx.snap.channels:
        if c.period != q or not c.opportunities_total or c.opportunities_online_only is None:
            continue
        online = 100 * c.opportunities_online_only / c.opportunities_total
        excluded = c.digitally_excluded_share_pct
        if online <= float(p["online_only_pct"]) or excluded is None or \
                excluded <= float(p["excluded_pct"]):
            continue
        strand = ctx.snap.strand_of(c.strand_id)
        if c.assisted_alternative_available:
            used = c.assisted_share_of_contributions_pct
            if used is None or used >= float(p["assisted_usage_pct"]):
                continue
            sev, route = "medium", f"the assisted route carries only {pct(used)} of contributions"
        else:
            sev, route = "high", "there is no assisted alternative"
        why = (f"{pct(online)} of participation opportunities{where(strand)} are online only in "
               f"{q}, {pct(excluded)} of the target population is digitally excluded, and "
               f"{route}.")
        out.append(ctx.finding(
            "EQ-3", q, strand, "", sev, why,
            metrics={"online_only_pct": round(online, 1), "excluded_pct": excluded,
                     "assisted": c.assisted_alternative_available},
            thresholds=[ctx.threshold("EQ-3", "online_only_pct", round(online, 1)),
                        ctx.threshold("EQ-3", "excluded_pct", excluded),
                        ctx.threshold("EQ-3", "assisted_usage_pct",
                                      c.assisted_share_of_contributions_pct)],
            primary=("online_only_pct", online)))
    return out


def _online_share(rows: list[M.ParticipationRecord]) -> float | None:
    total = sum(r.contributions or 0 for r in rows)
    online = sum(r.contributions_online or 0 for r in rows)
    return 100 * online / total if total else None


def eq4(ctx: RuleContext, q: str) -> list[Finding]:
    """EQ-4: the online share rises while excluded or older groups' representation falls."""
    p = ctx.p("EQ-4")
    then = back(q, 2)
    out: list[Finding] = []
    by_period = _by_period(ctx)
    strands = {r.strand_id for r in by_period.get(q, [])}

    def ratios(quarter: str) -> dict[tuple[object, ...], float]:
        return {(g["strand"], g["dimension"], g["category"], g["phase"]):
                float(g["rr"])  # type: ignore[arg-type]
                for g in representation(ctx, quarter)}

    for sid in strands:
        rows_now = [r for r in by_period.get(q, [])
                    if r.strand_id == sid and not r.group_dimension]
        rows_then = [r for r in by_period.get(then, [])
                     if r.strand_id == sid and not r.group_dimension]
        a, b = _online_share(rows_now), _online_share(rows_then)
        if a is None or b is None or a - b < float(p["online_rise_pp"]):
            continue
        strand = ctx.snap.strand_of(sid)
        rr_now, rr_then = ratios(q), ratios(then)
        for key, now in rr_now.items():
            if key[0] != strand or (key[1], key[2]) not in EXCLUDED_GROUPS or key not in rr_then:
                continue
            fall = rr_then[key] - now
            if fall < float(p["rr_fall"]):
                continue
            why = (f"The online share of contributions{where(strand)} rose {a - b:.0f} points "
                   f"over two quarters to {q} while the representation ratio of {key[2]} fell "
                   f"from {rr_then[key]:.2f} to {now:.2f}.")
            out.append(ctx.finding("EQ-4", q, strand, f"{key[1]}={key[2]}", "medium", why,
                                   metrics={"online_rise_pp": round(a - b, 1),
                                            "rr_fall": round(fall, 3)},
                                   thresholds=[ctx.threshold("EQ-4", "online_rise_pp"),
                                               ctx.threshold("EQ-4", "rr_fall", round(fall, 3))],
                                   primary=("rr_fall", fall)))
    return out


def _present(snap: ProgrammeSnapshot) -> dict[str, dict[tuple[int, str], set[str | None]]]:
    """By quarter: the strands each (indicator, dimension) has a breakdown for."""
    out: dict[str, dict[tuple[int, str], set[str | None]]] = defaultdict(
        lambda: defaultdict(set))
    for (iid, strand, dim), by_q in snap.spreads.items():
        for q in by_q:
            out[q][(iid, dim)].add(strand)
    return out


def _outcome_series(snap: ProgrammeSnapshot) -> list[tuple[Any, ...]]:
    return [(iid, strand, s, ind) for (iid, strand), s in snap.totals.items()
            if (ind := snap.indicators[iid]).is_outcome]


def eq5(ctx: RuleContext, q: str) -> list[Finding]:
    """EQ-5: an observed outcome lacks a disaggregation its reference sheet requires."""
    snap, p = ctx.snap, ctx.p("EQ-5")
    priority = set(p["priority_dimensions"])
    if snap.programme.priority_social_group:
        priority.add("social_group")
    present = ctx.memo("eq5_present", lambda: _present(snap)).get(q, {})
    out: list[Finding] = []
    for iid, strand, s, ind in ctx.memo("eq5_outcomes", lambda: _outcome_series(snap)):
        if q not in s:
            continue
        for dim in ind.disaggregation_required:
            have = present.get((iid, dim), set())
            if strand in have or (strand is None and have):
                continue
            sev = "medium" if dim in priority else "low"
            why = (f"{ind.code}{where(strand)} has no {dim} breakdown in {q}, although its "
                   "reference sheet requires one: exclusion cannot be seen without the cells.")
            out.append(ctx.finding("EQ-5", q, strand, f"{ind.code}:{dim}", sev, why,
                                   metrics={"missing_dimension": dim},
                                   thresholds=[ctx.threshold("EQ-5", "priority_dimensions",
                                                             dim)],
                                   inputs={"required": list(ind.disaggregation_required)}))
    return out


def eq6(ctx: RuleContext, q: str) -> list[Finding]:
    """EQ-6: the top 10 % of contributors make too much of the contributions."""
    p = ctx.p("EQ-6")
    out: list[Finding] = []
    for r in _by_period(ctx).get(q, []):
        if r.group_dimension or r.top10pct_contrib_share is None:
            continue
        share = r.top10pct_contrib_share
        if share <= float(p["top10_medium_pct"]):
            continue
        strand = ctx.snap.strand_of(r.strand_id)
        sev = "high" if share > float(p["top10_high_pct"]) else "medium"
        why = (f"The top 10 % of contributors made {pct(share)} of contributions{where(strand)} "
               f"in {q} (screen {p['top10_medium_pct']} %): a loud few.")
        out.append(ctx.finding("EQ-6", q, strand, r.phase or "", sev, why,
                               metrics={"top10_share_pct": share},
                               thresholds=[ctx.threshold("EQ-6", "top10_medium_pct", share),
                                           ctx.threshold("EQ-6", "top10_high_pct", share)],
                               primary=("top10_share_pct", share)))
    return out


EVALUATORS = {"EQ-1": eq1, "EQ-2": eq2, "EQ-3": eq3, "EQ-4": eq4, "EQ-5": eq5, "EQ-6": eq6}
