"""The observation grid, driven as a user would: typing in cells, Ctrl+V, dialogs, undo."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QMessageBox

from coprod_me.gui.observation_chooser import BY_QUARTER
from coprod_me.gui.observation_dialogs import AddObservationDialog, CorrectionDialog
from coprod_me.gui.observation_grid import ObservationTab
from coprod_me.model.errors import LockedPeriod
from coprod_me.services import Services
from coprod_me.services.observation_paste import (
    COL_DIMS,
    COL_INDICATOR,
    COL_LOCKED,
    COL_N,
    COL_QUALITY,
    COL_QUARTER,
    COL_VALUE,
)
from tests.builders import small_programme_rows, with_ratio_indicator, write


@pytest.fixture
def tab(qtbot, services: Services, tmp_path: Path) -> ObservationTab:
    services.workbooks.load(write(tmp_path / "p.xlsx", small_programme_rows()))
    t = ObservationTab(services, QUndoStack())
    qtbot.addWidget(t)
    t.show()
    t.set_programme("T-01")
    return t


def _series(services: Services, indicator: str = "T-O1") -> list[tuple]:
    return [(o.period, o.strand_code, o.dims, o.value, o.numerator, o.denominator, o.n_sample)
            for o in services.observations.find("T-01", indicator=indicator)]


def _type_into_cell(qtbot, tab: ObservationTab, row: int, column: int, text: str) -> None:
    """Open the cell's editor as F2 does, type, and press Enter."""
    idx = tab.model.index(row, column)
    tab.view.setCurrentIndex(idx)
    tab.view.edit(idx)
    editor = tab.view.indexWidget(idx)
    assert isinstance(editor, QLineEdit), "the cell did not open an editor"
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # the delegate commits on the next turn of the event loop, then closes the editor
    qtbot.waitUntil(lambda: tab.view.indexWidget(idx) is None)


def test_the_grid_lists_outcomes_first_and_the_chosen_indicators_series(tab: ObservationTab,
                                                                        qtmodeltester):
    assert [tab.selector.itemData(i) for i in range(tab.selector.count())] == [
        "T-O1", "T-O2", "T-P1"]
    assert tab.selector.currentData() == "T-O1"
    rows = [(r.period, r.strand_code, r.dims, r.value) for r in tab.model.rows]
    assert rows == [("2023Q1", "NORTH", {}, 61.0), ("2023Q2", "NORTH", {}, 63.0),
                    ("2023Q2", "NORTH", {"sex": "female"}, 60.0)]
    assert tab.view.isColumnHidden(COL_INDICATOR) and not tab.view.isColumnHidden(COL_QUARTER)
    assert tab.model.index(2, COL_DIMS).data() == "sex=female"
    assert tab.model.index(0, COL_LOCKED).data() == "locked"
    qtmodeltester.check(tab.model)


def test_editing_a_value_saves_it_and_undo_restores_it(qtbot, tab: ObservationTab,
                                                       services: Services):
    changed = []
    tab.changed.connect(lambda: changed.append(True))
    _type_into_cell(qtbot, tab, 1, COL_VALUE, "64,5")
    assert _series(services)[1][3] == 64.5
    assert tab.model.index(1, COL_VALUE).data() == "64.5"
    assert tab.undo_stack.count() == 1
    assert tab.undo_stack.text(0) == "set value of T-O1 2023Q2 at NORTH to 64.5"
    assert changed
    assert tab.view.currentIndex().row() == 1  # the cursor stays on the edited cell

    tab.undo_stack.undo()
    assert _series(services)[1][3] == 63.0
    assert tab.model.index(1, COL_VALUE).data() == "63"
    tab.undo_stack.redo()
    assert _series(services)[1][3] == 64.5


