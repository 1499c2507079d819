"""Small snapshots for the clientelism rule tests: two named strands, named providers,
allocations that run through the test year, and a runner that returns one rule's findings."""

from __future__ import annotations

from datetime import date
from typing import Any

from coprod_me.model import entities as M
from coprod_me.risks.engine import evaluate
from coprod_me.risks.kit import Finding
from coprod_me.risks.snapshot import ProgrammeSnapshot

# one quarter judged by default, so a rule's own arms show without persistence escalation
QUARTERS = ("2024Q2",)
Q = "2024Q2"
STRANDS = {"HH": M.Strand(id=1, programme_id=1, code="HH", name="Home help"),
           "PA": M.Strand(id=2, programme_id=1, code="PA", name="Personal assistance")}


def provider(id: int, name: str = "", **kw: Any) -> M.Actor:
    return M.Actor(id=id, code=f"PROV-{id}", name=name or f"Provider {id}",
                   actor_class="lay_organisation", **kw)


def providers(n: int) -> dict[int, M.Actor]:
    return {i: provider(i) for i in range(1, n + 1)}


def alloc(code: str, provider_id: int, amount: float, *, strand_id: int | None = 1,
          procedure: str = "open_call", **kw: Any) -> M.Allocation:
    """An award running through 2023Q3..2024Q2, published, with declarations, by default."""
    values: dict[str, Any] = {
        "call_published": True, "decision_published": True, "coi_declared": True,
        "n_valid_applicants": 3, "period_start": date(2023, 7, 1),
        "period_end": date(2024, 6, 30), **kw}
    return M.Allocation(programme_id=1, code=code, strand_id=strand_id,
                        provider_actor_id=provider_id, amount=amount, procedure=procedure,
                        **values)


def by_shares(shares: list[float], **kw: Any) -> tuple[dict[int, M.Actor], list[M.Allocation]]:
    """Providers 1..n with awards in these amounts (shares of 100 when they sum to 100)."""
    return providers(len(shares)), [alloc(f"A{i}", i, s, **kw)
                                    for i, s in enumerate(shares, start=1)]


def snap(*, strands: dict[str, M.Strand] | None = None, quarters: tuple[str, ...] = QUARTERS,
         **tables: Any) -> ProgrammeSnapshot:
    strands = STRANDS if strands is None else strands
    prog = tables.pop("programme", None) or M.Programme(
        id=1, code="T-01", name="test", clientelism_context="low",
        start_date=date(2023, 1, 1), planned_end_date=date(2026, 12, 31))
    for name in ("allocations", "staffing", "participation", "feedback", "sponsors",
                 "checklist", "programme_actors"):
        if name in tables:
            tables[name] = tuple(tables[name])
    return ProgrammeSnapshot(
        id=1, code="T-01", programme=prog, quarters=quarters,
        period_status={q: "open" for q in quarters}, strands=strands,
        strand_code={s.id: code for code, s in strands.items() if s.id is not None},
        indicators={}, links=(), totals={}, spreads={}, targets={}, phases=frozenset(),
        gates_unmet=(), actors=tables.pop("actors", {}), **tables)


def run(s: ProgrammeSnapshot, rule: str, *before: str, quarter: str = Q) -> list[Finding]:
    """The findings of ``rule`` in ``quarter``, with the rules it reads run before it."""
    return [f for f in evaluate(s, only=[*before, rule])
            if f.rule_id == rule and f.quarter == quarter]


def one(s: ProgrammeSnapshot, rule: str, *before: str, quarter: str = Q) -> Finding:
    found = run(s, rule, *before, quarter=quarter)
    assert len(found) == 1, [f.why for f in found]
    return found[0]
