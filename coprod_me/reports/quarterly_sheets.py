"""What goes on each sheet of the quarterly report: blocks of rows and chart specifications.

Pure: the read model in, ``SheetContent`` out. ``quarterly_workbook`` turns these into
openpyxl objects and ``quarterly_pictures`` into PNGs; neither computes a number itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from coprod_me.model.quarter import Quarter
from coprod_me.reports import quarterly_figures as F
from coprod_me.reports.quarterly_model import (
    PORTFOLIO,
    IndicatorInfo,
    ProgrammeData,
    QuarterlyReport,
)
from coprod_me.reports.series_data import IndicatorSeries

# --------------------------------------------------------------------------- structures

#: "note": text in a table's last column that runs on into the empty cells to its right;
#: "clip": long text kept whole in the cell but shown in the row's height, cut off there
#: "gap": a ratio to the best group, shaded below the four-fifths screen (0.80)
Kind = Literal["text", "wrap", "note", "clip", "number", "rag", "severity", "score",
               "change", "gap"]


@dataclass(frozen=True)
class Num:
    """A number with its own format, where one column holds several units."""

    value: float | None
    number_format: str


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = "text"
    width: float | None = None
    number_format: str | None = None


@dataclass
class Block:
    """A titled table. ``name`` becomes the Excel table's name (unique in the workbook)."""

    name: str
    columns: Sequence[Column]
    rows: list[list[Any]]
    title: str | None = None
    empty_message: str = "Nothing recorded for this quarter."
    as_table: bool = True


@dataclass(frozen=True)
class SeriesSpec:
    name: str
    values: tuple[float | None, ...]
    style: Literal["line", "dashed", "bar"] = "line"
    secondary: bool = False


@dataclass(frozen=True)
class ChartSpec:
    key: str  # file stem for the PNG: unique and stable
    title: str
    y_title: str
    categories: tuple[str, ...]
    series: tuple[SeriesSpec, ...]
    number_format: str = "General"
    y2_title: str | None = None
    #: for the matplotlib twin: turn-the-curve (one series) or output-vs-outcome (two)
    indicator_series: tuple[IndicatorSeries, ...] = ()


@dataclass
class SheetContent:
    name: str
    blocks: list[Block] = field(default_factory=list)
    charts: list[ChartSpec] = field(default_factory=list)
    chart_note: str | None = None
    is_data: bool = True  # data sheets get tables and frozen headers; README does not


# ------------------------------------------------------------------------------ formats

UNIT_SHORT = {"percent": "%", "rate_per_1000": "per 1,000", "rate": "rate", "count": "count",
              "hours": "hours", "score_0_100": "score 0–100", "ratio": "ratio",
              "days": "days", "currency": "currency", "index": "index"}
UNIT_FORMAT = {"percent": '0.0" %"', "rate_per_1000": "0.0#", "rate": "0.00",
               "count": "#,##0",
               "hours": "#,##0", "score_0_100": "0.0", "ratio": "0.00", "days": "0.0",
               "currency": "#,##0", "index": "0.00"}
CHANGE_FORMAT = {"percent": '+0.0" pp";-0.0" pp";0.0" pp"', "ratio": "+0.00;-0.00;0.00",
                 "count": "+#,##0;-#,##0;0", "currency": "+#,##0;-#,##0;0",
                 "hours": "+#,##0;-#,##0;0"}
PCT = '0.0" %"'
MONEY = "#,##0"
COUNT = "#,##0"
RATIO = "0.00"


def unit_format(unit: str) -> str:
    return UNIT_FORMAT.get(unit, "0.0#")


def change_format(unit: str) -> str:
    return CHANGE_FORMAT.get(unit, "+0.0#;-0.0#;0")


