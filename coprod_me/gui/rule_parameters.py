"""The rule parameters page of the Risks tab: every rule's parameters with value, provenance
tag and default. A programme may set its own value, or go back to the default; a reason is
mandatory and audited, and each change is one undoable step. Another value changes which
flags fire, so the tab has the rules checked again after each change (``changed``)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from coprod_me.gui.errors import show_domain_error
from coprod_me.gui.flag_dialogs import ActionDialog, intro, reason_edit
from coprod_me.gui.flag_words import TAG_LEGEND, TAG_WORDS, show_number, words
from coprod_me.gui.programme_view import ProgrammeView
from coprod_me.gui.rag_badges import CATEGORY_WORDS
from coprod_me.gui.table_models import Column, RowTableModel, filtered
from coprod_me.gui.undo_commands import apply_edit
from coprod_me.model.errors import DomainError
from coprod_me.services import Services
from coprod_me.services.fields import read_number

if TYPE_CHECKING:
    from coprod_me.services.rule_settings import RuleSettingsService

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class ParameterRow:
    rule_id: str
    category: str
    rule_title: str
    name: str
    label: str
    value: Any
    tag: str
    default: Any
    overridden: bool
    reason: str | None


PARAMETER_COLUMNS: list[Column[ParameterRow]] = [
    Column("Rule", lambda r: r.rule_id),
    Column("Category", lambda r: CATEGORY_WORDS.get(r.category, words(r.category))),
    Column("Title", lambda r: r.rule_title, max_width=260),
    Column("Parameter", lambda r: r.label, max_width=260),
    Column("Value", lambda r: show_number(r.value), align_right=True, max_width=160),
    Column("Source", lambda r: r.tag, TAG_LEGEND),
    Column("Default", lambda r: show_number(r.default), align_right=True, max_width=160),
    Column("This programme", lambda r: f"overridden: {r.reason}" if r.overridden else None,
           "A value set for this programme, with the reason given", max_width=320),
]


class ParameterTableModel(RowTableModel[ParameterRow]):
    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        r = self.rows[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 5:
            return TAG_WORDS.get(r.tag)
        if role == Qt.ItemDataRole.BackgroundRole and r.overridden and index.column() == 4:
            return QBrush(QColor("#fff3cd"))
        if role == Qt.ItemDataRole.ForegroundRole and r.overridden and index.column() == 4:
            return QBrush(QColor("#202124"))
        return super().data(index, role)


def parameter_rows(rules: Iterable[Any]) -> list[ParameterRow]:
    rows = []
    for rule in rules:
        for p in rule.params:
            rows.append(ParameterRow(
                rule.id, rule.category, rule.title, str(p["name"]),
                str(p.get("label") or p["name"]), p.get("value"), str(p.get("tag") or ""),
                p.get("default"), bool(p.get("overridden")), p.get("reason")))
    return rows


def parse_value(text: str, like: Any, name: str = "") -> Any:
    """The typed text as the parameter's kind of value (the default's type).

    Numbers are read as everywhere else in the app (decimal commas, grouped thousands). A
    percent sign means per hundred: a ``*_pct`` parameter is kept in percent (60 % is 60),
    any other share or ratio as a fraction (10 % is 0.1 for ``output_rise_rel``).
    """
    text = text.strip()
    if not text:
        raise DomainError("enter a value")
    if isinstance(like, bool):
        if text.lower() in ("yes", "true", "1"):
            return True
        if text.lower() in ("no", "false", "0"):
            return False
        raise DomainError(f"'{text}' is not yes or no")
    if isinstance(like, int | float):
        number = read_number(text)
        if text.endswith("%") and not name.endswith("_pct"):
            number /= 100
        if isinstance(like, int) and number.is_integer():
            return int(number)
        return number
    if isinstance(like, list) and not text.startswith("["):
        return [part.strip() for part in text.split(",") if part.strip()]
    if isinstance(like, list | dict):
        try:
            return json.loads(text)
        except ValueError:
            raise DomainError(f"'{text}' is not a list; separate the items with commas"
                              ) from None
    return text


class ParameterDialog(ActionDialog):
    """A programme's own value for a rule parameter (or back to the default), with a reason."""

    def __init__(self, row: ParameterRow, *, reset: bool, parent: QWidget | None = None
                 ) -> None:
        title = (f"Default for {row.rule_id} {row.name}" if reset else
                 f"Set {row.rule_id} {row.name} for this programme")
        super().__init__(title, "&Back to default" if reset else "&Set value", parent)
        self.row = row
        self.reset = reset
        self.form.addRow(intro(
            f"{row.rule_id} {row.rule_title} · {row.label} ({row.name}): default "
            f"{show_number(row.default)} ({TAG_WORDS.get(row.tag, row.tag)})."))
        self.value = QLineEdit(json.dumps(row.value) if isinstance(row.value, dict)
                               else show_number(row.value))
        self.value.setAccessibleName("Value")
        self.value.setVisible(not reset)
        if not reset:
            self.form.addRow("&Value:", self.value)
        self.reason = reason_edit("Reason", "Why does this programme need another value? "
                                  "(required; it is kept in the audit trail)")
        self.reason.textChanged.connect(self.update_ok)
        self.value.textChanged.connect(self.update_ok)
        self.form.addRow("Rea&son:", self.reason)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.setWordWrap(True)
        self.form.addRow(self.problem)
        self.finish()

    def complete(self) -> bool:
        return bool(self.reason.toPlainText().strip()
                    and (self.reset or self.value.text().strip()))

    def accept(self) -> None:
        if not self.reset:
            try:
                parse_value(self.value.text(), self.row.default, self.row.name)
            except DomainError as exc:
                self.problem.setText(str(exc))
                return
        super().accept()

    def values(self) -> tuple[Any, str]:
        if self.reset:
            return None, self.reason.toPlainText().strip()
        value = parse_value(self.value.text(), self.row.default, self.row.name)
        return value, self.reason.toPlainText().strip()


