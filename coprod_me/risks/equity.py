"""Equity and digital-divide rules EQ-1..EQ-6 (the method annex, docs/rules.md, describes each)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from coprod_me.model import entities as M
from coprod_me.model.amounts import amount
from coprod_me.risks.kit import Finding, RuleContext, back, raise_level
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


_DIMENSIONS = {"disability_wgss": "disability (Washington Group short set)",
               "digital_access": "digital access", "age_band": "age band", "sex": "sex",
               "social_group": "social group"}


def dimension_words(dim: str) -> str:
    """A breakdown dimension as a flag's text names it."""
    return _DIMENSIONS.get(dim, dim.replace("_", " "))


def _pc(v: float) -> str:
    return amount(v, "percent")


def _ratio(v: float) -> str:
    return amount(v, "ratio")


def _eq1_reason(rr: float, medium: float, high: float, phase: str, agenda: bool) -> str:
    base = (f"high: the ratio {_ratio(rr)} is below {_ratio(high)}" if rr < high else
            f"medium: the ratio {_ratio(rr)} is below {_ratio(medium)} but not below "
            f"{_ratio(high)}")
    if agenda:
        base += (f"; one level more (capped at high) because {phase.replace('_', '-')} is an "
                 "agenda-setting phase")
    return base


def eq1(ctx: RuleContext, q: str) -> list[Finding]:
    """EQ-1: a group is under-represented among a phase's participants.

    RR = (group participants / participants) / (group population / population), per strand
    and phase, the population from the nearest year's references. Medium below rr_medium
    (the four-fifths screen), high below rr_high; one level more, capped at high, in
    co-commissioning or co-design (exclusion at agenda-setting). Suppressed when the phase
    has fewer than min_n participants or the group is under min_group_share_pct of the
    population."""
    p = ctx.p("EQ-1")
    medium, high = float(p["rr_medium"]), float(p["rr_high"])
    out: list[Finding] = []
    for g in representation(ctx, q):
        # at a precision floats keep: 16 % of participants against 20 % is 0.8, not 0.7999...
        rr = round(float(g["rr"]), 9)  # type: ignore[arg-type]
        if rr >= medium:
            continue
        strand = g["strand"] if isinstance(g["strand"], str) else None
        phase = str(g["phase"])
        dim, cat = str(g["dimension"]), str(g["category"])
        subject = f"{dim}={cat} ({phase})"
        sev = "high" if rr < high else "medium"
        agenda = phase in AGENDA_PHASES
        if agenda:
            sev = raise_level(sev)
        parts, pop_share = int(g["participants"]), float(g["pop_share"])  # type: ignore[call-overload, arg-type]
        share_g = 100 * float(g["participants_g"]) / parts  # type: ignore[arg-type]
        why = (f"{cat} ({dimension_words(dim)}) make up {_pc(share_g)} of the "
               f"{amount(parts, 'count')} participants in {phase.replace('_', '-')} in "
               f"{ctx.strand_name(strand)} in {q} but {_pc(100 * pop_share)} of the "
               f"population: a representation ratio of {_ratio(rr)} (four-fifths screen "
               f"{_ratio(medium)}, high below {_ratio(high)})"
               + ("; exclusion at agenda-setting weighs one level more" if agenda else "") + ".")
        metrics = {"rr": round(rr, 3), "participants": parts,
                   "participants_group": g["participants_g"],
                   "population_share_pct": round(100 * pop_share, 2)}
        th = [ctx.threshold("EQ-1", "rr_medium", round(rr, 3), unit="ratio"),
              ctx.threshold("EQ-1", "rr_high", round(rr, 3), unit="ratio"),
              ctx.threshold("EQ-1", "min_group_share_pct", round(100 * pop_share, 2),
                            unit="percent")]
        small = parts < int(p["min_n"]) or 100 * pop_share < float(p["min_group_share_pct"])
        if small:
            out.append(ctx.suppressed(
                "EQ-1", q, strand, subject,
                why + f" The screen needs {p['min_n']} participants and a group of "
                f"{_pc(float(p['min_group_share_pct']))} of the population.",
                metrics=metrics, thresholds=th,
                severity_reason=(f"suppressed: {amount(parts, 'count')} participants, a group "
                                 f"of {_pc(100 * pop_share)} of the population")))
            continue
        out.append(ctx.finding("EQ-1", q, strand, subject, sev, why, metrics=metrics,
                               thresholds=th, primary=("rr", rr),
                               escalations=("agenda-setting phase",) if agenda else (),
                               severity_reason=_eq1_reason(rr, medium, high, phase, agenda)))
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
    """EQ-2: an outcome's gap between the worst-off and the best-off group is wide.

    For each outcome in rates or shares and each breakdown of people (not provider, strand,
    channel): OGR = worst group / best group, i.e. y_g / y_b for an increase-direction
    outcome and y_b / y_g for a decrease-direction one. Medium below ogr_medium; high when it
    also widened two quarters running (compared at two decimals, a recorded departure)."""
    snap, p = ctx.snap, ctx.p("EQ-2")
    out: list[Finding] = []
    medium = float(p["ogr_medium"])
    q1, q2 = back(q, 1), back(q, 2)
    for key, by_q, ind, ogrs in ctx.memo("eq2_spreads", lambda: _gap_spreads(snap)):
        ogr = ogrs.get(q)  # a ratio implies a spread this quarter
        if ogr is None or round(ogr, 9) >= medium:  # 0.8 is not below 0.8 (float noise)
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
        why = (f"{ind.name} in {ctx.strand_name(strand)} in {q}, by "
               f"{dimension_words(dim)}: {worst or 'the worst-off group'} "
               f"{amount(worst_v, ind.unit)} against {best or 'the best-off group'} "
               f"{amount(best_v, ind.unit)}, an outcome gap ratio of {_ratio(ogr)} (screen "
               f"{_ratio(medium)})")
        if widening and prev1 is not None and prev2 is not None:
            why += (f", widening two quarters running ({_ratio(prev2)} → {_ratio(prev1)} → "
                    f"{_ratio(ogr)})")
            reason = (f"high: the ratio {_ratio(ogr)} is below {_ratio(medium)} and narrowed "
                      f"from {_ratio(prev2)} to {_ratio(prev1)} to {_ratio(ogr)}, widening the "
                      "gap two quarters running (compared at two decimals)")
        else:
            trend = ("the two quarters before are not both on record"
                     if prev1 is None or prev2 is None else
                     f"the gap did not widen two quarters running at two decimals "
                     f"({_ratio(prev2)} → {_ratio(prev1)} → {_ratio(ogr)})")
            reason = f"medium: the ratio {_ratio(ogr)} is below {_ratio(medium)}; {trend}"
        why += "."
        out.append(ctx.finding(
            "EQ-2", q, strand, f"{ind.code}:{dim}", "high" if widening else "medium", why,
            metrics={"ogr": round(ogr, 3), "previous": [prev2, prev1], "widening": widening,
                     "cells_under_min_n": sp.suppressed, "worst_group": worst,
                     "best_group": best},
            thresholds=[ctx.threshold("EQ-2", "ogr_medium", round(ogr, 3), unit="ratio")],
            inputs={"worst": worst_v, "best": best_v}, primary=("ogr", ogr),
            severity_reason=reason))
    return out