def test_a_refused_edit_says_why_and_keeps_the_stored_value(qtbot, tab: ObservationTab,
                                                            services: Services):
    _type_into_cell(qtbot, tab, 1, COL_VALUE, "120")
    assert "value 120.0 is a percent and must be between 0 and 100" in tab.status.text()
    _type_into_cell(qtbot, tab, 1, COL_N, "six hundred")
    assert "'six hundred' is not a number" in tab.status.text()
    assert tab.model.setData(tab.model.index(1, COL_VALUE), "n/a") is False
    assert _series(services)[1][3] == 63.0
    assert tab.model.index(1, COL_VALUE).data() == "63"
    assert tab.undo_stack.count() == 0


def test_choosing_a_quality_status_from_the_drop_down_saves_it(qtbot, tab: ObservationTab,
                                                               services: Services):
    idx = tab.model.index(1, COL_QUALITY)
    tab.view.setCurrentIndex(idx)
    tab.view.edit(idx)
    combo = tab.view.indexWidget(idx)
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData("estimated"))
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.view.indexWidget(idx) is None)
    assert services.observations.find("T-01", indicator="T-O1")[1].quality_status == \
        "estimated"
    assert tab.model.index(1, COL_QUALITY).data() == "estimated"


def test_a_locked_quarter_is_read_only_in_the_grid_and_in_the_services(
        qtbot, tab: ObservationTab, services: Services):
    idx = tab.model.index(0, COL_VALUE)
    assert not tab.model.flags(idx) & Qt.ItemFlag.ItemIsEditable
    assert tab.model.index(0, COL_VALUE).data(Qt.ItemDataRole.BackgroundRole) is not None
    tab.view.setCurrentIndex(idx)
    tab.view.edit(idx)
    assert tab.view.indexWidget(idx) is None  # no editor opens
    assert tab.model.setData(idx, "62") is False
    with pytest.raises(LockedPeriod):
        services.observations.update(tab.model.rows[0].id, {"value": 62.0})
    assert _series(services)[0][3] == 61.0


def test_f2_on_a_locked_value_asks_for_the_correction_and_its_reason(
        qtbot, tab: ObservationTab, services: Services, monkeypatch):
    seen = {}

    def answer(dialog: CorrectionDialog) -> int:
        seen["ok_before_reason"] = dialog.ok_button.isEnabled()
        dialog.new_value.clear()
        qtbot.keyClicks(dialog.new_value, "61,3")  # 366/600 is 61.0 %: within half a point
        qtbot.keyClicks(dialog.reason, "survey re-weighted")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(CorrectionDialog, "exec", answer)
    tab.view.setCurrentIndex(tab.model.index(0, COL_VALUE))
    assert tab.buttons["correct"].isEnabled()
    qtbot.keyClick(tab.view, Qt.Key.Key_F2)
    assert seen["ok_before_reason"] is False  # no correction without a reason
    row = tab.model.rows[0]
    assert (row.value, row.locked, row.revisions) == (61.3, True, 1)
    (rev,) = services.observations.revisions(row.id)
    assert (rev.value, rev.reason) == (61.0, "survey re-weighted")
    assert "1 correction(s)" in tab.model.index(0, COL_LOCKED).data()

    tab.undo_stack.undo()  # a locked quarter's history only grows: undo is a correction too
    assert _series(services)[0][3] == 61.0
    assert [r.value for r in services.observations.revisions(row.id)] == [61.0, 61.3]


def test_pasting_a_block_saves_every_cell_as_one_undo_step(qtbot, tab: ObservationTab,
                                                           services: Services):
    before = _series(services)
    # 3 rows × 4 columns (value, numerator, denominator, n) with decimal commas, as Excel
    # puts them on the clipboard; the third row runs past the grid: a new quarter
    QApplication.clipboard().setText("64,5\t387\t600\t600\r\n"
                                     "61,2\t183,6\t300\t300\r\n"
                                     "66,0 %\t198\t300\t1 300\r\n")
    tab.view.setCurrentIndex(tab.model.index(1, COL_VALUE))
    qtbot.keyClick(tab.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)

    assert _series(services) == [
        ("2023Q1", "NORTH", {}, 61.0, 366.0, 600.0, 600),
        ("2023Q2", "NORTH", {}, 64.5, 387.0, 600.0, 600),
        ("2023Q2", "NORTH", {"sex": "female"}, 61.2, 183.6, 300.0, 300),
        ("2023Q3", "NORTH", {"sex": "female"}, 66.0, 198.0, 300.0, 1300),
    ]
    assert tab.model.rowCount() == 4
    assert tab.undo_stack.count() == 1
    assert tab.undo_stack.text(0) == "paste 3 × 4 cells into T-O1"
    selected = tab.view.selectionModel().selectedIndexes()
    assert len(selected) == 12

    tab.undo_stack.undo()  # one undo reverts all 12 cells
    assert _series(services) == before
    assert tab.model.rowCount() == 3
    tab.undo_stack.redo()
    assert len(_series(services)) == 4


