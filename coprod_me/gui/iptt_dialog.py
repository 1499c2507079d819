"""The IPTT dialog (Programme > IPTT and narratives…): the selected programme's Indicator
Performance Tracking Table, where the deviation narratives are written.

One row per indicator and quarter at the programme level, as the report's IPTT sheet shows
it; a row whose variance passes ±10 % without a narrative is marked "narrative needed". The
narrative cell is edited in place (F2, or typing); each edit goes through the window's undo
stack and the narrative service, which audits it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from coprod_me.gui.errors import show_domain_error
from coprod_me.gui.table_models import TextColumnModel
from coprod_me.gui.undo_commands import apply_edit
from coprod_me.model.amounts import amount
from coprod_me.model.errors import DomainError
from coprod_me.services.narratives import NARRATIVE_NEEDED, IpttRow

if TYPE_CHECKING:
    from coprod_me.services import Services

_Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Indicator", "Quarter", "Baseline", "Target", "Actual", "Cumulative",
           "% of LoP target", "Variance", "Status", "Narrative")
STATUS_COLUMN = 8
NARRATIVE_COLUMN = 9
_NEEDED = QColor("#b3261e")
_NEEDED_ROW = QColor("#fdecea")


def _percent(value: float | None, signed: bool = False) -> str:
    if value is None:
        return ""
    text = amount(value, "percent")
    return ("+" + text) if signed and value > 0 else text


def cell_text(r: IpttRow, column: int) -> str:
    """What a cell of the table says: figures rounded by unit, empty where there is none."""
    u = r.indicator.unit

    def fig(v: float | None) -> str:
        return "" if v is None else amount(v, u)
    return (f"{r.indicator.code}: {r.indicator.name}", r.quarter, fig(r.baseline),
            fig(r.target), fig(r.actual), fig(r.cumulative), _percent(r.percent_of_lop),
            _percent(r.variance, signed=True), r.status, r.narrative or "")[column]


class IpttModel(TextColumnModel[IpttRow]):
    """The IPTT rows; the narrative column is editable through ``on_edit(row, text)``, which
    returns whether the edit was made."""

    headers = HEADERS
    edit_column = NARRATIVE_COLUMN

    def current_text(self, row: IpttRow) -> str:
        return row.programme_narrative or ""

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        r = self.row_of(index)
        if r is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(r, col)
        if role == Qt.ItemDataRole.EditRole:
            # the programme's own narrative: the strands' are written in the workbook
            return (r.programme_narrative or "") if col == NARRATIVE_COLUMN \
                else cell_text(r, col)
        if role == Qt.ItemDataRole.BackgroundRole and r.needs_narrative:
            return QBrush(_NEEDED_ROW)
        if role == Qt.ItemDataRole.ForegroundRole and r.needs_narrative \
                and col == STATUS_COLUMN:
            return QBrush(_NEEDED)
        if role == Qt.ItemDataRole.FontRole and r.needs_narrative and col == STATUS_COLUMN:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and 2 <= col <= 7:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tip(r, col)
        return None


def _tip(r: IpttRow, column: int) -> str | None:
    if column == NARRATIVE_COLUMN:
        return ("Why the actual differs from the target this quarter; empty the cell to "
                "remove it")
    if column == 4:
        return f"{'Gain this quarter; ' if r.indicator.is_cumulative else ''}{r.basis}"
    if column == 6 and r.lop_period:
        return f"Of the life-of-programme target {amount(r.lop_target, r.indicator.unit)} " \
               f"({r.lop_period})"
    if column == 7:
        return ("Against this quarter's own target, positive = better than the target"
                if r.target is not None else "No target set for this quarter")
    return None


class IpttDialog(QDialog):
    """The selected programme's IPTT; narratives edited in place and undoable."""

    def __init__(self, services: Services, code: str, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.code, self.undo_stack = services, code, undo_stack
        self.setWindowTitle(f"IPTT of {code}")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.only_needed = QCheckBox("&Only rows that need a narrative")
        self.only_needed.toggled.connect(lambda _on: self.reload())
        self.model = IpttModel(self._edit, self)
        self.table = self._make_table()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Indicator performance tracking table at the programme level. A variance over "
            "±10 % against the quarter's own target needs a deviation narrative: select the "
            "Narrative cell and press F2 (or start typing), Enter to save. The report's IPTT "
            "sheet prints the same table.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self.summary)
        layout.addWidget(self.only_needed)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(1100, 600)
        self.reload()

    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setAccessibleName("Indicator performance tracking table")
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                              | QAbstractItemView.EditTrigger.EditKeyPressed
                              | QAbstractItemView.EditTrigger.AnyKeyPressed)
        table.setWordWrap(True)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        table.setColumnWidth(0, 260)
        header.setStretchLastSection(True)
        return table

    def reload(self) -> None:
        """Read the IPTT again (after an edit, its undo or redo)."""
        rows = self.services.narratives.iptt(self.code)
        needed = [r for r in rows if r.needs_narrative]
        self.model.set_rows(needed if self.only_needed.isChecked() else rows)
        self.summary.setText(
            "The programme has no reporting quarter yet." if not rows else
            f"Every variance over 10 % has a narrative (to {rows[-1].quarter})." if not needed
            else f"{len(needed)} row(s) marked '{NARRATIVE_NEEDED}': "
                 + ", ".join(f"{r.indicator.code} {r.quarter}" for r in needed[:6])
                 + (", …" if len(needed) > 6 else ""))

    def _edit(self, row: IpttRow, text: str) -> bool:
        narratives, code = self.services.narratives, self.code
        ind, q, old = row.indicator.code, row.quarter, row.programme_narrative or ""
        what = f"{ind} {q}"
        label = f"narrative of {what}" if text else f"remove narrative of {what}"
        try:
            apply_edit(self.undo_stack, label,
                       lambda: narratives.set(code, ind, q, text, reason=label),
                       lambda: narratives.set(code, ind, q, old, reason=f"undo: {label}"),
                       self.reload)
        except DomainError as exc:
            show_domain_error(self, exc, "Cannot change the narrative")
            return False
        return True


def open_iptt(window: Any) -> IpttDialog | None:
    """Programme > IPTT and narratives…: the dialog of the selected programme."""
    code = window.selected_code()
    if code is None:
        QMessageBox.information(window, "IPTT", "Select a programme first.")
        return None
    dialog = IpttDialog(window.services, code, window.undo_stack, window)
    dialog.show()
    return dialog
