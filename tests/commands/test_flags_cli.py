"""``coprod-me flags``: run the rules and list the flags from the command line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from coprod_me.cli import main
from coprod_me.paths import sample_programmes_dir


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "flags.sqlite")
    assert main(["load", str(sample_programmes_dir() / "RS-01.xlsx"), "--db", path,
                 "--json"]) == 0
    return path


def test_json_lists_each_flag_with_its_why_and_metrics(db: str,
                                                       capsys: pytest.CaptureFixture[str]):
    capsys.readouterr()
    assert main(["flags", "--db", db, "--programme", "RS-01", "--quarter", "2024Q2",
                 "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(r["quarter"] == "2024Q2" and r["programme"] == "RS-01" for r in rows)
    for key in ("rule_id", "programme", "strand", "quarter", "severity", "status", "why",
                "metrics"):
        assert key in rows[0]
    dq1 = next(r for r in rows if r["rule_id"] == "DQ-1")
    assert dq1["strand"] == "IN-BLK" and dq1["severity"] == "high"
    assert dq1["metrics"]["gap"] == pytest.approx(17, abs=0.1)
    assert "96" in dq1["why"] and "79" in dq1["why"]


def test_table_is_the_default_and_no_run_lists_what_is_stored(
        db: str, capsys: pytest.CaptureFixture[str]):
    capsys.readouterr()
    assert main(["flags", "--db", db, "--no-run"]) == 0
    out = capsys.readouterr()
    assert out.out.strip() == "no flags"
    assert "the risk rules have not run for RS-01" in out.err  # not "clear"
    assert main(["flags", "--db", db]) == 0
    out = capsys.readouterr()
    assert "ran the rules on 1 programme(s)" in out.err
    assert main(["flags", "--db", db, "--no-run"]) == 0
    assert "have not run" not in capsys.readouterr().err
    assert main(["flags", "--db", db]) == 0
    out = capsys.readouterr()
    assert out.out.splitlines()[0].startswith("programme quarter rule")
    assert "CD-1" in out.out


def test_csv_has_a_header_and_one_row_per_flag(db: str, capsys: pytest.CaptureFixture[str]):
    capsys.readouterr()
    assert main(["flags", "--db", db, "--all-quarters", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["quarter"] for r in rows} >= {"2024Q1", "2024Q2"}
    assert json.loads(rows[0]["metrics"]) is not None


def test_an_unknown_programme_is_a_message_not_a_traceback(
        db: str, capsys: pytest.CaptureFixture[str]):
    assert main(["flags", "--db", db, "--programme", "NOPE"]) == 1
    assert "no programme with code 'NOPE'" in capsys.readouterr().err