def _labelled(text: str, widget: QWidget, row: QHBoxLayout) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)
    row.addWidget(label)
    row.addWidget(widget)
    return label


class RuleParametersPanel(ProgrammeView):
    """Every rule's parameters with value, provenance tag and default; a programme may set its
    own value (a reason is mandatory and audited), one undoable step each.

    A programme view of its own: the Risks tab hands it the programme and the services."""

    def __init__(self, services: Services, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, undo_stack, parent)
        self.dialog: QDialog | None = None
        self.model = ParameterTableModel(PARAMETER_COLUMNS, self)
        self.proxy, self.filter_edit = filtered(
            self.model, self, "Filter rules and parameters (CL-2, HHI, CONV …)",
            "Filter rule parameters")
        self.view = self._build_view()
        self.set_value_button = QPushButton("Set v&alue…")
        self.set_value_button.setToolTip("Give this programme its own value, with a reason")
        self.set_value_button.clicked.connect(self.set_selected)
        self.default_button = QPushButton("Back to &default…")
        self.default_button.setToolTip("Drop this programme's value, with a reason")
        self.default_button.clicked.connect(self.clear_selected)
        for b in (self.set_value_button, self.default_button):
            b.setAutoDefault(False)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Parameter messages")
        self._lay_out()
        self._selection_changed()

    def _build_view(self) -> QTableView:
        view = QTableView()
        view.setModel(self.proxy)
        view.setAccessibleName("Rule parameters")
        view.setSortingEnabled(True)
        view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setTabKeyNavigation(False)
        view.setWordWrap(False)
        view.verticalHeader().hide()
        view.horizontalHeader().setStretchLastSection(True)
        view.selectionModel().currentRowChanged.connect(self._selection_changed)
        view.doubleClicked.connect(lambda *_a: self.set_selected())
        return view

    def _lay_out(self) -> None:
        pp = QVBoxLayout(self)
        pp.setContentsMargins(4, 4, 4, 4)
        bar = QHBoxLayout()
        _labelled("Fi&lter:", self.filter_edit, bar)
        pp.addLayout(bar)
        pp.addWidget(self.view, 1)
        legend = QLabel("Sources: " + " · ".join(TAG_WORDS.values()))
        legend.setWordWrap(True)
        pp.addWidget(legend)
        pbar = QHBoxLayout()
        pbar.addWidget(self.set_value_button)
        pbar.addWidget(self.default_button)
        pbar.addStretch(1)
        pp.addLayout(pbar)
        pp.addWidget(self.message)

    @property
    def rule_settings(self) -> RuleSettingsService:
        return self.services.rule_settings

    def _open_dialog(self, dialog: QDialog, on_accept: Callable[[], None]) -> None:
        self.dialog = dialog
        dialog.accepted.connect(on_accept)
        dialog.open()

    def _say(self, text: str) -> None:
        self.message.setText(text)

    def reload(self) -> None:
        current = self.selected()
        first = not self.model.rows
        self.model.set_rows([] if self.code is None else
                            parameter_rows(self.rule_settings.rules(self.code)))
        if first and self.model.rows:
            # the same rules for every programme: measure the columns once, not per switch
            self.view.resizeColumnsToContents()
            for i, col in enumerate(self.model.columns):
                if col.max_width and self.view.columnWidth(i) > col.max_width:
                    self.view.setColumnWidth(i, col.max_width)
        if current is not None:
            self.select(current.rule_id, current.name)
        self._selection_changed()

    def selected(self) -> ParameterRow | None:
        idx = self.view.currentIndex()
        if not idx.isValid():
            return None
        return self.model.row_at(self.proxy.mapToSource(idx).row())

    def select(self, rule_id: str, name: str) -> bool:
        for row, r in enumerate(self.model.rows):
            if (r.rule_id, r.name) == (rule_id, name):
                idx = self.proxy.mapFromSource(self.model.index(row, 0))
                if idx.isValid():
                    self.view.setCurrentIndex(idx)
                    self.view.selectRow(idx.row())
                    return True
        return False

    def _selection_changed(self, *_args: Any) -> None:
        r = self.selected()
        self.set_value_button.setEnabled(r is not None)
        self.default_button.setEnabled(r is not None and r.overridden)

    def set_selected(self) -> None:
        self._edit_parameter(reset=False)

    def clear_selected(self) -> None:
        self._edit_parameter(reset=True)

    def _edit_parameter(self, *, reset: bool) -> None:
        r = self.selected()
        if r is None or self.code is None or (reset and not r.overridden):
            return
        dialog = ParameterDialog(r, reset=reset, parent=self)
        risks, code = self.rule_settings, self.code

        def restore(reason: str) -> None:
            if r.overridden:
                risks.set_parameter(code, r.rule_id, r.name, r.value, reason=reason)
            else:
                risks.clear_parameter(code, r.rule_id, r.name, reason=reason)

        def save() -> None:
            value, reason = dialog.values()
            text = (f"{r.rule_id} {r.name} back to default for {code}" if reset else
                    f"set {r.rule_id} {r.name} to {show_number(value)} for {code}")

            def do() -> None:
                if reset:
                    risks.clear_parameter(code, r.rule_id, r.name, reason=reason)
                else:
                    risks.set_parameter(code, r.rule_id, r.name, value, reason=reason)

            try:
                apply_edit(self.undo_stack, text, do,
                           lambda: restore(f"undo: {text}"),
                           after=lambda: self._after_edit(r.rule_id, r.name))
            except DomainError as exc:
                show_domain_error(self, exc)
                return
            self._say(f"Done: {text}. The rules run again in a moment.")

        self._open_dialog(dialog, save)

    def _after_edit(self, rule_id: str, name: str) -> None:
        self.reload()
        self.select(rule_id, name)
        self.changed.emit()
