"""The command line: exit codes, --json, and the same services as the GUI."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from coprod_me.cli import main
from tests.builders import small_programme_rows, write


def _json(capsys: pytest.CaptureFixture[str]) -> object:
    return json.loads(capsys.readouterr().out)


def test_load_list_gates_export_backup_check(tmp_path: Path, capsys):
    db = str(tmp_path / "cli.sqlite")
    book = write(tmp_path / "p.xlsx", small_programme_rows())
    assert main(["load", str(book), "--db", db, "--json"]) == 0
    loaded = _json(capsys)
    assert loaded["sheets"]["Observations"] == {"created": 4, "updated": 0, "unchanged": 0}
    assert main(["load", str(book), "--db", db, "--json"]) == 0
    assert _json(capsys)["totals"]["created"] == 0

    assert main(["list", "--db", db, "--json"]) == 0
    (prog,) = _json(capsys)
    assert (prog["code"], prog["indicators"], prog["observations"]) == ("T-01", 3, 4)

    assert main(["gates", "T-01", "--db", db, "--json"]) == 0
    gates = _json(capsys)
    assert gates["all_met"] is True and len(gates["gates"]) == 5

    out = tmp_path / "export.xlsx"
    assert main(["export-programme", "T-01", "-o", str(out), "--db", db]) == 0
    assert "Observations" in openpyxl.load_workbook(out, read_only=True).sheetnames

    backup = tmp_path / "backup.sqlite"
    assert main(["backup", "-o", str(backup), "--db", db]) == 0
    assert "backed up" in capsys.readouterr().out
    assert main(["check", "--db", str(backup), "--json"]) == 0
    report = _json(capsys)
    assert report["ok"] and report["integrity"] == ["ok"]
    assert report["schema_revision"] == report["head_revision"]


def test_a_domain_error_exits_1_with_the_message_on_stderr(tmp_path: Path, capsys):
    db = str(tmp_path / "cli.sqlite")
    assert main(["gates", "NOPE", "--db", db]) == 1
    err = capsys.readouterr().err
    assert "no programme with code 'NOPE'" in err
    assert main(["export-programme", "NOPE", "-o", str(tmp_path / "x.xlsx"), "--db", db]) == 1
    assert main(["check", "--db", str(tmp_path / "missing.sqlite")]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_misuse_exits_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["load"])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main(["frobnicate"])
    assert info.value.code == 2
    assert main([]) == 2


def test_template_is_a_loadable_empty_workbook(tmp_path: Path, capsys):
    out = tmp_path / "template.xlsx"
    assert main(["template", "-o", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "README" and "Indicators" in wb.sheetnames
    ws = wb["Indicators"]
    assert ws.freeze_panes == "A2"
    assert any("result_level" in str(dv.sqref) or dv.formula1 for dv in
               ws.data_validations.dataValidation)
    assert main(["load", str(out), "--db", str(tmp_path / "t.sqlite"), "--json"]) == 0
    assert _json(capsys)["totals"] == {"created": 0, "updated": 0, "unchanged": 0}


def test_the_entry_point_runs_commands_without_loading_qt(tmp_path: Path):
    code = ("import sys; from coprod_me.__main__ import main; "
            f"rc = main(['list', '--db', {str(tmp_path / 'e.sqlite')!r}]); "
            "print('qt loaded' if 'PySide6' in sys.modules else 'no qt', rc)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert "no programmes yet" in out
    assert out.strip().endswith("no qt 0")


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path):
    import subprocess
    import sys

    db = tmp_path / "x.sqlite"
    assert main(["demo", "--db", str(db)]) == 0
    cmd = (f"{sys.executable} -m coprod_me flags --db {db} --all-quarters --json | head -c 100")
    out = subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in out.stderr and "BrokenPipe" not in out.stderr
    assert out.stdout.startswith("[")


def test_every_command_is_declared_once_with_the_database_it_needs():
    from coprod_me.cli import build_parser, command_modules
    from coprod_me.commands import DATABASE, EXISTING, NONE

    declared = [name for m in command_modules() for name in m.COMMANDS]
    assert len(declared) == len(set(declared)), "a command declared by two modules"
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert list(sub.choices) == declared
    needs = {name: need for m in command_modules() for name, need in m.COMMANDS.items()}
    assert set(needs.values()) <= {DATABASE, EXISTING, NONE}
    assert (needs["check"], needs["template"]) == (EXISTING, NONE)


def test_template_needs_no_database_and_check_never_creates_one(tmp_path: Path, capsys):
    db = tmp_path / "never.sqlite"
    assert main(["template", "-o", str(tmp_path / "t.xlsx"), "--db", str(db)]) == 0
    assert main(["check", "--db", str(db)]) == 1
    assert not db.exists()


# ------------------------------------------------------------------ global options

def _default_db() -> Path:
    from coprod_me.paths import default_database_path

    return default_database_path()


@pytest.fixture
def t01(tmp_path: Path) -> Path:
    """A database holding T-01, loaded with the options after the command (as before)."""
    db = tmp_path / "t01.sqlite"
    assert main(["load", str(write(tmp_path / "t01.xlsx", small_programme_rows())),
                 "--db", str(db)]) == 0
    return db


def test_options_before_the_command_count_for_the_programme_commands(t01: Path, tmp_path,
                                                                    capsys):
    capsys.readouterr()
    db = str(t01)
    assert main(["--db", db, "--json", "list"]) == 0
    assert [p["code"] for p in _json(capsys)] == ["T-01"]
    assert main(["--json", "--db", db, "gates", "T-01"]) == 0
    assert _json(capsys)["programme"] == "T-01"
    book = write(tmp_path / "again.xlsx", small_programme_rows())
    assert main(["--db", db, "--json", "load", str(book)]) == 0
    assert _json(capsys)["totals"]["created"] == 0
    out = tmp_path / "export.xlsx"
    assert main(["--db", db, "--json", "export-programme", "T-01", "-o", str(out)]) == 0
    assert _json(capsys)["file"] == str(out)
    assert main(["--json", "template", "-o", str(tmp_path / "template.xlsx")]) == 0
    assert "file" in _json(capsys)
    assert not _default_db().exists(), "the default database was opened instead"


def test_options_before_the_command_count_for_check_and_backup(t01: Path, tmp_path, capsys):
    capsys.readouterr()
    assert main(["--db", str(t01), "--json", "check"]) == 0
    assert _json(capsys)["database"] == str(t01)
    out = tmp_path / "copy.sqlite"
    assert main(["--db", str(t01), "--json", "backup", "-o", str(out)]) == 0
    assert _json(capsys) == {"file": str(out)}
    # the case: an existing file named before 'check', the default one missing
    assert main(["--db", str(tmp_path / "missing.sqlite"), "check"]) == 1
    assert "missing.sqlite does not exist" in capsys.readouterr().err
    assert not _default_db().exists()


def test_options_before_the_command_count_for_flags_imports_and_reports(t01: Path, tmp_path,
                                                                       capsys):
    from tests import ngo_files as nf

    capsys.readouterr()
    db = str(t01)
    assert main(["--db", db, "--json", "flags", "--all-quarters"]) == 0
    assert isinstance(_json(capsys), list)
    clean = nf.wide_indicators_csv_bom(tmp_path / "i.csv")
    assert main(["--db", db, "--json", "import", str(clean), "-p", "T-01", "--dry-run"]) == 0
    assert _json(capsys)["batch"] is None
    assert main(["--db", db, "--json", "undo-import", "999"]) == 1
    capsys.readouterr()
    report = tmp_path / "r.xlsx"
    assert main(["--db", db, "--json", "report", "-p", "T-01", "-q", "2023Q2", "-o",
                 str(report)]) == 0
    assert _json(capsys)["file"] == str(report)
    assert not _default_db().exists()


def test_an_option_given_on_both_sides_takes_the_later(t01: Path, tmp_path, capsys):
    capsys.readouterr()
    assert main(["--db", str(tmp_path / "first.sqlite"), "list", "--db", str(t01),
                 "--json"]) == 0
    assert [p["code"] for p in _json(capsys)] == ["T-01"]
    assert not (tmp_path / "first.sqlite").exists()


# ------------------------------------------------------------ the database refused

def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Exit 1 with one line on stderr and nothing on stdout; returns the line."""
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("coprod-me: "), captured.err
    assert "Traceback" not in captured.err
    return lines[0]


