"""The actor register through ActorService: add, edit (audited), unique codes, deleting only
what nothing names, and putting a deleted actor back (undo)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from coprod_me.model import entities as M
from coprod_me.model.errors import DomainError
from coprod_me.services import Services
from coprod_me.services.actors import ActorInUse, ActorService
from coprod_me.services.database import load_samples
from coprod_me.services.records import ACTORS, RecordService


@pytest.fixture(scope="module")
def _loaded(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("actors") / "samples.sqlite"
    s = Services.open(path)
    load_samples(s.store)
    s.close()
    return path.read_bytes()


@pytest.fixture
def services(_loaded: bytes, tmp_path) -> Services:
    path = tmp_path / "db.sqlite"
    path.write_bytes(_loaded)
    s = Services.open(path, create=False)
    yield s
    s.close()


@pytest.fixture
def actors(services: Services) -> ActorService:
    return ActorService(services.store)


def _audit(services: Services, actor_id: int) -> list[M.AuditLog]:
    with services.store.read() as s:
        return list(s.scalars(select(M.AuditLog).where(
            M.AuditLog.entity == "actor", M.AuditLog.entity_id == actor_id)
            .order_by(M.AuditLog.id)))  # type: ignore[arg-type]


def test_every_field_of_the_actors_sheet_is_editable_and_code_name_class_are_required():
    names = [f.name for f in ActorService.columns()]
    assert names == ["code", "name", "actor_class", "org_type", "registration_id",
                     "is_politically_exposed", "pep_description", "pep_since", "pep_until"]
    assert ActorService.required() == ["code", "name", "actor_class"]
    cls = next(f for f in ActorService.columns() if f.name == "actor_class")
    assert cls.kind == "enum" and "lay_organisation" in cls.allowed and cls.description


def test_the_programmes_actors_come_first_and_each_row_says_who_names_it(actors):
    rows = actors.rows("KR-01")
    first_other = next(i for i, r in enumerate(rows) if "KR-01" not in r.programmes)
    assert first_other > 0
    assert all("KR-01" not in r.programmes for r in rows[first_other:])
    assert all("KR-01" in r.programmes for r in rows[:first_other])


def test_a_new_actor_is_saved_with_an_audit_row(services, actors):
    aid = actors.create({"code": " HL-01-ACT-NEW ", "name": "Patients' association",
                         "actor_class": "lay_organisation", "org_type": "user_led_org"},
                        reason="add actor for the panel")
    row = actors.get(aid)
    assert row.code == "HL-01-ACT-NEW" and row.programmes == ()
    assert row.values["actor_class"] == "lay_organisation"
    assert row.values["is_politically_exposed"] is False
    (insert,) = _audit(services, aid)
    assert insert.action == "insert" and insert.reason == "add actor for the panel"
    assert "HL-01-ACT-NEW" in (insert.new or "")
    # a record can now name it
    RecordService(services.store).create(ACTORS, "HL-01", {"role": "co_designer"},
                                         actor_code="HL-01-ACT-NEW")
    assert actors.get(aid).programmes == ("HL-01",)


def test_a_new_actor_without_code_name_or_class_says_all_that_is_missing(actors):
    with pytest.raises(DomainError) as err:
        actors.create({"org_type": "ngo_association"})
    assert "needs code, name, class" in str(err.value)
    with pytest.raises(DomainError, match="Class: 'citizen' is not one of the allowed values"):
        actors.create({"code": "X-1", "name": "X", "actor_class": "citizen"})


def test_a_code_already_taken_is_refused_naming_the_actor_that_has_it(actors):
    taken = actors.rows()[0]
    with pytest.raises(DomainError, match=f"code '{taken.code}' is taken by {taken.code}"):
        actors.create({"code": taken.code, "name": "Someone else",
                       "actor_class": "lay_individual"})
    with pytest.raises(DomainError, match="is taken by"):
        actors.create({"code": taken.code.lower(), "name": "Someone else",
                       "actor_class": "lay_individual"})
    other = actors.rows()[1]
    with pytest.raises(DomainError, match="is taken by"):
        actors.update(other.id, "code", taken.code)
    assert actors.get(other.id).code == other.code
    with pytest.raises(DomainError, match="at most 40"):
        actors.update(other.id, "code", "X" * 41)


def test_editing_a_field_is_audited_with_old_new_and_reason(services, actors):
    row = actors.rows("RS-01")[0]
    stored = actors.update(row.id, "is_politically_exposed", "yes",
                           reason="chair elected councillor")
    assert stored is True
    actors.update(row.id, "pep_since", "2023-05-01")
    actors.update(row.id, "actor_class", "lay group")
    assert actors.get(row.id).values["actor_class"] == "lay_group"
    assert actors.get(row.id).values["pep_since"] == date(2023, 5, 1)
    audit = [a for a in _audit(services, row.id) if a.action == "update"]
    pep = next(a for a in audit if a.field == "is_politically_exposed")
    assert (pep.old, pep.new, pep.reason) == ("false", "true", "chair elected councillor")
    assert any(a.field == "actor_class" and a.new == "lay_group" for a in audit)


def test_an_edit_that_breaks_a_rule_says_what_to_fix_and_saves_nothing(actors):
    row = actors.rows("RS-01")[0]
    with pytest.raises(DomainError, match="Name is required"):
        actors.update(row.id, "name", "  ")
    with pytest.raises(DomainError, match="Class is required"):
        actors.update(row.id, "actor_class", "")
    with pytest.raises(DomainError, match="Exposed since: 'soon' is not a date"):
        actors.update(row.id, "pep_since", "soon")
    actors.update(row.id, "pep_since", "2024-01-01")
    with pytest.raises(DomainError, match=r"exposed until \(2023-01-01\) is before"):
        actors.update(row.id, "pep_until", "2023-01-01")
    assert actors.get(row.id).values == {**row.values, "pep_since": date(2024, 1, 1)}


def test_an_actor_that_records_name_is_not_deleted_and_the_message_says_which(actors):
    used = next(r for r in actors.rows("RS-01") if "RS-01" in r.programmes)
    refs = actors.references(used.id)
    assert refs and {r.programme_code for r in refs} >= {"RS-01"}
    with pytest.raises(ActorInUse) as err:
        actors.delete(used.id)
    text = str(err.value)
    assert f"actor {used.code} cannot be deleted" in text
    assert "RS-01: " in text and str(refs[0]) in text and "change or delete those first" in text
    assert actors.get(used.id).code == used.code


def test_a_lead_agency_counts_as_a_reference(services, actors):
    aid = actors.create({"code": "LEAD-1", "name": "Lead office",
                         "actor_class": "state_direct"})
    with services.store.session(reason="test") as s:
        p = s.scalars(select(M.Programme).where(M.Programme.code == "HL-01")).one()
        p.lead_agency_actor_id = aid
    with pytest.raises(ActorInUse, match=r"HL-01: lead agency"):
        actors.delete(aid)


def test_deleting_an_unused_actor_and_restoring_it_brings_back_the_same_row(services, actors):
    aid = actors.create({"code": "TMP-1", "name": "Temporary", "actor_class": "lay_group",
                         "is_politically_exposed": "yes", "pep_since": "2022-02-02"})
    before = actors.get(aid)
    stored = actors.delete(aid, reason="typo")
    assert all(r.id != aid for r in actors.rows())
    again = actors.restore(stored, reason="undo: typo")
    assert again == aid and actors.get(aid) == before
    assert [a.action for a in _audit(services, aid)] == ["insert", "delete", "insert"]


def test_restoring_when_the_old_id_was_taken_meanwhile_uses_a_new_one(actors):
    aid = actors.create({"code": "TMP-2", "name": "T", "actor_class": "lay_group"})
    stored = actors.delete(aid)
    other = actors.create({"code": "TMP-3", "name": "T3", "actor_class": "lay_group"})
    assert other == aid  # SQLite hands the freed id out again
    again = actors.restore(stored)
    assert again != aid and actors.get(again).code == "TMP-2"


def test_a_record_naming_a_missing_actor_points_to_the_actor_editor(services):
    records = RecordService(services.store)
    with pytest.raises(DomainError, match=r"no actor 'NOBODY'; add it first: Records tab"):
        records.create(ACTORS, "RS-01", {"role": "provider"}, actor_code="NOBODY")
