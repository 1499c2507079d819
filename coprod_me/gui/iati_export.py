"""File → Export IATI results: tick the programmes, choose the file, and the service writes
IATI 2.03 on the thread pool with progress and Cancel; a programme lacking its IATI profile
fields, or a file the IATI schema would refuse, is explained and nothing is written."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from coprod_me.gui.written_file import announce_written
from coprod_me.services import Services

if TYPE_CHECKING:
    from coprod_me.gui.workers import BackgroundTask
    from coprod_me.services.iati_exports import IatiExportResult

IATI_FILTER = "IATI XML files (*.xml)"


class ProgrammeChoice(QDialog):
    """The programmes to export, ``codes`` ticked: one ``iati-activity`` each."""

    def __init__(self, services: Services, codes: list[str], parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export IATI results")
        self.setAccessibleName("Export IATI results")
        self.programmes = QListWidget(self)
        self.programmes.setAccessibleName("Programmes to export")
        for code, name in services.reports.programme_codes():
            item = QListWidgetItem(f"{code} — {name}", self.programmes)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if code in codes
                               else Qt.CheckState.Unchecked)
        note = QLabel("One IATI activity per ticked programme. Its identifier, reporting "
                      "organisation, status, sector and language are set on the Profile tab.",
                      self)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.programmes)
        layout.addWidget(buttons)

    def codes(self) -> list[str]:
        items = (self.programmes.item(i) for i in range(self.programmes.count()))
        return [str(it.data(Qt.ItemDataRole.UserRole)) for it in items
                if it.checkState() == Qt.CheckState.Checked]


def export_iati(window: Any, codes: list[str] | None = None,
                output: Path | None = None) -> BackgroundTask | None:
    """Ask for the programmes (unless given) and the file (unless given), then write it on
    the window's thread pool and offer to show it. ``window`` is the main window."""
    services: Services = window.services
    if codes is None:
        selected = window.selected_code()
        choice = ProgrammeChoice(services, [selected] if selected else [], window)
        if choice.exec() != QDialog.DialogCode.Accepted:
            return None
        codes = choice.codes()
    if not codes:
        QMessageBox.information(window, "Export IATI results", "Tick at least one programme.")
        return None
    if output is None:
        output = _ask_file(window, window.settings, codes)
        if output is None:
            return None
    exports = services.iati_exports
    path = output

    def job(progress: Any, cancelled: Any) -> IatiExportResult:
        return exports.write(codes, path, progress=progress, cancelled=cancelled)

    return window.run_task("Exporting IATI results", job, lambda r: _done(window, r))


def _ask_file(parent: QWidget, settings: QSettings, codes: list[str]) -> Path | None:
    start = Path(str(settings.value("paths/last_workbook_dir", str(Path.home()))))
    stem = codes[0] if len(codes) == 1 else "portfolio"
    name, _ = QFileDialog.getSaveFileName(parent, "Export IATI results",
                                          str(start / f"{stem}-iati.xml"), IATI_FILTER)
    if not name:
        return None
    return Path(name) if name.lower().endswith(".xml") else Path(name + ".xml")


def _done(window: Any, result: object) -> QMessageBox:
    """Say what was written, with Open and Show in folder as after every export."""
    box = announce_written(window, Path(getattr(result, "file", "")), "The IATI file",
                           f"It is valid IATI 2.03, with {getattr(result, 'indicators', 0)} "
                           "indicators.")
    window.written = box
    return box
