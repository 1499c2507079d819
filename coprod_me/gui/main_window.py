"""The main window: the programmes in the database, and what each needs next.

The window composes its parts: the navigator (``ProgrammeNavigator``, gui/navigator.py),
the database file open (``DatabaseFiles``, gui/database_files.py), the tabs that show the
selected programme (``ProgrammeViews``, gui/programme_views.py), and the actions of its
menus and tool bar, declared in gui/window_actions.py. It keeps the commands on programmes
and workbooks, and the tasks that run off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QUndoStack
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
)

from coprod_me.gui import iati_export, window_actions
from coprod_me.gui.database_files import DatabaseFiles
from coprod_me.gui.errors import report_exception
from coprod_me.gui.help_dialogs import show_about, show_format_reference
from coprod_me.gui.navigator import ProgrammeNavigator
from coprod_me.gui.programme_views import ProgrammeViews
from coprod_me.gui.risk_checks import RiskChecks
from coprod_me.gui.undo_commands import apply_edit
from coprod_me.gui.workers import BackgroundTask, Job
from coprod_me.gui.written_file import announce_report, announce_written
from coprod_me.model.errors import Cancelled
from coprod_me.services import Services

if TYPE_CHECKING:
    # The views come with the SQLModel entities and every service (see ProgrammeViews),
    # the dialogs with the spreadsheet readers: imported when first used.
    from coprod_me.gui.chart_tab import ChartTab
    from coprod_me.gui.history_panel import HistoryPanel
    from coprod_me.gui.import_wizard import ImportWizard
    from coprod_me.gui.indicator_tab import IndicatorTab
    from coprod_me.gui.observation_grid import ObservationTab
    from coprod_me.gui.profile_tab import ProfileTab
    from coprod_me.gui.rag_badges import RagBadges
    from coprod_me.gui.records_tab import RecordsTab
    from coprod_me.gui.report_dialog import ReportDialog
    from coprod_me.gui.risks_tab import RisksTab
    from coprod_me.services.programme_index import ProgrammeSummary

WORKBOOK_FILTER = "Programme workbooks (*.xlsx);;All files (*)"

V = TypeVar("V")


class _Hosted(Generic[V]):
    """A view of the window, kept by its views host (built there on first use)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, window: MainWindow | None, owner: type | None = None) -> V:
        assert window is not None
        value: V = getattr(window.views, self.name)
        return value


