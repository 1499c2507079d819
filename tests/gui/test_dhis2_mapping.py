"""Programme > DHIS2 mapping…: the model passes qtmodeltester, a typed target is saved,
audited and undone through the window's stack, and what still needs a name is listed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from coprod_me.gui.dhis2_mapping import TARGET_COLUMN, Dhis2MappingDialog
from coprod_me.gui.main_window import MainWindow
from coprod_me.paths import sample_programmes_dir
from coprod_me.services import Services


def _open(qtbot, window: MainWindow, services: Services) -> Dhis2MappingDialog:
    services.workbooks.load(sample_programmes_dir() / "RS-01.xlsx")
    window.refresh()
    window.select("RS-01")
    window.dhis2_action.trigger()
    dialog = window.findChild(Dhis2MappingDialog)
    assert dialog is not None
    qtbot.addWidget(dialog)
    return dialog


def _row(dialog: Dhis2MappingDialog, kind: str, source: str) -> int:
    return next(i for i, r in enumerate(dialog.model.rows)
                if (r.kind, r.source) == (kind, source))


def _target(services: Services, kind: str, source: str) -> str:
    return next(r.target for r in services.dhis2_exports.mapping("RS-01")
                if (r.kind, r.source) == (kind, source))


def test_the_model_passes_qtmodeltester(qtbot, window: MainWindow, services: Services,
                                        qtmodeltester):
    dialog = _open(qtbot, window, services)
    qtmodeltester.check(dialog.model)
    assert dialog.summary.text() == "Everything the export needs has a DHIS2 name."
    m = dialog.model
    row = _row(dialog, "category_option_combo", "sex=female")
    assert [m.index(row, c).data() for c in range(4)] == [
        "Category option combo", "breakdown sex=female", "SEX_F", "mapped"]
    # indicators and strands by name beside their code
    assert m.index(_row(dialog, "org_unit", "IN-BLK"), 1).data() == "strand IN-BLK: India"
    assert m.index(_row(dialog, "data_element", "RS-O1"), 1).data().startswith(
        "indicator RS-O1: Households where all members aged 5+ use a toilet")


def test_a_typed_target_is_saved_audited_and_undone(qtbot, window: MainWindow,
                                                     services: Services):
    dialog = _open(qtbot, window, services)
    view = dialog.table
    idx = dialog.model.index(_row(dialog, "data_element", "RS-O2"), TARGET_COLUMN)
    view.setFocus()
    view.setCurrentIndex(idx)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = view.indexWidget(idx)
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "WASH_SAFE_SAN")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.indexWidget(idx) is None)
    assert _target(services, "data_element", "RS-O2") == "WASH_SAFE_SAN"
    trail = services.database.audit_trail("dhis2_mapping")
    assert any(e.old == "CLTS_O2" and e.new == "WASH_SAFE_SAN"
               and e.reason == "DHIS2 name of indicator RS-O2: WASH_SAFE_SAN" for e in trail)
    assert window.undo_stack.undoText() == "DHIS2 name of indicator RS-O2: WASH_SAFE_SAN"
    window.undo_stack.undo()
    assert _target(services, "data_element", "RS-O2") == "CLTS_O2"
    assert dialog.model.index(_row(dialog, "data_element", "RS-O2"),
                              TARGET_COLUMN).data() == "CLTS_O2"
    window.undo_stack.redo()
    assert _target(services, "data_element", "RS-O2") == "WASH_SAFE_SAN"


def test_an_emptied_target_is_listed_as_still_needed(qtbot, window: MainWindow,
                                                      services: Services):
    dialog = _open(qtbot, window, services)
    m = dialog.model
    assert m.setData(m.index(_row(dialog, "org_unit", "ID-KAB"), TARGET_COLUMN), "")
    assert _target(services, "org_unit", "ID-KAB") == ""
    assert dialog.summary.text() == "1 still need a DHIS2 name: strand ID-KAB"
    assert m.index(_row(dialog, "org_unit", "ID-KAB"), 3).data() == "still needed"
    window.undo_stack.undo()
    assert _target(services, "org_unit", "ID-KAB") == "OU_ID_KAB"
    assert dialog.summary.text() == "Everything the export needs has a DHIS2 name."