def test_a_pasted_block_with_a_bad_cell_saves_nothing(qtbot, tab: ObservationTab,
                                                      services: Services, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec",
                        lambda box: shown.append(box.text() + "\n" + box.detailedText()))
    before = _series(services)
    QApplication.clipboard().setText("64,5\t387\n61,x\t183\n")
    tab.view.setCurrentIndex(tab.model.index(1, COL_VALUE))
    qtbot.keyClick(tab.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert _series(services) == before
    assert tab.undo_stack.count() == 0
    assert "row 2, column 'Value': '61,x' is not a number" in tab.status.text()
    assert shown == []  # said under the grid, not in a dialog
    # onto a locked row, or with the wrong quarter in the quarter column: (issue 12) every
    # problem is said in full under the grid, not behind a dialog's Show Details…
    tab.view.setCurrentIndex(tab.model.index(0, COL_QUARTER))
    tab.paste_text("2023Q1\tNORTH\n2023Q3\tNORTH\n")
    status = tab.status.text()
    assert status.startswith("2 problem(s) in the pasted block; nothing was pasted:\n")
    assert "row 1 of the block lands on T-O1 2023Q1 at NORTH, which is in a locked quarter" \
        in status
    assert "row 2 of the block: quarter '2023Q3' was pasted on T-O1 2023Q2 at NORTH" in status
    assert shown == []
    assert _series(services) == before


def test_adding_an_observation_and_undoing_it(qtbot, tab: ObservationTab, services: Services,
                                              monkeypatch):
    def answer(dialog: AddObservationDialog) -> int:
        assert dialog.quarter.text() == "2023Q3"  # the quarter after the last row
        dialog.dims.clear()
        qtbot.keyClicks(dialog.value, "65,5")
        qtbot.keyClicks(dialog.n_sample, "600")
        dialog.quality.setCurrentIndex(dialog.quality.findData("provisional"))
        qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok),
                         Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(AddObservationDialog, "exec", answer)
    tab.add_action.trigger()
    added = [o for o in services.observations.find("T-01", indicator="T-O1")
             if o.period == "2023Q3"]
    assert [(o.strand_code, o.dims, o.value, o.n_sample, o.quality_status) for o in added] == [
        ("NORTH", {}, 65.5, 600, "provisional")]
    assert tab.model.rowCount() == 4
    tab.undo_stack.undo()
    assert [o.period for o in services.observations.find("T-01", indicator="T-O1")] == [
        "2023Q1", "2023Q2", "2023Q2"]
    tab.undo_stack.redo()
    assert tab.model.rowCount() == 4


def test_an_add_that_the_service_refuses_keeps_the_dialog_open_with_the_reason(
        qtbot, tab: ObservationTab, services: Services, monkeypatch):
    messages = []

    def answer(dialog: AddObservationDialog) -> int:
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        qtbot.keyClicks(dialog.value, "sixty")
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        messages.append(dialog.message.text())
        dialog.quarter.setText("2023Q1")
        dialog.dims.clear()
        dialog.value.setText("62")
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        messages.append(dialog.message.text())
        dialog.quarter.setText("2023Q2")
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        messages.append(dialog.message.text())
        return dialog.result()

    monkeypatch.setattr(AddObservationDialog, "exec", answer)
    tab.add_observation()
    assert messages[0].startswith("value 'sixty' is not a number")
    assert messages[1].startswith("quarter 2023Q1 of T-01 is locked")
    assert messages[2].startswith("T-O1 already has a value for 2023Q2 at NORTH; edit that one")
    assert tab.undo_stack.count() == 0


