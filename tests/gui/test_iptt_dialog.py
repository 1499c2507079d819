"""Programme > IPTT and narratives…: the model passes qtmodeltester, a row whose variance
passes 10 % is marked until a narrative is typed in, the narrative is saved and audited, and
undo removes it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from coprod_me.gui.iptt_dialog import NARRATIVE_COLUMN, STATUS_COLUMN, IpttDialog
from coprod_me.gui.main_window import MainWindow
from coprod_me.paths import sample_programmes_dir
from coprod_me.services import Services


def _open(qtbot, window: MainWindow, services: Services) -> IpttDialog:
    services.workbooks.load(sample_programmes_dir() / "RS-01.xlsx")
    # a target of the programme's own for 2024Q2: RS-O1's mean 78.3 % is 13 % under it
    services.indicators.set_target("RS-01", "RS-O1", "2024Q2", 90.0)
    window.refresh()
    window.select("RS-01")
    window.iptt_action.trigger()
    dialog = window.findChild(IpttDialog)
    assert dialog is not None
    qtbot.addWidget(dialog)
    return dialog


def _row(dialog: IpttDialog, code: str, quarter: str) -> int:
    return next(i for i, r in enumerate(dialog.model.rows)
                if (r.indicator.code, r.quarter) == (code, quarter))


def test_the_model_passes_qtmodeltester(qtbot, window: MainWindow, services: Services,
                                        qtmodeltester):
    dialog = _open(qtbot, window, services)
    qtmodeltester.check(dialog.model)
    m = dialog.model
    assert m.rowCount() == 77
    row = _row(dialog, "RS-O1", "2024Q2")
    assert [m.index(row, c).data() for c in range(NARRATIVE_COLUMN + 1)] == [
        "RS-O1: Households where all members aged 5+ use a toilet that safely contains "
        "excreta (spot-check + report)", "2024Q2", "69.6 %", "90 %", "78.3 %", "",
        "88.7 %", "-13 %", "narrative needed", ""]
    assert m.index(row, STATUS_COLUMN).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert m.index(row, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert m.index(_row(dialog, "RS-P1", "2024Q2"), 5).data() == "30,650"
    assert dialog.summary.text() == "1 row(s) marked 'narrative needed': RS-O1 2024Q2"
    dialog.only_needed.setChecked(True)
    assert m.rowCount() == 1


def test_a_typed_narrative_is_saved_audited_and_undone(qtbot, window: MainWindow,
                                                        services: Services):
    dialog = _open(qtbot, window, services)
    view = dialog.table
    idx = dialog.model.index(_row(dialog, "RS-O1", "2024Q2"), NARRATIVE_COLUMN)
    view.setFocus()
    view.setCurrentIndex(idx)
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = view.indexWidget(idx)
    assert isinstance(editor, QLineEdit)
    qtbot.keyClicks(editor, "Monsoon damage in IN-BLK")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.indexWidget(idx) is None)
    assert services.narratives.get("RS-01", "RS-O1", "2024Q2") == "Monsoon damage in IN-BLK"
    trail = services.database.audit_trail("variance_narrative")
    assert [(e.action, e.reason) for e in trail] == [
        ("insert", "narrative of RS-O1 2024Q2")]
    row = _row(dialog, "RS-O1", "2024Q2")
    assert dialog.model.index(row, STATUS_COLUMN).data() == ""
    assert dialog.summary.text().startswith("Every variance over 10 % has a narrative")
    assert window.undo_stack.undoText() == "narrative of RS-O1 2024Q2"
    window.undo_stack.undo()
    assert services.narratives.get("RS-01", "RS-O1", "2024Q2") is None
    assert dialog.model.index(row, STATUS_COLUMN).data() == "narrative needed"
    window.undo_stack.redo()
    assert services.narratives.get("RS-01", "RS-O1", "2024Q2") == "Monsoon damage in IN-BLK"


def test_without_a_programme_the_action_says_so(qtbot, window: MainWindow, monkeypatch):
    shown = []
    monkeypatch.setattr("coprod_me.gui.iptt_dialog.QMessageBox.information",
                        lambda *a: shown.append(a[2]))
    window.iptt_action.trigger()
    assert shown == ["Select a programme first."]
    assert window.findChild(IpttDialog) is None
