"""Opening whatever file an NGO sends: .xlsx/.xlsm/.xls/.ods read by python-calamine in a
child process (``native_read``), .csv with its encoding and delimiter found (``csv_text``),
every file through the guard of ``untrusted`` first, so hostile or broken files are refused
with one message; when no sheet is named, the one the sender most likely means
(``likely_sheet``).

python-calamine gives cell values only. Two things it does not give are read here from the
.xlsx/.xlsm sheet XML in one streaming regex pass, made while the child reads the sheet
(faster than openpyxl, which would build an object per cell): which cells are formatted as a
percentage (0.52 shown as 52 %) and which hold an Excel error (calamine returns those as
empty). The regex runs only where the styles have a percent format or the XML an error
cell. For .ods the percentage cells come from content.xml; for .xls these are not known.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coprod_me.model.progress import IsCancelled, never
from coprod_me.spreadsheets.csv_text import iter_csv
from coprod_me.spreadsheets.native_read import open_workbook
from coprod_me.spreadsheets.ngo_values import fold
from coprod_me.spreadsheets.untrusted import TEXT_SUFFIXES as TEXT_SUFFIXES
from coprod_me.spreadsheets.untrusted import WORKBOOK_SUFFIXES as WORKBOOK_SUFFIXES
from coprod_me.spreadsheets.untrusted import Snapshot, kind_of, take
from coprod_me.spreadsheets.untrusted import UnreadableFile as UnreadableFile

#: Listing a workbook's sheets (the wizard waits for it) is stopped after this long.
NAMES_SECONDS = 30.0
_BUILTIN_PERCENT_FORMATS = {9, 10}


@dataclass
class Grid:
    """One sheet's cells as python-calamine returns them, with where they sit in the sheet.

    ``rows[i][j]`` is the cell at sheet row ``row0 + i`` and column ``col0 + j`` (0-based).
    """

    file: str
    sheet: str
    rows: list[list[Any]]
    row0: int = 0
    col0: int = 0
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) -> #DIV/0!
    percent_cells: set[tuple[int, int]] | None = None  # None: formats unknown for this file
    text_only: bool = False  # CSV: every cell is text

    def cell(self, row: int, col: int) -> Any:
        """The value at an absolute 0-based position ('' outside the data)."""
        i, j = row - self.row0, col - self.col0
        if 0 <= i < len(self.rows) and 0 <= j < len(self.rows[i]):
            return self.rows[i][j]
        return ""

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass
class RowsGrid(Grid):
    """Some rows of a sheet, by 0-based sheet row (the rejected rows of a sheet read in
    parts, for the errors workbook); ``cell`` reads them as ``Grid.cell`` reads a sheet."""

    by_row: dict[int, list[Any]] = field(default_factory=dict)

    def cell(self, row: int, col: int) -> Any:
        cells = self.by_row.get(row, ())
        j = col - self.col0
        return cells[j] if 0 <= j < len(cells) else ""

    @property
    def width(self) -> int:
        return max((len(r) for r in self.by_row.values()), default=0)


def check_file(path: Path) -> str:
    """The file's kind ('xlsx', 'xls', 'ods', 'csv') from its first bytes, after refusing
    what cannot be opened."""
    return kind_of(path)


def sheet_names(path: Path) -> list[str]:
    """The sheets a file has, in order (a CSV has one, named after the file)."""
    snap = take(path)
    if snap.kind == "csv":
        return [path.stem]
    with open_workbook(snap, (), seconds=NAMES_SECONDS) as wb:
        names = wb.worksheet_names
    if not names:
        raise UnreadableFile(f"{path.name} has no sheets")
    return names


def likely_sheet(names: Sequence[str]) -> str:
    """The sheet an NGO most likely means: a programme workbook's Observations, else the
    first sheet that is not a README."""
    for preferred in ("Observations_raw", "Observations"):
        if preferred in names:
            return preferred
    for n in names:
        if fold(n) not in ("readme", "read me", "instructions", "notes", "lists", "_lists"):
            return n
    return names[0]


def read_grid(path: Path, sheet: str | None = None, *, cancelled: IsCancelled = never
              ) -> Grid:
    """Every cell of one sheet (the first when ``sheet`` is None)."""
    with open_sheet(path, sheet, cancelled=cancelled) as stream:
        return stream.head


class SheetStream:
    """One sheet read a part at a time: ``head`` holds its first rows (all of them when
    ``complete``), ``parts`` gives the sheet again as consecutive grids of at most ``rows``
    rows, the head first, the rest as the reader sends them; ``sha256`` is the hash of the
    very bytes read. Close it (``with``) to stop the reader."""

    def __init__(self, head: Grid, rest: Iterator[list[Any]], complete: bool, sha256: str,
                 close: Any = None) -> None:
        self.head, self.complete, self.sha256 = head, complete, sha256
        self._rest: Iterator[list[Any]] | None = rest
        self._close = close

    def parts(self, rows: int) -> Iterator[Grid]:
        """The sheet as grids of at most ``rows`` rows (once: the rows are not kept)."""
        head, rest = self.head, self._rest
        if rest is None:
            raise RuntimeError("the sheet's rows were read already")
        self._rest = None
        yield head
        start = head.row0 + len(head.rows)
        while part := list(itertools.islice(rest, rows)):
            yield Grid(head.file, head.sheet, part, start, head.col0, head.merged, head.errors,
                       head.percent_cells, head.text_only)
            start += len(part)
        self.close()

    def close(self) -> None:
        self._rest = None
        if self._close is not None:
            self._close()
            self._close = None

    def __enter__(self) -> SheetStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_sheet(path: Path, sheet: str | None = None, *, head_rows: int | None = None,
               cancelled: IsCancelled = never) -> SheetStream:
    """One sheet (the first when ``sheet`` is None) whose first ``head_rows`` rows (all when
    None) are read now, the rest as ``SheetStream.parts`` asks for them. The errors and
    percent-formatted cells of the whole sheet are known from the start."""
    if sheet is None:
        sheet = sheet_names(path)[0]
    snap = take(path)
    sha256 = hashlib.sha256(snap.data).hexdigest()
    if snap.kind == "csv":
        rows = iter_csv(snap)
        head = list(itertools.islice(rows, head_rows))
        complete = head_rows is None or len(head) < head_rows
        if complete:
            while head and not any(c.strip() for c in head[-1]):
                head.pop()  # trailing blank rows are no data
        return SheetStream(Grid(path.name, path.stem, head, 0, 0, [], {}, None,
                                text_only=True), rows, complete, sha256)
    found = Grid(path.name, sheet, [])
    scan = _CellScan(snap, found)  # fed while the guard unpacks the sheet
    wb = open_workbook(snap, [sheet], cancelled=cancelled, watch={sheet: scan})
    try:
        if sheet not in wb.sheet_names:
            raise UnreadableFile(f"{path.name} has no sheet '{sheet}'; its sheets are "
                                 f"{', '.join(wb.sheet_names)}")
        ws = wb.get_sheet_by_name(sheet)
        rows_in = ws.iter_rows()
        head = list(itertools.islice(rows_in, head_rows))
        complete = head_rows is None or len(head) < head_rows
        start = ws.start or (0, 0)
        grid = Grid(path.name, sheet, head, start[0], start[1], ws.merged_cell_ranges)
        if wb.container.kind == "ods":
            _scan_ods_cells(snap, sheet, grid)
        elif wb.container.kind == "xlsx":
            scan.finish()
            grid.percent_cells = set() if scan.percent is None else found.percent_cells
            grid.errors = found.errors
    except BaseException:
        wb.close()
        raise
    if complete:
        wb.close()
    return SheetStream(grid, rows_in, complete, sha256, wb.close)


# ------------------------------------------------------------------------ xlsx cell styles

_CELL = re.compile(rb"<c\b([^>]*?)(/?)>")
_ATTR = re.compile(rb'\b(r|s|t)="([^"]*)"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")
_REF = re.compile(r"^([A-Z]+)(\d+)$")


def _cell_position(ref: str) -> tuple[int, int] | None:
    m = _REF.match(ref)
    if not m:
        return None
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


def _percent_styles(z: zipfile.ZipFile) -> set[bytes]:
    from defusedxml import ElementTree

    try:
        root = ElementTree.fromstring(z.read("xl/styles.xml"))
    except KeyError:
        return set()
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    percent_ids = set(_BUILTIN_PERCENT_FORMATS)
    for fmt in root.iter(f"{ns}numFmt"):
        code = re.sub(r'"[^"]*"|\\.', "", fmt.get("formatCode") or "")  # quoted % is text
        if "%" in code:
            percent_ids.add(int(fmt.get("numFmtId") or -1))
    out: set[bytes] = set()
    xfs = root.find(f"{ns}cellXfs")
    for i, xf in enumerate(xfs if xfs is not None else []):
        if int(xf.get("numFmtId") or 0) in percent_ids:
            out.add(str(i).encode())
    return out


class _CellScan:
    """Fills ``grid.percent_cells`` and ``grid.errors`` from the sheet's XML as the guard
    unpacks it (``watch``), in pieces that never cut a cell in two."""

    def __init__(self, snap: Snapshot, grid: Grid) -> None:
        self.snap, self.grid = snap, grid
        self.percent: set[bytes] | None = None
        self.carry = b""

    def __call__(self, chunk: bytes) -> None:
        if self.percent is None:  # the styles are checked by now: the sheets come last
            self._start()
        data = self.carry + chunk if self.carry else chunk
        cut = data.rfind(b"<c ")
        if cut <= 0:
            self.carry = data[-65_536:]
            return
        self.carry = data[cut:]
        self._scan(data[:cut])

    def finish(self) -> None:
        if self.carry:
            self._scan(self.carry)
        self.carry = b""

    def _start(self) -> None:
        self.grid.percent_cells = set()
        try:
            with zipfile.ZipFile(io.BytesIO(self.snap.data)) as z:
                self.percent = _percent_styles(z)
        except (KeyError, zipfile.BadZipFile, ValueError, SyntaxError):
            self.grid.percent_cells, self.percent = None, set()

    def _scan(self, data: bytes) -> None:
        percent, grid = self.percent or set(), self.grid
        if not percent and b't="e"' not in data:
            return
        for m in _CELL.finditer(data):
            attrs = dict(_ATTR.findall(m.group(1)))
            is_error = attrs.get(b"t") == b"e"
            if not is_error and attrs.get(b"s") not in percent:
                continue
            pos = _cell_position(attrs.get(b"r", b"").decode())
            if pos is None:
                continue
            if is_error:
                if m.group(2):
                    continue
                end = data.find(b"</c>", m.end())
                v = _VALUE.search(data, m.end(), end if end > 0 else m.end() + 4000)
                grid.errors[pos] = v.group(1).decode() if v else "#ERROR"
            elif grid.percent_cells is not None:
                grid.percent_cells.add(pos)


# ------------------------------------------------------------------------- ods cell types

_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def _scan_ods_cells(snap: Snapshot, sheet: str, grid: Grid) -> None:
    """Fill ``grid.percent_cells`` from content.xml: OpenDocument types a percentage cell
    (``office:value-type="percentage"``) where Excel only formats it."""
    from defusedxml.ElementTree import iterparse

    grid.percent_cells = set()
    t = _ODS_TABLE
    rows_rep, cols_rep = f"{t}number-rows-repeated", f"{t}number-columns-repeated"
    value_type = f"{_ODS_OFFICE}value-type"
    cells_tags = (f"{t}table-cell", f"{t}covered-table-cell")
    inside = False
    row = col = 0
    try:
        with zipfile.ZipFile(io.BytesIO(snap.data)) as z, z.open("content.xml") as fh:
            for event, el in iterparse(fh, events=("start", "end")):
                tag = el.tag
                if tag == f"{t}table":
                    if event == "start":
                        inside = el.get(f"{t}name") == sheet
                    elif inside:
                        return
                    continue
                if not inside:
                    if event == "end":
                        el.clear()
                    continue
                if tag == f"{t}table-row":
                    if event == "start":
                        col = 0
                    else:
                        row += int(el.get(rows_rep) or 1)
                        el.clear()
                elif tag in cells_tags and event == "start":
                    n = int(el.get(cols_rep) or 1)
                    if el.get(value_type) == "percentage":
                        grid.percent_cells.update((row, c) for c in range(col, col + min(n, 1024)))
                    col += n
    except (KeyError, zipfile.BadZipFile, ValueError, SyntaxError):
        grid.percent_cells = None
