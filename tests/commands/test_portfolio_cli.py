"""``coprod-me portfolio``: the Portfolio table on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coprod_me.cli import main
from coprod_me.services import Services
from tests.builders import small_programme_rows, write


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "portfolio.sqlite"
    services = Services.open(path)
    try:
        services.workbooks.load(write(tmp_path / "p.xlsx", small_programme_rows()))
    finally:
        services.close()
    return str(path)


def test_json_has_each_programme_with_its_figures(db: str, capsys: pytest.CaptureFixture[str]):
    capsys.readouterr()
    assert main(["portfolio", "--db", db, "--quarter", "2023Q2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["quarter"] == "2023Q2" and data["quarters"] == ["2023Q2", "2023Q1"]
    (row,) = data["programmes"]
    assert row["programme"] == "T-01"
    assert row["outcomes"] == {"on_track": 1, "at_risk": 0, "off_track": 0, "no_data": 1}
    assert row["completeness"] == {"expected": 6, "reported": 3, "percent": 50.0}
    assert row["gates_unmet"] == [] and row["needs_attention"] is False
    assert row["categories"]["equity"] == {
        "status": "not checked yet", "level": None, "rag": "not checked", "acknowledged": 0,
        "mitigating": 0, "checked": False}


def test_the_table_and_the_attention_filter(db: str, capsys: pytest.CaptureFixture[str]):
    capsys.readouterr()
    assert main(["portfolio", "--db", db]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Portfolio, 2023Q2\nProgramme")
    assert "T-01" in out and "50 % (3 of 6)" in out and "not checked yet" in out
    assert main(["portfolio", "--db", db, "--attention"]) == 0
    assert capsys.readouterr().out.strip() == "2023Q2: no programme needs attention"


def test_an_unknown_programme_fails_plainly(db: str, capsys: pytest.CaptureFixture[str]):
    capsys.readouterr()
    assert main(["portfolio", "--db", db, "-p", "NOPE"]) != 0
    assert "NOPE" in capsys.readouterr().err
