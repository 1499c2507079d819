"""Another program writing to the database: opening waits (saying so once, stoppable), then
names the writer; a write that meets the lock later says the same in one line."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from coprod_me.model.errors import Cancelled
from coprod_me.services import Services
from coprod_me.store import engine as engine_module
from coprod_me.store.database import open_store
from coprod_me.store.errors import DatabaseLocked
from coprod_me.store.file_holders import writers
from tests.store.processes import WriteLockHolder


@pytest.fixture(scope="module")
def closed_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("locks") / "base.sqlite"
    Services.open(path).close()
    return path


@pytest.fixture(params=["wal", "delete"], ids=["write-ahead log", "rollback journal"])
def db(request: pytest.FixtureRequest, tmp_path: Path, closed_database: Path) -> Path:
    """A database in either journal mode (ours are WAL; a copy may come back as rollback)."""
    path = tmp_path / "db.sqlite"
    shutil.copy(closed_database, path)
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA journal_mode={request.param}")
    conn.close()
    return path


def test_the_writer_is_named_by_pid_and_command(db: Path):
    with WriteLockHolder(db) as holder:
        (found,) = writers(db)
        assert found.pid == holder.pid
        assert found.command.startswith("python -c import sqlite3")
        assert "\n" not in found.command


def test_opening_waits_says_so_once_and_opens_when_the_writer_is_done(db: Path):
    said: list[str] = []
    with WriteLockHolder(db) as holder:
        def waiting(message: str) -> None:
            said.append(message)
            holder.release()  # the writer finishes while we wait
        store = open_store(db, wait=60, waiting=waiting)
    store.dispose()
    (message,) = said
    assert message.startswith(f"{db} is locked: another program is writing to it: "
                              f"pid {holder.pid} (python")
    assert message.endswith("; waiting up to 60 s")


def test_opening_gives_up_after_the_limit_naming_the_writer(db: Path):
    before = db.read_bytes()
    with WriteLockHolder(db) as holder, pytest.raises(DatabaseLocked) as info:
        open_store(db, wait=0.5)
    text = str(info.value)
    assert text.startswith(f"{db} is locked: another program is writing to it: "
                           f"pid {holder.pid} (python")
    assert "; still locked after 0.5 s; let it finish or close it, then try again" in text
    assert "\n" not in text
    assert info.value.holders[0].pid == holder.pid
    assert db.read_bytes() == before


def test_without_a_wait_the_lock_is_reported_at_once(db: Path):
    with WriteLockHolder(db) as holder, pytest.raises(DatabaseLocked) as info:
        open_store(db, wait=0)
    assert f"pid {holder.pid}" in str(info.value) and "still locked" not in str(info.value)


def test_the_wait_stops_when_cancelled_and_nothing_is_opened(db: Path):
    with WriteLockHolder(db), pytest.raises(Cancelled) as info:
        open_store(db, wait=60, cancelled=lambda: True)
    assert str(info.value) == f"stopped waiting for {db}; nothing was saved"


def test_a_write_that_meets_the_lock_later_is_refused_in_words(db: Path, monkeypatch):
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 200)  # SQLite's own wait, shortened
    services = Services.open(db)
    services.programmes.create("A-01", "Before the other program")
    with WriteLockHolder(db) as holder, pytest.raises(DatabaseLocked) as info:
        services.programmes.create("B-02", "While it writes")
    assert str(info.value).startswith(f"{db.resolve()} is locked: another program is writing "
                                      f"to it: pid {holder.pid} (python")
    assert [s.code for s in services.programmes.summaries()] == ["A-01"]
    services.close()


def test_a_read_only_open_does_not_wait_for_a_writer(db: Path):
    with WriteLockHolder(db):
        store = open_store(db, read_only=True, create=False, wait=0)
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM programme").scalar() == 0
        store.dispose()
