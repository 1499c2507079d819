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
from openpyxl.utils import get_column_letter

from coprod_me.model.cell_text import CELL_TEXT_LIMIT
from coprod_me.model.new_files import as_new_file
from coprod_me.spreadsheets.cell_writing import cell, row
from coprod_me.spreadsheets.ngo_records import REJECTED, PreviewRow
from coprod_me.spreadsheets.ngo_shape import Shape
from coprod_me.spreadsheets.ngo_source import Grid

ERRORS_HEADER = "errors"
_BOLD = Font(bold=True)
_BAD = PatternFill("solid", fgColor="F6D7D2")


def _cell_value(v: Any) -> Any:
    if v is None or isinstance(v, (int, float, bool, date, datetime, time)):
        return v
    return str(v)[:CELL_TEXT_LIMIT] or None  # an empty text is an empty cell


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
    """Write ``rejected`` (0-based sheet row -> [(0-based column or None, reason)]).

    The sender's cells go out as they came: their text stays text (a ``=...`` of theirs is
    not a formula in our file), their numbers stay numbers.
    """
    wb = Workbook(write_only=True)
    ws = wb.create_sheet((grid.sheet or "Errors")[:31])
    width = max(len(shape.headers), grid.width + grid.col0)
    header = [*shape.column_keys()[:width], ERRORS_HEADER]
    ws.column_dimensions[get_column_letter(len(header))].width = 80
    ws.freeze_panes = "A2"
    ws.append([cell(ws, h, font=_BOLD) for h in header])
    if shape.hxl_row is not None and any(shape.hashtags):
        ws.append(row(ws, [*shape.hashtags[:width], ""]))
    for r in sorted(rejected):
        problems = rejected[r]
        values = [_cell_value(grid.errors.get((r, c), grid.cell(r, c))) for c in range(width)]
        reasons = list(dict.fromkeys(reason for _c, reason in problems))
        out = row(ws, [*values, f"row {r + 1}: " + "; ".join(reasons)])
        notes: dict[int, list[str]] = {}
        for col, reason in problems:
            if col is not None and 0 <= col < width:
                notes.setdefault(col, []).append(reason)
        for col, texts in notes.items():
            out[col] = cell(ws, values[col], fill=_BAD, comment=Comment(
                "\n".join(dict.fromkeys(texts))[:30000], "coprod-me"))
        ws.append(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written aside and moved into place, so a failure never leaves half a workbook.
    fd, tmp = tempfile.mkstemp(suffix=".xlsx", dir=path.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        as_new_file(tmp)  # mkstemp made it private (0600); it is a file to send back
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
