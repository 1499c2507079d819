"""Table models hold rows handed to them by services; they never query."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from coprod_me.services.programme_index import ProgrammeSummary

Row = TypeVar("Row")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[Row]):
    title: str
    value: Callable[[Row], Any]
    tooltip: str = ""
    align_right: bool = False
    colour: Callable[[Row], str | None] | None = None
    max_width: int | None = None  # pixels; longer text is elided


class RowsModel(QAbstractTableModel, Generic[Row]):
    """A table of rows of one kind, replaced whole by ``set_rows``; a subclass says how many
    columns there are (``column_total``) and what each cell shows (``data``)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[Row] = []

    def column_total(self) -> int:
        raise NotImplementedError

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Row:
        return self.rows[row]

    def row_of(self, index: _Index) -> Row | None:
        """The row behind a valid index inside the table; None for any other."""
        if not index.isValid() or not 0 <= index.row() < len(self.rows) \
                or not 0 <= index.column() < self.column_total():
            return None
        return self.rows[index.row()]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.column_total()


class TextColumnModel(RowsModel[Row]):
    """Rows under fixed ``headers``, numbered down the side, with one column of text edited
    in place through ``on_edit(row, text)`` (which returns whether the edit was made, and
    goes through the window's undo stack); a subclass gives ``current_text(row)``."""

    headers: Sequence[str] = ()
    edit_column = -1

    def __init__(self, on_edit: Callable[[Row, str], bool] | None = None,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.on_edit = on_edit

    def column_total(self) -> int:
        return len(self.headers)

    def current_text(self, row: Row) -> str:
        raise NotImplementedError

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.edit_column:
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        row = self.row_of(index)
        if (role != Qt.ItemDataRole.EditRole or row is None
                or index.column() != self.edit_column or self.on_edit is None):
            return False
        text = "" if value is None else str(value).strip()
        if text == self.current_text(row):
            return False
        return self.on_edit(row, text)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.headers):
            return self.headers[section]
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.rows):
            return section + 1
        return None


class RowTableModel(RowsModel[Row]):
    """Read-only rows with declared columns; sorting by the raw value through SORT_ROLE."""

    def __init__(self, columns: Sequence[Column[Row]], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)

    def column_total(self) -> int:
        return len(self.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        col = self.columns[index.column()]
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            v = col.value(row)
            if isinstance(v, bool):
                return "yes" if v else ""
            return "" if v is None else str(v)
        if role == SORT_ROLE:
            # plain numbers and text: Qt compares those, not Python tuples
            v = col.value(row)
            if isinstance(v, bool | int | float):
                return float(v)
            if v is None:
                return float("-inf") if col.align_right else ""
            return str(v).casefold()
        if role == Qt.ItemDataRole.TextAlignmentRole and col.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and col.colour is not None:
            c = col.colour(row)
            return QBrush(QColor(c)) if c else None
        if role == Qt.ItemDataRole.ToolTipRole:
            v = col.value(row)
            # long text is elided in narrow columns: the tooltip shows all of it
            return str(v) if isinstance(v, str) and len(v) > 30 else (col.tooltip or None)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.columns[section].tooltip or None
        return None


def words(code: str | None) -> str:
    """A stored code as words: 'recurrent_budget' -> 'recurrent budget'."""
    return code.replace("_", " ") if code else ""


def show_value(value: Any, kind: str = "text") -> str:
    """A stored value as a cell shows it: yes/no, an ISO date, a whole float without '.0',
    an enumerated code in words."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()
    if kind == "enum":
        return words(str(value))
    return str(value)


def edit_text(value: Any) -> str:
    """A stored value as its editor starts: a choice's code as stored, else as shown."""
    return value if isinstance(value, str) else show_value(value)


def _gates_colour(r: ProgrammeSummary) -> str | None:
    if r.gates_unmet is None:  # not counted yet
        return None
    return "#f6d7d2" if r.gates_unmet else "#d8efd9"


PROGRAMME_COLUMNS: list[Column[ProgrammeSummary]] = [
    Column("Code", lambda r: r.code),
    Column("Programme", lambda r: r.name, max_width=320),
    Column("Policy domain", lambda r: (r.policy_domain or "").replace("_", " ") or None),
    Column("Co-production", lambda r: r.tradition_label.replace("_", "-")
           + (" (override)" if r.tradition_overridden else ""),
           "Traditional / non-traditional / mixed, derived from the classification"),
    Column("Status", lambda r: r.status.replace("_", " ")),
    Column("Indicators", lambda r: r.indicators, align_right=True),
    Column("Outcomes", lambda r: r.outcomes, "Outcome indicators (is anyone better off?)",
           align_right=True),
    Column("Observations", lambda r: r.observations, align_right=True),
    Column("Gates unmet", lambda r: r.gates_unmet,
           "Outcome gates not yet met (the checks that an outcome indicator measures a "
           "change in people, not an output in disguise)", align_right=True,
           colour=_gates_colour),
    Column("Sample data", lambda r: r.is_sample),
]


def filtered(model: QAbstractTableModel, parent: QObject, placeholder: str, name: str
             ) -> tuple[QSortFilterProxyModel, QLineEdit]:
    """A sorting proxy over every column and the line edit that filters it."""
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    proxy.setFilterKeyColumn(-1)
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setAccessibleName(name)
    edit.setClearButtonEnabled(True)
    edit.textChanged.connect(proxy.setFilterFixedString)
    return proxy, edit


class ChoiceDelegate(QStyledItemDelegate):
    """A drop-down of allowed values (phase, quality status, a checklist answer) instead of
    free text; the first entry, ``empty_label``, clears the cell."""

    def __init__(self, choices: Sequence[str], name: str, parent: Any = None, *,
                 empty_label: str = "— not set —") -> None:
        super().__init__(parent)
        self.choices = list(choices)
        self.name = name
        self.empty_label = empty_label

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: _Index) -> QWidget:
        combo = QComboBox(parent)
        combo.setAccessibleName(self.name)
        combo.addItem(self.empty_label, "")
        for c in self.choices:
            combo.addItem(c.replace("_", " "), c)
        return combo

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(editor.findData(index.data(Qt.ItemDataRole.EditRole) or ""),
                                   0))

    def setModelData(self, editor: QWidget, model: Any, index: _Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
