"""What can be wrong with a database file, in words a user can act on.

SQLite reports a locked, read-only or damaged file as an error code; ``explain`` turns those
codes into one-line ``DatabaseError``s that name the file and say what to do. The engines of
``store.engine`` raise them in place of the driver's errors, wherever a statement fails.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

from coprod_me.model.errors import DomainError
from coprod_me.store.file_holders import Process, describe, writers


class DatabaseError(DomainError):
    """The database file cannot be used as asked; nothing in it was changed."""


class DatabaseLocked(DatabaseError):
    """Another connection holds the write lock (a write transaction in progress).

    ``holders`` are the processes found writing to the file (or, failing that, holding it
    open); ``waited`` is how long this program waited before giving up, if it did.
    """

    def __init__(self, path: Path, holders: Sequence[Process], waited: float | None = None
                 ) -> None:
        self.path = path
        self.holders = list(holders)
        self.waited = waited
        others = [p for p in self.holders if not p.is_this_process]
        if others:
            who = f"another program is writing to it: {describe(others)}"
        elif self.holders:
            who = "another task of this program is writing to it"
        else:
            who = ("another program is writing to it (not found on this computer: it may run "
                   "as another user or on another computer)")
        self.who = who
        after = f"; still locked after {seconds(waited)}" if waited else ""
        super().__init__(f"{path} is locked: {who}{after}; let it finish or close it, "
                         "then try again")


def seconds(value: float) -> str:
    return f"{round(value, 1):g} s"


class DatabaseReadOnly(DatabaseError):
    pass


class DatabaseDamaged(DatabaseError):
    pass


def read_only_file(path: Path) -> DatabaseReadOnly:
    return DatabaseReadOnly(
        f"{path} is read-only; make it writable, or work on a copy ('coprod-me check' reads "
        "it as it is)")


def read_only_folder(folder: Path, path: Path, *, new: bool = False) -> DatabaseReadOnly:
    if new:
        return DatabaseReadOnly(f"folder {folder} is read-only, so {path.name} cannot be "
                                "created there; choose a folder you can write to")
    return DatabaseReadOnly(
        f"folder {folder} is read-only, and SQLite writes its journal ({path.name}-wal) beside "
        f"{path.name}; make the folder writable, or move the database to a folder you can "
        "write to")


def damaged(path: Path, why: str) -> DatabaseDamaged:
    return DatabaseDamaged(f"{path} is damaged ({why}); restore it from a backup copy")


def explain(exc: BaseException, path: Path | None,
            holders: Sequence[Process] | None = None) -> DatabaseError | None:
    """The user's words for a SQLite error on the file at ``path``; None when it is not
    about the file (a bug, a constraint, a missing table), which stays as it is.

    ``holders`` is asked for only when the file is locked (it scans the processes).
    """
    if not isinstance(exc, sqlite3.Error) or path is None:
        return None
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in str(exc):
        return DatabaseLocked(path, writers(path) if holders is None else holders)
    if name in ("SQLITE_READONLY_ROLLBACK", "SQLITE_READONLY_RECOVERY"):
        return DatabaseError(f"{path} was left mid-write by a program that stopped; open it "
                             f"once for work (for example 'coprod-me list --db {path}') so "
                             "SQLite can finish that, then try again")
    if name.startswith("SQLITE_READONLY"):
        return read_only_file(path)
    if name.startswith("SQLITE_CORRUPT") or name == "SQLITE_NOTADB":
        return damaged(path, f"SQLite: {exc}")
    if name == "SQLITE_FULL":
        return DatabaseError(f"no space left for {path}; free some disk space and try again "
                             "(nothing was saved)")
    if name.startswith("SQLITE_IOERR"):
        return DatabaseError(f"{path} could not be read or written (SQLite: {exc}); check the "
                             "disk, then try again or restore a backup copy")
    if name.startswith("SQLITE_CANTOPEN") or name == "SQLITE_PERM":
        return DatabaseError(f"{path} cannot be opened (SQLite: {exc}); check that you may "
                             "read and write it and its folder")
    return None
