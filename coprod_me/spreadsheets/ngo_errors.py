"""The errors workbook: rejected rows sent back as they came, with what to fix.

The sender gets their own columns (and their HXL row, so the file maps the same way when it
comes back), an ``errors`` column and a comment on each bad cell. Imported only when an
errors workbook is written: openpyxl costs a quarter of a second to import.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from coprod_me.spreadsheets.ngo_records import REJECTED, PreviewRow
from coprod_me.spreadsheets.ngo_shape import Shape
from coprod_me.spreadsheets.ngo_source import Grid

ERRORS_HEADER = "errors"
_BAD = PatternFill("solid", fgColor="F6D7D2")
_EXCEL_CELL_LIMIT = 32767


def _cell_value(v: Any) -> Any:
    if v is None or isinstance(v, (int, float, bool, date, datetime, time)):
        return v
    text = str(v)
    return text[:_EXCEL_CELL_LIMIT]


def rejected_by_row(rows: Iterable[PreviewRow]) -> dict[int, list[tuple[int | None, str]]]:
    """The rejected rows' problems as ``write_rejected_rows`` takes them: 0-based sheet row
    -> [(0-based column of the bad cell, or None for the row, reason)]."""
    rejected: dict[int, list[tuple[int | None, str]]] = {}
    for r in rows:
        if r.status != REJECTED:
            continue
        for prob in r.problems:
            rejected.setdefault(r.row - 1, []).append((_column_index(prob.cell), prob.reason))
    return rejected


def _column_index(ref: str | None) -> int | None:
    if not ref:
        return None
    letters = "".join(c for c in ref if c.isalpha())
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch.upper()) - 64
    return n - 1


def write_rejected_rows(
    path: Path,
    grid: Grid,
    shape: Shape,
    rejected: dict[int, list[tuple[int | None, str]]],
) -> Path:
    """Write ``rejected`` (0-based sheet row -> [(0-based column or None, reason)])."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = (grid.sheet or "Errors")[:31]
    width = max(len(shape.headers), grid.width + grid.col0)
    header = [*shape.column_keys()[:width], ERRORS_HEADER]
    ws.append(header)
    for c in ws[1]:
        c.font = Font(bold=True)
    if shape.hxl_row is not None and any(shape.hashtags):
        ws.append([*shape.hashtags[:width], ""])
    for row in sorted(rejected):
        problems = rejected[row]
        values = [_cell_value(grid.errors.get((row, c), grid.cell(row, c)))
                  for c in range(width)]
        reasons = list(dict.fromkeys(reason for _c, reason in problems))
        ws.append([*values, f"row {row + 1}: " + "; ".join(reasons)])
        out_row = ws.max_row
        notes: dict[int, list[str]] = {}
        for col, reason in problems:
            if col is not None and 0 <= col < width:
                notes.setdefault(col, []).append(reason)
        for col, texts in notes.items():
            cell = ws.cell(row=out_row, column=col + 1)
            cell.comment = Comment("\n".join(dict.fromkeys(texts))[:30000], "coprod-me")
            cell.fill = _BAD
    ws.column_dimensions[ws.cell(row=1, column=len(header)).column_letter].width = 80
    ws.freeze_panes = "A2"
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written aside and moved into place, so a failure never leaves half a workbook.
    fd, tmp = tempfile.mkstemp(suffix=".xlsx", dir=path.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
