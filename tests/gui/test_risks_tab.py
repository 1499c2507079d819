"""The Risks tab driven as a user would, on the real risk service and the sample programmes."""

from __future__ import annotations

import shutil
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from coprod_me.gui.flag_dialogs import CloseDialog, MitigateDialog, OverrideDialog
from coprod_me.gui.flag_table import COL_CATEGORY, COL_SEVERITY
from coprod_me.gui.risk_checks import RiskChecks
from coprod_me.gui.risks_tab import RisksTab
from coprod_me.gui.rule_parameters import ParameterDialog
from coprod_me.gui.workers import QuietTask
from coprod_me.services import Services
from coprod_me.services.database import audit_trail, load_samples

CODE = "RS-01"


def test_a_quiet_task_runs_one_job_at_a_time_and_keeps_only_the_latest_request(qtbot):
    task = QuietTask()
    gate = threading.Event()
    ran: list[str] = []

    def job(name: str, wait: bool = False):
        def run(_progress, _cancelled):
            if wait:
                gate.wait(5)
            ran.append(name)
            return name
        return run

    results: list[object] = []
    task.done.connect(results.append)
    task.submit(job("first", wait=True))
    assert task.running
    task.submit(job("second"))
    task.submit(job("third"))  # replaces the queued second: it would see the same data
    assert task.queued
    gate.set()
    qtbot.waitUntil(lambda: results == ["first", "third"], timeout=5000)
    assert ran == ["first", "third"]
    qtbot.waitUntil(lambda: not task.running)


def test_a_cancelled_quiet_task_reports_the_error_and_drops_the_queue(qtbot):
    task = QuietTask()
    gate = threading.Event()

    def slow(_progress, cancelled):
        gate.wait(5)
        if cancelled():
            raise RuntimeError("stopped")
        return "finished"

    task.submit(slow)
    task.submit(lambda _p, _c: "queued")
    with qtbot.waitSignal(task.error, timeout=5000) as blocker:
        task.cancel()
        gate.set()
    assert str(blocker.args[0]) == "stopped"
    assert not task.queued
    qtbot.waitUntil(lambda: not task.running)


# ------------------------------------------------------------------------------------------
# The tab on the real risk service, with the sample programmes loaded and the rules run


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> Path:
    """The five samples with the rules run once; each test works on its own copy."""
    path = tmp_path_factory.mktemp("risks") / "samples.sqlite"
    s = Services.open(path)
    load_samples(s.store)
    s.risk_runs.run()
    s.close()
    return path


@pytest.fixture
def loaded(sample_db: Path, tmp_path: Path) -> Services:
    path = tmp_path / "risks.sqlite"
    shutil.copy(sample_db, path)
    s = Services.open(path)
    yield s
    s.close()


@pytest.fixture
def window(qtbot) -> QWidget:
    """What owns the risk checks in the app: the main window; here a bare widget."""
    w = QWidget()
    yield w
    w.deleteLater()


@pytest.fixture
def checks(qtbot, loaded: Services, window: QWidget) -> RiskChecks:
    c = RiskChecks(loaded, window)
    c.debounce.setInterval(10)  # the quiet run's delay, short for tests
    yield c
    # a quiet run must not outlive the database it writes to
    qtbot.waitUntil(lambda: not c.busy, timeout=30000)


@pytest.fixture
def tab(qtbot, loaded: Services, checks: RiskChecks) -> RisksTab:
    t = RisksTab(loaded, QUndoStack(), checks)
    t.show()
    t.set_programme(CODE)
    yield t
    # qtbot.addWidget would delete the widget before the checks' wait; closed here, after it
    qtbot.waitUntil(lambda: not checks.busy, timeout=30000)
    t.close()
    t.deleteLater()


def _each_run(runs: list[object]) -> Any:
    """A slot for ``RiskChecks.checked`` that keeps each run's summaries."""
    return lambda _codes, summaries: runs.append(summaries)


