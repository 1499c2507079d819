"""``coprod-me report``: the quarterly report from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from coprod_me.cli import main
from coprod_me.reports.quarterly_model import SECTIONS


@pytest.fixture
def demo_db(tmp_path: Path) -> str:
    db = str(tmp_path / "demo.sqlite")
    assert main(["demo", "--db", db, "--json"]) == 0
    return db


def test_report_writes_the_workbook_and_pngs(demo_db: str, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]):
    capsys.readouterr()
    out = tmp_path / "report.xlsx"
    rc = main(["report", "--programme", "RS-01", "--quarter", "2024Q2", "-o", str(out),
               "--png-dir", str(tmp_path / "png"), "--threshold", "10", "--db", demo_db,
               "--json"])
    assert rc == 0
    data = json.loads(capsys.readouterr().out)
    assert data["sheets"] == list(SECTIONS) and data["suppression_threshold"] == 10
    assert data["flags_computed"] == {"RS-01": False}
    assert len(data["pngs"]) == data["charts"] > 0
    assert CalamineWorkbook.from_path(str(out)).sheet_names == list(SECTIONS)


def test_several_programmes_and_sections(demo_db: str, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]):
    capsys.readouterr()
    out = tmp_path / "portfolio.xlsx"
    assert main(["report", "-p", "RS-01,KR-01", "-q", "2024Q2", "-o", str(out),
                 "--sections", "Summary,Outcomes", "Risks", "--db", demo_db]) == 0
    text = capsys.readouterr().out
    assert "RS-01, KR-01" in text and "no risk flags computed yet for RS-01" in text
    assert CalamineWorkbook.from_path(str(out)).sheet_names == [
        "README", "Portfolio", "Summary", "Outcomes", "Risks"]


@pytest.mark.parametrize(("argv", "message"), [
    (["-p", "NOPE", "-q", "2024Q2"], "no programme with code 'NOPE'"),
    (["-p", "RS-01", "-q", "2024Q7"], "not a quarter"),
    (["-p", "RS-01", "-q", "2024Q2", "--sections", "Charts"], "unknown section"),
])
def test_mistakes_exit_1_with_a_message(demo_db: str, tmp_path: Path, argv: list[str],
                                        message: str, capsys: pytest.CaptureFixture[str]):
    out = tmp_path / "r.xlsx"
    assert main(["report", *argv, "-o", str(out), "--db", demo_db]) == 1
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_a_negative_threshold_is_misuse(demo_db: str, tmp_path: Path):
    with pytest.raises(SystemExit) as exc:
        main(["report", "-p", "RS-01", "-q", "2024Q2", "-o", str(tmp_path / "r.xlsx"),
              "--threshold", "-1", "--db", demo_db])
    assert exc.value.code == 2
