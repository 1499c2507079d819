"""A block pasted into the observation grid, planned as the user expects before anything is saved.

The grid shown in these tests is the one of the by-indicator view of T-O1 (a percent
indicator): its indicator column is hidden, so a block pasted on the Value cell fills value,
numerator, denominator and n.
"""

from __future__ import annotations

from typing import Any

import pytest

from coprod_me.model.errors import DomainError, ValidationFailed
from coprod_me.model.values import AmbiguousNumbers
from coprod_me.services.observation_paste import (
    COL_COMMENT,
    COL_DIMS,
    COL_INDICATOR,
    COL_LOCKED,
    COL_N,
    COL_NUMERATOR,
    COL_QUARTER,
    COL_STRAND,
    COL_VALUE,
    TITLES,
    PastePlan,
    cell_kind,
    dims_text,
    plan_paste,
)
from coprod_me.services.observations import BlockRow, ObservationView
from coprod_me.spreadsheets.clipboard import CellKind, parse_block

BY_INDICATOR = [c for c in range(len(TITLES)) if c != COL_INDICATOR]
BY_QUARTER = [c for c in range(len(TITLES)) if c != COL_QUARTER]
UNITS = {"T-O1": "percent", "T-O2": "percent", "T-P1": "count"}


def _obs(period: str, *, indicator: str = "T-O1", strand: str | None = "NORTH",
         dims: dict[str, str] | None = None, locked: bool = False,
         value: float | None = 60.0) -> ObservationView:
    return ObservationView(
        id=1, indicator_code=indicator,
        strand_code=strand, period=period, dims=dims or {}, phase=None, value=value,
        numerator=None, denominator=None, n_sample=None, quality_status=None,
        verification_type=None, data_source=None, comment=None, locked=locked)


SERIES = [_obs("2023Q1", locked=True), _obs("2023Q2"),
          _obs("2023Q2", dims={"sex": "female"})]


def _plan(text: str, shown: list[ObservationView] = SERIES, *, at_row: int = 1,
          at_column: int | None = COL_VALUE, **kw: Any) -> PastePlan:
    options: dict[str, Any] = {"columns": BY_INDICATOR, "units": UNITS, "indicator": "T-O1",
                               "decimal": ","}
    options.update(kw)
    return plan_paste(parse_block(text), shown, at_row=at_row, at_column=at_column, **options)


def _problems(text: str, shown: list[ObservationView] = SERIES, **kw: Any) -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        _plan(text, shown, **kw)
    assert "nothing was pasted" in str(caught.value)
    return caught.value.problems


def test_decimal_commas_and_thousands_read_as_the_spreadsheet_showed_them():
    plan = _plan("64,5\t387\t600\t600\r\n61,2\t183,6\t1 300\t1.300\r\n")
    assert [dict(r.changes) for r in plan.rows] == [
        {"value": 64.5, "numerator": 387.0, "denominator": 600.0, "n_sample": 600},
        {"value": 61.2, "numerator": 183.6, "denominator": 1300.0, "n_sample": 1300}]
    # where the user's decimal mark is a point, 4,300 is four thousand three hundred
    assert _plan("61\t4,300\n", decimal=".").rows[0].changes["numerator"] == 4300.0
    assert _plan("61\t4,300\n", decimal=",").rows[0].changes["numerator"] == 4.3


def test_each_block_row_lands_on_the_observation_of_its_grid_row():
    plan = _plan("64,5\n61,2\n")
    assert plan == PastePlan(1, (COL_VALUE,), (
        BlockRow("T-O1", "2023Q2", "NORTH", {}, {"value": 64.5},
                 "row 1 of the block (T-O1 2023Q2 at NORTH)"),
        BlockRow("T-O1", "2023Q2", "NORTH", {"sex": "female"}, {"value": 61.2},
                 "row 2 of the block (T-O1 2023Q2 at NORTH (sex=female))")), new=0)
    assert (plan.height, plan.width) == (2, 1)


