"""How the quarterly report reads on paper, in one place for every sheet.

A ministry prints the report. Every sheet prints on A4 landscape at full size (no fit-to-width
shrinking: an 18-column table fitted to the page printed at 4 pt). The cells' base font is
9 pt and nothing printed is smaller than 8 pt. A table is laid out for the page instead: the
columns a reader needs (``Column.paper``) come first and fit in ``COLUMN_BUDGET``; the detail
columns follow them, outside the print area, still in the workbook for filtering. Blocks and
sheets marked not for paper (``Block.paper``, ``SheetContent.paper``) stay on screen only:
the numbers behind the charts, the raw observations, the full histories.

The figures below were measured from LibreOffice's PDF export of a 9 pt Calibri (Carlito)
workbook: a column-width unit is 4.55 pt wide, and a word box ``pdftotext -bbox`` reports is
1.30 times the font size high.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList

from coprod_me.reports.sheet_content import Block, SheetContent

A4 = 9  # the paperSize code of A4 in the file format
FONT = "Calibri"  # a named face: a font without a name prints in a fallback serif
BASE_FONT_PT = 9.0
MIN_FONT_PT = 8.0
#: word-box height ÷ font size in LibreOffice's PDF (Carlito, measured on 6–12 pt words)
BOX_HEIGHT_PER_PT = 1.30
LINE_POINTS = 11.5  # a row of one line of 9 pt text
WRAPPED_LINE_POINTS = 10.5  # each further line of wrapped 9 pt text in a row
CHART_TEXT = 900  # chart labels in hundredths of a point: 9 pt, printed at full size

MARGIN_SIDE_IN, MARGIN_TOP_IN, HEADER_IN = 0.4, 0.75, 0.3
PAGE_WIDTH_PT = 842 - 2 * MARGIN_SIDE_IN * 72  # A4 landscape inside the side margins
PAGE_HEIGHT_PT = 595 - 2 * MARGIN_TOP_IN * 72 - 8  # less a little for rounding
PT_PER_WIDTH_UNIT = 4.55  # one unit of column width with a 9 pt default font
CM_PER_WIDTH_UNIT = PT_PER_WIDTH_UNIT / 72 * 2.54
#: column-width units a printed page holds, a little less than the page for safety
COLUMN_BUDGET = int(PAGE_WIDTH_PT / PT_PER_WIDTH_UNIT) - 4
MIN_WRAP_WIDTH = 14  # a wrapped column narrower than this makes rows too tall to read
CELL_PADDING_PT = 4.0  # the space a cell keeps clear of its borders, both sides together

# Advance widths of Calibri (and Carlito, its metric twin) in thousandths of an em, to
# know how many lines a wrapped cell takes; any other character counts as AVERAGE_EM.
_EM = dict(zip(" abcdefghijklmnopqrstuvwxyz", (226, 479, 525, 423, 525, 498, 305, 471, 525,
                                               229, 239, 455, 229, 799, 525, 527, 525, 525,
                                               349, 391, 335, 525, 452, 715, 433, 453, 395),
               strict=True))
_EM.update(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", (579, 544, 533, 615, 488, 459, 631, 623, 252,
                                               319, 520, 420, 855, 646, 662, 517, 673, 543,
                                               459, 487, 642, 567, 890, 519, 487, 468),
               strict=True))
_EM.update(dict.fromkeys("0123456789", 507))
_EM.update({".": 252, ",": 250, ":": 268, ";": 268, "(": 303, ")": 303, "-": 306,
            "%": 715, "/": 386, "+": 498, "'": 221, '"': 401, "→": 1000, "×": 498})
AVERAGE_EM = 560


def text_points(text: str, size: float = BASE_FONT_PT) -> float:
    """The printed width of ``text`` in points at ``size``."""
    return sum(_EM.get(ch, AVERAGE_EM) for ch in text) * size / 1000


def cell_points(width: float) -> float:
    """The room for text in a column ``width`` units wide, in points."""
    return width * PT_PER_WIDTH_UNIT - CELL_PADDING_PT


def base_font(wb: Any) -> None:
    """Make 9 pt the workbook's default font (plain cells carry no font of their own)."""
    font = Font(name=FONT, size=BASE_FONT_PT)
    wb._fonts = IndexedList([font])
    wb._named_styles["Normal"].font = font


