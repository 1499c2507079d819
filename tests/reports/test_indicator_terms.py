"""The indicator's terms (code, unit, direction, baseline, thresholds) are declared once."""

from __future__ import annotations

from dataclasses import fields

import pytest

from coprod_me.model.indicator_terms import IndicatorTerms
from coprod_me.reports.quarterly_model import IndicatorInfo
from coprod_me.reports.series_data import IndicatorSeries
from coprod_me.risks.snapshot import IndicatorRef

TERMS = {f.name: f for f in fields(IndicatorTerms)}


@pytest.mark.parametrize("read_model", [IndicatorInfo, IndicatorSeries])
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


def test_the_rules_indicator_ref_means_the_same_by_the_same_names():
    """IndicatorRef declares its own fields (its builder passes them by position, with ``id``
    and ``strand`` between the shared ones); those it shares with IndicatorTerms keep the same
    type and default."""
    ref = {f.name: f for f in fields(IndicatorRef)}
    shared = TERMS.keys() & ref.keys()
    assert shared == {"code", "name", "result_level", "unit", "direction", "red_at"}
    assert [(n, ref[n].type, ref[n].default) for n in sorted(shared)] == [
        (n, TERMS[n].type, TERMS[n].default) for n in sorted(shared)]
