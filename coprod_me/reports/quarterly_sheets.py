"""What goes on each sheet of the quarterly report: the sheets in order, and the front ones.

Pure: the read model in, ``SheetContent`` out. README and Summary are built here (Portfolio:
``portfolio_sheet``);
the other sheets come from their families (``results_sheets``, ``coproduction_sheets``,
``register_sheets``). ``quarterly_workbook`` turns them into openpyxl objects and
``quarterly_pictures`` into PNGs; neither computes a number itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from coprod_me.model.quarter import Quarter
from coprod_me.reports import quarterly_figures as F
from coprod_me.reports.coproduction_sheets import capacity, participation, sustainability
from coprod_me.reports.iptt_sheet import iptt
from coprod_me.reports.method_sheet import method
from coprod_me.reports.portfolio_sheet import portfolio
from coprod_me.reports.quarterly_model import PORTFOLIO, ProgrammeData, QuarterlyReport
from coprod_me.reports.register_sheets import (
    data_quality,
    indicator_definitions,
    observations_raw,
    risks,
)
from coprod_me.reports.results_sheets import disaggregation, outcomes, outputs
from coprod_me.reports.sheet_content import (
    COUNT,
    UNIT_SHORT,
    Block,
    ChartSpec,
    Column,
    SheetContent,
    as_number,
    programme_cells,
    programme_columns,
)


def _has_data(p: ProgrammeData, quarter: str) -> bool:
    return any(m.period == quarter for m in p.measurements)


def build_sheets(report: QuarterlyReport) -> list[SheetContent]:
    """Every sheet of the report in order (README first, Portfolio for several programmes)."""
    makers = {
        "README": readme, PORTFOLIO: portfolio, "Summary": summary, "Outcomes": outcomes,
        "Outputs": outputs, "Disaggregation": disaggregation, "Participation": participation,
        "Risks": risks, "Capacity": capacity, "Sustainability": sustainability,
        "DataQuality": data_quality, "IndicatorDefinitions": indicator_definitions,
        "Method": method, "Observations_raw": observations_raw,
        "IPTT": iptt,
    }
    return [makers[name](report) for name in report.sheet_names]


def all_charts(sheets: Iterable[SheetContent]) -> list[ChartSpec]:
    return [c for s in sheets for c in s.charts]


def readme(report: QuarterlyReport) -> SheetContent:
    q = report.quarter
    rows: list[list[Any]] = [
        ["Report", f"Quarterly report {q}"],
        ["Programmes", "; ".join(f"{p.code} — {p.name}" for p in report.programmes)],
        ["Reporting period", f"{q} ({Quarter.parse(q).start.isoformat()} to "
                             f"{Quarter.parse(q).end.isoformat()})"],
    ]
    for p in report.programmes:  # one row each, so README stays one page for a portfolio
        status = p.period_status or "not recorded"
        if p.locked_by and p.period_status == "locked":
            status += f" (locked by {p.locked_by})"
        cutoff = p.data_cutoff_date.isoformat() if p.data_cutoff_date else "not recorded"
        strands = "; ".join(f"{s.name} ({s.code})" for s in p.strands) or "none"
        # a portfolio names the sample; one programme's README gives its note in full
        note = p.sample_note or "Illustrative sample data, not real results."
        sample = "" if not p.is_sample else " SAMPLE DATA" + (
            " (illustrative)." if report.is_portfolio else f": {note}")
        rows.append([p.code, f"period status {status}; data cut-off {cutoff}; strands: "
                             f"{strands}.{sample}"])
    rows += [
        ["Generated", report.generated_at.strftime("%Y-%m-%d %H:%M UTC") + " by "
         + f"coprod-me {report.app_version}".strip()],
        ["Sheets", ", ".join(report.sheet_names)],
        ["On paper", "each sheet prints on A4 landscape at full size; IndicatorDefinitions, "
                     "Observations_raw, the numbers behind the charts, the full histories and "
                     "the detail columns right of each printed table stay on screen only"],
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
        ["Provenance tags",
         "[LIT] a threshold from the cited literature; [ANCHOR] a convention set against a "
         "published empirical figure; [REG] borrowed from a regulatory screening convention "
         "in another field; [CONV] a proposed professional convention each programme may "
         "adjust"],
        ["Outcomes first", "Outcomes ('Is anyone better off?') come before outputs ('How "
                           "much / how well?'); each output sits beside the outcome it "
                           "should drive."],
        ["Outcome-gap ratio", "Disaggregation: a category's value against the best category "
                              "of the same dimension (1.00 = no gap); shaded below 0.80, the "
                              "four-fifths screen [REG]"],
        ["Participation", "retention: continuing active participants ÷ last quarter's "
                          "active; representation ratio: a group's share of active "
                          "participants ÷ its share of the population, shaded below 0.80 "
                          "[REG]"],
        ["Capacity scores", "0 absent, 1 weak, 2 partial, 3 adequate, 4 strong; 1 or less is "
                            "a gap"],
        ["Funding runway", "Sustainability: funding committed for the next 4 quarters ÷ spend "
                           "of the last 4; green from 80 %, red under 50 % [CONV]"],
        ["Completeness", "DataQuality: each indicator's total and required disaggregations "
                         "for the quarter, for the strands that report it"],
        ["Method", "the risk rules behind the flags, the parameter values they used "
                   "(each programme's own values with their reasons) and the sources; "
                   "the full method is in docs/rules.md"],
        ["Observations_raw", "the quarter's observations in the programme workbook's "
                             "Observations columns; it loads back with 'coprod-me load' or "
                             "the import."],
    ]
    block = Block("README", [Column("Item", width=24), Column("Value", "wrap", width=136)],
                  rows, as_table=False)
    return SheetContent("README", [block], is_data=False)


def summary(report: QuarterlyReport) -> SheetContent:
    q = report.quarter
    pc = programme_columns(report)
    # The three tables share the sheet's columns, so each puts its long text where the
    # headline table has its wide ones (the measure, the why): it wraps there on paper.
    head_cols = [*pc, Column("Outcome", width=8), Column("Measure", "wrap", 36),
                 Column("Why", "wrap", 44), Column("Unit", width=6, paper=False),
                 Column("Baseline", "number", 8), Column("Target", "number", 8),
                 Column(f"This quarter ({q})", "number", 13), Column("Trend", width=11),
                 Column("RAG", "rag", 7), Column("Basis", "wrap", 16)]
    head_rows: list[list[Any]] = []
    cat_cols = [*pc, Column("RAG", "rag", 8), Column("Risk category", "wrap", 36),
                Column("Top flag", "wrap", 44), Column("Level", "severity", 6),
                Column("Open flags", "number", 11, COUNT)]
    cat_rows: list[list[Any]] = []
    dec_cols = [*pc, Column("No.", "number", 6, "0"), Column("Decision requested", "wrap", 36),
                Column("Because", "wrap", 44)]
    dec_rows: list[list[Any]] = []
    for p in report.programmes:
        rows = F.indicator_rows(p, q)
        for ind in F.headline_outcomes(p):
            h = F.headline(p, ind, rows, q)
            head_rows.append([*programme_cells(report, p), ind.code, ind.name,
                              h.status.reason, UNIT_SHORT.get(ind.unit),
                              as_number(h.baseline, ind.unit), as_number(h.target, ind.unit),
                              as_number(h.value, ind.unit), h.trend, h.rag, h.basis])
            if h.rag == "red":
                dec_rows.append([*programme_cells(report, p),
                                 f"Agree a recovery plan for {ind.code} ({ind.name}).",
                                 f"off track: {h.status.reason}"])
        for cr in F.category_rags(p.flags, q, p.engine_rag, has_data=_has_data(p, q)):
            top = cr.top_flag
            top_text = ("no flags computed yet" if p.flags is None else
                        _top_flag_text(p, top) if top else
                        "no observations or flags this quarter" if cr.rag == "no data" else
                        "no open flag")
            cat_rows.append([*programme_cells(report, p), cr.rag, F.CATEGORY_LABELS[cr.category],
                             top_text, cr.level, cr.open_flags])
            if top is not None and F.severity_rank(F.effective_severity(top)) >= 3:
                dec_rows.append([*programme_cells(report, p),
                                 f"Decide on mitigation for {top.rule_id} "
                                 f"({F.CATEGORY_LABELS[cr.category].lower()})"
                                 f"{_where(p, top.strand)}.",
                                 top.mitigation or f"{F.effective_severity(top)} flag open"])
        if not any(d[: len(pc)] == programme_cells(report, p) for d in dec_rows):
            dec_rows.append([*programme_cells(report, p), "No decision requested this quarter.",
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


def _where(p: ProgrammeData, strand: str | None) -> str:
    """' in India (IN-BLK)': a strand by its name (without the description a register writes
    after it), its code in brackets; '' for the programme as a whole."""
    if not strand:
        return ""
    name = p.strand_name(strand).split(": ", 1)[0]
    return f" in {name} ({strand})" if name != strand else f" in {strand}"


def _top_flag_text(p: ProgrammeData, top: Any) -> str:
    """The category's top flag as a reader takes it in: rule, level, where, and the first
    sentence of the flag's own why (names, not codes)."""
    why = str(dict(top.trigger).get("why") or "")
    first = why.split(". ", 1)[0].rstrip(".")
    # a summary line: a long first sentence stops at its first clause after the subject;
    # the whole why is on the Risks sheet
    for stop in (": ", "; "):
        cut = first.find(stop, 60)
        if len(first) > 120 and cut > 0:
            first = first[:cut]
    return (f"{top.rule_id} {F.effective_severity(top)}{_where(p, top.strand)}"
            + (f": {first}." if first else ""))
