"""The indicator tab and the outcome-coaching wizard, driven as a user would."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QComboBox, QMessageBox, QWizard

from coprod_me.gui.indicator_tab import COL_LATEST, COL_STATUS, COL_TARGET, IndicatorTab
from coprod_me.gui.indicator_wizard import IndicatorWizard
from coprod_me.model.errors import DomainError, NotFound
from coprod_me.services import Services
from coprod_me.services.database import audit_trail
from tests.builders import small_programme_rows, write

LEFT = Qt.MouseButton.LeftButton
NEXT = QWizard.WizardButton.NextButton
FINISH = QWizard.WizardButton.FinishButton


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


def open_wizard(qtbot, tab: IndicatorTab) -> IndicatorWizard:
    qtbot.mouseClick(tab.new_button, LEFT)
    wizard = tab.wizard
    assert wizard is not None
    qtbot.waitUntil(wizard.isVisible)
    return wizard


def click(qtbot, wizard: IndicatorWizard, which: QWizard.WizardButton) -> None:
    button = wizard.button(which)
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, LEFT)


def answer(qtbot, wizard: IndicatorWizard, *answers: str) -> None:
    """Click Yes / No / Not sure ('yes', 'no', 'unsure') for the first questions in turn."""
    for key, a in zip(wizard.questions.buttons, answers, strict=False):
        qtbot.mouseClick(wizard.questions.buttons[key][a], LEFT)


def choose(qtbot, combo: QComboBox, value: str) -> None:
    """Pick an item with the arrow keys on the closed combo, as a keyboard user would."""
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if combo.currentData() == value:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentData() == value, combo.currentText()


def set_end_target(qtbot, wizard: IndicatorWizard, value: str, *dimensions: str) -> None:
    """On the targets page: the end-of-programme target, and the disaggregations to tick."""
    assert wizard.currentPage() is wizard.targets_page
    panel = wizard.targets_page.panel
    assert panel is not None and panel.quarter_edit.text() == "2025Q4"  # the planned end
    qtbot.keyClicks(panel.value_edit, value)
    qtbot.mouseClick(panel.set_button, LEFT)
    for d in dimensions:
        qtbot.mouseClick(wizard.targets_page.dimension_boxes[d], LEFT)


def row_of(tab: IndicatorTab, code: str) -> int:
    for r in range(tab.proxy.rowCount()):
        if tab.proxy.index(r, 0).data() == code:
            return r
    raise AssertionError(f"{code} is not in the table")


def select_row(qtbot, tab: IndicatorTab, code: str) -> None:
    r = row_of(tab, code)
    rect = tab.table.visualRect(tab.proxy.index(r, 1))
    qtbot.mouseClick(tab.table.viewport(), LEFT, pos=rect.center())
    assert tab.selected() is not None and tab.selected().code == code  # type: ignore[union-attr]


# ------------------------------------------------------------------------------------ wizard


def test_adding_an_outcome_through_the_wizard_saves_the_suggested_classification(
        qtbot, tab: IndicatorTab, services: Services, undo_stack: QUndoStack):
    wizard = open_wizard(qtbot, tab)
    assert not wizard.button(NEXT).isEnabled()
    qtbot.keyClicks(wizard.code_edit, "T-O3")
    qtbot.keyClicks(wizard.name_edit, "Share of households practising handwashing with soap")
    assert wizard.name_warning.text() == ""
    click(qtbot, wizard, NEXT)

    assert "Participation is not the outcome" in wizard.participation_note.text()
    answer(qtbot, wizard, "no", "no", "yes", "no")
    assert not wizard.button(NEXT).isEnabled()  # every question needs an answer
    answer_five = wizard.questions.buttons["programme_can_move_it"]["yes"]
    qtbot.mouseClick(answer_five, LEFT)
    click(qtbot, wizard, NEXT)

    assert "Suggested: outcome (short-term) · is anyone better off?" in \
        wizard.suggestion_label.text()
    assert wizard.level_combo.currentData() == "outcome_short"
    assert wizard.quadrant_combo.currentData() == "better_off"
    assert not wizard.coaching_card.isVisible()
    assert not wizard.button(NEXT).isEnabled()  # which kind of better off?
    choose(qtbot, wizard.better_off_combo, "behaviour")
    click(qtbot, wizard, NEXT)

    assert wizard.unit_combo.currentData() == "percent"
    qtbot.keyClicks(wizard.numerator_edit, "households with soap and water at the station")
    qtbot.keyClicks(wizard.denominator_edit, "households visited")
    qtbot.keyClicks(wizard.baseline_edit, "40")
    qtbot.keyClicks(wizard.baseline_period_edit, "2023 Q1")
    click(qtbot, wizard, NEXT)
    set_end_target(qtbot, wizard, "70", "sex")
    assert not wizard.button(NEXT).isVisible()  # an outcome needs no link page
    click(qtbot, wizard, FINISH)

    qtbot.waitUntil(lambda: not wizard.isVisible())
    ind = services.indicators.get("T-01", "T-O3")
    assert (ind.result_level, ind.rba_quadrant, ind.better_off_type, ind.unit,
            ind.baseline_value, ind.baseline_period) == (
        "outcome_short", "better_off", "behaviour", "percent", 40.0, "2023Q1")
    assert ind.numerator_def == "households with soap and water at the station"
    assert tab.selected() is not None and tab.selected().code == "T-O3"  # type: ignore[union-attr]
    reasons = {a.reason for a in audit_trail(services.store, "indicator", ind.id)}
    assert "create indicator (wizard answers: Q1 no, Q2 no, Q3 yes, Q4 no, Q5 yes)" in reasons

    undo_stack.undo()
    with pytest.raises(NotFound):
        services.indicators.get("T-01", "T-O3")
    assert "T-O3" not in [r.code for r in tab.model.rows]
    undo_stack.redo()
    assert services.indicators.get("T-01", "T-O3").better_off_type == "behaviour"


def test_an_output_like_name_marked_as_an_outcome_needs_a_confirmed_coaching_card(
        qtbot, tab: IndicatorTab, services: Services):
    wizard = open_wizard(qtbot, tab)
    qtbot.keyClicks(wizard.code_edit, "T-O9")
    qtbot.keyClicks(wizard.name_edit, "Number of masons trained")
    assert "reads like an output ('Number of', 'trained')" in wizard.name_warning.text()
    click(qtbot, wizard, NEXT)
    answer(qtbot, wizard, "yes", "no", "no", "no", "yes")
    click(qtbot, wizard, NEXT)
    assert wizard.level_combo.currentData() == "output"
    assert wizard.quadrant_combo.currentData() == "how_much"
    assert not wizard.coaching_card.isVisible()

    choose(qtbot, wizard.level_combo, "outcome_short")
    choose(qtbot, wizard.quadrant_combo, "better_off")
    choose(qtbot, wizard.better_off_combo, "skills_knowledge")
    card = wizard.coaching_card.text()
    assert wizard.coaching_card.isVisible() and wizard.confirm_box.isVisible()
    assert "'Number of masons trained' reads like an output" in card
    assert "68 % coverage, while the 2011 census found 31 %" in card
    assert not wizard.button(NEXT).isEnabled()  # blocked until confirmed
    qtbot.mouseClick(wizard.confirm_box, LEFT)
    assert wizard.confirm_box.isChecked()
    click(qtbot, wizard, NEXT)
    choose(qtbot, wizard.unit_combo, "count")
    qtbot.keyClicks(wizard.baseline_edit, "0")  # an outcome needs a baseline (gate G4)
    click(qtbot, wizard, NEXT)
    set_end_target(qtbot, wizard, "200", "sex")
    click(qtbot, wizard, FINISH)

    qtbot.waitUntil(lambda: not wizard.isVisible())
    ind = services.indicators.get("T-01", "T-O9")
    assert (ind.result_level, ind.rba_quadrant) == ("outcome_short", "better_off")
    # the coaching stays in view after saving, and the audit log says it was confirmed
    assert tab.message.isVisible() and "68 %" in tab.message.text()
    reasons = {a.reason for a in audit_trail(services.store, "indicator", ind.id)}
    assert any("despite output cues (Number of, trained), confirmed" in (r or "")
               for r in reasons)


def test_an_indicator_that_can_hit_its_target_with_nobody_better_off_is_not_an_outcome(
        qtbot, tab: IndicatorTab):
    wizard = open_wizard(qtbot, tab)
    qtbot.keyClicks(wizard.code_edit, "T-O9")
    qtbot.keyClicks(wizard.name_edit, "Households with a toilet")
    click(qtbot, wizard, NEXT)
    answer(qtbot, wizard, "no", "no", "yes", "yes", "yes")
    click(qtbot, wizard, NEXT)
    assert (wizard.level_combo.currentData(), wizard.quadrant_combo.currentData()) == (
        "output", "how_well")
    assert "cannot be an outcome" in wizard.suggestion_label.text()
    choose(qtbot, wizard.level_combo, "outcome_intermediate")
    assert wizard.blocker.isVisible() and "question 4" in wizard.blocker.text()
    assert not wizard.button(NEXT).isEnabled()
    choose(qtbot, wizard.level_combo, "output")
    assert not wizard.blocker.isVisible() and wizard.button(NEXT).isEnabled()


def test_an_outcome_cannot_take_the_how_much_quadrant(qtbot, tab: IndicatorTab,
                                                    services: Services):
    """'Number of workshops held' as an outcome with 'how much did we do?' went through
    after one tick (issue 15's trial): the wizard now holds it, and so does the service."""
    wizard = open_wizard(qtbot, tab)
    qtbot.keyClicks(wizard.code_edit, "T-O9")
    qtbot.keyClicks(wizard.name_edit, "Number of workshops held")
    click(qtbot, wizard, NEXT)
    answer(qtbot, wizard, "no", "no", "no", "no", "no")
    click(qtbot, wizard, NEXT)
    choose(qtbot, wizard.level_combo, "outcome_short")
    choose(qtbot, wizard.quadrant_combo, "how_much")
    if wizard.confirm_box.isVisible():
        wizard.confirm_box.setChecked(True)  # the tick that used to let it through
    assert wizard.blocker.isVisible() and "'How much did we do?' counts activity" in \
        wizard.blocker.text()
    assert not wizard.button(NEXT).isEnabled()
    choose(qtbot, wizard.quadrant_combo, "how_well")
    assert not wizard.blocker.isVisible()
    with pytest.raises(DomainError, match="'how much did we do\\?' is an output's question"):
        services.indicators.create("T-01", "T-O9", "Number of workshops held",
                                   result_level="outcome_short", rba_quadrant="how_much",
                                   unit="count")


def test_a_new_output_is_linked_to_its_outcome_in_the_same_undoable_step(
        qtbot, tab: IndicatorTab, services: Services, undo_stack: QUndoStack):
    wizard = open_wizard(qtbot, tab)
    qtbot.keyClicks(wizard.code_edit, "T-P2")
    qtbot.keyClicks(wizard.name_edit, "Handwashing stations installed")
    click(qtbot, wizard, NEXT)
    answer(qtbot, wizard, "yes", "no", "no", "no", "yes")
    click(qtbot, wizard, NEXT)
    click(qtbot, wizard, NEXT)
    assert wizard.unit_combo.currentData() == "count"
    assert not wizard.button(FINISH).isVisible()
    click(qtbot, wizard, NEXT)
    set_end_target(qtbot, wizard, "40")  # an output needs no disaggregation
    assert not wizard.button(FINISH).isVisible()
    click(qtbot, wizard, NEXT)  # to the link page, outputs only

    assert not wizard.button(FINISH).isEnabled()
    item = wizard.outcome_list.item(1)
    assert item.text().startswith("T-O2")
    item.setCheckState(Qt.CheckState.Checked)
    assert not wizard.button(FINISH).isEnabled()  # the assumption is required
    qtbot.keyClicks(wizard.assumption_edit, "Stations near toilets make washing a habit")
    click(qtbot, wizard, FINISH)

    qtbot.waitUntil(lambda: not wizard.isVisible())
    links = {(a, b): lk.assumption_text for a, b, lk in services.indicators.links("T-01")}
    assert links[("T-P2", "T-O2")] == "Stations near toilets make washing a habit"
    assert undo_stack.count() == 1
    undo_stack.undo()
    assert ("T-P2", "T-O2") not in {(a, b) for a, b, _ in services.indicators.links("T-01")}
    with pytest.raises(NotFound):
        services.indicators.get("T-01", "T-P2")


def test_a_used_code_is_refused_on_the_first_page(qtbot, tab: IndicatorTab):
    wizard = open_wizard(qtbot, tab)
    qtbot.keyClicks(wizard.code_edit, "T-O1")
    qtbot.keyClicks(wizard.name_edit, "Anything")
    click(qtbot, wizard, NEXT)
    assert wizard.currentId() == 0
    assert "already has an indicator 'T-O1'" in wizard.currentPage().error.text()  # type: ignore[attr-defined]


# ------------------------------------------------------------------------- links and gates


def test_linking_an_output_creates_the_link_and_undo_removes_it(
        qtbot, tab: IndicatorTab, services: Services, undo_stack: QUndoStack):
    assert tab.gates_badge.text() == "Outcome gates: 5 of 5 met"
    services.indicators.create("T-01", "T-P2", "Masons trained", result_level="output",
                               rba_quadrant="how_much", unit="count")
    tab.reload()
    assert tab.gates_badge.text() == "Outcome gates: 4 of 5 met"
    assert "G3 Every output is linked" in tab.gates_badge.toolTip()

    select_row(qtbot, tab, "T-O1")
    assert not tab.link_button.isEnabled()  # outcomes are not linked up from here
    select_row(qtbot, tab, "T-P2")
    assert "Not linked to an outcome yet" in tab.detail.text()
    qtbot.mouseClick(tab.link_button, LEFT)
    dialog = tab.link_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert not dialog.ok_button.isEnabled()
    dialog.outcomes.item(0).setCheckState(Qt.CheckState.Checked)  # T-O1
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.assumption, "Trained masons build toilets people want to use")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.isVisible())

    links = {(a, b): lk for a, b, lk in services.indicators.links("T-01")}
    assert links[("T-P2", "T-O1")].assumption_text == \
        "Trained masons build toilets people want to use"
    assert tab.gates_badge.text() == "Outcome gates: 5 of 5 met"
    assert "Should drive: T-O1" in tab.detail.text()

    undo_stack.undo()
    assert ("T-P2", "T-O1") not in {(a, b) for a, b, _ in services.indicators.links("T-01")}
    assert tab.gates_badge.text() == "Outcome gates: 4 of 5 met"
    undo_stack.redo()
    assert ("T-P2", "T-O1") in {(a, b) for a, b, _ in services.indicators.links("T-01")}