def _click_row(qtbot, view, row: int) -> None:
    rect = view.visualRect(view.model().index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _choose(combo, data) -> None:
    index = combo.findData(data)
    assert index >= 0, f"{data!r} is not offered"
    combo.setCurrentIndex(index)


def _row_of(tab: RisksTab, rule_id: str) -> int:
    for r in range(tab.proxy.rowCount()):
        if tab.proxy.index(r, 0).data() == rule_id:
            return r
    raise AssertionError(f"{rule_id} is not in the register as filtered")


def test_the_register_and_its_tables_are_sound_models(tab: RisksTab, qtmodeltester):
    assert tab.model.rowCount() > 0
    qtmodeltester.check(tab.model)
    qtmodeltester.check(tab.proxy)
    qtmodeltester.check(tab.detail.numbers)
    qtmodeltester.check(tab.parameters.model)


def test_filter_open_a_flag_read_why_close_it_with_a_reason_and_see_the_audit(
        qtbot, tab: RisksTab, loaded: Services):
    _choose(tab.filters.quarter, None)
    _choose(tab.filters.category, "co_destruction")
    shown = {tab.proxy.index(r, COL_CATEGORY).data() for r in range(tab.proxy.rowCount())}
    assert shown == {"Co-destruction"}
    _choose(tab.filters.severity, "high")
    assert all(tab.proxy.index(r, COL_SEVERITY).data().split()[0] in ("high", "critical")
               for r in range(tab.proxy.rowCount()))

    _click_row(qtbot, tab.table, _row_of(tab, "CD-1"))
    flag = tab.selected()
    assert flag is not None and flag.rule_id == "CD-1"
    assert flag.why and flag.why[:40] in tab.detail.explanation.toPlainText()
    numbers = tab.detail.numbers
    tags = {numbers.index(r, 3).data() for r in range(numbers.rowCount())}
    assert tags & {"LIT", "ANCHOR", "REG", "CONV"}, "thresholds carry their provenance"
    before = flag.status

    qtbot.mouseClick(tab.flag_actions.close_button, Qt.MouseButton.LeftButton)
    dialog = tab.flag_actions.dialog
    assert isinstance(dialog, CloseDialog)
    assert not dialog.ok_button.isEnabled(), "a closure needs a reason"
    dialog.false_positive.setChecked(True)
    qtbot.keyClicks(dialog.reason, "Usage survey under way; outputs lead outcomes by a year")
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert loaded.flag_register.flag(flag.id).status == "closed_false_positive"
    assert tab.selected() is not None and tab.selected().id == flag.id
    assert not tab.flag_actions.close_button.isEnabled()
    audit = audit_trail(loaded.store, "risk_flag", flag.id)
    assert any("outputs lead outcomes" in (a.reason or "") for a in audit)
    assert "closed false positive" in tab.detail.explanation.toPlainText(), \
        "the pane shows the history"

    tab.undo_stack.undo()
    assert loaded.flag_register.flag(flag.id).status == before
    tab.undo_stack.redo()
    assert loaded.flag_register.flag(flag.id).status == "closed_false_positive"


def test_acknowledge_mitigate_and_override_are_each_one_undoable_step(
        qtbot, tab: RisksTab, loaded: Services):
    _choose(tab.filters.quarter, None)
    _choose(tab.filters.status, "open")
    _click_row(qtbot, tab.table, 0)
    flag = tab.selected()
    assert flag is not None and flag.status == "open"

    qtbot.mouseClick(tab.flag_actions.acknowledge_button, Qt.MouseButton.LeftButton)
    assert loaded.flag_register.flag(flag.id).status == "acknowledged"

    qtbot.mouseClick(tab.flag_actions.mitigate_button, Qt.MouseButton.LeftButton)
    dialog = tab.flag_actions.dialog
    assert isinstance(dialog, MitigateDialog) and not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.mitigation, "Household visits on toilet use")
    qtbot.keyClicks(dialog.owner, "District WASH officer")
    dialog.has_due.setChecked(True)
    dialog.due.setDate(QDate(2025, 3, 31))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    mitigated = loaded.flag_register.flag(flag.id)
    assert (mitigated.status, mitigated.owner, mitigated.due_date) == (
        "mitigating", "District WASH officer", date(2025, 3, 31))

    tab.select(flag.id)
    qtbot.mouseClick(tab.flag_actions.override_button, Qt.MouseButton.LeftButton)
    dialog = tab.flag_actions.dialog
    assert isinstance(dialog, OverrideDialog) and not dialog.ok_button.isEnabled()
    other = "low" if flag.computed_severity != "low" else "medium"
    _choose(dialog.severity, other)
    qtbot.keyClicks(dialog.reason, "Verified on a field visit")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    overridden = loaded.flag_register.flag(flag.id)
    assert (overridden.severity, overridden.override_reason) == (
        other, "Verified on a field visit")

    assert tab.undo_stack.count() == 3
    tab.undo_stack.undo()
    assert loaded.flag_register.flag(flag.id).severity == flag.severity
    tab.undo_stack.undo()
    assert loaded.flag_register.flag(flag.id).status == "acknowledged"
    tab.undo_stack.undo()
    restored = loaded.flag_register.flag(flag.id)
    assert (restored.status, restored.owner, restored.severity) == (
        "open", flag.owner, flag.severity)