@pytest.mark.parametrize("command", [["list"], ["demo"], ["check"], ["flags"]])
def test_a_file_that_is_not_a_database_is_refused_and_left_as_it_was(tmp_path: Path, capsys,
                                                                     command: list[str]):
    cases = {"garbage.sqlite": bytes(range(256)) * 8, "notes.txt": b"hello\n",
             "empty.sqlite": b""}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    with sqlite3.connect(tmp_path / "other.sqlite") as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.close()
    before = _files(tmp_path)
    for name in [*cases, "other.sqlite"]:
        line = _refused(["--db", str(tmp_path / name), *command], capsys)
        assert str(tmp_path / name) in line
    assert _files(tmp_path) == before


def test_a_damaged_or_truncated_database_is_refused_and_left_as_it_was(t01: Path, tmp_path,
                                                                       capsys):
    cut = tmp_path / "cut.sqlite"
    cut.write_bytes(t01.read_bytes()[:8192])
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(t01.read_bytes()[:100] + b"\xff" * 3996 + t01.read_bytes()[4096:])
    before = _files(tmp_path)
    for path in (cut, bad):
        for command in (["list"], ["check"], ["demo"]):
            line = _refused(["--db", str(path), *command], capsys)
            assert f"{path} is damaged (" in line and line.endswith("restore it from a backup "
                                                                    "copy")
    assert _files(tmp_path) == before


