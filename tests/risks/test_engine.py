"""Engine semantics of domain §2.0 and the rule files."""

from __future__ import annotations

from datetime import date

from coprod_me.model import entities as M
from coprod_me.risks.definitions import load_checklist_items, load_rules
from coprod_me.risks.engine import evaluate, rollup
from coprod_me.risks.kit import mde_points, raise_level
from coprod_me.risks.snapshot import Point
from tests.risks.programmes import QUARTERS, indicator, snapshot


def test_the_mde_for_the_brief_example_is_five_and_a_half_points():
    assert round(mde_points(63, 600), 1) == 5.5
    assert mde_points(63, None) == 0


def test_escalation_is_capped_at_high_and_only_composites_reach_critical():
    assert raise_level("medium") == "high"
    assert raise_level("high") == "high"
    assert raise_level("critical") == "critical"


def test_three_open_mediums_roll_up_to_high():
    assert rollup([]) is None
    assert rollup(["low", "medium"]) == "medium"
    assert rollup(["medium"] * 3) == "high"
    assert rollup(["critical", "medium"]) == "critical"


def test_persistence_raises_a_computed_flag_raised_twice_running():
    o = indicator(1, "P1", "output", "count")
    y = indicator(2, "O1", "outcome_short")
    values = [100, 200, 400, 800, 1600, 3200]
    totals = {(1, None): {q: Point(v) for q, v in zip(QUARTERS, values, strict=True)},
              (2, None): {q: Point(50.0, 1000) for q in QUARTERS}}
    found = [f for f in evaluate(snapshot(indicators=[o, y], totals=totals, links=((1, 2),)))
             if f.rule_id == "CD-1"]
    assert [(f.quarter, f.severity, f.consecutive) for f in found] == [
        ("2023Q3", "medium", 1), ("2023Q4", "high", 2), ("2024Q1", "high", 3),
        ("2024Q2", "high", 4)]
    assert found[1].first_raised == "2023Q3"
    assert "Raised 2 quarters running" in found[1].why


def test_high_clientelism_context_amplifies_cl2_but_not_cl1():
    prog = M.Programme(id=1, code="T-01", name="t", clientelism_context="high")
    actors = {1: M.Actor(id=1, code="A", name="A", actor_class="lay_organisation"),
              2: M.Actor(id=2, code="B", name="B", actor_class="lay_organisation")}
    allocs = (
        M.Allocation(programme_id=1, code="X", provider_actor_id=1, amount=35.0,
                     procedure="direct_award", period_start=date(2023, 1, 1),
                     period_end=date(2023, 12, 31)),
        M.Allocation(programme_id=1, code="Y", provider_actor_id=2, amount=65.0,
                     procedure="open_call", call_published=True, n_valid_applicants=4,
                     period_start=date(2023, 1, 1), period_end=date(2023, 12, 31)))
    snap = snapshot(programme=prog, allocations=allocs, quarters=("2023Q1",))
    object.__setattr__(snap, "actors", actors)
    by = {f.rule_id: f for f in evaluate(snap)}
    assert by["CL-2"].severity == "high"  # 35 % non-competitive: medium, amplified
    assert "clientelism context" in " ".join(by["CL-2"].escalations)
    # CL-1 is high here on its own logic (HHI 5,450 with CL-2 firing), never by the context
    assert not any("clientelism context" in e for e in by["CL-1"].escalations)


def test_every_rule_and_checklist_item_is_described_with_provenance():
    rules = load_rules()
    assert len(rules) == 39
    for r in rules.values():
        assert r.title and r.rationale and r.category and r.severity_logic
        assert all(p.tag in ("LIT", "ANCHOR", "REG", "CONV") for p in r.params.values())
    items = load_checklist_items()
    assert {i.code[:3] for i in items.values()} == {"CDQ", "CLQ", "SUQ", "EQQ"}
    assert items["CDQ-1"].severity_if_partly == "medium"


def test_su1_is_high_when_the_sponsor_s_term_ends_before_the_programme_does():
    from coprod_me.model import entities as M
    from tests.risks.programmes import snapshot

    def su1(term_end: date, committed: bool = False) -> str:
        sponsor = M.Sponsor(id=1, programme_id=1, code="MAYOR", office_title="Mayor",
                            term_end_date=term_end, commitment_beyond_term=committed)
        grant = M.FundingSource(id=1, programme_id=1, code="G1", sponsor_id=1,
                                type="project_grant", committed_amount=400_000,
                                period_start=date(2024, 1, 1), period_end=date(2024, 12, 31))
        snap = snapshot(sponsors=(sponsor,), funding=(grant,))
        found = [f for f in evaluate(snap, only=["SU-1"]) if f.quarter == "2024Q2"]
        assert len(found) == 1
        return found[0].severity

    # 100 % dependence; the programme runs to 2026-12-31 (tests.risks.programmes)
    assert su1(date(2025, 3, 31)) == "high"  # 9 months away
    assert su1(date(2026, 6, 30)) == "high"  # 24 months away, but before the planned end
    assert su1(date(2027, 6, 30)) == "medium"  # after the programme ends
    assert su1(date(2026, 6, 30), committed=True) == "medium"  # commitment beyond the term


def test_cl9_fires_when_no_user_led_organisation_is_among_the_partners():
    from coprod_me.model import entities as M
    from tests.risks.programmes import snapshot

    def cl9(partner_type: str) -> list[str]:
        people = {1: M.Actor(id=1, code="DPO", name="Disabled people's org",
                             actor_class="lay_organisation", org_type=partner_type),
                  2: M.Actor(id=2, code="CITY", name="City", actor_class="state_direct",
                             org_type="government_unit")}
        seats = (M.ProgrammeActor(id=1, programme_id=1, actor_id=1, role="co_assessor",
                                  phase="co_assessment", decision_body="Board",
                                  seats_on_decision_body=2, total_seats_decision_body=6,
                                  is_beneficiary_represented=True),
                 M.ProgrammeActor(id=2, programme_id=1, actor_id=2, role="commissioner",
                                  phase="co_assessment", decision_body="Board",
                                  seats_on_decision_body=4, total_seats_decision_body=6))
        snap = snapshot(programme_actors=seats, actors=people)
        return [f.severity for f in evaluate(snap, only=["CL-9"]) if f.quarter == "2024Q2"]

    assert cl9("user_led_org") == []  # 2 of 6 seats (33 %) and a user-led partner
    assert cl9("ngo_association") == ["medium"]  # seats enough, but no user-led partner
