"""The one place errors reach the user: domain errors as a warning, bugs as a dialog."""

from __future__ import annotations

import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coprod_me.model.errors import DomainError


def show_domain_error(parent: QWidget | None, exc: DomainError, title: str = "Cannot do that"
                      ) -> None:
    text = str(exc)
    box = QMessageBox(QMessageBox.Icon.Warning, title, text.split("\n", 1)[0], parent=parent)
    if "\n" in text:
        box.setDetailedText(text)  # long problem lists stay readable and copyable
    box.exec()


class ExceptionDialog(QDialog):
    """An unexpected error: what happened, the details, and a button to copy them."""

    def __init__(self, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Unexpected error")
        self.details = details
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(
            "Something went wrong that coprod-me did not expect. Your data is safe: the "
            "change in progress was not saved.\nPlease copy the details into a bug report."))
        self.text = QPlainTextEdit(details)
        self.text.setReadOnly(True)
        self.text.setAccessibleName("Error details")
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("&Copy details")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 420)

    def copy(self) -> None:
        QApplication.clipboard().setText(self.details)


def report_exception(exc: BaseException, parent: QWidget | None = None) -> None:
    if isinstance(exc, DomainError):
        show_domain_error(parent, exc)
        return
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    print(details, file=sys.stderr)
    ExceptionDialog(details, parent).exec()


def install_excepthook() -> None:
    """Exceptions raised in slots reach the user instead of vanishing into stderr."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        exc.__traceback__ = tb
        report_exception(exc, QApplication.activeWindow())

    sys.excepthook = hook
