"""Starting the desktop app.

The window opens on the database given (``coprod-me --db PATH``) or the default one. When
that file cannot be used, the app says why in one line and offers to open another
database, create a new one, or quit; it never ends in a traceback, and it never opens a
different file than the one named without the user choosing it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from coprod_me.gui.database_files import OPEN_TITLE, open_services
from coprod_me.gui.errors import install_excepthook
from coprod_me.gui.main_window import MainWindow
from coprod_me.model.errors import DomainError
from coprod_me.paths import default_database_path, is_app_folder, resource
from coprod_me.services import Services

DATABASE_FILTER = "SQLite database (*.sqlite *.db);;All files (*)"


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv)
    app.setOrganizationName("coprod-me")
    app.setApplicationName("coprod-me")
    icon = resource("icons", "coprod-me.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def window_on(services: Services) -> MainWindow:
    """The main window on ``services``, samples loaded if the database is empty.

    The window comes back with its navigator filled and is quick to show; the gates and the
    overview, read on a thread, follow (``MainWindow.started``: usable), and each view is
    built when first shown.
    """
    window = MainWindow(services, QSettings(), deferred=True)
    if not window.model.rows:
        # First start: the sample programmes, loaded off the GUI thread once the window shows.
        QTimer.singleShot(0, window.load_samples)
    return window


def open_window(db_path: Path | str | None) -> MainWindow:
    """The main window on ``db_path`` (or the default database); raises the ``DomainError``
    of a file that cannot be used. A missing folder is made only for the default database."""
    path = Path(db_path).expanduser() if db_path else default_database_path()
    return window_on(Services.open(path, make_folder=is_app_folder(path)))


def start_window(path: Path, *, make_folder: bool = False) -> MainWindow | None:
    """The window the app starts with: on ``path`` or, when that cannot be used, on the
    database the user opens or creates instead; None if they quit."""
    create = True
    while True:
        try:
            services = open_services(path, None, create=create, make_folder=make_folder)
            if services is not None:
                try:
                    return window_on(services)
                except DomainError:  # the file fails on its first read (a damaged page)
                    services.close()
                    raise
            problem = f"Stopped waiting for {path}."
        except DomainError as exc:
            problem = str(exc)
        choice = choose_another(problem)
        if choice is None:
            return None
        path, create = choice
        make_folder = False


def choose_another(problem: str) -> tuple[Path, bool] | None:
    """Say what is wrong with the database and ask for another: (path, create it) or None
    to quit."""
    while True:
        box = QMessageBox(QMessageBox.Icon.Warning, OPEN_TITLE, problem.split("\n", 1)[0])
        box.setInformativeText("Open another database, create a new one, or quit.")
        open_button = box.addButton("&Open another…", QMessageBox.ButtonRole.AcceptRole)
        new_button = box.addButton("&New database…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("&Quit", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        clicked = box.clickedButton()
        if clicked is open_button:
            name, _ = QFileDialog.getOpenFileName(None, "Open database", str(Path.home()),
                                                  DATABASE_FILTER)
            if name:
                return Path(name), False
        elif clicked is new_button:
            name, _ = QFileDialog.getSaveFileName(None, "New database",
                                                  str(Path.home() / "programmes.sqlite"),
                                                  "SQLite database (*.sqlite)")
            if name:
                return Path(name), True
        else:
            return None


def run_gui(db_path: Path | None = None, *, create_folder: bool = False) -> int:
    app = make_application()
    install_excepthook()
    path = Path(db_path).expanduser() if db_path else default_database_path()
    window = start_window(path, make_folder=create_folder or is_app_folder(path))
    if window is None:
        return 1
    window.show()
    code = app.exec()
    window.services.close()
    return code