def print_setup(ws: Any, *, left: str, centre: str, sample: bool) -> None:
    """A4 landscape at 100 %, margins with room for the running header and footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = A4
    ws.page_setup.scale = 100
    ws.page_setup.fitToWidth = ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = MARGIN_SIDE_IN
    ws.page_margins.top = ws.page_margins.bottom = MARGIN_TOP_IN
    ws.page_margins.header = ws.page_margins.footer = HEADER_IN
    ws.sheet_format.defaultRowHeight = LINE_POINTS
    ws.sheet_format.customHeight = True
    ws.oddHeader.left.text = _hf(left)
    ws.oddHeader.center.text = _hf(centre)
    ws.oddHeader.right.text = "&A"
    ws.oddFooter.left.text = "coprod-me"
    ws.oddFooter.right.text = "Page &P of &N"
    if sample:
        ws.oddFooter.center.text = "SAMPLE DATA (illustrative)"
    for part in (ws.oddHeader.left, ws.oddHeader.center, ws.oddHeader.right,
                 ws.oddFooter.left, ws.oddFooter.center, ws.oddFooter.right):
        part.size = BASE_FONT_PT


def for_paper(content: SheetContent) -> SheetContent:
    """The sheet laid out for the page: paper blocks first, and in each block the paper
    columns first (in their order), the detail columns after them."""
    blocks = [_paper_columns_first(b) for b in content.blocks]
    blocks = [b for b in blocks if b.paper] + [b for b in blocks if not b.paper]
    return replace(content, blocks=blocks)


def _paper_columns_first(block: Block) -> Block:
    order = ([i for i, c in enumerate(block.columns) if c.paper]
             + [i for i, c in enumerate(block.columns) if not c.paper])
    if order == list(range(len(block.columns))):
        return block
    return replace(block, columns=[block.columns[i] for i in order],
                   rows=[[row[i] for i in order] for row in block.rows])


def paper_width(content: SheetContent) -> int:
    """Columns a printed page of the sheet shows: the most paper columns of a paper block."""
    return max([sum(1 for c in b.columns if c.paper) for b in content.blocks if b.paper]
               + [0])


def fit_budget(widths: dict[int, float], columns: int,
               wrapped: set[int]) -> tuple[dict[int, float], int]:
    """Widths whose first ``columns`` fill the page: wrapped columns take the spare width
    (fewer lines, so fewer pages) or give it up first (to ``MIN_WRAP_WIDTH``); columns still
    beyond the page are left out of the print area. Returns the widths and the number of
    columns printed."""
    used = sum(widths.get(i, 8.43) for i in range(1, columns + 1))
    over = used - COLUMN_BUDGET
    grow = [i for i in sorted(wrapped) if i <= columns and i in widths]
    if over < 0 and grow:
        total = sum(widths[i] for i in grow)
        widths = dict(widths)
        for i in grow:
            widths[i] += -over * widths[i] / total
        return widths, columns
    narrow = [i for i in grow if widths[i] > MIN_WRAP_WIDTH]
    if over > 0 and narrow:
        spare = sum(widths[i] - MIN_WRAP_WIDTH for i in narrow)
        share = min(1.0, over / spare)
        widths = dict(widths)
        for i in narrow:
            widths[i] -= (widths[i] - MIN_WRAP_WIDTH) * share
    while columns > 1 and sum(widths.get(i, 8.43)
                              for i in range(1, columns + 1)) > COLUMN_BUDGET:
        columns -= 1
    return widths, columns


def print_area(ws: Any, columns: int, last_row: int) -> None:
    ws.print_area = f"A1:{get_column_letter(max(columns, 1))}{max(last_row, 1)}"


def not_printed(ws: Any, columns: int, last_row: int) -> None:
    """Keep a sheet off the printed report: its print area is one empty cell beyond its
    content (LibreOffice and Excel print nothing of an empty print area)."""
    ws.print_area = f"{get_column_letter(columns + 2)}{last_row + 2}"


def wrapped_columns(blocks: Sequence[Block]) -> set[int]:
    """Sheet columns (1-based) that hold wrapped text in some paper block."""
    return {i for b in blocks if b.paper
            for i, c in enumerate(b.columns, start=1) if c.kind in ("wrap", "note")}


def chart_spans(widths: Sequence[float], per_row: int,
                gap_emu: int) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Each chart's left and right edge as (0-based column, offset in EMU): the width of
    the columns ``widths`` split into equal parts, whatever the widths of the columns
    under a chart, less a gap on both sides."""
    emu = [w * PT_PER_WIDTH_UNIT * 12700 for w in widths]
    part = sum(emu) / per_row

    def at(x: float) -> tuple[int, int]:
        col = 0
        while col < len(emu) - 1 and x >= emu[col]:
            x -= emu[col]
            col += 1
        return col, int(min(x, emu[col]))

    return [(at(k * part + gap_emu), at((k + 1) * part - gap_emu)) for k in range(per_row)]


def title_lines(title: str, width: int = 42) -> str:
    """A chart title whole, broken into lines at words (a chart does not wrap its title)."""
    lines: list[str] = []
    for word in title.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


def _hf(text: str) -> str:
    """Header/footer text: '&' starts a code there, so a literal one is doubled."""
    return text.replace("&", "&&")

