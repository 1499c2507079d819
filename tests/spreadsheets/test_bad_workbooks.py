"""Each kind of bad input gives a precise message, saves nothing, and the CLI exits 1."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from coprod_me.cli import main
from coprod_me.model import AuditLog, ImportBatch, Indicator, Observation, Programme
from coprod_me.model.errors import DomainError, ValidationFailed
from coprod_me.services import Services
from tests.builders import small_programme_rows, write


def _counts(services: Services) -> tuple[int, ...]:
    with services.store.read() as s:
        return tuple(s.scalar(select(func.count()).select_from(m))
                     for m in (Programme, Indicator, Observation, ImportBatch, AuditLog))


def _load_fails(services: Services, path: Path, capsys: pytest.CaptureFixture[str]
                ) -> str:
    before = _counts(services)
    with pytest.raises(DomainError) as info:
        services.workbooks.load(path)
    assert _counts(services) == before, "nothing may be saved"
    # the command line reports the same problem on stderr and exits 1
    assert main(["load", str(path), "--db", str(services.path)]) == 1
    err = capsys.readouterr().err
    assert str(info.value).splitlines()[-1].strip("- ") in err
    assert _counts(services) == before
    return str(info.value)


def _drop_header(path: Path, sheet: str, header: str) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    for cell in ws[1]:
        if cell.value == header:
            ws.delete_cols(cell.column)
            break
    wb.save(path)


def test_a_file_that_is_not_a_workbook(services: Services, tmp_path: Path, capsys):
    path = tmp_path / "notes.xlsx"
    path.write_text("this is a text file, not a spreadsheet")
    msg = _load_fails(services, path, capsys)
    # the load goes through the import's guard: the same file gets the same words
    assert msg == ("notes.xlsx is not a spreadsheet, though its name ends in .xlsx; save it "
                   "again from Excel or LibreOffice as .xlsx")


def test_a_missing_sheet(services: Services, tmp_path: Path, capsys):
    path = write(tmp_path / "p.xlsx", small_programme_rows())
    wb = openpyxl.load_workbook(path)
    del wb["Targets"]
    wb.save(path)
    msg = _load_fails(services, path, capsys)
    assert "p.xlsx, sheet Targets: sheet is missing; add it (it may be empty below its " \
           "header row) or start from 'coprod-me template'" in msg


def test_a_missing_required_column(services: Services, tmp_path: Path, capsys):
    path = write(tmp_path / "p.xlsx", small_programme_rows())
    _drop_header(path, "Indicators", "unit")
    msg = _load_fails(services, path, capsys)
    assert "sheet Indicators, row 1, column 'unit': required column is missing; add it to " \
           "the header row" in msg


def test_a_misspelt_column_gets_a_suggestion(services: Services, tmp_path: Path, capsys):
    path = write(tmp_path / "p.xlsx", small_programme_rows())
    wb = openpyxl.load_workbook(path)
    ws = wb["Indicators"]
    for cell in ws[1]:
        if cell.value == "baseline_value":
            cell.value = "baselin_value"
    wb.save(path)
    msg = _load_fails(services, path, capsys)
    assert "column 'baselin_value': is not a column of sheet Indicators; did you mean " \
           "'baseline_value'?" in msg


def test_an_unknown_enumerated_value(services: Services, tmp_path: Path, capsys):
    rows = small_programme_rows()
    rows["Indicators"][0]["result_level"] = "outcome"
    path = write(tmp_path / "p.xlsx", rows)
    msg = _load_fails(services, path, capsys)
    assert ("p.xlsx, sheet Indicators, row 2, column 'result_level': 'outcome' is not one of "
            "the allowed values: input, activity, output, outcome_short, "
            "outcome_intermediate, impact, context") in msg


def test_text_in_a_number_column(services: Services, tmp_path: Path, capsys):
    rows = small_programme_rows()
    rows["Observations"][1]["value"] = "n/a"
    path = write(tmp_path / "p.xlsx", rows)
    msg = _load_fails(services, path, capsys)
    assert ("sheet Observations, row 3, column 'value': 'n/a' is not a number; leave it "
            "empty or enter a number") in msg


def test_a_duplicate_code(services: Services, tmp_path: Path, capsys):
    rows = small_programme_rows()
    rows["Indicators"].append(dict(rows["Indicators"][0], name="Again"))
    path = write(tmp_path / "p.xlsx", rows)
    msg = _load_fails(services, path, capsys)
    assert ("sheet Indicators, row 5: repeats row 2 (same programme_code 'T-01', code "
            "'T-O1'); keep one row or change the codes") in msg


def test_a_reference_to_a_missing_indicator(services: Services, tmp_path: Path, capsys):
    rows = small_programme_rows()
    rows["Observations"][3]["indicator_code"] = "T-P9"
    path = write(tmp_path / "p.xlsx", rows)
    msg = _load_fails(services, path, capsys)
    assert ("sheet Observations, row 5, column 'indicator_code': 'T-P9' is not a code in "
            "sheet Indicators of programme T-01 (nor in the database); add that row or "
            "correct the code") in msg


def test_an_observation_in_a_locked_quarter(services: Services, tmp_path: Path, capsys):
    rows = small_programme_rows()
    services.workbooks.load(write(tmp_path / "first.xlsx", rows))
    rows["Observations"].append({"programme_code": "T-01", "indicator_code": "T-O2",
                                 "strand_code": "NORTH", "period": "2023Q1", "value": 35.0})
    path = write(tmp_path / "p.xlsx", rows)
    msg = _load_fails(services, path, capsys)
    assert ("sheet Observations, row 6, column 'period': '2023Q1' adds an observation to "
            "quarter 2023Q1 of T-01, which is locked; unlock the quarter in the app (with a "
            "reason) or record a correction there") in msg


def test_changing_an_observation_in_a_locked_quarter(services: Services, tmp_path: Path,
                                                     capsys):
    rows = small_programme_rows()
    services.workbooks.load(write(tmp_path / "first.xlsx", rows))
    rows["Observations"][0]["n_sample"] = 601
    msg = _load_fails(services, write(tmp_path / "p.xlsx", rows), capsys)
    assert "changes an observation in quarter 2023Q1 of T-01, which is locked" in msg


def test_a_numerator_above_its_denominator(services: Services, tmp_path: Path, capsys):
    rows = small_programme_rows()
    rows["Observations"][1].update(numerator=700, denominator=600)
    path = write(tmp_path / "p.xlsx", rows)
    msg = _load_fails(services, path, capsys)
    assert ("sheet Observations, row 3, column 'numerator': '700' is above its denominator "
            "(600); numerator cannot exceed denominator") in msg


def test_every_problem_is_reported_at_once(services: Services, tmp_path: Path):
    rows = small_programme_rows()
    rows["Indicators"][0]["unit"] = "percentage"
    rows["Observations"][1]["value"] = "high"
    rows["Observations"][3]["indicator_code"] = "T-P9"
    rows["Targets"][0]["period"] = "Q5 2024"
    with pytest.raises(ValidationFailed) as info:
        services.workbooks.load(write(tmp_path / "p.xlsx", rows))
    problems = info.value.problems
    assert len(problems) == 4
    assert any("column 'unit': 'percentage' is not one of" in p for p in problems)
    assert any("column 'value': 'high' is not a number" in p for p in problems)
    assert any("'T-P9' is not a code in sheet Indicators" in p for p in problems)
    assert any("column 'period': 'Q5 2024' is not a quarter; write it as 2024Q2" in p
               for p in problems)


def test_a_sheet_with_no_header_row(services: Services, tmp_path: Path, capsys):
    path = write(tmp_path / "p.xlsx", small_programme_rows())
    wb = openpyxl.load_workbook(path)
    ws = wb["Targets"]
    ws.delete_rows(1, ws.max_row)
    wb.save(path)
    msg = _load_fails(services, path, capsys)
    assert "p.xlsx, sheet Targets, row 1: has no header row; copy the header row from the " \
           "template" in msg
