"""The five shipped samples load, round-trip exactly, and load idempotently."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from coprod_me.cli import main
from coprod_me.services import Services
from coprod_me.services.database import SAMPLE_CODES, load_samples, sample_workbooks


def _sheets(path: Path) -> dict[str, list[list[object]]]:
    wb = CalamineWorkbook.from_path(str(path))
    return {name: wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names
            if name != "README"}


@pytest.mark.parametrize("code", SAMPLE_CODES)
def test_export_then_load_into_a_new_database_gives_identical_content(code: str,
                                                                      tmp_path: Path):
    first = Services.open(tmp_path / "first.sqlite")
    load_samples(first.store)
    exported = first.workbooks.export([code], tmp_path / f"{code}-1.xlsx")
    second = Services.open(tmp_path / "second.sqlite")
    result = second.workbooks.load(exported)
    assert result.updated == 0 and result.created > 100
    again = second.workbooks.export([code], tmp_path / f"{code}-2.xlsx")
    a, b = _sheets(exported), _sheets(again)
    assert a.keys() == b.keys()
    for sheet in a:
        assert a[sheet] == b[sheet], f"{code}: sheet {sheet} differs after the round trip"
    # and the export holds every row the original database has for the programme
    (s1,) = [s for s in first.programmes.summaries() if s.code == code]
    (s2,) = second.programmes.summaries()
    assert (s1.indicators, s1.observations, s1.strands) == (
        s2.indicators, s2.observations, s2.strands)
    assert s1.observations > 50
    first.close()
    second.close()


def test_every_sample_is_marked_as_sample_data_with_labelled_figures(services: Services):
    load_samples(services.store)
    for summary in services.programmes.summaries():
        assert summary.is_sample, summary.code
        p = services.programmes.get(summary.code)
        assert "sample" in (p.sample_note or "").lower()
        assert "(R)" in p.sample_note or " R " in p.sample_note or "R (" in p.sample_note


def test_demo_then_list_shows_five_programmes_and_demo_is_idempotent(tmp_path: Path, capsys):
    db = str(tmp_path / "demo.sqlite")
    assert main(["demo", "--db", db, "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert sum(r["totals"]["created"] for r in first) > 3000
    assert main(["demo", "--db", db, "--json"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert all(r["totals"]["created"] == r["totals"]["updated"] == 0 for r in second)
    assert main(["list", "--db", db, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert sorted(p["code"] for p in listed) == sorted(SAMPLE_CODES)
    assert all(p["is_sample"] and p["observations"] > 50 for p in listed)


def test_the_samples_meet_every_outcome_gate(services: Services):
    load_samples(services.store)
    for code in SAMPLE_CODES:
        unmet = [g for g in services.programmes.gates(code) if not g.met]
        assert unmet == [], f"{code}: {[g.details for g in unmet]}"


def test_the_sample_workbooks_ship_with_the_project():
    assert [p.stem for p in sample_workbooks()] == list(SAMPLE_CODES)