def eq3(ctx: RuleContext, q: str) -> list[Finding]:
    """EQ-3: participation is mostly online-only while many are digitally excluded.

    Raised when online-only opportunities are more than online_only_pct of all and the
    digitally excluded (no access, or access without skills) are more than excluded_pct of
    the target population. High with no assisted alternative; medium when there is one but it
    carries less than assisted_usage_pct of contributions; nothing when it carries more."""
    p = ctx.p("EQ-3")
    online_max, excl_max = float(p["online_only_pct"]), float(p["excluded_pct"])
    used_min = float(p["assisted_usage_pct"])
    out: list[Finding] = []
    for c in ctx.snap.channels:
        if c.period != q or not c.opportunities_total or c.opportunities_online_only is None:
            continue
        online = round(100 * c.opportunities_online_only / c.opportunities_total, 9)
        excluded = c.digitally_excluded_share_pct
        if online <= online_max or excluded is None or excluded <= excl_max:
            continue
        strand = ctx.snap.strand_of(c.strand_id)
        lead = (f"{_pc(online)} online only (more than {_pc(online_max)}) with "
                f"{_pc(excluded)} digitally excluded (more than {_pc(excl_max)})")
        if c.assisted_alternative_available:
            used = c.assisted_share_of_contributions_pct
            if used is None or used >= used_min:
                continue
            sev, route = "medium", (f"the assisted route carries only {_pc(used)} of "
                                    f"contributions (less than {_pc(used_min)})")
            reason = f"medium: {lead}; an assisted route exists but carries only {_pc(used)}"
        else:
            sev, route = "high", "there is no assisted alternative"
            reason = f"high: {lead}, and no assisted alternative"
        why = (f"{_pc(online)} of participation opportunities in {ctx.strand_name(strand)} are "
               f"online only in {q}, {_pc(excluded)} of the target population is digitally "
               f"excluded, and {route}.")
        out.append(ctx.finding(
            "EQ-3", q, strand, "", sev, why,
            metrics={"online_only_pct": round(online, 1), "excluded_pct": excluded,
                     "assisted": c.assisted_alternative_available},
            thresholds=[ctx.threshold("EQ-3", "online_only_pct", round(online, 1), unit="percent"),
                        ctx.threshold("EQ-3", "excluded_pct", excluded, unit="percent"),
                        ctx.threshold("EQ-3", "assisted_usage_pct",
                                      c.assisted_share_of_contributions_pct, unit="percent")],
            primary=("online_only_pct", online), severity_reason=reason))
    return out