def test_a_percent_sign_is_taken_in_a_percent_value_and_refused_elsewhere():
    assert _plan("66,0 %\n").rows[0].changes == {"value": 66.0}
    assert _plan("45%\n").rows[0].changes == {"value": 45.0}
    with pytest.raises(ValidationFailed) as caught:
        _plan("45 %\t12 %\n")
    assert caught.value.problems == [
        "row 1, column 'Numerator': '12 %' has a percent sign, but this column is not a "
        "percent; enter a plain number"]
    # a count indicator's value is not a percent either
    count = [_obs("2023Q2", indicator="T-P1")]
    with pytest.raises(ValidationFailed, match="column 'Value': '45 %' has a percent sign"):
        _plan("45 %\n", count, at_row=0, indicator="T-P1")


def test_bad_values_are_all_listed_by_their_place_in_the_block_and_nothing_is_planned():
    with pytest.raises(ValidationFailed) as caught:
        _plan("64,5\t387\n61,x\t183\n60\t#DIV/0!\n")
    assert caught.value.problems == [
        "row 2, column 'Value': '61,x' is not a number; enter a number such as 12,5 or "
        "1 234,5, or leave the cell empty",
        "row 3, column 'Numerator': '#DIV/0!' is a spreadsheet error (#DIV/0!); correct it in "
        "the spreadsheet or leave the cell empty"]
    assert "2 cell(s) of the pasted block cannot be read; nothing was pasted" in str(
        caught.value)
    with pytest.raises(ValidationFailed, match="'600,5' is not a whole number"):
        _plan("61\t\t\t600,5\n", at_row=2)


def test_a_block_larger_than_the_grid_adds_the_following_quarters():
    plan = _plan("64,5\n61,2\n66\n67\n")
    assert plan.new == 2 and plan.height == 4
    assert [(r.period, r.strand, dict(r.dims), dict(r.changes), r.label) for r in plan.rows[2:]] \
        == [("2023Q3", "NORTH", {"sex": "female"}, {"value": 66.0},
             "row 3 of the block (new, 2023Q3)"),
            ("2023Q4", "NORTH", {"sex": "female"}, {"value": 67.0},
             "row 4 of the block (new, 2023Q4)")]


def test_new_rows_take_the_blocks_own_quarter_strand_and_disaggregation():
    plan = _plan("2023Q2\tNORTH\t\tco_delivery\t35,5\n"
                 "2023-Q3\tSOUTH\tsex=female; age_band=15-24\t\t41,25 %\n",
                 [], at_row=0, at_column=COL_QUARTER, indicator="T-O2")
    assert [(r.indicator, r.period, r.strand, dict(r.dims), dict(r.changes))
            for r in plan.rows] == [
        ("T-O2", "2023Q2", "NORTH", {}, {"phase": "co_delivery", "value": 35.5}),
        ("T-O2", "2023Q3", "SOUTH", {"sex": "female", "age_band": "15-24"},
         {"phase": None, "value": 41.25})]
    assert plan.new == 2 and plan.columns == (COL_QUARTER, COL_STRAND, COL_DIMS, 4, COL_VALUE)


def test_a_series_with_no_observations_needs_the_quarter_in_the_block():
    assert _problems("35\n", [], at_row=0, indicator="T-O2") == [
        "row 1 of the block: T-O2 has no observations yet, so the quarter is not known; "
        "paste a block whose first column is the quarter"]


def test_a_wrong_disaggregation_for_a_new_row_says_how_to_write_it():
    assert _problems("2023Q3\tNORTH\tfemale\t\t35\n", [], at_row=0, at_column=COL_QUARTER) == [
        "row 1 of the block, column 'Disaggregation': 'female' has 'female', which is not "
        "dimension=category; write e.g. sex=female; age_band=15-24"]


