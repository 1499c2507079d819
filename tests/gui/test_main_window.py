"""The first window, driven as a user would."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from coprod_me.gui.errors import ExceptionDialog, report_exception
from coprod_me.gui.main_window import MainWindow
from coprod_me.model.errors import DomainError
from tests.builders import small_programme_rows, write


def test_loading_a_workbook_from_the_file_menu_lists_the_programme(
        qtbot, window: MainWindow, tmp_path: Path, monkeypatch, qtmodeltester):
    book = write(tmp_path / "programme.xlsx", small_programme_rows())
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(book), "Programme workbooks (*.xlsx)"))
    assert window.model.rowCount() == 0
    window.load_action.trigger()
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=10000)
    qtmodeltester.check(window.model)
    row = window.model.rows[0]
    assert (row.code, row.indicators, row.observations) == ("T-01", 3, 4)
    assert window.selected_code() == "T-01"
    html = window.details.toPlainText()
    assert "Outcome gates: 5 of 5 met" in html
    assert "traditional" in html
    # the database holds it too
    assert [s.code for s in window.services.programmes.summaries()] == ["T-01"]


def test_a_broken_workbook_is_reported_as_a_warning_and_saves_nothing(
        qtbot, window: MainWindow, tmp_path: Path, monkeypatch):
    rows = small_programme_rows()
    rows["Indicators"][0]["unit"] = "percentage"
    book = write(tmp_path / "broken.xlsx", rows)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()
                                                                      + box.detailedText()))
    task = window.load_workbook(book)
    qtbot.waitUntil(lambda: not task.running and bool(shown), timeout=10000)
    assert "broken.xlsx: 1 problem(s) found; nothing was saved" in shown[0]
    assert "column 'unit': 'percentage' is not one of the allowed values" in shown[0]
    assert window.services.programmes.summaries() == []


def test_the_filter_narrows_the_list(qtbot, window: MainWindow, tmp_path: Path):
    rows = small_programme_rows()
    window.services.workbooks.load(write(tmp_path / "a.xlsx", rows))
    window.services.programmes.create("OTHER-1", "Urban living lab")
    window.refresh()
    assert window.proxy.rowCount() == 2
    qtbot.keyClicks(window.filter_edit, "living")
    assert window.proxy.rowCount() == 1
    assert window.proxy.index(0, 0).data() == "OTHER-1"


def test_sorting_by_observations_uses_numbers_not_text(qtbot, window: MainWindow,
                                                       tmp_path: Path):
    window.services.workbooks.load(write(tmp_path / "a.xlsx", small_programme_rows()))
    for code in ("Z-1", "Z-2"):
        window.services.programmes.create(code, code)
    window.refresh()
    col = [c.title for c in window.model.columns].index("Observations")
    window.table.sortByColumn(col, Qt.SortOrder.DescendingOrder)
    assert window.proxy.index(0, 0).data() == "T-01"


def test_unexpected_errors_show_details_with_a_copy_button(qtbot, monkeypatch):
    try:
        raise ValueError("boom in a slot")
    except ValueError as exc:
        dialog = ExceptionDialog("".join(__import__("traceback").format_exception(exc)))
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert "ValueError: boom in a slot" in QApplication.clipboard().text()
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()))
    report_exception(DomainError("quarter 2023Q1 of T-01 is locked"))
    assert shown == ["quarter 2023Q1 of T-01 is locked"]


def test_cancelling_a_load_leaves_the_database_empty(qtbot, window: MainWindow,
                                                     tmp_path: Path):
    book = write(tmp_path / "programme.xlsx", small_programme_rows())
    task = window.load_workbook(book)
    task.cancel_event.set()  # the user pressed Cancel before the work got far
    qtbot.waitUntil(lambda: not task.running, timeout=10000)
    assert window.services.programmes.summaries() == []
    assert "cancelled; nothing was saved" in window.statusBar().currentMessage()


def test_first_start_on_an_empty_database_loads_the_samples(qtbot, tmp_path: Path,
                                                             monkeypatch):
    from coprod_me.gui.app import open_window

    window = open_window(tmp_path / "first-run.sqlite")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model.rowCount() == 5, timeout=30000)
    assert {r.code for r in window.model.rows} == {"RS-01", "ULL-01", "HR-01", "HL-01",
                                                    "KR-01"}
    assert all(r.is_sample for r in window.model.rows)
    assert "Sample data." in window.details.toPlainText()
    assert str(tmp_path / "first-run.sqlite") in window.db_label.text()
    # the risk rules run on their own after the samples arrive: the badges fill
    qtbot.waitUntil(lambda: bool(window.services.flag_register.register("RS-01")), timeout=60000)
    qtbot.waitUntil(lambda: not window.risk_checks.busy, timeout=60000)
    window.services.close()


def test_the_welcome_page_offers_the_samples(qtbot, window: MainWindow):
    from PySide6.QtCore import QUrl

    assert "Welcome to coprod-me" in window.details.toPlainText()
    assert "Open the five sample programmes" in window.details.toPlainText()
    window.details.anchorClicked.emit(QUrl("action:samples"))
    qtbot.waitUntil(lambda: window.model.rowCount() == 5, timeout=30000)


def test_the_navigator_lists_strands_under_their_programme_and_filters_the_grid(
        qtbot, window: MainWindow, tmp_path: Path, qtmodeltester):
    window.services.workbooks.load(write(tmp_path / "a.xlsx", small_programme_rows()))
    window.refresh()
    qtmodeltester.check(window.model)
    top = window.proxy.index(0, 0)
    assert window.proxy.rowCount(top) == 2
    north = window.proxy.index(0, 0, top)
    assert (north.data(), window.proxy.index(0, 1, top).data()) == ("NORTH", "North block")
    assert window.proxy.index(0, 7, top).data() == "3"  # observations of the strand
    # Arrow keys open the programme and walk into its strands, as in any tree
    window.table.setFocus()
    window.table.setCurrentIndex(top)
    qtbot.keyClick(window.table, Qt.Key.Key_Right)
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    assert window.selected_code() == "T-01"
    assert window.selected_strand() == "NORTH"
    window.tabs.setCurrentWidget(window.observation_tab)
    grid = window.observation_tab
    grid.select_quarter("2023Q2")
    assert {grid.model.row_at(r).strand_code for r in range(grid.model.rowCount())} == {"NORTH"}
    qtbot.keyClick(window.table, Qt.Key.Key_Up)  # back on the programme: every strand again
    assert window.selected_strand() is None
    assert None in {grid.model.row_at(r).strand_code for r in range(grid.model.rowCount())}
    # a strand's name finds its programme
    qtbot.keyClicks(window.filter_edit, "south block")
    assert window.proxy.rowCount() == 1
    assert window.proxy.rowCount(window.proxy.index(0, 0)) == 1


def test_risks_are_checked_from_the_menu_and_shown_as_badges_and_a_register(
        qtbot, window: MainWindow):
    from coprod_me.services.database import load_samples

    load_samples(window.services.store)
    window.refresh()
    window.select("RS-01")
    assert window.rag_badges.text_of("co_destruction").endswith("not checked yet")
    window.run_risks_action.trigger()  # F9
    assert window.tabs.currentWidget() is window.risks_tab
    qtbot.waitUntil(lambda: window.risks_tab.model.rowCount() > 0, timeout=60000)
    qtbot.waitUntil(lambda: not window.risk_checks.busy, timeout=60000)
    flags = window.services.flag_register.register("RS-01")
    assert {f.rule_id for f in window.risks_tab.model.rows} == {f.rule_id for f in flags}
    # the overview's badges follow the register (RS-01 raises CD-1, a co-destruction flag)
    rag = window.services.flag_register.rag("RS-01")
    assert rag["co_destruction"] is not None
    assert window.rag_badges.text_of("co_destruction") == \
        f"Co-destruction: {rag['co_destruction']}"


def test_an_edit_in_the_grid_checks_risks_again_without_being_asked(
        qtbot, window: MainWindow, tmp_path: Path):
    window.services.workbooks.load(write(tmp_path / "a.xlsx", small_programme_rows()))
    window.refresh()
    window.select("T-01")
    assert window.services.flag_register.register("T-01") == []
    runs: list[object] = []
    window.risk_checks.checked.connect(lambda _codes, summaries: runs.append(summaries))
    window.services.observations.record("T-01", "T-P1", "2023Q3", value=9000.0)
    window.observation_tab.changed.emit()  # what the grid says after a user's edit
    qtbot.waitUntil(lambda: bool(runs), timeout=60000)  # a quiet run, no dialog
    assert runs[0][0].programmes == 1


def test_a_dropped_ngo_spreadsheet_opens_the_import_wizard_and_a_workbook_loads(
        qtbot, window: MainWindow, tmp_path: Path, monkeypatch):
    window.services.workbooks.load(write(tmp_path / "a.xlsx", small_programme_rows()))
    window.refresh()
    window.select("T-01")
    csv = tmp_path / "ngo.csv"
    csv.write_text("indicator;quarter;value\nT-O1;Q3 2023;64\n", encoding="utf-8")
    opened: list[object] = []
    monkeypatch.setattr(MainWindow, "load_workbook", lambda self, p: opened.append(("load", p)))
    window.open_dropped(csv)
    from coprod_me.gui.import_wizard import ImportWizard

    wizard = window.findChild(ImportWizard)
    assert wizard is not None and wizard.initial_path == csv
    assert wizard.programme_code == "T-01"
    wizard.reject()
    window.open_dropped(tmp_path / "a.xlsx")
    assert opened == [("load", tmp_path / "a.xlsx")]


def test_the_report_dialog_opens_for_the_selected_programme(qtbot, window: MainWindow,
                                                            tmp_path: Path):
    window.services.workbooks.load(write(tmp_path / "a.xlsx", small_programme_rows()))
    window.refresh()
    window.select("T-01")
    window.report_action.trigger()
    from coprod_me.gui.report_dialog import ReportDialog

    dialog = window.findChild(ReportDialog)
    assert dialog is not None and dialog.chosen_codes() == ["T-01"]
    dialog.reject()


def test_ctrl_h_on_a_risk_flag_shows_its_audit_trail(qtbot, window: MainWindow):
    from coprod_me.services.database import load_samples

    load_samples(window.services.store)
    window.services.risk_runs.run("RS-01")
    window.refresh()
    window.select("RS-01")
    window.tabs.setCurrentWidget(window.risks_tab)
    flag = window.services.flag_register.register("RS-01")[0]
    assert window.risks_tab.select(flag.id)
    window.services.flag_register.acknowledge(flag.id)
    window.history_action.trigger()
    assert window.tabs.currentWidget() is window.history_panel
    assert (window.history_panel.entity, window.history_panel.entity_id) == ("risk_flag",
                                                                             flag.id)
    changes = [(r.field, r.new) for r in window.history_panel.model.rows]
    assert ("status", "acknowledged") in changes


def test_a_programme_never_checked_is_checked_quietly_when_shown(qtbot, window: MainWindow):
    from coprod_me.services.database import load_samples

    load_samples(window.services.store)
    window.refresh()
    assert window.services.risk_runs.last_run("KR-01") is None
    window.select("KR-01")
    qtbot.waitUntil(lambda: window.services.risk_runs.last_run("KR-01") is not None, timeout=60000)
    qtbot.waitUntil(lambda: not window.rag_badges.text_of("equity").endswith("not checked yet"),
                    timeout=60000)
    rag = window.services.flag_register.rag("KR-01")
    assert window.rag_badges.text_of("equity") == f"Equity: {rag['equity'] or 'no open flag'}"


def test_quitting_after_an_edit_prints_no_traceback(services, tmp_path: Path):
    """The undo stack, a child of the window, is cleared as the window is taken apart at
    exit, after the views it tells to re-read are gone: quitting after an edit printed
    tracebacks (and reached the error dialog). The app's own start and quit, in a process."""
    import os
    import subprocess
    import sys

    services.workbooks.load(write(tmp_path / "a.xlsx", small_programme_rows()))
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from PySide6.QtCore import QTimer\n"
        "from coprod_me.gui import app\n"
        "from coprod_me.gui.undo_commands import apply_edit\n"
        "opened = app.window_on\n"
        "def open_and_edit(services):\n"
        "    w = opened(services)\n"
        "    def edit():\n"
        "        w.select('T-01')\n"
        "        for view in (w.observation_tab, w.records_tab):\n"
        "            w.tabs.setCurrentWidget(view)\n"
        "        apply_edit(w.undo_stack, 'an edit', lambda: None, lambda: None)\n"
        "        QTimer.singleShot(100, w.close)\n"
        "    w.started.connect(edit)\n"
        "    return w\n"
        "app.window_on = open_and_edit\n"
        "sys.exit(app.run_gui(Path(sys.argv[1])))\n")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    done = subprocess.run([sys.executable, "-c", script, str(services.path)], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
