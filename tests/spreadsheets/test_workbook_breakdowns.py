"""A header that looks like a breakdown column but is not written as one is said so, once,
instead of the repeats its rows then seem to be."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from coprod_me.model.errors import DomainError
from coprod_me.services import Services
from coprod_me.spreadsheets.programme_workbook import read_workbook
from tests.builders import small_programme_rows, write


def _renamed(tmp_path: Path, new: str) -> Path:
    """The small programme with its 'dim:sex' header renamed to ``new``."""
    rows = small_programme_rows()
    rows["Observations"].append(
        {"programme_code": "T-01", "indicator_code": "T-O1", "strand_code": "NORTH",
         "period": "2023Q2", "value": 66.0, "dim:sex": "male"})
    path = write(tmp_path / "p.xlsx", rows)
    wb = openpyxl.load_workbook(path)
    for cell in wb["Observations"][1]:
        if cell.value == "dim:sex":
            cell.value = new
    wb.save(path)
    return path


@pytest.mark.parametrize("header", ["dim_sex", "dim sex", "Dim:Sex", "DIM-sex"])
def test_a_header_written_like_a_breakdown_is_said_not_to_be_read_as_one(
        tmp_path: Path, header: str) -> None:
    parsed = read_workbook(_renamed(tmp_path, header))
    said = [p for p in parsed.problems if p.column == header]
    assert len(said) == 1
    assert "not recognised" in said[0].message and "'dim:sex'" in said[0].message
    assert parsed.sheets["Observations"].unread_breakdowns == (header,)


def test_a_bare_dimension_code_beside_breakdown_columns_is_said_too(tmp_path: Path) -> None:
    rows = small_programme_rows()
    rows["Observations"][2]["dim:age_band"] = "25-44"
    path = write(tmp_path / "p.xlsx", rows)
    wb = openpyxl.load_workbook(path)
    for cell in wb["Observations"][1]:
        if cell.value == "dim:sex":
            cell.value = "sex"
    wb.save(path)
    said = [p for p in read_workbook(path).problems if p.column == "sex"]
    assert len(said) == 1 and "'dim:sex'" in said[0].message


def test_dim_sex_itself_is_read_as_a_breakdown(tmp_path: Path) -> None:
    parsed = read_workbook(write(tmp_path / "p.xlsx", small_programme_rows()))
    assert parsed.problems == []
    assert parsed.sheets["Observations"].unread_breakdowns == ()


def test_loading_says_the_breakdown_was_not_recognised_not_that_rows_repeat(
        services: Services, tmp_path: Path) -> None:
    with pytest.raises(DomainError) as info:
        services.workbooks.load(_renamed(tmp_path, "dim_sex"))
    text = str(info.value)
    assert "not recognised" in text and "'dim:sex'" in text
    assert "repeats row" not in text