def test_a_read_only_file_is_refused_for_work_and_checked_as_it_is(t01: Path, tmp_path,
                                                                   capsys):
    t01.chmod(0o444)
    try:
        before = _files(tmp_path)
        line = _refused(["load", str(tmp_path / "t01.xlsx"), "--db", str(t01)], capsys)
        assert line == (f"coprod-me: {t01} is read-only; make it writable, or work on a copy "
                        "('coprod-me check' reads it as it is)")
        assert main(["check", "--db", str(t01)]) == 0
        assert _files(tmp_path) == before
    finally:
        t01.chmod(0o644)


def test_a_read_only_folder_is_refused_for_work(t01: Path, tmp_path, capsys):
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "db.sqlite"
    db.write_bytes(t01.read_bytes())
    folder.chmod(0o555)
    try:
        line = _refused(["flags", "--db", str(db)], capsys)
        assert line.startswith(f"coprod-me: folder {folder} is read-only")
        # listing is no work: a current database reads plainly in a read-only folder
        assert main(["list", "--db", str(db)]) == 0
        assert "T-01" in capsys.readouterr().out
        line = _refused(["demo", "--db", str(folder / "new.sqlite")], capsys)
        assert "new.sqlite cannot be created there; choose a folder you can write to" in line
        assert main(["check", "--db", str(db)]) == 0
        assert _files(folder) == {"db.sqlite": t01.read_bytes()}
    finally:
        folder.chmod(0o755)


def test_a_missing_folder_is_named_and_made_only_with_create(tmp_path: Path, capsys):
    db = tmp_path / "no" / "such" / "x.sqlite"
    for argv in (["demo", "--db", str(db)], ["--db", str(db), "list"]):
        line = _refused(argv, capsys)
        assert line == (f"coprod-me: folder {db.parent} does not exist; check the path, or "
                        "add --create to make it")
    _refused(["check", "--create", "--db", str(db)], capsys)  # check never creates
    assert not (tmp_path / "no").exists()
    assert main(["--create", "--db", str(db), "list"]) == 0
    assert db.is_file()
    assert "no programmes yet" in capsys.readouterr().out


