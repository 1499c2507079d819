"""The value gate (issue 12), rule by rule with its exact messages: the one number reader,
finite numbers, unit ranges, the quarters a programme may hold figures for, and the
plausibility warnings."""

from __future__ import annotations

from datetime import date

import pytest

from coprod_me.model.plausibility import series_warnings
from coprod_me.model.validation import observation_problems
from coprod_me.model.values import (
    BASELINE_YEARS,
    POST_EXIT_YEARS,
    AmbiguousNumber,
    CellError,
    QuarterWindow,
    is_missing_text,
    read_number,
    unit_problem,
)

# ------------------------------------------------------------------------- the number reader


@pytest.mark.parametrize("decimal", [None, ".", ","])
def test_a_leading_zero_is_never_a_group_of_thousands(decimal):
    assert read_number("0,875", decimal=decimal) == 0.875
    assert read_number("0.875", decimal=decimal) == 0.875
    assert read_number("0,875", decimal=decimal, ask=True) == 0.875  # nothing to ask
    assert read_number("-0,5", decimal=decimal) == -0.5


def test_the_decimal_mark_of_the_locale_or_the_file_settles_one_mark_before_three_digits():
    assert read_number("1,234", decimal=",") == 1.234
    assert read_number("1,234", decimal=".") == 1234.0
    assert read_number("1.234", decimal=",") == 1234.0
    assert read_number("1.234", decimal=".") == 1.234
    assert read_number("1,234") == 1.234  # nothing says otherwise: a mark once is a decimal
    assert read_number("1,234", whole=True) == 1234.0  # a count's only whole reading
    assert read_number("1,234", decimal=",", whole=True) == 1.234  # the file said: a decimal


def test_a_ratio_or_percent_that_reads_two_ways_is_asked_not_guessed():
    with pytest.raises(AmbiguousNumber) as caught:
        read_number("1,234", decimal=".", ask=True)
    exc = caught.value
    assert (exc.text, exc.mark, exc.as_decimal, exc.as_grouped, exc.other_mark) == (
        "1,234", ",", 1.234, 1234.0, ".")
    assert str(exc) == ("can be read as 1.234 or as 1234; write 1234 for the thousands or "
                        "1.234 for the fraction")
    with pytest.raises(AmbiguousNumber) as caught:
        read_number("12.345", decimal=",", ask=True)
    assert str(caught.value) == ("can be read as 12.345 or as 12345; write 12345 for the "
                                 "thousands or 12,345 for the fraction")
    with pytest.raises(AmbiguousNumber) as caught:  # no locale, no file evidence
        read_number("1,234 %", percent=True, ask=True)
    assert str(caught.value) == ("can be read as 1.234 or as 1234; write 1234 for the "
                                 "thousands, or add a fourth decimal (1,2340) for the fraction")
    # what the advice says to write reads one way
    assert read_number("1,2340", ask=True) == 1.234
    assert read_number("1234", ask=True) == 1234.0
    # the decimal mark of the locale is no question; nor are marks that read one way
    assert read_number("1,234", decimal=",", ask=True) == 1.234
    for text, number in (("1,5", 1.5), ("1.234,5", 1234.5), ("1,234.5", 1234.5),
                         ("1,234,567", 1234567.0), ("1 234", 1234.0)):
        assert read_number(text, decimal=".", ask=True) == number


@pytest.mark.parametrize("text", ["1e309", "-1e309", "9" * 400])
def test_numbers_too_large_to_store_are_refused(text):
    with pytest.raises(CellError) as caught:
        read_number(text)
    assert str(caught.value) == ("is too large to be a figure (it is beyond what can be "
                                 "stored); enter the figure")


@pytest.mark.parametrize("text", ["inf", "-inf", "nan", "Infinity"])
def test_inf_and_nan_are_not_numbers(text):
    with pytest.raises(CellError, match=r"^is not a number; enter a number such as 12,5"):
        read_number(text)


@pytest.mark.parametrize("text", ["", "  ", "n/a", "N/A", "-", "–", "NA", "n.d.", "?", "nan",
                                  "..."])
def test_missing_markers_are_missing(text):
    assert is_missing_text(text)


@pytest.mark.parametrize("text", ["0", "0,0", "none of them", "-5", "n/a 3"])
def test_figures_and_sentences_are_not_missing(text):
    assert not is_missing_text(text)


# ------------------------------------------------------------------------------ unit ranges


@pytest.mark.parametrize(("unit", "value", "message"), [
    ("percent", 100.5, "is a percent and must be between 0 and 100"),
    ("percent", -1.0, "is a percent and must be between 0 and 100"),
    ("score_0_100", 101.0, "is a score out of 100 and must be between 0 and 100"),
    ("count", -3.0, "is a count and cannot be negative"),
    ("count", 2.5, "is a count and must be a whole number"),
    ("ratio", -0.1, "is a ratio and cannot be negative"),
    ("rate_per_1000", -2.0, "is a rate per 1,000 and cannot be negative"),
    ("rate", -2.0, "is a rate and cannot be negative"),
    ("hours", -1.0, "is a number of hours and cannot be negative"),
    ("days", -1.0, "is a number of days and cannot be negative"),
])
def test_values_outside_their_units_range_are_refused(unit, value, message):
    assert unit_problem(unit, value) == message
    assert ("value", value, message) in observation_problems(unit, value, None, None)


