"""The main window: the programmes in the database, and what each needs next."""

from __future__ import annotations

import html
import importlib
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from coprod_me import __version__
from coprod_me.gui.errors import report_exception
from coprod_me.gui.icons import icon
from coprod_me.gui.navigator import ProgrammeTreeModel
from coprod_me.gui.risk_checks import RiskChecks
from coprod_me.gui.table_models import filtered
from coprod_me.gui.undo_commands import apply_edit
from coprod_me.gui.workers import BackgroundTask, Job
from coprod_me.model.errors import Cancelled
from coprod_me.services import Services

if TYPE_CHECKING:
    # The views are imported when the window builds them (see MainWindow._build_views):
    # with them come the SQLModel entities and every service, which the first paint of a
    # starting window does without. The dialogs come when first opened: they bring the
    # spreadsheet readers along.
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

WORKBOOK_FILTER = "Programme workbooks (*.xlsx);;All files (*)"
# The tabs after the Overview, in order; each is a placeholder until the views are built.
VIEW_TITLES = ("&Profile", "&Indicators", "O&bservations", "&Records", "&Charts", "Ris&ks",
               "&History")

V = TypeVar("V")


class _View(Generic[V]):
    """A view of the window, built with the others on first use (``_build_views``)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.attr = "_" + name

    def __get__(self, window: MainWindow | None, owner: type | None = None) -> V:
        assert window is not None
        window._build_views()
        value: V = getattr(window, self.attr)
        return value



def _words(code: str | None) -> str:
    """An enumerated value as words: 'recurrent_budget' -> 'recurrent budget'."""
    return code.replace("_", " ") if code else "—"


def _preload_view_modules() -> None:
    """Import what the programme views need (off the GUI thread; see ``_finish_start``)."""
    try:
        for name in ("coprod_me.model.entities", "coprod_me.services.programmes",
                     "coprod_me.services.observations", "coprod_me.services.risk_runs",
                     "coprod_me.gui.profile_tab", "coprod_me.gui.indicator_tab",
                     "coprod_me.gui.observation_grid", "coprod_me.gui.records_tab",
                     "coprod_me.gui.risks_tab", "coprod_me.gui.history_panel"):
            importlib.import_module(name)
        Services.prepare()  # what the first ORM query would otherwise do on the GUI thread
    except Exception:
        pass  # the GUI thread imports the same again, and reports a failure there


class MainWindow(QMainWindow):
    """The navigator and the programme views.

    ``MainWindow(services)`` is complete when it returns. ``MainWindow(services,
    deferred=True)`` (the app's start) returns a window whose menus, tool bar, navigator
    (from ``Services.programme_index``, plain SQL) and status bar are ready to show; the
    views, the outcome gates and the overview follow on the next turns of the event loop
    (``started`` is emitted then). A view asked for before that is built at once.
    """

    started = Signal()

    profile_tab: _View[ProfileTab] = _View()
    indicator_tab: _View[IndicatorTab] = _View()
    observation_tab: _View[ObservationTab] = _View()
    records_tab: _View[RecordsTab] = _View()
    chart_tab: _View[ChartTab] = _View()
    risks_tab: _View[RisksTab] = _View()
    history_panel: _View[HistoryPanel] = _View()
    rag_badges: _View[RagBadges] = _View()

    def __init__(self, services: Services, settings: QSettings | None = None, *,
                 deferred: bool = False) -> None:
        super().__init__()
        self.services = services
        self.settings = settings or QSettings()
        self.tasks: list[BackgroundTask] = []
        self._shown_code: str | None = None
        self._stale: dict[Any, str] = {}  # views not yet filled for the selected programme
        self._auto_checked: set[str] = set()  # programmes checked unasked this session
        self._views_built = False
        self.is_started = False  # the views built and the overview filled
        self.setWindowTitle("coprod-me — co-production M&E workbench[*]")
        self.setAcceptDrops(True)
        self.undo_stack = QUndoStack(self)
        # modified until every edit since the last clean point is undone or saved as such
        # (a method, not a lambda: Qt drops the connection when the window is destroyed,
        # while the stack, a child, still says "clean" on its way out)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        # the rules run again, quietly, after every edit, load or import
        self.risk_checks = RiskChecks(services, self)
        self.risk_checks.checked.connect(self._risks_changed)

        self.model = ProgrammeTreeModel(self)
        self.proxy, self.filter_edit = filtered(
            self.model, self, "Filter programmes and strands (code, name, domain …)",
            "Filter programmes")
        self.proxy.setRecursiveFilteringEnabled(True)  # a matching strand shows its programme

        # The navigator: programmes, and under each its strands and sites (+ / - or arrows
        # open and close them).
        self.table = QTreeView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Programmes and strands")
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setUniformRowHeights(True)
        self.table.setAllColumnsShowFocus(True)
        self.table.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.header().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(self._show_selected)
        # strand codes sit one indentation deeper: widen the code column when they appear
        self.table.expanded.connect(lambda _i: self.table.resizeColumnToContents(0))

        self.details = QTextBrowser()
        self.details.setAccessibleName("Programme details")
        self.details.setOpenExternalLinks(False)
        self.details.setOpenLinks(False)
        self.details.anchorClicked.connect(self._welcome_action)

        left = QWidget()
        lay = QVBoxLayout(left)
        lay.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        label = QLabel("&Filter:")
        label.setBuddy(self.filter_edit)
        bar.addWidget(label)
        bar.addWidget(self.filter_edit)
        lay.addLayout(bar)
        lay.addWidget(self.table)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Programme views")
        self.tabs.currentChanged.connect(lambda _i: self._fill_stale(self.tabs.currentWidget()))
        overview = QWidget()
        self._overview_layout = QVBoxLayout(overview)
        self._overview_layout.setContentsMargins(0, 0, 0, 0)
        self._overview_layout.addWidget(self.details, 1)  # the RAG badges go above it
        self.tabs.addTab(overview, "&Overview")
        for title in VIEW_TITLES:
            self.tabs.addTab(QWidget(), title)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.setCentralWidget(self.splitter)
        self.setTabOrder(self.filter_edit, self.table)
        self.setTabOrder(self.table, self.tabs)

        self._make_actions()
        self.quarter_label = QLabel()
        self.statusBar().addPermanentWidget(self.quarter_label)
        self.db_label = QLabel()
        self.statusBar().addPermanentWidget(self.db_label)
        self._update_db_label()
        self._restore_geometry()
        if deferred:
            self._first_paint()
            # A timer, not a zero-time call: it fires after what the loop already holds
            # (the first paint, input), and _finish_start waits for the window to be exposed.
            self._exposure_waits = 0
            QTimer.singleShot(1, self._finish_start)
        else:
            self._build_views()
            self._start()

    def _build_views(self) -> None:
        """The programme views, in place of the placeholder tabs (once)."""
        if self._views_built:
            return
        self._views_built = True
        from coprod_me.gui.chart_tab import ChartTab
        from coprod_me.gui.history_panel import HistoryPanel
        from coprod_me.gui.indicator_tab import IndicatorTab
        from coprod_me.gui.observation_grid import ObservationTab
        from coprod_me.gui.profile_tab import ProfileTab
        from coprod_me.gui.rag_badges import RagBadges
        from coprod_me.gui.records_tab import RecordsTab
        from coprod_me.gui.risks_tab import RisksTab

        services = self.services
        self._profile_tab = ProfileTab(services, self.undo_stack)
        self._profile_tab.changed.connect(self._programme_changed)
        self._history_panel = HistoryPanel(services)
        self.undo_stack.indexChanged.connect(self._history_panel.refresh)
        self._rag_badges = RagBadges(services)
        self._rag_badges.category_activated.connect(self.show_risk_category)
        self._rag_badges.unchecked.connect(self._check_unchecked)
        self._overview_layout.insertWidget(0, self._rag_badges)
        self._indicator_tab = IndicatorTab(services, self.undo_stack)
        self._indicator_tab.changed.connect(self._programme_changed)
        self._observation_tab = ObservationTab(services, self.undo_stack)
        self._observation_tab.changed.connect(self._programme_changed)
        self.undo_stack.indexChanged.connect(self._observation_tab.refresh)
        self._records_tab = RecordsTab(services, self.undo_stack)
        self._records_tab.changed.connect(self._programme_changed)
        self.undo_stack.indexChanged.connect(self._records_tab.refresh)
        self._chart_tab = ChartTab(services, self.undo_stack)
        self._risks_tab = RisksTab(services, self.undo_stack, self.risk_checks)
        self._risks_tab.changed.connect(self._risks_changed)
        self.undo_stack.indexChanged.connect(self._chart_tab.reload)
        # Risks are checked again, quietly and off the GUI thread, after every edit. A view
        # says "changed" after an edit and after its undo or redo; not the undo stack itself,
        # whose index also moves for a flag acknowledged or closed, which needs no re-run.
        for view in (self._observation_tab, self._records_tab, self._indicator_tab,
                     self._profile_tab):
            view.changed.connect(self._check_risks)
        views = (self._profile_tab, self._indicator_tab, self._observation_tab,
                 self._records_tab, self._chart_tab, self._risks_tab, self._history_panel)
        current = self.tabs.currentIndex()
        self.tabs.blockSignals(True)  # a tab shown now is filled by the _start that follows
        for i, (view, title) in enumerate(zip(views, VIEW_TITLES, strict=True), start=1):
            placeholder = self.tabs.widget(i)
            self.tabs.removeTab(i)
            self.tabs.insertTab(i, view, title)
            placeholder.deleteLater()
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(False)

    def _first_paint(self) -> None:
        """The navigator from the light programme list; the views are not built yet."""
        self.model.set_rows(self.services.programme_index())
        self._fit_columns()
        if self.model.rows:
            first = self.model.rows[0]
            self.select(first.code)  # shown by _start, which keeps the selection
            self.details.setHtml(f"<h2>{html.escape(first.code)} — {html.escape(first.name)}"
                                 "</h2><p>Opening …</p>")

    def _finish_start(self) -> None:
        """Once the window is on screen (the navigator painted, what the loop holds done):
        the views, with the entities and every service; then the gates and the overview."""
        handle = self.windowHandle()
        if (self.isVisible() and handle is not None and not handle.isExposed()
                and self._exposure_waits < 50):
            self._exposure_waits += 1  # the window system has not shown it yet
            QTimer.singleShot(10, self._finish_start)
            return
        if self.isVisible():
            self.repaint()  # the navigator is on screen before the build holds the loop
        # The views need the entities, the ORM and the services (a third of a second of
        # imports): imported on a thread, the window keeps answering meanwhile; the views
        # are then built here, on the GUI thread, as Qt requires.
        self._preload = threading.Thread(target=_preload_view_modules, name="preload",
                                         daemon=True)
        self._preload.start()
        QTimer.singleShot(5, self._build_when_loaded)

    def _build_when_loaded(self) -> None:
        if self._preload.is_alive() and not self._views_built:
            QTimer.singleShot(5, self._build_when_loaded)
            return
        QTimer.singleShot(0, self._build_then_start)

    def _build_then_start(self) -> None:
        try:
            self._build_views()
        finally:
            QTimer.singleShot(0, self._start)

    def _start(self) -> None:
        if self.is_started:
            return
        self.is_started = True
        self.refresh()
        self.started.emit()

    # ------------------------------------------------------------------------------ set-up

    def _make_actions(self) -> None:
        def act(text: str, slot: Any, shortcut: QKeySequence | str | None = None,
                tip: str = "", icon_name: str | None = None) -> QAction:
            a = QAction(text, self)
            if icon_name:
                a.setIcon(icon(icon_name))
            if shortcut is not None:
                a.setShortcut(QKeySequence(shortcut))
            a.setStatusTip(tip)
            a.triggered.connect(slot)
            return a

        self.load_action = act("&Load programme workbook…", self.choose_and_load,
                               QKeySequence.StandardKey.Open,
                               "Create or update programmes from a programme workbook", "open")
        self.export_action = act("&Export programme…", self.export_selected, "Ctrl+E",
                                 "Write the selected programme to a programme workbook",
                                 "export")
        self.template_action = act("Save empty &template…", self.save_template, None,
                                   "An empty programme workbook with every sheet and drop-downs")
        self.samples_action = act("Load &sample programmes", self.load_samples, None,
                                  "The five sample programmes of the domain brief")
        self.backup_action = act("&Back up database…", self.backup, "Ctrl+Shift+B",
                                 "A consistent copy of the database file", "backup")
        self.refresh_action = act("&Refresh", self.refresh, QKeySequence.StandardKey.Refresh,
                                  "Re-read the database", "refresh")
        self.quit_action = act("&Quit", self.close, "Ctrl+Q")
        self.about_action = act("&About coprod-me", self.about)
        self.format_action = act("Programme workbook &format", self.open_format_doc)
        self.new_db_action = act("&New database…", self.new_database, QKeySequence.StandardKey.New,
                                 "Start an empty database file")
        self.open_db_action = act("Open &database…", self.open_database, "Ctrl+Shift+O",
                                  "Switch to another database file")
        self.new_programme_action = act("New &programme…", self.new_programme, "Ctrl+Shift+N",
                                        "Create a programme by code and name",
                                        "new-programme")
        self.lock_action = act("&Lock a quarter…", lambda: self.set_quarter_status(True),
                               "Ctrl+L", "Freeze a quarter's observations", "lock")
        self.unlock_action = act("&Unlock a quarter…", lambda: self.set_quarter_status(False),
                                 None, "Reopen a locked quarter (with a reason)")
        self.import_action = act("&Import NGO spreadsheet…", self.import_spreadsheet, "Ctrl+I",
                                 "Import quarterly data from a spreadsheet of any shape into "
                                 "the selected programme", "import")
        self.report_action = act("Export &quarterly report…", self.export_report, "Ctrl+R",
                                 "The quarterly Excel report of one or more programmes",
                                 "report")
        self.run_risks_action = act("Check &risks now", self.run_risk_rules, "F9",
                                    "Run every risk rule on the selected programme", "risks")
        self.history_action = act("Show &history of this record", self.show_history, "Ctrl+H",
                                  "The audit trail of the selected observation, indicator, "
                                  "risk flag or programme", "history")
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setIcon(icon("undo"))
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.redo_action.setIcon(icon("redo"))

        file_menu = self.menuBar().addMenu("&File")
        for a in (self.new_db_action, self.open_db_action):
            file_menu.addAction(a)
        self.recent_menu = file_menu.addMenu("&Recent databases")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        for a in (self.load_action, self.import_action, self.export_action,
                  self.report_action, self.template_action, self.samples_action):
            file_menu.addAction(a)
        file_menu.addSeparator()
        file_menu.addAction(self.backup_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.history_action)
        view_menu = self.menuBar().addMenu("&View")
        view_menu.addAction(self.refresh_action)
        for i, name in enumerate(("Overview", "Profile", "Indicators", "Observations", "Records",
                                  "Charts", "Risks", "History"), start=1):
            view_menu.addAction(act(f"&{i} {name}", lambda _=False, i=i: self.tabs.setCurrentIndex(
                i - 1), f"Alt+{i}"))
        programme_menu = self.menuBar().addMenu("&Programme")
        for a in (self.new_programme_action, self.lock_action, self.unlock_action,
                  self.run_risks_action):
            programme_menu.addAction(a)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self.format_action)
        help_menu.addAction(self.about_action)

        tb = self.addToolBar("Main")
        tb.setObjectName("main_toolbar")
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for a in (self.load_action, self.import_action, self.report_action,
                  self.new_programme_action, self.refresh_action):
            tb.addAction(a)
        tb.addSeparator()
        tb.addAction(self.undo_action)
        tb.addAction(self.redo_action)

    def _update_db_label(self) -> None:
        self.db_label.setText(f"Database: {self.services.path}")
        self._remember_database(self.services.path)

    # --------------------------------------------------------------------------- databases

    def _remember_database(self, path: Path | None) -> None:
        if path is None:
            return
        recent = [p for p in self._recent() if p != str(path)]
        self.settings.setValue("databases/recent", [str(path), *recent][:8])
        self.settings.setValue("databases/last", str(path))

    def _recent(self) -> list[str]:
        value = self.settings.value("databases/recent") or []
        return [value] if isinstance(value, str) else list(value)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for i, name in enumerate(self._recent(), start=1):
            a = self.recent_menu.addAction(f"&{i} {name}")
            a.triggered.connect(lambda _=False, n=name: self.switch_database(Path(n)))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("(none yet)").setEnabled(False)

    def new_database(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "New database",
                                              str(Path.home() / "programmes.sqlite"),
                                              "SQLite database (*.sqlite)")
        if name:
            path = Path(name)
            if path.exists():
                QMessageBox.warning(self, "New database", f"{path} exists; choose a new name "
                                    "or open it with File > Open database.")
                return
            self.switch_database(path)

    def open_database(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Open database", str(Path.home()),
                                              "SQLite database (*.sqlite *.db);;All files (*)")
        if name:
            self.switch_database(Path(name))

    def switch_database(self, path: Path) -> None:
        """Close this database and open another; undo history belongs to the old one."""
        if any(t.running for t in self.tasks):
            QMessageBox.information(self, "Still working", "Wait for the running task first.")
            return
        try:
            services = Services.open(path)
        except Exception as exc:
            report_exception(exc, self)
            return
        old = self.services
        self.undo_stack.clear()
        self.services = services
        self._auto_checked.clear()
        self.risk_checks.cancel()
        self.risk_checks.set_services(services)
        for view in self._programme_views():
            view.set_services(services)
        self.history_panel.services = services
        self.rag_badges.services = services
        old.close()
        self._update_db_label()
        self.refresh()
        self.history_panel.refresh()

    # ------------------------------------------------------------------------- programmes

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
        if lock and not candidates:
            candidates = []
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

    def record_in_view(self) -> tuple[str | None, int | None]:
        """The record the user is looking at: an observation, an indicator or the programme."""
        view = self.tabs.currentWidget()
        code = self.selected_code()
        if view is self.observation_tab:
            row = self.observation_tab.current_row()
            if row is not None:
                return "observation", row.id
        if view is self.indicator_tab and code is not None:
            ind = self.indicator_tab.selected()
            if ind is not None:
                return "indicator", self.services.indicators.get(code, ind.code).id
        if view is self.risks_tab:
            flag = self.risks_tab.selected()
            if flag is not None:
                return "risk_flag", flag.id
        if view is self.history_panel:
            return self.history_panel.entity, self.history_panel.entity_id
        if code is not None:
            return "programme", self.services.programmes.get(code).id
        return None, None

    def show_history(self) -> None:
        entity, entity_id = self.record_in_view()
        self.history_panel.show_record(entity, entity_id)
        self.tabs.setCurrentWidget(self.history_panel)

    def _programme_changed(self) -> None:
        self.refresh()
        self.chart_tab.reload()
        self.indicator_tab.reload()

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
        if any(t.running for t in self.tasks):
            QMessageBox.information(self, "Still working",
                                    "Wait for the running task to finish or cancel it first.")
            event.ignore()
            return
        self.risk_checks.cancel()  # a quiet check saves nothing until it ends
        self.settings.setValue("main_window/geometry", self.saveGeometry())
        self.settings.setValue("main_window/splitter", self.splitter.saveState())
        super().closeEvent(event)

    # ---------------------------------------------------------------------------- contents

    def refresh(self) -> None:
        current = self.selected_code()
        strand = self.selected_strand()
        self._shown_code = None  # views re-read after a refresh, even for the same programme
        self.model.set_rows(self.services.programmes.summaries())
        self._fit_columns()
        n = self.model.rowCount()
        self.statusBar().showMessage(f"{n} programme(s)", 4000)
        codes = [r.code for r in self.model.rows]
        self.select(current if current in codes else (codes[0] if codes else None),
                    strand if current in codes else None)
        if self.selected_code() is None:
            self._set_views(None)  # the programme shown is gone (deleted, undone)
        if not n:
            self.details.setHtml(
                "<h2>Welcome to coprod-me</h2>"
                "<p>This database has no programmes yet. Start with one of these (Tab moves "
                "between them, Enter opens one):</p><ul>"
                "<li><a href='action:samples'>Open the five sample programmes</a> — "
                "sanitation in South Asia, urban living labs, Croatian social services, "
                "diabetes care, a Korean civic platform</li>"
                "<li><a href='action:new'>Create a programme</a> by code and name "
                "(Ctrl+Shift+N)</li>"
                "<li><a href='action:load'>Load a programme workbook</a> (Ctrl+O), or drop an "
                ".xlsx file on this window</li>"
                "<li><a href='action:template'>Save an empty workbook template</a> to fill in "
                "a spreadsheet first</li></ul>")

    def _fit_columns(self) -> None:
        for i in range(self.model.columnCount()):
            self.table.resizeColumnToContents(i)
        for i, col in enumerate(self.model.columns):
            if col.max_width and self.table.columnWidth(i) > col.max_width:
                self.table.setColumnWidth(i, col.max_width)

    def _welcome_action(self, url: Any) -> None:
        actions = {"action:samples": self.load_samples, "action:new": self.new_programme,
                   "action:load": self.choose_and_load, "action:template": self.save_template}
        action = actions.get(url.toString())
        if action is not None:
            action()

    def selected_code(self) -> str | None:
        """The programme selected in the navigator (also when one of its strands is)."""
        programme = self.model.programme_of(self.proxy.mapToSource(self.table.currentIndex()))
        return programme.code if programme is not None else None

    def selected_strand(self) -> str | None:
        strand = self.model.strand_of(self.proxy.mapToSource(self.table.currentIndex()))
        return strand.code if strand is not None else None

    def select(self, code: str | None, strand: str | None = None) -> None:
        for row, r in enumerate(self.model.rows):
            if r.code != code:
                continue
            index = self.model.index(row, 0)
            for srow, st in enumerate(r.strand_items):
                if st.code == strand:
                    self.table.expand(self.proxy.mapFromSource(index))
                    index = self.model.index(srow, 0, index)
            self.table.setCurrentIndex(self.proxy.mapFromSource(index))
            return

    def _show_selected(self, *_args: Any) -> None:
        code = self.selected_code()
        if code is None or not self.is_started:  # _start shows the selected programme
            return
        from coprod_me.gui.observation_grid import ALL_STRANDS

        try:
            if code != self._shown_code:
                self._shown_code = code
                self.details.setHtml(self._details_html(code))
                self._set_views(code)
                self._update_quarter_label(code)
            if self.observation_tab not in self._stale:
                self.observation_tab.set_strand(self.selected_strand() or ALL_STRANDS)
        except Exception as exc:
            report_exception(exc, self)

    def _set_views(self, code: str | None) -> None:
        """Point every programme view at ``code`` (None when no programme is selected)."""
        # Only the view in front is filled now; the others when they are shown (each fill
        # runs its own queries, and most are never looked at for most programmes).
        self._stale = {}
        for view in self._programme_views():
            if view is self.tabs.currentWidget() or code is None:
                view.set_programme(code)
            else:
                self._stale[view] = code
        self.rag_badges.set_programme(code)
        if code is None:
            self._shown_code = None
            self.quarter_label.clear()

    def _clean_changed(self, clean: bool) -> None:
        self.setWindowModified(not clean)

    def _fill_stale(self, view: Any) -> None:
        code = self._stale.pop(view, None)
        if code is not None:
            from coprod_me.gui.observation_grid import ALL_STRANDS

            view.set_programme(code)
            if view is self.observation_tab:
                view.set_strand(self.selected_strand() or ALL_STRANDS)

    def view(self, widget: Any) -> Any:
        """A programme view, filled for the selected programme (for callers that use one
        without showing it first)."""
        self._fill_stale(widget)
        return widget

    def _programme_views(self) -> list[Any]:
        return [self.profile_tab, self.indicator_tab, self.observation_tab, self.records_tab,
                self.chart_tab, self.risks_tab]

    def _update_quarter_label(self, code: str) -> None:
        periods = self.services.observations.periods(code)
        open_ = [p.quarter for p in periods if p.status != "locked"]
        locked = [p.quarter for p in periods if p.status == "locked"]
        text = f"{code}: open quarter {open_[-1]}" if open_ else f"{code}: no open quarter"
        if locked:
            text += f" · locked up to {locked[-1]}"
        self.quarter_label.setText(text)

    def _details_html(self, code: str) -> str:
        p = self.services.programmes.get(code)
        label = self.services.programmes.tradition_label(code)
        gates = self.services.programmes.gates(code)
        e = html.escape
        parts = [f"<h2>{e(p.code)} — {e(p.name)}</h2>"]
        if p.is_sample:
            parts.append("<p style='background:#fff3cd;padding:4px'><b>Sample data.</b> "
                         f"{e(p.sample_note or '')}</p>")
        if p.description:
            parts.append(f"<p>{e(p.description)}</p>")
        parts.append(f"<p><b>Co-production:</b> {e(_words(label.effective))}<br>"
                     f"<i>{e(label.reasoning)}</i>")
        if label.override:
            parts.append(f"<br>Overridden by the evaluator: {e(label.override_reason or '')}")
        parts.append("</p><table cellspacing=4>")
        for name, value in (("O&amp;S level", p.os_level), ("ORS type", p.ors_type),
                            ("Interaction", p.interaction_mode),
                            ("Intended outcome", p.intended_outcome),
                            ("Moon type", p.moon_type),
                            ("Institutional status", p.institutional_status),
                            ("Clientelism context", p.clientelism_context)):
            parts.append(f"<tr><td><b>{name}</b></td><td>{e(_words(value))}</td></tr>")
        parts.append("</table>")
        phases = self.services.programmes.phases(code)
        if phases:
            cells = sorted({(ph.phase, ph.level) for ph in phases})
            parts.append("<p><b>Phases × levels:</b> " + ", ".join(
                e(f"{a.replace('_', '-')} ({b})") for a, b in cells) + "</p>")
        met = sum(g.met for g in gates)
        parts.append(f"<h3>Outcome gates: {met} of {len(gates)} met</h3><ul>")
        for g in gates:
            mark = "✔" if g.met else "✘"
            colour = "#2e7d32" if g.met else "#b3261e"
            parts.append(f"<li><span style='color:{colour}'>{mark}</span> <b>{e(g.title)}</b>"
                         f"<br><small>{e(g.explanation)}</small>")
            if g.details:
                parts.append("<ul>" + "".join(f"<li>{e(d)}</li>" for d in g.details) + "</ul>")
            parts.append("</li>")
        parts.append("</ul>")
        return "".join(parts)

    # ----------------------------------------------------------------------------- actions

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
        dialog.exported.connect(lambda result: self.statusBar().showMessage(
            f"Wrote {getattr(result, 'path', result)}", 10000))
        dialog.open()
        return dialog

    def run_risk_rules(self) -> None:
        if self.selected_code() is None:
            QMessageBox.information(self, "Risks", "Select a programme first.")
            return
        self.tabs.setCurrentWidget(self.risks_tab)
        self.risks_tab.run_rules()

    def show_risk_category(self, category: str) -> None:
        self.tabs.setCurrentWidget(self.risks_tab)
        self.risks_tab.show_category(category)

    def _check_risks(self, *_args: Any) -> None:
        code = self.selected_code()
        if code is not None:  # named: the Risks tab may not have been shown (filled) yet
            self.risk_checks.schedule([code])

    def _check_unchecked(self, code: str) -> None:
        """A programme shown whose rules never ran is checked quietly, once a session (a
        failing check must not retry for ever; F9 still runs it on demand)."""
        if code not in self._auto_checked:
            self._auto_checked.add(code)
            self.risk_checks.schedule([code])

    def _risks_changed(self, *_args: Any) -> None:
        self.rag_badges.refresh()

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

        return self.run_task(f"Exporting {code}", job, lambda p: self.statusBar().showMessage(
            f"Wrote {p}", 10000))

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

    def backup(self) -> None:
        src = self.services.path
        suggestion = (src.with_name(src.stem + "-backup.sqlite") if src else
                      Path.home() / "coprod-me-backup.sqlite")
        name, _ = QFileDialog.getSaveFileName(self, "Back up database", str(suggestion),
                                              "SQLite database (*.sqlite);;All files (*)")
        if name:
            try:
                out = self.services.database.backup(Path(name))
                self.statusBar().showMessage(f"Backed up to {out}", 10000)
            except Exception as exc:
                report_exception(exc, self)

    def open_format_doc(self) -> None:
        """The column-by-column reference, generated from the model, readable offline."""
        dialog = QDialog(self)
        dialog.setWindowTitle("Programme workbook format")
        browser = QTextBrowser(dialog)
        browser.setAccessibleName("Workbook format reference")
        browser.setMarkdown(self.services.workbooks.format_reference())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        lay = QVBoxLayout(dialog)
        lay.addWidget(browser)
        lay.addWidget(buttons)
        dialog.resize(900, 700)
        dialog.exec()

    def about(self) -> None:
        QMessageBox.about(self, "About coprod-me",
                          f"<h3>coprod-me {__version__}</h3><p>An offline monitoring-and-"
                          "evaluation workbench for public-service co-production: outcomes, "
                          "not outputs; explainable risk flags; quarterly reports.</p>"
                          f"<p>Database: {html.escape(str(self.services.path))}</p>")

    # ------------------------------------------------------------------------ drag & drop

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
