"""A database file is looked at before it is opened: whatever is wrong with it is refused in
one line that says what to do, and the file (and its folder) is left byte for byte as it was.
Read-only opening (``check``, ``backup``) never writes, creates or upgrades."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from coprod_me.services import Services
from coprod_me.store.database import DatabaseError, check, head_revision, open_store
from coprod_me.store.errors import DatabaseDamaged, DatabaseReadOnly
from tests.builders import small_programme_rows, write

SCHEMAS = Path(__file__).resolve().parent.parent / "fixtures" / "schemas"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in ``folder`` (hidden ones too) with its bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def current(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed database of the current schema holding T-01."""
    folder = tmp_path_factory.mktemp("current")
    services = Services.open(folder / "t01.sqlite")
    services.workbooks.load(write(folder / "t01.xlsx", small_programme_rows()))
    services.close()
    return folder / "t01.sqlite"


def _garbage(folder: Path, _current: Path) -> Path:
    path = folder / "garbage.sqlite"
    path.write_bytes(bytes(range(256)) * 20)
    return path


def _truncated(folder: Path, current: Path) -> Path:
    path = folder / "cut.sqlite"
    path.write_bytes(current.read_bytes()[:3 * 4096])
    return path


def _empty(folder: Path, _current: Path) -> Path:
    path = folder / "empty.sqlite"
    path.touch()
    return path


def _text(folder: Path, _current: Path) -> Path:
    path = folder / "notes.txt"
    path.write_text("minutes of the steering group\n", encoding="utf-8")
    return path


def _foreign(folder: Path, _current: Path) -> Path:
    path = folder / "other-app.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
    return path


