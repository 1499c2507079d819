"""The database file the main window works on: New, Open, the recent ones, a backup.

Switching the database cancels the risk checks running on the old one, hands the new
services to the checks and the views, and forgets the undo history, which belongs to the
old file. The files opened are remembered (QSettings ``databases/recent`` and
``databases/last``) for the Recent databases menu.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QFileDialog, QLabel, QMainWindow, QMenu, QMessageBox

from coprod_me.gui.errors import report_exception
from coprod_me.gui.programme_views import ProgrammeViews
from coprod_me.gui.risk_checks import RiskChecks
from coprod_me.services import Services

#: how many databases the Recent databases menu lists
RECENT_COUNT = 8


class DatabaseFiles(QObject):
    """Which database file is open (``services``), and the commands that change it.

    ``label`` says which, for the window's status bar; ``switched`` is emitted once another
    database is open and everything that reads it has its services.
    """

    switched = Signal()

    def __init__(self, services: Services, settings: QSettings, window: QMainWindow, *,
                 undo_stack: QUndoStack, risk_checks: RiskChecks, views: ProgrammeViews,
                 busy: Callable[[], bool]) -> None:
        super().__init__(window)
        self.services = services
        self.settings = settings
        self._window = window
        self._undo_stack = undo_stack
        self._risk_checks = risk_checks
        self._views = views
        self._busy = busy  # a task is running on the open database
        self.label = QLabel()
        self._opened()

    def _opened(self) -> None:
        self.label.setText(f"Database: {self.services.path}")
        self.remember(self.services.path)

    # ----------------------------------------------------------------- remembered paths

    def remember(self, path: Path | None) -> None:
        """``path`` first in the recent databases, and the one opened last."""
        if path is None:
            return
        recent = [p for p in self.recent() if p != str(path)]
        self.settings.setValue("databases/recent", [str(path), *recent][:RECENT_COUNT])
        self.settings.setValue("databases/last", str(path))

    def recent(self) -> list[str]:
        """The databases opened lately, the last one first."""
        value = self.settings.value("databases/recent") or []
        # QSettings hands back a one-item list as a plain string
        return [value] if isinstance(value, str) else list(value)

    def fill_recent_menu(self, menu: QMenu) -> None:
        menu.clear()
        for i, name in enumerate(self.recent(), start=1):
            a = menu.addAction(f"&{i} {name}")
            a.triggered.connect(lambda _=False, n=name: self.switch_database(Path(n)))
        if menu.isEmpty():
            menu.addAction("(none yet)").setEnabled(False)

    # ------------------------------------------------------------------------- commands

    def new_database(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self._window, "New database",
                                              str(Path.home() / "programmes.sqlite"),
                                              "SQLite database (*.sqlite)")
        if name:
            path = Path(name)
            if path.exists():
                QMessageBox.warning(self._window, "New database", f"{path} exists; choose a "
                                    "new name or open it with File > Open database.")
                return
            self.switch_database(path)

    def open_database(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self._window, "Open database", str(Path.home()),
                                              "SQLite database (*.sqlite *.db);;All files (*)")
        if name:
            self.switch_database(Path(name))

    def switch_database(self, path: Path) -> None:
        """Close this database and open another; undo history belongs to the old one."""
        if self._busy():
            QMessageBox.information(self._window, "Still working",
                                    "Wait for the running task first.")
            return
        try:
            services = Services.open(path)
        except Exception as exc:  # shown; the open database stays open
            report_exception(exc, self._window)
            return
        old = self.services
        self._undo_stack.clear()
        self.services = services
        self._risk_checks.cancel()  # a check of the old database saves nothing
        self._risk_checks.set_services(services)
        self._views.set_services(services)
        old.close()
        self._opened()
        self.switched.emit()

    def backup(self) -> None:
        src = self.services.path
        suggestion = (src.with_name(src.stem + "-backup.sqlite") if src else
                      Path.home() / "coprod-me-backup.sqlite")
        name, _ = QFileDialog.getSaveFileName(self._window, "Back up database", str(suggestion),
                                              "SQLite database (*.sqlite);;All files (*)")
        if name:
            try:
                out = self.services.database.backup(Path(name))
                self._window.statusBar().showMessage(f"Backed up to {out}", 10000)
            except Exception as exc:  # shown; nothing else depends on the copy
                report_exception(exc, self._window)