def short(text: str, limit: int = 48) -> str:
    """A name cut at a word for a chart title."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def words(code: str | None) -> str | None:
    return None if code is None else code.replace("_", " ")


def _n(value: float | None, unit: str) -> Num | None:
    return None if value is None else Num(value, unit_format(unit))


def _chg(value: float | None, unit: str) -> Num | None:
    return None if value is None else Num(value, change_format(unit))


def _yes(b: bool | None) -> str | None:
    return None if b is None else ("yes" if b else "no")


def _programme_col(report: QuarterlyReport) -> list[Column]:
    return [Column("Programme", width=11)] if report.is_portfolio else []


def _p(report: QuarterlyReport, p: ProgrammeData) -> list[Any]:
    return [p.code] if report.is_portfolio else []


def _has_data(p: ProgrammeData, quarter: str) -> bool:
    return any(m.period == quarter for m in p.measurements)


def _story(p: ProgrammeData, code: str, quarter: str) -> str | None:
    notes = [n for n in p.notes if n.entity == "indicator" and n.entity_key == code
             and (n.period is None or n.period <= quarter)]
    if not notes:
        return None
    return max(notes, key=lambda n: n.period or "").text


# -------------------------------------------------------------------------------- sheets


def build_sheets(report: QuarterlyReport) -> list[SheetContent]:
    """Every sheet of the report in order (README first, Portfolio for several programmes)."""
    makers = {
        "README": readme, PORTFOLIO: portfolio, "Summary": summary, "Outcomes": outcomes,
        "Outputs": outputs, "Disaggregation": disaggregation, "Participation": participation,
        "Risks": risks, "Capacity": capacity, "Sustainability": sustainability,
        "DataQuality": data_quality, "IndicatorDefinitions": indicator_definitions,
        "Observations_raw": observations_raw,
    }
    return [makers[name](report) for name in report.sheet_names]


def readme(report: QuarterlyReport) -> SheetContent:
    q = report.quarter
    rows: list[list[Any]] = [
        ["Report", f"Quarterly report {q}"],
        ["Programmes", "; ".join(f"{p.code} — {p.name}" for p in report.programmes)],
        ["Reporting period", f"{q} ({Quarter.parse(q).start.isoformat()} to "
                             f"{Quarter.parse(q).end.isoformat()})"],
    ]
    for p in report.programmes:
        status = p.period_status or "not recorded"
        if p.locked_by and p.period_status == "locked":
            status += f" (locked by {p.locked_by})"
        rows.append([f"{p.code}: period status", status])
        rows.append([f"{p.code}: data cut-off",
                     p.data_cutoff_date.isoformat() if p.data_cutoff_date else "not recorded"])
        rows.append([f"{p.code}: strands",
                     "; ".join(f"{s.code} ({s.name})" for s in p.strands) or "none"])
        if p.is_sample:
            rows.append([f"{p.code}: SAMPLE DATA",
                         p.sample_note or "Illustrative sample data, not real results."])
    rows += [
        ["Generated", report.generated_at.strftime("%Y-%m-%d %H:%M UTC")],
        ["Generated by", f"coprod-me {report.app_version}".strip()],
        ["Sheets", ", ".join(report.sheet_names)],
        ["Small-number suppression",
         f"Disaggregated counts under {report.suppression_threshold} are shown as "
         f"'{F.small_label(report.suppression_threshold)}' and left out of every ratio "
         "derived from them; such rows are withheld from Observations_raw."
         if report.suppression_threshold > 0 else "off (every count is shown)"],
        ["RAG: green", "on track: the value meets its target or has not crossed the amber "
                       "threshold; for a risk category, no open flag above low"],
        ["RAG: amber", "at risk: past the amber threshold, or no movement from the "
                       "baseline; for a risk category, a medium flag"],
        ["RAG: red", "off track: past the red threshold or worse than the baseline; for a "
                     "risk category, a high or critical flag (or three medium ones)"],
        ["RAG: no data", "no value recorded to judge"],
        ["Severity", "info < low < medium < high < critical. A flag is a prompt for "
                     "evaluator judgement, not a verdict."],
        ["[LIT]", "threshold or construct taken from the cited literature"],
        ["[ANCHOR]", "convention set against a published empirical figure"],
        ["[REG]", "borrowed from a regulatory screening convention in another field"],
        ["[CONV]", "a proposed professional convention; each programme may adjust it"],
        ["Outcomes first", "Outcomes ('Is anyone better off?') come before outputs ('How "
                           "much / how well?'); each output sits beside the outcome it "
                           "should drive."],
        ["Outcome-gap ratio", "Disaggregation: a category's value against the best category "
                              "of the same dimension (1.00 = no gap); shaded below 0.80, the "
                              "four-fifths screen [REG]"],
        ["Retention", "Participation: continuing active participants ÷ last quarter's active"],
        ["Representation ratio", "Participation: a group's share of active participants ÷ "
                                 "its share of the population; shaded below 0.80 [REG]"],
        ["Capacity scores", "0 absent, 1 weak, 2 partial, 3 adequate, 4 strong; 1 or less is "
                            "a gap"],
        ["Funding runway", "Sustainability: funding committed for the next 4 quarters ÷ spend "
                           "of the last 4; green from 80 %, red under 50 % [CONV]"],
        ["Completeness", "DataQuality: each indicator's total and required disaggregations "
                         "for the quarter, for the strands that report it"],
        ["Observations_raw", "the quarter's observations in the programme workbook's "
                             "Observations columns; it loads back with 'coprod-me load' or "
                             "the import."],
    ]
    block = Block("README", [Column("Item", width=28), Column("Value", "wrap", width=100)],
                  rows, as_table=False)
    return SheetContent("README", [block], is_data=False)


def portfolio(report: QuarterlyReport) -> SheetContent:
    q = report.quarter
    cols = [Column("Programme", width=11), Column("Name", "wrap", width=40),
            Column("Outcomes on track", "number", 10, COUNT),
            Column("Outcomes at risk", "number", 10, COUNT),
            Column("Outcomes off track", "number", 10, COUNT),
            Column("Outcomes without data", "number", 10, COUNT),
            Column("On track (%)", "number", 10, PCT)]
    cols += [Column(F.CATEGORY_LABELS[c], "rag", 14) for c in F.CATEGORIES]
    cols += [Column("Open flags", "number", 9, COUNT),
             Column("Institutional status", width=24)]
    rows = []
    statuses: dict[str, dict[str, int]] = {}
    for p in report.programmes:
        ind_rows = F.indicator_rows(p, q)
        count = {"green": 0, "amber": 0, "red": 0, "no data": 0}
        for ind in (i for i in p.indicators if i.is_outcome):
            count[F.headline(p, ind, ind_rows, q).rag] += 1
        statuses[p.code] = count
        total = sum(count.values())
        rags = F.category_rags(p.flags, q, p.engine_rag, has_data=_has_data(p, q))
        rows.append([p.code, p.name, count["green"], count["amber"], count["red"],
                     count["no data"], 100.0 * count["green"] / total if total else None,
                     *[r.rag for r in rags], sum(r.open_flags for r in rags),
                     words(p.institutional_status)])
    block = Block("Portfolio", cols, rows, title=f"Programmes compared, {q}")
    chart = ChartSpec(
        "portfolio-outcomes", f"Outcome status by programme, {q}", "outcomes",
        tuple(p.code for p in report.programmes),
        tuple(SeriesSpec(label, tuple(float(statuses[p.code][key]) for p in report.programmes),
                         "bar")
              for key, label in (("green", "on track"), ("amber", "at risk"),
                                 ("red", "off track"), ("no data", "no data"))),
        COUNT)
    return SheetContent(PORTFOLIO, [block], [chart])


def summary(report: QuarterlyReport) -> SheetContent:
    q = report.quarter
    pc = _programme_col(report)
    head_cols = [*pc, Column("Outcome", width=9), Column("Measure", "wrap", 44),
                 Column("Unit", width=9), Column("Baseline", "number", 10),
                 Column("Target", "number", 10), Column(f"This quarter ({q})", "number", 12),
                 Column("Trend", width=11), Column("RAG", "rag", 9),
                 Column("Why", "wrap", 44), Column("Basis", "wrap", 16)]
    head_rows: list[list[Any]] = []
    # shaped to the headline table above: the category name where the measure is
    cat_cols = [*pc, Column("RAG", "rag", 9), Column("Risk category", width=26),
                Column("Level", "severity", 9), Column("Open flags", "number", 9, COUNT),
                Column("Top flag", "note", 60)]
    cat_rows: list[list[Any]] = []
    dec_cols = [*pc, Column("No.", "number", 6, "0"), Column("Decision requested", "wrap", 44),
                Column("Because", "note", 50)]
    dec_rows: list[list[Any]] = []
    for p in report.programmes:
        rows = F.indicator_rows(p, q)
        for ind in F.headline_outcomes(p):
            h = F.headline(p, ind, rows, q)
            head_rows.append([*_p(report, p), ind.code, ind.name, UNIT_SHORT.get(ind.unit),
                              _n(h.baseline, ind.unit), _n(h.target, ind.unit),
                              _n(h.value, ind.unit), h.trend, h.rag, h.status.reason,
                              h.basis])
            if h.rag == "red":
                dec_rows.append([*_p(report, p),
                                 f"Agree a recovery plan for {ind.code} ({ind.name}).",
                                 f"off track: {h.status.reason}"])
        for cr in F.category_rags(p.flags, q, p.engine_rag, has_data=_has_data(p, q)):
            top = cr.top_flag
            top_text = ("no flags computed yet" if p.flags is None else
                        f"{top.rule_id} {F.effective_severity(top)}"
                        f"{' at ' + top.strand if top.strand else ''}"
                        f"{': ' + top.subject if top.subject else ''}" if top else
                        "no observations or flags this quarter" if cr.rag == "no data" else
                        "no open flag")
            cat_rows.append([*_p(report, p), cr.rag, F.CATEGORY_LABELS[cr.category],
                             cr.level, cr.open_flags, top_text])
            if top is not None and F.severity_rank(F.effective_severity(top)) >= 3:
                dec_rows.append([*_p(report, p),
                                 f"Decide on mitigation for {top.rule_id} "
                                 f"({F.CATEGORY_LABELS[cr.category].lower()})"
                                 f"{' at ' + top.strand if top.strand else ''}.",
                                 top.mitigation or f"{F.effective_severity(top)} flag open"])
        if not any(d[: len(pc)] == _p(report, p) for d in dec_rows):
            dec_rows.append([*_p(report, p), "No decision requested this quarter.",
                             "no headline outcome off track and no high flag open"])
    numbered: dict[str, int] = defaultdict(int)
    for d in dec_rows:  # numbered per programme, so a minute can refer to "decision 2"
        who = d[0] if report.is_portfolio else ""
        numbered[who] += 1
        d.insert(len(pc), numbered[who])
    return SheetContent("Summary", [
        Block("Headline_outcomes", head_cols, head_rows, title=f"Headline outcomes, {q}",
              empty_message="No outcome indicators defined yet."),
        Block("Risk_categories", cat_cols, cat_rows, title="Risk categories"),
        Block("Decisions", dec_cols, dec_rows, title="Decisions requested"),
    ])


def _history_columns(q: str) -> list[Column]:
    return [Column(x, "number", 9) for x in F.window(q)]


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


def outcomes(report: QuarterlyReport) -> SheetContent:
    q = report.quarter
    quarters = F.window(q)
    cols = [*_programme_col(report), Column("Code", width=9), Column("Indicator", "wrap", 40),
            Column("Level", width=19), Column("Strand", width=10), Column("Unit", width=7),
            Column("Baseline", "number", 9), Column("Target", "number", 9),
            Column("Target quarter", width=9), *_history_columns(q),
            Column("Change on last quarter", "change", 10),
            Column("Change since baseline", "change", 10), Column("RAG", "rag", 9),
            Column("Why", "wrap", 36), Column("Driven by", "wrap", 12),
            Column("Evidence", "wrap", 18), Column("Accountability", "wrap", 16),
            Column("Story behind the curve", "wrap", 60)]
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
            rows.append([*_p(report, p), ind.code, ind.name, words(ind.result_level),
                         r.strand or "programme", UNIT_SHORT.get(u), _n(r.baseline, u),
                         _n(r.target, u), r.target_period,
                         *[_n(r.at(x), u) for x in quarters],
                         _chg(r.change(q, 1), u), _chg(r.change_since_baseline(q), u),
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
    if r.target is not None:
        series.append(SeriesSpec(f"target {r.target_period}",
                                 tuple(r.target for _ in quarters), "dashed"))
    if r.baseline is not None:
        series.append(SeriesSpec("baseline", tuple(r.baseline for _ in quarters), "dashed"))
    return ChartSpec(f"{p.code}-{ind.code}-{r.strand or 'programme'}-turn-the-curve",
                     f"{ind.code} at {where}: {short(ind.name)}", UNIT_SHORT.get(ind.unit, ""),
                     tuple(quarters), tuple(series), unit_format(ind.unit),
                     indicator_series=(_series_of(p, r),))


def outputs(report: QuarterlyReport) -> SheetContent:
    q = report.quarter
    quarters = F.window(q)
    cols = [*_programme_col(report), Column("Drives outcome", width=10),
            Column("Outcome", "wrap", 30), Column("Outcome this quarter", "number", 10),
            Column("Outcome change over 2 quarters", "change", 11),
            Column("Code", width=9), Column("Output", "wrap", 36), Column("Level", width=9),
            Column("Strand", width=10), Column("Unit", width=8),
            Column("Baseline", "number", 9), Column("Target", "number", 10),
            Column("Target quarter", width=9), *_history_columns(q),
            Column("Change on last quarter", "change", 10), Column("RAG", "rag", 9),
            Column("CD-1 busy, not better", "wrap", 18), Column("Assumption", "wrap", 40)]
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
            rows.append([*_p(report, p), lk.outcome if lk else None,
                         outcome_ind.name if outcome_ind else None,
                         _n(outcome_row.at(q), ou) if outcome_row else None,
                         _chg(outcome_row.change(q, 2), ou) if outcome_row else None,
                         ind.code, ind.name, words(ind.result_level), r.strand or "programme",
                         UNIT_SHORT.get(u), _n(r.baseline, u), _n(r.target, u),
                         r.target_period, *[_n(r.at(x), u) for x in quarters],
                         _chg(r.change(q, 1), u), r.rag, check,
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
                                           "drive (line, right axis)")


def _output_vs_outcome(p: ProgrammeData, out: F.Row, outcome: F.Row,
                       quarters: list[str]) -> ChartSpec:
    where = out.strand or "programme level"
    return ChartSpec(
        f"{p.code}-{out.indicator.code}-{outcome.indicator.code}-{out.strand or 'programme'}",
        f"{out.indicator.code} against {outcome.indicator.code} — {where}",
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
    cols = [*_programme_col(report), Column("Indicator", width=9), Column("Strand", width=10),
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
            ind = inds[m.indicator]
            dim = " × ".join(d for d, _c in m.dims)
            cat = " × ".join(c for _d, c in m.dims)
            if id(m) in hidden:
                def shown(x: float | None) -> Any:
                    return small if F.is_small(x, t) else x
                value = small if ind.unit == "count" and F.is_small(m.value, t) else None
                rows.append([*_p(report, p), m.indicator, m.strand or "programme", m.period,
                             dim, cat, value, UNIT_SHORT.get(ind.unit), shown(m.n_sample),
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
            rows.append([*_p(report, p), m.indicator, m.strand or "programme", m.period, dim,
                         cat, _n(m.value, ind.unit), UNIT_SHORT.get(ind.unit), m.n_sample,
                         m.numerator, m.denominator,
                         None if ratio is None else round(ratio, 2), None])
    return SheetContent("Disaggregation", [Block(
        "Disaggregation", cols, rows,
        title=f"Disaggregated values, {F.window(q)[0]} to {q}",
        empty_message="No disaggregated values recorded.")])


def participation(report: QuarterlyReport) -> SheetContent:
    q = report.quarter
    quarters = F.window(q)
    t = report.suppression_threshold
    small = F.small_label(t)
    cols = [*_programme_col(report), Column("Strand", width=10), Column("Phase", width=16),
            Column("Group", width=30), Column("Quarter", width=9),
            Column("Registered", "number", 10, COUNT), Column("Active", "number", 9, COUNT),
            Column("New", "number", 8, COUNT), Column("Continuing", "number", 10, COUNT),
            Column("Exited", "number", 8, COUNT), Column("Retention (%)", "number", 10, PCT),
            Column("Representation ratio", "gap", 15, RATIO),
            Column("Share of peak active (%)", "number", 12, PCT),
            Column("Task completion (%)", "number", 11, PCT)]
    rows: list[list[Any]] = []
    charts: list[ChartSpec] = []
    for p in report.programmes:
        recs = {(r.strand, r.phase, r.group_dimension, r.group_category, r.period): r
                for r in p.participation if r.period <= q}
        pop: dict[tuple[str | None, str, str], float] = {}
        for ref in sorted(p.population, key=lambda ref: ref.year):
            if ref.year <= Quarter.parse(q).year:  # the latest count up to the report year
                pop[(ref.strand, ref.group_dimension, ref.group_category)] = ref.count
        peak: dict[tuple[Any, ...], int] = defaultdict(int)
        for rec_key, rec in recs.items():
            peak[rec_key[:4]] = max(peak[rec_key[:4]], rec.active or 0)
        keys = sorted({k[:4] for k in recs if k[4] in quarters},
                      key=lambda k: (F.strand_sort(k[0]), k[1] or "", k[2] != "", k[2],
                                     F.natural(k[3])))
        for key in keys:
            strand, phase, gdim, gcat = key
            grouped = gdim != ""
            for x in quarters:
                r = recs.get((*key, x))
                if r is None:
                    continue
                prev = recs.get((*key, str(Quarter.parse(x).previous())))
                counts = (r.registered, r.active, r.new, r.continuing_active, r.exited)
                hide = grouped and any(F.is_small(c, t) for c in counts)
                retention = (100.0 * r.continuing_active / prev.active
                             if r.continuing_active is not None and prev and prev.active
                             else None)
                rr = None
                everyone = recs.get((strand, phase, "", "", x))
                share_pop = _pop_share(pop, strand, gdim, gcat)
                if grouped and everyone and everyone.active and r.active is not None \
                        and share_pop:
                    rr = (r.active / everyone.active) / share_pop
                decay = 100.0 * r.active / peak[key] if r.active is not None and peak[key] \
                    else None
                completion = (100.0 * r.completed_tasks / r.started_tasks
                              if r.completed_tasks is not None and r.started_tasks else None)
                if hide:
                    shown = [small if F.is_small(c, t) else c for c in counts]
                    retention = rr = decay = completion = None
                else:
                    shown = list(counts)
                rows.append([*_p(report, p), strand or "programme", words(phase),
                             f"{gdim}: {gcat}" if grouped else "all participants", x,
                             *shown, retention, rr, decay, completion])
        charts += _participation_charts(p, recs, quarters)
    return SheetContent("Participation", [Block(
        "Participation", cols, rows,
        title=f"Co-production health, {quarters[0]} to {q}",
        empty_message="No participation records for these quarters.")], charts,
        chart_note="Active participants (bars) and retention (lines, right axis) by phase")


def _pop_share(pop: dict[tuple[str | None, str, str], float], strand: str | None, gdim: str,
               gcat: str) -> float | None:
    for s in (strand, None):
        g, total = pop.get((s, gdim, gcat)), pop.get((s, "", ""))
        if g is not None and total:
            return g / total
    return None


def _participation_charts(p: ProgrammeData, recs: dict[tuple[Any, ...], Any],
                          quarters: list[str]) -> list[ChartSpec]:
    charts = []
    strands = sorted({k[0] for k in recs if k[2] == "" and k[4] in quarters},
                     key=F.strand_sort)
    for strand in strands:
        phases = sorted({k[1] or "" for k in recs if k[0] == strand and k[2] == ""
                         and k[4] in quarters})
        series: list[SeriesSpec] = []
        for ph in phases:
            active = tuple(float(r.active) if (r := recs.get((strand, ph or None, "", "", x)))
                           and r.active is not None else None for x in quarters)
            series.append(SeriesSpec(f"active: {words(ph) or 'all'}", active, "bar"))
        for ph in phases:
            ret: list[float | None] = []
            for x in quarters:
                r = recs.get((strand, ph or None, "", "", x))
                prev = recs.get((strand, ph or None, "", "", str(Quarter.parse(x).previous())))
                ret.append(100.0 * r.continuing_active / prev.active
                           if r and r.continuing_active is not None and prev and prev.active
                           else None)
            if any(v is not None for v in ret):
                series.append(SeriesSpec(f"retention %: {words(ph) or 'all'}", tuple(ret),
                                         "line", secondary=True))
        charts.append(ChartSpec(
            f"{p.code}-{strand or 'programme'}-participation",
            f"Participation and retention at {strand or 'programme level'}",
            "active participants",
            tuple(quarters), tuple(series), COUNT, y2_title="retention (%)"))
    return charts


def risks(report: QuarterlyReport) -> SheetContent:
    q = report.quarter
    pc = _programme_col(report)
    cols = [*pc, Column("Category", width=16), Column("Rule", width=7),
            Column("Strand", width=10), Column("Subject", "wrap", 18),
            Column("Quarter", width=9), Column("Change", width=12),
            Column("Severity", "severity", 10), Column("Computed severity", "severity", 10),
            Column("Status", width=14), Column("Consecutive quarters", "number", 10, COUNT),
            Column("First raised", width=9), Column("Why", "wrap", 50),
            # every input, metric and threshold, flattened: kept whole in one line a reader
            # can open, so the printed register stays one flag to a few lines
            Column("Trigger values", "clip", 40),
            Column("Evaluator judgement", "wrap", 40), Column("Override reason", "wrap", 30),
            Column("Mitigation", "wrap", 36), Column("Owner", "wrap", 18),
            Column("Due", width=11)]
    rows: list[list[Any]] = []
    messages = []
    for p in report.programmes:
        if p.flags is None:
            messages.append(f"{p.code}: no flags computed yet. Run the risk rules for {q} to "
                            "fill this register.")
            continue
        changes = F.flag_changes(p.flags, q)
        if not changes:
            messages.append(f"{p.code}: no flags raised for {q}.")
        for f, change in changes:
            rows.append([*_p(report, p), words(f.category), f.rule_id, f.strand or "programme",
                         f.subject or None, f.period, change, F.effective_severity(f),
                         f.computed_severity, words(f.status), f.consecutive_periods,
                         f.first_raised_period, _why(f),
                         "; ".join(f"{k} = {v}" for k, v in f.trigger) or None,
                         f.evaluator_judgement, f.override_reason, f.mitigation, f.owner,
                         f.due_date])
    check_cols = [*pc, Column("Item", width=8), Column("Strand", width=10),
                  Column("Answered for", width=9), Column("Answer", width=9),
                  Column("Previous answer", width=9), Column("Changed", width=8),
                  Column("Comment", "note", 60)]
    check_rows = []
    for p in report.programmes:
        for c in sorted(p.checklist, key=lambda c: (c.item_code, F.strand_sort(c.strand))):
            check_rows.append([*_p(report, p), c.item_code, c.strand or "programme", c.period,
                               c.answer, c.previous_answer,
                               "yes" if c.previous_answer not in (None, c.answer) else "no",
                               c.comment])
    flags_block = Block("Risk_flags", cols, rows, title=f"Risk register, {q}",
                        empty_message=" ".join(messages) or "No flags.")
    if messages and rows:
        flags_block.title = f"Risk register, {q}. " + " ".join(messages)
    return SheetContent("Risks", [
        flags_block,
        Block("Checklist", check_cols, check_rows, title="Checklist answers (latest per item)",
              empty_message="No checklist answers recorded."),
    ])


def _why(f: Any) -> str | None:
    """The flag's own explanation from its trigger snapshot, else its main metric."""
    trigger = dict(f.trigger)
    if trigger.get("why"):
        return str(trigger["why"])
    pairs = [f"{k} = {v}" for k, v in f.trigger if k.startswith(("metrics.", "primary"))]
    return "; ".join(pairs[:4]) or None


