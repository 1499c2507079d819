"""Starting the desktop app."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from coprod_me.gui.errors import install_excepthook, report_exception
from coprod_me.gui.main_window import MainWindow
from coprod_me.model.errors import DomainError
from coprod_me.paths import default_database_path, resource
from coprod_me.services import Services


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


def open_window(db_path: Path | None) -> MainWindow:
    """The main window on ``db_path`` (or the default database), samples loaded if empty.

    The window comes back with its navigator filled and is quick to show; its views and the
    overview are filled on the first turns of the event loop (``MainWindow.started``).
    """
    path = Path(db_path) if db_path else default_database_path()
    services = Services.open(path)
    window = MainWindow(services, QSettings(), deferred=True)
    if not window.model.rows:
        # First start: the sample programmes, loaded off the GUI thread once the window shows.
        QTimer.singleShot(0, window.load_samples)
    return window


def run_gui(db_path: Path | None = None) -> int:
    app = make_application()
    install_excepthook()
    try:
        window = open_window(db_path)
    except DomainError as exc:
        report_exception(exc)
        return 1
    window.show()
    code = app.exec()
    window.services.close()
    return code