def test_relinking_with_a_new_assumption_is_undone_to_the_old_one(
        qtbot, tab: IndicatorTab, services: Services, undo_stack: QUndoStack):
    select_row(qtbot, tab, "T-P1")
    qtbot.mouseClick(tab.link_button, LEFT)
    dialog = tab.link_dialog
    assert dialog is not None
    assert dialog.assumption.text() == "Toilets enable use if demand exists"
    dialog.assumption.clear()
    qtbot.keyClicks(dialog.assumption, "Toilets are used once households see the benefit")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    links = {(a, b): lk for a, b, lk in services.indicators.links("T-01")}
    assert links[("T-P1", "T-O1")].assumption_text.startswith("Toilets are used")
    undo_stack.undo()
    links = {(a, b): lk for a, b, lk in services.indicators.links("T-01")}
    assert links[("T-P1", "T-O1")].assumption_text == "Toilets enable use if demand exists"


def test_the_gates_badge_opens_the_gates_with_their_explanations(
        qtbot, tab: IndicatorTab, services: Services):
    services.indicators.create("T-01", "T-P2", "Masons trained", result_level="output",
                               rba_quadrant="how_much", unit="count")
    tab.reload()
    qtbot.mouseClick(tab.gates_badge, LEFT)
    dialog = tab.gates_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    text = dialog.browser.toPlainText()
    assert "outcome gates 4 of 5 met" in text
    assert "G3 Every output is linked to an outcome, with its assumption ✘ not met" in text
    assert "output T-P2 is not linked to an outcome with an assumption" in text
    assert "busy but not better" in text  # the explanation
    dialog.close()
    tab.gates_badge.setFocus()
    qtbot.keyClick(tab.gates_badge, Qt.Key.Key_Return)
    assert tab.gates_dialog is not dialog and tab.gates_dialog.isVisible()  # type: ignore[union-attr]


