"""Which processes hold a file: open (``/proc/*/fd``) or write-locked (``/proc/locks``).

Used to say who holds a locked database, and to tell a partial file a live writer is
still writing from one a killed run left behind. Linux only: elsewhere nothing is found,
and callers say so (or, for partial files, fall back on the file's age).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
#: SQLite's WAL write lock is this byte of the ``-shm`` file (WAL_WRITE_LOCK in wal.c);
#: in rollback-journal mode a writer holds a write lock on the database file itself
WAL_WRITE_LOCK_BYTE = 120
COMMAND_WIDTH = 80


@dataclass(frozen=True)
class Process:
    pid: int
    command: str

    @property
    def is_this_process(self) -> bool:
        return self.pid == os.getpid()

    def __str__(self) -> str:
        return f"pid {self.pid} ({self.command})"


def describe(processes: Iterable[Process]) -> str:
    return ", ".join(str(p) for p in processes)


def can_see_processes() -> bool:
    return (PROC / "self" / "fd").is_dir()


def command_of(pid: int) -> str:
    """The command line of ``pid``, shortened; its name if the line cannot be read."""
    try:
        raw = (PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        raw = b""
    words = [w for w in raw.decode("utf-8", "replace").split("\0") if w]
    if words:
        words[0] = Path(words[0]).name
        line = " ".join(words)
    else:
        try:
            line = (PROC / str(pid) / "comm").read_text(encoding="utf-8", errors="replace")
        except OSError:
            line = "?"
    line = " ".join(line.split())  # a script given with -c spans lines
    return line if len(line) <= COMMAND_WIDTH else line[:COMMAND_WIDTH - 1] + "…"


def _pids() -> list[int]:
    try:
        return sorted(int(e.name) for e in os.scandir(PROC) if e.name.isdigit())
    except OSError:
        return []


def _opened(wanted: dict[tuple[int, int], Path]) -> dict[Path, list[int]]:
    """For each file of ``wanted`` (by device and inode), the pids that have it open."""
    found: dict[Path, list[int]] = {}
    if not wanted:
        return found
    for pid in _pids():
        try:
            entries = list(os.scandir(PROC / str(pid) / "fd"))
        except OSError:  # gone, or another user's
            continue
        for entry in entries:
            try:
                st = os.stat(entry.path)
            except OSError:
                continue
            path = wanted.get((st.st_dev, st.st_ino))
            if path is not None and pid not in found.setdefault(path, []):
                found[path].append(pid)
    return found


def _by_id(paths: Iterable[Path]) -> dict[tuple[int, int], Path]:
    wanted = {}
    for p in paths:
        try:
            st = os.stat(p)
        except OSError:
            continue
        wanted[(st.st_dev, st.st_ino)] = p
    return wanted


def holding_open(paths: Iterable[Path]) -> list[Process]:
    """The processes (this one included) with any of ``paths`` open, as far as we may see."""
    pids = sorted({pid for found in _opened(_by_id(paths)).values() for pid in found})
    return [Process(pid, command_of(pid)) for pid in pids]


def open_anywhere(paths: Iterable[Path]) -> set[Path]:
    """Those of ``paths`` that some process (this one included) has open."""
    return set(_opened(_by_id(paths)))


def _file_id(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return os.major(st.st_dev), os.minor(st.st_dev), st.st_ino


def _write_lockers(database: Path) -> list[int]:
    """The pids holding SQLite's write lock on ``database``, read from ``/proc/locks``."""
    main, shm = _file_id(database), _file_id(Path(f"{database}-shm"))
    try:
        lines = (PROC / "locks").read_text(encoding="ascii", errors="replace").splitlines()
    except OSError:
        return []
    pids = []
    for line in lines:
        fields = line.split()
        # "1: POSIX  ADVISORY  WRITE 4384 fe:00:2155473 120 120"
        if len(fields) < 8 or fields[3] != "WRITE" or not fields[4].lstrip("-").isdigit():
            continue
        try:
            dev_major, dev_minor, ino = fields[5].split(":")
            file_id = (int(dev_major, 16), int(dev_minor, 16), int(ino))
        except (ValueError, IndexError):
            continue
        start = int(fields[6]) if fields[6].isdigit() else 0
        end = int(fields[7]) if fields[7].isdigit() else 1 << 62  # "EOF"
        pid = int(fields[4])
        if pid <= 0:
            continue
        if file_id == main or (file_id == shm and start <= WAL_WRITE_LOCK_BYTE <= end):
            pids.append(pid)
    return sorted(set(pids))


def writers(database: Path) -> list[Process]:
    """Who is writing to ``database``: the holders of its write lock (this process among
    them, if one of its own connections is the writer) when the system lists them, else the
    other processes that have it open (readers too: one of them is the writer)."""
    lockers = _write_lockers(database)
    if lockers:
        return [Process(pid, command_of(pid)) for pid in lockers]
    return [p for p in holding_open([database, Path(f"{database}-wal")])
            if not p.is_this_process]