def capacity(report: QuarterlyReport) -> SheetContent:
    cols = [*_programme_col(report), Column("Assessment", width=16),
            Column("Scope", width=13), Column("Actor", width=20), Column("Assessed on", width=11),
            Column("Method", width=14), Column("Level", width=14), Column("Competence", width=12),
            Column("Score (0–4)", "score", 8), Column("Change since previous", "change", 10),
            Column("Descriptor", width=10), Column("Justification", "wrap", 60)]
    rows = []
    for p in report.programmes:
        for c in sorted(p.capacity, key=lambda c: (c.actor_scope, c.assessment,
                                                   _LEVELS.get(c.level, 9),
                                                   _COMPETENCES.get(c.competence, 9))):
            rows.append([*_p(report, p), c.assessment, words(c.actor_scope), c.actor,
                         c.assessed_on, words(c.method), c.level, c.competence, c.score,
                         Num(c.score - c.previous_score, "+0;-0;0")
                         if c.previous_score is not None else None, c.descriptor, c.notes])
    return SheetContent("Capacity", [Block(
        "Capacity", cols, rows,
        title="Capacity: 3 levels × 3 competences, scored 0 to 4",
        empty_message="No capacity assessment recorded.")])


_LEVELS = {"individual": 0, "organizational": 1, "systemic": 2}
_ENUM_FIELDS = {"result_level", "rba_quadrant", "better_off_type", "accountability_type",
                "attribution_claim", "direction", "verification_type", "frequency",
                "coproduction_level"}
