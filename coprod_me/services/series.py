"""Read model for charts: an indicator's series by quarter, its disaggregation, its links.

The store is read through ``queries.series``; the chart builders in ``reports.charts`` get
the frozen dataclasses of ``reports.series_data``. The ``*_chart`` methods hand back matplotlib
Figures for the GUI (which may not import ``reports``); they import matplotlib on first use,
so importing the services at start-up does not.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING

from coprod_me.model.disaggregation import parse_dims_key
from coprod_me.model.enums import STANDARD_DIMENSIONS
from coprod_me.queries import series as Q
from coprod_me.queries.programmes import get_programme
from coprod_me.reports.series_data import Disaggregation, IndicatorSeries, Point
from coprod_me.services.indicators import get_indicator, get_strand
from coprod_me.store.session import Store

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["Disaggregation", "IndicatorSeries", "SeriesService", "category_order"]


def _natural(text: str) -> tuple[tuple[int, int | str], ...]:
    """'5-14' before '15-24': digits compare as numbers."""
    return tuple((0, int(p)) if p.isdigit() else (1, p.lower())
                 for p in re.split(r"(\d+)", text) if p)


def category_order(dimension: str, categories: list[str]) -> list[str]:
    """Standard code-list order where the dimension has one (age bands), else natural order."""
    known = {c: i for i, c in enumerate(STANDARD_DIMENSIONS.get(dimension, ()))}
    return sorted(categories, key=lambda c: (known.get(c, len(known)), _natural(c)))


class SeriesService:
    def __init__(self, store: Store) -> None:
        self.store = store

    # ------------------------------------------------------------------------ read model

    def indicator_series(self, programme_code: str, indicator_code: str, *,
                         strand: str | None = None) -> IndicatorSeries:
        """Totals (no disaggregation) by quarter at a strand, or at the programme level.

        ``strand=None`` reads the rows recorded without a strand. When an indicator is only
        recorded by strand, those rows are empty and ``strands_with_data`` names the strands
        to offer instead. Targets are the strand's own, else the programme-level ones.
        """
        with self.store.read() as s:
            p = get_programme(s, programme_code)
            ind = get_indicator(s, p, indicator_code)
            strands = Q.strands_by_id(s, p.id)
            strand_id = get_strand(s, p, strand)
            rows = Q.recorded_values(s, ind.id)
            targets = Q.target_values(s, ind.id)
            points = sorted((period, float(value)) for sid, period, key, value in rows
                            if sid == strand_id and key == "" and value is not None)
            with_data = {sid for sid, _p, _k, _v in rows}
            own = sorted((q, float(v)) for sid, q, v in targets if sid == strand_id)
            level: str | None = "strand" if strand_id is not None else "programme"
            if not own and strand_id is not None:
                own = sorted((q, float(v)) for sid, q, v in targets if sid is None)
                level = "programme"
            st = strands.get(strand_id) if strand_id is not None else None
            return IndicatorSeries(
                programme_code=p.code, code=ind.code, name=ind.name, unit=ind.unit,
                direction=ind.direction, result_level=ind.result_level,
                strand=st.code if st else None, strand_name=st.name if st else None,
                baseline_value=ind.baseline_value, baseline_period=ind.baseline_period,
                amber_at=ind.amber_at, red_at=ind.red_at, range_min=ind.range_min,
                range_max=ind.range_max, points=tuple(points), targets=tuple(own),
                targets_level=level if own else None,
                strands_with_data=tuple(sorted(strands[i].code for i in with_data
                                               if i is not None and i in strands)),
                programme_level_has_data=None in with_data)

    def disaggregated(self, programme_code: str, indicator_code: str, *,
                      strand: str | None = None) -> Disaggregation:
        """dimension -> category -> [(quarter, value)] from the single-dimension cells."""
        with self.store.read() as s:
            p = get_programme(s, programme_code)
            ind = get_indicator(s, p, indicator_code)
            strand_id = get_strand(s, p, strand)
            rows = Q.disaggregated_values(s, ind.id, strand_id)
            code, name, unit = ind.code, ind.name, ind.unit
        cells: dict[str, dict[str, list[Point]]] = defaultdict(lambda: defaultdict(list))
        cross = 0
        for period, key, value in rows:
            dims = parse_dims_key(key)
            if len(dims) != 1 or value is None:
                cross += 1
                continue
            ((dimension, category),) = dims.items()
            cells[dimension][category].append((period, float(value)))
        panels = {d: {c: sorted(cells[d][c]) for c in category_order(d, list(cells[d]))}
                  for d in sorted(cells)}
        return Disaggregation(programme_code=p.code, code=code, name=name, unit=unit,
                              strand=strand or None, panels=panels, cross_cells=cross)

    def linked_outputs(self, programme_code: str, outcome_code: str) -> list[str]:
        """Codes of the indicators linked to this one as what drives it (usually outputs)."""
        return self._linked(programme_code, outcome_code, upstream=True)

    def linked_outcomes(self, programme_code: str, output_code: str) -> list[str]:
        """Codes of the indicators this one is linked to as what it should drive."""
        return self._linked(programme_code, output_code, upstream=False)

    def _linked(self, programme_code: str, code: str, *, upstream: bool) -> list[str]:
        with self.store.read() as s:
            p = get_programme(s, programme_code)
            return Q.linked_codes(s, get_indicator(s, p, code).id, upstream=upstream)

    # ---------------------------------------------------------------------------- charts

    def turn_the_curve_chart(self, programme_code: str, indicator_code: str, *,
                             strand: str | None = None, into: Figure | None = None) -> Figure:
        """``into``: a figure to draw again (emptied first), else a new one; so for all."""
        from coprod_me.reports import charts

        return charts.turn_the_curve(
            self.indicator_series(programme_code, indicator_code, strand=strand), into=into)

    def output_vs_outcome_chart(self, programme_code: str, output_code: str,
                                outcome_code: str, *, strand: str | None = None,
                                into: Figure | None = None) -> Figure:
        from coprod_me.reports import charts

        return charts.output_vs_outcome(
            self.indicator_series(programme_code, output_code, strand=strand),
            self.indicator_series(programme_code, outcome_code, strand=strand), into=into)

    def disaggregation_chart(self, programme_code: str, indicator_code: str, *,
                             strand: str | None = None, into: Figure | None = None) -> Figure:
        from coprod_me.reports import charts

        d = self.disaggregated(programme_code, indicator_code, strand=strand)
        note = (f"{d.cross_cells} value(s) crossing two or more dimensions are not drawn"
                if d.cross_cells else None)
        return charts.small_multiples(d.title, d.panels, unit=d.unit, note=note, into=into)

    def message_chart(self, text: str, *, title: str | None = None,
                      into: Figure | None = None) -> Figure:
        from coprod_me.reports import charts

        return charts.message_figure(text, title=title, into=into)

    def describe(self, series: IndicatorSeries) -> str:
        from coprod_me.reports import charts

        return charts.describe(series)