# ---------------------------------------------------------------------------- the table


def test_the_table_model_sorts_filters_and_colours_the_status(
        qtbot, tab: IndicatorTab, qtmodeltester):
    qtmodeltester.check(tab.model)
    assert [tab.proxy.index(r, 0).data() for r in range(tab.proxy.rowCount())] == [
        "T-O1", "T-O2", "T-P1"]  # outcomes first until the user sorts
    status = tab.proxy.index(0, COL_STATUS)
    assert status.data() == "on track"
    assert status.data(Qt.ItemDataRole.BackgroundRole).color().name() == "#d8efd9"
    assert "of the way from the baseline 58 % to the target 85 %" in status.data(
        Qt.ItemDataRole.ToolTipRole)
    assert tab.proxy.index(1, COL_STATUS).data() == "no data"
    assert tab.proxy.index(row_of(tab, "T-P1"), COL_LATEST).data() == "4,300"

    header = tab.table.horizontalHeader()
    orders = []
    for _ in range(2):  # a click on the Code header sorts, a second click reverses
        x = header.sectionViewportPosition(0) + header.sectionSize(0) // 2
        qtbot.mouseClick(header.viewport(), LEFT, pos=QPoint(x, header.height() // 2))
        orders.append([tab.proxy.index(r, 0).data() for r in range(tab.proxy.rowCount())])
    assert sorted(orders) == [["T-O1", "T-O2", "T-P1"], ["T-P1", "T-O2", "T-O1"]]
    x = header.sectionViewportPosition(COL_STATUS) + header.sectionSize(COL_STATUS) // 2
    qtbot.mouseClick(header.viewport(), LEFT, pos=QPoint(x, header.height() // 2))
    statuses = [tab.proxy.index(r, COL_STATUS).data() for r in range(tab.proxy.rowCount())]
    assert statuses in (["no data", "no data", "on track"], ["on track", "no data", "no data"])
    qtbot.keyClicks(tab.filter_edit, "defecation")
    assert tab.proxy.rowCount() == 1 and tab.proxy.index(0, 0).data() == "T-O2"


# ------------------------------------------------------------------------ edit and delete


def test_editing_coaches_inline_and_is_undoable(
        qtbot, tab: IndicatorTab, services: Services, undo_stack: QUndoStack):
    select_row(qtbot, tab, "T-O1")
    qtbot.mouseClick(tab.edit_button, LEFT)
    editor = tab.editor
    assert editor is not None
    qtbot.waitUntil(editor.isVisible)
    assert not editor.coaching_card.isVisible()
    name = editor.texts["name"]
    name.clear()
    qtbot.keyClicks(name, "Number of households trained")
    assert editor.coaching_card.isVisible()
    assert "reads like an output ('Number of', 'trained')" in editor.coaching_card.text()
    assert "68 %" in editor.coaching_card.text()
    editor.texts["baseline_value"].clear()
    qtbot.keyClicks(editor.texts["baseline_value"], "60,5")
    qtbot.keyClicks(editor.texts["amber_at"], "62")
    qtbot.mouseClick(editor.phase_boxes["co_design"], LEFT)
    qtbot.mouseClick(editor.buttons.button(editor.buttons.StandardButton.Save), LEFT)
    qtbot.waitUntil(lambda: not editor.isVisible())

    ind = services.indicators.get("T-01", "T-O1")
    assert (ind.name, ind.baseline_value, ind.amber_at, ind.phases) == (
        "Number of households trained", 60.5, 62.0, "co_design,co_delivery")
    assert "68 %" in tab.message.text()
    undo_stack.undo()
    ind = services.indicators.get("T-01", "T-O1")
    assert (ind.name, ind.baseline_value, ind.amber_at, ind.phases) == (
        "Households where all members use a toilet", 58.0, None, "co_delivery")


def test_a_wrong_number_in_the_editor_is_reported_and_keeps_the_editor_open(
        qtbot, tab: IndicatorTab, services: Services, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()))
    select_row(qtbot, tab, "T-O1")
    qtbot.mouseClick(tab.edit_button, LEFT)
    editor = tab.editor
    assert editor is not None
    qtbot.keyClicks(editor.texts["red_at"], "lots")
    qtbot.mouseClick(editor.buttons.button(editor.buttons.StandardButton.Save), LEFT)
    assert shown and "red_at: 'lots' is not a number" in shown[0]
    assert editor.isVisible()
    assert services.indicators.get("T-01", "T-O1").red_at is None


def test_the_edit_dialog_rechecks_questions_three_to_five(qtbot, tab: IndicatorTab):
    select_row(qtbot, tab, "T-O1")
    qtbot.mouseClick(tab.edit_button, LEFT)
    editor = tab.editor
    assert editor is not None
    q = editor.questions.buttons
    assert list(q) == ["change_in_people_or_place", "target_hit_while_nobody_better_off",
                       "programme_can_move_it"]
    qtbot.mouseClick(q["change_in_people_or_place"]["yes"], LEFT)
    qtbot.mouseClick(q["target_hit_while_nobody_better_off"]["no"], LEFT)
    qtbot.mouseClick(q["programme_can_move_it"]["no"], LEFT)
    assert "Suggests impact" in editor.recheck_label.text()
    qtbot.mouseClick(editor.use_suggestion, LEFT)
    assert editor.combos["result_level"].currentData() == "impact"


def test_deleting_asks_first_and_undo_brings_back_targets_and_links(
        qtbot, tab: IndicatorTab, services: Services, undo_stack: QUndoStack, monkeypatch):
    services.indicators.link("T-01", "T-P1", "T-O2", "Toilets replace open fields")
    services.indicators.set_target("T-01", "T-O2", "2024Q4", 20, rationale="halve it")
    tab.reload()
    asked: list[str] = []

    def no(*args, **_kw):
        asked.append(args[2])
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", no)
    select_row(qtbot, tab, "T-O2")
    qtbot.mouseClick(tab.delete_button, LEFT)
    assert "Delete indicator T-O2" in asked[0]
    services.indicators.get("T-01", "T-O2")  # still there

    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(tab.delete_button, LEFT)
    with pytest.raises(NotFound):
        services.indicators.get("T-01", "T-O2")
    assert "T-O2" not in [r.code for r in tab.model.rows]

    undo_stack.undo()
    ind = services.indicators.get("T-01", "T-O2")
    assert (ind.name, ind.baseline_value, ind.verification_type, ind.phases) == (
        "Open defecation prevalence", 38.0, "independent_survey", "co_delivery")
    assert [(t.period, t.value, t.rationale) for t in services.indicators.targets(
        "T-01", "T-O2")] == [("2024Q4", 20.0, "halve it")]
    links = {(a, b): lk.assumption_text for a, b, lk in services.indicators.links("T-01")}
    assert links[("T-P1", "T-O2")] == "Toilets replace open fields"


def test_an_indicator_with_observations_is_not_deleted(
        qtbot, tab: IndicatorTab, services: Services, undo_stack: QUndoStack, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()))
    select_row(qtbot, tab, "T-P1")
    qtbot.mouseClick(tab.delete_button, LEFT)
    assert shown and "T-P1 has observations" in shown[0]
    assert services.indicators.get("T-01", "T-P1").name == "Household toilets constructed"
    assert undo_stack.count() == 0


def test_switching_database_uses_the_new_services(
        qtbot, tab: IndicatorTab, tmp_path: Path):
    other = Services.open(tmp_path / "other.sqlite")
    try:
        other.programmes.create("NEW-1", "Empty programme")
        tab.services = other
        tab.set_programme("NEW-1")
        assert tab.model.rowCount() == 0
        assert tab.gates_badge.text() == "Outcome gates: 3 of 5 met"
    finally:
        other.close()


def test_status_latest_and_target_are_in_view_beside_the_names(qtbot, window):
    """In the main window at 1600 px (a laptop screen), a sample's Indicators tab shows how
    each indicator is doing without scrolling: they were off-screen, right of the definition
    columns."""
    from coprod_me.services.database import load_samples

    load_samples(window.services.store)
    window.refresh()
    window.resize(1600, 900)
    window.select("RS-01")
    window.tabs.setCurrentWidget(window.indicator_tab)
    tab = window.indicator_tab
    qtbot.waitUntil(lambda: tab.proxy.rowCount() > 0)
    header = tab.table.horizontalHeader()
    visible = tab.table.viewport().width()
    for col in (COL_STATUS, COL_LATEST, COL_TARGET):
        assert header.sectionViewportPosition(col) + header.sectionSize(col) <= visible, (
            tab.model.headerData(col, Qt.Orientation.Horizontal))


def test_latest_value_target_and_baseline_are_rounded_by_unit(qtmodeltester):
    """78.333 % reads 78.3, a count 30,650, a ratio 0.86: as the report and the flags say them."""
    from coprod_me.gui.indicator_tab import IndicatorTableModel
    from coprod_me.model.tracking import Track
    from coprod_me.services.indicator_status import IndicatorRow

    def row(code: str, unit: str, latest: float, target: float, baseline: float
            ) -> IndicatorRow:
        return IndicatorRow(code, code, "outcome_intermediate", "better_off", None, unit,
                            "increase", baseline, "2024Q2", latest, None, "2024Q4", target,
                            None, Track.ON_TRACK, "")

    model = IndicatorTableModel()
    model.set_rows([row("P", "percent", 78.33333, 88.33333, 69.6), row("C", "count", 30650.0,
                    36000.0, 0.0), row("R", "ratio", 0.8567, 0.9, 0.84)])
    qtmodeltester.check(model)
    baseline = [c.title for c in model.columns].index("Baseline")
    shown = [[model.index(r, c).data() for c in (COL_LATEST, COL_TARGET, baseline)]
             for r in range(3)]
    assert shown == [["78.3", "88.3", "69.6"], ["30,650", "36,000", "0"],
                     ["0.86", "0.9", "0.84"]]
