"""The records tab, driven as a user would: typing in cells, the capacity matrix, undo."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLineEdit

from coprod_me.gui.record_models import score_colour
from coprod_me.gui.records_tab import CAPACITY, RecordsTab
from coprod_me.services import Services
from coprod_me.services.database import load_samples
from coprod_me.services.records import ALLOCATIONS, FEEDBACK, PARTICIPATION, RecordService


@pytest.fixture
def tab(qtbot, services: Services) -> RecordsTab:
    load_samples(services.store)
    t = RecordsTab(services, QUndoStack())
    qtbot.addWidget(t)
    t.show()
    t.set_programme("RS-01")
    return t


def _type_into_cell(qtbot, view, idx, text: str) -> None:
    view.setCurrentIndex(idx)
    view.edit(idx)
    editor = view.indexWidget(idx)
    assert isinstance(editor, QLineEdit), "the cell did not open an editor"
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.indexWidget(idx) is None)


def _stored(services: Services, kind: str, record_id: int, field: str):
    rows = RecordService(services.store).rows(kind, "RS-01")
    return next(r for r in rows if r.id == record_id).values[field]


def test_each_kind_shows_its_records_and_the_models_are_sound(tab: RecordsTab, qtmodeltester):
    for kind in (PARTICIPATION, FEEDBACK, ALLOCATIONS):
        tab.set_kind(kind)
        assert tab.pages.currentIndex() == 0
        assert tab.model.rowCount() > 0
        qtmodeltester.check(tab.model)
    assert tab.model.headerData(1, Qt.Orientation.Horizontal) == "Provider"
    tab.set_kind(CAPACITY)
    assert tab.pages.currentIndex() == 1 and tab.assessment.count() >= 4
    qtmodeltester.check(tab.matrix)


def test_editing_a_participation_cell_saves_it_and_undo_restores_it(
        qtbot, tab: RecordsTab, services: Services):
    changed = []
    tab.changed.connect(lambda: changed.append(True))
    tab.set_kind(PARTICIPATION)
    column = tab.model.column_of("exited")
    row = tab.model.rows[0]
    old = row.values["exited"]
    _type_into_cell(qtbot, tab.view, tab.model.index(0, column), "37")
    assert _stored(services, PARTICIPATION, row.id, "exited") == 37
    assert tab.model.index(0, column).data() == "37"
    assert tab.undo_stack.count() == 1 and "exited" in tab.undo_stack.text(0)
    assert changed and "Saved" in tab.status.text()

    tab.undo_stack.undo()
    assert _stored(services, PARTICIPATION, row.id, "exited") == old
    assert tab.model.index(0, column).data() == ("" if old is None else str(old))
    tab.undo_stack.redo()
    assert _stored(services, PARTICIPATION, row.id, "exited") == 37


def test_a_refused_edit_says_what_to_fix_and_keeps_the_stored_value(
        qtbot, tab: RecordsTab, services: Services):
    tab.set_kind(PARTICIPATION)
    r = next(i for i, x in enumerate(tab.model.rows) if x.values["active"])
    row = tab.model.rows[r]
    active = row.values["active"]
    column = tab.model.column_of("continuing_active")
    _type_into_cell(qtbot, tab.view, tab.model.index(r, column), str(active + 1))
    assert f"enter at most {active}" in tab.status.text()
    assert tab.model.setData(tab.model.index(r, tab.model.column_of("active")), "lots") is False
    assert "active" in tab.status.text().lower()
    assert _stored(services, PARTICIPATION, row.id, "continuing_active") == \
        row.values["continuing_active"]
    assert tab.undo_stack.count() == 0
    # identifying columns are read-only
    assert not tab.model.flags(tab.model.index(r, 0)) & Qt.ItemFlag.ItemIsEditable


def test_an_allocation_choice_is_saved_from_the_cell(tab: RecordsTab, services: Services):
    tab.set_kind(ALLOCATIONS)
    column = tab.model.column_of("procedure")
    row = tab.model.rows[0]
    assert tab.model.setData(tab.model.index(0, column), "negotiated")
    assert _stored(services, ALLOCATIONS, row.id, "procedure") == "negotiated"
    assert tab.model.index(0, column).data() == "negotiated"
    tab.undo_stack.undo()
    assert _stored(services, ALLOCATIONS, row.id, "procedure") == row.values["procedure"]


def test_a_capacity_cell_edit_changes_colour_and_database_and_undo_restores(
        qtbot, tab: RecordsTab, services: Services, qtmodeltester):
    tab.set_kind(CAPACITY)
    records = RecordService(services.store)
    aid = tab.current_assessment()
    assert aid is not None
    before = records.matrix(aid)[("organizational", "operational")]
    idx = tab.matrix.index(1, 1)  # organizational × operational
    assert idx.data(Qt.ItemDataRole.BackgroundRole).color() == score_colour(before[0])

    _type_into_cell(qtbot, tab.matrix_view, idx, "1: no budget line for facilitators")
    assert records.matrix(aid)[("organizational", "operational")] == (
        1, "no budget line for facilitators")
    assert idx.data(Qt.ItemDataRole.BackgroundRole).color() == score_colour(0)  # red
    assert idx.data().startswith("1 weak")
    assert tab.undo_stack.count() == 1

    tab.undo_stack.undo()
    assert records.matrix(aid)[("organizational", "operational")] == before
    assert idx.data(Qt.ItemDataRole.BackgroundRole).color() == score_colour(before[0])
    qtmodeltester.check(tab.matrix)


def test_a_capacity_score_without_justification_or_off_scale_is_refused(
        tab: RecordsTab, services: Services):
    tab.set_kind(CAPACITY)
    records = RecordService(services.store)
    aid = tab.current_assessment()
    assert aid is not None
    records.clear_score(aid, "systemic", "political")
    tab.reload()
    idx = tab.matrix.index(2, 2)
    assert idx.data() == "— not scored —"
    assert idx.data(Qt.ItemDataRole.BackgroundRole) is None
    assert tab.matrix.setData(idx, "3") is False
    assert "one-line justification" in tab.status.text()
    assert tab.matrix.setData(idx, "6: excellent") is False
    assert "0 (absent) to 4 (strong)" in tab.status.text()
    assert ("systemic", "political") not in records.matrix(aid)

    assert tab.matrix.setData(idx, "4: cross-party support")
    assert records.matrix(aid)[("systemic", "political")] == (4, "cross-party support")
    assert idx.data(Qt.ItemDataRole.BackgroundRole).color() == score_colour(4)
    tab.undo_stack.undo()  # the created cell goes away again
    assert ("systemic", "political") not in records.matrix(aid)
    assert idx.data() == "— not scored —"


def test_a_bare_score_keeps_the_cells_justification(tab: RecordsTab, services: Services):
    tab.set_kind(CAPACITY)
    aid = tab.current_assessment()
    assert aid is not None
    old = RecordService(services.store).matrix(aid)[("individual", "analytical")]
    new_score = 4 if old[0] != 4 else 3
    assert tab.matrix.setData(tab.matrix.index(0, 0), str(new_score))
    assert RecordService(services.store).matrix(aid)[("individual", "analytical")] == (
        new_score, old[1])


def test_services_with_a_records_service_are_used_and_services_can_be_swapped(
        tab: RecordsTab, services: Services):
    own = RecordService(services.store)
    tab.services = SimpleNamespace(store=services.store, records=own, actors=services.actors)
    assert tab.records is own
    tab.set_programme("HL-01")
    tab.set_kind(PARTICIPATION)
    assert tab.model.rows and tab.model.rows[0].strand_code is None
    tab.set_programme("KR-01")
    tab.set_kind(ALLOCATIONS)
    assert tab.model.rowCount() == 0 and "no allocations" in tab.status.text()


def test_adding_and_deleting_a_record_through_the_tab_is_undoable(
        qtbot, tab: RecordsTab, services: Services, monkeypatch):
    from PySide6.QtWidgets import QDialog

    from coprod_me.gui.record_dialog import NewRecordDialog

    tab.set_kind(PARTICIPATION)
    before = tab.model.rowCount()
    attempts: list[str] = []

    def fill(dialog: NewRecordDialog) -> int:
        # First a mistake (no quarter), which the dialog shows and keeps open; then fixed.
        attempts.append(dialog.message.text())
        if len(attempts) == 1:
            dialog.inputs["active"].setText("50")
        else:
            dialog.inputs["period"].setText("2031Q1")
            phase = dialog.inputs["phase"]
            phase.setCurrentIndex(phase.findData("co_design"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(NewRecordDialog, "exec", fill)
    tab.add_action.trigger()
    assert attempts[1].startswith("a participation record needs: period")
    assert tab.model.rowCount() == before + 1
    stored = RecordService(services.store).rows(PARTICIPATION, "RS-01")
    new = next(r for r in stored if r.key["period"] == "2031Q1")
    assert (new.key["phase"], new.values["active"]) == ("co_design", 50)
    # the cursor is on the new record: Ctrl+Del deletes it, undo brings it back
    assert tab.model.rows[tab.view.currentIndex().row()].id == new.id
    tab.view.setFocus()
    qtbot.keyClick(tab.view, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    assert tab.model.rowCount() == before
    tab.undo_stack.undo()
    assert tab.model.rowCount() == before + 1
    tab.undo_stack.undo()  # the addition itself
    assert tab.model.rowCount() == before
    tab.undo_stack.redo()
    assert tab.model.rowCount() == before + 1
