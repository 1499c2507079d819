"""The app's start: the navigator first (plain SQL), the views and the overview next."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtWidgets import QInputDialog, QWidget

from coprod_me.gui.app import open_window
from coprod_me.gui.main_window import MainWindow
from coprod_me.services import Services
from tests.builders import small_programme_rows, write

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def one_programme(tmp_path: Path) -> Path:
    """A database holding T-01 (two strands, three indicators, four observations)."""
    path = tmp_path / "start.sqlite"
    services = Services.open(path)
    services.workbooks.load(write(tmp_path / "t01.xlsx", small_programme_rows()))
    services.close()
    return path


def _open(qtbot, path: Path) -> MainWindow:
    window = open_window(path)
    qtbot.addWidget(window)
    return window


def test_the_navigator_lists_the_programmes_before_the_views_are_built_and_the_overview_follows(
        qtbot, one_programme: Path):
    window = _open(qtbot, one_programme)
    # What open_window hands back, before the event loop has turned: the navigator from the
    # light read (counts and strands, the gates not counted yet), the programme selected.
    assert not window.is_started
    assert window.model.rowCount() == 1
    row = window.model.rows[0]
    assert (row.code, row.indicators, row.outcomes, row.observations, row.strands) == (
        "T-01", 3, 2, 4, 2)
    assert [s.code for s in row.strand_items] == ["NORTH", "SOUTH"]
    assert row.gates_unmet is None
    assert window.selected_code() == "T-01"
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "&Overview", "&Profile", "&Indicators", "O&bservations", "&Records", "&Charts",
        "Ris&ks", "&History"]
    assert "Outcome gates" not in window.details.toPlainText()

    window.show()
    with qtbot.waitSignal(window.started, timeout=30000):
        pass
    # The same programme, now with its gates, and its overview.
    assert window.is_started
    assert window.model.rows == window.services.programmes.summaries()
    assert window.model.rows[0].gates_unmet == 0
    assert window.selected_code() == "T-01"
    assert "Outcome gates: 5 of 5 met" in window.details.toPlainText()
    # each view is built when first shown or asked for (issue 14): a placeholder till then
    assert type(window.tabs.widget(1)) is QWidget
    profile, history = window.profile_tab, window.history_panel
    assert window.tabs.widget(1) is profile
    assert window.tabs.widget(7) is history
    assert window.quarter_label.text().startswith("T-01:")
    window.tabs.setCurrentWidget(window.indicator_tab)  # a view is filled when shown
    assert window.indicator_tab.model.rowCount() == 3
    window.services.close()


def test_an_action_taken_before_the_overview_is_filled_works(qtbot, one_programme: Path,
                                                             monkeypatch):
    window = _open(qtbot, one_programme)
    answers = iter([("N-02", True), ("New one", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(answers))
    window.new_programme_action.trigger()  # before the loop has turned: built on demand
    assert window.tabs.currentWidget() is window.profile_tab
    window.show()
    qtbot.waitUntil(lambda: window.is_started, timeout=30000)
    assert [r.code for r in window.model.rows] == ["N-02", "T-01"]
    assert window.selected_code() == "N-02"
    assert "N-02 — New one" in window.details.toPlainText()
    window.undo_stack.undo()
    assert [r.code for r in window.model.rows] == ["T-01"]
    window.services.close()


def test_the_light_programme_list_agrees_with_the_summaries(one_programme: Path):
    services = Services.open(one_programme)
    services.programmes.create("E-01", "Empty programme")
    light = services.programme_index()
    full = services.programmes.summaries()
    assert [r.code for r in light] == ["E-01", "T-01"]
    assert light == [dataclasses.replace(r, gates_unmet=None) for r in full]
    services.close()


def test_the_first_paint_needs_neither_the_entities_nor_sqlmodel(one_programme: Path):
    code = textwrap.dedent(f"""
        import sys
        from coprod_me.gui.app import make_application, open_window
        app = make_application([])
        window = open_window({str(one_programme)!r})
        assert window.model.rowCount() == 1
        heavy = sorted(m for m in sys.modules if m in (
            "coprod_me.model.entities", "sqlmodel", "sqlalchemy.orm", "matplotlib",
            "openpyxl", "coprod_me.services.programmes", "coprod_me.gui.profile_tab"))
        assert not heavy, heavy
        window.services.close()
        print("ok")
    """)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                            text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_a_view_module_that_fails_to_import_on_the_preload_thread_is_reported_once(
        qtbot, one_programme: Path, monkeypatch):
    """The views' modules are imported on a thread while the window paints; a failure there
    reaches the user from the GUI thread, and the views are not built without them."""
    import threading

    from coprod_me.gui import programme_views

    monkeypatch.setattr(programme_views, "VIEW_MODULES",
                        (*programme_views.VIEW_MODULES, "coprod_me.gui.no_such_view"))
    reported: list[tuple[BaseException, str]] = []
    monkeypatch.setattr(programme_views, "report_exception", lambda exc, _parent=None:
                        reported.append((exc, threading.current_thread().name)))
    window = _open(qtbot, one_programme)
    window.show()
    qtbot.waitUntil(lambda: bool(reported), timeout=30000)
    ((exc, thread),) = reported
    assert isinstance(exc, ModuleNotFoundError) and "coprod_me.gui.no_such_view" in str(exc)
    assert thread == threading.main_thread().name
    assert not window.is_started
    assert type(window.tabs.widget(1)) is QWidget  # still the placeholder
    assert window.selected_code() == "T-01"  # the navigator painted first still works
    window.services.close()


def test_the_window_is_usable_before_any_view_matplotlib_or_openpyxl(one_programme: Path):
    """Issue 14: at ``started`` (the navigator with its gates and the overview filled) no
    programme view has been built and neither matplotlib nor openpyxl has been imported; the
    GUI thread then imports them on a thread, and garbage collection is back on after."""
    code = textwrap.dedent(f"""
        import gc, sys, threading
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QWidget
        from coprod_me.gui.app import make_application, open_window
        app = make_application([])
        window = open_window({str(one_programme)!r})
        window.show()
        seen = {{}}
        def started():
            seen["heavy"] = sorted(m for m in ("matplotlib", "openpyxl") if m in sys.modules)
            seen["placeholders"] = [type(window.tabs.widget(i)) is QWidget for i in range(1, 8)]
            seen["overview"] = "Outcome gates: 5 of 5 met" in window.details.toPlainText()
            seen["badges"] = window.views._views.get("rag_badges") is not None
            wait()
        def wait():  # the other views' modules and matplotlib, on the preload thread
            if "matplotlib.backends.backend_qtagg" in sys.modules and gc.isenabled():
                seen["later"] = [t.name for t in threading.enumerate()]
                app.quit()
            else:
                QTimer.singleShot(20, wait)
        window.started.connect(started)
        QTimer.singleShot(60000, app.quit)
        app.exec()
        assert seen["heavy"] == [], seen
        assert seen["placeholders"] == [True] * 7, seen
        assert seen["overview"] and seen["badges"], seen
        assert "later" in seen, "matplotlib is imported once the window is usable"
        window.tabs.setCurrentIndex(5)  # Charts: built now, filled for the programme shown
        assert window.tabs.widget(5) is window.chart_tab and window.chart_tab.code == "T-01"
        assert type(window.tabs.widget(1)) is QWidget  # the others still wait
        window.services.close()
        print("ok")
    """)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                            text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_what_the_start_thread_read_before_an_edit_is_read_again(qtbot, one_programme: Path,
                                                                 monkeypatch):
    """An edit between the start thread's read and its arrival: the window shows the
    programmes as they are after the edit, not the list the thread read."""
    window = _open(qtbot, one_programme)
    import threading

    from coprod_me.gui import programme_views

    held, holding = threading.Event(), threading.Event()
    real = programme_views.overview_html

    def overview_html(services: Services, code: str) -> str:
        holding.set()  # the thread has read the programmes; it is held up before the rest
        held.wait(10)
        return real(services, code)
    monkeypatch.setattr(programme_views, "overview_html", overview_html)
    window.show()
    qtbot.waitUntil(holding.is_set, timeout=10000)
    window.services.programmes.create("E-01", "Made meanwhile")
    window.refresh()  # as an edit's command does
    held.set()
    qtbot.waitUntil(lambda: window.is_started, timeout=30000)
    assert [r.code for r in window.model.rows] == ["E-01", "T-01"]
    window.services.close()


def test_garbage_collection_is_back_on_when_the_start_fails(qtbot, one_programme: Path,
                                                            monkeypatch):
    import gc

    from coprod_me.gui import programme_views

    monkeypatch.setattr(programme_views, "VIEW_MODULES", ("coprod_me.gui.no_such_view",))
    monkeypatch.setattr(programme_views, "report_exception", lambda exc, _parent=None: None)
    window = _open(qtbot, one_programme)
    window.show()
    qtbot.waitUntil(lambda: window.views._preload_failure is not None, timeout=30000)
    assert gc.isenabled()
    window.services.close()


# ---------------------------------------------------- a database the app cannot start on

def test_a_damaged_database_at_start_is_named_and_another_can_be_chosen(
        qtbot, one_programme: Path, tmp_path: Path, monkeypatch):
    from coprod_me.gui import app

    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(b"SQLite format 3\x00" + bytes(84) + bytes(1000))
    before = damaged.read_bytes()
    problems: list[str] = []

    def choose(problem: str) -> tuple[Path, bool]:
        problems.append(problem)
        return one_programme, False
    monkeypatch.setattr(app, "choose_another", choose)
    window = app.start_window(damaged)
    assert window is not None
    qtbot.addWidget(window)
    (problem,) = problems
    assert problem.startswith(f"{damaged} is ") and "\n" not in problem
    assert window.services.path == one_programme
    assert damaged.read_bytes() == before
    window.services.close()


def test_a_missing_folder_at_start_is_named_and_quitting_creates_nothing(
        qtbot, tmp_path: Path, monkeypatch):
    from coprod_me.gui import app

    problems: list[str] = []
    monkeypatch.setattr(app, "choose_another", lambda problem: problems.append(problem))
    path = tmp_path / "typo" / "x.sqlite"
    assert app.start_window(path) is None
    assert problems == [f"folder {path.parent} does not exist; check the path, or add "
                        "--create to make it"]
    assert not (tmp_path / "typo").exists()
    # the new database is empty: no samples loaded behind the next test's back
    monkeypatch.setattr(MainWindow, "load_samples", lambda self: None)
    window = app.start_window(path, make_folder=True)  # coprod-me --db PATH --create
    assert window is not None
    qtbot.addWidget(window)
    assert path.is_file()
    window.services.close()


def test_a_database_another_program_writes_to_at_start_is_waited_for(qtbot, one_programme,
                                                                     monkeypatch):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QProgressDialog

    from coprod_me.gui import app
    from tests.store.processes import WriteLockHolder

    monkeypatch.setattr(app, "choose_another", lambda problem: pytest.fail(problem))
    with WriteLockHolder(one_programme) as holder:
        def look() -> None:
            shown = [w for w in QApplication.topLevelWidgets()
                     if isinstance(w, QProgressDialog) and w.isVisible()
                     and w.windowTitle() == "Database in use"]
            if shown:
                holder.release()
            else:
                QTimer.singleShot(10, look)
        QTimer.singleShot(0, look)
        window = app.start_window(one_programme)
    assert window is not None
    qtbot.addWidget(window)
    assert window.model.rowCount() == 1
    window.services.close()
