"""Blocks copied from Excel or LibreOffice read as the user sees them in the spreadsheet."""

from __future__ import annotations

import pytest

from coprod_me.model.errors import DomainError, ValidationFailed
from coprod_me.spreadsheets.cells import CellError
from coprod_me.spreadsheets.clipboard import (
    CellKind,
    convert_block,
    convert_cell,
    format_block,
    parse_block,
    parse_dims,
    to_number,
    to_whole,
)


def test_rows_end_with_a_newline_and_cells_are_tab_separated():
    assert parse_block("61,5\t366\t600\r\n63\t378\t600\r\n") == [
        ["61,5", "366", "600"], ["63", "378", "600"]]
    # LibreOffice: \n, and no newline after the last row works too
    assert parse_block("a\tb\nc\td") == [["a", "b"], ["c", "d"]]
    assert parse_block("12,5\r\n") == [["12,5"]]
    assert parse_block("") == []


def test_empty_cells_and_empty_rows_keep_their_place():
    assert parse_block("1\t\t3\n\t\t\n") == [["1", "", "3"], ["", "", ""]]
    assert parse_block("a\t\n") == [["a", ""]]


def test_ragged_rows_are_padded_on_the_right():
    assert parse_block("1\t2\t3\n4\n5\t6\n") == [["1", "2", "3"], ["4", "", ""],
                                                  ["5", "6", ""]]


def test_quoted_cells_hold_tabs_newlines_and_doubled_quotes():
    text = 'survey\t"line one\nline two"\t"said ""enough"""\n"a\tb"\tx\n'
    assert parse_block(text) == [["survey", "line one\nline two", 'said "enough"'],
                                 ["a\tb", "x", ""]]
    # a lone quote that never closes is an ordinary character
    assert parse_block('"12 inch\t4\n') == [['"12 inch', "4"]]


def test_a_block_formatted_for_the_clipboard_reads_back_the_same():
    grid = [["2024Q1", "61,5", 'he said "no"'], ["2024Q2", "", "tab\there"],
            ["", "line\nbreak", ""]]
    assert parse_block(format_block(grid)) == grid


@pytest.mark.parametrize(("text", "expected"), [
    ("12,5", 12.5), ("12.5", 12.5), ("0,45", 0.45), (",5", 0.5), ("-3,5", -3.5),
    ("\u22123", -3.0), ("+7", 7.0), ("1,5E+03", 1500.0), ("  42 ", 42.0),
])
def test_decimal_commas_and_points_both_work(text: str, expected: float):
    assert to_number(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("1.234,5", 1234.5), ("1,234.5", 1234.5), ("1 234,5", 1234.5), ("1\u00a0234,5", 1234.5),
    ("1\u202f234 567", 1234567.0), ("1'234.5", 1234.5), ("1.234.567", 1234567.0),
    ("1,234,567", 1234567.0), ("12,34,567", 1234567.0),
])
def test_thousands_marks_are_dropped(text: str, expected: float):
    assert to_number(text) == expected


def test_a_single_mark_before_three_digits_follows_the_users_locale():
    assert to_number("4,300") == 4.3  # a decimal comma unless told otherwise
    assert to_number("4,300", decimal=".") == 4300.0
    assert to_number("4.300", decimal=",") == 4300.0
    assert to_number("4,30", decimal=".") == 4.3  # not a group of three: a decimal comma
    assert to_whole("4,300", decimal=".") == 4300


def test_percent_signs_are_read_in_percent_columns_only():
    for text in ("45 %", "45%", "45\u00a0%", "45,5 %"):
        assert convert_cell(text, CellKind.PERCENT) == float(text.split("%")[0].strip()
                                                             .replace(",", "."))
    with pytest.raises(CellError, match="has a percent sign, but this column is not a percent"):
        convert_cell("45 %", CellKind.NUMBER)
    with pytest.raises(CellError, match="has a percent sign"):
        convert_cell("45%", CellKind.WHOLE)


def test_empty_cells_are_none():
    for kind in CellKind:
        assert convert_cell("  ", kind) is None


@pytest.mark.parametrize("text", ["abc", "12,34.5", "1.2.3,4", "1,2,3", "12 5", "1..2", "%",
                                  "-", "12,5 kg"])
def test_what_is_not_a_number_says_what_to_enter(text: str):
    with pytest.raises(CellError, match="is not a number; enter a number such as 12,5"):
        to_number(text, percent=True)


def test_spreadsheet_errors_are_named():
    with pytest.raises(CellError, match=r"is a spreadsheet error \(#DIV/0!\)"):
        to_number("#DIV/0!")


def test_bad_cells_are_reported_by_row_and_column_all_at_once():
    # (issue 12: 'n/a' used to be one of these; it is missing now, as in an import)
    grid = parse_block("2024Q1\t61,5\t600\n2024Q5\tsixty\t12,5\n2024Q3\t45 %\t\n")
    kinds = [CellKind.QUARTER, CellKind.PERCENT, CellKind.WHOLE]
    with pytest.raises(ValidationFailed) as caught:
        convert_block(grid, kinds, ["quarter", "value", "n"])
    assert caught.value.problems == [
        "row 2, column 'quarter': '2024Q5' is not a quarter; write it as 2024Q2",
        "row 2, column 'value': 'sixty' is not a number; enter a number such as 12,5 or "
        "1 234,5, or leave the cell empty",
        "row 2, column 'n': '12,5' is not a whole number; enter a whole number such as 600",
    ]
    assert "3 cell(s) of the pasted block cannot be read; nothing was pasted" in str(
        caught.value)


def test_a_good_block_converts_cell_by_cell():
    grid = parse_block("2024-Q1\t61,5 %\t1 200\tsurvey\n2024 Q2\t\t\t\n")
    rows = convert_block(grid, [CellKind.QUARTER, CellKind.PERCENT, CellKind.WHOLE,
                                CellKind.TEXT], ["quarter", "value", "n", "source"])
    assert rows == [["2024Q1", 61.5, 1200, "survey"], ["2024Q2", None, None, None]]


def test_kinds_can_depend_on_the_row():
    grid = [["45 %"], ["45"]]
    kinds = (CellKind.PERCENT, CellKind.NUMBER)
    assert convert_block(grid, lambda r, _c: kinds[r], lambda _c: "value") == [[45.0], [45.0]]


def test_a_block_wider_than_the_columns_is_refused():
    with pytest.raises(DomainError, match="the block is 3 columns wide, but only 2"):
        convert_block([["1", "2", "3"]], [CellKind.NUMBER] * 2, ["a", "b"])


def test_disaggregation_cells_read_as_dimension_equals_category():
    assert parse_dims("sex=female; Age_Band = 15-24") == {"sex": "female",
                                                           "age_band": "15-24"}
    assert parse_dims("  ") == {}
    with pytest.raises(CellError, match="'female', which is not dimension=category"):
        parse_dims("female")
    with pytest.raises(CellError, match="'age band', which is not a dimension code"):
        parse_dims("age band=15-24")
    with pytest.raises(CellError, match="names the dimension 'sex' twice"):
        parse_dims("sex=female;sex=male")