def _online_share(rows: list[M.ParticipationRecord]) -> float | None:
    """The online share of contributions (%) in these records; None without any."""
    total = sum(r.contributions or 0 for r in rows)
    online = sum(r.contributions_online or 0 for r in rows)
    return 100 * online / total if total else None


def eq4(ctx: RuleContext, q: str) -> list[Finding]:
    """EQ-4: the online share rises while excluded or older groups' representation falls.

    Per strand: the online share of contributions (whole-strand records) rose by online_rise_pp
    points or more from two quarters before, and the representation ratio (as EQ-1 computes
    it) of a digitally excluded or older group (no access, access without skills, 65+) fell by
    rr_fall or more over the same two quarters. Medium (the rule's one level)."""
    p = ctx.p("EQ-4")
    rise_min, fall_min = float(p["online_rise_pp"]), float(p["rr_fall"])
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
        # at the precision the shares are read at: 50 % after 40 % is a 10-point rise
        if a is None or b is None or round(a - b, 6) < rise_min:
            continue
        strand = ctx.snap.strand_of(sid)
        rr_now, rr_then = ratios(q), ratios(then)
        for key, now in rr_now.items():
            if key[0] != strand or (key[1], key[2]) not in EXCLUDED_GROUPS or key not in rr_then:
                continue
            fall = rr_then[key] - now
            if round(fall, 6) < fall_min:  # 1.0 -> 0.9 is a fall of 0.1, not 0.0999...
                continue
            group = f"{key[2]} ({dimension_words(str(key[1]))})"
            why = (f"The online share of contributions in {ctx.strand_name(strand)} rose "
                   f"{amount(a - b, 'percent', suffix=False)} points over two quarters, from "
                   f"{_pc(b)} in {then} to {_pc(a)} in {q}, while the representation ratio of "
                   f"{group} in {str(key[3]).replace('_', '-')} fell from "
                   f"{_ratio(rr_then[key])} to {_ratio(now)} (the rule looks from a "
                   f"{amount(rise_min, 'percent', suffix=False)}-point rise and a fall of "
                   f"{_ratio(fall_min)}).")
            reason = (f"medium (the rule's one level): the online share rose "
                      f"{amount(a - b, 'percent', suffix=False)} points (at least "
                      f"{amount(rise_min, 'percent', suffix=False)}) and the ratio fell "
                      f"{_ratio(fall)} (at least {_ratio(fall_min)})")
            out.append(ctx.finding("EQ-4", q, strand, f"{key[1]}={key[2]}", "medium", why,
                                   metrics={"online_rise_pp": round(a - b, 1),
                                            "rr_fall": round(fall, 3)},
                                   thresholds=[ctx.threshold("EQ-4", "online_rise_pp",
                                                             round(a - b, 1), unit="points"),
                                               ctx.threshold("EQ-4", "rr_fall", round(fall, 3),
                                                             unit="ratio")],
                                   primary=("rr_fall", fall), severity_reason=reason))
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
    """(indicator id, strand, series, indicator) of every outcome series, once."""
    return [(iid, strand, s, ind) for (iid, strand), s in snap.totals.items()
            if (ind := snap.indicators[iid]).is_outcome]


