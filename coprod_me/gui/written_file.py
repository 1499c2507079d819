"""Telling the user a file was written, with the two things they want next: open it, or
see it in its folder (to attach it to an e-mail, say)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget


def open_file(path: Path) -> bool:
    """Open ``path`` in the program the desktop uses for it."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def show_in_folder(path: Path) -> bool:
    """Open the folder holding ``path`` in the desktop's file manager."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).parent)))


def announce_written(parent: QWidget, path: Path, what: str, detail: str = "") -> QMessageBox:
    """Say where ``what`` ("The report") was written, in the status bar and in a box offering
    Open and Show in folder; the box is window-modal and returns at once (``open``)."""
    path = Path(path)
    window = parent.window()
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(f"Wrote {path}", 10000)
    box = QMessageBox(QMessageBox.Icon.Information, what, f"{what} was written to {path}.",
                      QMessageBox.StandardButton.Close, parent)
    if detail:
        box.setInformativeText(detail)
    open_button = box.addButton("&Open", QMessageBox.ButtonRole.AcceptRole)
    folder_button = box.addButton("Show in &folder", QMessageBox.ButtonRole.ActionRole)
    box.setDefaultButton(open_button)

    def clicked(button: object) -> None:
        if button is open_button:
            open_file(path)
        elif button is folder_button:
            show_in_folder(path)

    box.buttonClicked.connect(clicked)
    box.open()
    return box


def announce_report(parent: QWidget, result: object) -> QMessageBox:
    """``announce_written`` for a quarterly report (``ReportResult``), its pictures named."""
    from coprod_me.services.quarterly_reports import ReportResult

    assert isinstance(result, ReportResult)
    pngs = f"{len(result.pngs)} chart pictures were saved beside it." if result.pngs else ""
    return announce_written(parent, result.file, "The quarterly report", pngs)