_COMPETENCES = {"analytical": 0, "operational": 1, "political": 2}


def sustainability(report: QuarterlyReport) -> SheetContent:
    q = report.quarter
    pc = _programme_col(report)
    run_cols = [*pc, Column("Strand", width=10), Column("Quarter", width=9),
                Column("Spend in quarter", "number", 13, MONEY),
                Column("Spend, last 4 quarters", "number", 14, MONEY),
                Column("Committed, next 4 quarters", "number", 14, MONEY),
                Column("Runway (%)", "number", 10, PCT), Column("RAG", "rag", 9)]
    run_rows = []
    fund_cols = [*pc, Column("Source", width=18), Column("Name", "wrap", 22),
                 Column("Strand", width=10), Column("Type", width=22),
                 Column("Funder", width=16), Column("Sponsor", width=14),
                 Column("Committed", "number", 12, MONEY), Column("From", width=11),
                 Column("To", width=11), Column("Renewable", width=9),
                 Column("Renewal decision", width=11)]
    fund_rows = []
    sp_cols = [*pc, Column("Sponsor", width=16), Column("Strand", width=10),
               Column("Office", "wrap", 30), Column("Party", width=12),
               Column("Term ends", width=11), Column("Next election", width=11),
               Column("Months to term end", "number", 10, "0"),
               Column("Commitment beyond term", width=11)]
    sp_rows = []
    st_cols = [*pc, Column("Where", width=16), Column("Institutional status", width=26),
               Column("Transition plan approved", width=11), Column("Ends", width=11)]
    st_rows = []
    charts = []
    end = Quarter.parse(q).end
    for p in report.programmes:
        cur = p.currency or ""
        rw = F.runway(p, q)
        for r in rw:
            run_rows.append([*_p(report, p), r.strand or "programme", r.quarter, r.spend,
                             r.trailing_spend, r.committed_ahead, r.percent, r.rag])
        for strand in sorted({r.strand for r in rw}, key=F.strand_sort):
            mine = {r.quarter: r for r in rw if r.strand == strand}
            qs = tuple(F.window(q))
            charts.append(ChartSpec(
                f"{p.code}-{strand or 'programme'}-funding-runway",
                f"Funding runway at {strand or 'programme level'}", f"amount {cur}".strip(), qs,
                (SeriesSpec("spend, last 4 quarters",
                            tuple(mine[x].trailing_spend if x in mine else None for x in qs),
                            "bar"),
                 SeriesSpec("committed, next 4 quarters",
                            tuple(mine[x].committed_ahead if x in mine else None for x in qs),
                            "bar"),
                 SeriesSpec("runway %", tuple(mine[x].percent if x in mine else None
                                              for x in qs), "line", secondary=True)),
                MONEY, y2_title="runway (%)"))
        for f in sorted(p.funding, key=lambda f: (F.strand_sort(f.strand), f.code)):
            fund_rows.append([*_p(report, p), f.code, f.name, f.strand or "programme",
                              words(f.type), f.funder, f.sponsor, f.committed_amount,
                              f.period_start, f.period_end, _yes(f.is_renewable),
                              f.renewal_decision_date])
        for s in sorted(p.sponsors, key=lambda s: s.code):
            months = None
            if s.term_end_date is not None:
                months = (s.term_end_date.year - end.year) * 12 + (s.term_end_date.month
                                                                    - end.month)
            sp_rows.append([*_p(report, p), s.code, s.strand or "programme", s.office_title,
                            s.party, s.term_end_date, s.next_election_date, months,
                            _yes(s.commitment_beyond_term)])
        st_rows.append([*_p(report, p), f"{p.code} (programme)", words(p.institutional_status),
                        _yes(p.transition_plan_approved), p.planned_end_date])
        for st in p.strands:
            if st.institutional_status or st.end_date:
                st_rows.append([*_p(report, p), st.code, words(st.institutional_status),
                                _yes(st.transition_plan_approved), st.end_date])
    return SheetContent("Sustainability", [
        Block("Funding_runway", run_cols, run_rows,
              title="Funding runway [CONV]",
              empty_message="No spending or funding recorded."),
        Block("Funding_sources", fund_cols, fund_rows, title="Funding sources",
              empty_message="No funding sources recorded."),
        Block("Sponsors", sp_cols, sp_rows, title="Political sponsors and their terms",
              empty_message="No political sponsors recorded."),
        Block("Institutional_status", st_cols, st_rows, title="Institutionalisation"),
    ], charts, chart_note="Funding runway by strand")


