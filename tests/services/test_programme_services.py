"""Programmes, indicators, links and observations through the services, as the GUI uses them."""

from __future__ import annotations

from pathlib import Path

import pytest

from coprod_me.model.errors import DomainError, LockedPeriod, ValidationFailed
from coprod_me.services import Services
from tests.builders import small_programme_rows, write


@pytest.fixture
def loaded(services: Services, tmp_path: Path) -> Services:
    services.workbooks.load(write(tmp_path / "p.xlsx", small_programme_rows()))
    return services


def test_creating_a_programme_checks_its_code_and_classification(services: Services):
    with pytest.raises(DomainError, match="code 'R S' is not valid"):
        services.programmes.create("R S", "Spaces")
    with pytest.raises(DomainError, match="os_level: 'sometimes' is not one of the allowed "
                       "values: consumer, participative, enhanced"):
        services.programmes.create("R-1", "Rural", os_level="sometimes")
    services.programmes.create("R-1", "Rural", os_level="enhanced", interaction_mode="ict_async",
                               intended_outcome="user_led_innovation")
    with pytest.raises(DomainError, match="already exists"):
        services.programmes.create("R-1", "Again")
    view = services.programmes.tradition_label("R-1")
    assert view.derived == "non_traditional"
    assert "ICT-mediated" in view.reasoning


def test_overriding_the_tradition_label_needs_a_reason(services: Services):
    services.programmes.create("R-1", "Rural", os_level="participative",
                               interaction_mode="hybrid")
    assert services.programmes.tradition_label("R-1").effective == "mixed"
    with pytest.raises(DomainError, match="say why"):
        services.programmes.override_tradition_label("R-1", "traditional", "")
    services.programmes.override_tradition_label("R-1", "traditional", "online part is minor")
    view = services.programmes.tradition_label("R-1")
    assert (view.effective, view.override_reason) == ("traditional", "online part is minor")


def test_an_output_named_outcome_gets_the_sanitation_coaching(loaded: Services):
    saved = loaded.indicators.create(
        "T-01", "T-O9", "Number of natural leaders trained", result_level="outcome_short",
        rba_quadrant="better_off", better_off_type="skills_knowledge", unit="count")
    assert len(saved.warnings) == 1
    assert "'trained'" in saved.warnings[0] and "68 %" in saved.warnings[0]
    clean = loaded.indicators.create(
        "T-01", "T-O8", "% of households practising handwashing with soap",
        result_level="outcome_short", rba_quadrant="better_off", better_off_type="behaviour",
        unit="percent", numerator_def="households observed", denominator_def="households")
    assert clean.warnings == ()


def test_a_better_off_indicator_needs_its_type(loaded: Services):
    with pytest.raises(DomainError, match="needs a better_off_type"):
        loaded.indicators.create("T-01", "T-O7", "Self-efficacy", result_level="outcome_short",
                                 rba_quadrant="better_off", unit="percent")


def test_links_need_an_assumption_and_cannot_loop(loaded: Services):
    with pytest.raises(DomainError, match="write the assumption"):
        loaded.indicators.link("T-01", "T-P1", "T-O2", " ")
    loaded.indicators.link("T-01", "T-P1", "T-O2", "Toilets replace open defecation sites")
    with pytest.raises(DomainError, match="already leads to"):
        loaded.indicators.link("T-01", "T-O2", "T-P1", "backwards")
    pairs = {(a, b) for a, b, _ in loaded.indicators.links("T-01")}
    assert pairs == {("T-P1", "T-O1"), ("T-P1", "T-O2")}


def test_gates_list_what_is_unmet(loaded: Services):
    gates = {g.code: g for g in loaded.programmes.gates("T-01")}
    assert all(g.met for g in gates.values()), [g.details for g in gates.values()]
    loaded.indicators.create("T-01", "T-P2", "Masons trained", result_level="output",
                             rba_quadrant="how_much", unit="count")
    loaded.indicators.create("T-01", "T-P3", "Workshops held", result_level="output",
                             rba_quadrant="how_much", unit="count")
    gates = {g.code: g for g in loaded.programmes.gates("T-01")}
    assert not gates["G2"].met and gates["G2"].details == ("2 outcome(s) for 3 output(s)",)
    assert not gates["G3"].met
    assert "output T-P2 is not linked to an outcome with an assumption" in gates["G3"].details
    with pytest.raises(ValidationFailed, match="cannot move to active reporting"):
        loaded.programmes.update("T-01", {"status": "active_reporting"})


def test_logging_an_observation_validates_and_respects_locks(loaded: Services):
    oid = loaded.observations.record("T-01", "T-O2", "2023Q2", strand="NORTH", value=35.0,
                                     numerator=210, denominator=600, dims={"sex": "female"})
    obs = loaded.observations.find("T-01", indicator="T-O2")
    assert [(o.id, o.value, o.dims) for o in obs] == [(oid, 35.0, {"sex": "female"})]
    with pytest.raises(DomainError, match="already has a value for 2023Q2"):
        loaded.observations.record("T-01", "T-O2", "2023Q2", strand="NORTH", value=1.0,
                                   dims={"sex": "female"})
    with pytest.raises(DomainError, match="numerator cannot exceed denominator"):
        loaded.observations.update(oid, {"numerator": 700})
    with pytest.raises(DomainError, match="must be between 0 and 100"):
        loaded.observations.record("T-01", "T-O2", "2023Q2", value=135.0)
    with pytest.raises(LockedPeriod, match="quarter 2023Q1 of T-01 is locked"):
        loaded.observations.record("T-01", "T-O2", "2023Q1", value=30.0)
    loaded.observations.set_period_status("T-01", "2023Q2", "locked")
    with pytest.raises(LockedPeriod):
        loaded.observations.update(oid, {"value": 36.0})
    with pytest.raises(DomainError, match="say why 2023Q2 is being unlocked"):
        loaded.observations.set_period_status("T-01", "2023Q2", "open")
    loaded.observations.set_period_status("T-01", "2023Q2", "open", reason="late survey data")
    loaded.observations.update(oid, {"value": 36.0, "numerator": 216})
    assert loaded.observations.find("T-01", indicator="T-O2")[0].value == 36.0


def test_summaries_count_what_a_programme_holds(loaded: Services):
    (s,) = loaded.programmes.summaries()
    assert (s.code, s.strands, s.indicators, s.outcomes, s.observations) == (
        "T-01", 2, 3, 2, 4)
    assert s.tradition_label == "traditional" and s.gates_unmet == 0
