"""The IPTT sheet of the quarterly report: the Indicator Performance Tracking Table and the
programme's target revisions, shaped for paper (ten columns at most, the narrative wrapped in
its own column).

Pure: the read model in, ``SheetContent`` out; the figures come from ``reports.iptt``.
"""

from __future__ import annotations

from typing import Any

from coprod_me.model.amounts import amount
from coprod_me.reports.iptt import NARRATIVE_NEEDED, IpttRow, iptt_rows, strand_label
from coprod_me.reports.quarterly_model import IndicatorInfo, ProgrammeData, QuarterlyReport
from coprod_me.reports.sheet_content import (
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
            Column("Variance", "number", 9, VARIANCE_FORMAT),
            Column("Deviation narrative", "wrap", 50)]
    rows: list[list[Any]] = []
    revision_rows: list[list[Any]] = []
    for p in report.programmes:
        rows += [_row(p, r, several) for r in iptt_rows(p, q)]
        revision_rows += _revisions(p, several)
    rev_cols = [Column("Indicator", "wrap", 34), Column("Strand", "wrap", 18),
                Column("Period", width=8), Column("Previous → new", width=18),
                Column("Reason", "wrap", 50), Column("Revised by", width=14),
                Column("Revised on", width=12)]
    return SheetContent("IPTT", [
        Block("IPTT", cols, rows,
              title=f"Indicator performance tracking table, to {q} (programme level; "
                    "variance against the quarter's own target, positive = better; a "
                    "narrative is needed beyond ±10 %)",
              empty_message="No indicators defined yet."),
        Block("Target_revisions", rev_cols, revision_rows, title="Target revisions",
              empty_message="No target has been revised."),
    ])


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
        out.append([_indicator(p, ind, several), strand_label(p, t.strand), t.period,
                    f"{amount(t.previous_value, u)} → {amount(t.value, u)}", t.reason,
                    t.revised_by, t.revised_at.strftime("%Y-%m-%d")])
    return out