def data_quality(report: QuarterlyReport) -> SheetContent:
    q = report.quarter
    pc = _programme_col(report)
    cols = [*pc, Column("Indicator", width=9), Column("Strand", width=10),
            Column("Total recorded", width=9), Column("Required disaggregations", width=18),
            Column("Missing", "wrap", 30), Column("Completeness (%)", "number", 14, PCT),
            Column("Quality status", width=12), Column("Verification", width=20)]
    rows = []
    rev_cols = [*pc, Column("Indicator", width=9), Column("Strand", width=10),
                Column("Quarter", width=9), Column("Cell", width=20),
                Column("Revision", "number", 8, "0"), Column("Value before", "number", 12),
                Column("Reason", "wrap", 50), Column("By", width=14),
                Column("When", width=17, number_format="yyyy-mm-dd hh:mm")]
    rev_rows = []
    batch_cols = [*pc, Column("File", "wrap", 30), Column("Kind", width=16),
                  Column("Imported", width=17, number_format="yyyy-mm-dd hh:mm"),
                  Column("By", width=14), Column("Rows created", "number", 10, COUNT),
                  Column("Rows updated", "number", 10, COUNT),
                  Column("Rows rejected", "number", 10, COUNT), Column("Reverted", width=9)]
    batch_rows = []
    window_q = set(F.window(q))
    for p in report.programmes:
        by_key: dict[tuple[str, str | None], list[Any]] = defaultdict(list)
        reporting: dict[str, set[str | None]] = defaultdict(set)
        for m in p.measurements:
            if m.period in window_q and not m.dims:
                reporting[m.indicator].add(m.strand)
            if m.period == q:
                by_key[(m.indicator, m.strand)].append(m)
        for ind in F.ordered_indicators(p.indicators):
            for strand in sorted(reporting.get(ind.code, set()), key=F.strand_sort):
                ms = by_key.get((ind.code, strand), [])
                total = next((m for m in ms if not m.dims), None)
                dims_seen = {d for m in ms for d, _c in m.dims}
                missing = ([] if total is not None else ["total"]) + [
                    f"by {d}" for d in ind.disaggregation_required if d not in dims_seen]
                expected = 1 + len(ind.disaggregation_required)
                rows.append([*_p(report, p), ind.code, strand or "programme",
                             "yes" if total is not None else "no",
                             ", ".join(ind.disaggregation_required) or None,
                             ", ".join(missing) or None,
                             100.0 * (expected - len(missing)) / expected,
                             total.quality_status if total else None,
                             words((total.verification_type if total else None)
                                   or ind.verification_type)])
        for r in sorted(p.revisions, key=lambda r: (r.period, r.indicator, r.revision)):
            rev_rows.append([*_p(report, p), r.indicator, r.strand or "programme", r.period,
                             "; ".join(f"{d}={c}" for d, c in r.dims) or "total",
                             r.revision, r.old_value, r.reason, r.revised_by,
                             r.revised_at.replace(tzinfo=None)])
        for b in sorted(p.batches, key=lambda b: b.imported_at):
            batch_rows.append([*_p(report, p), b.file_name, words(b.kind),
                               b.imported_at.replace(tzinfo=None), b.user, b.rows_created,
                               b.rows_updated, b.rows_rejected, _yes(b.reverted)])
    return SheetContent("DataQuality", [
        Block("Completeness", cols, rows,
              title=f"Completeness of {q}",
              empty_message="No indicator reported in the last eight quarters."),
        Block("Revisions", rev_cols, rev_rows, title="Corrections to locked quarters",
              empty_message="No corrections to locked quarters."),
        Block("Import_batches", batch_cols, batch_rows, title="Import batches",
              empty_message="No import batches."),
    ])


