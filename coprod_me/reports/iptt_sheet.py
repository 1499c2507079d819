"""The IPTT sheet of the quarterly report: the Indicator Performance Tracking Table and the
programme's target revisions, shaped for paper (ten columns at most, the narrative wrapped in
its own column).

On paper the table holds the rows a reader of this quarter's report acts on: the report
quarter's, and every earlier quarter that had a target of its own or has a narrative (or
needs one); every quarter of every indicator follows on screen, below the print area.

Pure: the read model in, ``SheetContent`` out; the figures come from ``reports.iptt``.
"""

from __future__ import annotations

from typing import Any

from coprod_me.reports.iptt import NARRATIVE_NEEDED, IpttRow, iptt_rows, strand_label
from coprod_me.reports.quarterly_model import IndicatorInfo, ProgrammeData, QuarterlyReport
from coprod_me.reports.sheet_content import (
    COUNT,
    PCT,
    UNIT_SHORT,
    Block,
    Column,
    Num,
    SheetContent,
    as_number,
)

VARIANCE_FORMAT = '+0.0" %";-0.0" %";0.0" %"'


def iptt(report: QuarterlyReport) -> SheetContent:
    q = report.quarter
    several = report.is_portfolio
    cols = [Column("Indicator", "wrap", 34), Column("Quarter", width=8),
            Column("Baseline", "number", 9), Column("Target", "number", 9),
            Column("Actual", "number", 9), Column("Cumulative", "number", 10),
            Column("LoP target", "number", 9), Column("% of LoP target", "number", 9, PCT),
            Column("Variance (+ = better)", "number", 9, VARIANCE_FORMAT),
            Column("Deviation narrative", "wrap", 50)]
    rows: list[list[Any]] = []
    printed: list[list[Any]] = []
    revision_rows: list[list[Any]] = []
    for p in report.programmes:
        for r in iptt_rows(p, q):
            rows.append(_row(p, r, several))
            if _on_paper(r, q):
                printed.append(rows[-1])
        revision_rows += _revisions(p, several)
    # the revisions share the sheet's columns with the table above, so each column keeps
    # the width it has there: the reason falls in the narrative's wide column
    rev_cols = [Column("Indicator", "wrap", 34), Column("Period", width=8),
                Column("Strand", "wrap", 9), Column("Previous", "number", 9),
                Column("New", "number", 9), Column("Revised on", width=10),
                Column("Revised by", "wrap", 9), Column("Revision", "number", 9, COUNT),
                Column("Change (% of previous)", "number", 9, VARIANCE_FORMAT),
                Column("Reason", "wrap", 50)]
    return SheetContent("IPTT", [
        Block("IPTT", cols, printed,
              title=f"Indicator performance tracking table: {q}, and earlier quarters with a "
                    "target or a narrative",
              empty_message="No indicators defined yet."),
        Block("Target_revisions", rev_cols, revision_rows, title="Target revisions",
              empty_message="No target has been revised."),
        Block("IPTT_all_quarters", cols, rows,
              title=f"Every quarter of every indicator, to {q} (on screen only)",
              empty_message="No indicators defined yet.", paper=False),
    ])


def _on_paper(r: IpttRow, quarter: str) -> bool:
    return (r.quarter == quarter or r.target is not None or bool(r.narrative)
            or r.needs_narrative)


def _indicator(p: ProgrammeData, ind: IndicatorInfo, several: bool) -> str:
    """'RS-O1: Households … (%)': the code, the name and the unit ('RS-01 RS-O1: …' in a
    portfolio report)."""
    where = f"{p.code} " if several else ""
    return f"{where}{ind.code}: {ind.name} ({UNIT_SHORT.get(ind.unit, ind.unit)})"


def _row(p: ProgrammeData, r: IpttRow, several: bool) -> list[Any]:
    u = r.indicator.unit
    narrative = r.narrative or (NARRATIVE_NEEDED if r.needs_narrative else None)
    return [_indicator(p, r.indicator, several), r.quarter, as_number(r.baseline, u),
            as_number(r.target, u), as_number(r.actual, u), as_number(r.cumulative, u),
            as_number(r.lop_target, u), r.percent_of_lop,
            None if r.variance is None else Num(r.variance, VARIANCE_FORMAT), narrative]


def _revisions(p: ProgrammeData, several: bool) -> list[list[Any]]:
    indicators = {i.code: i for i in p.indicators}
    out = []
    for t in sorted(p.target_revisions, key=lambda t: (t.indicator, t.strand or "", t.period,
                                                       t.revision)):
        ind = indicators[t.indicator]
        u = ind.unit
        change = (100.0 * (t.value - t.previous_value) / abs(t.previous_value)
                  if t.previous_value else None)
        out.append([_indicator(p, ind, several), t.period, strand_label(p, t.strand),
                    as_number(t.previous_value, u), as_number(t.value, u),
                    t.revised_at.strftime("%Y-%m-%d"), t.revised_by, t.revision,
                    None if change is None else Num(change, VARIANCE_FORMAT), t.reason])
    return out