def test_deleting_rows_and_undo_brings_them_back_as_they_were(qtbot, tab: ObservationTab,
                                                              services: Services):
    before = _series(services)
    tab.view.setCurrentIndex(tab.model.index(2, COL_VALUE))
    tab.view.selectRow(2)
    qtbot.mouseClick(tab.buttons["delete"], Qt.MouseButton.LeftButton)
    assert [o[2] for o in _series(services)] == [{}, {}]
    assert tab.model.rowCount() == 2
    tab.undo_stack.undo()
    assert _series(services) == before
    assert tab.model.rowCount() == 3
    # a locked quarter's row is not deleted
    tab.view.selectRow(0)
    tab.delete_action.trigger()
    assert "2023Q1 is locked" in tab.status.text()
    assert _series(services) == before


def test_copy_puts_the_selected_cells_on_the_clipboard_for_a_spreadsheet(
        qtbot, tab: ObservationTab):
    tab.view.setCurrentIndex(tab.model.index(1, COL_QUARTER))
    tab.view.selectRow(1)
    qtbot.keyClick(tab.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    cells = QApplication.clipboard().text().rstrip("\n").split("\t")
    assert cells[:4] == ["2023Q2", "NORTH", "", ""] and cells[4] == "63"


def test_the_by_quarter_view_lists_every_indicator_of_one_quarter(qtbot, tab: ObservationTab,
                                                                  qtmodeltester):
    tab.mode.setCurrentIndex(tab.mode.findData(BY_QUARTER))
    tab.select_quarter("2023Q2")
    assert [(r.indicator_code, r.value) for r in tab.model.rows] == [
        ("T-O1", 63.0), ("T-O1", 60.0), ("T-P1", 4300.0)]
    assert not tab.view.isColumnHidden(COL_INDICATOR) and tab.view.isColumnHidden(COL_QUARTER)
    assert tab.model.index(0, COL_INDICATOR).data() == "T-O1 (%)"
    qtmodeltester.check(tab.model)


def test_switching_programmes_and_services(qtbot, tab: ObservationTab, tmp_path: Path):
    tab.set_programme(None)
    assert not tab.isEnabled() and tab.model.rowCount() == 0
    other = Services.open(tmp_path / "other.sqlite")
    try:
        tab.services = other
        other.programmes.create("EMPTY-1", "Nothing yet")
        tab.set_programme("EMPTY-1")
        assert tab.selector.count() == 0 and tab.model.rowCount() == 0
    finally:
        other.close()


def test_a_block_with_quarters_fills_an_indicator_that_has_no_values_yet(
        qtbot, tab: ObservationTab, services: Services):
    tab.select_indicator("T-O2")
    assert tab.model.rowCount() == 0
    # whole rows copied from a spreadsheet: quarter, strand, disaggregation, phase, value
    tab.paste_text("2023Q2\tNORTH\t\tco_delivery\t35,5\n"
                   "2023-Q3\tNORTH\t\tco delivery\t33\n"
                   "2023Q3\tSOUTH\tsex=female\t\t41,25 %\n")
    assert [(o.period, o.strand_code, o.dims, o.phase, o.value)
            for o in services.observations.find("T-01", indicator="T-O2")] == [
        ("2023Q2", "NORTH", {}, "co_delivery", 35.5),
        ("2023Q3", "NORTH", {}, "co_delivery", 33.0),
        ("2023Q3", "SOUTH", {"sex": "female"}, None, 41.25)]
    assert tab.model.rowCount() == 3 and tab.undo_stack.count() == 1
    tab.undo_stack.undo()
    assert services.observations.find("T-01", indicator="T-O2") == []


def test_a_quarter_locked_elsewhere_turns_read_only_on_refresh(qtbot, tab: ObservationTab,
                                                               services: Services):
    assert tab.model.flags(tab.model.index(1, COL_VALUE)) & Qt.ItemFlag.ItemIsEditable
    services.observations.set_period_status("T-01", "2023Q2", "locked")
    tab.reload()
    assert all(r.locked for r in tab.model.rows)
    assert not tab.model.flags(tab.model.index(1, COL_VALUE)) & Qt.ItemFlag.ItemIsEditable
    tab.view.setCurrentIndex(tab.model.index(1, COL_VALUE))
    tab.paste_text("64\n")
    assert "which is in a locked quarter" in tab.status.text()
    assert _series(services)[1][3] == 63.0


# ----------------------------------------------------------------- the value gate (issue 12)


@pytest.fixture
def locale():
    """Set the user's locale for one test, and put the default back after it."""
    before = QLocale()
    yield lambda language, country: QLocale.setDefault(QLocale(language, country))
    QLocale.setDefault(before)


@pytest.fixture
def ratio_tab(qtbot, services: Services, tmp_path: Path) -> ObservationTab:
    rows = with_ratio_indicator(small_programme_rows())
    services.workbooks.load(write(tmp_path / "p.xlsx", rows))
    t = ObservationTab(services, QUndoStack())
    qtbot.addWidget(t)
    t.show()
    t.set_programme("T-01")
    t.select_indicator("T-R1")
    return t


class Answers(list[str]):
    """The texts of the questions asked, and the buttons queued to answer the next ones."""

    def __init__(self) -> None:
        super().__init__()
        self.replies: list[QMessageBox.StandardButton] = []

    def reply(self, button: QMessageBox.StandardButton) -> None:
        self.replies.append(button)


@pytest.fixture
def answers(monkeypatch) -> Answers:
    """Every question a QMessageBox asks, answered with the buttons queued by
    ``answers.reply`` (Cancel when none is queued); the texts asked are recorded."""
    asked = Answers()

    def answer(box: QMessageBox) -> QMessageBox.StandardButton:
        asked.append(f"{box.text()}\n{box.informativeText()}")
        return asked.replies.pop(0) if asked.replies else QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "exec", answer)
    return asked


