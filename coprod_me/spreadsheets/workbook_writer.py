"""Writing programme workbooks with openpyxl in write-only mode (rows stream to disk).

Every cell is made by ``cell_writing``: sender text (names, comments, categories) stays text
and loads back as the same text; numbers stay numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from coprod_me.model.errors import Cancelled
from coprod_me.model.progress import IsCancelled, Progress, never, no_progress
from coprod_me.spreadsheets import cells
from coprod_me.spreadsheets.cell_writing import cell, row
from coprod_me.spreadsheets.workbook_format import (
    DIM_PREFIX,
    FORMAT_VERSION,
    LISTS_SHEET,
    README_LINES,
    README_SHEET,
    SHEETS,
    ColumnSpec,
    SheetSpec,
    expected_for,
)

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F5F5B")
_KEY_FILL = PatternFill("solid", fgColor="0E3B38")
_WRAP = Alignment(wrap_text=True, vertical="top")


def column_doc(col: ColumnSpec) -> str:
    parts = [expected_for(col) if col.kind != "text" else "text"]
    if col.ref is not None:
        parts = [f"code of a row in sheet {col.ref.sheet}"]
    if col.required:
        parts.append("required")
    if col.default not in (None, ""):
        parts.append(f"default {cells.show(col.default)}")
    if col.description:
        parts.append(col.description)
    return "; ".join(parts)


def _excel_value(v: Any) -> Any:
    if isinstance(v, datetime) and v.tzinfo is not None:
        return v.astimezone(UTC).replace(tzinfo=None)  # Excel has no time zones: store UTC
    return v


def write_rows(
    path: Path | str,
    rows_by_sheet: Mapping[str, Iterable[Mapping[str, Any]]],
    *,
    title: str = "coprod-me programme workbook",
    progress: Progress = no_progress,
    cancelled: IsCancelled = never,
) -> Path:
    """Write rows (header -> value; ``dim:<code>`` keys for disaggregation) to a workbook.

    Every sheet of the format is written, empty ones with their header, so the file is also a
    template. The file appears only when complete (written aside, then renamed).
    """
    path = Path(path)
    wb = Workbook(write_only=True)
    _write_readme(wb, title)
    list_ranges = _write_lists(wb)
    total = len(SHEETS)
    for i, spec in enumerate(SHEETS):
        if cancelled():
            raise Cancelled()
        progress(i, total, f"Writing sheet {spec.name}")
        rows = list(rows_by_sheet.get(spec.name, ()))
        _write_sheet(wb, spec, rows, list_ranges)
    tmp = path.with_name(path.name + ".partial")
    wb.save(tmp)
    tmp.replace(path)
    return path


def _write_sheet(wb: Workbook, spec: SheetSpec, rows: list[Mapping[str, Any]],
                 list_ranges: dict[str, str]) -> None:
    ws = wb.create_sheet(spec.name)
    headers = [c.header for c in spec.columns]
    if spec.has_dims:
        dims = sorted({k for r in rows for k in r if k.startswith(DIM_PREFIX)})
        headers += dims
    for idx, h in enumerate(headers, start=1):
        col = spec.by_header.get(h)
        width = max(10, min(40, len(h) + 2))
        if col is not None and col.kind in ("text",) and col.header in (
                "name", "definition", "description", "assumption_text", "text"):
            width = 50
        ws.column_dimensions[get_column_letter(idx)].width = width
    ws.freeze_panes = "A2"
    header_row = []
    for h in headers:
        col = spec.by_header.get(h)
        note = column_doc(col) if col else "disaggregation category for this dimension"
        header_row.append(cell(ws, h, font=_HEADER_FONT,
                               fill=_KEY_FILL if h in spec.key else _HEADER_FILL,
                               comment=Comment(note, "coprod-me", width=300, height=120)))
    n = max(len(rows), 1) + 1000  # validation reaches past the data so new rows get it too
    for idx, h in enumerate(headers, start=1):
        col = spec.by_header.get(h)
        if col is not None and col.kind == "enum":
            assert col.enum is not None
            dv = DataValidation(type="list", formula1=list_ranges[col.enum.__name__],
                                allow_blank=True, showErrorMessage=True,
                                errorTitle=f"{h}: not an allowed value",
                                error="Pick a value from the list.")
            letter = get_column_letter(idx)
            dv.add(f"{letter}2:{letter}{n}")
            ws.data_validations.append(dv)
        elif col is not None and col.kind == "bool":
            dv = DataValidation(type="list", formula1='"TRUE,FALSE"', allow_blank=True)
            letter = get_column_letter(idx)
            dv.add(f"{letter}2:{letter}{n}")
            ws.data_validations.append(dv)
    ws.append(header_row)
    for r in rows:
        ws.append(row(ws, [_excel_value(r.get(h)) for h in headers]))


def _write_lists(wb: Workbook) -> dict[str, str]:
    """Allowed values on a hidden sheet; drop-downs refer to its ranges (no 255-char limit)."""
    enums: dict[str, list[str]] = {}
    for spec in SHEETS:
        for col in spec.columns:
            if col.kind == "enum" and col.enum is not None:
                enums.setdefault(col.enum.__name__, col.allowed)
    ws = wb.create_sheet(LISTS_SHEET)
    ws.sheet_state = "hidden"
    names = sorted(enums)
    longest = max(len(v) for v in enums.values())
    ws.append(row(ws, names))
    for i in range(longest):
        ws.append(row(ws, [enums[n][i] if i < len(enums[n]) else None for n in names]))
    ranges = {}
    for idx, name in enumerate(names, start=1):
        letter = get_column_letter(idx)
        ranges[name] = f"{LISTS_SHEET}!${letter}$2:${letter}${len(enums[name]) + 1}"
    return ranges


def _write_readme(wb: Workbook, title: str) -> None:
    ws = wb.create_sheet(README_SHEET)
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["C"].width = 90
    ws.append([cell(ws, title, font=Font(bold=True, size=14))])
    ws.append(row(ws, [f"coprod-me programme workbook, format version {FORMAT_VERSION}, "
                       f"written {date.today().isoformat()}"]))
    for line in README_LINES:
        ws.append(row(ws, [line]))
    ws.append([])
    ws.append([cell(ws, h, font=_HEADER_FONT, fill=_HEADER_FILL)
               for h in ("sheet", "column", "type, allowed values, required, meaning")])
    for spec in SHEETS:
        ws.append([cell(ws, spec.name, font=Font(bold=True)),
                   *row(ws, ["", spec.description])])
        for col in spec.columns:
            ws.append([*row(ws, ["", col.header]),
                       cell(ws, column_doc(col), alignment=_WRAP)])
        if spec.has_dims:
            ws.append(row(ws, ["", "dim:<dimension>", "one column per disaggregation "
                               "dimension (dim:sex, dim:age_band, ...); the cell holds the "
                               "category; leave all empty for a total"]))


