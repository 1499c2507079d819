"""Targets in the GUI, driven as a user would and checked in the database: the wizard sets them
(and its new outcome meets gate G4), the editor sets, revises (with a reason) and removes them,
each change undoable, and the Indicators tab's status follows."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMessageBox
from sqlmodel import col, select

from coprod_me.gui.indicator_editor import IndicatorEditor
from coprod_me.gui.indicator_tab import COL_STATUS, COL_TARGET, IndicatorTab
from coprod_me.gui.target_edits import TargetsBox
from coprod_me.model import entities as M
from coprod_me.model.errors import DomainError
from coprod_me.services import Services
from coprod_me.services.database import audit_trail
from coprod_me.store.session import current_user
from tests.builders import small_programme_rows, write
from tests.gui.test_indicator_tab import (
    FINISH,
    LEFT,
    NEXT,
    answer,
    choose,
    click,
    open_wizard,
    row_of,
    select_row,
)


@pytest.fixture
def undo_stack() -> QUndoStack:
    return QUndoStack()


@pytest.fixture
def tab(qtbot, services: Services, undo_stack: QUndoStack, tmp_path: Path) -> IndicatorTab:
    services.workbooks.load(write(tmp_path / "p.xlsx", small_programme_rows()))
    t = IndicatorTab(services, undo_stack)
    qtbot.addWidget(t)
    t.set_programme("T-01")
    t.resize(1200, 600)
    t.show()
    return t


def revisions(services: Services) -> list[tuple[int, float, float, str]]:
    with services.store.read() as s:
        rows = s.exec(select(M.TargetRevision).order_by(col(M.TargetRevision.id))).all()
        return [(r.revision, r.previous_value, r.value, r.reason) for r in rows]


def targets(services: Services, code: str) -> list[tuple[str, int | None, float]]:
    return [(t.period, t.strand_id, t.value) for t in services.indicators.targets("T-01", code)]


def status(tab: IndicatorTab, code: str) -> str:
    return str(tab.proxy.index(row_of(tab, code), COL_STATUS).data())


def open_editor(qtbot, tab: IndicatorTab, code: str) -> tuple[IndicatorEditor, TargetsBox]:
    select_row(qtbot, tab, code)
    qtbot.mouseClick(tab.edit_button, LEFT)
    editor = tab.editor
    assert editor is not None and editor.targets is not None
    qtbot.waitUntil(editor.isVisible)
    return editor, editor.targets


def type_target(qtbot, box: TargetsBox, quarter: str, value: str) -> None:
    panel = box.panel
    panel.quarter_edit.clear()
    qtbot.keyClicks(panel.quarter_edit, quarter)
    panel.value_edit.clear()
    qtbot.keyClicks(panel.value_edit, value)
    qtbot.mouseClick(panel.set_button, LEFT)


# ------------------------------------------------------------------------------------ wizard


def test_the_wizard_sets_targets_and_its_new_outcome_meets_gate_g4(
        qtbot, tab: IndicatorTab, services: Services, undo_stack: QUndoStack):
    wizard = open_wizard(qtbot, tab)
    qtbot.keyClicks(wizard.code_edit, "T-O3")
    qtbot.keyClicks(wizard.name_edit, "Share of households practising handwashing with soap")
    click(qtbot, wizard, NEXT)
    answer(qtbot, wizard, "no", "no", "yes", "no", "yes")
    click(qtbot, wizard, NEXT)
    choose(qtbot, wizard.better_off_combo, "behaviour")
    click(qtbot, wizard, NEXT)

    # what gate G4 asks of an outcome: a baseline, and a ratio's numerator and denominator
    assert wizard.currentPage().gate_note.isVisible()  # type: ignore[attr-defined]
    assert not wizard.button(NEXT).isEnabled()
    qtbot.keyClicks(wizard.baseline_edit, "40")
    assert not wizard.button(NEXT).isEnabled()
    qtbot.keyClicks(wizard.numerator_edit, "households with soap and water")
    qtbot.keyClicks(wizard.denominator_edit, "households visited")
    click(qtbot, wizard, NEXT)

    page = wizard.targets_page
    panel = page.panel
    assert panel is not None
    assert panel.quarter_edit.text() == "2025Q4"  # the programme's planned end
    assert page.dimension_boxes["sex"].text() == "sex (used in this programme)"
    assert not wizard.button(FINISH).isEnabled()
    assert "a target for the end of the programme (2025Q4)" in page.hint.text()
    qtbot.keyClicks(panel.value_edit, "70")
    qtbot.mouseClick(panel.set_button, LEFT)
    panel.quarter_edit.clear()
    qtbot.keyClicks(panel.quarter_edit, "2024 Q4")
    choose(qtbot, panel.strand_combo, "NORTH")
    qtbot.keyClicks(panel.value_edit, "120")  # the value gate: a percent
    qtbot.mouseClick(panel.set_button, LEFT)
    assert "must be between 0 and 100" in panel.error.text()
    panel.value_edit.clear()
    qtbot.keyClicks(panel.value_edit, "55,5")
    qtbot.keyClick(panel.value_edit, Qt.Key.Key_Return)
    assert [(r.period, r.strand, r.value) for r in panel.model.rows] == [
        ("2024Q4", "NORTH", 55.5), ("2025Q4", None, 70.0)]
    assert not wizard.button(FINISH).isEnabled()  # an outcome needs a disaggregation
    assert "gate G4" in page.hint.text()
    for d in ("sex", "disability_wgss"):
        box = page.dimension_boxes[d]  # its box, left of the text (the middle may be empty)
        qtbot.mouseClick(box, LEFT, pos=QPoint(8, box.height() // 2))
    assert page.hint.text() == ""
    click(qtbot, wizard, FINISH)

    qtbot.waitUntil(lambda: not wizard.isVisible())
    ind = services.indicators.get("T-01", "T-O3")
    assert ind.disaggregation_required == "sex,disability_wgss"
    north = next(s.id for s in services.programmes.strands("T-01") if s.code == "NORTH")
    assert targets(services, "T-O3") == [("2024Q4", north, 55.5), ("2025Q4", None, 70.0)]
    assert revisions(services) == []
    g4 = next(g for g in services.programmes.gates("T-01") if g.code == "G4")
    assert g4.met, g4.details
    assert tab.gates_badge.text() == "Outcome gates: 5 of 5 met"
    assert tab.proxy.index(row_of(tab, "T-O3"), COL_TARGET).data() == "70"

    assert undo_stack.count() == 1  # the indicator and its targets are one step
    undo_stack.undo()
    with services.store.read() as s:
        assert s.exec(select(M.Target).where(M.Target.value == 55.5)).all() == []
    undo_stack.redo()
    assert targets(services, "T-O3") == [("2024Q4", north, 55.5), ("2025Q4", None, 70.0)]


def test_an_output_needs_its_end_target_but_no_disaggregation(
        qtbot, tab: IndicatorTab, services: Services):
    wizard = open_wizard(qtbot, tab)
    qtbot.keyClicks(wizard.code_edit, "T-P2")
    qtbot.keyClicks(wizard.name_edit, "Handwashing stations installed")
    click(qtbot, wizard, NEXT)
    answer(qtbot, wizard, "yes", "no", "no", "no", "yes")
    click(qtbot, wizard, NEXT)
    click(qtbot, wizard, NEXT)
    assert not wizard.currentPage().gate_note.isVisible()  # type: ignore[attr-defined]
    click(qtbot, wizard, NEXT)  # an output's baseline is optional
    assert not wizard.button(NEXT).isEnabled()
    panel = wizard.targets_page.panel
    assert panel is not None
    qtbot.keyClicks(panel.value_edit, "12.5")
    qtbot.mouseClick(panel.set_button, LEFT)
    assert "is a count and must be a whole number" in panel.error.text()
    panel.quarter_edit.clear()
    qtbot.keyClicks(panel.quarter_edit, "2040Q1")  # said here, not only at Finish
    qtbot.mouseClick(panel.set_button, LEFT)
    assert "2040Q1 lies outside T-01's life" in panel.error.text()
    assert panel.model.rowCount() == 0
    panel.quarter_edit.clear()
    qtbot.keyClicks(panel.quarter_edit, "2025Q4")
    panel.value_edit.clear()
    qtbot.keyClicks(panel.value_edit, "40")
    qtbot.mouseClick(panel.set_button, LEFT)
    assert wizard.button(NEXT).isEnabled()


# ------------------------------------------------------------------------------------ editor


def test_setting_a_target_in_the_editor_turns_the_status_on_track_and_undo_back(
        qtbot, tab: IndicatorTab, services: Services, undo_stack: QUndoStack, qtmodeltester):
    assert status(tab, "T-P1") == "no data"  # 4,300 toilets, but nothing to judge them by
    _editor, box = open_editor(qtbot, tab, "T-P1")
    assert box.panel.model.rowCount() == 0
    type_target(qtbot, box, "2025Q4", "4 000")
    assert targets(services, "T-P1") == [("2025Q4", None, 4000.0)]
    assert revisions(services) == []
    assert status(tab, "T-P1") == "on track"
    assert tab.proxy.index(row_of(tab, "T-P1"), COL_TARGET).data() == "4,000"
    qtmodeltester.check(box.panel.model)
    assert box.panel.model.index(0, 2).data() == "4,000"

    undo_stack.undo()
    assert targets(services, "T-P1") == []
    assert status(tab, "T-P1") == "no data"
    assert box.panel.model.rowCount() == 0
    undo_stack.redo()
    assert targets(services, "T-P1") == [("2025Q4", None, 4000.0)]
    assert status(tab, "T-P1") == "on track"


def test_revising_a_target_asks_why_lists_the_revision_and_undo_withdraws_it(
        qtbot, tab: IndicatorTab, services: Services, undo_stack: QUndoStack):
    _editor, box = open_editor(qtbot, tab, "T-O1")
    assert "No target has been revised" in box.panel.revisions.text()
    box.panel.table.selectRow(0)
    assert box.panel.quarter_edit.text() == "2024Q4"
    assert box.panel.value_edit.text() == "85"

    # without a reason: OK stays disabled, and Cancel changes nothing
    type_target(qtbot, box, "2024Q4", "70")
    dialog = box.reason_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert "changes from 85 % to 70 %" in dialog.question.text()
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.reason, "   ")
    assert not dialog.ok_button.isEnabled()
    dialog.reject()
    assert targets(services, "T-O1") == [("2024Q4", None, 85.0)]
    assert revisions(services) == [] and undo_stack.count() == 0

    type_target(qtbot, box, "2024Q4", "70")
    dialog = box.reason_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.reason, "the 2024 survey showed slower uptake")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert targets(services, "T-O1") == [("2024Q4", None, 70.0)]
    assert revisions(services) == [(1, 85.0, 70.0, "the 2024 survey showed slower uptake")]
    with services.store.read() as s:
        rev = s.exec(select(M.TargetRevision)).one()
        assert rev.revised_by == current_user()
    listed = box.panel.revisions.text()
    assert "2024Q4" in listed and "85 % → 70 %" in listed
    assert f"by {current_user()}" in listed and "the 2024 survey showed slower uptake" in listed
    assert box.panel.model.index(0, 3).data() == "1"
    assert tab.proxy.index(row_of(tab, "T-O1"), COL_TARGET).data() == "70"
    target_id = services.indicators.targets("T-01", "T-O1")[0].id
    assert "the 2024 survey showed slower uptake" in {
        a.reason for a in audit_trail(services.store, "target", target_id)}

    undo_stack.undo()
    assert targets(services, "T-O1") == [("2024Q4", None, 85.0)]
    assert revisions(services) == []
    assert "No target has been revised" in box.panel.revisions.text()
    assert "undo: revise target T-O1 2024Q4" in {
        a.reason for a in audit_trail(services.store, "target", target_id)}
    undo_stack.redo()
    assert revisions(services) == [(1, 85.0, 70.0, "the 2024 survey showed slower uptake")]

    # the quarterly report lists the revision that stands, with its reason
    report = services.reports.write(["T-01"], "2023Q2", tab_report_path(services),
                                    sections=["IPTT"]).file
    rows = [list(r) for r in openpyxl.load_workbook(report)["IPTT"].iter_rows(values_only=True)]
    listed = rows[[r[0] for r in rows].index("Indicator", [r[0] for r in rows].index(
        "Target revisions")) + 1]
    assert listed[0].startswith("T-O1: ")
    assert listed[1:8] == ["2024Q4", "programme", 85, 70, listed[5], current_user(), 1]
    assert listed[9] == "the 2024 survey showed slower uptake"


def tab_report_path(services: Services) -> Path:
    assert services.path is not None
    return services.path.with_name("t01-report.xlsx")


def test_removing_a_target_asks_why_and_a_revised_one_is_refused(
        qtbot, tab: IndicatorTab, services: Services, undo_stack: QUndoStack, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()))
    services.indicators.set_target("T-01", "T-O1", "2025Q4", 90)
    services.indicators.set_target("T-01", "T-O1", "2025Q4", 88, reason="budget cut")
    _editor, box = open_editor(qtbot, tab, "T-O1")
    box.panel.table.selectRow(0)  # 2024Q4, never revised
    qtbot.mouseClick(box.panel.remove_button, LEFT)
    dialog = box.reason_dialog
    assert dialog is not None and not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.reason, "merged into the end-of-programme target")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert targets(services, "T-O1") == [("2025Q4", None, 88.0)]

    box.panel.table.selectRow(0)  # 2025Q4, revised once
    assert not box.panel.remove_button.isEnabled()
    assert "its revisions are kept for the report" in box.panel.remove_button.toolTip()
    with pytest.raises(DomainError, match="has been revised; its revisions are kept"):
        box.edits.remove(box.panel.model.rows[0], "not needed")  # and the service refuses
    assert targets(services, "T-O1") == [("2025Q4", None, 88.0)]
    assert undo_stack.count() == 1 and shown == []

    undo_stack.undo()
    assert targets(services, "T-O1") == [("2024Q4", None, 85.0), ("2025Q4", None, 88.0)]


def test_the_editor_refuses_an_outcome_with_the_how_much_quadrant(
        qtbot, tab: IndicatorTab, services: Services, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()))
    editor, _box = open_editor(qtbot, tab, "T-O1")
    choose(qtbot, editor.combos["rba_quadrant"], "how_much")
    qtbot.mouseClick(editor.buttons.button(editor.buttons.StandardButton.Save), LEFT)
    assert shown and "'how much did we do?' is an output's question" in shown[0]
    assert editor.isVisible()
    assert services.indicators.get("T-01", "T-O1").rba_quadrant == "better_off"


def test_the_editor_with_its_targets_has_no_mnemonic_twice(qtbot, tab: IndicatorTab):
    from PySide6.QtWidgets import QAbstractButton, QLabel

    editor, _box = open_editor(qtbot, tab, "T-O1")
    texts = [w.text() for w in editor.findChildren(QLabel) if w.buddy() is not None]
    texts += [w.text() for w in editor.findChildren(QAbstractButton)]
    letters = [t.replace("&&", "").split("&")[1][0].lower() for t in texts
               if "&" in t.replace("&&", "")]
    assert sorted(m for m in letters if letters.count(m) > 1) == [], texts
