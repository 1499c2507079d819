"""The indicator's terms (code, unit, direction, baseline, thresholds) are declared once."""

from __future__ import annotations

from dataclasses import fields

import pytest

from coprod_me.model.indicator_terms import IndicatorTerms
from coprod_me.reports.quarterly_model import IndicatorInfo
from coprod_me.reports.series_data import IndicatorSeries
from coprod_me.risks.snapshot import IndicatorRef

TERMS = {f.name: f for f in fields(IndicatorTerms)}


@pytest.mark.parametrize("read_model", [IndicatorInfo, IndicatorSeries, IndicatorRef])
def test_the_report_and_chart_read_models_take_their_terms_from_the_model(read_model: type):
    assert issubclass(read_model, IndicatorTerms)
    own = {f.name: f for f in fields(read_model)}
    assert all(own[name] is TERMS[name] or own[name].type == TERMS[name].type
               for name in TERMS)


def test_shared_terms_are_keyword_only_so_none_lands_in_the_wrong_place():
    with pytest.raises(TypeError):
        IndicatorInfo("X-O1", "name", "outcome_short", "better_off",  # type: ignore[call-arg]
                      "percent", "increase")
    info = IndicatorInfo(rba_quadrant="better_off", code="X-O1", name="n",
                         result_level="outcome_short", unit="percent", direction="increase",
                         red_at=40.0)
    assert (info.code, info.unit, info.red_at, info.is_outcome) == ("X-O1", "percent", 40.0,
                                                                    True)
    series = IndicatorSeries(programme_code="T-01", code="T-P1", name="n", unit="count",
                             direction="increase", result_level="output")
    assert not series.is_outcome


def test_the_rules_indicator_ref_is_built_with_every_term_of_the_indicator():
    ref = IndicatorRef(id=7, strand=None, code="X-O1", name="n", result_level="outcome_short",
                       unit="percent", direction="decrease", baseline_value=30.0, red_at=45.0)
    assert (ref.baseline_value, ref.red_at, ref.sign, ref.is_outcome) == (30.0, 45.0, -1, True)
