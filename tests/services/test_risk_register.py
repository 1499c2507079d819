"""The risk register's lifecycle: runs, closing, overrides, re-opening, parameters, checklists."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from coprod_me.model import entities as M
from coprod_me.model.errors import Cancelled, DomainError, ValidationFailed
from coprod_me.paths import sample_programmes_dir
from coprod_me.risks.definitions import PROVENANCE
from coprod_me.services import Services
from tests.builders import set_total


def _load(services: Services, *codes: str) -> Services:
    for code in codes:
        services.workbooks.load(sample_programmes_dir() / f"{code}.xlsx")
    return services


@pytest.fixture
def rs(services: Services) -> Services:
    _load(services, "RS-01")
    services.risk_runs.run("RS-01")
    return services


def _flag(services: Services, rule: str, strand: str | None, quarter: str):
    (f,) = [f for f in services.flag_register.register("RS-01", quarter=quarter, strand=strand)
            if f.rule_id == rule]
    return f


def _audit(services: Services, flag_id: int) -> list[M.AuditLog]:
    with services.store.read() as s:
        return list(s.scalars(select(M.AuditLog).where(
            M.AuditLog.entity == "risk_flag", M.AuditLog.entity_id == flag_id)))


def test_running_twice_changes_nothing_the_second_time(rs: Services) -> None:
    again = rs.risk_runs.run("RS-01")
    assert again.flags > 0 and again.new == again.escalated == again.closed == 0


def test_closing_needs_a_reason_and_is_audited(rs: Services) -> None:
    f = _flag(rs, "DQ-1", "IN-BLK", "2024Q2")
    with pytest.raises(ValidationFailed):
        rs.flag_register.close(f.id, false_positive=True, reason="  ")
    assert rs.flag_register.flag(f.id).status == "open"
    closed = rs.flag_register.close(f.id, false_positive=True,
                                    reason="the MIS counts shared toilets")
    assert closed.status == "closed_false_positive" and not closed.is_open
    rows = _audit(rs, f.id)
    assert any(r.field == "status" and r.new == "closed_false_positive"
               and r.reason == "the MIS counts shared toilets" for r in rows)


def test_a_closed_flag_stays_closed_until_its_metric_moves_20_percent(rs: Services) -> None:
    f = _flag(rs, "CD-1", "IN-BLK", "2024Q2")  # toilets +47 % over two quarters
    rs.flag_register.close(f.id, false_positive=True, reason="construction backlog, reviewed")
    set_total(rs, "RS-P1", "IN-BLK", "2024Q2", 13_600)  # +48 %: a small move
    summary = rs.risk_runs.run("RS-01")
    assert summary.reopened == 0
    assert rs.flag_register.flag(f.id).status == "closed_false_positive"
    set_total(rs, "RS-P1", "IN-BLK", "2024Q2", 16_000)  # +74 %: moved by 58 %
    summary = rs.risk_runs.run("RS-01")
    assert summary.reopened == 1
    assert rs.flag_register.flag(f.id).status == "open"


def test_override_changes_the_effective_severity_and_can_be_cleared(rs: Services) -> None:
    f = _flag(rs, "SU-1", "ID-KAB", "2024Q2")
    with pytest.raises(ValidationFailed):
        rs.flag_register.override_severity(f.id, "medium", reason="")
    with pytest.raises(ValidationFailed):
        rs.flag_register.override_severity(f.id, "severe", reason="typo")
    v = rs.flag_register.override_severity(f.id, "medium",
                                           reason="the regent is re-elected unopposed")
    assert (v.severity, v.computed_severity, v.override_severity) == ("medium", "high", "medium")
    rs.risk_runs.run("RS-01")  # a re-run keeps the evaluator's override
    assert rs.flag_register.flag(f.id).severity == "medium"
    v = rs.flag_register.override_severity(f.id, None, reason="election result contested")
    assert v.severity == "high" and v.override_severity is None
    assert any(r.field == "override_severity" for r in _audit(rs, f.id))


def test_acknowledge_mitigate_and_restore_for_undo(rs: Services) -> None:
    f = _flag(rs, "SU-2", "ID-KAB", "2024Q2")
    a = rs.flag_register.acknowledge(f.id, note="known; budget talks under way")
    assert a.status == "acknowledged" and a.evaluator_judgement == "known; budget talks under way"
    with pytest.raises(ValidationFailed):
        rs.flag_register.mitigate(f.id, mitigation="", owner="")
    m = rs.flag_register.mitigate(f.id, mitigation="ask the district for a 2025 line",
                          owner="PMU director", due_date=date(2024, 9, 30))
    assert (m.status, m.owner, m.due_date) == ("mitigating", "PMU director", date(2024, 9, 30))
    back = rs.flag_register.restore(a)
    assert (back.status, back.mitigation, back.owner) == ("acknowledged", None, None)


def test_a_lifecycle_carries_to_the_next_quarter_when_the_flag_is_raised_again(
        rs: Services) -> None:
    f = _flag(rs, "SU-1", "ID-KAB", "2024Q1")
    rs.flag_register.mitigate(f.id, mitigation="seek a council resolution", owner="PMU director")
    with rs.store.session(reason="test: forget 2024Q2's flag") as s:
        s.delete(s.get(M.RiskFlag, _flag(rs, "SU-1", "ID-KAB", "2024Q2").id))
    rs.risk_runs.run("RS-01")
    nxt = _flag(rs, "SU-1", "ID-KAB", "2024Q2")
    assert (nxt.status, nxt.mitigation) == ("mitigating", "seek a council resolution")


def test_cancel_leaves_nothing(services: Services) -> None:
    _load(services, "RS-01", "KR-01")
    asked = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 1  # cancel after the first programme

    with pytest.raises(Cancelled):
        services.risk_runs.run(cancelled=cancelled)
    with services.store.read() as s:
        assert s.scalars(select(M.RiskFlag)).all() == []


def test_a_parameter_override_needs_a_reason_changes_the_flag_and_is_listed(
        rs: Services) -> None:
    with pytest.raises(ValidationFailed):
        rs.rule_settings.set_parameter("RS-01", "SU-2", "runway_high_pct", 40, reason="")
    with pytest.raises(DomainError):
        rs.rule_settings.set_parameter("RS-01", "SU-2", "no_such", 40, reason="x")
    rs.rule_settings.set_parameter("RS-01", "SU-2", "runway_high_pct", 40,
                           reason="district budgets are voted in October")
    rs.risk_runs.run("RS-01")
    assert _flag(rs, "SU-2", "ID-KAB", "2024Q2").computed_severity == "medium"  # 46 % >= 40 %
    (su2,) = [r for r in rs.rule_settings.rules("RS-01") if r.id == "SU-2"]
    (p,) = [p for p in su2.params if p["name"] == "runway_high_pct"]
    assert (p["value"], p["default"], p["overridden"], p["tag"]) == (40, 50, True, "CONV")
    assert p["reason"] == "district budgets are voted in October"
    (f,) = [f for f in rs.flag_register.register("RS-01", quarter="2024Q2", strand="ID-KAB")
            if f.rule_id == "SU-2"]
    assert {"name": "runway_high_pct", "label": "runway floor, high (%)", "value": 40,
            "unit": "percent", "tag": "CONV", "observed": 46.0,
            "provenance": PROVENANCE["CONV"]} in f.thresholds
    rs.rule_settings.clear_parameter("RS-01", "SU-2", "runway_high_pct",
                                     reason="back to the default")
    rs.risk_runs.run("RS-01")
    assert _flag(rs, "SU-2", "ID-KAB", "2024Q2").computed_severity == "high"
    with rs.store.read() as s:
        assert s.scalars(select(M.AuditLog).where(
            M.AuditLog.entity == "rule_parameter_override")).all()


def test_checklist_answers_raise_judgement_flags(rs: Services) -> None:
    items = {i.code: i for i in rs.checklists.checklist_items("clientelism")}
    assert items["CLQ-1"].risk_answer == "no" and items["CLQ-1"].severity_if_risk == "high"
    rs.checklists.answer("RS-01", "2024Q2", "CLQ-1", "no", comment="lists not public",
                    evidence="block office notice board, visit 12 June")
    rs.checklists.answer("RS-01", "2024Q2", "CLQ-6", "unknown")
    rs.risk_runs.run("RS-01")
    by = {f.rule_id: f for f in rs.flag_register.register("RS-01", quarter="2024Q2")
          if f.strand is None}
    assert by["CLQ-1"].severity == "high" and "lists not public" in by["CLQ-1"].why
    assert by["CLQ-6"].severity == "medium"  # unknown: one level below high
    answers = {a.code: a for a in rs.checklists.checklist("RS-01", "2024Q2")}
    assert answers["CLQ-1"].evidence == "block office notice board, visit 12 June"
    assert answers["CLQ-3"].answer is None and len(answers) == 25
    rs.checklists.answer("RS-01", "2024Q2", "CLQ-1", None)  # undo
    rs.risk_runs.run("RS-01")
    assert "CLQ-1" not in {f.rule_id for f in rs.flag_register.register("RS-01", quarter="2024Q2")}


def test_rag_rolls_up_open_flags_by_category(rs: Services) -> None:
    rag = rs.flag_register.rag("RS-01", "2024Q2")
    assert set(rag) == {"co_destruction", "clientelism", "sustainability", "equity",
                        "data_integrity"}
    assert rag["co_destruction"] == "high" and rag["clientelism"] is None
    f = _flag(rs, "DQ-1", "IN-BLK", "2024Q2")
    rs.flag_register.close(f.id, false_positive=False, reason="MIS corrected")
    assert rs.flag_register.rag("RS-01", "2024Q2")["data_integrity"] in (None, "info", "low")


def test_changes_against_the_previous_quarter(rs: Services) -> None:
    ch = rs.flag_register.changes("RS-01", "2024Q2")
    assert ("DQ-1", "IN-BLK") in {(f.rule_id, f.strand) for f in ch["new"]}
    assert ("EQ-2", "IN-BLK") in {(f.rule_id, f.strand) for f in ch["escalated"]}
    assert ("SU-6", "IN-BLK") in {(f.rule_id, f.strand) for f in ch["closed"]}


def test_groups_under_the_minimum_are_recorded_as_suppressed(services: Services) -> None:
    _load(services, "ULL-01")
    summary = services.risk_runs.run("ULL-01")
    assert summary.suppressed > 0
    sup = services.flag_register.register("ULL-01", status="suppressed_insufficient_data")
    eq1 = [f for f in sup if f.rule_id == "EQ-1" and f.strand == "AMS"]
    assert eq1 and all(f.severity == "info" for f in eq1)
    assert "Too few to judge" in eq1[0].why


def test_rules_ship_as_data_with_provenance(services: Services) -> None:
    rules = {r.id: r for r in services.rule_settings.rules()}
    expected = ({f"CD-{i}" for i in range(1, 9)} | {f"CL-{i}" for i in range(1, 11)} | {"CL-X"}
                | {f"SU-{i}" for i in range(1, 10)} | {f"EQ-{i}" for i in range(1, 7)}
                | {f"DQ-{i}" for i in range(1, 6)})
    assert set(rules) == expected
    assert rules["CL-X"].type == "composite"
    tags = {p["tag"] for r in rules.values() for p in r.params}
    assert tags == {"ANCHOR", "REG", "CONV"}
    assert all(r.citations or r.id in ("DQ-2", "DQ-3") for r in rules.values())
    assert len(services.checklists.checklist_items()) == 25


def test_su8_flags_the_quarter_in_which_the_lead_was_replaced(services: Services,
                                                               tmp_path) -> None:
    from coprod_me.model.quarter import Quarter
    from tests.builders import small_programme_rows, write

    services.workbooks.load(write(tmp_path / "p.xlsx", small_programme_rows()))
    services.programmes.update("T-01", {"lead_person": "A. Rossi", "lead_has_deputy": True})
    now = str(Quarter.containing(date.today()))
    services.observations.record("T-01", "T-P1", now, value=5000.0)
    services.risk_runs.run("T-01")
    assert [f for f in services.flag_register.register("T-01") if f.rule_id == "SU-8"] == []
    # the lead leaves; the deputy arrangement stays, but the change itself is a risk (SU-8)
    services.programmes.update("T-01", {"lead_person": "B. Horvat"}, reason="lead left")
    services.risk_runs.run("T-01")
    su8 = [f for f in services.flag_register.register("T-01") if f.rule_id == "SU-8"]
    assert [(f.quarter, f.severity) for f in su8] == [(now, "medium")]
    assert "changed its lead this quarter" in su8[0].why


def test_a_programmes_minimum_n_reaches_the_groups_the_equity_rules_compare(
        rs: Services) -> None:
    """EQ-2 compares only groups with at least its min_n: a programme's override of that
    minimum changes which groups count, not just the rule's own reading. (RS-01's quarters
    up to 2023Q4 are locked and keep their flags.)"""
    def eq2() -> list[str]:
        return [f.subject for f in rs.flag_register.register("RS-01", quarter="2024Q2")
                if f.rule_id == "EQ-2" and f.is_open]
    assert eq2() == ["RS-O1:social_group"]
    rs.rule_settings.set_parameter("RS-01", "EQ-2", "min_n", 1000,
                           reason="district surveys too small to compare groups")
    assert [f for f in rs.risk_runs.evaluate("RS-01") if f.rule_id == "EQ-2"] == []
    rs.risk_runs.run("RS-01")
    assert eq2() == []
    rs.rule_settings.clear_parameter("RS-01", "EQ-2", "min_n", reason="back to the default")
    rs.risk_runs.run("RS-01")
    assert eq2() == ["RS-O1:social_group"]


def test_an_outcome_gap_is_seen_in_any_breakdown_not_only_the_required_ones(
        services: Services) -> None:
    """EQ-2 reads every dimension an outcome is broken down by: a gap by social group shows
    even when the reference sheet no longer asks for that breakdown."""
    _load(services, "RS-01")
    with services.store.session(reason="test: drop the required breakdowns") as s:
        inds = s.scalars(select(M.Indicator)).all()
        assert any("social_group" in (i.disaggregation_required or "") for i in inds)
        for ind in inds:
            ind.disaggregation_required = None
    eq2 = [f for f in services.risk_runs.evaluate("RS-01", quarter="2024Q2")
           if f.rule_id == "EQ-2" and f.quarter == "2024Q2"]
    assert [(f.strand, f.subject) for f in eq2] == [("IN-BLK", "RS-O1:social_group")]
    assert "sc_st" in eq2[0].why


def test_the_register_of_several_programmes_at_once_is_each_ones_register(services: Services):
    """``coprod-me flags`` reads every programme's flags in one go; each list is what the
    programme's own register says: its latest quarter, a given quarter, or every quarter."""
    _load(services, "RS-01", "KR-01", "HR-01")
    services.risk_runs.run()
    codes = services.programme_codes()
    assert codes == ["HR-01", "KR-01", "RS-01"]
    reg = services.flag_register
    latest = reg.registers(codes)
    for code in codes:
        quarters = reg.quarters(code)
        assert latest[code] == (reg.register(code, quarter=quarters[-1]) if quarters else [])
        assert latest[code]  # every sample has flags in its latest quarter
    assert reg.registers(codes, quarter="2024Q1") == {
        c: reg.register(c, quarter="2024Q1") for c in codes}
    assert reg.registers(codes, every_quarter=True) == {c: reg.register(c) for c in codes}
    assert services.risk_runs.never_checked(codes) == []