@pytest.mark.parametrize(("language", "country"), [
    (QLocale.Language.English, QLocale.Country.UnitedStates),  # decimal point
    (QLocale.Language.German, QLocale.Country.Germany),  # decimal comma
])
def test_typing_0_875_in_a_ratio_cell_stores_0_875(qtbot, ratio_tab: ObservationTab,
                                                  services: Services, locale, answers,
                                                  language, country):
    locale(language, country)
    point = QLocale().decimalPoint()
    assert point == ("." if language == QLocale.Language.English else ",")
    _type_into_cell(qtbot, ratio_tab, 0, COL_VALUE, "0,875")
    assert _series(services, "T-R1")[0][3] == 0.875  # once saved 875, with "Saved"
    assert ratio_tab.status.text() == "Saved: set value of T-R1 2023Q2 at NORTH to " \
        f"0{point}875."
    assert ratio_tab.model.index(0, COL_VALUE).data() == f"0{point}875"
    assert answers == []  # nothing to ask: 0,875 reads one way


def test_a_ratio_that_reads_two_ways_is_asked_about_in_a_point_locale(
        qtbot, ratio_tab: ObservationTab, services: Services, locale, answers):
    locale(QLocale.Language.English, QLocale.Country.UnitedStates)
    _type_into_cell(qtbot, ratio_tab, 0, COL_VALUE, "1,234")  # Cancel: nothing saved
    assert answers[0] == ("These figures can be read two ways:\n"
                          "T-R1 2023Q2 at NORTH, Value: '1,234' (1.234 or 1234)\n\n"
                          "Is the comma a decimal mark or a thousands mark here?")
    assert _series(services, "T-R1")[0][3] == 0.8
    assert ratio_tab.status.text().startswith("Nothing was saved: T-R1 2023Q2 at NORTH, "
                                              "Value: '1,234' (1.234 or 1234) can be read two "
                                              "ways")
    answers.reply(QMessageBox.StandardButton.Yes)  # a decimal comma
    _type_into_cell(qtbot, ratio_tab, 0, COL_VALUE, "1,234")
    assert _series(services, "T-R1")[0][3] == 1.234
    answers.reply(QMessageBox.StandardButton.No)  # a thousands comma; then save it anyway
    answers.reply(QMessageBox.StandardButton.Save)
    _type_into_cell(qtbot, ratio_tab, 0, COL_VALUE, "1,250")
    assert _series(services, "T-R1")[0][3] == 1250.0
    assert answers[-1] == ("1 figure(s) look unusual next to their series:\n"
                           "- T-R1 2023Q2 at NORTH: 1250 is 1013 times 1.234, the figure it "
                           "replaces\n\nSave anyway?")


