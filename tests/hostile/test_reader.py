"""The reader's child process and the guard, case by case: Cancel stops the child, so does
the deadline; a file changing while it is read is refused; the sheet's extent is checked by
the child before it builds a row; what comes back is what calamine reads in-process."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from coprod_me.model.errors import Cancelled
from coprod_me.spreadsheets import native_read, untrusted
from coprod_me.spreadsheets.ngo_source import UnreadableFile, read_grid, sheet_names
from coprod_me.spreadsheets.programme_workbook import read_workbook
from tests.hostile import zips as Z


def _big_sheet(path: Path, rows: int = 300_000) -> Path:
    """A valid sheet of ``rows`` rows of five numbers: a second or so for calamine."""
    head, tail = Z.sheet_xml()
    row = b"<row>" + b"<c><v>1.5</v></c>" * 5 + b"</row>"
    return Z.write_zip(path, Z.xlsx_parts(Z.repeated(row * 100, rows // 100, head, tail)))


@pytest.fixture
def children(monkeypatch: pytest.MonkeyPatch) -> list[subprocess.Popen[Any]]:
    """The reader processes started meanwhile."""
    started: list[subprocess.Popen[Any]] = []
    real = subprocess.Popen

    def popen(*args: Any, **kwargs: Any) -> subprocess.Popen[Any]:
        proc = real(*args, **kwargs)
        started.append(proc)
        return proc

    monkeypatch.setattr(native_read.subprocess, "Popen", popen)
    return started


def test_cancel_kills_the_reader(tmp_path: Path, children) -> None:
    asked: list[bool] = []

    def cancelled() -> bool:  # the user presses Cancel once the child is at work
        asked.append(True)
        return len(asked) >= 2

    with pytest.raises(Cancelled, match=r"^reading cancelled; nothing was saved$"):
        read_grid(_big_sheet(tmp_path / "big.xlsx"), "Observations", cancelled=cancelled)
    (child,) = children
    assert child.returncode is not None and child.returncode < 0  # killed, and reaped


def test_a_read_past_its_deadline_is_stopped(tmp_path: Path, children, monkeypatch) -> None:
    monkeypatch.setattr(native_read, "READ_SECONDS", 0.01)
    with pytest.raises(UnreadableFile, match=r"^big\.xlsx took more than 0 seconds to read "
                                             r"and was stopped \(it may be damaged or built "
                                             r"to keep a reader busy\)"):
        read_grid(_big_sheet(tmp_path / "big.xlsx"), "Observations")
    assert children[-1].returncode is not None


def test_a_file_written_while_it_is_read_is_refused(tmp_path: Path, monkeypatch) -> None:
    path = _big_sheet(tmp_path / "moving.xlsx", 1000)
    real_read = untrusted._read

    def read_then_written(fd: int, limit: int) -> bytes:
        data = real_read(fd, limit)
        path.write_bytes(data[: len(data) // 2])  # the sender's sync rewrites it meanwhile
        return data

    monkeypatch.setattr(untrusted, "_read", read_then_written)
    with pytest.raises(UnreadableFile, match=r"^moving\.xlsx changed while it was being read "
                                             r"\(another program is writing it\); wait until "
                                             r"it is saved completely and try again$"):
        read_grid(path, "Observations")


def test_the_child_refuses_an_extent_before_building_rows(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(untrusted, "MAX_CELLS", 1000)  # two cells, 2,000 rows × 5 columns
    path = Z.xlsx(tmp_path / "far.xlsx", b'<row r="1"><c r="A1"><v>1</v></c></row>'
                                         b'<row r="2000"><c r="E2000"><v>2</v></c></row>')
    with pytest.raises(UnreadableFile, match=r"^far\.xlsx, sheet Observations, has cells from "
                                             r"A1 as far as E2000 \(2,000 rows × 5 columns; "
                                             r"coprod-me reads at most 1,000 cells from one "
                                             r"sheet\)"):
        read_grid(path, "Observations")


def test_rows_dates_and_blank_rows_come_back_as_calamine_reads_them(tmp_path: Path) -> None:
    from python_calamine import CalamineWorkbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    for row in (["When", "Time", "Value", "Flag"], [],
                [dt.datetime(2024, 5, 6, 7, 8, 9), dt.date(2024, 1, 2), 3, True], [],
                ["=x", None, -1.25, False], [], []):
        ws.append(row)
    ws["F30"].number_format = "0.0%"  # styled, empty: the rows below the data stay out
    wb.save(tmp_path / "d.xlsx")
    grid = read_grid(tmp_path / "d.xlsx")
    expected = [r for r in CalamineWorkbook.from_path(str(tmp_path / "d.xlsx"))
                .get_sheet_by_name("Data").iter_rows()]
    assert grid.rows == [r if any(c != "" for c in r) else [] for r in expected]
    assert grid.rows[2][:2] == [dt.datetime(2024, 5, 6, 7, 8, 9), dt.date(2024, 1, 2)]
    assert sheet_names(tmp_path / "d.xlsx") == ["Data"]


def _parsed_in_process(path: Path) -> tuple[dict[str, Any], list[str]]:
    """The workbook parsed as before the reader had its own process: calamine here."""
    from python_calamine import CalamineWorkbook

    from coprod_me.model.progress import never
    from coprod_me.spreadsheets import programme_workbook as pw

    wb = CalamineWorkbook.from_path(str(path))
    problems: list[pw.Problem] = []
    sheets = {}
    for spec in pw.SHEETS:
        if spec.name in wb.sheet_names:
            sheet = wb.get_sheet_by_name(spec.name)
            sheets[spec.name] = pw._parse_sheet(path.name, spec, sheet.iter_rows(),
                                                sheet.start or (0, 0), problems, never)
    return sheets, [str(p) for p in problems]


def test_a_programme_workbook_parses_as_it_did_in_process(tmp_path: Path) -> None:
    from tests.builders import small_programme_rows, write

    rows = small_programme_rows()
    rows["Observations"][1]["value"] = "n/a"  # a problem, to be reported alike
    path = write(tmp_path / "p.xlsx", rows)
    wb = __import__("openpyxl").load_workbook(path)
    wb["Programmes"].insert_rows(1)  # a blank first row: the header is not where expected
    wb["Observations"].insert_rows(4, 3)  # blank rows inside
    wb["Targets"]["K200"].number_format = "0.0%"  # styled below the data
    wb.save(path)
    parsed = read_workbook(path)
    sheets, problems = _parsed_in_process(path)
    assert parsed.sheets == sheets
    assert [str(p) for p in parsed.problems if "sheet is missing" not in str(p)] == problems
    assert problems  # the blank header row and 'n/a' were found