@pytest.mark.parametrize(("unit", "value"), [
    ("percent", 0.0), ("percent", 100.0), ("count", 0.0), ("count", 11800.0),
    ("ratio", 0.875), ("ratio", 1.4), ("rate_per_1000", 1200.0), ("hours", 9800.5),
    ("currency", -250.0), ("index", -1.3), (None, -5.0),
])
def test_values_within_their_units_range_pass(unit, value):
    assert unit_problem(unit, value) is None


def test_a_numerator_above_its_denominator_is_refused_for_a_percent_only():
    assert observation_problems("percent", 50.0, 70.0, 60.0)[0] == (
        "numerator", 70.0, "is above its denominator (60); numerator cannot exceed "
                           "denominator")
    # 1,200 visits among 1,000 enrolled is a rate of 1,200 per 1,000; a ratio can exceed 1
    assert observation_problems("rate_per_1000", 1200.0, 1200.0, 1000.0) == []
    assert observation_problems("ratio", 1.2, 120.0, 100.0) == []


# -------------------------------------------------------------------------------- quarters

TODAY = date(2026, 12, 7)
WINDOW = QuarterWindow.of("RS-01", date(2022, 10, 1), date(2026, 6, 30), TODAY)


def test_a_quarter_that_has_not_begun_is_refused():
    assert WINDOW.problem("2026Q4") is None  # today's quarter has begun
    assert WINDOW.problem("2027Q1") == (
        "has not begun (today is in 2026Q4); enter figures for quarters up to 2026Q4")
    assert WINDOW.problem("2099Q1") == (
        "has not begun (today is in 2026Q4); enter figures for quarters up to 2026Q4")


def test_baselines_have_ten_years_before_the_start_and_post_exit_measures_three_after():
    assert (BASELINE_YEARS, POST_EXIT_YEARS) == (10, 3)
    assert WINDOW.problem("2012Q4") is None  # NFHS-type rounds: two before the start
    assert WINDOW.problem("2012Q3") == (
        "is more than 10 years before RS-01 started (2022-10-01); check the year, or correct "
        "the programme's start date")
    ended = QuarterWindow.of("ULL-01", date(2016, 1, 1), date(2017, 12, 31), TODAY)
    assert ended.problem("2020Q4") is None  # a post-exit measurement, three years on
    assert ended.problem("2021Q1") == (
        "is more than 3 years after ULL-01's planned end (2017-12-31); check the year, or "
        "move the planned end date if the programme was extended")


def test_a_programme_without_dates_only_refuses_quarters_that_have_not_begun():
    open_ended = QuarterWindow.of("X-01", None, None, TODAY)
    assert open_ended.problem("1990Q1") is None
    assert open_ended.problem("2027Q1") is not None


# ---------------------------------------------------------------------------- plausibility


def test_a_cumulative_series_falling_is_a_warning():
    stored = {"2023Q3": 11000.0, "2023Q4": 11800.0}
    assert series_warnings(stored, [("2024Q1", 1250.0, None)], cumulative=True) == [
        (0, "1250 is below 11800 in 2023Q4, but this series is cumulative: a running total "
            "does not fall")]
    # a tenth of it is a jump as well
    assert [text for _i, text in series_warnings(stored, [("2024Q1", 1180.0, None)],
                                                 cumulative=True)][1] == (
        "1180 is 1/10 of 11800 in 2023Q4; check for a digit too many or too few, or a "
        "decimal mark read as thousands")
    # the same fall in a series that is not cumulative says nothing
    assert series_warnings(stored, [("2024Q1", 1250.0, None)], cumulative=False) == []
    # a figure above the quarter after it, in a running total
    assert series_warnings({"2024Q1": 12000.0}, [("2023Q4", 12500.0, 11800.0)],
                           cumulative=True) == [
        (0, "12500 is above 12000 in 2024Q1, the quarter after, but this series is "
            "cumulative: a running total does not fall")]


def test_a_tenfold_jump_against_the_quarter_before_or_the_replaced_figure_is_a_warning():
    stored = {"2023Q4": 61.5}
    assert series_warnings(stored, [("2024Q1", 615.0, None)], cumulative=False) == [
        (0, "615 is 10 times 61.5 in 2023Q4; check for a digit too many or too few, or a "
            "decimal mark read as thousands")]
    assert series_warnings(stored, [("2024Q1", 0.62, None)], cumulative=False) == [
        (0, "0.62 is 1/99 of 61.5 in 2023Q4; check for a digit too many or too few, or a "
            "decimal mark read as thousands")]
    assert series_warnings({}, [("2024Q1", 875.0, 0.875)], cumulative=False) == [
        (0, "875 is 1000 times 0.875, the figure it replaces")]
    # growth from nothing, or less than tenfold, is fine
    assert series_warnings({"2023Q4": 0.0}, [("2024Q1", 1300.0, None)], cumulative=True) == []
    assert series_warnings(stored, [("2024Q1", 600.0, None)], cumulative=False) == []


def test_figures_changed_together_are_compared_with_each_other_once():
    got = series_warnings({"2023Q1": 100.0}, [("2023Q2", 1000.0, None),
                                              ("2023Q3", 10000.0, None)], cumulative=False)
    assert [i for i, _text in got] == [0, 1]
    assert got[1][1].startswith("10000 is 10 times 1000 in 2023Q2;")