def indicator_definitions(report: QuarterlyReport) -> SheetContent:
    """One reference sheet per indicator, field by field as PIRS lays it out: forty fields
    side by side would print too small to read."""
    cols = [*_programme_col(report), Column("Indicator", width=10),
            Column("Field", width=26), Column("Value", "wrap", 80)]
    rows = []
    for p in report.programmes:
        for ind in F.ordered_indicators(p.indicators):
            values = {"code": ind.code, "name": ind.name, **dict(ind.definition_fields)}
            for name, value in values.items():
                if value is None or value == "" or name == "code":
                    continue
                if isinstance(value, bool):
                    value = "yes" if value else "no"
                rows.append([*_p(report, p), ind.code, name.replace("_", " "),
                             words(value) if name in _ENUM_FIELDS else value])
    link_cols = [*_programme_col(report), Column("Output", width=10),
                 Column("Outcome", width=10), Column("Assumption", "wrap", 80),
                 Column("Strength", width=18)]
    link_rows = [[*_p(report, p), lk.output, lk.outcome, lk.assumption, words(lk.strength)]
                 for p in report.programmes for lk in p.links]
    return SheetContent("IndicatorDefinitions", [
        Block("Indicator_definitions", cols, rows, title="Indicator reference sheets (PIRS)",
              empty_message="No indicators defined."),
        Block("Result_links", link_cols, link_rows,
              title="Results chain: outputs, the outcomes they should drive, and why",
              empty_message="No result links."),
    ])


