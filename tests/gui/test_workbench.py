"""The workbench shell: creating a programme, editing its profile, undo, quarters, history."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QInputDialog

from coprod_me.gui.main_window import MainWindow
from coprod_me.model.errors import LockedPeriod
from tests.builders import small_programme_rows, write


def _answers(monkeypatch: pytest.MonkeyPatch, texts: list[str], items: list[str] | None = None
             ) -> None:
    texts = list(texts)
    items = list(items or [])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (texts.pop(0), True))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (items.pop(0), True))


def test_creating_a_programme_from_the_menu_and_undoing_it(qtbot, window: MainWindow,
                                                          monkeypatch):
    _answers(monkeypatch, ["WS-02", "Water kiosks co-managed by residents"])
    window.new_programme_action.trigger()
    assert [s.code for s in window.services.programmes.summaries()] == ["WS-02"]
    assert window.selected_code() == "WS-02"
    assert window.tabs.currentWidget() is window.profile_tab
    assert window.isWindowModified()
    window.undo_action.trigger()
    assert window.services.programmes.summaries() == []
    assert not window.isWindowModified()
    window.redo_action.trigger()
    assert [s.code for s in window.services.programmes.summaries()] == ["WS-02"]


def test_editing_the_classification_is_saved_explained_and_undoable(qtbot, window: MainWindow):
    window.services.programmes.create("WS-02", "Water kiosks")
    window.refresh()
    window.select("WS-02")
    tab = window.view(window.profile_tab)
    combo = tab.combos["os_level"]
    combo.setCurrentIndex(combo.findData("enhanced"))
    combo.activated.emit(combo.currentIndex())
    assert window.services.programmes.get("WS-02").os_level == "enhanced"
    assert "transformational innovation" in tab.help.text()
    mode = tab.combos["interaction_mode"]
    mode.setCurrentIndex(mode.findData("ict_async"))
    mode.activated.emit(mode.currentIndex())
    assert "non traditional" in tab.label_text.text()
    window.undo_stack.undo()
    assert window.services.programmes.get("WS-02").interaction_mode is None
    assert "mixed" in tab.label_text.text()
    window.undo_stack.undo()
    assert window.services.programmes.get("WS-02").os_level is None
    assert tab.combos["os_level"].currentData() is None


def test_phase_cells_and_label_override_with_reason(qtbot, window: MainWindow, monkeypatch):
    window.services.programmes.create("WS-02", "Water kiosks", os_level="participative",
                                      interaction_mode="hybrid")
    window.refresh()
    window.select("WS-02")
    tab = window.view(window.profile_tab)
    tab.phase_boxes[("co_design", "group")].click()
    cells = {(p.phase, p.level) for p in window.services.programmes.phases("WS-02")}
    assert cells == {("co_design", "group")}
    window.undo_stack.undo()
    assert window.services.programmes.phases("WS-02") == []
    assert not tab.phase_boxes[("co_design", "group")].isChecked()

    _answers(monkeypatch, ["kiosk committees meet in person; the app is marginal"],
             ["traditional"])
    tab.override_button.click()
    view = window.services.programmes.tradition_label("WS-02")
    assert (view.effective, view.override_reason) == (
        "traditional", "kiosk committees meet in person; the app is marginal")
    assert "evaluator override" in tab.label_text.text()
    window.undo_stack.undo()
    assert window.services.programmes.tradition_label("WS-02").override is None


def test_locking_a_quarter_then_failing_to_edit_it_and_seeing_the_history(
        qtbot, window: MainWindow, tmp_path: Path, monkeypatch):
    window.services.workbooks.load(write(tmp_path / "p.xlsx", small_programme_rows()))
    window.refresh()
    window.select("T-01")
    assert "open quarter 2023Q2" in window.quarter_label.text()
    _answers(monkeypatch, [], ["2023Q2"])
    window.lock_action.trigger()
    assert [p.status for p in window.services.observations.periods("T-01")] == [
        "locked", "locked"]
    assert "no open quarter" in window.quarter_label.text()
    (obs,) = [o for o in window.services.observations.find("T-01", indicator="T-P1")]
    with pytest.raises(LockedPeriod):
        window.services.observations.update(obs.id, {"value": 1.0})
    window.tabs.setCurrentWidget(window.history_panel)
    window.history_panel.refresh()
    rows = window.history_panel.model.rows
    assert any(r.entity == "reporting_period" and r.field == "status" and r.new == "locked"
               for r in rows)
    assert any(r.reason == "lock 2023Q2 of T-01" for r in rows)


def test_switching_databases_is_remembered(qtbot, window: MainWindow, tmp_path: Path):
    other = tmp_path / "other.sqlite"
    window.switch_database(other)
    assert str(other) in window.db_label.text()
    assert window.settings.value("databases/last") == str(other)
    assert str(other) in window.database_files.recent()


def test_the_history_of_the_observation_in_view(qtbot, window: MainWindow, tmp_path: Path):
    window.services.workbooks.load(write(tmp_path / "p.xlsx", small_programme_rows()))
    window.refresh()
    window.select("T-01")
    (obs,) = window.services.observations.find("T-01", indicator="T-P1")
    window.services.observations.update(obs.id, {"value": 4400.0}, reason="recount")
    window.tabs.setCurrentWidget(window.observation_tab)
    window.observation_tab.select_indicator("T-P1")
    window.observation_tab.view.setCurrentIndex(window.observation_tab.view.model().index(0, 5))
    window.history_action.trigger()
    assert window.tabs.currentWidget() is window.history_panel
    rows = window.history_panel.model.rows
    assert [(r.field, r.old, r.new, r.reason) for r in rows] == [
        ("value", "4300.0", "4400.0", "recount")]
    assert "observation" in window.history_panel.title.text()


def test_switching_databases_hands_the_new_one_to_the_views_and_the_risk_checks(
        qtbot, window: MainWindow, tmp_path: Path, monkeypatch):
    window.services.workbooks.load(write(tmp_path / "p.xlsx", small_programme_rows()))
    window.refresh()
    window.select("T-01")
    _answers(monkeypatch, ["WS-02", "Water kiosks"])
    window.new_programme_action.trigger()
    assert window.undo_stack.count() == 1
    old = window.services
    window.switch_database(tmp_path / "other.sqlite")
    new = window.services
    assert new is not old and new.path == tmp_path / "other.sqlite"
    assert window.undo_stack.count() == 0  # the undo history belonged to the old file
    assert window.risk_checks.services is new and not window.risk_checks.busy
    for view in (window.profile_tab, window.indicator_tab, window.observation_tab,
                 window.records_tab, window.chart_tab, window.risks_tab,
                 window.history_panel, window.rag_badges):
        assert view.services is new, type(view).__name__
    assert window.model.rowCount() == 0
    assert "Welcome to coprod-me" in window.details.toPlainText()


def test_a_database_that_cannot_be_opened_is_reported_and_the_open_one_stays(
        qtbot, window: MainWindow, tmp_path: Path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()))
    before, label = window.services, window.db_label.text()
    junk = tmp_path / "notes.sqlite"
    junk.write_text("not a database", encoding="utf-8")
    window.switch_database(junk)
    assert shown == [f"{junk} is not a SQLite database; choose a coprod-me .sqlite file"]
    assert window.services is before and window.db_label.text() == label
    assert str(junk) not in window.database_files.recent()
    window.services.programmes.create("WS-02", "Still open")  # and still usable


def test_no_switch_while_a_task_runs(qtbot, window: MainWindow, tmp_path: Path, monkeypatch):
    from types import SimpleNamespace

    from PySide6.QtWidgets import QMessageBox

    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, _text: told.append(title))
    before = window.services
    window.tasks.append(SimpleNamespace(running=True))  # type: ignore[arg-type]
    window.switch_database(tmp_path / "other.sqlite")
    assert told == ["Still working"]
    assert window.services is before
    assert not (tmp_path / "other.sqlite").exists()


def test_the_recent_databases_menu_opens_a_database_opened_before(qtbot, window: MainWindow,
                                                                  tmp_path: Path):
    first = window.services.path
    window.switch_database(tmp_path / "second.sqlite")
    window.recent_menu.aboutToShow.emit()  # what opening the menu does
    texts = [a.text() for a in window.recent_menu.actions()]
    assert texts == [f"&1 {tmp_path / 'second.sqlite'}", f"&2 {first}"]
    window.recent_menu.actions()[1].trigger()
    assert window.services.path == first
    assert window.database_files.recent()[:2] == [str(first), str(tmp_path / "second.sqlite")]


def test_the_recent_databases_menu_says_when_there_are_none(qtbot, window: MainWindow):
    window.settings.remove("databases/recent")
    window.recent_menu.aboutToShow.emit()
    (none,) = window.recent_menu.actions()
    assert none.text() == "(none yet)" and not none.isEnabled()


# ------------------------------------------------------- a database that cannot be used

def _when_waiting(action):
    """Run ``action`` on the dialog that waits for a locked database, once it shows (from
    inside the dialog's own event loop)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QProgressDialog

    def look() -> None:
        shown = [w for w in QApplication.topLevelWidgets()
                 if isinstance(w, QProgressDialog) and w.isVisible()
                 and w.windowTitle() == "Database in use"]
        if shown:
            action(shown[0])
        else:
            QTimer.singleShot(10, look)
    QTimer.singleShot(0, look)


@pytest.fixture
def busy_database(tmp_path: Path):
    """A database another process is in the middle of writing to."""
    from coprod_me.services import Services
    from tests.store.processes import WriteLockHolder

    path = tmp_path / "busy.sqlite"
    Services.open(path).close()
    with WriteLockHolder(path) as holder:
        yield path, holder


def test_a_database_another_program_writes_to_is_waited_for_then_opened(
        qtbot, window: MainWindow, busy_database):
    path, holder = busy_database
    labels: list[str] = []

    def release(dialog) -> None:
        labels.append(dialog.labelText())
        holder.release()
    _when_waiting(release)
    window.database_files.switch_database(path, create=False)
    assert window.services.path == path
    (label,) = labels
    assert label.startswith(f"busy.sqlite is in use: another program is writing to it: "
                            f"pid {holder.pid} (python")
    assert "Waiting for it to finish" in label


def test_cancel_stops_waiting_and_the_open_database_stays(qtbot, window: MainWindow,
                                                          busy_database):
    path, _holder = busy_database
    before = window.services
    from PySide6.QtWidgets import QPushButton

    _when_waiting(lambda dialog: dialog.findChild(QPushButton).click())
    window.database_files.switch_database(path, create=False)
    assert window.services is before
    assert window.statusBar().currentMessage().startswith(f"Stopped waiting for {path}")


def test_when_the_wait_is_over_the_writer_is_named(qtbot, window: MainWindow, busy_database,
                                                   monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from coprod_me.gui import database_files

    path, holder = busy_database
    monkeypatch.setattr(database_files, "LOCK_WAIT_SECONDS", 0.3)
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "exec",
                        lambda box: shown.append((box.windowTitle(), box.text())))
    before = window.services
    window.database_files.switch_database(path, create=False)
    ((title, text),) = shown
    assert title == "Cannot open the database"
    assert text.startswith(f"{path} is locked: another program is writing to it: "
                           f"pid {holder.pid} (python")
    assert "still locked after" in text and "\n" not in text
    assert window.services is before


@pytest.mark.parametrize("situation", ["missing", "damaged", "read-only", "not ours"])
def test_open_database_says_what_is_wrong_in_one_line_and_changes_nothing(
        qtbot, window: MainWindow, tmp_path: Path, monkeypatch, situation: str):
    import shutil
    import sqlite3

    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()))
    folder = tmp_path / "other"
    folder.mkdir()
    path = folder / "db.sqlite"
    if situation == "damaged":
        schemas = Path(__file__).resolve().parents[1] / "fixtures" / "schemas"
        path.write_bytes((schemas / "0005.sqlite").read_bytes()[:4096 * 2])
    elif situation == "read-only":
        shutil.copy(window.services.path, path)
        path.chmod(0o444)
    elif situation == "not ours":
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE contacts (name TEXT)")
        conn.close()
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    old = window.services
    try:
        window.database_files.switch_database(path, create=False)  # File > Open, Recent
    finally:
        if path.exists():
            path.chmod(0o644)
    (text,) = shown
    assert str(path) in text and "\n" not in text
    expected = {"missing": "does not exist", "damaged": "is damaged (truncated",
                "read-only": "is read-only", "not ours": "it is not a coprod-me database"}
    assert expected[situation] in text
    assert window.services is old
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
