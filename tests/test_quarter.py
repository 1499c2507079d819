from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coprod_me.model.errors import DomainError
from coprod_me.model.quarter import Quarter, quarter_range


@pytest.mark.parametrize("text", ["2024Q2", "2024-Q2", "2024 q2", "Q2 2024", "q2-2024"])
def test_the_spellings_people_type_parse_to_one_quarter(text):
    assert Quarter.parse(text) == Quarter(2024, 2)
    assert str(Quarter.parse(text)) == "2024Q2"


@pytest.mark.parametrize("text", ["2024Q5", "2024", "Q0 2024", "second quarter", ""])
def test_nonsense_is_refused_with_the_expected_form(text):
    with pytest.raises(DomainError, match="write it as 2024Q2"):
        Quarter.parse(text)


def test_date_bounds_and_neighbours():
    q = Quarter(2024, 1)
    assert (q.start, q.end) == (date(2024, 1, 1), date(2024, 3, 31))
    assert Quarter(2023, 4).end == date(2023, 12, 31)
    assert q.previous() == Quarter(2023, 4) and Quarter(2023, 4).next() == q
    assert Quarter.containing(date(2024, 8, 15)) == Quarter(2024, 3)
    assert Quarter(2024, 2) - Quarter(2022, 4) == 6
    assert [str(x) for x in quarter_range(Quarter(2023, 3), Quarter(2024, 1))] == [
        "2023Q3", "2023Q4", "2024Q1"]


@given(st.integers(1900, 2199), st.integers(1, 4), st.integers(1900, 2199), st.integers(1, 4))
def test_order_matches_text_order_and_round_trips(y1, q1, y2, q2):
    a, b = Quarter(y1, q1), Quarter(y2, q2)
    assert (a < b) == (str(a) < str(b))
    assert Quarter.parse(str(a)) == a
    assert a.shift(b - a) == b
    assert a.start <= a.end and a.contains(a.start) and a.contains(a.end)
