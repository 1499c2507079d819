"""The database file the main window works on: New, Open, the recent ones, a backup.

Switching the database cancels the risk checks running on the old one, hands the new
services to the checks and the views, and forgets the undo history, which belongs to the
old file. The files opened are remembered (QSettings ``databases/recent`` and
``databases/last``) for the Recent databases menu.

A file that cannot be used (missing, not a database, damaged, read-only) is refused with
its one-line reason and the open database stays open. While another program is writing to
the file, ``open_services`` waits with a progress dialog that names that program and has
Cancel, for ``LOCK_WAIT_SECONDS`` at most.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QProgressDialog,
    QWidget,
)

from coprod_me.gui.errors import report_exception, show_domain_error
from coprod_me.gui.programme_views import ProgrammeViews
from coprod_me.gui.risk_checks import RiskChecks
from coprod_me.model.errors import DomainError
from coprod_me.services import DatabaseLocked, Services

#: how many databases the Recent databases menu lists
RECENT_COUNT = 8
#: how long opening a database waits for another program's write to end (Cancel stops it)
LOCK_WAIT_SECONDS = 120.0
#: how often the wait looks at the lock again
LOCK_LOOK_MS = 250
OPEN_TITLE = "Cannot open the database"


def open_services(path: Path, parent: QWidget | None, *, create: bool,
                  make_folder: bool = False) -> Services | None:
    """The services on the database at ``path``, None if the user stopped waiting for it.

    A file that cannot be used raises its ``DomainError`` (one line, for a message box).
    """
    def attempt() -> Services:
        return Services.open(path, create=create, make_folder=make_folder, wait=0)

    try:
        return attempt()
    except DatabaseLocked as exc:
        return LockWait(parent, exc, attempt).run()


class LockWait(QObject):
    """A progress dialog with Cancel while another program writes to the database: it says
    who, and looks at the lock again every ``LOCK_LOOK_MS`` until the file opens, something
    else is wrong with it, the time is up (``DatabaseLocked``, naming the writer again) or
    the user cancels (``run`` returns None)."""

    def __init__(self, parent: QWidget | None, first: DatabaseLocked,
                 attempt: Callable[[], Services]) -> None:
        super().__init__(parent)
        self._attempt = attempt
        self._started = time.monotonic()
        self._looking = False
        self.result: Services | None = None
        self.failure: DomainError | None = None
        self.dialog = QProgressDialog(self.label(first), "Cancel", 0, int(LOCK_WAIT_SECONDS),
                                      parent)
        self.dialog.setWindowTitle("Database in use")
        bar = QProgressBar()
        bar.setFormat("%v of %m s")
        self.dialog.setBar(bar)
        self.dialog.setRange(0, int(LOCK_WAIT_SECONDS))
        self.dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.dialog.setMinimumDuration(0)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.loop = QEventLoop(self)
        self.dialog.canceled.connect(self.loop.quit)
        self.timer = QTimer(self)
        self.timer.setInterval(LOCK_LOOK_MS)
        self.timer.timeout.connect(self._look)

    @staticmethod
    def label(exc: DatabaseLocked) -> str:
        return (f"{exc.path.name} is in use: {exc.who}.\n\n"
                f"Waiting for it to finish (up to {LOCK_WAIT_SECONDS:.0f} s)…")

    def run(self) -> Services | None:
        self.dialog.show()
        self.timer.start()
        self.loop.exec()
        self.timer.stop()
        self.dialog.hide()
        self.dialog.deleteLater()
        if self.failure is not None:
            raise self.failure
        return self.result

    def _look(self) -> None:
        if self._looking:  # setValue turns the event loop of a modal dialog
            return
        self._looking = True
        try:
            self._look_once()
        finally:
            self._looking = False

    def _look_once(self) -> None:
        if self.dialog.wasCanceled():  # closed with Escape, or cancelled by a program
            self.loop.quit()
            return
        waited = time.monotonic() - self._started
        try:
            self.result = self._attempt()
        except DatabaseLocked as exc:
            if waited < LOCK_WAIT_SECONDS:
                self.dialog.setLabelText(self.label(exc))
                self.dialog.setValue(min(int(waited), self.dialog.maximum()))
                return
            self.failure = DatabaseLocked(exc.path, exc.holders, waited)
        except DomainError as exc:
            self.failure = exc
        self.loop.quit()


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
            a.triggered.connect(
                lambda _=False, n=name: self.switch_database(Path(n), create=False))
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
            self.switch_database(Path(name), create=False)

    def switch_database(self, path: Path, *, create: bool = True) -> None:
        """Close this database and open another (a new one at ``path`` if ``create``);
        undo history belongs to the old one."""
        if self._busy():
            QMessageBox.information(self._window, "Still working",
                                    "Wait for the running task first.")
            return
        try:
            services = open_services(path, self._window, create=create)
        except DomainError as exc:  # shown; the open database stays open
            show_domain_error(self._window, exc, OPEN_TITLE)
            return
        except Exception as exc:  # a bug: shown with its details; the open one stays open
            report_exception(exc, self._window)
            return
        if services is None:
            self._window.statusBar().showMessage(
                f"Stopped waiting for {path}; {self.services.path} stays open", 10000)
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
