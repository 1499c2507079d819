"""Every write is audited in its own transaction; a bulk load costs one audit row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from coprod_me.model import AuditLog, ImportBatch, Observation, Programme
from coprod_me.model.errors import Cancelled
from coprod_me.services import Services
from tests.builders import small_programme_rows, write


def _audit(services: Services) -> list[AuditLog]:
    with services.store.read() as s:
        return list(s.scalars(select(AuditLog).order_by(AuditLog.id)))


def test_insert_update_delete_are_audited_with_user_time_and_reason(services: Services):
    services.programmes.create("P-1", "First name", reason="new programme for the pilot")
    services.programmes.update("P-1", {"name": "Second name"}, reason="typo in the name")
    services.programmes.delete("P-1", reason="created by mistake")
    rows = _audit(services)
    assert [(a.action, a.entity, a.field) for a in rows] == [
        ("insert", "programme", None), ("update", "programme", "name"),
        ("delete", "programme", None)]
    ins, upd, dele = rows
    assert json.loads(ins.new)["code"] == "P-1" and ins.entity_id is not None
    assert (upd.old, upd.new, upd.reason) == ("First name", "Second name", "typo in the name")
    assert json.loads(dele.old)["name"] == "Second name"
    assert all(a.user == "tester" and a.at is not None for a in rows)
    assert dele.reason == "created by mistake"


def test_a_failed_write_leaves_neither_data_nor_audit(services: Services):
    with pytest.raises(RuntimeError), services.store.session(reason="doomed") as s:
        s.add(Programme(code="P-2", name="never saved"))
        s.flush()
        raise RuntimeError("crash in the middle")
    assert _audit(services) == []
    assert services.programmes.summaries() == []


def test_a_bulk_load_is_one_audit_row_and_its_batch_is_on_every_created_row(
        services: Services, tmp_path: Path):
    result = services.workbooks.load(write(tmp_path / "p.xlsx", small_programme_rows()))
    rows = _audit(services)
    assert result.created > 15
    assert [(a.action, a.entity) for a in rows] == [("insert", "import_batch")]
    with services.store.read() as s:
        batch = s.scalars(select(ImportBatch)).one()
        assert batch.file_name == "p.xlsx" and len(batch.sha256) == 64
        assert batch.rows_created == result.created and batch.user == "tester"
        n_obs = s.scalar(select(func.count()).select_from(Observation).where(
            Observation.import_batch_id == batch.id))
        assert n_obs == 4
        assert s.scalars(select(Programme)).one().import_batch_id == batch.id


def test_a_load_that_changes_existing_rows_audits_each_change(services: Services,
                                                              tmp_path: Path):
    rows = small_programme_rows()
    services.workbooks.load(write(tmp_path / "p.xlsx", rows))
    rows["Indicators"][0]["baseline_value"] = 57.0
    rows["Observations"][1]["value"] = 64.0
    second = services.workbooks.load(write(tmp_path / "p2.xlsx", rows), reason="survey fix")
    assert (second.created, second.updated) == (0, 2)
    changes = [a for a in _audit(services) if a.action == "update"]
    assert {(a.entity, a.field, a.old, a.new) for a in changes} == {
        ("indicator", "baseline_value", "58.0", "57.0"),
        ("observation", "value", "63.0", "64.0")}
    assert all(a.import_batch_id == second.batch_id and a.reason == "survey fix"
               for a in changes)


def test_loading_the_same_file_twice_changes_nothing(services: Services, tmp_path: Path):
    path = write(tmp_path / "p.xlsx", small_programme_rows())
    services.workbooks.load(path)
    n_audit = len(_audit(services))
    again = services.workbooks.load(path)
    assert (again.created, again.updated, again.batch_id) == (0, 0, None)
    assert again.unchanged > 15
    assert len(_audit(services)) == n_audit


def test_cancel_in_the_middle_of_saving_leaves_nothing(services: Services, tmp_path: Path):
    path = write(tmp_path / "p.xlsx", small_programme_rows())
    saving = []

    def progress(done: int, total: int, message: str) -> None:
        saving.append(message)

    def cancelled() -> bool:
        # the gate opens once the first rows have been written inside the transaction
        return any(m.startswith("Saving Strands") for m in saving)

    with pytest.raises(Cancelled):
        services.workbooks.load(path, progress=progress, cancelled=cancelled)
    assert services.programmes.summaries() == []
    assert _audit(services) == []
