"""The Portfolio's figures: each programme's row from the facts the read floor gathered, by the
rules the rest of the app uses, never a copy of them:

- risk categories: ``model.category_status`` (the Overview badges' roll-up and words);
- outcomes on track, at risk, off track or without data: the report's headline status of each
  outcome in the quarter (``quarterly_figures.headline``, over ``model.tracking.on_track``);
- gates unmet: ``model.coaching.structural_gates`` (``coprod-me gates``);
- data completeness, as ``portfolio_model.COMPLETENESS`` defines it.
"""

from __future__ import annotations

from coprod_me.model.category_status import category_statuses
from coprod_me.model.coaching import structural_gates, unmet_gates
from coprod_me.model.enums import ResultLevel
from coprod_me.model.progress import IsCancelled, never
from coprod_me.model.tracking import Track
from coprod_me.reports import quarterly_figures as F
from coprod_me.reports.portfolio_model import (
    PortfolioFacts,
    PortfolioRow,
    ProgrammeFacts,
)
from coprod_me.reports.quarterly_model import (
    IndicatorInfo,
    Measurement,
    ProgrammeData,
    TargetValue,
)


def portfolio_rows(facts: PortfolioFacts, *, cancelled: IsCancelled = never
                   ) -> list[PortfolioRow]:
    """One row per programme, by code."""
    rows = []
    for p in sorted(facts.programmes, key=lambda p: p.code):
        if cancelled():
            break
        counts = _outcome_counts(p, facts)
        expected, reported = _completeness(p, facts)
        statuses = category_statuses(p.flags, checked=p.checked)
        gates = unmet_gates(structural_gates(p.indicators, p.links, p.phases))
        rows.append(PortfolioRow(
            p.code, p.name, facts.quarter, tuple(statuses.values()),
            counts[Track.ON_TRACK], counts[Track.AT_RISK], counts[Track.OFF_TRACK],
            counts[Track.NO_DATA], expected, reported, tuple(g.code for g in gates)))
    return rows


def _outcome_counts(p: ProgrammeFacts, facts: PortfolioFacts) -> dict[Track, int]:
    """Each outcome's status in the quarter as the report's headline judges it."""
    outcomes = [i for i in p.indicators if ResultLevel(i.result_level).is_outcome]
    infos = [IndicatorInfo(
        code=i.code, name=i.name, result_level=i.result_level, rba_quadrant=i.rba_quadrant,
        unit=i.unit, direction=i.direction, baseline_value=i.baseline_value,
        baseline_period=i.baseline_period, amber_at=i.amber_at, red_at=i.red_at,
        range_min=i.range_min, range_max=i.range_max) for i in outcomes]
    strand = p.strands.get
    data = ProgrammeData(
        p.code, p.name, indicators=tuple(infos),
        measurements=tuple(
            Measurement(i.code, strand(s) if s is not None else None, period, (), value)
            for i in outcomes for s, period, value in facts.totals.get(i.id or 0, ())),
        targets=tuple(
            TargetValue(i.code, strand(s) if s is not None else None, period, value)
            for i in outcomes for s, period, value in facts.targets.get(i.id or 0, ())))
    counts = dict.fromkeys(Track, 0)
    if not infos:
        return counts
    rows = F.indicator_rows(data, facts.quarter)
    for info in infos:
        counts[F.headline(data, info, rows, facts.quarter).status.track] += 1
    return counts


def _completeness(p: ProgrammeFacts, facts: PortfolioFacts) -> tuple[int, int]:
    """(expected, reported) totals this quarter: see ``COMPLETENESS``."""
    places: list[int | None] = list(p.strands) or [None]
    expected = reported = 0
    for ind in p.indicators:
        here = {s for s, period, _v in facts.totals.get(ind.id or 0, ())
                if period == facts.quarter}
        expected += len(places)
        reported += len(places) if None in here else sum(1 for s in places if s in here)
    return expected, reported
