"""What a sheet of the quarterly report is made of: blocks of rows and chart specifications.

The sheet modules (``quarterly_sheets`` and the families it gathers) fill these from the read
model; ``quarterly_workbook`` turns them into openpyxl objects and ``quarterly_pictures`` into
PNGs, and neither computes a number itself. The cell formats and the small cell helpers that
every sheet shares live here too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from coprod_me.reports.quarterly_model import ProgrammeData, QuarterlyReport
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
    #: printed; a detail column (False) stays in the workbook, right of the printed ones
    paper: bool = True
    #: coloured by the words it begins with, as a ``rag`` or ``severity`` column is, whatever
    #: its kind (a wrapped "high · 1 mitigating")
    fills: Literal["rag", "severity"] | None = None


@dataclass
class Block:
    """A titled table. ``name`` becomes the Excel table's name (unique in the workbook)."""

    name: str
    columns: Sequence[Column]
    rows: list[list[Any]]
    title: str | None = None
    empty_message: str = "Nothing recorded for this quarter."
    as_table: bool = True
    #: printed; a detail block (False) follows the printed part, on screen only
    paper: bool = True


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
    #: printed at all: the raw observations and the reference sheets are not (see paper.py)
    paper: bool = True
    #: the charts printed after the paper blocks; else they follow them on screen only
    charts_on_paper: bool = True


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


def words(code: str | None) -> str | None:
    return None if code is None else code.replace("_", " ")


# -------------------------------------------------------------------------------- cells


def as_number(value: float | None, unit: str) -> Num | None:
    """A value in its unit's number format."""
    return None if value is None else Num(value, unit_format(unit))


def as_change(value: float | None, unit: str) -> Num | None:
    """A change (signed) in its unit's format: percentage points for percentages."""
    return None if value is None else Num(value, change_format(unit))


def yes_no(b: bool | None) -> str | None:
    return None if b is None else ("yes" if b else "no")


def strand_label(p: ProgrammeData, code: str | None) -> str:
    """A strand as a reader knows it, its code beside the name: 'India (IN-BLK)'; the
    programme as a whole is 'programme'."""
    if not code:
        return "programme"
    name = p.strand_name(code).split(": ", 1)[0]
    return f"{name} ({code})" if name and name != code else code


def programme_columns(report: QuarterlyReport) -> list[Column]:
    """A leading Programme column, in a portfolio report only."""
    return [Column("Programme", width=11)] if report.is_portfolio else []


def programme_cells(report: QuarterlyReport, p: ProgrammeData) -> list[Any]:
    """The cells under ``programme_columns``: the programme's code in a portfolio report."""
    return [p.code] if report.is_portfolio else []
