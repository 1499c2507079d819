"""The quarterly report as an openpyxl workbook: tables, formats, charts, print set-up.

Written in openpyxl's write-only mode (rows stream out, as the programme workbook does), so a
large programme costs little more than a bare dump of its values. Everything a reader may
restyle stays native: Excel tables for filtering, conditional formats for RAG and severity,
and charts that read their numbers from cells on the same sheet. Every cell's value goes in by
the rules of ``model.cell_text``, as in the programme workbook: text (a programme's or a
strand's name, a note, a comment) stays text and numbers stay numbers.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.chart.text import RichText
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, TwoCellAnchor
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties
from openpyxl.formatting.rule import CellIsRule, ColorScaleRule, FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.table import Table, TableStyleInfo

from coprod_me.model.cell_text import is_formula_like, is_plain_text, stored_text
from coprod_me.reports import paper
from coprod_me.reports.quarterly_model import QuarterlyReport
from coprod_me.reports.quarterly_sheets import build_sheets
from coprod_me.reports.sheet_content import Block, ChartSpec, Column, Num, SheetContent

FONT = paper.FONT
SIZE = paper.BASE_FONT_PT
BOLD_FONT = Font(name=FONT, size=SIZE, bold=True)
# Colours: the app's teal for headers; RAG fills readable in grey-scale print too.
HEADER_FONT = Font(name=FONT, size=SIZE, bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F5F5B")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="top")
TITLE_FONT = Font(name=FONT, bold=True, size=11, color="1F5F5B")
NOTE_FONT = Font(name=FONT, size=SIZE, italic=True, color="555555")
WRAP = Alignment(wrap_text=True, vertical="top", horizontal="left")
TOP = Alignment(vertical="top")
# a number right before text keeps a space from it: no "1CD-1 high"
PADDED = Alignment(horizontal="right", indent=1, vertical="top")
TEXT_KINDS = ("text", "wrap", "note", "clip", "rag", "severity")

RAG_FILLS = {
    "green": ("C6EFCE", "006100"),
    "amber": ("FFEB9C", "7F6000"),
    "red": ("FFC7CE", "9C0006"),
    "no data": ("EDEDED", "555555"),
    "not computed": ("EDEDED", "555555"),
}
SEVERITY_FILLS = {
    "no open flag": ("C6EFCE", "006100"),  # a risk category's status, as its badge shows it
    "not checked yet": ("EDEDED", "555555"),
    "critical": ("7B0000", "FFFFFF"),
    "high": ("FFC7CE", "9C0006"),
    "medium": ("FFEB9C", "7F6000"),
    "low": ("DDEBF7", "1F4E78"),
    "info": ("EDEDED", "555555"),
}
SERIES_COLOURS = ("0072B2", "E69F00", "009E73", "D55E00", "CC79A7", "56B4E9", "000000",
                  "F0E442")

LINE_POINTS = paper.LINE_POINTS
TITLE_POINTS = 15.0  # a row of 11 pt title text
GAP_EMU = 90000  # a quarter of a centimetre between neighbouring charts
CHART_WIDTH_CM, CHART_HEIGHT_CM = 7.5, 7.0
CHART_ROWS = 19  # rows of the default height a chart covers (two rows of charts a page)
MAX_CHARTS_PER_ROW = 3
CM_PER_CHAR = paper.CM_PER_WIDTH_UNIT
MAX_WIDTH = 60
FOUR_FIFTHS = 0.8  # EEOC screening ratio, domain §2.6 [REG]


_AS_IS = (int, float, type(None))  # not bool: a flag is written as yes/no text anyway


def build_workbook(report: QuarterlyReport,
                   sheets: Sequence[SheetContent] | None = None) -> Workbook:
    """The whole report as a write-only Workbook; the caller saves it."""
    wb = Workbook(write_only=True)
    paper.base_font(wb)
    wb.properties.creator = "coprod-me"
    wb.properties.title = f"Quarterly report {report.quarter}: {report.codes}"
    # document times are fixed so two runs differ only in README's generation time
    wb.properties.created = wb.properties.modified = datetime(2000, 1, 1)
    for content in sheets if sheets is not None else build_sheets(report):
        SheetWriter(wb, report, content).write()
    return wb


def discard(wb: Workbook) -> None:
    """Let go of a write-only workbook that will not be saved (Cancel): its sheets stream to
    temporary files, which are closed and removed here rather than at interpreter exit."""
    for ws in wb.worksheets:
        try:
            ws.close()
            ws._writer.cleanup()
        except (AttributeError, OSError):  # a sheet never written to has nothing to clean up
            continue


class SheetWriter:
    def __init__(self, wb: Workbook, report: QuarterlyReport, content: SheetContent) -> None:
        self.wb = wb
        self.report = report
        self.content = paper.for_paper(content)
        self.ws = wb.create_sheet(content.name)
        self.print_cols = 0  # columns the printed page shows (set by _widths)
        self.page_used = 0.0  # points of the current printed page the rows so far fill
        self.row = 0  # the last row written
        self._style_cache: dict[tuple[Any, ...], Any] = {}
        self._padded: set[int] = set()  # the current block's columns just left of text

    # --------------------------------------------------------------------------- layout

    def write(self) -> None:
        """Paper blocks, the printed charts, then (outside the print area) the numbers
        behind the charts and the detail blocks; see ``paper``."""
        c = self.content
        self._widths()
        self._print_setup()
        # a write-only sheet writes its view first: the frozen header is known beforehand
        first = c.blocks[0] if c.blocks else None
        if c.is_data and first is not None and first.as_table and first.rows:
            header = 2 if first.title else 1
            self.ws.freeze_panes = f"A{header + 1}"
            if c.paper and first.paper and not (c.charts and c.charts_on_paper) and \
                    sum(b.paper for b in c.blocks) == 1:
                # repeated on a long table's pages, never above a page of charts or
                # another table
                self.ws.print_title_rows = f"{header}:{header}"
        for i, block in enumerate(b for b in c.blocks if b.paper):
            if i:
                self._blank(1)  # the next table's title row sets it apart
            self._block(block)
        printed = self.row
        if c.charts and c.charts_on_paper:
            printed = self._charts(c.charts, c.chart_note)
        for block in (b for b in c.blocks if not b.paper):
            if self.row:
                self._blank(2)
            self._block(block)
        if c.charts and not c.charts_on_paper:
            self._blank(1)
            self._charts(c.charts, c.chart_note)
        last_col = max([len(b.columns) for b in c.blocks] + [len(self.widths)] + [1])
        if c.paper:
            # print what the paper tables hold: text spilling into empty cells to the
            # right would otherwise widen the printed page
            paper.print_area(self.ws, self.print_cols, printed)
        else:
            paper.not_printed(self.ws, last_col, self.row)

    def _widths(self) -> None:
        """Column widths: the sheet's first table sets them; tables below it fit in.

        Blocks share the sheet's columns, so a wide column of a second table would stretch
        the first one. A later table's text wraps within the width it finds (numbers and
        dates still widen a column, so no cell shows #####); only columns beyond the first
        table are sized by the later ones. A block that is not printed never widens a
        printed column: its cells wrap or are cut there on screen.
        """
        widths: dict[int, float] = {}
        blocks = self.content.blocks
        lead = len(blocks[0].columns) if blocks else 0
        printed = paper.paper_width(self.content) if self.content.paper else 0
        for n, block in enumerate(blocks):
            for idx, col in enumerate(block.columns, start=1):
                if col.kind == "note":
                    continue  # overflows into the empty cells beside it
                if n and idx <= lead and col.kind in ("text", "wrap") and not (
                        block.paper and self.content.paper):
                    continue  # on paper, every printed table's text is given its width
                if not block.paper and idx <= printed and idx in widths:
                    continue
                w = col.width or max(8, min(30, len(col.header) + 2))
                # a header wraps between words, never inside one (bold text is wider)
                word = max(map(len, col.header.split()), default=0) * 1.1 + 1
                if col.kind in ("rag", "severity"):  # one short word, whatever was asked
                    w = max(9, word)
                w = max(w, word)
                cap = MAX_WIDTH if self.content.is_data else 2 * MAX_WIDTH
                widths[idx] = max(widths.get(idx, 0), min(w, cap))
        c = self.content
        if c.charts:  # the chart-data table: chart number, series, 8 quarters
            widths[1] = max(widths.get(1, 0), 8)
            widths.setdefault(2, 24)
            for idx in range(3, 3 + len(c.charts[0].categories)):
                widths[idx] = max(widths.get(idx, 0), 8)
        widths, self.print_cols = paper.fit_budget(widths, paper.paper_width(c),
                                                   paper.wrapped_columns(c.blocks))
        if c.charts and c.charts_on_paper and not any(
                not col.paper for b in c.blocks if b.paper for col in b.columns):
            # the charts use the page's width, beyond a narrow table's last column
            while sum(widths.get(i, 8.43) for i in range(1, self.print_cols + 2)) \
                    <= paper.COLUMN_BUDGET:
                self.print_cols += 1
                widths.setdefault(self.print_cols, 8.43)
        self.widths = widths
        for idx, w in widths.items():
            self.ws.column_dimensions[get_column_letter(idx)].width = w

    def _fitted(self, columns: Sequence[Column], *, on_paper: bool) -> list[Column]:
        """A block's columns as the sheet's widths allow: printed text too wide for its
        column wraps (off the page it stays text: a long block of styled cells is slow)."""
        out = []
        for idx, col in enumerate(columns, start=1):
            width = self.widths.get(idx, col.width or 10)
            kind = col.kind
            if kind == "text" and (col.width or 0) > width and on_paper:
                kind = "wrap"
            if kind == "wrap" and not col.paper:
                kind = "clip"  # a row is as tall as its printed text needs
            out.append(replace(col, kind=kind, width=width))
        return out

    def _print_setup(self) -> None:
        paper.print_setup(self.ws, left=f"{self.report.codes}: quarterly report",
                          centre=self.report.quarter,
                          sample=any(p.is_sample for p in self.report.programmes))

    def _blank(self, n: int = 1, *, counted: bool = True) -> None:
        """Empty rows; ``counted=False`` for rows whose height is already on the pages (the
        rows under the charts)."""
        for _ in range(n):
            self.ws.append([])
            self.row += 1
            if counted:
                self._fill(LINE_POINTS)

    def _append(self, cells: Sequence[Any], *, lines: int = 1, height: float = 0) -> None:
        if lines > 1 or height:
            # spreadsheet programs do not grow a row for wrapped text they did not lay out
            # themselves, so the row is given the height its longest wrapped cell needs
            # the first line with room above and below, the next ones at the text's spacing
            height = height or min(LINE_POINTS + paper.WRAPPED_LINE_POINTS * (lines - 1), 400)
            self.ws.row_dimensions[self.row + 1].height = height
        self.ws.append(cells)
        self.row += 1
        self._fill(height or LINE_POINTS)

    def _fill(self, height: float) -> None:
        """Follow the printed page as the spreadsheet program breaks it: a row that does
        not fit starts the next page."""
        if self.page_used + height > paper.PAGE_HEIGHT_PT:
            self.page_used = height
        else:
            self.page_used += height

    def _break(self) -> None:
        """Start a new printed page after the last row written."""
        self.ws.row_breaks.append(Break(id=self.row))
        self.page_used = 0.0

    # --------------------------------------------------------------------------- blocks

    def _block(self, block: Block) -> int | None:
        """Write a block; returns its header row, or None when it had no table."""
        on_paper = block.paper and self.content.paper  # printed numbers get an indent
        block = replace(block, columns=self._fitted(block.columns, on_paper=on_paper))
        self._padded = {i for i, (col, after) in enumerate(zip(block.columns, block.columns[1:],
                                                                strict=False))
                        if on_paper and col.kind not in TEXT_KINDS and after.kind in TEXT_KINDS}
        if block.title:
            self._append([self._styled(block.title, font=TITLE_FONT)], height=TITLE_POINTS)
        if not block.as_table:
            for values in block.rows:
                self._append([self._cell(v, col, i, first=i == 0)
                              for i, (v, col) in enumerate(zip(values, block.columns,
                                                               strict=False))],
                             lines=_lines(values, block.columns))
            return None
        if not block.rows:
            self._append([self._styled(block.empty_message, font=NOTE_FONT)])
            return None
        header_row = self.row + 1
        # a printed table's header is as tall as its printed headers need
        shown = (self.print_cols or len(block.columns)) if block.paper and self.content.paper \
            else len(block.columns)
        self._append([self._header(col.header) for col in block.columns],
                     lines=_lines([c.header for c in block.columns[:shown]],
                                       block.columns[:shown], all_wrap=True))
        wraps = any(col.kind in ("wrap", "clip") for col in block.columns)
        # columns whose numbers and plain text go out as they are: the common case is
        # decided here once, not for each of a long sheet's cells
        plain = [not (wraps or col.number_format or col.kind in ("wrap", "clip")
                      or i in self._padded) for i, col in enumerate(block.columns)]
        cols = list(block.columns)
        for values in block.rows:
            if len(values) != len(cols):
                raise ValueError(f"{block.name}: a row has {len(values)} values for "
                                 f"{len(cols)} columns")
            self._append([v if plain[i] and (type(v) in _AS_IS or (
                type(v) is str and is_plain_text(v)))
                else self._cell(v, cols[i], i, top=wraps) for i, v in enumerate(values)],
                lines=_lines(values, cols) if wraps else 1)
        last = self.row
        self._table(block, header_row, last)
        self._conditional_formats(block, header_row + 1, last)
        return header_row

    def _table(self, block: Block, header_row: int, last_row: int) -> None:
        ref = f"A{header_row}:{get_column_letter(len(block.columns))}{last_row}"
        table = Table(displayName=block.name, ref=ref)
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
        table._initialise_columns()
        for tc, col in zip(table.tableColumns, block.columns, strict=True):
            tc.name = col.header  # write-only sheets cannot read the header cells back
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "add table columns manually": done above
            self.ws.add_table(table)

    def _conditional_formats(self, block: Block, first: int, last: int) -> None:
        for idx, col in enumerate(block.columns, start=1):
            letter = get_column_letter(idx)
            rng = f"{letter}{first}:{letter}{last}"
            fills = {"rag": RAG_FILLS, "severity": SEVERITY_FILLS}.get(col.fills or col.kind)
            if fills:
                for word, colours in fills.items():
                    self.ws.conditional_formatting.add(rng, _word_rule(
                        word, colours, begins=f"{letter}{first}" if col.fills else None))
            elif col.kind == "gap":  # below four-fifths of the best group [REG]
                first_cell = f"{letter}{first}"
                self.ws.conditional_formatting.add(rng, FormulaRule(
                    formula=[f"AND(ISNUMBER({first_cell}),{first_cell}<{FOUR_FIFTHS})"],
                    fill=PatternFill("solid", fgColor="FFEB9C", bgColor="FFEB9C"),
                    font=Font(name=FONT, color="7F6000", bold=True)))
            elif col.kind == "score":  # the capacity heat-map: 0 red to 4 green
                self.ws.conditional_formatting.add(rng, ColorScaleRule(
                    start_type="num", start_value=0, start_color="F8696B",
                    mid_type="num", mid_value=2, mid_color="FFEB84",
                    end_type="num", end_value=4, end_color="63BE7B"))

    def _header(self, text: str) -> WriteOnlyCell:
        return self._styled(text, font=HEADER_FONT, fill=HEADER_FILL, alignment=HEADER_ALIGN)

    def _styled(self, value: Any, *, font: Font, fill: PatternFill | None = None,
                alignment: Alignment | None = None) -> WriteOnlyCell:
        """A cell of its own (a title, a header, a note), its value put in by ``_put``."""
        c = WriteOnlyCell(self.ws)
        _put(c, value)
        if is_formula_like(value):
            c.quotePrefix = True  # Excel keeps it text when the cell is edited
        c.font = font
        if fill is not None:
            c.fill = fill
        if alignment is not None:
            c.alignment = alignment
        return c

    def _cell(self, value: Any, col: Column, idx: int, *, first: bool = False,
              top: bool = False) -> Any:
        fmt = col.number_format
        if isinstance(value, Num):
            fmt = value.number_format
            value = value.value
        if value is None:
            return None  # an empty cell needs no style
        if isinstance(value, datetime):
            fmt = fmt or "yyyy-mm-dd hh:mm"
        elif isinstance(value, date):
            fmt = fmt or "yyyy-mm-dd"
        careful = isinstance(value, str) and not is_plain_text(value)
        formula_like = careful and is_formula_like(value)
        if fmt and not (isinstance(value, (int, float, date)) and not isinstance(value, bool)):
            fmt = None
        wrap = col.kind in ("wrap", "clip")  # a clipped cell wraps so it cannot spill over
        pad = idx in self._padded and isinstance(value, (int, float)) \
            and not isinstance(value, bool)
        if not (fmt or careful or wrap or first or top or pad):
            return value  # a plain value streams out fastest
        # One styled cell per column and style, reused row after row: a write-only sheet
        # writes each appended row at once, so only the value changes in between. Styling
        # every cell afresh cost more than writing it.
        key = (idx, fmt, formula_like, wrap, first, top, pad)
        c = self._style_cache.get(key)
        if c is None:
            c = WriteOnlyCell(self.ws)
            if formula_like:
                c.quotePrefix = True  # Excel keeps it text when the cell is edited
            if fmt:
                c.number_format = fmt
            if wrap:
                c.alignment = WRAP
            elif pad:
                c.alignment = PADDED
            elif first:
                c.font = BOLD_FONT
                c.alignment = TOP
            elif top:  # beside a wrapped cell, text starts at the top too
                c.alignment = TOP
            self._style_cache[key] = c
        _put(c, value)
        return c

    # --------------------------------------------------------------------------- charts

    def _charts(self, charts: list[ChartSpec], note: str | None) -> int:
        """Charts side by side below the tables; the numbers they draw in a table after
        them. Returns the last row of the charts (the end of the printed part)."""
        self._blank(1)
        # the charts follow the tables on their page if a row of them fits there; no chart
        # is cut by a page break
        if self.page_used + TITLE_POINTS + CHART_ROWS * LINE_POINTS > paper.PAGE_HEIGHT_PT:
            self._break()
        self._append([self._styled(f"Charts: {note}" if note else "Charts", font=TITLE_FONT)],
                     height=TITLE_POINTS)
        top = self.row + 1
        per_row = self._charts_per_row()
        grid_rows = -(-len(charts) // per_row) * CHART_ROWS
        # the chart-data table starts after the grid; its rows are known before writing
        data_title_row = top + grid_rows
        header_row = data_title_row + 1
        series_rows: list[list[int]] = []
        r = header_row + 1
        for spec in charts:
            series_rows.append(list(range(r, r + len(spec.series))))
            r += len(spec.series)
        for k in range(-(-len(charts) // per_row)):
            if self.page_used + CHART_ROWS * LINE_POINTS > paper.PAGE_HEIGHT_PT:
                self.ws.row_breaks.append(Break(id=top + k * CHART_ROWS - 1))
                self.page_used = 0.0
            self.page_used += CHART_ROWS * LINE_POINTS
        bounds = self._chart_columns(per_row)
        for i, spec in enumerate(charts):
            first_row = top + (i // per_row) * CHART_ROWS - 1  # 0-based, as markers count
            (left, left_off), (right, right_off) = bounds[i % per_row]
            chart = self._chart(spec, header_row, series_rows[i])
            # anchored to cells at both corners: the chart spans the same columns and rows
            # in every spreadsheet program, whatever width it gives a column
            self.ws.add_chart(chart, TwoCellAnchor(
                editAs="twoCell",
                _from=AnchorMarker(col=left, colOff=left_off, row=first_row, rowOff=GAP_EMU),
                to=AnchorMarker(col=right, colOff=right_off, row=first_row + CHART_ROWS - 1,
                                rowOff=0)))
        self._blank(grid_rows, counted=False)  # counted onto the pages above
        grid_end = self.row
        self._append([self._styled("Numbers behind the charts (not printed)",
                                   font=TITLE_FONT)])
        n_cat = len(charts[0].categories)
        header = ["Chart", "Series", *charts[0].categories]
        self._append([self._header(h) for h in header])
        assert self.row == header_row
        for i, spec in enumerate(charts, start=1):
            fmt_col = Column("", number_format=spec.number_format)
            pct_col = Column("", number_format='0.0" %"')
            for s in spec.series:
                col = pct_col if s.secondary and "%" in (spec.y2_title or "") else fmt_col
                vals = list(s.values) + [None] * (n_cat - len(s.values))
                self._append([f"Chart {i}", self._cell(s.name, fmt_col, 1),
                              *[self._cell(v, col, 2 + j) for j, v in enumerate(vals)]])
        block = Block("Chart_data_" + self.content.name, [Column(h) for h in header], [[]])
        self._table(block, header_row, self.row)
        return grid_end

    def _charts_per_row(self) -> int:
        """As many charts side by side as the printed page is wide (at least one)."""
        n = self._chart_span()
        width = sum(self.widths.get(i, 8.43) for i in range(1, n + 1))
        return max(1, min(MAX_CHARTS_PER_ROW, int(width * CM_PER_CHAR
                                                   // (CHART_WIDTH_CM + 0.3))))

    def _chart_span(self) -> int:
        """Columns the chart grid spans: the printed ones, or the sheet's when the charts
        are not printed."""
        if self.content.charts_on_paper and self.print_cols:
            return self.print_cols
        return max(self.widths) if self.widths else 10

    def _chart_columns(self, per_row: int) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """Each chart's left and right edge as (0-based column, offset in EMU)."""
        n = self._chart_span()
        return paper.chart_spans([self.widths.get(i, 8.43) for i in range(1, n + 1)],
                                 per_row, GAP_EMU)

    def _chart(self, spec: ChartSpec, header_row: int, rows: list[int]) -> Any:
        n = len(spec.categories)
        cats = Reference(self.ws, min_col=3, max_col=2 + n, min_row=header_row,
                         max_row=header_row)
        bars = [(s, r) for s, r in zip(spec.series, rows, strict=True) if s.style == "bar"]
        lines = [(s, r) for s, r in zip(spec.series, rows, strict=True)
                 if s.style != "bar" and not s.secondary]
        right = [(s, r) for s, r in zip(spec.series, rows, strict=True)
                 if s.style != "bar" and s.secondary]
        colour = iter(SERIES_COLOURS * 3)

        def series(r: int) -> Series:
            return Series(Reference(self.ws, min_col=2, max_col=2 + n, min_row=r, max_row=r),
                          title_from_data=True)

        main: Any = BarChart() if bars else LineChart()
        if bars:
            main.type = "col"
            main.grouping = "clustered"
            for _s, r in bars:
                ser = series(r)
                c = next(colour)
                ser.graphicalProperties.solidFill = c
                ser.graphicalProperties.line.solidFill = c
                main.series.append(ser)
        line_chart = main if not bars else LineChart()
        for s, r in lines:
            line_chart.series.append(self._line(series(r), s.style, next(colour)))
        if bars and lines:
            main += line_chart
        main.title = paper.title_lines(spec.title)
        _font(main.title, paper.CHART_TEXT, bold=True)
        main.y_axis.title = spec.y_title
        _scale(main.y_axis, [s for s, _r in lines] if not bars else [], spec)
        main.y_axis.number_format = spec.number_format
        main.x_axis.number_format = "@"
        for ax in (main.x_axis, main.y_axis):
            ax.delete = False  # openpyxl 3.1 hides axes in recent Excel unless told
        main.set_categories(cats)
        if right:
            second = LineChart()
            for s, r in right:
                second.series.append(self._line(series(r), s.style, next(colour)))
            second.y_axis.axId = 200
            second.y_axis.title = spec.y2_title
            second.y_axis.crosses = "max"
            second.y_axis.majorGridlines = None
            second.y_axis.delete = False
            second.y_axis.number_format = '0"%"' if "%" in (spec.y2_title or "") else "General"
            second.y_axis.scaling.min = 0
            second.y_axis.txPr = _text_props(paper.CHART_TEXT)
            main += second
        main.width, main.height = CHART_WIDTH_CM, CHART_HEIGHT_CM
        main.legend.position = "b"
        main.legend.txPr = _text_props(paper.CHART_TEXT)
        main.x_axis.txPr = _text_props(paper.CHART_TEXT)
        main.y_axis.txPr = _text_props(paper.CHART_TEXT)
        main.display_blanks = "gap"
        return main

    @staticmethod
    def _line(ser: Series, style: str, colour: str) -> Series:
        ser.smooth = False
        ser.graphicalProperties.line.solidFill = colour
        ser.graphicalProperties.line.width = 22000
        if style == "dashed":
            ser.graphicalProperties.line.dashStyle = "dash"
            ser.marker.symbol = "none"
        else:
            ser.marker.symbol = "circle"
            ser.marker.size = 6
            ser.marker.graphicalProperties = None
        return ser