def observations_raw(report: QuarterlyReport) -> SheetContent:
    """The quarter's observations in the programme workbook's own columns, so the sheet
    loads back; disaggregated rows under the suppression threshold are withheld."""
    t = report.suppression_threshold
    dims: set[str] = set()
    rows_in: list[tuple[ProgrammeData, Any]] = []
    for p in report.programmes:
        units = {i.code: i.unit for i in p.indicators}
        for raw in p.raw_observations:
            if _withheld(raw, units.get(raw.get("indicator_code") or "", ""), t):
                continue
            dims.update(k for k in raw if k.startswith("dim:"))
            rows_in.append((p, raw))
    headers = [*report.observation_headers, *sorted(dims)]
    cols = [Column(h, "text", 16) for h in headers]
    rows = [[raw.get(h) for h in headers] for _p_, raw in rows_in]
    return SheetContent("Observations_raw", [Block(
        "Observations_raw", cols, rows, title=None,
        empty_message="No observations recorded for this quarter.")])


def _withheld(raw: Any, unit: str, threshold: int) -> bool:
    if not any(k.startswith("dim:") and raw.get(k) for k in raw):
        return False
    counts = [raw.get("n_sample"), raw.get("numerator"), raw.get("denominator")]
    if unit == "count":
        counts.append(raw.get("value"))
    return any(F.is_small(c, threshold) for c in counts)


def all_charts(sheets: Iterable[SheetContent]) -> list[ChartSpec]:
    return [c for s in sheets for c in s.charts]
