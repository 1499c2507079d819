"""The database file looked at before it is opened: nothing here creates or changes it.

``examine`` refuses what cannot be a database to work on (a folder, a missing folder, a file
that is not SQLite, empty or cut short, a read-only file or folder) with a one-line message;
``schema_of`` reads the schema revision through a read-only connection; ``write_lock_free``
asks SQLite whether a write could begin now.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn
from urllib.parse import quote

from coprod_me.store.errors import (
    DatabaseError,
    damaged,
    explain,
    read_only_file,
    read_only_folder,
)

SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100
WAL_MODE = 2  # header bytes 18 and 19: 1 rollback journal, 2 write-ahead log
#: how long opening waits for another program's write to end, unless told otherwise
LOCK_WAIT = 5.0
#: the pace of that wait: each look at the lock waits this long for it
LOCK_LOOK = 0.25


@dataclass(frozen=True)
class DatabaseFile:
    path: Path
    exists: bool
    #: a WAL database that no connection has open (no ``-wal`` file beside it): read as
    #: immutable, so that reading it leaves no ``-wal``/``-shm`` behind
    quiet_wal: bool = False


def writable(path: Path) -> bool:
    """Write permission, and at least one write bit: a file or folder made read-only
    (``chmod a-w``) stays read-only even for the administrator, who may write anything."""
    try:
        st = path.stat()
    except OSError:
        return False
    return os.access(path, os.W_OK) and bool(st.st_mode & 0o222)


def _side_file(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _in_progress(path: Path) -> bool:
    """A journal beside the file: a write in progress, or one a stopped program left for
    SQLite to finish; the header's page count may run ahead of the file until then."""
    for suffix in ("-wal", "-journal"):
        try:
            if _side_file(path, suffix).stat().st_size > 0:
                return True
        except OSError:
            continue
    return False


def _missing(path: Path, *, create: bool, make_folder: bool) -> DatabaseFile:
    if path.is_symlink():
        raise DatabaseError(f"{path} is a link to {os.readlink(path)}, which does not exist; "
                            "give the path of the database itself")
    if not create:
        raise DatabaseError(f"{path} does not exist; create it with 'coprod-me demo --db "
                            f"{path}' or choose File > New database")
    folder = path.parent
    if not folder.exists():
        if not make_folder:
            raise DatabaseError(f"folder {folder} does not exist; check the path, or add "
                                "--create to make it")
        existing = next(p for p in folder.parents if p.exists())
        if not writable(existing):
            raise read_only_folder(existing, path, new=True)
    elif not folder.is_dir():
        raise DatabaseError(f"{folder} is a file, not a folder; give the path of a .sqlite "
                            "file in a folder")
    elif not writable(folder):
        raise read_only_folder(folder, path, new=True)
    return DatabaseFile(path, exists=False)


def _header(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(HEADER_SIZE)
    except PermissionError:
        raise DatabaseError(f"{path} cannot be read (permission denied); ask its owner for "
                            "access, or choose another file") from None
    except OSError as exc:
        raise DatabaseError(f"{path} cannot be read ({exc.strerror}); check the disk, or "
                            "choose another file") from None


def _check_header(path: Path, head: bytes, size: int) -> None:
    if not head:
        raise DatabaseError(f"{path} is empty, not a database; delete it or choose another "
                            "name")
    if head[:16] != SQLITE_MAGIC:
        raise DatabaseError(f"{path} is not a SQLite database; choose a coprod-me .sqlite "
                            "file")
    if len(head) < HEADER_SIZE:
        raise damaged(path, f"truncated: {size} bytes")
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    count_valid = head[24:28] == head[92:96]  # the in-header size is kept up to date
    if count_valid and size < pages * page_size and not _in_progress(path):
        raise damaged(path, f"truncated: {size} of {pages * page_size} bytes")


def examine(path: Path, *, create: bool, make_folder: bool, write: bool) -> DatabaseFile:
    """What is at ``path``, refused with a one-line ``DatabaseError`` unless it is a SQLite
    file to open (for writing, if ``write``) or, with ``create``, a place to make one."""
    if path.is_dir():
        raise DatabaseError(f"{path} is a folder; give the path of a .sqlite file")
    if not path.exists():
        return _missing(path, create=create, make_folder=make_folder)
    if not path.is_file():
        raise DatabaseError(f"{path} is not a regular file; give the path of a coprod-me "
                            ".sqlite file")
    head = _header(path)
    _check_header(path, head, path.stat().st_size)
    if write:
        if not writable(path):
            raise read_only_file(path)
        if not writable(path.parent):
            raise read_only_folder(path.parent, path)
    quiet_wal = head[18] == WAL_MODE and not _side_file(path, "-wal").exists()
    return DatabaseFile(path, exists=True, quiet_wal=quiet_wal)


def _fail(exc: sqlite3.Error, path: Path) -> NoReturn:
    problem = explain(exc, path)
    if problem is None:
        raise exc
    raise problem from exc


def read_only_uri(file: DatabaseFile) -> str:
    """A SQLite URI for reading ``file`` without ever writing to it or beside it."""
    query = "immutable=1" if file.quiet_wal else "mode=ro"
    return f"file:{quote(str(file.path.resolve()))}?{query}"


def schema_of(file: DatabaseFile, timeout: float) -> tuple[str | None, bool]:
    """The schema revision (None if there is none) and whether the file has any tables."""
    try:
        conn = sqlite3.connect(read_only_uri(file), uri=True, timeout=timeout)
    except sqlite3.Error as exc:
        _fail(exc, file.path)
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        revision = None
        if "alembic_version" in names:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = None if row is None else str(row[0])
        return revision, bool(names)
    except sqlite3.Error as exc:
        _fail(exc, file.path)
    finally:
        conn.close()


def write_lock_free(path: Path, timeout: float) -> bool:
    """Whether a write transaction could begin within ``timeout`` seconds: SQLite's write
    lock is taken and given back at once, nothing written."""
    try:
        conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=rw", uri=True,
                               timeout=timeout, isolation_level=None)
    except sqlite3.Error as exc:
        _fail(exc, path)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as exc:
        if getattr(exc, "sqlite_errorname", "").startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            return False
        _fail(exc, path)
    finally:
        conn.close()