def test_an_unusual_value_is_confirmed_before_it_is_saved(qtbot, tab: ObservationTab,
                                                          services: Services, answers):
    tab.mode.setCurrentIndex(tab.mode.findData(BY_QUARTER))
    tab.select_quarter("2023Q2")
    row = next(i for i, r in enumerate(tab.model.rows) if r.indicator_code == "T-P1")
    _type_into_cell(qtbot, tab, row, COL_VALUE, "430")  # Cancel
    assert answers == ["1 figure(s) look unusual next to their series:\n"
                       "- T-P1 2023Q2: 430 is 1/10 of 4300, the figure it replaces\n\n"
                       "Save anyway?"]
    assert tab.status.text() == "Not saved: value of T-P1 2023Q2 stays 4300."
    assert services.observations.find("T-01", indicator="T-P1")[0].value == 4300.0
    answers.reply(QMessageBox.StandardButton.Save)
    _type_into_cell(qtbot, tab, row, COL_VALUE, "430")
    assert services.observations.find("T-01", indicator="T-P1")[0].value == 430.0
    assert tab.undo_stack.count() == 1


def test_a_paste_with_one_bad_row_says_which_and_why_in_the_window(
        qtbot, ratio_tab: ObservationTab, services: Services, answers):
    ratio_tab.view.setCurrentIndex(ratio_tab.model.index(0, COL_VALUE))
    ratio_tab.paste_text("0,9\n-0,3\n0,95\n")
    assert ratio_tab.status.text() == (
        "1 problem(s) in the block; nothing was saved:\n"
        "- row 2 of the block (new, 2023Q3): value -0.3 is a ratio and cannot be negative")
    ratio_tab.paste_text("0,9\n1e309\n")
    assert ratio_tab.status.text() == (
        "1 cell(s) of the pasted block cannot be read; nothing was pasted:\n"
        "- row 2, column 'Value': '1e309' is too large to be a figure (it is beyond what can "
        "be stored); enter the figure")
    assert answers == []  # in the window, not in a dialog
    assert _series(services, "T-R1") == [("2023Q2", "NORTH", {}, 0.8, None, None, None)]
    assert ratio_tab.undo_stack.count() == 0


def test_n_a_in_a_pasted_block_is_missing_not_a_rejection(qtbot, tab: ObservationTab,
                                                         services: Services, answers):
    before = _series(services)
    tab.view.setCurrentIndex(tab.model.index(1, COL_VALUE))
    tab.paste_text("64,5\nn/a\n66\n")
    assert _series(services) == [
        before[0],
        ("2023Q2", "NORTH", {}, 64.5, None, None, 600),
        before[2],  # n/a: the stored 60 stays
        ("2023Q3", "NORTH", {"sex": "female"}, 66.0, None, None, None)]
    assert tab.status.text() == (
        "Pasted 3 × 1 cells: 1 observation(s) added, 1 changed. Undo (Ctrl+Z) reverts the "
        "whole block.\n"
        "row 2 of the block, column 'Value': 'n/a' is missing, not zero; the stored figure "
        "stays")
    assert answers == []