def eq5(ctx: RuleContext, q: str) -> list[Finding]:
    """EQ-5: an observed outcome lacks a disaggregation its reference sheet requires.

    For each outcome observed this quarter (per strand, and at the programme level when no
    strand has the breakdown), each required dimension with no breakdown. Medium when the
    dimension is one of priority_dimensions or the programme's priority social group, low
    otherwise."""
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
            words = dimension_words(dim)
            why = (f"{ind.name} in {ctx.strand_name(strand)} has no breakdown by {words} in "
                   f"{q}, although its reference sheet requires one: exclusion cannot be seen "
                   "without the cells.")
            reason = (f"medium: {words} is a priority dimension" if sev == "medium" else
                      f"low: {words} is required but not a priority dimension")
            out.append(ctx.finding("EQ-5", q, strand, f"{ind.code}:{dim}", sev, why,
                                   metrics={"missing_dimension": dim},
                                   thresholds=[ctx.threshold("EQ-5", "priority_dimensions", dim,
                                                             unit="dimensions")],
                                   inputs={"required": list(ind.disaggregation_required)},
                                   severity_reason=reason))
    return out


def eq6(ctx: RuleContext, q: str) -> list[Finding]:
    """EQ-6: the top 10 % of contributors make most of the contributions (a loud few).

    Read from each whole-strand participation record's top-10 % contribution share: medium
    above top10_medium_pct, high above top10_high_pct."""
    p = ctx.p("EQ-6")
    medium, high = float(p["top10_medium_pct"]), float(p["top10_high_pct"])
    out: list[Finding] = []
    for r in _by_period(ctx).get(q, []):
        if r.group_dimension or r.top10pct_contrib_share is None:
            continue
        share = r.top10pct_contrib_share
        if share <= medium:
            continue
        strand = ctx.snap.strand_of(r.strand_id)
        sev = "high" if share > high else "medium"
        phase = (r.phase or "").replace("_", "-")
        why = (f"The top 10 % of contributors made {_pc(share)} of contributions in "
               f"{ctx.strand_name(strand)}{f' ({phase})' if phase else ''} in {q} (medium "
               f"above {_pc(medium)}, high above {_pc(high)}): a loud few.")
        reason = (f"high: {_pc(share)} is above {_pc(high)}" if sev == "high" else
                  f"medium: {_pc(share)} is above {_pc(medium)} but not above {_pc(high)}")
        out.append(ctx.finding("EQ-6", q, strand, r.phase or "", sev, why,
                               metrics={"top10_share_pct": share},
                               thresholds=[ctx.threshold("EQ-6", "top10_medium_pct", share,
                                                         unit="percent"),
                                           ctx.threshold("EQ-6", "top10_high_pct", share,
                                                         unit="percent")],
                               primary=("top10_share_pct", share), severity_reason=reason))
    return out


EVALUATORS = {"EQ-1": eq1, "EQ-2": eq2, "EQ-3": eq3, "EQ-4": eq4, "EQ-5": eq5, "EQ-6": eq6}
