"""python-calamine run where it cannot hurt the app: a child process with a memory limit and
a deadline, reading the very bytes the guard checks.

``open_workbook`` takes a file (or the snapshot ``untrusted.take`` made of it), starts the
reader process (``native_child``) and, while the child opens the workbook, checks the
container here (``untrusted.check_container``): a refusal stops the child. What it returns
reads like python-calamine's workbook (``sheet_names``, ``get_sheet_by_name``; a sheet's
``start``, ``merged_cell_ranges``, ``iter_rows``), and the rows arrive as the child reads
them, so the caller works on one part while the child reads the next.

A child stopped by its memory limit, crashing, or running past ``READ_SECONDS`` becomes one
``UnreadableFile`` line (``sheet_extent`` names the stray far cell when there is one); the
``cancelled`` callback, asked every 50 ms meanwhile, stops it and raises ``Cancelled``.

Why ``python -c`` and not multiprocessing: the GUI has Qt threads (no fork), and spawn
would import the app's main module again in the child; this child imports python-calamine
only and starts in ~30 ms, and as a direct child its peak memory is counted in ours.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, NoReturn

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

from coprod_me.model.errors import Cancelled
from coprod_me.model.progress import IsCancelled, never
from coprod_me.spreadsheets import untrusted
from coprod_me.spreadsheets.native_child import untagged
from coprod_me.spreadsheets.sheet_extent import extent_message, far_cells
from coprod_me.spreadsheets.untrusted import Container, Snapshot, UnreadableFile, mb

#: The reader's address space: the largest workbooks coprod-me accepts read in ~300 MB.
READ_MEMORY_BYTES = 768 * 2**20
#: A read taking longer is stopped (100,000 rows take a second).
READ_SECONDS = 120.0

_ROOT = str(Path(__file__).resolve().parents[2])  # the folder holding coprod_me
_BOOT = ("import sys; sys.path.insert(0, sys.argv[1]); "
         "from coprod_me.spreadsheets.native_child import main; main()")


def open_workbook(file: Path | Snapshot, sheets: Sequence[str], *, keep_first_row: bool = False,
                  cancelled: IsCancelled = never, seconds: float | None = None,
                  watch: Mapping[str, Callable[[bytes], None]] | None = None
                  ) -> NativeWorkbook:
    """A workbook whose ``sheets`` (in this order) the child reads; the container is checked
    meanwhile, ``watch[sheet]`` seeing that sheet's XML as it is unpacked. A blank first row
    is kept as it is with ``keep_first_row`` (the programme workbook's header row); other
    blank rows come as ``[]``, trailing ones not at all."""
    snap = file if isinstance(file, Snapshot) else untrusted.take(file)
    if snap.kind == "csv":
        raise UnreadableFile(f"{snap.name} is a text (CSV) file, not a workbook; programme "
                             "workbooks are .xlsx files (start from 'coprod-me template'), and "
                             "an NGO's CSV is brought in with the import")
    reader = _Reader(snap, list(sheets), keep_first_row, cancelled,
                     READ_SECONDS if seconds is None else seconds)
    try:
        reader.container = untrusted.check_container(snap, sheets, watch)
        _, (names, worksheets) = reader.frame()
    except BaseException:
        reader.close()
        raise
    return NativeWorkbook(reader, names, worksheets)


class NativeWorkbook:
    """The sheets the child reads, in the order asked for."""

    def __init__(self, reader: _Reader, names: list[str], worksheets: list[str]) -> None:
        self._reader = reader
        self.container = reader.container  # what the guard found: the kind, the sheets' parts
        self.sheet_names = names
        self.worksheet_names = worksheets
        present = [s for s in reader.sheets if s in names]
        self._last = present[-1] if present else None
        self._current: NativeSheet | None = None
        self._finalizer = weakref.finalize(self, reader.close)
        if self._last is None:
            self._finish()

    def get_sheet_by_name(self, name: str) -> NativeSheet:
        if self._current is not None:
            self._current.drain()
        while not self._reader.closed:
            tag, value = self._reader.frame()
            if tag == b"S" and value[0] == name:
                self._current = NativeSheet(self, value)
                return self._current
            if tag == b"F":
                self.close()
        raise UnreadableFile(f"{self._reader.snap.name} has no sheet '{name}' to read")

    def _sheet_done(self, name: str) -> None:
        if name == self._last:
            self._finish()

    def _finish(self) -> None:
        self._reader.frame()  # F: the child is done
        self.close()

    def close(self) -> None:
        self._finalizer()

    def __enter__(self) -> NativeWorkbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class NativeSheet:
    """One sheet: where its cells start, its merged ranges, and its rows as they come."""

    def __init__(self, book: NativeWorkbook, header: tuple[Any, ...]) -> None:
        self._book = book
        self.name, start, _end, _height, _width, merged = header
        self.start: tuple[int, int] | None = tuple(start) if start is not None else None
        self.merged_cell_ranges = [(tuple(a), tuple(b)) for a, b in merged]
        self._done = False

    def iter_rows(self) -> Iterator[list[Any]]:
        reader = self._book._reader
        while not self._done:
            tag, value = reader.frame()
            if tag == b"R":
                yield from value
            elif tag == b"D":
                for row in value:
                    yield [untagged(c) for c in row]
            elif tag == b"Z":
                self._done = True
                self._book._sheet_done(self.name)

    def drain(self) -> None:
        for _ in self.iter_rows():
            pass


#: How much the child may write ahead of us: a frame of rows (about a megabyte), so it reads
#: and packs the next rows while we convert these (Linux lets any user set up to 1 MB).
_PIPE_BYTES = 2**20


def _widen(pipe: IO[bytes] | None) -> None:
    """Let the pipe hold ``_PIPE_BYTES`` (Linux; elsewhere it stays as it is)."""
    set_size = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if pipe is None or set_size is None:
        return
    with contextlib.suppress(OSError):  # a lower /proc/sys/fs/pipe-max-size: the default
        fcntl.fcntl(pipe.fileno(), set_size, _PIPE_BYTES)


class _Reader:
    """The child process, its frames, and the watch that stops it."""

    def __init__(self, snap: Snapshot, sheets: list[str], keep_first_row: bool,
                 cancelled: IsCancelled, seconds: float) -> None:
        self.snap, self.sheets, self.seconds = snap, sheets, seconds
        self.container = Container(snap.kind, {})
        self.stopped: str | None = None  # "cancelled" or "timeout" once the watch stops it
        self.closed = False
        self._done = threading.Event()
        self._stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        env = dict(os.environ, RUST_BACKTRACE="0")
        self.proc = subprocess.Popen(
            [sys.executable, "-P", "-c", _BOOT, _ROOT], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=self._stderr, env=env,
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
        _widen(self.proc.stdout)
        request = marshal.dumps({
            "memory": READ_MEMORY_BYTES, "sheets": sheets, "keep_first": keep_first_row,
            "extent": (untrusted.MAX_ROWS, untrusted.MAX_COLUMNS, untrusted.MAX_CELLS)})
        threading.Thread(target=self._feed, args=(request,), name="spreadsheet reader input",
                         daemon=True).start()
        threading.Thread(target=self._watch, args=(cancelled,), name="spreadsheet reader watch",
                         daemon=True).start()

    def _feed(self, request: bytes) -> None:
        stdin = self.proc.stdin
        assert stdin is not None
        try:
            stdin.write(struct.pack("<Q", len(request)) + request)
            stdin.write(struct.pack("<Q", len(self.snap.data)))
            stdin.write(self.snap.data)
            stdin.close()
        except OSError:  # the child ended early (stopped, or crashed): its end says why
            pass

    def _watch(self, cancelled: IsCancelled) -> None:
        deadline = time.monotonic() + self.seconds
        while not self._done.wait(0.05):
            if cancelled():
                self._stop("cancelled")
            elif time.monotonic() > deadline:
                self._stop("timeout")

    def _stop(self, why: str) -> None:
        if self.stopped is None:
            self.stopped = why
        self._done.set()
        self.proc.kill()

    def frame(self) -> tuple[bytes, Any]:
        """The next frame; an error frame, a sheet over the limits or the child's end is
        raised as the file's problem."""
        stdout = self.proc.stdout
        assert stdout is not None
        head = stdout.read(9)
        if len(head) < 9:
            self._ended()
        (n,) = struct.unpack("<Q", head[1:])
        payload = stdout.read(n)
        if len(payload) < n:
            self._ended()
        tag, value = head[:1], marshal.loads(payload)
        if tag == b"E":
            self._failed(*value)
        if tag == b"X":
            self.close()
            raise UnreadableFile(extent_message(self.snap.name, *value))
        return tag, value

    def _failed(self, kind: str, text: str, sheet: str | None) -> NoReturn:
        name = self.snap.name
        self.close()
        if kind == "password":
            raise untrusted.protected(name)
        if kind == "memory":
            raise UnreadableFile(self._memory_message(sheet))
        far = far_cells(self.snap, self.container, sheet)  # calamine refuses some such sheets
        if far is not None:
            raise UnreadableFile(far)
        if sheet is not None:
            raise UnreadableFile(f"{name}, sheet {sheet}, could not be read ({text}); save it "
                                 "again as .xlsx and try again")
        raise UnreadableFile(f"{name} could not be read as a spreadsheet ({text}); open it in "
                             "Excel or LibreOffice, save it as .xlsx and try again")

    def _ended(self) -> NoReturn:
        """The child's output ended before it said it was done."""
        code = self.proc.wait()
        said = self._stderr_tail()
        self.close()
        name = self.snap.name
        if self.stopped == "cancelled":
            raise Cancelled("reading cancelled")
        if self.stopped == "timeout":
            raise UnreadableFile(
                f"{name} took more than {self.seconds:.0f} seconds to read and was stopped (it "
                "may be damaged or built to keep a reader busy); open it in Excel or "
                "LibreOffice, save a copy as .xlsx and try again")
        if code == -getattr(signal, "SIGKILL", 9) or "memory allocation" in said or \
                "MemoryError" in said:
            raise UnreadableFile(self._memory_message(None))
        last = said.strip().splitlines()[-1][:200] if said.strip() else _exit_name(code)
        raise UnreadableFile(f"{name} made the spreadsheet reader fail ({last}); it may be "
                             "damaged: open it in Excel or LibreOffice, save a copy as .xlsx "
                             "and try again")

    def _memory_message(self, sheet: str | None) -> str:
        found = far_cells(self.snap, self.container, sheet)
        if found is not None:
            return found
        return (f"{self.snap.name} needs more than {mb(READ_MEMORY_BYTES)} of memory to read "
                "(it may be damaged or built to exhaust memory); open it in Excel or "
                "LibreOffice, save a copy as .xlsx and try again")

    def _stderr_tail(self) -> str:
        self._stderr.seek(0, os.SEEK_END)
        self._stderr.seek(max(0, self._stderr.tell() - 4096))
        return self._stderr.read().decode("utf-8", "replace")

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self._done.set()
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for pipe in (self.proc.stdout, self.proc.stdin):
            if pipe is not None:
                with contextlib.suppress(OSError):  # the input, if the child never read it
                    pipe.close()
        self._stderr.close()


def _exit_name(code: int) -> str:
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit status {code}"
