"""Small read-model snapshots built in code, so the rule tests need no database."""

from __future__ import annotations

from datetime import date
from typing import Any

from coprod_me.model import entities as M
from coprod_me.risks.snapshot import IndicatorRef, Point, ProgrammeSnapshot

QUARTERS = ("2023Q1", "2023Q2", "2023Q3", "2023Q4", "2024Q1", "2024Q2")


def indicator(id: int, code: str, level: str, unit: str = "percent",
              direction: str = "increase", **kw: Any) -> IndicatorRef:
    return IndicatorRef(id=id, code=code, name=f"indicator {code}", strand=None,
                        result_level=level, unit=unit, direction=direction, **kw)


def snapshot(*, indicators: list[IndicatorRef] = (),  # type: ignore[assignment]
             totals: dict[tuple[int, str | None], dict[str, Point]] | None = None,
             links: tuple[tuple[int, int], ...] = (), quarters: tuple[str, ...] = QUARTERS,
             **tables: Any) -> ProgrammeSnapshot:
    prog = M.Programme(id=1, code="T-01", name="test", clientelism_context="low",
                       start_date=date(2023, 1, 1), planned_end_date=date(2026, 12, 31),
                       institutional_status="programme_recurrent_budget")
    return ProgrammeSnapshot(
        id=1, code="T-01", programme=tables.pop("programme", prog), quarters=quarters,
        period_status={q: "open" for q in quarters}, strands={}, strand_code={},
        indicators={i.id: i for i in indicators}, links=links, totals=totals or {},
        spreads=tables.pop("spreads", {}), targets={}, phases=frozenset(), gates_unmet=(),
        actors=tables.pop("actors", {}), **tables)


def participation(period: str, active: int, *, phase: str = "co_design",
                  dimension: str = "", category: str = "", new: int | None = None,
                  continuing: int | None = None) -> M.ParticipationRecord:
    return M.ParticipationRecord(programme_id=1, period=period, phase=phase,
                                 group_dimension=dimension, group_category=category,
                                 active=active, new=new, continuing_active=continuing)


def population(category: str, count: float, *, dimension: str = "age_band") -> list[
        M.PopulationReference]:
    return [M.PopulationReference(programme_id=1, geo="area", group_dimension=dimension,
                                  group_category=category, population_count=count, year=2023)]
