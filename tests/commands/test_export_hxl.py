"""``coprod-me export hxl``: the CSV it writes, and every wrong request refused in one line,
exit 1, with nothing written."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest

from coprod_me.cli import main
from coprod_me.services import Services
from coprod_me.services.database import sample_workbooks


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "db.sqlite"
    services = Services.open(path)
    for workbook in sample_workbooks():
        if workbook.stem in ("RS-01", "HL-01"):
            services.workbooks.load(workbook)
    services.close()
    return str(path)


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_writes_names_then_hashtags_then_one_row_per_observation(
        db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    out = tmp_path / "rs.csv"
    capsys.readouterr()
    assert main(["export", "hxl", "--programme", "RS-01", "-o", str(out), "--db", db]) == 0
    said = capsys.readouterr().out
    assert said.startswith(f"wrote {out} (RS-01, 2022Q4 to 2024Q2): 393 observations")
    rows = _rows(out)
    names, tags, data = rows[0], rows[1], rows[2:]
    assert names[:6] == ["Programme code", "Indicator code", "Indicator name", "Strand",
                         "Quarter", "Phase"]
    assert tags[:6] == ["#activity+code", "#indicator+code", "#indicator+name", "#loc+code",
                        "#date+quarter", "#status+phase"]
    assert "#group+dim+sex" in tags and "#group+dim+social_group" in tags
    for tag in ("#indicator+value+num", "#indicator+num+numerator",
                "#indicator+num+denominator", "#indicator+num+sample", "#meta+source",
                "#meta+verification", "#meta+comment"):
        assert tag in tags
    assert "#indicator+num+ci_low" not in tags  # no RS-01 observation has one
    assert len(data) == 393 and {r[0] for r in data} == {"RS-01"}
    first = dict(zip(tags, data[0], strict=True))
    assert first["#indicator+code"] == "RS-O1" and first["#date+quarter"] == "2022Q4"
    assert first["#indicator+value+num"] == "88" and first["#indicator+num+sample"] == "2500"
    # numbers are bare, text is quoted (a ';' or ',' in a text never starts a cell)
    raw = out.read_text(encoding="utf-8").splitlines()[2]
    assert raw.startswith('"RS-01","RS-O1",') and ",88,2200,2500,2500," in raw


def test_one_quarter_a_span_and_several_programmes(db: str, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]):
    one = tmp_path / "one.csv"
    assert main(["export", "hxl", "-p", "RS-01", "-q", "2024Q1", "-o", str(one), "--db", db,
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["from"], data["to"], data["rows"]) == ("2024Q1", "2024Q1", 63)
    assert {r[4] for r in _rows(one)[2:]} == {"2024Q1"}
    both = tmp_path / "both.csv"
    assert main(["export", "hxl", "-p", "RS-01,HL-01", "--from", "2023Q3", "--to", "2023Q4",
                 "-o", str(both), "--db", db, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    rows = _rows(both)[2:]
    assert data["programmes"] == ["RS-01", "HL-01"] and data["rows"] == len(rows)
    assert {r[0] for r in rows} == {"RS-01", "HL-01"}
    assert {r[4] for r in rows} == {"2023Q3", "2023Q4"}
    assert "#group+dim+digital_access" in data["columns"]


@pytest.mark.parametrize(("argv", "said"), [
    (["-p", "XX-99"], "no programme with code 'XX-99'"),
    (["-p", "RS-01", "-q", "2030Q1"], "RS-01 has no observations in 2030Q1; its quarters are "
                                      "2022Q4 to 2024Q2"),
    (["-p", "RS-01", "-q", "spring"], "'spring' is not a quarter"),
    (["-p", "RS-01", "-q", "2024Q1", "--from", "2023Q1"], "either --quarter or --from/--to"),
    (["-p", "RS-01", "--from", "2024Q1", "--to", "2023Q1"], "--from 2024Q1 comes after"),
    (["-p", "RS-01", "--from", "2029Q1"], "RS-01 has no observations from 2029Q1 to its "
                                          "latest quarter"),
])
def test_a_wrong_request_is_one_line_exit_1_and_writes_nothing(
        argv: list[str], said: str, db: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]):
    capsys.readouterr()
    out = tmp_path / "out.csv"
    assert main(["export", "hxl", *argv, "-o", str(out), "--db", db]) == 1
    err = capsys.readouterr().err
    assert said in err and err.count("\n") == 1 and "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize(("name", "said"), [
    ("out.xlsx", "an HXL export is a CSV file; name it .csv"),
    ("missing/out.csv", "does not exist; create it first"),
    ("folder.csv", "is a folder"),
])
def test_an_output_it_cannot_write_is_refused(name: str, said: str, db: str, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]):
    (tmp_path / "folder.csv").mkdir()
    capsys.readouterr()
    assert main(["export", "hxl", "-p", "RS-01", "-o", str(tmp_path / name), "--db", db]) == 1
    err = capsys.readouterr().err
    assert said in err and err.count("\n") == 1
    assert not (tmp_path / "out.xlsx").exists()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="needs a folder this user cannot write to")
def test_an_unwritable_folder_is_one_line_and_leaves_nothing(
        db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        capsys.readouterr()
        assert main(["export", "hxl", "-p", "RS-01", "-o", str(folder / "x.csv"),
                     "--db", db]) == 1
        err = capsys.readouterr().err
        assert "cannot write" in err and err.count("\n") == 1
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_a_failed_write_leaves_no_file_and_no_partial(db: str, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]):
    """The file appears only when complete: a write that fails half-way (a full disk) leaves
    neither the file nor its hidden partial, and says so in one line."""
    import coprod_me.services.hxl_exports as hxl

    def full_disk(value: object) -> object:
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(hxl, "csv_field", full_disk)
    out = tmp_path / "out.csv"
    capsys.readouterr()
    assert main(["export", "hxl", "-p", "RS-01", "-o", str(out), "--db", db]) == 1
    err = capsys.readouterr().err
    assert "cannot write" in err and "No space left on device" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db.sqlite"]


def test_a_folder_it_may_not_write_in_is_one_line(db: str, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]):
    """As the previous test, for any user (root may write anywhere): the partial file cannot
    be made."""
    import coprod_me.store.partial_files as partial_files

    def refused(*_a: object, **_k: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(partial_files.tempfile, "mkstemp", refused)
    capsys.readouterr()
    assert main(["export", "hxl", "-p", "RS-01", "-o", str(tmp_path / "x.csv"),
                 "--db", db]) == 1
    err = capsys.readouterr().err
    assert err == (f"coprod-me: cannot write {tmp_path / 'x.csv'}: Permission denied; choose "
                   "another file or folder\n")
    assert not (tmp_path / "x.csv").exists()
