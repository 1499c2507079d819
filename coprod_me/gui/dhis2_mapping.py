"""The DHIS2 mapping dialog (Programme > DHIS2 mapping…): what the selected programme's data
set, indicators, strands and breakdowns are called in the DHIS2 instance it reports to.

Each row is one thing the export may need a name for; a required one without a target is
marked as still needed, and the dialog says how many remain. An edit goes through the
window's undo stack and the DHIS2 service, which audits it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
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
from coprod_me.model.errors import DomainError
from coprod_me.services.dhis2_exports import MappingNeed, unmapped

if TYPE_CHECKING:
    from coprod_me.services import Services

_Index = QModelIndex | QPersistentModelIndex
HEADERS = ("What", "In coprod-me", "DHIS2 code or UID", "Status")
TARGET_COLUMN = 2
#: the kind of each row as DHIS2 names it
KIND_WORDS = {"data_set": "Data set", "data_element": "Data element",
              "org_unit": "Organisation unit", "category_option_combo": "Category option combo",
              "attribute_option_combo": "Attribute option combo"}
_NEEDED = QColor("#b3261e")


def source_words(kind: str, source: str, name: str = "") -> str:
    """What a row names, as the user knows it: 'indicator RS-O1: Households with a toilet',
    'strand IN-BLK: India', 'the total'."""
    called = f": {name}" if name else ""
    if kind == "data_element":
        return f"indicator {source}{called}"
    if kind == "org_unit":
        return f"strand {source}{called}" if source else "the programme as a whole"
    if kind == "category_option_combo":
        return f"breakdown {source}" if source else "the total (no breakdown)"
    return "the whole value set"


class Dhis2MappingModel(TextColumnModel[MappingNeed]):
    """The mapping rows; the target column is editable through ``on_edit(row, text)``,
    which returns whether the edit was made."""

    headers = HEADERS
    edit_column = TARGET_COLUMN

    def current_text(self, row: MappingNeed) -> str:
        return row.target

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        r = self.row_of(index)
        if r is None:
            return None
        needed = r.required and not r.target
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return (KIND_WORDS.get(r.kind, r.kind), source_words(r.kind, r.source, r.name),
                    r.target, _status(r))[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and needed and index.column() == 3:
            return QBrush(_NEEDED)
        if role == Qt.ItemDataRole.FontRole and needed and index.column() == 3:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == TARGET_COLUMN:
            return "The code (or UID) DHIS2 knows it by; empty the cell to remove it"
        return None


def _status(r: MappingNeed) -> str:
    if r.target:
        return "mapped"
    return "still needed" if r.required else "optional"


class Dhis2MappingDialog(QDialog):
    """The selected programme's DHIS2 mapping, edited in place and undoable."""

    def __init__(self, services: Services, code: str, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.code, self.undo_stack = services, code, undo_stack
        self.setWindowTitle(f"DHIS2 mapping of {code}")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.model = Dhis2MappingModel(self._edit, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(
            "What the DHIS2 instance calls each thing this programme sends (its code, or "
            "its UID). 'coprod-me export dhis2' names every value by these."))
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(720, 520)
        self.reload()

    def reload(self) -> None:
        """Read the mapping again (after an edit, its undo or redo)."""
        self.model.set_rows(self.services.dhis2_exports.mapping(self.code))
        needed = unmapped(self.model.rows)
        self.summary.setText(
            "Everything the export needs has a DHIS2 name." if not needed else
            f"{len(needed)} still need a DHIS2 name: "
            + ", ".join(source_words(r.kind, r.source) for r in needed[:6])
            + (", …" if len(needed) > 6 else ""))

    def _edit(self, row: MappingNeed, target: str) -> bool:
        dhis2, code = self.services.dhis2_exports, self.code
        kind, source, old = row.kind, row.source, row.target
        what = source_words(kind, source)
        text = f"DHIS2 name of {what}: {target}" if target else f"remove DHIS2 name of {what}"
        try:
            apply_edit(self.undo_stack, text,
                       lambda: dhis2.set_target(code, kind, source, target, reason=text),
                       lambda: dhis2.set_target(code, kind, source, old,
                                                reason=f"undo: {text}"),
                       self.reload)
        except DomainError as exc:
            show_domain_error(self, exc, "Cannot change the DHIS2 mapping")
            return False
        return True


def edit_dhis2_mapping(window: Any) -> Dhis2MappingDialog | None:
    """Programme > DHIS2 mapping…: the dialog of the selected programme (a window method)."""
    code = window.selected_code()
    if code is None:
        QMessageBox.information(window, "DHIS2 mapping", "Select a programme first.")
        return None
    dialog = Dhis2MappingDialog(window.services, code, window.undo_stack, window)
    dialog.show()
    return dialog
