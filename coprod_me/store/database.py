"""Opening a database: the file looked at first (never changed by that), the write lock
waited for, then the schema created or upgraded through Alembic (the file copied aside first).
Backups and checks of the file.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, cast

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from coprod_me.model.errors import Cancelled
from coprod_me.model.progress import IsCancelled, never
from coprod_me.store import plain_reads
from coprod_me.store.database_file import (
    LOCK_LOOK,
    LOCK_WAIT,
    DatabaseFile,
    examine,
    schema_of,
    write_lock_free,
)
from coprod_me.store.engine import make_engine, read_only_url, sqlite_path, url_for_path
from coprod_me.store.errors import DatabaseError, DatabaseLocked, seconds
from coprod_me.store.file_holders import writers
from coprod_me.store.partial_files import abandoned, partial_file, remove
from coprod_me.store.plain_reads import head_revision, known_revisions
from coprod_me.store.session import Store

__all__ = ["DatabaseError", "DatabaseLocked", "open_store"]

if TYPE_CHECKING:
    from alembic.config import Config



def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(plain_reads.MIGRATIONS_DIR))
    return cfg


def refuse_foreign(path: Path | str, revision: str | None, has_tables: bool) -> None:
    """Refuse a SQLite file that is not ours, or ours from a newer release."""
    if revision is None and has_tables:
        raise DatabaseError(
            f"{path} has tables but no coprod-me schema revision; it is not a "
            "coprod-me database. Choose another file or a new one.")
    if revision is not None and revision not in known_revisions()[0]:
        raise DatabaseError(
            f"{path} was written by a newer coprod-me (schema {revision}); "
            "upgrade coprod-me to open it.")


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        try:
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        except DBAPIError:
            return None  # no alembic_version table: a new or foreign database
        return None if row is None else str(row[0])


def _has_tables(engine: Engine) -> bool:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            n = conn.execute(text("SELECT count(*) FROM sqlite_master WHERE type='table'")).scalar()
            return bool(n)
        return True


def upgrade(engine: Engine) -> Path | None:
    """Bring the schema to the head revision. Returns the pre-upgrade copy, if one was made."""
    rev = current_revision(engine)
    head = head_revision()
    if rev == head:
        return None
    path = sqlite_path(engine)
    refuse_foreign(path or str(engine.url), rev, rev is not None or _has_tables(engine))
    from alembic import command

    backup_path = None
    if rev is not None and path is not None and path.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        backup_path = path.with_name(f"{path.stem}.v{rev}.{stamp}{path.suffix or '.sqlite'}")
        backup_file(engine, backup_path)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return backup_path


def open_store(path: Path | str, *, create: bool = True, make_folder: bool = False,
               read_only: bool = False, wait: float = LOCK_WAIT,
               waiting: Callable[[str], None] | None = None,
               cancelled: IsCancelled = never) -> Store:
    """Open the database at ``path`` and bring it to the current schema.

    A missing file is created when ``create`` is set, in a missing folder only when
    ``make_folder`` is. ``read_only`` opens it as it is: never created, upgraded or written.
    When another program is writing to it, opening waits up to ``wait`` seconds, saying so
    once through ``waiting`` and stopping when ``cancelled``; then ``DatabaseLocked`` names
    the writers. Any refusal leaves the file as it was.
    """
    p = Path(path).expanduser()
    started = time.monotonic()
    told = False
    while True:
        look = max(0.0, min(LOCK_LOOK, wait - (time.monotonic() - started)))
        try:
            return _open(p, create=create, make_folder=make_folder, read_only=read_only,
                         look=look)
        except DatabaseLocked as exc:
            waited = time.monotonic() - started
            if waited >= wait:
                raise DatabaseLocked(exc.path, exc.holders, waited if wait else None) from None
            if not told and waiting is not None:
                waiting(f"{exc.path} is locked: {exc.who}; waiting up to {seconds(wait)}")
                told = True
            if cancelled():
                raise Cancelled(f"stopped waiting for {exc.path}") from None


def _open(p: Path, *, create: bool, make_folder: bool, read_only: bool, look: float
          ) -> Store:
    file: DatabaseFile = examine(p, create=create, make_folder=make_folder,
                                 write=not read_only)
    if file.exists:
        refuse_foreign(p, *schema_of(file, look))
    if read_only:
        return Store(make_engine(read_only_url(p, immutable=file.quiet_wal), read_only=True))
    if not file.exists:
        p.parent.mkdir(parents=True, exist_ok=True)
    elif not write_lock_free(p, look):
        raise DatabaseLocked(p, writers(p))
    engine = make_engine(url_for_path(p))
    try:
        upgrade(engine)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine)


def backup_file(engine: Engine, target: Path) -> Path:
    """A consistent copy through SQLite's online backup API, safe while the app is writing,
    made beside ``target`` and renamed over it when whole."""
    src_path = sqlite_path(engine)
    if src_path is None:
        raise DatabaseError("backups are available for SQLite database files only")
    target = Path(target).expanduser()
    if target.resolve() == src_path.resolve():
        raise DatabaseError("the backup file must differ from the database itself")
    if not target.parent.is_dir():
        raise DatabaseError(f"folder {target.parent} does not exist; create it first")
    # the partial an earlier release left under this fixed name, when it is one
    remove(p for p in abandoned([target.with_name(target.name + ".partial")])
           if _is_sqlite(p))
    with partial_file(target) as tmp:
        dst = sqlite3.connect(str(tmp))
        try:
            with engine.connect() as conn:
                cast(sqlite3.Connection, conn.connection.driver_connection).backup(dst)
        finally:
            dst.close()
    return target


def _is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


@dataclass(frozen=True)
class CheckReport:
    integrity: list[str]
    foreign_key_problems: list[str]
    revision: str | None
    head: str

    @property
    def upgrade_due(self) -> bool:
        """An older schema: upgraded (after a copy) the next time the file is opened for work."""
        return self.revision is not None and self.revision != self.head

    @property
    def ok(self) -> bool:
        return (self.integrity == ["ok"] and not self.foreign_key_problems
                and self.revision is not None)


def check(engine: Engine) -> CheckReport:
    """Integrity, foreign keys and schema revision, read without writing anything (open the
    engine read-only: ``open_store(path, read_only=True)``)."""
    integrity: list[str] = []
    fk: list[str] = []
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            integrity = [r[0] for r in conn.execute(text("PRAGMA integrity_check"))]
            for table, rowid, parent, _fkid in conn.execute(text("PRAGMA foreign_key_check")):
                fk.append(f"{table} row {rowid} refers to a missing {parent} row")
    return CheckReport(integrity, fk, current_revision(engine), head_revision())
