"""The actor register on the Records tab, driven as a user would: Ins to add, drop-downs and
typed dates in the cells, Ctrl+Del, undo; and New actor… from a new record."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QComboBox, QDialog, QLineEdit
from sqlmodel import select

from coprod_me.gui.actor_editor import ActorTableModel, NewActorDialog
from coprod_me.gui.record_dialog import NewRecordDialog
from coprod_me.gui.records_tab import REGISTER, RecordsTab
from coprod_me.model import entities as M
from coprod_me.services import Services
from coprod_me.services.actors import ActorService
from coprod_me.services.database import load_samples
from coprod_me.services.records import ACTORS, RecordService


@pytest.fixture
def tab(qtbot, services: Services) -> RecordsTab:
    load_samples(services.store)
    t = RecordsTab(services, QUndoStack())
    qtbot.addWidget(t)
    t.show()
    t.set_programme("RS-01")
    t.set_kind(REGISTER)
    return t


def _actor(services: Services, code: str) -> M.Actor | None:
    with services.store.read() as s:
        return s.scalars(select(M.Actor).where(M.Actor.code == code)).first()


def _cell(tab: RecordsTab, code: str, field: str) -> QModelIndex:
    editor = tab.actor_editor
    row = next(i for i, r in enumerate(editor.model.rows) if r.code == code)
    return editor.proxy.mapFromSource(editor.model.index(row, editor.model.column_of(field)))


def _choose_in_cell(qtbot, tab: RecordsTab, idx: QModelIndex, value: str) -> None:
    view = tab.actor_editor.view
    view.setFocus()
    view.setCurrentIndex(idx)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    combo = view.indexWidget(idx)
    assert isinstance(combo, QComboBox), "the cell did not open a drop-down"
    combo.setCurrentIndex(combo.findData(value))
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.indexWidget(idx) is None)


def _type_in_cell(qtbot, tab: RecordsTab, idx: QModelIndex, text: str) -> None:
    view = tab.actor_editor.view
    view.setFocus()
    view.setCurrentIndex(idx)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = view.indexWidget(idx)
    assert isinstance(editor, QLineEdit), "the cell did not open an editor"
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.indexWidget(idx) is None)


def test_every_actor_is_listed_the_programmes_first_and_the_model_is_sound(
        tab: RecordsTab, services: Services, qtmodeltester):
    editor = tab.actor_editor
    assert tab.pages.currentWidget() is editor
    model = editor.model
    assert model.rowCount() == len(ActorService(services.store).rows())
    assert "RS-01" in model.rows[0].programmes
    assert model.headerData(model.column_of("actor_class"), Qt.Orientation.Horizontal) \
        == "Class *"
    assert model.headerData(model.programmes_column, Qt.Orientation.Horizontal) == "Programmes"
    assert not model.flags(model.index(0, model.programmes_column)) & Qt.ItemFlag.ItemIsEditable
    assert tab.add_button.text() == "&Add actor…" and tab.delete_button.text() == "De&lete actor"
    qtmodeltester.check(model)
    empty = ActorTableModel(ActorService.columns())
    qtmodeltester.check(empty)
    # the filter narrows the table to matching actors
    qtbot_rows = editor.proxy.rowCount()
    editor.filter.setText("KR-01")
    assert 0 < editor.proxy.rowCount() < qtbot_rows


def test_a_user_adds_an_actor_edits_class_and_exposure_and_undo_takes_it_all_back(
        qtbot, tab: RecordsTab, services: Services, monkeypatch):
    attempts: list[str] = []

    def fill(dialog: NewActorDialog) -> int:
        attempts.append(dialog.message.text())
        code = dialog.inputs["code"]
        assert isinstance(code, QLineEdit)
        if len(attempts) == 1:  # forgot name and class: the dialog says so and stays open
            assert code.text() == "RS-01-ACT-"  # a head start
            qtbot.keyClicks(code, "WOMEN")
            return QDialog.DialogCode.Accepted
        assert code.text() == "RS-01-ACT-WOMEN"  # what was typed is kept
        name = dialog.inputs["name"]
        assert isinstance(name, QLineEdit)
        qtbot.keyClicks(name, "Women's savings group")
        cls = dialog.inputs["actor_class"]
        assert isinstance(cls, QComboBox)
        cls.setCurrentIndex(cls.findData("lay_group"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(NewActorDialog, "exec", fill)
    view = tab.actor_editor.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Insert)
    assert attempts[1].startswith("a new actor needs name, class")
    added = _actor(services, "RS-01-ACT-WOMEN")
    assert added is not None and added.actor_class == "lay_group"
    assert not added.is_politically_exposed
    assert tab.actor_editor.current_row().code == "RS-01-ACT-WOMEN"
    assert "Added actor RS-01-ACT-WOMEN" in tab.status.text()

    _choose_in_cell(qtbot, tab, _cell(tab, "RS-01-ACT-WOMEN", "actor_class"),
                    "lay_organisation")
    _choose_in_cell(qtbot, tab, _cell(tab, "RS-01-ACT-WOMEN", "is_politically_exposed"), "yes")
    _type_in_cell(qtbot, tab, _cell(tab, "RS-01-ACT-WOMEN", "pep_since"), "2024-02-01")
    stored = _actor(services, "RS-01-ACT-WOMEN")
    assert stored is not None
    assert (stored.actor_class, stored.is_politically_exposed, stored.pep_since) == (
        "lay_organisation", True, date(2024, 2, 1))
    assert _cell(tab, "RS-01-ACT-WOMEN", "is_politically_exposed").data() == "yes"
    assert tab.undo_stack.count() == 4 and "Saved" in tab.status.text()
    with services.store.read() as s:
        audit = list(s.scalars(select(M.AuditLog).where(
            M.AuditLog.entity == "actor", M.AuditLog.entity_id == stored.id)))
    assert {a.field for a in audit if a.action == "update"} == {
        "actor_class", "is_politically_exposed", "pep_since"}
    assert all(a.reason and "RS-01-ACT-WOMEN" in a.reason for a in audit)

    # a refused edit says what to fix and keeps the stored value
    _type_in_cell(qtbot, tab, _cell(tab, "RS-01-ACT-WOMEN", "pep_until"), "2023-12-31")
    assert "before exposed since" in tab.status.text()
    assert tab.undo_stack.count() == 4

    tab.undo_stack.undo()
    tab.undo_stack.undo()
    stored = _actor(services, "RS-01-ACT-WOMEN")
    assert stored is not None and not stored.is_politically_exposed and stored.pep_since is None
    tab.undo_stack.undo()
    assert _actor(services, "RS-01-ACT-WOMEN").actor_class == "lay_group"  # type: ignore[union-attr]
    tab.undo_stack.undo()
    assert _actor(services, "RS-01-ACT-WOMEN") is None
    assert all(r.code != "RS-01-ACT-WOMEN" for r in tab.actor_editor.model.rows)
    tab.undo_stack.redo()
    assert _actor(services, "RS-01-ACT-WOMEN") is not None


def test_ctrl_del_refuses_an_actor_that_records_name_and_deletes_an_unused_one(
        qtbot, tab: RecordsTab, services: Services):
    editor = tab.actor_editor
    used = editor.model.rows[0]
    view = editor.view
    view.setFocus()
    view.setCurrentIndex(_cell(tab, used.code, "name"))
    qtbot.keyClick(view, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    assert f"actor {used.code} cannot be deleted" in tab.status.text()
    assert "RS-01: " in tab.status.text()
    assert _actor(services, used.code) is not None and tab.undo_stack.count() == 0

    ActorService(services.store).create({"code": "SPARE-1", "name": "Spare",
                                         "actor_class": "lay_individual"})
    tab.reload()  # as the window does after a change elsewhere
    unused = next(r for r in editor.model.rows if not r.programmes)
    assert unused.code == "SPARE-1"
    view.setCurrentIndex(_cell(tab, unused.code, "name"))
    qtbot.keyClick(view, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    assert _actor(services, unused.code) is None
    assert f"Deleted actor {unused.code}" in tab.status.text()
    tab.undo_stack.undo()
    back = _actor(services, unused.code)
    assert back is not None and back.id == unused.id and back.name == unused.values["name"]


def test_new_actor_from_a_new_role_adds_the_actor_and_offers_it(
        qtbot, tab: RecordsTab, services: Services, monkeypatch):
    def fill_actor(dialog: NewActorDialog) -> int:
        code, name, cls = (dialog.inputs[k] for k in ("code", "name", "actor_class"))
        assert isinstance(code, QLineEdit) and isinstance(name, QLineEdit)
        assert isinstance(cls, QComboBox)
        code.setText("RS-01-ACT-AUDITOR")
        name.setText("Independent social auditor")
        cls.setCurrentIndex(cls.findData("lay_organisation"))
        return QDialog.DialogCode.Accepted

    def fill_record(dialog: NewRecordDialog) -> int:
        assert dialog.new_actor_button is not None and dialog.new_actor_button.isEnabled()
        dialog.new_actor_button.click()
        assert dialog.actor is not None and dialog.actor.currentData() == "RS-01-ACT-AUDITOR"
        role = dialog.inputs["role"]
        assert isinstance(role, QComboBox)
        role.setCurrentIndex(role.findData("co_assessor"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(NewActorDialog, "exec", fill_actor)
    monkeypatch.setattr(NewRecordDialog, "exec", fill_record)
    tab.set_kind(ACTORS)
    assert tab.add_button.text() == "&Add record…"
    tab.add_action.trigger()
    roles = RecordService(services.store).rows(ACTORS, "RS-01")
    assert any(r.actor_code == "RS-01-ACT-AUDITOR" and r.key["role"] == "co_assessor"
               for r in roles)
    assert [tab.undo_stack.text(i).split(" ")[:2] for i in range(2)] == [
        ["add", "actor"], ["add", "actors"]]
    assert tab.model.headerData(1, Qt.Orientation.Horizontal) == "Actor"


def test_in_the_window_an_actor_edit_is_undone_from_the_edit_menu(
        qtbot, window, services: Services):
    load_samples(services.store)
    window.refresh()
    window.select("RS-01")
    window.tabs.setCurrentWidget(window.records_tab)
    tab = window.records_tab
    tab.set_kind(REGISTER)
    row = tab.actor_editor.model.rows[0]
    idx = _cell(tab, row.code, "is_politically_exposed")
    _choose_in_cell(qtbot, tab, idx, "yes")
    assert _actor(services, row.code).is_politically_exposed  # type: ignore[union-attr]
    assert f"Saved: set politically exposed of actor {row.code}" in tab.status.text()
    assert window.isWindowModified()
    assert tab.actor_editor.current_row().code == row.code  # the cursor stayed
    window.undo_action.trigger()
    assert not _actor(services, row.code).is_politically_exposed  # type: ignore[union-attr]
    assert _cell(tab, row.code, "is_politically_exposed").data() == "no"
