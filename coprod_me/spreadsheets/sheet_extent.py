"""How far a sheet's cells reach, and the message when that is farther than coprod-me reads.

``extent_message`` words what the reader found (rows × columns past the limits in
``untrusted``). ``far_cells`` finds it in the file's XML when the reader could not say,
having run out of memory first: one value in XFD1048576 makes calamine ask for 549 GB for
the empty cells between it and A1. Only cells holding something count, as for calamine; an
OpenDocument sheet's repeated rows and columns count as many times as they repeat.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from coprod_me.spreadsheets import untrusted
from coprod_me.spreadsheets.untrusted import Container, Snapshot, xml_pieces

#: (first row, first column, last row, last column), 0-based
Box = tuple[int, int, int, int]

_XLSX_CELL = re.compile(rb'<c r="([A-Z]{1,4})(\d{1,10})"[^>]*?(/?)>')
_ODS_TAG = re.compile(rb"<(/?)table:(table-row|table-cell|covered-table-cell|table)"
                      rb"(?=[\s/>])([^>]*?)(/?)>")
_ODS_NAME = re.compile(rb'table:name="([^"]*)"')
_ODS_ROWS = re.compile(rb'table:number-rows-repeated="(\d{1,10})"')
_ODS_COLUMNS = re.compile(rb'table:number-columns-repeated="(\d{1,10})"')


def cell_ref(row: int, col: int) -> str:
    """A 0-based position as Excel names it (0, 0 -> A1)."""
    letters = ""
    n = col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


def extent_message(file: str, sheet: str, start: Any, end: Any, height: int, width: int
                   ) -> str:
    first = cell_ref(*start) if start is not None else "A1"
    last = cell_ref(*end) if end is not None else cell_ref(height - 1, width - 1)
    if width > untrusted.MAX_COLUMNS:
        limit = f"a sheet has at most {untrusted.MAX_COLUMNS:,} columns"
    elif height > untrusted.MAX_ROWS:
        limit = f"a sheet has at most {untrusted.MAX_ROWS:,} rows"
    else:
        limit = f"coprod-me reads at most {untrusted.MAX_CELLS:,} cells from one sheet"
    return (f"{file}, sheet {sheet}, has cells from {first} as far as {last} ({height:,} rows "
            f"× {width:,} columns; {limit}); delete what lies below and to the right of the "
            "table, or copy the table to a new sheet, and save it again")


def far_cells(snap: Snapshot, container: Container, sheet: str | None) -> str | None:
    """The extent message for the sheet (any sheet, when None) whose cells reach farther
    than coprod-me reads, or None when none does."""
    boxes: dict[str, Box] = {}
    if container.kind not in ("xlsx", "ods"):
        return None  # .xls: its cells are not read here
    with zipfile.ZipFile(io.BytesIO(snap.data)) as z:
        if container.kind == "xlsx":
            for name, part in container.sheet_parts.items():
                if (sheet is None or name == sheet) and part in z.NameToInfo:
                    box = _xlsx_box(xml_pieces(snap, z.getinfo(part), b"<c "))
                    if box is not None:
                        boxes[name] = box
        elif container.kind == "ods" and "content.xml" in z.NameToInfo:
            boxes = {name: box for name, box in _ods_boxes(
                xml_pieces(snap, z.getinfo("content.xml"))).items() if sheet in (None, name)}
    for name, (r0, c0, r1, c1) in boxes.items():
        height, width = r1 - r0 + 1, c1 - c0 + 1
        if height > untrusted.MAX_ROWS or width > untrusted.MAX_COLUMNS or \
                height * width > untrusted.MAX_CELLS:
            return extent_message(snap.name, name, (r0, c0), (r1, c1), height, width)
    return None


def _xlsx_box(pieces: Iterator[bytes]) -> Box | None:
    rows: list[int] = []
    cols: list[int] = []
    for piece in pieces:
        for letters, digits, closed in _XLSX_CELL.findall(piece):
            if closed:  # <c r="A3" s="1"/>: formatted, empty
                continue
            col = 0
            for ch in letters:
                col = col * 26 + ch - 64
            rows.append(int(digits) - 1)
            cols.append(col - 1)
        if len(rows) > 1_000_000:  # keep only the extremes
            rows, cols = [min(rows), max(rows)], [min(cols), max(cols)]
    if not rows:
        return None
    return min(rows), min(cols), max(rows), max(cols)


def _ods_boxes(pieces: Iterator[bytes]) -> dict[str, Box]:
    """Each table's box of cells holding something, repeats counted."""
    boxes: dict[str, Box] = {}
    table = ""
    row = col = rows_repeated = 0
    row_cols: list[int] = []
    for piece in pieces:
        for end, tag, attrs, closed in _ODS_TAG.findall(piece):
            if tag == b"table":
                if not end:
                    m = _ODS_NAME.search(attrs)
                    table = html.unescape(m.group(1).decode("utf-8", "replace")) if m else ""
                    row = 0
                continue
            if tag == b"table-row":
                if not end:
                    m = _ODS_ROWS.search(attrs)
                    rows_repeated, col, row_cols = int(m.group(1)) if m else 1, 0, []
                if end or closed:
                    if row_cols:
                        last = row + min(rows_repeated, untrusted.MAX_ROWS) - 1
                        boxes[table] = _widen(boxes.get(table), row, min(row_cols), last,
                                              max(row_cols))
                    row += rows_repeated
                continue
            if end:
                continue
            m = _ODS_COLUMNS.search(attrs)
            repeated = min(int(m.group(1)) if m else 1, untrusted.MAX_COLUMNS)
            if b"office:value-type=" in attrs or not closed:
                row_cols += [col, col + repeated - 1]
            col += repeated
    return boxes


def _widen(box: Box | None, r0: int, c0: int, r1: int, c1: int) -> Box:
    if box is None:
        return r0, c0, r1, c1
    return min(box[0], r0), min(box[1], c0), max(box[2], r1), max(box[3], c1)
