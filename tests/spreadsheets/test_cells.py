import pytest

from coprod_me.spreadsheets.cells import CellError, column_letter, parse_number, to_float


@pytest.mark.parametrize(("text", "number"), [
    ("12,5", 12.5), ("1.234,5", 1234.5), ("1,234.5", 1234.5), ("1 234", 1234.0),
    ("1\u202f234,5", 1234.5), ("45 %", 45.0), ("1.234.567", 1234567.0), ("-3.5e2", -350.0),
])
def test_numbers_typed_as_text_in_the_usual_ways(text, number):
    assert parse_number(text) == number


def test_text_that_is_not_a_number_says_what_to_do():
    assert parse_number("n/a") is None
    with pytest.raises(CellError, match="leave it empty or enter a number"):
        to_float("n/a")


@pytest.mark.parametrize(("n", "letters"), [(1, "A"), (26, "Z"), (27, "AA"), (28, "AB"),
                                            (702, "ZZ"), (703, "AAA")])
def test_column_letters(n, letters):
    assert column_letter(n) == letters
