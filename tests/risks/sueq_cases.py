"""Builders for the sustainability and equity rule tests: small snapshots with named strands."""

from __future__ import annotations

from datetime import date
from typing import Any

from coprod_me.model import entities as M
from coprod_me.risks.engine import evaluate
from coprod_me.risks.kit import Finding
from coprod_me.risks.snapshot import IndicatorRef, ProgrammeSnapshot

QUARTERS = ("2023Q1", "2023Q2", "2023Q3", "2023Q4", "2024Q1", "2024Q2", "2024Q3", "2024Q4",
            "2025Q1")
NORTH = M.Strand(id=1, programme_id=1, code="S-N", name="Northside", type="site",
                 start_date=date(2023, 1, 1))


def programme(**kw: Any) -> M.Programme:
    values: dict[str, Any] = {
        "id": 1, "code": "T-01", "name": "Test programme", "clientelism_context": "low",
        "start_date": date(2023, 1, 1), "planned_end_date": date(2027, 12, 31),
        "institutional_status": "programme_recurrent_budget", **kw}
    return M.Programme(**values)


def snap(*, strands: tuple[M.Strand, ...] = (), prog: M.Programme | None = None,
         indicators: tuple[IndicatorRef, ...] = (), quarters: tuple[str, ...] = QUARTERS,
         **tables: Any) -> ProgrammeSnapshot:
    return ProgrammeSnapshot(
        id=1, code="T-01", programme=prog or programme(), quarters=quarters,
        period_status={q: "open" for q in quarters},
        strands={s.code: s for s in strands},
        strand_code={s.id: s.code for s in strands if s.id is not None},
        indicators={i.id: i for i in indicators}, links=(),
        totals=tables.pop("totals", {}), spreads=tables.pop("spreads", {}),
        targets=tables.pop("targets", {}), phases=frozenset(), gates_unmet=(),
        actors=tables.pop("actors", {}), **tables)


def outcome(id: int = 1, code: str = "O-1", name: str = "Share of carers who feel supported",
            unit: str = "percent", direction: str = "increase", **kw: Any) -> IndicatorRef:
    return IndicatorRef(id=id, code=code, name=name, strand=kw.pop("strand", None),
                        result_level="outcome_short", unit=unit, direction=direction, **kw)


def found(s: ProgrammeSnapshot, rule: str, quarter: str | None = None,
          also: tuple[str, ...] = ()) -> list[Finding]:
    """The findings of one rule (suppressed included), in one quarter when given."""
    return [f for f in evaluate(s, only=[*also, rule])
            if f.rule_id == rule and (quarter is None or f.quarter == quarter)]


def one(s: ProgrammeSnapshot, rule: str, quarter: str, also: tuple[str, ...] = ()) -> Finding:
    (f,) = found(s, rule, quarter, also)
    return f


def record(period: str, active: int | None = None, *, strand_id: int | None = None,
           phase: str = "co_delivery", dimension: str = "", category: str = "",
           **kw: Any) -> M.ParticipationRecord:
    return M.ParticipationRecord(programme_id=1, strand_id=strand_id, period=period,
                                 phase=phase, group_dimension=dimension,
                                 group_category=category, active=active, **kw)


def people(group: float, rest: float, *, category: str = "65+",
           dimension: str = "age_band") -> tuple[M.PopulationReference, ...]:
    """A population of group + rest in one area (no separate total row)."""
    return tuple(M.PopulationReference(programme_id=1, geo="area", group_dimension=dimension,
                                       group_category=c, population_count=n, year=2023)
                 for c, n in ((category, group), ("others", rest)))