def test_the_by_quarter_grid_does_not_grow_past_its_last_row():
    shown = [_obs("2023Q2"), _obs("2023Q2", indicator="T-P1")]
    assert _problems("61\n40\n41\n", shown, at_row=0, columns=BY_QUARTER, indicator=None) == [
        "row 3 of the block runs past the last row; in the by-quarter view, add the "
        "observations first (or paste in the by-indicator view)"]


def test_a_row_landing_on_a_locked_quarter_is_refused_with_the_way_to_correct_it():
    assert _problems("64\n", at_row=0) == [
        "row 1 of the block lands on T-O1 2023Q1 at NORTH, which is in a locked quarter; use "
        "Correct locked value… for it"]


def test_key_columns_must_match_the_rows_they_land_on():
    problems = _problems("2023Q1\tNORTH\n2023Q3\tNORTH\n2023Q2\tSOUTH\n", at_row=0,
                         at_column=COL_QUARTER)
    assert problems == [
        "row 1 of the block lands on T-O1 2023Q1 at NORTH, which is in a locked quarter; use "
        "Correct locked value… for it",
        "row 2 of the block: quarter '2023Q3' was pasted on T-O1 2023Q2 at NORTH ('2023Q2'); "
        "quarter, strand and disaggregation identify an observation, so paste those columns "
        "only on matching rows",
        "row 3 of the block: strand 'SOUTH' was pasted on T-O1 2023Q2 at NORTH (sex=female) "
        "('NORTH'); quarter, strand and disaggregation identify an observation, so paste "
        "those columns only on matching rows"]
    # the same keys, written differently, are the same observation
    plan = _plan("2023-Q2\tNORTH\tsex = female\t\t62\n", at_row=2, at_column=COL_QUARTER)
    assert plan.rows[0].changes == {"phase": None, "value": 62.0}
    assert _problems("NORTH\tage_band=15-24\n", at_row=2, at_column=COL_STRAND)[0].startswith(
        "row 1 of the block: disaggregation 'age_band=15-24' was pasted on T-O1 2023Q2 at "
        "NORTH (sex=female) ('sex=female')")


def test_a_block_wider_than_the_columns_to_the_right_is_refused():
    with pytest.raises(DomainError) as caught:
        _plan("a\tb\tc\n", at_column=COL_COMMENT)
    assert str(caught.value) == (
        "the block is 3 columns wide, but only 2 column(s) from 'Comment' to the right edge "
        "can take it; start the paste further left")


def test_the_paste_starts_at_the_first_visible_column_when_the_cursor_names_none():
    assert _plan("2023Q2\n", at_column=None).columns == (COL_QUARTER,)
    assert _plan("2023Q2\n", at_column=COL_INDICATOR).columns == (COL_QUARTER,)  # hidden


def test_the_locked_column_takes_whatever_was_pasted_and_sets_nothing():
    plan = _plan("note\tlocked · 1 correction(s)\n", at_column=COL_COMMENT)
    assert plan.rows[0].changes == {"comment": "note"}
    assert plan.columns == (COL_COMMENT, COL_LOCKED)


def test_an_empty_block_plans_nothing():
    with pytest.raises(DomainError, match="the block is empty"):
        plan_paste([], SERIES, columns=BY_INDICATOR)


def test_cells_are_read_by_their_column_and_the_indicators_unit():
    assert cell_kind(COL_VALUE, "percent") == CellKind.PERCENT
    assert cell_kind(COL_VALUE, "count") == CellKind.NUMBER
    assert cell_kind(COL_NUMERATOR, "percent") == CellKind.NUMBER
    assert cell_kind(COL_N, None) == CellKind.WHOLE
    assert cell_kind(COL_QUARTER, None) == CellKind.QUARTER
    assert cell_kind(COL_LOCKED, None) == CellKind.IGNORE
    assert cell_kind(COL_STRAND, None) == CellKind.TEXT
    assert dims_text({"sex": "female", "age_band": "15-24"}) == "age_band=15-24; sex=female"


# ----------------------------------------------------------------- the value gate (issue 12)