def test_a_parameter_override_needs_a_reason_is_undoable_and_rechecks_quietly(
        qtbot, tab: RisksTab, checks: RiskChecks, loaded: Services):
    panel = tab.parameters
    tab.pages.setCurrentWidget(panel)
    panel.filter_edit.setText("CL-2")
    assert panel.proxy.rowCount() > 0
    _click_row(qtbot, panel.view, 0)
    row = panel.selected()
    assert row is not None and row.rule_id == "CL-2" and not row.overridden
    qtbot.mouseClick(panel.set_value_button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert isinstance(dialog, ParameterDialog)
    dialog.value.setText(str(row.default * 2 if isinstance(row.default, int | float) else 1))
    assert not dialog.ok_button.isEnabled(), "an override needs a reason"
    qtbot.keyClicks(dialog.reason, "Statutory entitlements dominate this county")
    with qtbot.waitSignal(checks.checked, timeout=30000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    params = {(r.id, p["name"]): p for r in loaded.rule_settings.rules(CODE) for p in r.params}
    assert params[("CL-2", row.name)]["overridden"]
    assert panel.selected() is not None and panel.selected().overridden

    tab.undo_stack.undo()
    params = {(r.id, p["name"]): p for r in loaded.rule_settings.rules(CODE) for p in r.params}
    assert not params[("CL-2", row.name)]["overridden"]


def test_quiet_runs_merge_a_burst_of_requests_and_show_no_dialog(qtbot, tab: RisksTab,
                                                                   checks: RiskChecks):
    runs: list[object] = []
    checks.checked.connect(_each_run(runs))
    for _ in range(5):
        checks.schedule([CODE])
    assert tab.checking_label.text() == "checking risks…"
    qtbot.waitUntil(lambda: bool(runs), timeout=30000)
    assert QApplication.activeModalWidget() is None
    qtbot.waitUntil(lambda: not checks.busy, timeout=30000)
    assert len(runs) == 1 and len(runs[0]) == 1
    assert tab.checking_label.text() == ""


def test_a_request_during_a_quiet_run_queues_one_more_run(
        qtbot, tab: RisksTab, checks: RiskChecks, loaded: Services, monkeypatch):
    gate = threading.Event()
    real_run = loaded.risk_runs.run
    ran: list[str | None] = []

    def gated_run(code=None, **kwargs):
        gate.wait(10)  # the first run holds until the test has asked again
        ran.append(code)
        return real_run(code, **kwargs)

    monkeypatch.setattr(loaded.risk_runs, "run", gated_run)
    runs: list[object] = []
    checks.checked.connect(_each_run(runs))
    checks.schedule([CODE])
    qtbot.waitUntil(lambda: checks.quiet.running, timeout=5000)
    checks.schedule([CODE])
    checks.schedule(["HR-01"])
    assert checks.busy
    gate.set()
    qtbot.waitUntil(lambda: len(runs) == 2 and not checks.busy, timeout=60000)
    assert ran == [CODE, "HR-01", CODE], "one run, then one more for both programmes asked"


def test_run_rules_runs_on_a_worker_and_reports(qtbot, tab: RisksTab, checks: RiskChecks):
    with qtbot.waitSignal(checks.checked, timeout=60000):
        tab.run_action.trigger()
    qtbot.waitUntil(lambda: tab.task is None)
    assert tab.message.text().startswith("Rules run:")
    assert tab.run_button.isEnabled()


def test_switching_programme_shows_its_flags_only(tab: RisksTab, loaded: Services):
    tab.set_programme("HR-01")
    assert {f.programme for f in tab.model.rows} == {"HR-01"}
    tab.set_programme(None)
    assert tab.model.rowCount() == 0 and not tab.isEnabled()


def test_cancel_waits_until_the_quiet_run_lets_go_of_the_database(
        qtbot, tab: RisksTab, checks: RiskChecks, loaded: Services, monkeypatch):
    started = threading.Event()
    real_run = loaded.risk_runs.run

    def slow_run(code=None, *, cancelled, **kwargs):
        started.set()
        while not cancelled():  # a long run that honours Cancel
            threading.Event().wait(0.01)
        return real_run(code, cancelled=cancelled, **kwargs)

    monkeypatch.setattr(loaded.risk_runs, "run", slow_run)
    checks.schedule([CODE])
    qtbot.waitUntil(started.is_set, timeout=5000)
    assert checks.cancel(wait=5.0), "the worker returned"
    qtbot.waitUntil(lambda: not checks.busy, timeout=5000)
    assert tab.checking_label.text() == ""


def _mnemonic(text: str) -> str:
    i = text.replace("&&", "").find("&")
    return text.replace("&&", "")[i + 1].lower() if i >= 0 else ""


def test_every_filter_and_action_is_reachable_by_keyboard_without_clashes(tab: RisksTab):
    buddies = {id(label.buddy()): label.text() for label in tab.findChildren(QLabel)
               if label.buddy() is not None}
    filters = (tab.filters.quarter, tab.filters.category, tab.filters.severity,
               tab.filters.status, tab.filters.strand)
    letters = [_mnemonic(buddies[id(combo)]) for combo in filters]
    letters += [_mnemonic(b.text()) for b in tab.flag_actions.buttons]
    letters += [_mnemonic(tab.pages.tabText(i)) for i in range(tab.pages.count())]
    assert all(letters), "every filter, action and page has a mnemonic"
    assert len(set(letters)) == len(letters), f"a letter is used twice: {sorted(letters)}"
    # the menus (File, Edit, View, Programme, Help) and the main tabs (Overview, Profile,
    # Indicators, Observations, Records, Charts, Risks, History) keep theirs
    assert not set(letters) & set("fevphoibrck")
    assert tab.run_action.shortcut() == QKeySequence("Ctrl+Shift+R")
    for widget in (*filters, tab.table, tab.detail.explanation, tab.detail.numbers_view,
                   *tab.flag_actions.buttons):
        assert widget.accessibleName() or widget.text(), widget


def test_a_risky_checklist_answer_raises_a_judgement_flag_in_the_register(
        qtbot, tab: RisksTab, checks: RiskChecks, loaded: Services):
    editor = tab.checklists
    tab.pages.setCurrentWidget(editor)
    quarter = editor.current_quarter()
    item = next(r for r in editor.model.rows
                if r.answer is None and r.severity_if_risk == "high")
    assert not any(f.rule_id == item.code for f in tab.model.rows)
    with qtbot.waitSignal(checks.checked, timeout=30000):
        assert editor.proxy.setData(editor.cell(item.code, 2), item.risk_answer)
    raised = [f for f in tab.model.rows if f.rule_id == item.code and f.quarter == quarter]
    assert raised and raised[0].severity == "high"
    assert item.question[:30] in raised[0].why


def test_another_database_reaches_the_sub_tabs_too(tab: RisksTab, services: Services):
    tab.set_services(services)  # what File > Open database does to every view
    assert tab.checklists.services is services and tab.parameters.services is services
    tab.set_programme(None)
    assert tab.model.rowCount() == 0


def test_a_typed_parameter_value_is_read_in_the_parameter_s_own_unit():
    from coprod_me.gui.rule_parameters import parse_value
    from coprod_me.model.errors import DomainError

    assert parse_value("60 %", 60, "dep_medium_pct") == 60  # percent parameters stay percent
    assert parse_value("60", 60, "dep_medium_pct") == 60
    assert parse_value("10 %", 0.1, "output_rise_rel") == 0.1  # shares become fractions
    assert parse_value("0,15", 0.1, "output_rise_rel") == 0.15  # a decimal comma
    assert parse_value("2.600,5", 2500, "hhi_high") == 2600.5  # grouped thousands
    assert parse_value("1 800", 2500, "hhi_high") == 1800
    with pytest.raises(DomainError, match="'sixty' is not a number"):
        parse_value("sixty", 60, "dep_medium_pct")


def test_reload_reads_the_register_the_checklists_and_the_parameters_again(
        tab: RisksTab, loaded: Services):
    """What the window asks of every view: the programme shown, read again (here after
    changes made elsewhere, e.g. by the command line)."""
    flag = tab.selected()
    assert flag is not None and flag.status == "open"
    quarter = tab.checklists.current_quarter()
    item = next(r.code for r in tab.checklists.model.rows if r.answer is None)
    rule = next(r for r in loaded.rule_settings.rules(CODE) if r.id == "CL-2")
    param = rule.params[0]
    loaded.flag_register.acknowledge(flag.id)
    loaded.checklists.answer(CODE, quarter, item, "yes")
    loaded.rule_settings.set_parameter(CODE, "CL-2", param["name"], param["value"],
                                       reason="agreed with the county")

    tab.reload()
    assert tab.selected() is not None and tab.selected().id == flag.id
    assert tab.selected().status == "acknowledged"
    assert not tab.flag_actions.acknowledge_button.isEnabled()
    answers = {r.code: r.answer for r in tab.checklists.model.rows}
    assert answers[item] == "yes"
    assert any(r.rule_id == "CL-2" and r.name == param["name"] and r.overridden
               for r in tab.parameters.model.rows)
