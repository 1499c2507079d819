"""The spreadsheet reader's own process: python-calamine reads one workbook here.

``native_read`` starts this module in a child process (``python -c``, never a fork of the
app) and writes it two frames: the request and the file's bytes. The child limits its own
address space first, so a file that makes calamine allocate without bound (one value in
XFD1048576 asks for 549 GB) ends this process, not the app. It answers with frames:

    N  (all sheet names, worksheet names)       once the workbook is open
    S  (name, start, end, height, width, merged)  before each requested sheet's rows
    X  (name, start, end, height, width)        the sheet is larger than the limits; stop
    R  rows                                     a list of rows (marshal)
    D  rows                                     the same, dates as tagged tuples
    Z  name                                     the sheet's rows are all sent
    E  (kind, text, sheet)                      the reader failed (reading sheet); stop
    F  None                                     done

A frame is its tag, its length (8 bytes, little-endian) and its marshal payload. Blank rows
go as ``[]`` and trailing blank rows not at all (a sheet styled to its millionth row costs
nothing). This module imports nothing of coprod-me, so the child starts in milliseconds.
"""

from __future__ import annotations

import datetime as dt
import io
import marshal
import struct
import sys
from typing import Any, BinaryIO

#: A frame of rows carries about this many cells.
CHUNK_CELLS = 20_000
#: A frame larger than this is looked into for cells longer than any spreadsheet allows
#: (one shared string can fill every cell: a 1 MB file, gigabytes of text).
_LARGE_FRAME = 16 * 2**20
_MAX_CELL_CHARACTERS = 32_767
_DATES = (dt.datetime, dt.date, dt.time, dt.timedelta)


def main() -> None:
    inp = sys.stdin.buffer
    request = marshal.loads(_read_frame(inp))
    _limit_memory(request["memory"])
    data = _read_frame(inp)
    out = _Frames(sys.stdout.buffer)
    try:
        _serve(request, data, out)
    except MemoryError:
        out.send(b"E", ("memory", "", out.sheet))
    except BaseException as exc:  # a panic in calamine is a BaseException; reported as is
        out.send(b"E", (_failure(exc), _first_line(exc), out.sheet))
    out.flush()


def _limit_memory(limit: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: no address-space limit; a crash still stays here
        return
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):  # macOS refuses RLIMIT_AS below its current use
        pass


def _read_frame(inp: BinaryIO) -> bytes:
    (n,) = struct.unpack("<Q", inp.read(8))
    return inp.read(n)


def _serve(request: dict[str, Any], data: bytes, out: _Frames) -> None:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_object(io.BytesIO(data))
    del data
    names = list(wb.sheet_names)
    worksheets = [m.name for m in wb.sheets_metadata if str(m.typ).endswith("WorkSheet")]
    out.send(b"N", (names, worksheets or names))
    max_rows, max_columns, max_cells = request["extent"]
    for name in request["sheets"]:
        if name not in names:
            continue
        out.sheet = name
        ws = wb.get_sheet_by_name(name)
        height, width = ws.height, ws.width
        out.send(b"S", (name, ws.start, ws.end, height, width, ws.merged_cell_ranges or []))
        if height > max_rows or width > max_columns or height * width > max_cells:
            out.send(b"X", (name, ws.start, ws.end, height, width))
            return
        _send_rows(ws, out, request["keep_first"])
        out.send(b"Z", name)
        out.sheet = None
        del ws
    out.send(b"F", None)


def _send_rows(ws: Any, out: _Frames, keep_first: bool) -> None:
    chunk: list[list[Any]] = []
    cells = blank = 0
    first = keep_first
    for row in ws.iter_rows():
        if not first and row.count("") == len(row):  # counted in C: most rows have data
            blank += 1
            continue
        first = False
        if blank:
            chunk.extend([] for _ in range(blank))
            cells += blank
            blank = 0
        chunk.append(row)
        cells += len(row) + 1
        if cells >= CHUNK_CELLS:
            out.rows(chunk)
            chunk, cells = [], 0
    if chunk:
        out.rows(chunk)


class _Frames:
    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.sheet: str | None = None  # the sheet being read, named in an error

    def send(self, tag: bytes, payload: Any) -> None:
        self._write(tag, marshal.dumps(payload))

    def rows(self, chunk: list[list[Any]]) -> None:
        try:
            tag, payload = b"R", marshal.dumps(chunk)
        except ValueError:  # marshal has no dates
            tag, payload = b"D", marshal.dumps([[_tagged(c) for c in row] for row in chunk])
        if len(payload) > _LARGE_FRAME:
            longest = max((len(c) for row in chunk for c in row if c.__class__ is str),
                          default=0)
            if longest > _MAX_CELL_CHARACTERS:
                raise TooLong(f"a cell holds {longest:,} characters; a spreadsheet cell holds "
                              f"at most {_MAX_CELL_CHARACTERS:,}")
        self._write(tag, payload)

    def _write(self, tag: bytes, payload: bytes) -> None:
        self.out.write(tag + struct.pack("<Q", len(payload)))
        self.out.write(payload)

    def flush(self) -> None:
        self.out.flush()


class TooLong(ValueError):
    """A cell longer than a spreadsheet allows (it may be built to exhaust memory)."""


def _tagged(value: Any) -> Any:
    if not isinstance(value, _DATES):
        return value
    if isinstance(value, dt.datetime):
        return (1, value.year, value.month, value.day, value.hour, value.minute,
                value.second, value.microsecond)
    if isinstance(value, dt.date):
        return (2, value.year, value.month, value.day)
    if isinstance(value, dt.time):
        return (3, value.hour, value.minute, value.second, value.microsecond)
    return (4, value.days, value.seconds, value.microseconds)


def untagged(value: Any) -> Any:
    """A cell as the reader gave it, from what ``_tagged`` sent."""
    if value.__class__ is not tuple:
        return value
    kind, *parts = value
    return (dt.datetime, dt.date, dt.time, dt.timedelta)[kind - 1](*parts)


def _failure(exc: BaseException) -> str:
    kind = type(exc).__name__
    if kind == "PasswordError":
        return "password"
    return "panic" if kind == "PanicException" else "unreadable"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__


if __name__ == "__main__":
    main()