class MainWindow(QMainWindow):
    """The navigator and the programme views.

    ``MainWindow(services)`` is complete when it returns. ``MainWindow(services,
    deferred=True)`` (the app's start) returns a window whose menus, tool bar, navigator
    (from ``Services.programme_index``, plain SQL) and status bar are ready to show; the
    outcome gates and the overview, read on a thread, follow (``started`` is emitted then:
    the window is usable), and each view is built when first shown or asked for.
    """

    started = Signal()

    profile_tab: _Hosted[ProfileTab] = _Hosted()
    indicator_tab: _Hosted[IndicatorTab] = _Hosted()
    observation_tab: _Hosted[ObservationTab] = _Hosted()
    records_tab: _Hosted[RecordsTab] = _Hosted()
    chart_tab: _Hosted[ChartTab] = _Hosted()
    risks_tab: _Hosted[RisksTab] = _Hosted()
    history_panel: _Hosted[HistoryPanel] = _Hosted()
    rag_badges: _Hosted[RagBadges] = _Hosted()

    def __init__(self, services: Services, settings: QSettings | None = None, *,
                 deferred: bool = False) -> None:
        super().__init__()
        self.settings = settings or QSettings()
        self.tasks: list[BackgroundTask] = []
        self.written: QMessageBox | None = None  # the last "was written" box, if any
        self.is_started = False  # the gates counted and the overview filled: usable
        self.setWindowTitle("coprod-me — co-production M&E workbench[*]")
        self.setAcceptDrops(True)
        self.undo_stack = QUndoStack(self)
        # modified until every edit since the last clean point is undone or saved as such
        # (a method, not a lambda: Qt drops the connection when the window is destroyed,
        # while the stack, a child, still says "clean" on its way out)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        # the rules run again, quietly, after every edit, load or import
        self.risk_checks = RiskChecks(services, self, isolated=True)
        self.views = ProgrammeViews(services, self.undo_stack, self.risk_checks, self)
        self.views.edited.connect(self._programme_changed)
        self.views.edited.connect(self._check_risks)
        self.tabs, self.details = self.views.tabs, self.views.details
        self.details.anchorClicked.connect(self._welcome_action)
        self.database_files = DatabaseFiles(
            services, self.settings, self, undo_stack=self.undo_stack,
            risk_checks=self.risk_checks, views=self.views, busy=self._busy)
        self.database_files.switched.connect(self._database_switched)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.navigator = ProgrammeNavigator()
        self.navigator.current_changed.connect(self._show_selected)
        # the navigator's parts, for the callers that drive it as a user would
        self.model, self.proxy = self.navigator.model, self.navigator.proxy
        self.table, self.filter_edit = self.navigator.table, self.navigator.filter_edit
        self.splitter.addWidget(self.navigator)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.setCentralWidget(self.splitter)
        self.setTabOrder(self.filter_edit, self.table)
        self.setTabOrder(self.table, self.tabs)

        window_actions.build(self)
        self.quarter_label = QLabel()
        self.statusBar().addPermanentWidget(self.quarter_label)
        self.db_label = self.database_files.label
        self.statusBar().addPermanentWidget(self.db_label)
        self._restore_geometry()
        if deferred:
            self._first_paint()
            self.views.build_when_shown(then=self._start)
        else:
            self.views.build()
            self._start()

    @property
    def services(self) -> Services:
        """The open database's (another after File > Open database)."""
        return self.database_files.services

    def _first_paint(self) -> None:
        """The navigator from the light programme list; the views are not built yet."""
        self.navigator.set_rows(self.services.programme_index())
        if self.model.rows:
            first = self.model.rows[0]
            self.select(first.code)  # shown by _start, which keeps the selection
            self.views.show_opening(first.code, first.name)

    def _start(self, rows: Sequence[ProgrammeSummary] | None = None) -> None:
        if self.is_started:
            return
        self.is_started = True
        self.refresh(rows)  # the rows read on the start thread, if they are still current
        self.views.when_filled(self.started.emit)

    # ------------------------------------------------------------------------- contents

    def refresh(self, rows: Sequence[ProgrammeSummary] | None = None) -> None:
        current = self.selected_code()
        strand = self.selected_strand()
        self.views.forget_shown()  # views re-read after a refresh, even for the same one
        self.navigator.set_rows(self.services.programmes.summaries() if rows is None else rows)
        n = self.model.rowCount()
        self.statusBar().showMessage(f"{n} programme(s)", 4000)
        codes = [r.code for r in self.model.rows]
        self.select(current if current in codes else (codes[0] if codes else None),
                    strand if current in codes else None)
        if self.selected_code() is None:
            self.views.point_at(None)  # the programme shown is gone (deleted, undone)
            self.quarter_label.clear()
        if not n:
            self.views.show_welcome()

    def _welcome_action(self, url: Any) -> None:
        actions = {"action:samples": self.load_samples, "action:new": self.new_programme,
                   "action:load": self.choose_and_load, "action:template": self.save_template}
        action = actions.get(url.toString())
        if action is not None:
            action()

    def selected_code(self) -> str | None:
        """The programme selected in the navigator (also when one of its strands is)."""
        return self.navigator.selected_code()

    def selected_strand(self) -> str | None:
        return self.navigator.selected_strand()

    def select(self, code: str | None, strand: str | None = None) -> None:
        self.navigator.select(code, strand)

    def _show_selected(self, *_args: Any) -> None:
        code = self.selected_code()
        if code is None or not self.is_started:  # _start shows the selected programme
            return
        try:
            if self.views.show(code, self.selected_strand()):
                self._update_quarter_label(code)
        except Exception as exc:
            report_exception(exc, self)

    def _update_quarter_label(self, code: str) -> None:
        periods = self.services.observations.periods(code)
        open_ = [p.quarter for p in periods if p.status != "locked"]
        locked = [p.quarter for p in periods if p.status == "locked"]
        text = f"{code}: open quarter {open_[-1]}" if open_ else f"{code}: no open quarter"
        if locked:
            text += f" · locked up to {locked[-1]}"
        self.quarter_label.setText(text)

    def _clean_changed(self, clean: bool) -> None:
        self.setWindowModified(not clean)

    def view(self, widget: Any) -> Any:
        """A programme view, filled for the selected programme (for callers that use one
        without showing it first)."""
        return self.views.view(widget)

    def record_in_view(self) -> tuple[str | None, int | None]:
        """The record the user is looking at: an observation, an indicator or the programme."""
        return self.views.record_in_view(self.selected_code())

    def show_history(self) -> None:
        self.views.show_history(self.selected_code())

    def _programme_changed(self) -> None:
        self.refresh()
        self.views.reload_after_edit()

    def _check_risks(self, *_args: Any) -> None:
        code = self.selected_code()
        if code is not None:  # named: the Risks tab may not have been shown (filled) yet
            self.risk_checks.schedule([code])

    # ------------------------------------------------------------------------ databases

    def switch_database(self, path: Path) -> None:
        """Close this database and open another; undo history belongs to the old one."""
        self.database_files.switch_database(path)

    def _database_switched(self) -> None:
        self.refresh()
        self.history_panel.refresh()

    def _busy(self) -> bool:
        return any(t.running for t in self.tasks)

    # -------------------------------------------------------------------------- actions

    def run_task(self, title: str, job: Job, on_done: Any) -> BackgroundTask:
        task = BackgroundTask(self, title, job)
        self.tasks.append(task)

        def finished(result: object) -> None:
            self.tasks.remove(task)
            on_done(result)

        def failed(exc: object) -> None:
            self.tasks.remove(task)
            assert isinstance(exc, BaseException)
            self.refresh()
            if isinstance(exc, Cancelled):
                self.statusBar().showMessage(f"{title}: {exc}", 10000)
            else:
                report_exception(exc, self)

        task.done.connect(finished)
        task.error.connect(failed)
        return task.start()

    def choose_and_load(self) -> None:
        start = str(self.settings.value("paths/last_workbook_dir", str(Path.home())))
        name, _ = QFileDialog.getOpenFileName(self, "Load programme workbook", start,
                                              WORKBOOK_FILTER)
        if name:
            self.load_workbook(Path(name))

    def load_workbook(self, path: Path) -> BackgroundTask:
        self.settings.setValue("paths/last_workbook_dir", str(path.parent))
        from coprod_me.services.workbooks import LoadResult

        workbooks = self.services.workbooks

        def job(progress: Any, cancelled: Any) -> LoadResult:
            return workbooks.load(path, progress=progress, cancelled=cancelled)

        def done(result: object) -> None:
            assert isinstance(result, LoadResult)
            self.refresh()
            if result.programmes:
                self.select(result.programmes[0])
                self.risk_checks.schedule(result.programmes)
            self.statusBar().showMessage(
                f"{path.name}: {result.created} created, {result.updated} updated, "
                f"{result.unchanged} unchanged", 10000)
            if result.warnings:  # loaded all the same; each listed in full
                QMessageBox.information(self, "Figures to check", f"{path.name} is loaded; "
                                        f"{len(result.warnings)} figure(s) look unusual next "
                                        "to their series:\n\n" + "\n".join(result.warnings))

        return self.run_task(f"Loading {path.name}", job, done)

    def import_spreadsheet(self, path: Path | None = None) -> ImportWizard:
        """The import wizard for the selected programme (``path`` from a drop, or chosen)."""
        from coprod_me.gui.import_wizard import ImportWizard

        wizard = ImportWizard(self.services, self.selected_code(), path, self)
        wizard.imported.connect(lambda _result: self._after_import(wizard))
        wizard.finished.connect(lambda _code: self._after_import(wizard))
        wizard.open()  # window-modal; the wizard's own work runs on worker threads
        return wizard

    def _after_import(self, wizard: ImportWizard) -> None:
        if not wizard.changed:
            return
        code = wizard.programme_code or self.selected_code()
        self.refresh()
        if code is not None:
            self.select(code)
            self.risk_checks.schedule([code])

    def export_report(self) -> ReportDialog:
        from coprod_me.gui.report_dialog import ReportDialog

        code = self.selected_code()
        dialog = ReportDialog(self.services, [code] if code else [], None, self)
        dialog.exported.connect(lambda r: setattr(self, "written", announce_report(self, r)))
        dialog.open()
        return dialog

    def export_iati(self) -> BackgroundTask | None:
        return iati_export.export_iati(self)

    def run_risk_rules(self) -> None:
        if self.selected_code() is None:
            QMessageBox.information(self, "Risks", "Select a programme first.")
            return
        self.tabs.setCurrentWidget(self.risks_tab)
        self.risks_tab.run_rules()

    def load_samples(self) -> BackgroundTask:
        from coprod_me.services.workbooks import LoadResult

        database = self.services.database

        def job(progress: Any, cancelled: Any) -> list[LoadResult]:
            return database.load_samples(progress=progress, cancelled=cancelled)

        def done(results: object) -> None:
            self.refresh()
            assert isinstance(results, list)
            self.risk_checks.schedule([p for r in results for p in r.programmes])
            created = sum(r.created for r in results)
            self.statusBar().showMessage(
                f"Sample programmes loaded ({created} rows created)", 10000)

        return self.run_task("Loading the sample programmes", job, done)

    def export_selected(self) -> BackgroundTask | None:
        code = self.selected_code()
        if code is None:
            QMessageBox.information(self, "Export", "Select a programme first.")
            return None
        start = str(self.settings.value("paths/last_workbook_dir", str(Path.home())))
        name, _ = QFileDialog.getSaveFileName(self, f"Export {code}",
                                              str(Path(start) / f"{code}.xlsx"), WORKBOOK_FILTER)
        if not name:
            return None
        path = Path(name) if name.lower().endswith(".xlsx") else Path(name + ".xlsx")
        workbooks = self.services.workbooks

        def job(progress: Any, cancelled: Any) -> Path:
            return workbooks.export([code], path, progress=progress, cancelled=cancelled)

        def done(out: object) -> None:
            self.written = announce_written(self, Path(str(out)), f"The workbook of {code}")

        return self.run_task(f"Exporting {code}", job, done)

    def save_template(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Save empty programme workbook",
                                              str(Path.home() / "programme-template.xlsx"),
                                              WORKBOOK_FILTER)
        if name:
            try:
                out = self.services.workbooks.template(Path(name))
                self.statusBar().showMessage(f"Wrote {out}", 10000)
            except Exception as exc:
                report_exception(exc, self)

    def open_format_doc(self) -> None:
        show_format_reference(self, self.services.workbooks.format_reference())

    def about(self) -> None:
        show_about(self, self.services.path)

    # ----------------------------------------------------------------------- programmes

    def new_programme(self) -> None:
        code, ok = QInputDialog.getText(self, "New programme", "Code (e.g. WS-02):")
        if not ok or not code.strip():
            return
        name, ok = QInputDialog.getText(self, "New programme", "Name:")
        if not ok:
            return
        programmes = self.services.programmes
        code = code.strip()
        try:
            apply_edit(self.undo_stack, f"create programme {code}",
                       lambda: programmes.create(code, name, reason="create programme"),
                       lambda: programmes.delete(code, reason=f"undo: create programme {code}"),
                       after=self.refresh)
        except Exception as exc:
            report_exception(exc, self)
            return
        self.select(code)
        self.tabs.setCurrentWidget(self.profile_tab)

    def set_quarter_status(self, lock: bool) -> None:
        code = self.selected_code()
        if code is None:
            QMessageBox.information(self, "Quarters", "Select a programme first.")
            return
        periods = self.services.observations.periods(code)
        candidates = [p.quarter for p in periods if (p.status != "locked") == lock]
        verb = "Lock" if lock else "Unlock"
        quarter, ok = QInputDialog.getItem(
            self, f"{verb} a quarter of {code}", "Quarter (e.g. 2024Q2):",
            candidates or [""], max(len(candidates) - 1, 0) if lock else 0, True)
        if not ok or not quarter.strip():
            return
        reason = ""
        if not lock:
            reason, ok = QInputDialog.getText(self, f"Unlock {quarter}",
                                              "Why is this quarter being reopened?")
            if not ok:
                return
        observations = self.services.observations
        status, back = ("locked", "open") if lock else ("open", "locked")
        text = f"{verb.lower()} {quarter} of {code}"
        try:
            apply_edit(self.undo_stack, text,
                       lambda: observations.set_period_status(code, quarter, status,
                                                              reason=reason or text),
                       lambda: observations.set_period_status(code, quarter, back,
                                                              reason=f"undo: {text}"),
                       after=self._programme_changed)
        except Exception as exc:
            report_exception(exc, self)

    def _restore_geometry(self) -> None:
        geom = self.settings.value("main_window/geometry")
        if geom is not None:
            self.restoreGeometry(geom)
        else:
            self.resize(1280, 760)
        # At 200 % scaling (or on a small laptop) a remembered or default size can exceed the
        # screen: keep the window, with its frame, inside what the screen offers.
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        if screen is not None and (self.width() > screen.width()
                                   or self.height() > screen.height()):
            self.resize(min(self.width(), int(screen.width() * 0.95)),
                        min(self.height(), int(screen.height() * 0.92)))
            self.move(screen.topLeft())
        state = self.settings.value("main_window/splitter")
        if state is not None:
            self.splitter.restoreState(state)
        else:
            self.splitter.setSizes([460, 1000])  # the list navigates; the views do the work

    def closeEvent(self, event: Any) -> None:
        if self._busy():
            QMessageBox.information(self, "Still working",
                                    "Wait for the running task to finish or cancel it first.")
            event.ignore()
            return
        self.risk_checks.cancel()  # a quiet check saves nothing until it ends
        self.settings.setValue("main_window/geometry", self.saveGeometry())
        self.settings.setValue("main_window/splitter", self.splitter.saveState())
        # The stack outlives the views as the window is taken apart at exit, and its last
        # clear would tell the half-deleted views to re-read: nothing listens from here on.
        self.undo_stack.blockSignals(True)
        super().closeEvent(event)

    # ---------------------------------------------------------------------- drag & drop

    @staticmethod
    def _readable(path: str) -> bool:
        from coprod_me.services.ngo_imports import ImportService

        return Path(path).suffix.lower() in ImportService.SUFFIXES

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(self._readable(u.toLocalFile()) for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        for url in event.mimeData().urls():
            path = Path(url.toLocalFile())
            if self._readable(str(path)):
                event.acceptProposedAction()
                self.open_dropped(path)
                return

    def open_dropped(self, path: Path) -> None:
        """A programme workbook is loaded; any other spreadsheet goes to the import wizard."""
        from coprod_me.services.ngo_imports import ImportService

        if ImportService.looks_like_programme_workbook(path):
            self.load_workbook(path)
        else:
            self.import_spreadsheet(path)
