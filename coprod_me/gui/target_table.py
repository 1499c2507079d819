"""An indicator's targets: the table (quarter, strand, value, revisions), a row to set one, the
reason dialog a change needs, and the list of revisions (who, when, old → new, why).

The panel only says what the user asked for (``set_requested``, ``remove_requested``); the
wizard keeps the targets as a draft until Finish, the editor saves each through the undo stack.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from coprod_me.gui.table_models import Column, RowTableModel
from coprod_me.model.amounts import amount
from coprod_me.model.errors import DomainError
from coprod_me.model.quarter import Quarter
from coprod_me.model.values import show, unit_problem
from coprod_me.services.fields import read_number
from coprod_me.services.indicators import TargetLine, TargetRevisionInfo

WHOLE_PROGRAMME = "whole programme"
_ERROR_STYLE = "color: #b3261e;"


def target_columns(unit: str, strand_names: dict[str, str]) -> list[Column[TargetLine]]:
    def strand(r: TargetLine) -> str:
        if r.strand is None:
            return WHOLE_PROGRAMME
        name = strand_names.get(r.strand)
        return f"{r.strand}: {name}" if name else r.strand

    return [
        Column("Quarter", lambda r: r.period),
        Column("Strand", strand, "The strand or site the target is for, or the whole programme"),
        Column("Target", lambda r: amount(r.value, unit), align_right=True),
        Column("Revisions", lambda r: r.revisions or "",
               "How often the target was changed after it was set; listed below the table",
               align_right=True),
        Column("Rationale", lambda r: r.rationale or "", "Why this target (from the programme "
               "workbook)"),
    ]


COL_REVISIONS, COL_RATIONALE = 3, 4


class TargetTableModel(RowTableModel[TargetLine]):
    """The targets of one indicator, by quarter."""

    def __init__(self, unit: str, strand_names: dict[str, str], parent: Any = None) -> None:
        super().__init__(target_columns(unit, strand_names), parent)


def revisions_html(revisions: Sequence[TargetRevisionInfo], unit: str) -> str:
    """Each revision on a line: quarter (strand), old → new, who, when and why."""
    if not revisions:
        return "<i>No target has been revised.</i>"
    e = html.escape
    lines = []
    for r in revisions:
        where = r.period + (f" ({r.strand})" if r.strand else "")
        lines.append(f"<li><b>{e(where)}</b> revision {r.revision}: "
                     f"{e(amount(r.previous_value, unit))} → {e(amount(r.value, unit))}, "
                     f"by {e(r.revised_by)} on {r.revised_at:%Y-%m-%d %H:%M} UTC: "
                     f"<i>{e(r.reason)}</i></li>")
    return "<b>Revisions</b><ul style='margin-top:0'>" + "".join(lines) + "</ul>"


class ReasonDialog(QDialog):
    """Asks why a target changes (or goes); OK stays disabled until a reason is written."""

    def __init__(self, title: str, question: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.question = label = QLabel(question)
        label.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason")
        self.reason.setPlaceholderText("e.g. the 2024 census changed the population served")
        label.setBuddy(self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._update)
        lay = QVBoxLayout(self)
        lay.addWidget(label)
        lay.addWidget(self.reason)
        lay.addWidget(self.buttons)
        self._update()
        self.resize(520, 150)

    def _update(self, *_a: Any) -> None:
        self.ok_button.setEnabled(bool(self.reason.text().strip()))

    def text(self) -> str:
        return self.reason.text().strip()


class TargetPanel(QWidget):
    """Quarter, strand and value with 'Set target'; the targets table with 'Remove'; the
    revisions below."""

    set_requested = Signal(str, object, float)  # quarter, strand code (None: programme), value
    remove_requested = Signal(object)  # the TargetLine

    def __init__(self, unit: str, strands: Sequence[tuple[str, str]],
                 quarter_problem: Callable[[str], str | None] = lambda _q: None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.unit = unit
        self.quarter_problem = quarter_problem
        self.model = TargetTableModel(unit, dict(strands), self)
        self._build_entry(strands)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Targets")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(110)
        self.table.setMaximumHeight(180)
        self.table.selectionModel().currentRowChanged.connect(self._row_chosen)
        self.remove_button = QPushButton("Re&move target…")
        self.remove_button.clicked.connect(self._remove)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(_ERROR_STYLE)
        self.revisions = QLabel()
        self.revisions.setWordWrap(True)
        self.revisions.setTextFormat(Qt.TextFormat.RichText)
        self.revisions.setAccessibleName("Target revisions")
        self.revisions.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(self.entry_row)
        lay.addWidget(self.error)
        lay.addWidget(self.table)
        row = QHBoxLayout()
        row.addWidget(self.remove_button)
        row.addStretch(1)
        lay.addLayout(row)
        lay.addWidget(self.revisions)
        self.revisions.hide()
        self.error.hide()
        self._row_chosen()

    def _build_entry(self, strands: Sequence[tuple[str, str]]) -> None:
        self.quarter_edit = QLineEdit()
        self.quarter_edit.setAccessibleName("Target quarter")
        self.quarter_edit.setPlaceholderText("e.g. 2025Q4")
        self.strand_combo = QComboBox()
        self.strand_combo.setAccessibleName("Target strand")
        self.strand_combo.addItem(WHOLE_PROGRAMME, None)
        for code, name in strands:
            self.strand_combo.addItem(f"{code}: {name}", code)
        self.value_edit = QLineEdit()
        self.value_edit.setAccessibleName("Target value")
        self.value_edit.setPlaceholderText("value")
        self.value_edit.returnPressed.connect(self._set)
        self.set_button = QPushButton("Set &target")
        self.set_button.setAutoDefault(False)
        self.set_button.clicked.connect(self._set)
        self.entry_row = QHBoxLayout()
        # mnemonics the indicator editor's form leaves free
        for text, w in (("Quarte&r:", self.quarter_edit), ("Str&and:", self.strand_combo),
                        ("Valu&e:", self.value_edit)):
            label = QLabel(text)
            label.setBuddy(w)
            self.entry_row.addWidget(label)
            self.entry_row.addWidget(w, 1)
        self.entry_row.addWidget(self.set_button)

    # ------------------------------------------------------------------------------ state

    def set_lines(self, lines: Sequence[TargetLine]) -> None:
        self.model.set_rows(lines)
        self._row_chosen()

    def set_revisions(self, revisions: Sequence[TargetRevisionInfo]) -> None:
        self.revisions.setText(revisions_html(revisions, self.unit))
        self.revisions.show()

    def line_at(self, period: str, strand: str | None) -> TargetLine | None:
        return next((r for r in self.model.rows if (r.period, r.strand) == (period, strand)),
                    None)

    def selected(self) -> TargetLine | None:
        idx = self.table.currentIndex()
        return self.model.row_at(idx.row()) if idx.isValid() else None

    def _row_chosen(self, *_a: Any) -> None:
        r = self.selected()
        # a revised target stays: its revisions are the history the report lists
        self.remove_button.setEnabled(r is not None and not r.revisions)
        self.remove_button.setToolTip(
            "A revised target cannot be removed: its revisions are kept for the report; "
            "change its value instead" if r is not None and r.revisions else "")
        if r is not None:  # to change a target, choose it and type the new value
            self.quarter_edit.setText(r.period)
            self.strand_combo.setCurrentIndex(max(self.strand_combo.findData(r.strand), 0))
            self.value_edit.setText(show(r.value))

    # ---------------------------------------------------------------------------- actions

    def entry(self) -> tuple[str, str | None, float]:
        """What the entry row says; DomainError says what is wrong."""
        text = self.quarter_edit.text().strip()
        if not text:
            raise DomainError("enter the quarter of the target, e.g. 2025Q4")
        quarter = str(Quarter.parse(text))
        wrong = self.quarter_problem(quarter)
        if wrong:
            raise DomainError(wrong)
        value = read_number(self.value_edit.text())
        problem = unit_problem(self.unit, value)
        if problem:
            raise DomainError(f"the target {self.value_edit.text().strip()} {problem}")
        return quarter, self.strand_combo.currentData(), value

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def _set(self) -> None:
        try:
            quarter, strand, value = self.entry()
        except DomainError as exc:
            self.show_error(str(exc))
            return
        self.show_error("")
        self.set_requested.emit(quarter, strand, value)

    def _remove(self) -> None:
        r = self.selected()
        if r is not None:
            self.remove_requested.emit(r)
