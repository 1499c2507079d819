"""The report's Portfolio sheet (several programmes): the Portfolio view's table on paper.

The same rows as the view and ``coprod-me portfolio`` (``QuarterlyReport.portfolio``, from
``portfolio_figures``), in the order the programmes were asked for, the same words in each
cell, in thirteen narrow columns that print at a readable size on A4 landscape (the names and
the categories' words wrap in their cells); a programme that needs attention says so after
its name. A chart of the outcome statuses follows.
"""

from __future__ import annotations

from typing import Any

from coprod_me.reports.portfolio_model import COLUMNS, PortfolioRow
from coprod_me.reports.quarterly_model import PORTFOLIO, QuarterlyReport
from coprod_me.reports.sheet_content import (
    COUNT,
    Block,
    ChartSpec,
    Column,
    SeriesSpec,
    SheetContent,
)

_CATEGORIES = [c for c in COLUMNS if c.category is not None]
#: the outcome counts, headed as on the sheets before the Portfolio view (people filter on them)
_OUTCOMES = (("on_track", "Outcomes on track"), ("at_risk", "Outcomes at risk"),
             ("off_track", "Outcomes off track"), ("no_data", "Outcomes without data"))
_COMPLETE, _GATES = COLUMNS[-2], COLUMNS[-1]


def _name(row: PortfolioRow) -> str:
    return row.name + (" — needs attention" if row.needs_attention else "")


def portfolio(report: QuarterlyReport) -> SheetContent:
    q = report.quarter
    cols = [Column("Programme", width=9), Column("Name", "wrap", 22)]
    cols += [Column(c.header, "wrap", 12, fills="severity") for c in _CATEGORIES]
    cols += [Column(header, "number", 9, COUNT) for _attr, header in _OUTCOMES]
    cols += [Column(_COMPLETE.header, "wrap", 13), Column(_GATES.header, "wrap", 10)]
    rows: list[list[Any]] = []
    for r in report.portfolio:
        rows.append([r.code, _name(r), *[c.text(r) for c in _CATEGORIES],
                     *[getattr(r, attr) for attr, _h in _OUTCOMES],
                     _COMPLETE.text(r), _GATES.text(r)])
    block = Block("Portfolio", cols, rows,
                  # one line that fits the printed page's width
                  title=f"Programmes compared, {q}. Needs attention: a risk category amber or "
                        "red, an outcome off track, or an outcome gate unmet.")
    chart = ChartSpec(
        "portfolio-outcomes", f"Outcome status by programme, {q}", "outcomes",
        tuple(r.code for r in report.portfolio),
        tuple(SeriesSpec(label, tuple(float(getattr(r, attr)) for r in report.portfolio),
                         "bar")
              for attr, label in (("on_track", "on track"), ("at_risk", "at risk"),
                                  ("off_track", "off track"), ("no_data", "no data"))),
        COUNT)
    return SheetContent(PORTFOLIO, [block], [chart])
