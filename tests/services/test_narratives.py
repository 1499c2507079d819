"""Deviation narratives: each write is audited with its reason, a narrative per strand or for
the programme as a whole, and the narratives travel through the programme workbook."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from coprod_me.model.errors import DomainError, NotFound
from coprod_me.paths import sample_programmes_dir
from coprod_me.services import Services


@pytest.fixture
def rs01(services: Services) -> Services:
    services.workbooks.load(sample_programmes_dir() / "RS-01.xlsx")
    return services


def test_a_narrative_is_written_replaced_and_cleared_with_an_audit_trail(rs01: Services):
    n = rs01.narratives
    assert n.set("RS-01", "RS-O1", "2024q2", "  Monsoon damage in IN-BLK.  ") is None
    assert n.get("RS-01", "RS-O1", "2024Q2") == "Monsoon damage in IN-BLK."
    assert n.set("RS-01", "RS-O1", "2024Q2", "Pits rebuilt by June.",
                 reason="evaluator review") == "Monsoon damage in IN-BLK."
    assert n.clear("RS-01", "RS-O1", "2024Q2") == "Pits rebuilt by June."
    assert n.get("RS-01", "RS-O1", "2024Q2") is None
    trail = rs01.database.audit_trail("variance_narrative")
    assert [(e.action, e.reason) for e in trail] == [
        ("delete", "clear narrative of RS-O1 2024Q2"),
        ("update", "evaluator review"),
        ("insert", "narrative of RS-O1 2024Q2")]
    update = trail[1]
    assert (update.field, update.old, update.new) == (
        "text", "Monsoon damage in IN-BLK.", "Pits rebuilt by June.")
    assert all(e.user == "tester" for e in trail)


def test_a_strand_keeps_its_own_narrative_beside_the_programmes(rs01: Services):
    n = rs01.narratives
    n.set("RS-01", "RS-P1", "2024Q1", "Programme-wide: slower procurement.")
    n.set("RS-01", "RS-P1", "2024Q1", "Supplier strike.", "ID-KAB")
    assert n.get("RS-01", "RS-P1", "2024Q1") == "Programme-wide: slower procurement."
    assert n.get("RS-01", "RS-P1", "2024Q1", "ID-KAB") == "Supplier strike."
    row = next(r for r in n.iptt("RS-01")
               if r.indicator.code == "RS-P1" and r.quarter == "2024Q1")
    assert row.narrative == ("Programme-wide: slower procurement.\n"
                             "Indonesia (ID-KAB): Supplier strike.")
    assert row.programme_narrative == "Programme-wide: slower procurement."


def test_unknown_codes_and_overlong_text_are_refused(rs01: Services):
    n = rs01.narratives
    with pytest.raises(NotFound):
        n.set("RS-01", "RS-X9", "2024Q2", "text")
    with pytest.raises(NotFound):
        n.set("RS-01", "RS-O1", "2024Q2", "text", "XX-YY")
    with pytest.raises(DomainError):
        n.set("RS-01", "RS-O1", "2024Q2", "x" * 4001)
    assert rs01.database.audit_trail("variance_narrative") == []


def test_narratives_round_trip_through_the_programme_workbook(rs01: Services, tmp_path: Path):
    n = rs01.narratives
    n.set("RS-01", "RS-O1", "2024Q2", "Monsoon damage in IN-BLK.")
    n.set("RS-01", "RS-P1", "2024Q1", "Supplier strike.", "ID-KAB")
    book = rs01.workbooks.export(["RS-01"], tmp_path / "rs01.xlsx")
    rows = list(openpyxl.load_workbook(book)["Narratives"].iter_rows(values_only=True))
    assert rows == [("programme_code", "indicator_code", "strand_code", "period", "text"),
                    ("RS-01", "RS-O1", None, "2024Q2", "Monsoon damage in IN-BLK."),
                    ("RS-01", "RS-P1", "ID-KAB", "2024Q1", "Supplier strike.")]
    fresh = Services.open(tmp_path / "fresh.sqlite")
    try:
        result = fresh.workbooks.load(book)
        assert result.counts["Narratives"].created == 2
        assert fresh.narratives.get("RS-01", "RS-O1", "2024Q2") == "Monsoon damage in IN-BLK."
        assert fresh.narratives.get("RS-01", "RS-P1", "2024Q1", "ID-KAB") == "Supplier strike."
        assert fresh.narratives.get("RS-01", "RS-P1", "2024Q1") is None
        # loaded again: the same rows, nothing doubled
        again = fresh.workbooks.load(book)
        assert (again.counts["Narratives"].created, again.counts["Narratives"].unchanged) == (
            0, 2)
    finally:
        fresh.close()


def test_a_workbook_without_the_narratives_sheet_still_loads(rs01: Services, tmp_path: Path):
    book = rs01.workbooks.export(["RS-01"], tmp_path / "rs01.xlsx")
    wb = openpyxl.load_workbook(book)
    del wb["Narratives"]
    wb.save(book)
    fresh = Services.open(tmp_path / "fresh.sqlite")
    try:
        fresh.workbooks.load(book)
        assert all(r.narrative is None for r in fresh.narratives.iptt("RS-01"))
    finally:
        fresh.close()


def test_a_deleted_indicator_takes_its_narratives_with_it(rs01: Services):
    rs01.indicators.create("RS-01", "RS-P9", "Latrine masons trained", result_level="output",
                           rba_quadrant="how_much", unit="count")
    rs01.narratives.set("RS-01", "RS-P9", "2024Q2", "Training postponed to 2024Q3.")
    rs01.indicators.delete("RS-01", "RS-P9", reason="set up by mistake")
    trail = rs01.database.audit_trail("variance_narrative")
    assert [(e.action, e.reason) for e in trail] == [
        ("delete", "set up by mistake"), ("insert", "narrative of RS-P9 2024Q2")]