def test_the_default_database_folder_is_made_without_asking(capsys):
    assert not _default_db().parent.exists()
    assert main(["list"]) == 0
    assert _default_db().is_file()


# --------------------------------------------------------------- check never writes

@pytest.mark.parametrize("which", ["current", "0001", "corrupt"])
def test_check_leaves_the_file_byte_identical(t01: Path, tmp_path: Path, capsys, which: str):
    folder = tmp_path / "checked"
    folder.mkdir()
    db = folder / "db.sqlite"
    fixtures = Path(__file__).resolve().parent / "fixtures" / "schemas"
    if which == "current":
        db.write_bytes(t01.read_bytes())
    elif which == "0001":
        db.write_bytes((fixtures / "0001.sqlite").read_bytes())
    else:
        data = bytearray(t01.read_bytes())
        data[4096 * 2:4096 * 3] = b"\x5a" * 4096  # a page of the tables overwritten
        db.write_bytes(bytes(data))
    before = _files(folder)
    code = main(["check", "--db", str(db), "--json"])
    captured = capsys.readouterr()
    if which == "corrupt":
        assert code == 1 and "Traceback" not in captured.err
    else:
        report = json.loads(captured.out)
        assert code == 0 and report["ok"] and report["integrity"] == ["ok"]
        assert report["upgrade_due"] is (which == "0001")
        assert report["schema_revision"] == ("0001" if which == "0001" else
                                             report["head_revision"])
    assert _files(folder) == before  # byte for byte, and no -wal, -shm or upgrade copy


def test_check_says_an_upgrade_is_due_without_doing_it(tmp_path: Path, capsys):
    db = tmp_path / "old.sqlite"
    db.write_bytes((Path(__file__).resolve().parent / "fixtures" / "schemas" / "0001.sqlite")
                   .read_bytes())
    assert main(["check", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "schema revision: 0001 (current " in out and "an upgrade is due" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.sqlite"]


# ---------------------------------------------------- another program holds the lock

def test_a_locked_database_is_waited_for_then_the_writer_is_named(t01: Path, capsys):
    from tests.store.processes import WriteLockHolder

    before = t01.read_bytes()
    with WriteLockHolder(t01) as holder:
        assert main(["--wait", "0.5", "--db", str(t01), "demo"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2
    assert err[0].startswith(f"coprod-me: {t01} is locked: another program is writing to it: "
                             f"pid {holder.pid} (python")
    assert err[0].endswith("waiting up to 0.5 s (Ctrl+C to stop)")
    assert err[1].startswith(f"coprod-me: {t01} is locked: another program is writing to it: "
                             f"pid {holder.pid} (python")
    assert err[1].endswith("still locked after 0.5 s; let it finish or close it, then try "
                           "again")
    assert t01.read_bytes() == before


def test_ctrl_c_stops_the_wait_for_a_locked_database(t01: Path):
    import signal

    from tests.store.processes import ROOT, WriteLockHolder

    before = t01.read_bytes()
    with WriteLockHolder(t01) as holder:
        # as from a terminal: a runner started in the background (CI, 'make test &') passes
        # SIGINT on as ignored, and Python then never turns Ctrl+C into KeyboardInterrupt
        cli = subprocess.Popen([sys.executable, "-m", "coprod_me", "load", str(t01.parent /
                                "t01.xlsx"), "--db", str(t01)], stderr=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True, cwd=ROOT,
                               env={**os.environ, "PYTHONPATH": str(ROOT)},
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        assert cli.stderr is not None
        waiting = cli.stderr.readline()
        assert f"pid {holder.pid}" in waiting and "waiting up to 60 s" in waiting
        cli.send_signal(signal.SIGINT)
        _out, rest = cli.communicate(timeout=60)
    assert cli.returncode == 1
    assert rest.strip() == "coprod-me: interrupted; nothing was saved"
    assert t01.read_bytes() == before
