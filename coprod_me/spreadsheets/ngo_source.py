"""Opening whatever file an NGO sends: .xlsx/.xlsm/.xls/.ods through python-calamine, .csv
with its encoding and delimiter guessed, and hostile or broken files refused with one message;
when no sheet is named, the one the sender most likely means (``likely_sheet``).

python-calamine gives cell values only. Two things it does not give are read here from the
.xlsx/.xlsm sheet XML in one streaming regex pass (faster than openpyxl, which would build an
object per cell): which cells are formatted as a percentage (0.52 shown as 52 %) and which
hold an Excel error (calamine returns those as empty). The pass runs only when the styles
have a percent format or the sheet has an error cell. For .xls and .ods these are not known.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import threading
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coprod_me.model.errors import Cancelled, DomainError
from coprod_me.model.progress import IsCancelled, never
from coprod_me.spreadsheets.ngo_values import fold

#: Refused above this unpacked size: 100,000 rows of a long sheet unpack to about 40 MB.
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
#: Refused above this file size for a CSV (read into memory at once).
MAX_CSV_BYTES = 256 * 1024 * 1024
#: Rows read at most from one sheet.
MAX_ROWS = 1_048_576

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_BUILTIN_PERCENT_FORMATS = {9, 10}


class UnreadableFile(DomainError):
    """The file cannot be read as a spreadsheet; the message says why and what to do."""


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


def check_file(path: Path) -> str:
    """The file's kind ('xlsx', 'xls', 'ods', 'csv'), after refusing what cannot be opened."""
    name = path.name
    if not path.exists():
        raise UnreadableFile(f"{path} does not exist")
    if path.is_dir():
        raise UnreadableFile(f"{path} is a folder; choose a spreadsheet file")
    size = path.stat().st_size
    if size == 0:
        raise UnreadableFile(f"{name} is empty (0 bytes); ask the sender for the file again")
    suffix = path.suffix.lower()
    with path.open("rb") as fh:
        head = fh.read(8)
    if suffix in TEXT_SUFFIXES:
        if size > MAX_CSV_BYTES:
            raise UnreadableFile(f"{name} is {size // 2**20} MB; coprod-me reads CSV files up "
                                 f"to {MAX_CSV_BYTES // 2**20} MB. Split it by quarter")
        return "csv"
    if head.startswith(_OLE_MAGIC):
        data = path.read_bytes() if size < 64 * 2**20 else b""
        if _ENCRYPTED in data:
            raise UnreadableFile(
                f"{name} is protected with a password; open it in Excel or LibreOffice, remove "
                "the password (File > Info > Protect Workbook > Encrypt with Password) and save "
                "it again")
        return "xls"
    if head.startswith(b"PK"):
        _check_zip(path)
        return "ods" if suffix == ".ods" or _is_ods(path) else "xlsx"
    if suffix in WORKBOOK_SUFFIXES:
        raise UnreadableFile(f"{name} is not a spreadsheet, though its name ends in {suffix}; "
                             "save it again from Excel or LibreOffice as .xlsx")
    raise UnreadableFile(f"{name} is not a spreadsheet coprod-me can read; save it as .xlsx, "
                         ".ods or .csv")


def _check_zip(path: Path) -> None:
    name = path.name
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            unpacked = sum(i.file_size for i in infos)
            if unpacked > MAX_UNPACKED_BYTES:
                raise UnreadableFile(
                    f"{name} unpacks to {unpacked // 2**20} MB, above the "
                    f"{MAX_UNPACKED_BYTES // 2**20} MB coprod-me accepts (it may be a zip "
                    "bomb); if it is genuine, split it into smaller files")
            for info in infos:
                if info.filename.endswith((".xml", ".rels")) and info.file_size:
                    with z.open(info) as fh:
                        head = fh.read(4096)
                    if b"<!ENTITY" in head or b"<!DOCTYPE" in head:
                        raise UnreadableFile(
                            f"{name} contains XML entity declarations ({info.filename}), which "
                            "spreadsheets never need (it may be an XML bomb); it was not read")
    except zipfile.BadZipFile:
        raise UnreadableFile(f"{name} is damaged or truncated (not a complete zip archive); "
                             "ask the sender for the file again") from None
    except (EOFError, OSError, zipfile.LargeZipFile) as exc:
        raise UnreadableFile(f"{name} is damaged or truncated ({exc}); ask the sender for the "
                             "file again") from None


def _is_ods(path: Path) -> bool:
    with zipfile.ZipFile(path) as z:
        try:
            return z.read("mimetype").startswith(b"application/vnd.oasis.opendocument")
        except KeyError:
            return False


def sheet_names(path: Path) -> list[str]:
    """The sheets a file has, in order (a CSV has one, named after the file)."""
    kind = check_file(path)
    if kind == "csv":
        return [path.stem]
    wb = _open_workbook(path)
    try:
        names = [m.name for m in wb.sheets_metadata
                 if str(m.typ).endswith("WorkSheet")] or list(wb.sheet_names)
    finally:
        wb.close()
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