RATIOS = {**UNITS, "T-R1": "ratio"}
RATIO_SERIES = [_obs("2023Q2", indicator="T-R1", value=0.8)]


def test_a_ratio_of_0_875_is_0_875_whatever_the_locale():
    assert cell_kind(COL_VALUE, "ratio") == CellKind.RATIO
    for decimal in (".", ","):
        plan = _plan("0,875\n", RATIO_SERIES, at_row=0, units=RATIOS, indicator="T-R1",
                     decimal=decimal)
        assert plan.rows[0].changes == {"value": 0.875}


def test_a_ratio_that_reads_two_ways_is_asked_about_then_read_as_the_user_says():
    with pytest.raises(AmbiguousNumbers) as caught:
        _plan("1,234\n0,5\n1,250\n", RATIO_SERIES, at_row=0, units=RATIOS, indicator="T-R1",
              decimal=".")
    assert (caught.value.mark, caught.value.places) == (",", [
        "row 1, column 'Value': '1,234' (1.234 or 1234)",
        "row 3, column 'Value': '1,250' (1.25 or 1250)"])
    assert str(caught.value) == ("2 cell(s) can be read two ways:\n"
                                 "- row 1, column 'Value': '1,234' (1.234 or 1234)\n"
                                 "- row 3, column 'Value': '1,250' (1.25 or 1250)")
    as_decimals = _plan("1,234\n0,5\n1,250\n", RATIO_SERIES, at_row=0, units=RATIOS,
                        indicator="T-R1", decimal=",", ask=False)
    assert [r.changes["value"] for r in as_decimals.rows] == [1.234, 0.5, 1.25]
    as_thousands = _plan("1,234\n0,5\n1,250\n", RATIO_SERIES, at_row=0, units=RATIOS,
                         indicator="T-R1", decimal=".", ask=False)
    assert [r.changes["value"] for r in as_thousands.rows] == [1234.0, 0.5, 1250.0]
    # a count's 1,234 is no question: the locale reads it
    count = [_obs("2023Q2", indicator="T-P1")]
    assert _plan("1,234\n", count, at_row=0, indicator="T-P1", decimal=".").rows[0].changes \
        == {"value": 1234.0}


def test_a_percent_that_reads_two_ways_among_other_problems_is_one_of_them():
    assert _problems("1.234\n61,x\n", decimal=",") == [
        "row 1, column 'Value': '1.234' can be read as 1.234 or as 1234; write 1234 for the "
        "thousands or 1,234 for the fraction",
        "row 2, column 'Value': '61,x' is not a number; enter a number such as 12,5 or "
        "1 234,5, or leave the cell empty"]


def test_an_infinite_number_is_refused_with_why():
    assert _problems("1e309\n") == [
        "row 1, column 'Value': '1e309' is too large to be a figure (it is beyond what can be "
        "stored); enter the figure"]


def test_n_a_in_a_block_is_missing_not_a_rejection():
    plan = _plan("64,5\t387\nn/a\t183\n-\t\n66\t\n n/a \t\n67\t\n")
    # on shown rows a missing figure sets nothing (the stored one stays); past the last row
    # a row with no figure adds nothing
    assert [(r.period, dict(r.dims), dict(r.changes)) for r in plan.rows] == [
        ("2023Q2", {}, {"value": 64.5, "numerator": 387.0}),
        ("2023Q2", {"sex": "female"}, {"numerator": 183.0}),
        ("2023Q4", {"sex": "female"}, {"value": 66.0}),  # 2023Q3 said "-": none added
        ("2024Q2", {"sex": "female"}, {"value": 67.0})]
    assert (plan.new, plan.dropped, plan.height) == (2, 2, 6)
    assert plan.notes == (
        "row 2 of the block, column 'Value': 'n/a' is missing, not zero; the stored figure "
        "stays",
        "row 3 of the block, column 'Value': '-' is missing, not zero; nothing was added for "
        "this row",
        "row 5 of the block, column 'Value': 'n/a' is missing, not zero; nothing was added for "
        "this row")
