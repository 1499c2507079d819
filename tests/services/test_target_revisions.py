"""Targets: a first target is a plain audited write; changing one needs a reason and is kept as a
numbered revision; a revised target is not removed (its history is what the report lists)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import col, select

from coprod_me.model import entities as M
from coprod_me.model.errors import DomainError
from coprod_me.services import Services
from coprod_me.services.database import audit_trail
from coprod_me.store.session import current_user
from tests.builders import small_programme_rows, write


@pytest.fixture
def loaded(services: Services, tmp_path: Path) -> Services:
    services.workbooks.load(write(tmp_path / "p.xlsx", small_programme_rows()))
    return services


def revision_rows(services: Services) -> list[M.TargetRevision]:
    with services.store.read() as s:
        return list(s.exec(select(M.TargetRevision).order_by(col(M.TargetRevision.id))))


def test_a_first_target_needs_no_reason_and_writes_no_revision(loaded: Services):
    tid = loaded.indicators.set_target("T-01", "T-P1", "2025Q4", 5000)
    assert [(t.period, t.value) for t in loaded.indicators.targets("T-01", "T-P1")] == [
        ("2025Q4", 5000.0)]
    assert revision_rows(loaded) == []
    assert {a.reason for a in audit_trail(loaded.store, "target", tid)} == {"set target"}


def test_changing_a_target_needs_a_reason_and_nothing_changes_without_one(loaded: Services):
    for reason in (None, "", "   "):
        with pytest.raises(DomainError, match="the target of T-O1 2024Q4 was 85 %; say why it "
                                              "changes to 80 %"):
            loaded.indicators.set_target("T-01", "T-O1", "2024Q4", 80, reason=reason)
    assert loaded.indicators.targets("T-01", "T-O1")[0].value == 85.0
    assert revision_rows(loaded) == []
    # the same value again is no change and needs no reason
    loaded.indicators.set_target("T-01", "T-O1", "2024Q4", 85)
    assert revision_rows(loaded) == []


def test_revisions_are_numbered_per_target_and_keep_old_new_who_and_why(loaded: Services):
    ind = loaded.indicators
    tid = ind.set_target("T-01", "T-O1", "2024Q4", 80, reason="survey showed slower uptake")
    ind.set_target("T-01", "T-O1", "2024Q4", 75, reason="  drought year  ")
    other = ind.set_target("T-01", "T-O2", "2024Q4", 20)
    ind.set_target("T-01", "T-O2", "2024Q4", 25, reason="new census baseline")
    rows = revision_rows(loaded)
    assert [(r.target_id, r.revision, r.previous_value, r.value, r.reason) for r in rows] == [
        (tid, 1, 85.0, 80.0, "survey showed slower uptake"),
        (tid, 2, 80.0, 75.0, "drought year"),
        (other, 1, 20.0, 25.0, "new census baseline")]
    assert {r.revised_by for r in rows} == {current_user()}
    assert all(r.revised_at is not None for r in rows)
    assert ind.targets("T-01", "T-O1")[0].value == 75.0
    # the audit log has the change of the target and the revision row, with the reason
    audited = {(a.entity, a.reason) for a in audit_trail(loaded.store, "target", tid)}
    assert ("target", "drought year") in audited
    lines = ind.target_revisions("T-01", "T-O1")
    assert [(r.period, r.strand, r.revision, r.previous_value, r.value) for r in lines] == [
        ("2024Q4", None, 2, 80.0, 75.0), ("2024Q4", None, 1, 85.0, 80.0)]
    assert [(t.period, t.value, t.revisions) for t in ind.target_lines("T-01", "T-O1")] == [
        ("2024Q4", 75.0, 2)]


def test_strand_targets_are_revised_on_their_own(loaded: Services):
    ind = loaded.indicators
    ind.set_target("T-01", "T-P1", "2025Q4", 2000, strand="NORTH")
    ind.set_target("T-01", "T-P1", "2025Q4", 3000, strand="SOUTH")
    ind.set_target("T-01", "T-P1", "2025Q4", 2500, strand="NORTH", reason="more masons")
    assert [(t.strand, t.value, t.revisions) for t in ind.target_lines("T-01", "T-P1")] \
        in ([("NORTH", 2500.0, 1), ("SOUTH", 3000.0, 0)],
            [("SOUTH", 3000.0, 0), ("NORTH", 2500.0, 1)])
    assert [(r.strand, r.revision) for r in ind.target_revisions("T-01", "T-P1")] == [
        ("NORTH", 1)]


def test_withdrawing_the_latest_revision_restores_the_value(loaded: Services):
    ind = loaded.indicators
    ind.set_target("T-01", "T-O1", "2024Q4", 80, reason="slower uptake")
    ind.set_target("T-01", "T-O1", "2024Q4", 75, reason="drought")
    ind.withdraw_target_revision("T-01", "T-O1", "2024Q4", reason="undo: drought")
    assert ind.targets("T-01", "T-O1")[0].value == 80.0
    assert [r.revision for r in revision_rows(loaded)] == [1]
    # a new change takes the withdrawn number again: numbers stay 1..n
    ind.set_target("T-01", "T-O1", "2024Q4", 70, reason="drought, again")
    assert [(r.revision, r.previous_value, r.value) for r in revision_rows(loaded)] == [
        (1, 85.0, 80.0), (2, 80.0, 70.0)]


def test_removing_a_target_needs_a_reason_and_a_revised_one_is_kept(loaded: Services):
    ind = loaded.indicators
    ind.set_target("T-01", "T-P1", "2025Q4", 5000)
    with pytest.raises(DomainError, match="say why the target of T-P1 2025Q4 is removed"):
        ind.remove_target("T-01", "T-P1", "2025Q4", reason=" ")
    removed = ind.remove_target("T-01", "T-P1", "2025Q4", reason="output dropped")
    assert (removed.period, removed.value) == ("2025Q4", 5000.0)
    assert ind.targets("T-01", "T-P1") == []

    ind.set_target("T-01", "T-O1", "2024Q4", 80, reason="slower uptake")
    with pytest.raises(DomainError, match="has been revised; its revisions are kept"):
        ind.remove_target("T-01", "T-O1", "2024Q4", reason="no longer wanted")
    assert ind.targets("T-01", "T-O1")[0].value == 80.0


def test_an_indicator_with_revised_targets_is_not_deleted(loaded: Services):
    ind = loaded.indicators
    ind.create("T-01", "T-O5", "Households satisfied with the service",
               result_level="outcome_short", rba_quadrant="how_well", unit="percent")
    ind.set_target("T-01", "T-O5", "2025Q4", 70)
    ind.set_target("T-01", "T-O5", "2025Q4", 60, reason="new survey")
    with pytest.raises(DomainError, match="T-O5 has revised targets"):
        ind.delete("T-01", "T-O5", reason="not needed")
    assert ind.get("T-01", "T-O5").name == "Households satisfied with the service"


def test_target_values_pass_the_value_gate(loaded: Services):
    ind = loaded.indicators
    with pytest.raises(DomainError, match="is a percent and must be between 0 and 100"):
        ind.set_target("T-01", "T-O1", "2025Q4", 120)
    with pytest.raises(DomainError, match="is a count and must be a whole number"):
        ind.set_target("T-01", "T-P1", "2025Q4", 10.5)
    with pytest.raises(DomainError, match="T-P1 2025Q4 is not a finite number"):
        ind.set_target("T-01", "T-P1", "2025Q4", float("nan"))
    with pytest.raises(DomainError, match="2040Q1 lies outside T-01's life"):
        ind.set_target("T-01", "T-P1", "2040Q1", 10)
    # a future quarter within the programme's life is what a target is for
    ind.set_target("T-01", "T-P1", "2025Q4", 10)


def test_the_last_reporting_quarter_is_the_planned_end(loaded: Services):
    assert loaded.indicators.last_reporting_quarter("T-01") == "2025Q4"
    loaded.programmes.update("T-01", {"planned_end_date": None})
    assert loaded.indicators.last_reporting_quarter("T-01") == "2023Q2"


def test_dimensions_in_use_come_from_requirements_and_data(loaded: Services):
    assert loaded.indicators.dimensions_in_use("T-01") == {"sex"}