def _word_rule(word: str, colours: tuple[str, str], *, begins: str | None) -> Any:
    """The fill of a cell that holds ``word`` (a RAG or a severity) or, given the range's
    first cell as ``begins``, that begins with it ("high · 1 mitigating")."""
    bg, fg = colours
    style: dict[str, Any] = {
        "fill": PatternFill("solid", fgColor=bg, bgColor=bg),
        "font": Font(name=FONT, color=fg, bold=word in ("red", "high", "critical"))}
    if begins:
        return FormulaRule(formula=[f'LEFT({begins},{len(word)})="{word}"'], **style)
    return CellIsRule(operator="equal", formula=[f'"{word}"'], **style)


def _lines(values: Sequence[Any], columns: Sequence[Column], *,
           all_wrap: bool = False) -> int:
    """Lines the tallest wrapped cell of a row needs at its column's width."""
    most = 1
    for v, col in zip(values, columns, strict=False):
        if (col.kind != "wrap" and not all_wrap) or v is None or col.kind == "note":
            continue
        # the text's printed width against the column's; bold header text is wider
        width = paper.cell_points(col.width or 10) / (1.06 if all_wrap else 1.0)
        text = v if isinstance(v, str) else str(getattr(v, "value", v))
        most = max(most, sum(_wrapped(part, width) for part in text.split("\n")))
    return most


