"""Record and capacity editing through RecordService, on the sample programmes."""

from __future__ import annotations

import pytest
from sqlmodel import select

from coprod_me.model import entities as M
from coprod_me.model.errors import DomainError, NotFound
from coprod_me.services import Services
from coprod_me.services.database import load_samples
from coprod_me.services.records import (
    ALLOCATIONS,
    FEEDBACK,
    PARTICIPATION,
    RecordService,
    parse_score_text,
)


@pytest.fixture(scope="module")
def _loaded(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("records") / "samples.sqlite"
    s = Services.open(path)
    load_samples(s.store)
    s.close()
    return path.read_bytes()


@pytest.fixture
def records(_loaded: bytes, tmp_path) -> RecordService:
    path = tmp_path / "db.sqlite"
    path.write_bytes(_loaded)
    s = Services.open(path, create=False)
    yield RecordService(s.store)
    s.close()


def test_columns_come_from_the_workbook_format_and_keys_are_not_editable(
        records: RecordService):
    part = {f.name: f for f in records.columns(PARTICIPATION)}
    assert "continuing_active" in part and part["active"].kind == "int"
    assert "period" not in part and "phase" not in part  # they identify the row
    assert [f.name for f in records.key_columns(PARTICIPATION)] == [
        "period", "phase", "group_dimension", "group_category"]
    alloc = {f.name: f for f in records.columns(ALLOCATIONS)}
    assert "open_call" in alloc["procedure"].allowed and alloc["call_published"].kind == "bool"
    assert "code" not in alloc
    fb = {f.name: f for f in records.columns(FEEDBACK)}
    assert fb["phase"].kind == "enum"


def test_rows_name_strand_and_provider(records: RecordService):
    rows = records.rows(ALLOCATIONS, "RS-01")
    assert rows and all(r.actor_code for r in rows) and all(r.strand_code for r in rows)
    assert rows[0].key.keys() == {"code"}
    assert records.rows(PARTICIPATION, "HL-01")[0].strand_code is None


@pytest.mark.parametrize(("kind", "code", "field", "value", "stored"), [
    (PARTICIPATION, "RS-01", "registered", "12 000", 12000),
    (FEEDBACK, "HL-01", "satisfaction_mean_0_100", "77,5", 77.5),
    (ALLOCATIONS, "RS-01", "procedure", "direct_award", "direct_award"),
    (ALLOCATIONS, "HR-01", "call_published", "yes", True),
])
def test_each_kind_round_trips_an_update(records: RecordService, kind, code, field, value,
                                         stored):
    row = records.rows(kind, code)[0]
    old = row.values[field]
    assert records.update(kind, row.id, field, value, reason="test") == stored
    again = next(r for r in records.rows(kind, code) if r.id == row.id)
    assert again.values[field] == stored
    records.update(kind, row.id, field, old, reason="undo")
    assert next(r for r in records.rows(kind, code) if r.id == row.id).values[field] == old


def test_an_update_is_audited_with_its_reason(records: RecordService):
    row = records.rows(PARTICIPATION, "RS-01")[0]
    records.update(PARTICIPATION, row.id, "exited", 7, reason="fix typo")
    with records.store.read() as s:
        entries = list(s.scalars(select(M.AuditLog).where(
            M.AuditLog.entity == "participation_record", M.AuditLog.entity_id == row.id)))
    assert any(e.field == "exited" and e.reason == "fix typo" for e in entries)


def test_refusals_say_what_to_fix(records: RecordService):
    row = next(r for r in records.rows(PARTICIPATION, "RS-01")
               if r.values["active"] and r.values["continuing_active"] is not None)
    active = row.values["active"]
    with pytest.raises(DomainError, match=rf"Continuing active \({active + 1}\) cannot be "
                       rf"above active \({active}\); enter at most {active}"):
        records.update(PARTICIPATION, row.id, "continuing_active", active + 1)
    with pytest.raises(DomainError, match=r"not a whole number|is not"):
        records.update(PARTICIPATION, row.id, "active", "many")
    with pytest.raises(DomainError, match="cannot be below 0"):
        records.update(PARTICIPATION, row.id, "exited", -2)
    with pytest.raises(DomainError, match="'period' cannot be edited"):
        records.update(PARTICIPATION, row.id, "period", "2024Q1")

    fb = next(r for r in records.rows(FEEDBACK, "RS-01") if r.values["complaints_received"])
    received = fb.values["complaints_received"]
    with pytest.raises(DomainError, match="enter at most"):
        records.update(FEEDBACK, fb.id, "complaints_resolved_30d", received + 5)
    with pytest.raises(DomainError, match="enter at least"):
        records.update(FEEDBACK, fb.id, "complaints_received",
                       fb.values["complaints_resolved_30d"] - 1)
    with pytest.raises(DomainError, match="cannot be above 100"):
        records.update(FEEDBACK, fb.id, "satisfied_share_pct", 140)

    al = next(r for r in records.rows(ALLOCATIONS, "RS-01") if r.values["n_applicants"])
    with pytest.raises(DomainError, match=r"N valid applicants .* cannot be above n applicants"):
        records.update(ALLOCATIONS, al.id, "n_valid_applicants", al.values["n_applicants"] + 1)
    with pytest.raises(DomainError, match="one of"):
        records.update(ALLOCATIONS, al.id, "procedure", "bribe")
    # nothing was saved
    assert next(r for r in records.rows(PARTICIPATION, "RS-01")
                if r.id == row.id).values == row.values
    with pytest.raises(NotFound):
        records.update(PARTICIPATION, 999_999, "active", 1)
    with pytest.raises(DomainError, match="not a kind of record"):
        records.rows("salaries", "RS-01")


def test_capacity_matrix_scores_and_validation(records: RecordService):
    a = records.assessments("HL-01")[0]
    assert a.actor_scope == "whole_system"
    matrix = records.matrix(a.id)
    assert len(matrix) == 9 and matrix[("individual", "analytical")][0] == 1

    created = records.set_score(a.id, "individual", "analytical", "3", "training done",
                                reason="test")
    assert created is False
    assert records.matrix(a.id)[("individual", "analytical")] == (3, "training done")

    with pytest.raises(DomainError, match="one-line justification"):
        records.set_score(a.id, "individual", "analytical", 2, "  ")
    with pytest.raises(DomainError, match="one line"):
        records.set_score(a.id, "individual", "analytical", 2, "a\nb")
    for bad in (5, -1, "2.5", "high"):
        with pytest.raises(DomainError, match="0 \\(absent\\)"):
            records.set_score(a.id, "individual", "analytical", bad, "why")
    with pytest.raises(DomainError, match="level 'national'"):
        records.set_score(a.id, "national", "analytical", 2, "why")
    with pytest.raises(NotFound):
        records.set_score(999_999, "individual", "analytical", 2, "why")
    assert records.matrix(a.id)[("individual", "analytical")] == (3, "training done")


def test_a_missing_cell_is_created_and_clear_score_removes_it(records: RecordService):
    a = records.assessments("HL-01")[0]
    records.clear_score(a.id, "systemic", "political")
    assert ("systemic", "political") not in records.matrix(a.id)
    assert records.set_score(a.id, "systemic", "political", 0, "no cross-party support")
    assert records.matrix(a.id)[("systemic", "political")] == (0, "no cross-party support")
    records.clear_score(a.id, "systemic", "political")
    assert ("systemic", "political") not in records.matrix(a.id)
    records.restore_score(a.id, "systemic", "political", 2, None)  # undo may restore no text
    assert records.matrix(a.id)[("systemic", "political")] == (2, None)


def test_parse_score_text():
    assert parse_score_text("3: adequate staffing") == (3, "adequate staffing")
    assert parse_score_text(" 4 - strong, tested ") == (4, "strong, tested")
    assert parse_score_text("2") == (2, "")
    with pytest.raises(DomainError, match=r"e\.g\. '3: adequate staffing'"):
        parse_score_text("")
    with pytest.raises(DomainError, match="outside the scale"):
        parse_score_text("7: great")


def test_sponsor_terms_and_funding_are_editable_with_the_loader_rules(tmp_path):
    from coprod_me.services import Services
    from coprod_me.services.database import load_samples

    services = Services.open(tmp_path / "s.sqlite")
    load_samples(services.store)
    records = services.records
    (sponsor, *_) = records.rows("sponsors", "RS-01")
    stored = records.update("sponsors", sponsor.id, "term_end_date", "2026-06-30",
                            reason="term extended")
    assert str(stored) == "2026-06-30"
    assert any(r.values["term_end_date"] is not None for r in records.rows("sponsors", "RS-01"))
    (fund, *_) = records.rows("funding", "RS-01")
    with pytest.raises(DomainError, match="committed_amount: 'lots' is not a number"):
        records.update("funding", fund.id, "committed_amount", "lots")
    assert records.update("funding", fund.id, "committed_amount", "1.250.000,5") == 1250000.5
    assert records.has_actor("funding") and not records.has_actor("spend")
    services.close()


def test_a_record_can_be_added_deleted_and_restored_with_every_step_audited(services):
    load_samples(services.store)
    records = RecordService(services.store)
    before = len(records.rows(PARTICIPATION, "RS-01"))
    new_id = records.create(PARTICIPATION, "RS-01",
                            {"period": "2030Q1", "phase": "co_delivery", "active": "40",
                             "continuing_active": "35"}, reason="new quarter")
    rows = records.rows(PARTICIPATION, "RS-01")
    assert len(rows) == before + 1
    row = next(r for r in rows if r.id == new_id)
    assert (row.key["period"], row.values["active"]) == ("2030Q1", 40)
    with pytest.raises(DomainError, match="already has a participation record with period "
                                          "2030Q1, phase co_delivery"):
        records.create(PARTICIPATION, "RS-01", {"period": "2030Q1", "phase": "co_delivery"})
    with pytest.raises(DomainError, match=r"Continuing active .* cannot be above active"):
        records.create(PARTICIPATION, "RS-01", {"period": "2030Q2", "active": "10",
                                                "continuing_active": "12"})
    with pytest.raises(DomainError, match="needs: period"):
        records.create(PARTICIPATION, "RS-01", {"active": "10"})
    stored = records.delete(PARTICIPATION, new_id, reason="entered twice")
    assert len(records.rows(PARTICIPATION, "RS-01")) == before
    again = records.restore(PARTICIPATION, stored)
    assert next(r for r in records.rows(PARTICIPATION, "RS-01") if r.id == again
                ).values["continuing_active"] == 35
    with services.store.read() as s:
        actions = [a.action for a in s.scalars(select(M.AuditLog).where(
            M.AuditLog.entity == "participation_record",
            M.AuditLog.entity_id.in_([new_id, again])))]  # type: ignore[union-attr]
    assert actions.count("insert") == 2 and actions.count("delete") == 1


def test_an_actor_role_needs_an_actor_that_exists(services):
    from coprod_me.services.records import ACTORS

    load_samples(services.store)
    records = RecordService(services.store)
    with pytest.raises(DomainError, match="needs: actor"):
        records.create(ACTORS, "RS-01", {"role": "provider"})
    with pytest.raises(DomainError, match="no actor 'NOBODY'"):
        records.create(ACTORS, "RS-01", {"role": "provider"}, actor_code="NOBODY")
    actor = records.actors()[0][0]
    rid = records.create(ACTORS, "RS-01", {"role": "co_assessor", "alford_role": "partner"},
                         actor_code=actor)
    row = next(r for r in records.rows(ACTORS, "RS-01") if r.id == rid)
    assert (row.actor_code, row.key["role"], row.values["alford_role"]) == (
        actor, "co_assessor", "partner")
