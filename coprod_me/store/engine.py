"""Engines with the pragmas a desktop SQLite store needs, and errors in the user's words."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL

from coprod_me.store.errors import explain

#: how long a statement waits for another connection's write to end before it fails
BUSY_TIMEOUT_MS = 5000


def url_for_path(path: Path | str) -> str:
    return f"sqlite:///{Path(path).expanduser().resolve()}"


def read_only_url(path: Path, *, immutable: bool) -> URL:
    """A SQLite URI that can never write to the file (nor create it).

    ``immutable`` also promises SQLite that nobody else writes it, which spares a WAL
    database the ``-wal`` and ``-shm`` files a read-only reader would otherwise leave
    beside it; only right when no ``-wal`` file exists, that is, no connection is open.
    """
    mode = {"immutable": "1"} if immutable else {"mode": "ro"}
    return URL.create("sqlite", database="file:" + quote(str(Path(path).resolve())),
                      query={**mode, "uri": "true"})


def make_engine(url: str | URL, *, read_only: bool = False, **kwargs: Any) -> Engine:
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        path = sqlite_path(engine)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")  # SQLite ships with FK checks off
            cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            if not read_only:
                cur.execute("PRAGMA journal_mode=WAL")  # the GUI reads while a worker writes
                cur.execute("PRAGMA synchronous=NORMAL")  # safe with WAL, much faster commits
            cur.close()

        @event.listens_for(engine, "handle_error")
        def _in_words(context: Any) -> None:
            problem = explain(context.original_exception, path)
            if problem is not None:
                raise problem from context.original_exception

    return engine


def sqlite_path(engine: Engine) -> Path | None:
    if engine.dialect.name != "sqlite":
        return None
    db = engine.url.database
    if not db or db == ":memory:" or db.startswith("file::memory:"):
        return None
    if db.startswith("file:"):
        return Path(unquote(db.removeprefix("file:")))
    return Path(db)
