"""A flag's explanation in the register: thresholds with unit and provenance, the severity
reason with the engine's escalations in words, next step and full sources; and a flag stored
before flags carried these still shows, from the rule's current data."""

from __future__ import annotations

import json

import pytest

from coprod_me.model import entities as M
from coprod_me.risks.definitions import PROVENANCE, load_rules
from coprod_me.services import Services
from coprod_me.services.database import load_samples


@pytest.fixture
def rs(services: Services) -> Services:
    load_samples(services.store)
    services.risk_runs.run("RS-01")
    return services


def test_an_escalated_flag_says_why_it_has_its_level(rs: Services):
    flags = rs.flag_register.register("RS-01")
    escalated = [f for f in flags if f.consecutive_periods > 1 and f.rule_type == "computed"
                 and f.computed_severity == "high" and "quarters running (since" in f.why]
    assert escalated, "RS-01's CD-1 is raised quarter after quarter"
    f = escalated[0]
    assert f"flagged {f.consecutive_periods} quarters running" in f.severity_reason
    assert f.severity_reason.endswith(".") and "raised from medium to high" in f.severity_reason
    rule = load_rules()[f.rule_id]
    assert f.sources == list(rule.sources) and f.sources[0].startswith("Sorrentino")
    for t in f.thresholds:
        assert t["unit"] and t["provenance"] == PROVENANCE[t["tag"]]


def test_a_checklist_flag_says_why_its_answer_is_a_risk(rs: Services):
    (f, *_) = [f for f in rs.flag_register.register("RS-01") if f.rule_type == "checklist"]
    assert "risk answer" in f.severity_reason  # the answer that gave the level
    assert f.thresholds[0]["provenance"] == PROVENANCE["checklist"]
    assert f.sources and all(len(s) > 30 for s in f.sources)


def test_a_flag_stored_before_flags_carried_their_method_still_shows(rs: Services):
    (f, *_) = [f for f in rs.flag_register.register("RS-01") if f.rule_id == "DQ-1"]
    with rs.store.session(reason="test: a flag stored by an older version") as s:
        row = s.get(M.RiskFlag, f.id)
        assert row is not None
        snap = json.loads(row.trigger_snapshot or "{}")
        for key in ("severity_reason", "next_step", "sources"):
            snap.pop(key)
        for t in snap["thresholds"]:
            t.pop("unit")
        row.trigger_snapshot = json.dumps(snap)
    (old,) = [g for g in rs.flag_register.register("RS-01") if g.id == f.id]
    rule = load_rules()["DQ-1"]
    assert old.severity_reason == ""
    assert old.next_step == rule.next_step and old.sources == list(rule.sources)
    assert old.why == f.why
    gap = next(t for t in old.thresholds if t["name"] == "gap_pp")
    assert gap["unit"] == rule.params["gap_pp"].unit and gap["provenance"].startswith("CONV")
