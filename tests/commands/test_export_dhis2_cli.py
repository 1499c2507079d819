"""``coprod-me export dhis2`` from the command line: --check, the refusal, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coprod_me.cli import main
from coprod_me.paths import sample_programmes_dir


@pytest.fixture
def rs01_db(tmp_path: Path) -> str:
    db = str(tmp_path / "rs01.sqlite")
    assert main(["load", str(sample_programmes_dir() / "RS-01.xlsx"), "--db", db,
                 "--json"]) == 0
    return db


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    rc = main(list(argv))
    got = capsys.readouterr()
    return rc, got.out, got.err


def test_json_and_csv_are_written(rs01_db: str, out_dir: Path,
                                  capsys: pytest.CaptureFixture[str]):
    rc, out, _ = _run(capsys, "export", "dhis2", "-p", "RS-01", "-q", "2024Q2",
                      "-o", str(out_dir / "rs.json"), "--db", rs01_db)
    assert rc == 0
    assert out.strip() == (f"wrote {out_dir / 'rs.json'} (RS-01, 2024Q2): 60 data values; "
                           "import with idScheme=CODE")
    assert len(json.loads((out_dir / "rs.json").read_text())["dataValues"]) == 60
    rc, out, _ = _run(capsys, "export", "dhis2", "-p", "RS-01", "-q", "2024Q2", "--format",
                      "csv", "-o", str(out_dir / "rs.csv"), "--db", rs01_db, "--json")
    assert rc == 0 and json.loads(out)["values"] == 60
    assert (out_dir / "rs.csv").read_text().splitlines()[1] == (
        "CLTS_O1,2024Q2,OU_IN_BLK,default,,63,,,,false")


def _unmap_ou(db: str) -> None:
    from coprod_me.services import Services

    services = Services.open(db)
    try:
        services.dhis2_exports.set_target("RS-01", "org_unit", "BD-UPZ", "")
    finally:
        services.close()


def test_check_lists_every_value_that_cannot_be_mapped(rs01_db: str, out_dir: Path,
                                                       capsys: pytest.CaptureFixture[str]):
    rc, out, _ = _run(capsys, "export", "dhis2", "-p", "RS-01", "-q", "2024Q2", "--check",
                      "--db", rs01_db)
    assert rc == 0 and out.strip() == "RS-01 2024Q2: 60 value(s) map to DHIS2, 0 problem(s)"
    _unmap_ou(rs01_db)
    rc, out, _ = _run(capsys, "export", "dhis2", "-p", "RS-01", "-q", "2024Q2", "--check",
                      "--db", rs01_db)
    lines = out.strip().splitlines()
    assert rc == 1
    assert lines[0] == "RS-01 2024Q2: 40 value(s) map to DHIS2, 20 problem(s)"
    assert "- RS-O1 BD-UPZ the total: strand BD-UPZ has no org unit" in lines
    assert "- RS-O6 BD-UPZ breakdown 'sex=female': strand BD-UPZ has no org unit" in lines
    assert len(lines) == 21 and list(out_dir.iterdir()) == []
    rc, out, err = _run(capsys, "export", "dhis2", "-p", "RS-01", "-q", "2024Q2",
                        "-o", str(out_dir / "rs.json"), "--db", rs01_db)
    assert rc == 1 and out == ""
    assert err == ("coprod-me: 20 of 60 value(s) of RS-01 2024Q2 cannot be mapped to DHIS2 "
                   "(strand BD-UPZ has no org unit); nothing was written. 'coprod-me export "
                   "dhis2 --check' lists them all\n")
    assert list(out_dir.iterdir()) == []


@pytest.mark.parametrize("args", [
    ["-p", "XX-99", "-q", "2024Q2"],
    ["-p", "RS-01", "-q", "2031Q1"],
    ["-p", "RS-01", "-q", "2024Q5"],
])
def test_errors_are_one_line_and_exit_1(rs01_db: str, out_dir: Path, args: list[str],
                                        capsys: pytest.CaptureFixture[str]):
    rc, out, err = _run(capsys, "export", "dhis2", *args, "-o", str(out_dir / "x.json"),
                        "--db", rs01_db)
    assert rc == 1 and out == ""
    assert err.startswith("coprod-me: ") and err.count("\n") == 1
    assert list(out_dir.iterdir()) == []


def test_no_output_and_an_unwritable_folder_are_one_line(rs01_db: str, out_dir: Path,
                                                         capsys: pytest.CaptureFixture[str]):
    rc, _, err = _run(capsys, "export", "dhis2", "-p", "RS-01", "-q", "2024Q2",
                      "--db", rs01_db)
    assert rc == 1 and err == ("coprod-me: give the file to write with -o FILE "
                               "(or use --check)\n")
    rc, _, err = _run(capsys, "export", "dhis2", "-p", "RS-01", "-q", "2024Q2",
                      "-o", str(out_dir / "missing" / "x.json"), "--db", rs01_db)
    assert rc == 1 and err.count("\n") == 1 and "does not exist" in err
