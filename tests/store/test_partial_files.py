"""A report or backup killed mid-write leaves a hidden partial file; a later run removes it,
and nothing else: not a user's file, not the partial of a writer still at work."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coprod_me.services import Services
from coprod_me.store import partial_files
from coprod_me.store.partial_files import orphans, partial_file
from tests.builders import small_programme_rows, write
from tests.store.processes import ROOT, StoppedBeforeRename

REPORT = """
from coprod_me.services import Services
s = Services.open(sys.argv[1])
s.reports.write(["T-01"], "2023Q2", sys.argv[2])
"""
BACKUP = """
from coprod_me.services import Services
s = Services.open(sys.argv[1])
s.database.backup(sys.argv[2])
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("partials")
    services = Services.open(folder / "t01.sqlite")
    services.workbooks.load(write(folder / "t01.xlsx", small_programme_rows()))
    services.close()
    return folder / "t01.sqlite"


def coprod_me(*args: str) -> subprocess.CompletedProcess[str]:
    """A later run: a new process, started after the killed one."""
    return subprocess.run([sys.executable, "-m", "coprod_me", *args], capture_output=True,
                          text=True, timeout=300, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def partials(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".partial"))


def users_files(folder: Path) -> dict[str, bytes]:
    """Files a user may have that look a little like ours; none may be touched."""
    files = {
        "report.xlsx.partial": b"the user's own",
        ".report.xlsx.partial": b"hidden, but no random part",
        ".report.ABCDEFGH.xlsx.partial": b"capitals: not what mkstemp draws",
        ".report.abcdefgh.xlsx": b"not .partial",
        "notes.partial": b"plain",
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
        os.utime(folder / name, (0, 0))  # old: age alone must not condemn them
    return files


def test_a_killed_report_leaves_a_partial_that_the_next_report_removes(db: Path, tmp_path: Path):
    out = tmp_path / "report.xlsx"
    theirs = users_files(tmp_path)
    child = StoppedBeforeRename(REPORT, str(db), str(out))
    (left,) = [n for n in partials(tmp_path) if n not in theirs]
    assert left.startswith(".report.") and left.endswith(".xlsx.partial")
    child.kill()
    assert not out.exists() and (tmp_path / left).exists()

    done = coprod_me("report", "-p", "T-01", "-q", "2023Q2", "-o", str(out), "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert out.is_file()
    assert partials(tmp_path) == sorted(n for n in theirs if n.endswith(".partial"))
    assert {n: (tmp_path / n).read_bytes() for n in theirs} == theirs


def test_the_partial_of_a_writer_still_at_work_is_left_alone(db: Path, tmp_path: Path):
    out = tmp_path / "report.xlsx"
    writer = StoppedBeforeRename(REPORT, str(db), str(out))
    try:
        (working,) = partials(tmp_path)
        os.utime(tmp_path / working, (0, 0))  # however old: it is open in a live process
        done = coprod_me("report", "-p", "T-01", "-q", "2023Q2", "-o",
                         str(tmp_path / "other.xlsx"), "--db", str(db))
        assert done.returncode == 0, done.stderr
        assert (tmp_path / working).exists()
    finally:
        writer.kill()


def test_a_killed_backup_leaves_a_partial_that_the_next_backup_removes(db: Path,
                                                                       tmp_path: Path):
    out = tmp_path / "copy.sqlite"
    child = StoppedBeforeRename(BACKUP, str(db), str(out))
    (left,) = partials(tmp_path)
    assert left.startswith(".copy.") and left.endswith(".sqlite.partial")
    child.kill()
    # what an earlier release left under its fixed name, and a user's file of that name
    legacy = tmp_path / "copy.sqlite.partial"
    legacy.write_bytes(db.read_bytes()[:8192])
    os.utime(legacy, (0, 0))
    keep = tmp_path / "other.sqlite.partial"
    keep.write_text("a user's notes", encoding="utf-8")
    os.utime(keep, (0, 0))

    done = coprod_me("backup", "-o", str(out), "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert partials(tmp_path) == ["other.sqlite.partial"]
    assert keep.read_text(encoding="utf-8") == "a user's notes"


def test_where_open_files_cannot_be_seen_only_day_old_partials_go(tmp_path: Path,
                                                                    monkeypatch):
    monkeypatch.setattr(partial_files, "can_see_processes", lambda: False)
    fresh = tmp_path / ".r.abcdefgh.xlsx.partial"
    stale = tmp_path / ".r.ijklmnop.xlsx.partial"
    fresh.write_bytes(b"x")
    stale.write_bytes(b"x")
    two_days = time.time() - 2 * 24 * 3600
    os.utime(stale, (two_days, two_days))
    assert orphans(tmp_path) == [stale]


def test_a_write_that_fails_leaves_nothing_behind(tmp_path: Path):
    target = tmp_path / "out.xlsx"
    with pytest.raises(ZeroDivisionError), partial_file(target) as tmp:
        tmp.write_bytes(b"half")
        _ = 1 / 0
    assert list(tmp_path.iterdir()) == []
    with partial_file(target) as tmp:
        tmp.write_bytes(b"whole")
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]
    assert target.read_bytes() == b"whole"


@pytest.mark.skipif(os.name == "nt", reason="no mode bits")
@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o007, 0o660), (0o077, 0o600)])
def test_what_we_write_has_the_mode_any_new_file_of_the_user_has(db: Path, tmp_path: Path,
                                                                 mask: int, mode: int):
    """mkstemp makes its file private (0600) whatever the umask; a report, a backup and an
    errors workbook, renamed into place from it, get the mode the user's umask gives."""
    out = tmp_path / f"out-{mask:o}"
    out.mkdir()
    bad = out / "ngo.csv"
    bad.write_text("Indicator,Quarter,Value\nNOPE,2024Q1,5\n", encoding="utf-8")
    old = os.umask(mask)
    try:
        for args in (["report", "--programme", "T-01", "--quarter", "2023Q2",
                      "-o", str(out / "report.xlsx")],
                     ["backup", "-o", str(out / "backup.sqlite")],
                     ["import", str(bad), "--programme", "T-01", "--dry-run",
                      "--errors", str(out / "errors.xlsx")]):
            done = coprod_me(*args, "--db", str(db))
            assert done.returncode in (0, 1), done.stderr
    finally:
        os.umask(old)
    written = {p.name: p.stat().st_mode & 0o777 for p in out.iterdir() if p != bad}
    assert written == {"report.xlsx": mode, "backup.sqlite": mode, "errors.xlsx": mode}
