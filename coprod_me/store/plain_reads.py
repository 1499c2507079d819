"""A database file read with nothing but ``sqlite3``, for the small read-only commands.

``coprod-me list`` and ``gates`` read a few rows; SQLAlchemy, the SQLModel tables and Alembic
cost them ten times what the query does. When the file is a coprod-me database already at the
current schema, ``plain_reader`` opens it read-only with the standard library alone (the
file is left byte for byte as it was); anything else (no file yet, an older schema, a file
that is not a database, a lock) returns None, and the command opens the store the usual way,
which creates, upgrades, waits or refuses with its one-line messages.

Nothing here imports SQLAlchemy; ``head_revision`` reads the migrations' own headers.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from coprod_me.model.errors import DomainError
from coprod_me.store.database_file import examine, read_only_uri, schema_of
from coprod_me.store.errors import DatabaseError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_REVISION = re.compile(r'^(down_)?revision\s*(?::[^=]*)?=\s*[\'"]?([\w]+)?[\'"]?', re.MULTILINE)


def head_revision() -> str:
    """The newest migration, read from the scripts' headers.

    Alembic itself costs a tenth of a second to import, on every start-up, only to learn
    that nothing needs upgrading; the revision lines of two small files say as much.
    """
    revisions, parents = known_revisions()
    heads = revisions - parents
    if len(heads) != 1:
        raise DatabaseError(f"the migrations in {MIGRATIONS_DIR} have {len(heads)} heads; "
                            "reinstall coprod-me")
    return heads.pop()


def known_revisions() -> tuple[set[str], set[str]]:
    """Every revision of the migrations, and those that have a successor."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        for down, rev in _REVISION.findall(path.read_text(encoding="utf-8")):
            if rev and rev != "None":
                (parents if down else revisions).add(rev)
    return revisions, parents


def plain_reader(path: Path, *, look: float) -> sqlite3.Connection | None:
    """A read-only ``sqlite3`` connection to the coprod-me database at ``path``, if it is one
    at the current schema; None when the store must open it the usual way."""
    try:
        file = examine(path, create=False, make_folder=False, write=False)
        if not file.exists or schema_of(file, look)[0] != head_revision():
            return None
        conn = sqlite3.connect(read_only_uri(file), uri=True, timeout=look)
    except (DomainError, sqlite3.Error):
        return None  # the usual way says what is wrong, in its words
    conn.execute("PRAGMA query_only = ON")
    return conn
