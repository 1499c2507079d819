"""The Help menu's windows: the programme workbook's format reference, and About."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from coprod_me import __version__


def show_format_reference(parent: QWidget, markdown: str) -> None:
    """The column-by-column reference (``markdown``, generated from the model), readable
    offline."""
    dialog = QDialog(parent)
    dialog.setWindowTitle("Programme workbook format")
    browser = QTextBrowser(dialog)
    browser.setAccessibleName("Workbook format reference")
    browser.setMarkdown(markdown)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    lay = QVBoxLayout(dialog)
    lay.addWidget(browser)
    lay.addWidget(buttons)
    dialog.resize(900, 700)
    dialog.exec()


def show_about(parent: QWidget, database: Path | None) -> None:
    """What coprod-me is, its version, and the database open."""
    QMessageBox.about(parent, "About coprod-me",
                      f"<h3>coprod-me {__version__}</h3><p>An offline monitoring-and-"
                      "evaluation workbench for public-service co-production: outcomes, "
                      "not outputs; explainable risk flags; quarterly reports.</p>"
                      f"<p>Database: {html.escape(str(database))}</p>")