def _open_workbook(path: Path) -> Any:
    from python_calamine import CalamineWorkbook, PasswordError

    try:
        return CalamineWorkbook.from_path(str(path))
    except PasswordError:
        raise UnreadableFile(f"{path.name} is protected with a password; remove the password "
                             "in Excel or LibreOffice and save it again") from None
    except Exception as exc:  # calamine raises several types for damaged files
        text = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise UnreadableFile(f"{path.name} could not be read as a spreadsheet ({text}); open "
                             "it in Excel or LibreOffice, save it as .xlsx and try again"
                             ) from None


def read_grid(path: Path, sheet: str | None = None, *, cancelled: IsCancelled = never
              ) -> Grid:
    """Every cell of one sheet (the first when ``sheet`` is None)."""
    kind = check_file(path)
    if kind == "csv":
        return _read_csv(path)
    wb = _open_workbook(path)
    scan: _Scan | None = None
    try:
        names = list(wb.sheet_names)
        if not names:
            raise UnreadableFile(f"{path.name} has no sheets")
        name = sheet if sheet is not None else names[0]
        if name not in names:
            raise UnreadableFile(f"{path.name} has no sheet '{name}'; its sheets are "
                                 f"{', '.join(names)}")
        if kind == "xlsx":  # the sheet's XML is read meanwhile (calamine lets go of the GIL)
            scan = _Scan(path, name)
            scan.start()
        try:
            ws = wb.get_sheet_by_name(name)
            start = ws.start or (0, 0)
            merged = list(ws.merged_cell_ranges or [])
            rows: list[list[Any]] = []
            blank_run = 0
            for i, row in enumerate(ws.iter_rows()):
                if i % 10000 == 0 and cancelled():
                    raise Cancelled("reading cancelled")
                if i >= MAX_ROWS:
                    break
                if row.count("") != len(row):  # counted in C: most rows have data
                    if blank_run:
                        rows.extend([] for _ in range(blank_run))
                        blank_run = 0
                    rows.append(row if row.__class__ is list else list(row))  # a new list
                else:
                    blank_run += 1  # trailing blank rows (styled to the millionth) are dropped
        except (DomainError, MemoryError):
            raise
        except Exception as exc:
            raise UnreadableFile(f"{path.name}, sheet {name}, could not be read ({exc}); save "
                                 "it again as .xlsx and try again") from None
    finally:
        wb.close()
        if scan is not None:
            scan.join()
    grid = Grid(path.name, name, rows, start[0], start[1], merged)
    if scan is not None:
        scan.result(grid)
    elif kind == "ods":
        _scan_ods_cells(path, name, grid)
    return grid


class _Scan(threading.Thread):
    """``_scan_xlsx_cells`` on a thread of its own, while calamine reads the same sheet."""

    def __init__(self, path: Path, sheet: str) -> None:
        super().__init__(name="xlsx cell scan", daemon=True)
        self.path, self.sheet = path, sheet
        self.found = Grid(path.name, sheet, [])
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            _scan_xlsx_cells(self.path, self.sheet, self.found)
        except BaseException as exc:  # raised where the grid is wanted
            self.error = exc

    def result(self, grid: Grid) -> None:
        if self.error is not None:
            raise self.error
        grid.percent_cells, grid.errors = self.found.percent_cells, self.found.errors


# ------------------------------------------------------------------------------------ CSV


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")  # Excel's "CSV" on Windows in Western Europe
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ",;\t|"}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def _read_csv(path: Path) -> Grid:
    text = _decode(path.read_bytes())
    delim = "\t" if path.suffix.lower() == ".tsv" else _delimiter(text)
    rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delim)]
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    return Grid(path.name, path.stem, rows, 0, 0, [], {}, None, text_only=True)


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


def _sheet_member(z: zipfile.ZipFile, sheet: str) -> str | None:
    from defusedxml import ElementTree

    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    wb = ElementTree.fromstring(z.read("xl/workbook.xml"))
    rid = None
    for el in wb.iter(f"{ns_main}sheet"):
        if el.get("name") == sheet:
            rid = el.get(f"{ns_rel}id")
    if rid is None:
        return None
    rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    for el in rels:
        if el.get("Id") == rid:
            target = el.get("Target") or ""
            return target.lstrip("/") if target.startswith("/") else "xl/" + target
    return None


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


def _scan_xlsx_cells(path: Path, sheet: str, grid: Grid) -> None:
    """Fill ``grid.percent_cells`` and ``grid.errors`` from the sheet's XML."""
    grid.percent_cells = set()
    try:
        with zipfile.ZipFile(path) as z:
            member = _sheet_member(z, sheet)
            if member is None:
                return
            percent = _percent_styles(z)
            data = z.read(member)
    except (KeyError, zipfile.BadZipFile, ValueError, SyntaxError):
        grid.percent_cells = None
        return
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
        else:
            grid.percent_cells.add(pos)


# ------------------------------------------------------------------------- ods cell types

_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def _scan_ods_cells(path: Path, sheet: str, grid: Grid) -> None:
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
        with zipfile.ZipFile(path) as z, z.open("content.xml") as fh:
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