def _put(c: Any, value: Any) -> None:
    """Give a cell its value: text that is formula-like or holds characters the file format
    escapes goes in escaped and typed as text (never a formula); anything else as it is."""
    if isinstance(value, str) and not is_plain_text(value):
        c.value = stored_text(value)
        c.data_type = "s"
    else:
        c.value = value


def _wrapped(text: str, width: float) -> int:
    """Lines a paragraph takes when wrapped at word boundaries into ``width`` points, as
    spreadsheets do."""
    if len(text) * paper.BASE_FONT_PT <= width:  # no character is wider than an em
        return 1
    lines, used = 1, 0.0
    space = paper.text_points(" ")
    for word in text.split():
        size = paper.text_points(word)
        need = size if used == 0 else used + space + size
        if need <= width:
            used = need
            continue
        if used:
            lines += 1
        used = size
        while used > width:  # a word longer than the column breaks inside itself
            lines += 1
            used -= width
    return lines


def _text_props(size: int, *, bold: bool = False) -> RichText:
    """Text properties for chart labels; ``size`` in hundredths of a point."""
    return RichText(p=[Paragraph(pPr=ParagraphProperties(
        defRPr=CharacterProperties(sz=size, b=bold)), endParaRPr=CharacterProperties())])


def _font(title: Any, size: int, *, bold: bool = False) -> None:
    for para in title.tx.rich.paragraphs:
        para.pPr = ParagraphProperties(defRPr=CharacterProperties(sz=size, b=bold))


def _scale(axis: Any, series: Sequence[Any], spec: ChartSpec) -> None:
    """Lines use the room: the axis spans the values (and target), not zero to the top."""
    values = [v for s in series for v in s.values if v is not None]
    if not values:
        return
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.15 or abs(hi) * 0.1 or 1.0
    lo, hi = lo - pad, hi + pad
    if min(values) >= 0:
        lo = max(lo, 0.0)
    if "%" in spec.number_format and max(values) <= 100:
        hi = min(hi, 100.0)
    step = _nice_step((hi - lo) / 5)
    axis.scaling.min = math.floor(lo / step) * step
    axis.scaling.max = math.ceil(hi / step) * step
    axis.majorUnit = step


def _nice_step(raw: float) -> float:
    if raw <= 0:
        return 1.0
    mag = 10 ** math.floor(math.log10(raw))
    return next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)

