"""The results sheets: Outcomes, Outputs (each beside the outcome it should drive) and
Disaggregation, with the turn-the-curve and output-against-outcome charts.

Pure: the read model in, ``SheetContent`` out.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from coprod_me.reports import quarterly_figures as F
from coprod_me.reports.quarterly_model import IndicatorInfo, ProgrammeData, QuarterlyReport
from coprod_me.reports.series_data import IndicatorSeries
from coprod_me.reports.sheet_content import (
    COUNT,
    RATIO,
    UNIT_SHORT,
    Block,
    ChartSpec,
    Column,
    SeriesSpec,
    SheetContent,
    as_change,
    as_number,
    programme_cells,
    programme_columns,
    strand_label,
    unit_format,
    words,
)


def _history_columns(q: str) -> list[Column]:
    """The eight quarters; the last two are printed, the earlier ones are detail."""
    quarters = F.window(q)
    return [Column(x, "number", 8, paper=x in quarters[-2:]) for x in quarters]


def _series_of(p: ProgrammeData, r: F.Row) -> IndicatorSeries:
    ind = r.indicator
    targets = tuple(sorted((t.period, t.value) for t in p.targets
                           if t.indicator == ind.code and t.strand == r.strand))
    return IndicatorSeries(
        programme_code=p.code, code=ind.code, name=ind.name, unit=ind.unit,
        direction=ind.direction, result_level=ind.result_level, strand=r.strand,
        strand_name=p.strand_name(r.strand) if r.strand else None,
        baseline_value=r.baseline, baseline_period=ind.baseline_period,
        amber_at=ind.amber_at, red_at=ind.red_at, range_min=ind.range_min,
        range_max=ind.range_max, points=tuple(sorted(r.values.items())), targets=targets,
        targets_level="strand" if targets else None)


def _story(p: ProgrammeData, code: str, quarter: str) -> str | None:
    notes = [n for n in p.notes if n.entity == "indicator" and n.entity_key == code
             and (n.period is None or n.period <= quarter)]
    if not notes:
        return None
    return max(notes, key=lambda n: n.period or "").text


def outcomes(report: QuarterlyReport) -> SheetContent:
    q = report.quarter
    quarters = F.window(q)
    # on paper: one row per outcome and strand, what it is, where, the last two quarters
    # against baseline and target, and why the RAG; the rest is detail on screen
    pc = programme_columns(report)
    cols = [*pc, Column("Code", width=8), Column("Indicator", "wrap", 30),
            Column("Level", width=19, paper=False), Column("Strand", "wrap", 18),
            Column("Unit", width=6, paper=False), Column("Baseline", "number", 8),
            Column("Target", "number", 8), Column("Target quarter", width=9, paper=False),
            *_history_columns(q), Column("Change on last quarter", "change", 9),
            Column("Change since baseline", "change", 10, paper=False),
            Column("RAG", "rag", 7), Column("Why", "wrap", 36),
            Column("Driven by", "wrap", 12, paper=False),
            Column("Evidence", "wrap", 18, paper=False),
            Column("Accountability", "wrap", 16, paper=False),
            Column("Story behind the curve", "wrap", 60, paper=False)]
    rows: list[list[Any]] = []
    charts: list[ChartSpec] = []
    for p in report.programmes:
        drivers: dict[str, list[str]] = defaultdict(list)
        for lk in p.links:
            drivers[lk.outcome].append(lk.output)
        headline = {i.code for i in F.headline_outcomes(p)}
        for r in F.indicator_rows(p, q):
            ind = r.indicator
            if not ind.is_results_side:
                continue
            u = ind.unit
            evidence = ", ".join(x for x in (
                f"Nesta level {ind.evidence_standard}" if ind.evidence_standard else None,
                words(ind.verification_type)) if x)
            accountability = ("contribution, not attribution"
                              if ind.result_level in ("context", "impact")
                              or ind.accountability_type == "population" else "performance")
            # the name once per indicator: its strands follow on the next rows, by code
            name = None if rows and rows[-1][len(pc)] == ind.code else ind.name
            rows.append([*programme_cells(report, p), ind.code, name, words(ind.result_level),
                         strand_label(p, r.strand), UNIT_SHORT.get(u), as_number(r.baseline, u),
                         as_number(r.target, u), r.target_period,
                         *[as_number(r.at(x), u) for x in quarters],
                         as_change(r.change(q, 1), u), as_change(r.change_since_baseline(q), u),
                         r.rag, r.status.reason, ", ".join(sorted(drivers[ind.code])) or None,
                         evidence or None, accountability, _story(p, ind.code, q)])
            if ind.code in headline:
                charts.append(_turn_the_curve(p, r, quarters))
    return SheetContent("Outcomes", [Block("Outcomes", cols, rows,
                                           title=f"Outcomes — is anyone better off? ({q})",
                                           empty_message="No outcome values recorded.")],
                        charts, chart_note="Turn the curve: each headline outcome by strand, "
                                           "with its target line")


def _turn_the_curve(p: ProgrammeData, r: F.Row, quarters: list[str]) -> ChartSpec:
    ind = r.indicator
    where = r.strand or "programme level"
    series = [SeriesSpec(f"{ind.code} {where}", tuple(r.at(x) for x in quarters))]
    place = strand_label(p, r.strand) if r.strand else "programme level"
    if r.target is not None:
        series.append(SeriesSpec(f"target {r.target_period}",
                                 tuple(r.target for _ in quarters), "dashed"))
    if r.baseline is not None:
        series.append(SeriesSpec("baseline", tuple(r.baseline for _ in quarters), "dashed"))
    return ChartSpec(f"{p.code}-{ind.code}-{r.strand or 'programme'}-turn-the-curve",
                     f"{ind.code} {ind.name}, {place}", UNIT_SHORT.get(ind.unit, ""),
                     tuple(quarters), tuple(series), unit_format(ind.unit),
                     indicator_series=(_series_of(p, r),))


def outputs(report: QuarterlyReport) -> SheetContent:
    q = report.quarter
    quarters = F.window(q)
    # on paper: the outcome (code and name) and its movement, the output beside it with its
    # last two quarters, target and RAG, and the busy-not-better check
    pc = programme_columns(report)
    cols = [*pc, Column("Drives outcome", width=8),
            Column("Outcome", "wrap", 20), Column("Outcome this quarter", "number", 9),
            Column("Outcome change over 2 quarters", "change", 10),
            Column("Code", width=8), Column("Output", "wrap", 24),
            Column("Level", width=9, paper=False), Column("Strand", "wrap", 19),
            Column("Unit", width=8, paper=False),
            Column("Baseline", "number", 9, paper=False), Column("Target", "number", 9),
            Column("Target quarter", width=9, paper=False), *_history_columns(q),
            Column("Change on last quarter", "change", 9), Column("RAG", "rag", 7),
            Column("CD-1 busy, not better", "wrap", 20),
            Column("Assumption", "wrap", 40, paper=False)]
    rows: list[list[Any]] = []
    charts: list[ChartSpec] = []
    for p in report.programmes:
        ind_rows = F.indicator_rows(p, q)
        by_key = {(r.indicator.code, r.strand): r for r in ind_rows}
        links: dict[str, list[Any]] = defaultdict(list)
        for lk in p.links:
            links[lk.output].append(lk)
        outcome_rank = {i.code: n for n, i in enumerate(F.ordered_indicators(p.indicators))}
        entries = []
        for r in ind_rows:
            if r.indicator.is_results_side:
                continue
            for lk in sorted(links.get(r.indicator.code, []),
                             key=lambda lk: outcome_rank.get(lk.outcome, 99)) or [None]:
                entries.append((lk, r))
        # grouped under the outcome each output drives, so they sit side by side
        entries.sort(key=lambda e: (outcome_rank.get(e[0].outcome, 999) if e[0] else 999,
                                    F.level_rank(e[1].indicator.result_level),
                                    F.natural(e[1].indicator.code),
                                    F.strand_sort(e[1].strand)))
        cd1 = {(f.strand, f.subject): f for f in (p.flags or ())
               if f.rule_id == "CD-1" and f.period == q}
        charted: set[tuple[str, str | None]] = set()
        for lk, r in entries:
            ind = r.indicator
            u = ind.unit
            outcome_row = None
            outcome_ind: IndicatorInfo | None = None
            if lk is not None:
                outcome_row = by_key.get((lk.outcome, r.strand)) or by_key.get(
                    (lk.outcome, None))
                outcome_ind = next((i for i in p.indicators if i.code == lk.outcome), None)
            ou = outcome_ind.unit if outcome_ind else "count"
            check = F.divergence(r, outcome_row, q) if lk else "no linked outcome"
            flag = next((f for (s, subj), f in cd1.items() if s == r.strand
                         and ind.code in subj and (lk is None or lk.outcome in subj)), None)
            if flag is not None:
                check = f"CD-1 flag {F.effective_severity(flag)}; {check}"
            # the outcome's name once per group: its outputs follow by its code
            same = bool(rows) and lk is not None and rows[-1][len(pc)] == lk.outcome and \
                rows[-1][:len(pc)] == programme_cells(report, p)
            rows.append([*programme_cells(report, p), lk.outcome if lk else None,
                         outcome_ind.name if outcome_ind and not same else None,
                         as_number(outcome_row.at(q), ou) if outcome_row else None,
                         as_change(outcome_row.change(q, 2), ou) if outcome_row else None,
                         ind.code, ind.name, words(ind.result_level), strand_label(p, r.strand),
                         UNIT_SHORT.get(u), as_number(r.baseline, u), as_number(r.target, u),
                         r.target_period, *[as_number(r.at(x), u) for x in quarters],
                         as_change(r.change(q, 1), u), r.rag, check,
                         lk.assumption if lk else None])
            if (lk is not None and outcome_row is not None
                    and (ind.code, r.strand) not in charted):
                charted.add((ind.code, r.strand))
                charts.append(_output_vs_outcome(p, r, outcome_row, quarters))
    return SheetContent("Outputs", [Block("Outputs", cols, rows,
                                          title=f"Effort — how much, how well? ({q}); each "
                                                "output beside the outcome it should drive",
                                          empty_message="No output values recorded.")],
                        charts, chart_note="Each output (bars) against the outcome it should "
                                           "drive (line, right axis); on screen, not printed",
                        # fifteen charts would take three pages; on paper the table and
                        # the Outcomes sheet's curves carry the same comparison
                        charts_on_paper=False)


def _output_vs_outcome(p: ProgrammeData, out: F.Row, outcome: F.Row,
                       quarters: list[str]) -> ChartSpec:
    where = out.strand or "programme level"
    return ChartSpec(
        f"{p.code}-{out.indicator.code}-{outcome.indicator.code}-{out.strand or 'programme'}",
        f"{out.indicator.code} against {outcome.indicator.code}, {where}",
        f"{out.indicator.code} ({UNIT_SHORT.get(out.indicator.unit, '')})", tuple(quarters),
        (SeriesSpec(f"{out.indicator.code} (output)", tuple(out.at(x) for x in quarters),
                    "bar"),
         SeriesSpec(f"{outcome.indicator.code} (outcome)",
                    tuple(outcome.at(x) for x in quarters), "line", secondary=True)),
        unit_format(out.indicator.unit),
        y2_title=f"{outcome.indicator.code} ({UNIT_SHORT.get(outcome.indicator.unit, '')})",
        indicator_series=(_series_of(p, out), _series_of(p, outcome)))


def disaggregation(report: QuarterlyReport) -> SheetContent:
    q = report.quarter
    quarters = set(F.window(q))
    t = report.suppression_threshold
    small = F.small_label(t)
    cols = [*programme_columns(report), Column("Indicator", width=9), Column("Strand", width=10),
            Column("Quarter", width=9), Column("Dimension", width=16),
            Column("Category", width=18), Column("Value", "number", 10),
            # the longest sheet: counts stay in the General format (a styled cell costs
            # more to write than a plain one, and sample sizes need no separators)
            Column("Unit", width=8), Column("n", "number", 8),
            Column("Numerator", "number", 12), Column("Denominator", "number", 13),
            # rounded to two decimals rather than formatted: a screening number, and on the
            # longest sheet a plain cell is cheaper to write than a styled one
            Column("Outcome-gap ratio", "gap", 10), Column("Note", width=40)]
    rows: list[list[Any]] = []
    # on paper: the quarter's values only, one line each; the eight quarters follow on screen
    paper_cols = [*programme_columns(report), Column("Code", width=8),
                  Column("Strand", "wrap", 18), Column("Dimension", width=14),
                  Column("Category", "wrap", 18), Column("Value", "number", 10),
                  Column("Unit", width=7), Column("n", "number", 8, COUNT),
                  Column("Outcome-gap ratio", "gap", 10, RATIO), Column("Note", "wrap", 40)]
    paper_rows: list[int] = []  # indexes into rows
    for p in report.programmes:
        inds = {i.code: i for i in p.indicators}
        order = {i.code: n for n, i in enumerate(F.ordered_indicators(p.indicators))}
        cells = [m for m in p.measurements if m.dims and m.period in quarters
                 and m.indicator in inds]
        hidden = {id(m) for m in cells if F.suppressed(m, inds[m.indicator].unit, t)}
        # the best category of each dimension is the reference of the gap ratio
        best: dict[tuple[str, str | None, str, str], float] = {}
        for m in cells:
            if len(m.dims) != 1 or id(m) in hidden or m.value is None:
                continue
            key = (m.indicator, m.strand, m.period, m.dims[0][0])
            worse_is_higher = inds[m.indicator].direction == "decrease"
            cur = best.get(key)
            if cur is None or (m.value < cur if worse_is_higher else m.value > cur):
                best[key] = m.value
        cells.sort(key=lambda m: (order.get(m.indicator, 999), F.strand_sort(m.strand),
                                  m.period, m.dims and m.dims[0][0],
                                  tuple(F.natural(c) for _d, c in m.dims)))
        for m in cells:
            if m.period == q:
                paper_rows.append(len(rows))
            ind = inds[m.indicator]
            dim = " × ".join(d for d, _c in m.dims)
            cat = " × ".join(c for _d, c in m.dims)
            if id(m) in hidden:
                def shown(x: float | None) -> Any:
                    return small if F.is_small(x, t) else x
                value = small if ind.unit == "count" and F.is_small(m.value, t) else None
                rows.append([*programme_cells(report, p), m.indicator, m.strand or "programme",
                             m.period, dim, cat, value, UNIT_SHORT.get(ind.unit), shown(m.n_sample),
                             shown(m.numerator), shown(m.denominator), None,
                             f"suppressed: fewer than {t}; not used in any ratio"])
                continue
            ratio = None
            ref = best.get((m.indicator, m.strand, m.period, m.dims[0][0]))
            if len(m.dims) == 1 and m.value is not None and ref:
                if ind.direction == "decrease":
                    ratio = ref / m.value if m.value else None
                else:
                    ratio = m.value / ref
            rows.append([*programme_cells(report, p), m.indicator, m.strand or "programme",
                         m.period, dim, cat, as_number(m.value, ind.unit), UNIT_SHORT.get(ind.unit),
                         m.n_sample, m.numerator, m.denominator,
                         None if ratio is None else round(ratio, 2), None])
    pn = len(programme_columns(report))
    labels = {p.code: p for p in report.programmes}
    printed = []
    for i in paper_rows:
        r = rows[i]
        p = labels[r[0]] if pn else report.programmes[0]
        printed.append([*r[:pn], r[pn], strand_label(p, None if r[pn + 1] == "programme"
                                                     else r[pn + 1]),
                        words(r[pn + 3]), words(r[pn + 4]), *r[pn + 5:pn + 8], r[pn + 10],
                        r[pn + 11]])
    return SheetContent("Disaggregation", [
        Block("Disaggregation_this_quarter", paper_cols, printed,
              title=f"Disaggregated values, {q}",
              empty_message="No disaggregated values recorded for this quarter."),
        Block("Disaggregation", cols, rows, paper=False,
              title=f"Disaggregated values, {F.window(q)[0]} to {q} (on screen, not printed)",
              empty_message="No disaggregated values recorded.")])
