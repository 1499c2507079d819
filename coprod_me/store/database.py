"""Opening a database: create or upgrade it through Alembic, copying the file aside first."""

from __future__ import annotations

import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from coprod_me.model.errors import DomainError
from coprod_me.store.engine import make_engine, sqlite_path, url_for_path
from coprod_me.store.session import Store

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


if TYPE_CHECKING:
    from alembic.config import Config

_REVISION = re.compile(r'^(down_)?revision\s*(?::[^=]*)?=\s*[\'"]?([\w]+)?[\'"]?', re.MULTILINE)


class DatabaseError(DomainError):
    pass


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    """The newest migration, read from the scripts' headers.

    Alembic itself costs a tenth of a second to import, on every start-up, only to learn
    that nothing needs upgrading; the revision lines of two small files say as much.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        for down, rev in _REVISION.findall(path.read_text(encoding="utf-8")):
            if rev and rev != "None":
                (parents if down else revisions).add(rev)
    heads = revisions - parents
    if len(heads) != 1:
        raise DatabaseError(f"the migrations in {MIGRATIONS_DIR} have {len(heads)} heads; "
                            "reinstall coprod-me")
    return heads.pop()


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
    if rev is None and _has_tables(engine):
        raise DatabaseError(
            f"{path or engine.url} has tables but no coprod-me schema revision; it is not a "
            "coprod-me database. Choose another file or a new one.")
    from alembic import command
    from alembic.script import ScriptDirectory

    known = {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if rev is not None and rev not in known:
        raise DatabaseError(
            f"{path or engine.url} was written by a newer coprod-me (schema {rev}); "
            "upgrade coprod-me to open it.")
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


def open_store(path: Path | str, *, create: bool = True) -> Store:
    """Open (creating if asked) the database at ``path`` and bring it to the current schema."""
    p = Path(path).expanduser()
    if not p.exists():
        if not create:
            raise DatabaseError(f"{p} does not exist; create it with 'coprod-me demo --db {p}' "
                                "or choose File > New database")
        p.parent.mkdir(parents=True, exist_ok=True)
    elif p.is_dir():
        raise DatabaseError(f"{p} is a folder; give the path of a .sqlite file")
    else:
        with p.open("rb") as fh:
            head = fh.read(16)
        if head and head != b"SQLite format 3\x00":
            raise DatabaseError(f"{p} is not a SQLite database; choose a coprod-me .sqlite file")
    engine = make_engine(url_for_path(p))
    upgrade(engine)
    return Store(engine)


def backup_file(engine: Engine, target: Path) -> Path:
    """A consistent copy through SQLite's online backup API, safe while the app is writing."""
    src_path = sqlite_path(engine)
    if src_path is None:
        raise DatabaseError("backups are available for SQLite database files only")
    target = Path(target).expanduser()
    if target.resolve() == src_path.resolve():
        raise DatabaseError("the backup file must differ from the database itself")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".partial")
    tmp.unlink(missing_ok=True)
    src = sqlite3.connect(str(src_path))
    dst = sqlite3.connect(str(tmp))
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    shutil.move(str(tmp), str(target))  # atomic rename: never a half-written backup
    return target


@dataclass(frozen=True)
class CheckReport:
    integrity: list[str]
    foreign_key_problems: list[str]
    revision: str | None
    head: str

    @property
    def ok(self) -> bool:
        return (self.integrity == ["ok"] and not self.foreign_key_problems
                and self.revision == self.head)


def check(engine: Engine) -> CheckReport:
    integrity: list[str] = []
    fk: list[str] = []
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            integrity = [r[0] for r in conn.execute(text("PRAGMA integrity_check"))]
            for table, rowid, parent, _fkid in conn.execute(text("PRAGMA foreign_key_check")):
                fk.append(f"{table} row {rowid} refers to a missing {parent} row")
    return CheckReport(integrity, fk, current_revision(engine), head_revision())
