"""The indicator table of a programme: each indicator with its latest value, target and status.

The latest value is the total (no disaggregation) of the latest quarter with one. A
programme-level total is used when there is one; otherwise the strands' totals are combined:
summed for quantities that add up across strands (counts, hours, money), averaged for
everything else (percentages, rates, ratios, scores, days), and ``latest_basis`` says which.
The target is the one for the latest target quarter, combined the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from coprod_me.model.enums import ResultLevel, Unit
from coprod_me.model.tracking import Status, Track, on_track
from coprod_me.queries import series as Q
from coprod_me.queries.indicators import indicators_of
from coprod_me.queries.programmes import get_programme
from coprod_me.store.session import Store

#: Units whose strand values add up to a programme value; the others are averaged.
ADDITIVE_UNITS = frozenset({Unit.COUNT, Unit.HOURS, Unit.CURRENCY})

#: The results chain from the top: impact, outcomes, outputs ... (domain §1.5.1 E).
LEVEL_ORDER: tuple[ResultLevel, ...] = (
    ResultLevel.IMPACT, ResultLevel.OUTCOME_INTERMEDIATE, ResultLevel.OUTCOME_SHORT,
    ResultLevel.OUTPUT, ResultLevel.ACTIVITY, ResultLevel.INPUT, ResultLevel.CONTEXT)


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    name: str
    result_level: str
    rba_quadrant: str
    better_off_type: str | None
    unit: str
    direction: str
    baseline: float | None
    latest_quarter: str | None
    latest_value: float | None
    latest_basis: str | None  # "programme total", "sum of 3 strand totals", ...
    target_period: str | None
    target: float | None
    target_basis: str | None
    status: Track
    status_reason: str
    linked_to: tuple[str, ...] = ()  # codes of the indicators this one should drive

    @property
    def is_outcome(self) -> bool:
        return ResultLevel(self.result_level).is_outcome


@dataclass(frozen=True)
class Combined:
    value: float
    basis: str


def combine(unit: str, programme_value: float | None, strand_values: Iterable[float],
            what: str = "total") -> Combined | None:
    """The programme-level value if present, else the strands' values summed or averaged."""
    if programme_value is not None:
        return Combined(programme_value, f"programme {what}")
    values = list(strand_values)
    if not values:
        return None
    n = len(values)
    noun = f"{n} strand {what}s" if n > 1 else f"1 strand {what}"
    if unit in ADDITIVE_UNITS:
        return Combined(sum(values), f"sum of {noun}" if n > 1 else noun)
    return Combined(sum(values) / n, f"mean of {noun}" if n > 1 else noun)


def _latest(rows: list[tuple[str, int | None, float]], unit: str
            ) -> tuple[str | None, Combined | None]:
    """The latest quarter among (period, strand_id, value) rows and its combined value."""
    if not rows:
        return None, None
    quarter = max(p for p, _s, _v in rows)
    here = [(s, v) for p, s, v in rows if p == quarter]
    programme = next((v for s, v in here if s is None), None)
    return quarter, combine(unit, programme, [v for s, v in here if s is not None])


def indicator_table(store: Store, programme_code: str) -> list[IndicatorRow]:
    """One row per indicator of the programme, outcomes first (domain §1.5.1 E)."""
    with store.read() as s:
        p = get_programme(s, programme_code)
        indicators = indicators_of(s, p.id)
        ids = [i.id for i in indicators]
        values = Q.totals_by_indicator(s, ids)
        targets = Q.targets_by_indicator(s, ids)
        links = Q.links_by_indicator(s, indicators)

    rank = {lvl.value: i for i, lvl in enumerate(LEVEL_ORDER)}
    out = []
    for ind in sorted(indicators, key=lambda i: (rank.get(i.result_level, 99), i.code)):
        ind_values = values.get(ind.id, [])
        quarter, latest = _latest(ind_values, ind.unit)
        target_period, target = _target(targets.get(ind.id, []), ind.unit, ind_values, quarter)
        status: Status = on_track(
            ind.direction, ind.baseline_value, latest.value if latest else None,
            target.value if target else None, ind.amber_at, ind.red_at, ind.range_min,
            ind.range_max, unit=ind.unit)
        out.append(IndicatorRow(
            ind.code, ind.name, ind.result_level, ind.rba_quadrant, ind.better_off_type,
            ind.unit, ind.direction, ind.baseline_value, quarter,
            latest.value if latest else None, latest.basis if latest else None,
            target_period, target.value if target else None, target.basis if target else None,
            status.track, status.reason, tuple(sorted(links.get(ind.id, [])))))
    return out


def _target(rows: list[tuple[str, int | None, float]], unit: str,
            value_rows: list[tuple[str, int | None, float]], latest_quarter: str | None
            ) -> tuple[str | None, Combined | None]:
    """The target of the latest target quarter, for the same strands as the latest value.

    A programme-level target wins. Otherwise, when the latest value comes from some strands
    only, their targets are combined, so a sum of two strands is not held against three.
    """
    if not rows:
        return None, None
    period = max(p for p, _s, _v in rows)
    here = {s: v for p, s, v in rows if p == period}
    if None in here:
        return period, combine(unit, here[None], [], "target")
    reporting = {s for p, s, _v in value_rows if p == latest_quarter and s is not None}
    has_programme_value = any(s is None for p, s, _v in value_rows if p == latest_quarter)
    chosen = [v for s, v in here.items() if s in reporting]
    if has_programme_value or not chosen:
        chosen = list(here.values())
    return period, combine(unit, None, chosen, "target")
