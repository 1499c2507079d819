"""Reading an NGO sheet's rows and settling them, without a database: every rejected row's
message, what a wide row states, repeated rows and stored figures, locked quarters."""

from __future__ import annotations

from typing import Any

import pytest

from coprod_me.model import entities as M
from coprod_me.model.errors import Cancelled
from coprod_me.model.progress import never, no_progress
from coprod_me.spreadsheets import ngo_rows
from coprod_me.spreadsheets.ngo_errors import rejected_by_row
from coprod_me.spreadsheets.ngo_records import (
    SETTABLE,
    PreviewRow,
    ProgrammeNames,
    RowProblem,
    SheetRows,
)
from coprod_me.spreadsheets.ngo_rows import classify, read_rows
from coprod_me.spreadsheets.ngo_shape import ColumnMapping, find_shape
from coprod_me.spreadsheets.ngo_source import Grid, likely_sheet

NAMES = ProgrammeNames.of(
    "T-01",
    [M.Indicator(id=1, programme_id=1, code="T-O1", name="Share satisfied", unit="percent"),
     M.Indicator(id=2, programme_id=1, code="T-P1", name="Households reached", unit="count")],
    [M.Strand(id=10, programme_id=1, code="NORTH", name="North block")],
    {"EV-1": 7})

HEADER = ["Programme", "Indicator", "Quarter", "Site", "Value", "Numerator", "Denominator",
          "Sample size", "CI low", "CI high", "Evidence", "Sex"]
LONG = ColumnMapping(1, 1, dict(zip(HEADER, [
    "programme_code", "indicator_code", "period", "strand", "value", "numerator",
    "denominator", "n_sample", "ci_low", "ci_high", "evidence_code", "dim:sex"], strict=True)))


def _row(indicator: str | None, quarter: Any = "2024Q2", **cells: Any) -> list[Any]:
    """A long row: the indicator and quarter, other cells by field name."""
    by_field = {"programme": None, "site": None, "value": None, "numerator": None,
                "denominator": None, "n_sample": None, "ci_low": None, "ci_high": None,
                "evidence": None, "sex": None, **cells}
    return [by_field["programme"], indicator, quarter, by_field["site"], by_field["value"],
            by_field["numerator"], by_field["denominator"], by_field["n_sample"],
            by_field["ci_low"], by_field["ci_high"], by_field["evidence"], by_field["sex"]]


def _read(rows: list[list[Any]], mapping: ColumnMapping = LONG, header: list[str] = HEADER,
          **grid: Any) -> SheetRows:
    sheet = Grid("f.xlsx", "Data", [header, *rows], **grid)
    return read_rows(sheet, find_shape(sheet, 1, 1), mapping, NAMES, file_name="f.xlsx",
                     sheet="Data", progress=no_progress, cancelled=never)


#: One row per problem the reader reports: (row, column, value, reason, cell).
ROWS = [
    _row("T-P1", site="North block", value=10.0),
    _row("T-P1", programme="RS-01", value=10.0),
    _row("T-X9", value=10.0),
    _row("T-P1", "Feb-Apr 2024", value=10.0),
    _row("T-P1", None, value=10.0),
    _row("T-P1", site="EAST", value=10.0),
    _row("T-O1", numerator=70.0, denominator=60.0),
    _row("T-O1", value=120.0),
    _row("T-O1", value=40.0, numerator=30.0, denominator=60.0),
    _row("T-P1", value=10.0, n_sample=12.5),
    _row("T-O1", value=50.0, ci_low=60.0, ci_high=40.0),
    _row("T-P1", value=10.0, evidence="EV-9"),
    _row("T-P1", value=10.0, sex="x" * 205),
    _row("T-P1", value="n/a"),
    _row("T-P1", value="12,5,3"),
    _row("T-P1", value=None),  # an error cell: calamine reads it as empty
    _row("T-O1", numerator=30.0, denominator=60.0, evidence="EV-1", sex="Femmes"),
    _row("T-P1", value="63 %"),
    _row("T-P1", value=""),
]
REJECTED = [
    (3, "Programme", "RS-01", "belongs to programme RS-01, not T-01; import it into that "
     "programme or remove the row", "A3"),
    (4, "Indicator", "T-X9", "is not an indicator of T-01 (it has T-O1, T-P1); correct the "
     "code, or create the indicator (the import offers to)", "B4"),
    (5, "Quarter", "Feb-Apr 2024", "is not a quarter; write the quarter as 2024Q2 (Q2 2024, "
     "2024 T2, Apr-Jun 2024 and dates also work)", "C5"),
    (6, "Quarter", None, "has no quarter; enter it as 2024Q2", "C6"),
    (7, "Site", "EAST", "is not a strand or site of T-01 (it has NORTH); correct it, leave it "
     "empty for the whole programme, or create the strand", "D7"),
    (8, "Numerator", 70.0, "is above its denominator (60); numerator cannot exceed "
     "denominator", "F8"),
    (9, "Value", 120.0, "is a percent and must be between 0 and 100", "E9"),
    (10, "Value", 40.0, "does not match numerator/denominator (30/60 = 50.0 %); correct one "
     "of the three", "E10"),
    (11, "Sample size", 12.5, "is not a whole number of people or items; enter a whole "
     "number", "H11"),
    (12, "CI low", 60.0, "is above ci_high; swap them", "I12"),
    (13, "Evidence", "EV-9", "is not an evidence code of T-01; correct it or leave it empty",
     "K13"),
    (14, "Sex", "x" * 205, "is too long for a category; use a short code", "L14"),
    (16, "Value", "12,5,3", "is not a number; enter a number such as 12,5 or 1 234,5, or "
     "leave the cell empty", "E16"),
    (17, "Value", "#DIV/0!", "is a spreadsheet error (#DIV/0!) in cell E17; correct the "
     "formula or enter the figure", "E17"),
    (19, "Value", "63 %", "has a percent sign, but T-P1 is measured in count; enter the "
     "plain figure", "E19"),
]


