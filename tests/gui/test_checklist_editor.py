"""The checklist editor driven as a user would: choose an answer, write a comment, undo."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QComboBox, QLineEdit

from coprod_me.gui.checklist_editor import (
    COL_ANSWER,
    COL_COMMENT,
    COL_EVIDENCE,
    EVIDENCE_MISSING,
    MISSING_COLOUR,
    NOT_ANSWERED,
    ChecklistTab,
    lacks_evidence,
    raised_severity,
)
from coprod_me.gui.programme_view import ProgrammeView
from coprod_me.gui.rag_badges import SEVERITY_COLOURS
from coprod_me.services import Services
from coprod_me.services.database import load_samples

CODE = "HR-01"


@pytest.fixture
def loaded(services: Services) -> Services:
    load_samples(services.store)
    return services


@pytest.fixture
def editor(qtbot, loaded: Services) -> ChecklistTab:
    t = ChecklistTab(loaded, QUndoStack())
    qtbot.addWidget(t)
    t.show()
    t.set_programme(CODE)
    return t


def _answer_of(services: Services, quarter: str, item: str):
    return next(r for r in services.checklists.checklist(CODE, quarter) if r.code == item)


def _first_unanswered(editor: ChecklistTab, category: str | None = None) -> str:
    return next(r.code for r in editor.model.rows
                if r.answer is None and (category is None or r.category == category))


def test_every_checklist_item_is_listed_and_the_model_is_sound(editor: ChecklistTab,
                                                                qtmodeltester):
    codes = {r.code for r in editor.model.rows}
    for prefix in ("CDQ-", "CLQ-", "SUQ-", "EQQ-"):
        assert any(c.startswith(prefix) for c in codes), prefix
    qtmodeltester.check(editor.model)
    qtmodeltester.check(editor.proxy)
    assert editor.current_quarter() is not None


def test_choosing_an_answer_saves_it_colours_the_cell_and_undo_removes_it(
        qtbot, editor: ChecklistTab, loaded: Services):
    quarter = editor.current_quarter()
    item = next(r for r in editor.model.rows
                if r.answer is None and r.severity_if_risk == "high")
    idx = editor.cell(item.code, COL_ANSWER)
    editor.view.setFocus()
    editor.view.setCurrentIndex(idx)
    assert item.code in editor.help.text(), "the question's help is shown"
    qtbot.keyClick(editor.view, Qt.Key.Key_F2)
    combo = editor.view.indexWidget(idx)
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData(item.risk_answer))
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.view.indexWidget(idx) is None)

    assert _answer_of(loaded, quarter, item.code).answer == item.risk_answer
    idx = editor.cell(item.code, COL_ANSWER)
    assert idx.data() == item.risk_answer
    fill = idx.data(Qt.ItemDataRole.BackgroundRole).color().name()
    assert fill == SEVERITY_COLOURS["high"][0]
    assert "high judgement flag" in editor.status.text()

    editor.undo_stack.undo()
    assert _answer_of(loaded, quarter, item.code).answer is None
    assert editor.cell(item.code, COL_ANSWER).data() == NOT_ANSWERED
    editor.undo_stack.redo()
    assert _answer_of(loaded, quarter, item.code).answer == item.risk_answer


def test_a_comment_needs_an_answer_first_and_is_undoable(qtbot, editor: ChecklistTab,
                                                         loaded: Services):
    quarter = editor.current_quarter()
    code = _first_unanswered(editor)
    assert not editor.proxy.setData(editor.cell(code, COL_COMMENT), "minutes of 12 May")
    assert "choose an answer first" in editor.status.text()
    assert editor.undo_stack.count() == 0

    assert editor.proxy.setData(editor.cell(code, COL_ANSWER), "partly")
    idx = editor.cell(code, COL_COMMENT)
    editor.view.setCurrentIndex(idx)
    editor.view.edit(idx)
    line = editor.view.indexWidget(idx)
    assert isinstance(line, QLineEdit)
    qtbot.keyClicks(line, "minutes of 12 May")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.view.indexWidget(idx) is None)
    stored = _answer_of(loaded, quarter, code)
    assert (stored.answer, stored.comment) == ("partly", "minutes of 12 May")

    editor.undo_stack.undo()
    assert _answer_of(loaded, quarter, code).comment is None
    assert _answer_of(loaded, quarter, code).answer == "partly"


def test_delete_clears_an_answer_and_the_category_filter_narrows_the_list(
        qtbot, editor: ChecklistTab, loaded: Services):
    quarter = editor.current_quarter()
    code = _first_unanswered(editor, "equity")
    assert editor.proxy.setData(editor.cell(code, COL_ANSWER), "no")
    editor.category.setCurrentIndex(editor.category.findData("equity"))
    assert {editor.proxy.index(r, 0).data()[:3] for r in range(editor.proxy.rowCount())} \
        == {"EQQ"}
    editor.view.setFocus()
    editor.view.setCurrentIndex(editor.cell(code, COL_ANSWER))
    qtbot.keyClick(editor.view, Qt.Key.Key_Delete)
    assert _answer_of(loaded, quarter, code).answer is None
    editor.undo_stack.undo()
    assert _answer_of(loaded, quarter, code).answer == "no"


def test_unknown_on_a_high_item_raises_one_level_lower(editor: ChecklistTab):
    row = next(r for r in editor.model.rows if r.severity_if_risk == "high")

    assert raised_severity(replace(row, answer="unknown")) == "medium"
    assert raised_severity(replace(row, answer=row.risk_answer)) == "high"
    assert raised_severity(replace(row, answer="n/a")) is None


def test_the_editor_is_empty_and_disabled_without_a_programme(editor: ChecklistTab,
                                                                tmp_path: Path):
    editor.set_programme(None)
    assert editor.model.rowCount() == 0 and not editor.isEnabled()


def test_partly_raises_the_items_partly_severity(editor: ChecklistTab):
    row = next(r for r in editor.model.rows if r.code == "CDQ-1")  # partly → medium
    assert row.severity_if_partly == "medium"
    assert raised_severity(replace(row, answer="partly")) == "medium"


def test_a_strands_answers_are_seen_and_edited_apart_from_the_programmes(
        qtbot, editor: ChecklistTab, loaded: Services):
    """HR-01's evaluator answered for the Home Help strand (HH); those answers, and the
    flags they raise, belong to that strand, not to the whole programme."""
    editor.set_quarter("2021Q4")
    assert editor.current_strand() is None
    whole = {r.code: r.answer for r in editor.model.rows}
    editor.strand.setFocus()
    editor.strand.setCurrentIndex(editor.strand.findData("HH"))
    assert editor.current_strand() == "HH"
    by_code = {r.code: r for r in editor.model.rows}
    assert by_code["CLQ-1"].answer == "no" and "not" in (by_code["CLQ-1"].comment or "")
    assert by_code["CLQ-1"].answer != whole["CLQ-1"]

    code = "CLQ-3"
    assert by_code[code].answer == "yes"
    assert editor.proxy.setData(editor.cell(code, COL_ANSWER), "unknown")
    assert next(r for r in loaded.checklists.checklist(CODE, "2021Q4", strand="HH")
                if r.code == code).answer == "unknown"
    assert next(r for r in loaded.checklists.checklist(CODE, "2021Q4")
                if r.code == code).answer == whole[code]
    assert "HH" in editor.undo_stack.undoText()

    editor.set_strand(None)  # undo from elsewhere shows the strand it changes
    editor.undo_stack.undo()
    assert editor.current_strand() == "HH"
    assert next(r for r in loaded.checklists.checklist(CODE, "2021Q4", strand="HH")
                if r.code == code).answer == "yes"


def test_an_answer_without_the_evidence_its_item_asks_for_is_marked_to_do(
        qtbot, editor: ChecklistTab, loaded: Services):
    """Every checklist item asks for evidence; an answer without it (no text, no linked
    evidence record) shows as to do, and the header counts them."""
    editor.set_quarter("2021Q4")
    editor.strand.setCurrentIndex(editor.strand.findData("HH"))
    rows = {r.code: r for r in editor.model.rows}
    # CLQ-5 is backed by an evidence record linked in the workbook, CLQ-3 by nothing
    assert rows["CLQ-5"].linked_evidence == ("EV-HH-STANDARDS",)
    assert editor.cell("CLQ-5", COL_EVIDENCE).data() == "EV-HH-STANDARDS"
    assert not lacks_evidence(rows["CLQ-5"]) and lacks_evidence(rows["CLQ-3"])
    idx = editor.cell("CLQ-3", COL_EVIDENCE)
    assert idx.data() == EVIDENCE_MISSING
    assert idx.data(Qt.ItemDataRole.EditRole) == ""
    assert idx.data(Qt.ItemDataRole.ForegroundRole).color().name() == MISSING_COLOUR
    missing = sum(lacks_evidence(r) for r in editor.model.rows)
    assert f"{missing} lack evidence" in editor.completeness.text()

    assert editor.proxy.setData(idx, "declaration forms, county file 2021/44")
    assert editor.cell("CLQ-3", COL_EVIDENCE).data() == "declaration forms, county file 2021/44"
    assert f"{missing - 1} lack evidence" in editor.completeness.text()
    editor.undo_stack.undo()
    assert editor.cell("CLQ-3", COL_EVIDENCE).data() == EVIDENCE_MISSING


def test_the_editor_is_a_programme_view_whose_reload_reads_what_was_written_elsewhere(
        editor: ChecklistTab, loaded: Services):
    assert isinstance(editor, ProgrammeView)  # the Risks tab hands it programme and services
    quarter = editor.current_quarter()
    assert quarter is not None
    item = _first_unanswered(editor)
    loaded.checklists.answer(CODE, quarter, item, "yes")  # e.g. by an import or the CLI
    assert editor.model.rows[editor.model.row_of(item)].answer is None
    editor.reload()
    assert editor.current_quarter() == quarter
    assert editor.model.rows[editor.model.row_of(item)].answer == "yes"
