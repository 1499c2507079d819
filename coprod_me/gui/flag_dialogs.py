"""The dialogs of the flag actions (mitigate, close, set the severity): each checks its own
input and enables OK only when it is complete; a closure and a severity need a reason, which
the service audits. ``ActionDialog`` is their common frame (the rule parameter dialog uses it
too)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)

from coprod_me.model.enums import Severity

if TYPE_CHECKING:
    from coprod_me.services.flag_register import FlagView


def intro(text: str) -> QLabel:
    """The dialog's first line: what it is about, as plain text."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)  # a why may hold '<' or '&'
    label.setWordWrap(True)
    return label


def reason_edit(name: str, placeholder: str) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)  # Tab leaves the box for the buttons
    edit.setFixedHeight(80)
    return edit


class ActionDialog(QDialog):
    """A form with OK (named for what it does) and Cancel; OK is enabled while ``complete``.

    A subclass adds its rows to ``form``, connects its inputs to ``update_ok`` and calls
    ``finish``.
    """

    def __init__(self, title: str, ok_text: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.form = QFormLayout(self)

    def finish(self) -> None:
        self.form.addRow(self.buttons)
        self.resize(560, self.sizeHint().height())
        self.update_ok()

    def update_ok(self, *_args: Any) -> None:
        self.ok_button.setEnabled(self.complete())

    def complete(self) -> bool:
        return True


class MitigateDialog(ActionDialog):
    """What will be done about the flag, by whom and by when."""

    def __init__(self, f: FlagView, parent: QWidget | None = None) -> None:
        super().__init__(f"Mitigate {f.rule_id}", "&Save", parent)
        self.mitigation = reason_edit("Mitigation", "What will be done about it")
        self.mitigation.setPlainText(f.mitigation or "")
        self.owner = QLineEdit(f.owner or "")
        self.owner.setAccessibleName("Owner")
        self.owner.setPlaceholderText("Who is responsible")
        self.has_due = QCheckBox("Due &by")
        self.has_due.setAccessibleName("Has a due date")
        self.due = QDateEdit()
        self.due.setAccessibleName("Due date")
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        start = f.due_date or date.today()
        self.due.setDate(QDate(start.year, start.month, start.day))
        self.has_due.setChecked(f.due_date is not None)
        self.due.setEnabled(f.due_date is not None)
        self.has_due.toggled.connect(self.due.setEnabled)
        due_row = QHBoxLayout()
        due_row.addWidget(self.has_due)
        due_row.addWidget(self.due, 1)
        self.form.addRow(intro(f"{f.rule_id} {f.rule_title}: {f.why}"))
        self.form.addRow("&Mitigation:", self.mitigation)
        self.form.addRow("&Owner:", self.owner)
        self.form.addRow("", due_row)
        self.mitigation.textChanged.connect(self.update_ok)
        self.owner.textChanged.connect(self.update_ok)
        self.finish()

    def complete(self) -> bool:
        return bool(self.mitigation.toPlainText().strip() and self.owner.text().strip())

    def values(self) -> tuple[str, str, date | None]:
        d = self.due.date()
        due = date(d.year(), d.month(), d.day()) if self.has_due.isChecked() else None
        return self.mitigation.toPlainText().strip(), self.owner.text().strip(), due


class CloseDialog(ActionDialog):
    """Resolved or a false positive, and why: the reason is mandatory and audited."""

    def __init__(self, f: FlagView, parent: QWidget | None = None) -> None:
        super().__init__(f"Close {f.rule_id}", "C&lose flag", parent)
        self.resolved = QRadioButton("&Resolved: the risk was dealt with")
        self.false_positive = QRadioButton("&False positive: the rule misread this programme")
        self.resolved.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.resolved)
        group.addButton(self.false_positive)
        self.reason = reason_edit("Reason for closing", "Why is this flag closed? "
                                  "(required; it is kept in the audit trail)")
        self.reason.textChanged.connect(self.update_ok)
        self.form.addRow(intro(f"{f.rule_id} {f.rule_title}: {f.why}"))
        self.form.addRow(self.resolved)
        self.form.addRow(self.false_positive)
        self.form.addRow("Rea&son:", self.reason)
        self.form.addRow(QLabel("A closed flag opens again if its triggering number moves "
                                "by 20 % or more."))
        self.finish()

    def complete(self) -> bool:
        return bool(self.reason.toPlainText().strip())

    def values(self) -> tuple[bool, str]:
        return self.false_positive.isChecked(), self.reason.toPlainText().strip()


class OverrideDialog(ActionDialog):
    """Another severity than the rule computed, or back to the computed one, with a reason."""

    def __init__(self, f: FlagView, parent: QWidget | None = None) -> None:
        super().__init__(f"Severity of {f.rule_id}", "&Set severity", parent)
        self.severity = QComboBox()
        self.severity.setAccessibleName("Severity")
        self.severity.addItem(f"as computed by the rule ({f.computed_severity})", None)
        for s in Severity:
            self.severity.addItem(s.value, s.value)
        self.severity.setCurrentIndex(max(self.severity.findData(f.override_severity), 0))
        self.reason = reason_edit("Reason for the severity", "Why this severity? "
                                  "(required; it is kept in the audit trail)")
        self.reason.textChanged.connect(self.update_ok)
        self.form.addRow(intro(f"{f.rule_id} {f.rule_title}: the rule computed "
                               f"{f.computed_severity}."))
        self.form.addRow("Se&verity:", self.severity)
        self.form.addRow("Rea&son:", self.reason)
        self.finish()

    def complete(self) -> bool:
        return bool(self.reason.toPlainText().strip())

    def values(self) -> tuple[str | None, str]:
        return self.severity.currentData(), self.reason.toPlainText().strip()
