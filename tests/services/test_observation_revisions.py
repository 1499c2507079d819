"""Corrections of locked quarters are revisions with a reason; pasted blocks are all or nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coprod_me.model.errors import DomainError, LockedPeriod, ValidationFailed
from coprod_me.services import Services
from coprod_me.services.database import audit_trail
from coprod_me.services.observations import BlockRow, ObservationKey
from tests.builders import small_programme_rows, write


@pytest.fixture
def loaded(services: Services, tmp_path: Path) -> Services:
    services.workbooks.load(write(tmp_path / "p.xlsx", small_programme_rows()))
    return services


def _locked_obs(s: Services):
    (obs,) = s.observations.find("T-01", indicator="T-O1", period="2023Q1")
    assert obs.locked and obs.value == 61.0
    return obs


def _state(s: Services) -> list[tuple]:
    return [(o.indicator_code, o.period, o.strand_code, o.dims, o.value, o.numerator,
             o.denominator, o.n_sample, o.comment) for o in s.observations.find("T-01")]


def test_correcting_a_locked_value_needs_a_reason(loaded: Services):
    obs = _locked_obs(loaded)
    for reason in ("", "   "):
        with pytest.raises(DomainError, match="say why the locked value is being corrected"):
            loaded.observations.correct(obs.id, {"value": 62.0}, reason=reason)
    assert loaded.observations.revisions(obs.id) == []
    assert loaded.observations.get(obs.id).value == 61.0


def test_a_correction_keeps_the_old_values_as_a_revision_and_is_audited(loaded: Services):
    obs = _locked_obs(loaded)
    n = loaded.observations.correct(obs.id, {"value": "62,0", "numerator": 372},
                                    reason="survey re-weighted by the statistics office")
    assert n == 1
    now = loaded.observations.get(obs.id)
    assert (now.value, now.numerator, now.revisions, now.locked) == (62.0, 372.0, 1, True)
    (rev,) = loaded.observations.revisions(obs.id)
    assert (rev.revision, rev.value, rev.numerator, rev.denominator, rev.n_sample,
            rev.quality_status) == (1, 61.0, 366.0, 600.0, 600, "verified")
    assert rev.reason == "survey re-weighted by the statistics office"
    assert rev.revised_by == "tester" and rev.revised_at.tzinfo is not None
    # a second correction is revision 2 and keeps the values of the first
    assert loaded.observations.correct(obs.id, {"comment": "re-weighted"},
                                       reason="note why") == 2
    assert [r.value for r in loaded.observations.revisions(obs.id)] == [61.0, 62.0]
    # the audit log has the change and the revision, with the reason
    changes = audit_trail(loaded.store, "observation", obs.id)
    assert {(a.field, a.old, a.new) for a in changes} >= {("value", "61.0", "62.0"),
                                                          ("numerator", "366.0", "372.0")}
    assert all(a.reason for a in changes)
    revs = audit_trail(loaded.store, "observation_revision")
    assert [a.action for a in revs] == ["insert", "insert"]
    assert revs[-1].reason == "survey re-weighted by the statistics office"


def test_a_correction_is_still_validated(loaded: Services):
    obs = _locked_obs(loaded)
    with pytest.raises(DomainError, match="numerator cannot exceed denominator"):
        loaded.observations.correct(obs.id, {"numerator": 700}, reason="typo")
    with pytest.raises(DomainError, match=r"a correction can change value, .* not phase"):
        loaded.observations.correct(obs.id, {"phase": "co_design"}, reason="typo")
    with pytest.raises(DomainError, match="already holds these values; nothing to correct"):
        loaded.observations.correct(obs.id, {"value": 61}, reason="typo")
    assert loaded.observations.revisions(obs.id) == []


def test_a_correction_of_an_open_quarter_is_refused(loaded: Services):
    (obs,) = [o for o in loaded.observations.find("T-01", indicator="T-P1")]
    assert not obs.locked
    with pytest.raises(DomainError, match="quarter 2023Q2 of T-01 is not locked; edit the value "
                       "directly"):
        loaded.observations.correct(obs.id, {"value": 4400}, reason="recount")
    loaded.observations.update(obs.id, {"value": 4400})
    assert loaded.observations.get(obs.id).value == 4400.0


def test_the_locked_quarter_still_refuses_ordinary_edits(loaded: Services):
    obs = _locked_obs(loaded)
    with pytest.raises(LockedPeriod):
        loaded.observations.update(obs.id, {"value": 62.0})
    with pytest.raises(LockedPeriod):
        loaded.observations.delete(obs.id)


def test_an_observation_with_revisions_can_be_deleted_and_restored_once_unlocked(
        loaded: Services):
    obs = _locked_obs(loaded)
    loaded.observations.correct(obs.id, {"value": 62.0, "numerator": 372}, reason="re-weighted")
    loaded.observations.set_period_status("T-01", "2023Q1", "open", reason="late data")
    before = _state(loaded)
    (gone,) = loaded.observations.delete_many([obs.id], reason="wrong strand")
    assert len(_state(loaded)) == len(before) - 1
    assert [r["value"] for r in gone.revisions] == [61.0]
    (back,) = loaded.observations.restore([gone])
    assert back == obs.id  # the id was free, so it is the same record again
    assert _state(loaded) == before
    assert [r.value for r in loaded.observations.revisions(back)] == [61.0]
    assert loaded.observations.get(back).quality_status == "verified"


def test_a_block_creates_and_changes_observations_and_its_inverse_restores_them(
        loaded: Services):
    before = _state(loaded)
    rows = [
        BlockRow("T-O1", "2023Q2", "NORTH", changes={"value": 64.0, "n_sample": 610}),
        BlockRow("T-O1", "2023Q3", "NORTH", changes={"value": 66.5, "comment": "pasted"}),
        BlockRow("T-O1", "2023Q4", "NORTH", changes={"value": 70.0}),
        BlockRow("T-O1", "2023Q2", "NORTH", {"sex": "female"}, changes={"value": 60.0}),
    ]
    result = loaded.observations.apply_block("T-01", rows, reason="paste from Excel")
    assert len(result.created_ids) == 2 and len(result.changed_ids) == 1  # last row unchanged
    (changed,) = [e for e in result.entries if not e.created]
    assert changed.previous == {"value": 63.0, "n_sample": 600}
    series = {o.period: o.value for o in loaded.observations.find("T-01", indicator="T-O1")
              if o.strand_code == "NORTH" and not o.dims}
    assert series == {"2023Q1": 61.0, "2023Q2": 64.0, "2023Q3": 66.5, "2023Q4": 70.0}
    assert {a.reason for a in audit_trail(loaded.store, "observation")[:4]} == {
        "paste from Excel"}

    loaded.observations.revert_block(result, reason="undo paste")
    assert _state(loaded) == before
    # and again, as redo then undo do
    again = loaded.observations.apply_block("T-01", rows)
    assert loaded.observations.locate("T-01", ObservationKey("T-O1", "2023Q4", "NORTH")) == \
        again.created_ids[-1]
    loaded.observations.revert_block(again)
    assert _state(loaded) == before


def test_a_block_with_any_bad_row_saves_nothing_and_names_every_problem(loaded: Services):
    before = _state(loaded)
    rows = [
        BlockRow("T-O1", "2023Q2", "NORTH", changes={"value": 64.0}, label="grid row 2"),
        BlockRow("T-O1", "2023Q3", "NORTH", changes={"value": 164.0}, label="grid row 3"),
        BlockRow("T-O1", "2023Q1", "NORTH", changes={"value": 1.0}, label="grid row 4"),
        BlockRow("T-O1", "2023Q4", "EAST", changes={"value": 1.0}, label="grid row 5"),
        BlockRow("T-O1", "2023Q2", "NORTH", changes={"value": 65.0}, label="grid row 6"),
        BlockRow("T-O1", "2024Q1", "NORTH", changes={"n_sample": 40}, label="grid row 7"),
    ]
    with pytest.raises(ValidationFailed) as caught:
        loaded.observations.apply_block("T-01", rows)
    problems = caught.value.problems
    assert len(problems) == 5
    assert problems[0].startswith("grid row 3: value 164.0 is a percent and must be between")
    assert problems[1].startswith("grid row 4: quarter 2023Q1 of T-01 is locked")
    assert problems[2] == "grid row 5: T-01 has no strand 'EAST'"
    assert problems[3] == ("grid row 6: T-O1 2023Q2 at NORTH is set by grid row 2 already; a "
                           "block sets each observation once")
    assert problems[4].startswith("grid row 7: value is empty and so is numerator")
    assert "5 problem(s) in the block; nothing was saved" in str(caught.value)
    assert _state(loaded) == before


def test_undoing_a_block_is_refused_once_its_quarter_is_locked(loaded: Services):
    result = loaded.observations.apply_block(
        "T-01", [BlockRow("T-P1", "2023Q2", changes={"value": 4500})])
    loaded.observations.set_period_status("T-01", "2023Q2", "locked")
    with pytest.raises(LockedPeriod):
        loaded.observations.revert_block(result)
    assert loaded.observations.find("T-01", indicator="T-P1")[0].value == 4500.0


def test_a_block_cannot_move_an_observation(loaded: Services):
    with pytest.raises(ValidationFailed, match="period identify an observation"):
        loaded.observations.apply_block(
            "T-01", [BlockRow("T-P1", "2023Q2", changes={"period": "2023Q3"})])


def test_a_database_from_revision_0001_takes_corrections_after_its_upgrade(tmp_path: Path):
    db = tmp_path / "old.sqlite"
    shutil.copy(Path(__file__).resolve().parents[1] / "fixtures" / "schema-0001.sqlite", db)
    old = Services.open(db)
    try:
        locked = [o for o in old.observations.find("T-01") if o.locked]
        assert locked, "the 0001 fixture has a locked quarter with a value"
        obs = locked[0]
        assert old.observations.correct(obs.id, {"comment": "checked again"},
                                        reason="audit") == 1
        assert old.observations.revisions(obs.id)[0].reason == "audit"
    finally:
        old.close()
