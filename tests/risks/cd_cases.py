"""Small programmes for the co-destruction rule tests (CD-1..CD-8), built in code."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from coprod_me.model import entities as M
from coprod_me.risks.engine import evaluate
from coprod_me.risks.kit import Finding
from coprod_me.risks.snapshot import Point
from tests.risks.programmes import indicator, snapshot

Q0, Q1, Q2 = "2023Q1", "2023Q2", "2023Q3"
QS = ("2022Q1", "2022Q2", "2022Q3", "2022Q4", "2023Q1", "2023Q2", "2023Q3")
ACTORS = {1: M.Actor(id=1, code="PROV-A", name="Provider A", actor_class="lay_organisation"),
          2: M.Actor(id=2, code="PROV-B", name="Provider B", actor_class="lay_organisation")}


def found(snap: Any, rule: str, quarter: str = Q2, *, also: tuple[str, ...] = ()) -> list[Finding]:
    """The rule's findings (suppressed included) in one quarter."""
    return [f for f in evaluate(snap, up_to=quarter, only=[*also, rule])
            if f.rule_id == rule and f.quarter == quarter]


def one(snap: Any, rule: str, quarter: str = Q2, **kw: Any) -> Finding:
    got = found(snap, rule, quarter, **kw)
    assert len(got) == 1, got
    return got[0]


def severity(snap: Any, rule: str, quarter: str = Q2, **kw: Any) -> str | None:
    """The level raised (None: nothing; 'suppressed' for insufficient data)."""
    got = found(snap, rule, quarter, **kw)
    assert len(got) <= 1, got
    if not got:
        return None
    return "suppressed" if got[0].suppressed else got[0].severity


def busy(out: tuple[float, float], y: tuple[float, float], *, n: int | None = None,
         unit: str = "percent", red_at: float | None = None) -> Any:
    """An output -> outcome link over two quarters (2023Q1 -> 2023Q3)."""
    o = indicator(1, "P1", "output", "count")
    o = replace(o, name="Sessions delivered")
    yi = indicator(2, "O1", "outcome_short", unit, red_at=red_at)
    yi = replace(yi, name="Patients managing well")
    totals = {(1, None): {Q0: Point(out[0]), Q2: Point(out[1])},
              (2, None): {Q0: Point(y[0], n), Q2: Point(y[1], n)}}
    return snapshot(indicators=[o, yi], totals=totals, links=((1, 2),),
                    quarters=(Q0, Q1, Q2))


def feedback(period: str, provider: int | None = None, **kw: Any) -> M.FeedbackRecord:
    return M.FeedbackRecord(programme_id=1, period=period, provider_actor_id=provider, **kw)


def with_feedback(*rows: M.FeedbackRecord, **kw: Any) -> Any:
    return snapshot(feedback=rows, actors=ACTORS, quarters=QS, **kw)


def misuse(then: float, now: float, red_at: float | None = None) -> Any:
    ind = indicator(1, "ED", "outcome_intermediate", "rate_per_1000", "decrease",
                    risk_role="misuse_rate", red_at=red_at)
    ind = replace(ind, name="Avoidable emergency visits")
    return snapshot(indicators=[ind], totals={(1, None): {Q0: Point(then), Q2: Point(now)}},
                    quarters=(Q0, Q1, Q2))


def literacy(value: float, answer: str | None = None, *, role: str = "limited_literacy_share",
             n: int | None = None) -> Any:
    ind = indicator(1, "LIT", "context", "percent", risk_role=role)
    ind = replace(ind, name="Users with limited health literacy")
    checklist = () if answer is None else (
        M.ChecklistResponse(programme_id=1, period=Q0, item_code="CDQ-2", answer=answer),)
    return snapshot(indicators=[ind], totals={(1, None): {Q2: Point(value, n)}},
                    checklist=checklist, quarters=(Q0, Q1, Q2))


def tasks(started: int, completed: int, phase: str | None = "co_design") -> Any:
    row = M.ParticipationRecord(programme_id=1, period=Q2, phase=phase, active=started,
                                started_tasks=started, completed_tasks=completed)
    return snapshot(participation=(row,), quarters=(Q0, Q1, Q2))


def proposals(received: int, adopted: int, responded: int) -> Any:
    return snapshot(feedback=(feedback(Q2, proposals_received=received,
                                       proposals_adopted=adopted,
                                       proposals_responded_30d=responded),),
                    quarters=(Q0, Q1, Q2))


def staffing(turnover: float | None, workload: tuple[float, float] | None = None, *,
             outputs: tuple[float, float] = (100, 120)) -> Any:
    w = workload or (None, None)
    rows = (M.StaffingRecord(programme_id=1, period=Q1, workload_score=w[0]),
            M.StaffingRecord(programme_id=1, period=Q2, staff_turnover_pct=turnover,
                             workload_score=w[1]))
    o = indicator(1, "P1", "output", "count")
    o = replace(o, name="Home visits")
    return snapshot(indicators=[o], staffing=rows, quarters=(Q0, Q1, Q2),
                    totals={(1, None): {Q1: Point(outputs[0]), Q2: Point(outputs[1])}})
