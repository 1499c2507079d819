"""The command line: exit codes, --json, and the same services as the GUI."""

from __future__ import annotations

import json
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
