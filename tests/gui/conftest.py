from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from coprod_me.gui.main_window import MainWindow
from coprod_me.services import Services


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, services: Services, settings: QSettings) -> MainWindow:
    w = MainWindow(services, settings)
    qtbot.addWidget(w)
    w.show()
    return w