@pytest.fixture(params=["by column", "by record"])
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both readers of a long sheet: column by column, and every record read carefully."""
    if request.param == "by record":
        monkeypatch.setattr(ngo_rows, "long_columns", lambda shape, mapping: None)
    return str(request.param)


def test_every_rejected_row_says_where_what_and_how_to_fix(path: str):
    found = _read(ROWS, errors={(16, 4): "#DIV/0!"})
    got = [(p.row, p.column, p.value, p.reason, p.cell) for r in found.rows
           for p in r.problems]
    assert got == REJECTED
    assert {r.row for r in found.rows if r.status == "rejected"} == {e[0] for e in REJECTED}
    assert all(p.file == "f.xlsx" and p.sheet == "Data" for r in found.rows
               for p in r.problems)
    (unknown,) = found.unknown_indicators.values()
    assert (unknown.code, unknown.name, unknown.first_row, unknown.unit) == (
        "T-X9", "T-X9", 4, "count")
    assert found.unknown_strands == {"EAST": 7}


def test_good_rows_are_typed_and_missing_figures_skipped(path: str):
    rows = {r.row: r for r in _read(ROWS, errors={(16, 4): "#DIV/0!"}).rows}
    first = rows[2]
    assert (first.status, first.cell, first.indicator, first.indicator_id, first.period,
            first.strand, first.strand_id, first.values) == (
        "new", "E2", "T-P1", 2, "2024Q2", "NORTH", 10, {"value": 10.0})
    parts = rows[18]  # a percent stated by its parts, sex in French, an evidence code
    assert parts.status == "new" and parts.dims == {"sex": "female"}
    assert parts.values == {"numerator": 30.0, "denominator": 60.0, "evidence_id": 7,
                            "value": 50.0}
    assert (rows[15].status, rows[15].note) == (
        "skipped", "no figure (n/a): missing, not zero; nothing imported")
    assert (rows[20].status, rows[20].note) == (
        "skipped", "no figure (blank): missing, not zero; nothing imported")


def test_codes_win_over_names_and_are_found_however_written():
    twin = ProgrammeNames.of("T-01", [
        M.Indicator(id=1, programme_id=1, code="T-O1", name="T-P1", unit="count"),
        M.Indicator(id=2, programme_id=1, code="T-P1", name="Reached", unit="count")], [], {})
    found = twin.find_indicator("T-P1")
    assert found is not None and found.id == 2  # the code, not the other one's name
    assert [getattr(NAMES.find_indicator(t), "id", None)
            for t in ("T-O1", "t-o1", "TO1", "share  SATISFIED", "T-O9")] == [1, 1, 1, 1, None]
    assert [NAMES.find_strand(t) for t in ("NORTH", "north", "North Block", "South")] == [
        10, 10, 10, None]


def test_a_wide_row_states_one_observation_per_filled_value_cell():
    header = ["Indicator", "Site", "2024 T1", "2024 T2"]
    mapping = ColumnMapping(1, 1, {"Indicator": "indicator_code", "Site": "strand",
                                   "2024 T1": "value;period=2024Q1",
                                   "2024 T2": "value;period=2024Q2"})
    found = _read([["T-P1", "NORTH", 100.0, None], ["TP1", None, "1 250", "abc"]],
                  mapping, header)
    assert [(r.row, r.cell, r.indicator, r.period, r.strand, r.values, r.status)
            for r in found.rows] == [
        (2, "C2", "T-P1", "2024Q1", "NORTH", {"value": 100.0}, "new"),
        (3, "C3", "T-P1", "2024Q1", None, {"value": 1250.0}, "new"),
        (3, "D3", "T-P1", "2024Q2", None, {}, "rejected"),
    ]
    assert [p.reason for p in found.rows[2].problems] == [
        # "1 250" in the sheet: the sender writes numbers the French way
        "is not a number; enter a number such as 12,5 or 1 234,5, or leave the cell empty"]


def test_cancel_stops_the_reading(path: str):
    with pytest.raises(Cancelled):
        sheet = Grid("f.xlsx", "Data", [HEADER, *ROWS])
        read_rows(sheet, find_shape(sheet, 1, 1), LONG, NAMES, file_name="f.xlsx",
                  sheet="Data", progress=no_progress, cancelled=lambda: True)


# -------------------------------------------------------------------------------- classify


def _rows(*specs: tuple[str, str | None, float]) -> list[PreviewRow]:
    """New rows of T-P1 (id 2): (quarter, strand code, value) each, rows 2, 3, ..."""
    return [PreviewRow(n, f"E{n}", "T-P1", q, st, {}, {"value": v}, indicator_id=2,
                       strand_id=None if st is None else 10)
            for n, (q, st, v) in enumerate(specs, start=2)]


def _classify(rows: list[PreviewRow], *, stored: dict | None = None, locked: set | None = None,
              updates: ngo_rows.UpdateChoice = "update",
              duplicates: ngo_rows.DuplicateChoice = "reject") -> list[tuple[str, str]]:
    classify(rows, stored=stored or {}, locked=locked or set(), programme_code="T-01",
             file_name="f.xlsx", sheet="Data", updates=updates, duplicates=duplicates)
    return [(r.status, r.describe()) for r in rows]


def test_repeated_rows_are_settled_as_chosen():
    specs = (("2024Q2", "NORTH", 5.0), ("2024Q2", "NORTH", 6.0), ("2024Q2", "NORTH", 5.0))
    both = "states T-P1 2024Q2 at NORTH as row {} does, with other figures; keep one of the " \
           "two rows (or choose which one wins)"
    assert _classify(_rows(*specs)) == [
        ("rejected", both.format(3)), ("rejected", both.format(2)),
        ("unchanged", "repeats row 2 (T-P1 2024Q2 at NORTH) with the same figures")]
    assert _classify(_rows(*specs), duplicates="first") == [
        ("new", ""), ("skipped", "repeats row 2 (T-P1 2024Q2 at NORTH); the first one is kept"),
        ("unchanged", "repeats row 2 (T-P1 2024Q2 at NORTH) with the same figures")]
    assert _classify(_rows(*specs), duplicates="last") == [  # row 4 differs from row 3
        ("skipped", "repeated by row 3 (T-P1 2024Q2 at NORTH); the last one is kept"),
        ("skipped", "repeated by row 4 (T-P1 2024Q2 at NORTH); the last one is kept"),
        ("new", "")]


def test_stored_figures_are_updated_skipped_or_refused_as_chosen():
    def stored(value: float) -> dict:
        key = _rows(("2024Q2", None, 0.0))[0].key
        return {key: (41, *(value if f == "value" else None for f in SETTABLE))}

    rows = _rows(("2024Q2", None, 58.0))
    assert _classify(rows, stored=stored(60.0)) == [("update", "value 60 → 58")]
    assert (rows[0].existing_id, rows[0].previous) == (41, {"value": 60.0})
    assert _classify(_rows(("2024Q2", None, 58.0)), stored=stored(58.0)) == [("unchanged", "")]
    assert _classify(_rows(("2024Q2", None, 58.0)), stored=stored(60.0), updates="skip") == [
        ("skipped", "the database already holds other figures (value 60 → 58); kept them")]
    assert _classify(_rows(("2024Q2", None, 58.0)), stored=stored(60.0),
                     updates="reject") == [
        ("rejected", "T-P1 2024Q2 already holds other figures in T-01 (value 60 → 58); "
                     "choose to update them, or correct the row")]


def test_a_locked_quarter_takes_no_new_or_changed_figure():
    key = _rows(("2023Q1", None, 0.0))[0].key
    stored = {key: (41, *(1.0 if f == "value" else None for f in SETTABLE))}
    rows = _rows(("2023Q1", None, 2.0), ("2023Q1", "NORTH", 3.0))
    assert _classify(rows, stored=stored, locked={"2023Q1"}) == [
        ("rejected", "changes a value in quarter 2023Q1 of T-01, which is locked; unlock the "
                     "quarter in the app (with a reason) or record a correction there"),
        ("rejected", "adds a value to quarter 2023Q1 of T-01, which is locked; unlock the "
                     "quarter in the app (with a reason) or record a correction there")]
    assert [(p.row, p.value, p.cell) for r in rows for p in r.problems] == [
        (2, "2023Q1", "E2"), (3, "2023Q1", "E3")]


# --------------------------------------------------------------- errors workbook, the sheet


def test_the_errors_workbook_gets_each_problem_at_its_cell():
    found = _read(ROWS[:3])
    assert rejected_by_row(found.rows) == {
        2: [(0, REJECTED[0][3])], 3: [(1, REJECTED[1][3])]}
    row = PreviewRow(30, "AB30", None, None, None, {}, {}, "rejected", [
        RowProblem("f.xlsx", "Data", 30, "Value", "x", "a cell", "AB30"),
        RowProblem("f.xlsx", "Data", 30, None, None, "the row", None)])
    assert rejected_by_row([row]) == {29: [(27, "a cell"), (None, "the row")]}


def test_the_likely_sheet_is_the_observations_or_the_first_that_is_not_a_readme():
    assert likely_sheet(["README", "Observations", "Observations_raw"]) == "Observations_raw"
    assert likely_sheet(["Read me", "Lists", "Rapport T2"]) == "Rapport T2"
    assert likely_sheet(["README"]) == "README"
