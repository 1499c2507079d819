"""``coprod-me import`` / ``undo-import``: the JSON the issue specifies and its exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coprod_me.cli import main
from tests import ngo_files as nf
from tests.builders import small_programme_rows, write


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "cli.sqlite")
    assert main(["load", str(write(tmp_path / "p.xlsx", small_programme_rows())), "--db",
                 path]) == 0
    return path


def _json(capsys: pytest.CaptureFixture[str]) -> dict:
    return json.loads(capsys.readouterr().out)


def test_import_prints_the_json_and_exits_1_when_rows_are_rejected(db: str, tmp_path: Path,
                                                                   capsys):
    capsys.readouterr()
    path = nf.messy_long_xlsx(tmp_path / "ngo.xlsx")
    errors = tmp_path / "errors.xlsx"
    assert main(["import", str(path), "--programme", "T-01", "--db", db, "--json",
                 "--errors", str(errors)]) == 1
    out = _json(capsys)
    # (issue 12) the row that changes a stored figure is kept as stored and listed, by default
    assert {k: out[k] for k in ("imported", "updated", "unchanged", "rejected")} == {
        "imported": 5, "updated": 0, "unchanged": 1, "rejected": 12}
    assert out["changes"] == ["row 20, T-O1 2023Q2 at NORTH (sex=female): value 60 → 58"]
    assert isinstance(out["batch"], int)
    assert len(out["errors"]) == 12
    assert out["errors"][1] == {
        "sheet": nf.MESSY_SHEET, "row": 11, "column": "Valeur", "value": "#DIV/0!",
        "reason": "is a spreadsheet error (#DIV/0!) in cell E11; correct the formula or enter "
                  "the figure"}
    assert errors.exists()

    # the same file again changes nothing; undo takes the batch back
    assert main(["import", str(path), "-p", "T-01", "--db", db, "--json"]) == 1
    again = _json(capsys)
    assert (again["imported"], again["updated"], again["batch"]) == (0, 0, None)
    assert main(["undo-import", str(out["batch"]), "--db", db, "--json"]) == 0
    assert _json(capsys) == {"batch": out["batch"], "deleted": 5, "restored": 0}
    assert main(["undo-import", str(out["batch"]), "--db", db]) == 1
    assert "was already undone" in capsys.readouterr().err


def test_a_clean_file_exits_0_and_strict_or_dry_run_save_nothing(db: str, tmp_path: Path,
                                                                 capsys):
    capsys.readouterr()
    clean = nf.wide_indicators_csv_bom(tmp_path / "i.csv")
    assert main(["import", str(clean), "-p", "T-01", "--db", db, "--dry-run", "--json"]) == 0
    dry = _json(capsys)
    assert (dry["imported"], dry["batch"], dry["rejected"]) == (4, None, 0)
    messy = nf.messy_long_xlsx(tmp_path / "ngo.xlsx")
    assert main(["import", str(messy), "-p", "T-01", "--db", db, "--strict", "--json"]) == 1
    assert _json(capsys)["batch"] is None
    assert main(["import", str(clean), "-p", "T-01", "--db", db, "--save-mapping", "Eau",
                 "--json"]) == 0
    assert _json(capsys)["imported"] == 4
    assert main(["import", str(clean), "-p", "T-01", "--db", db, "--mapping", "Eau"]) == 0
    text = capsys.readouterr().out
    assert "0 imported, 0 updated, 4 unchanged, 1 skipped (no figure), 0 rejected" in text
    assert "nothing to change" in text


def test_on_duplicate_error_rejects_rows_that_change_stored_figures(db: str, tmp_path: Path,
                                                                    capsys):
    capsys.readouterr()
    path = nf.wide_indicators_csv_bom(tmp_path / "i.csv")
    assert main(["import", str(path), "-p", "T-01", "--db", db]) == 0
    capsys.readouterr()
    path.write_bytes(path.read_bytes().replace(b"1 100", b"1 150"))
    assert main(["import", str(path), "-p", "T-01", "--db", db, "--on-duplicate", "error",
                 "--json"]) == 1
    (err,) = _json(capsys)["errors"]
    assert err["reason"].startswith("T-P1 2024Q2 already holds other figures in T-01 "
                                    "(value 1100 → 1150)")
    assert main(["import", str(path), "-p", "T-01", "--db", db, "--on-duplicate", "skip",
                 "--json"]) == 0
    assert _json(capsys)["updated"] == 0
    assert main(["import", str(path), "-p", "T-01", "--db", db]) == 0
    text = capsys.readouterr().out  # the default keeps the stored figure and says so
    assert "0 imported, 0 updated, 3 unchanged, 1 skipped (no figure), 1 kept as stored, " \
           "0 rejected" in text
    assert ("1 row(s) would change figures the database holds; they were skipped "
            "(--on-duplicate update applies them):\n"
            "  row 3, T-P1 2024Q2 at NORTH: value 1100 → 1150\n") in text
    assert main(["import", str(path), "-p", "T-01", "--db", db, "--on-duplicate", "update",
                 "--json"]) == 0
    assert _json(capsys)["updated"] == 1


def test_unreadable_files_exit_1_with_one_message(db: str, tmp_path: Path, capsys):
    capsys.readouterr()
    bad = tmp_path / "report.xlsx"
    bad.write_text("this is not a workbook")
    assert main(["import", str(bad), "-p", "T-01", "--db", db]) == 1
    err = capsys.readouterr().err
    assert err.strip() == ("coprod-me: report.xlsx is not a spreadsheet, though its name ends "
                           "in .xlsx; save it again from Excel or LibreOffice as .xlsx")
    assert main(["import", str(bad), "-p", "NOPE", "--db", db]) == 1
