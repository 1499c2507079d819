"""Quarters, missing markers, phases and decimal marks as NGO staff write them."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from coprod_me.spreadsheets.cells import CellError
from coprod_me.spreadsheets.ngo_values import (
    code_key,
    decimal_mark,
    is_missing,
    quarter_from_text,
    read_phase,
    read_quarter,
    short,
)


@pytest.mark.parametrize(("text", "quarter"), [
    ("Q2 2024", "2024Q2"), ("2024-Q2", "2024Q2"), ("2024Q2", "2024Q2"), ("2024 T2", "2024Q2"),
    ("T2 2024", "2024Q2"), ("t2-2024", "2024Q2"), ("2T2024", "2024Q2"), ("q4/2023", "2023Q4"),
    ("Apr-Jun 2024", "2024Q2"), ("April - June 2024", "2024Q2"), ("avr.-juin 2024", "2024Q2"),
    ("Jul–Sep 2024", "2024Q3"), ("ene-mar 2024", "2024Q1"), ("ott-dic 2024", "2024Q4"),
    ("2e trimestre 2024", "2024Q2"), ("2nd quarter 2024", "2024Q2"),
    ("trimestre 3 2024", "2024Q3"), ("2º trimestre 2024", "2024Q2"),
    ("2024-05-15", "2024Q2"), ("15/05/2024", "2024Q2"), ("1 March 2015", "2015Q1"),
    ("mai 2024", "2024Q2"), ("03/05/2024", None),  # 3 May or March 5: different quarters
    ("02/03/2024", "2024Q1"),  # 2 March or February 3: the same quarter either way
    ("Feb-Apr 2024", None), ("Q5 2024", None), ("2024", None), ("", None), ("abc", None),
])
def test_quarter_texts(text: str, quarter: str | None):
    assert quarter_from_text(text) == quarter


def test_dates_and_excel_serials_give_their_quarter():
    assert read_quarter(date(2024, 5, 15)) == "2024Q2"
    assert read_quarter(datetime(2023, 12, 31, 23, 0)) == "2023Q4"
    assert read_quarter(45427.0) == "2024Q2"  # 2024-05-15 as Excel stores it
    with pytest.raises(CellError, match="is a number, not a quarter"):
        read_quarter(12.0)
    with pytest.raises(CellError, match="is not a quarter; write the quarter as 2024Q2"):
        read_quarter("sometime")


@pytest.mark.parametrize("text", ["", "  ", None, "n/a", "N/A", "NA", "-", "–", "..", "nd",
                                  "s/d"])
def test_missing_markers_are_missing(text):
    assert is_missing(text)


@pytest.mark.parametrize("text", ["0", 0, 0.0, "zero", "#DIV/0!"])
def test_zero_and_errors_are_not_missing(text):
    assert not is_missing(text)


@pytest.mark.parametrize(("text", "phase"), [
    ("Co-Delivery", "co_delivery"), ("co delivery", "co_delivery"), ("CO_DESIGN", "co_design"),
    ("delivery", "co_delivery"), ("Co-conception", "co_design"),
    ("co-evaluación", "co_assessment"), ("Commissioning", "co_commissioning"),
])
def test_phases_however_written(text: str, phase: str):
    assert read_phase(text) == phase


def test_an_unknown_phase_lists_the_cycle():
    with pytest.raises(CellError, match="is not a phase of the service cycle; use one of: "
                                        "co_commissioning, co_design, co_delivery, "
                                        "co_assessment"):
        read_phase("Planning")


def test_decimal_mark_from_what_the_sender_typed():
    assert decimal_mark(["61,5", "1.250", "x"]) == ","
    assert decimal_mark(["61.5", "1,250"]) == "."
    assert decimal_mark(["1.250", 3.0]) is None
    # no group of thousands starts with a zero: 0,875 says comma, 0.875 point
    assert decimal_mark(["0,875", "1.250"]) == ","
    assert decimal_mark(["-0.125", "1,250"]) == "."
    assert decimal_mark(["0,875", "0.875"]) is None


def test_codes_compare_forgivingly_and_long_cells_are_cut_in_messages():
    assert code_key("t-o1") == code_key("T_O1") == code_key("T O1")
    assert short("x" * 32000) == "x" * 59 + "…"
    assert short(12.0) == "12"