def _newer(folder: Path, current: Path) -> Path:
    path = folder / "newer.sqlite"
    shutil.copy(current, path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    return path


def _a_folder(folder: Path, _current: Path) -> Path:
    path = folder / "data.sqlite"
    path.mkdir()
    return path


def _fifo(folder: Path, _current: Path) -> Path:
    path = folder / "pipe.sqlite"
    os.mkfifo(path)
    return path


def _dangling_link(folder: Path, _current: Path) -> Path:
    path = folder / "link.sqlite"
    path.symlink_to(folder / "gone.sqlite")
    return path


Make = Callable[[Path, Path], Path]
REFUSED: list[tuple[str, Make, str]] = [
    ("garbage", _garbage, "is not a SQLite database; choose a coprod-me .sqlite file"),
    ("truncated", _truncated, "is damaged (truncated: 12288 of "),
    ("empty", _empty, "is empty, not a database; delete it or choose another name"),
    ("text", _text, "is not a SQLite database"),
    ("foreign", _foreign, "has tables but no coprod-me schema revision; it is not a coprod-me "
                          "database"),
    ("newer", _newer, "was written by a newer coprod-me (schema 9999); upgrade coprod-me"),
    ("folder", _a_folder, "is a folder; give the path of a .sqlite file"),
    ("fifo", _fifo, "is not a regular file"),
    ("dangling link", _dangling_link, "which does not exist; give the path of the database"),
]


@pytest.mark.parametrize("read_only", [False, True], ids=["open", "read-only"])
@pytest.mark.parametrize(("name", "make", "message"), REFUSED, ids=[c[0] for c in REFUSED])
def test_what_is_not_a_database_to_open_is_refused_in_one_line_and_left_as_it_was(
        tmp_path: Path, current: Path, name: str, make: Make, message: str, read_only: bool):
    folder = tmp_path / "files"
    folder.mkdir()
    path = make(folder, current)
    before = snapshot(folder)
    with pytest.raises(DatabaseError) as info:
        open_store(path, read_only=read_only, create=not read_only)
    text = str(info.value)
    assert message in text and str(path) in text
    assert "\n" not in text
    assert snapshot(folder) == before, f"{name}: the folder changed"


def test_a_truncated_file_and_a_damaged_page_are_called_damaged(tmp_path: Path, current: Path):
    cut = _truncated(tmp_path, current)
    with pytest.raises(DatabaseDamaged):
        open_store(cut)
    # a page of the schema overwritten: SQLite's own words, in ours
    bad = tmp_path / "bad.sqlite"
    data = bytearray(current.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)
    bad.write_bytes(bytes(data))
    before = bad.read_bytes()
    with pytest.raises(DatabaseDamaged) as info:
        open_store(bad)
    assert str(info.value).startswith(f"{bad} is damaged (SQLite: ")
    assert str(info.value).endswith("restore it from a backup copy")
    assert bad.read_bytes() == before


def test_a_missing_folder_is_named_and_made_only_when_asked(tmp_path: Path):
    path = tmp_path / "typo" / "deeper" / "m.sqlite"
    with pytest.raises(DatabaseError) as info:
        open_store(path)
    assert str(info.value) == (f"folder {path.parent} does not exist; check the path, or add "
                               "--create to make it")
    assert not (tmp_path / "typo").exists()
    open_store(path, make_folder=True).dispose()
    assert path.is_file()


def test_a_missing_file_is_created_only_when_asked(tmp_path: Path):
    path = tmp_path / "m.sqlite"
    with pytest.raises(DatabaseError, match="does not exist"):
        open_store(path, create=False)
    with pytest.raises(DatabaseError, match="does not exist"):
        open_store(path, read_only=True, create=False)
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def read_only(tmp_path: Path):
    """Makes files and folders read-only for the test, and writable again after it."""
    made: list[Path] = []

    def chmod(path: Path) -> Path:
        path.chmod(0o555 if path.is_dir() else 0o444)
        made.append(path)
        return path
    yield chmod
    for path in made:
        path.chmod(0o755 if path.is_dir() else 0o644)


def test_a_read_only_file_is_refused_for_work_and_read_for_a_check(tmp_path: Path,
                                                                   current: Path, read_only):
    path = tmp_path / "ro.sqlite"
    shutil.copy(current, path)
    read_only(path)
    before = snapshot(tmp_path)
    with pytest.raises(DatabaseReadOnly) as info:
        open_store(path)
    assert str(info.value) == (f"{path} is read-only; make it writable, or work on a copy "
                               "('coprod-me check' reads it as it is)")
    store = open_store(path, read_only=True, create=False)
    assert check(store.engine).ok
    store.dispose()
    assert snapshot(tmp_path) == before


def test_a_read_only_folder_is_refused_for_work_and_read_for_a_check(tmp_path: Path,
                                                                     current: Path, read_only):
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "db.sqlite"
    shutil.copy(current, path)
    read_only(folder)
    before = snapshot(folder)
    with pytest.raises(DatabaseReadOnly) as info:
        open_store(path)
    assert str(info.value).startswith(f"folder {folder} is read-only, and SQLite writes its "
                                      "journal (db.sqlite-wal) beside db.sqlite")
    with pytest.raises(DatabaseReadOnly, match="cannot be created there; choose a folder you"):
        open_store(folder / "new.sqlite")
    store = open_store(path, read_only=True, create=False)
    assert check(store.engine).ok
    store.dispose()
    assert snapshot(folder) == before


#: The newest stored database: written at the head revision, so nothing is due for it.
NEWEST = sorted(p.stem for p in SCHEMAS.glob("*.sqlite"))[-1]


@pytest.mark.parametrize("which", ["current", "0001", NEWEST])
def test_a_read_only_open_and_check_leave_the_file_byte_identical(tmp_path: Path, current: Path,
                                                                 which: str):
    path = tmp_path / "db.sqlite"
    shutil.copy(current if which == "current" else SCHEMAS / f"{which}.sqlite", path)
    before = snapshot(tmp_path)
    store = open_store(path, read_only=True, create=False)
    report = check(store.engine)
    store.dispose()
    assert report.ok and report.integrity == ["ok"]
    assert report.revision == (head_revision() if which != "0001" else "0001")
    assert report.upgrade_due is (which == "0001")
    assert snapshot(tmp_path) == before  # no -wal, no -shm, no upgrade copy


def test_a_check_while_the_app_has_the_database_open_changes_nothing(tmp_path: Path,
                                                                     current: Path):
    path = tmp_path / "db.sqlite"
    shutil.copy(current, path)
    app = Services.open(path)
    app.programmes.create("N-02", "Open in the app")  # its -wal holds this, not checkpointed
    before = path.read_bytes()
    store = open_store(path, read_only=True, create=False)
    with store.engine.connect() as conn:
        codes = sorted(r[0] for r in conn.exec_driver_sql("SELECT code FROM programme"))
    assert check(store.engine).ok
    store.dispose()
    assert codes == ["N-02", "T-01"]  # read through the app's -wal
    assert path.read_bytes() == before
    app.close()
