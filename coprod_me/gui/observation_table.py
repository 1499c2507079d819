"""The observation grid's table: the model holding the rows a tab hands it, and the view
that takes Ctrl+V, Ctrl+C and F2 on a locked cell before anything else does.

Numbers are shown and read as the user's locale writes them (61,5 where the decimal mark is
a comma); the grid's columns are declared with the paste planning, which reads blocks by them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from coprod_me.gui.table_models import SORT_ROLE, ChoiceDelegate, words
from coprod_me.model import enums as E
from coprod_me.services.observation_paste import (
    COL_COMMENT,
    COL_DIMS,
    COL_INDICATOR,
    COL_LOCKED,
    COL_PHASE,
    COL_QUALITY,
    COL_QUARTER,
    COL_SOURCE,
    COL_STRAND,
    COL_VALUE,
    COLUMN_OF_FIELD,
    FIELDS,
    NUMBER_COLUMNS,
    TITLES,
    cell_kind,
    dims_text,
)
from coprod_me.services.observations import ObservationKey, ObservationView, convert_cell

_Index = QModelIndex | QPersistentModelIndex

TOOLTIPS = (
    "Indicator code (and unit)",
    "Reporting quarter, e.g. 2024Q2",
    "Site or service strand; empty for the programme total",
    "Disaggregation cell as dimension=category (sex=female; age_band=15-24); empty for a total",
    "Service-cycle phase the value measures",
    "The measured value (a percent indicator takes 45 or 45 %)",
    "Numerator of a percent or rate",
    "Denominator of a percent or rate",
    "Sample size (n) behind the value",
    "Quality status: provisional, verified, estimated or imputed",
    "Where the value comes from (data source)",
    "Comment",
    "Locked quarters are read-only; correct a value with a reason (F2)",
)
_LOCKED_FG = QColor("#6b6b6b")
_LOCKED_BG = QColor("#eeeeee")


def decimal_point() -> str | None:
    """The user's decimal mark, when it is a point or a comma."""
    point = QLocale().decimalPoint()
    return point if point in (".", ",") else None


def show_number(value: float | int | None) -> str:
    """A number as the user's locale writes it: 61,5 where the decimal mark is a comma."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.10g}"
    return text.replace(".", decimal_point() or ".")


def typed_value(field: str, value: Any, unit: str | None, *, decimal: str | None = None,
                ask: bool = True) -> Any:
    """A typed or chosen cell value as the service stores it (numbers read like pasted
    cells: decimal commas, thousands marks, percent signs for percent indicators).

    Numbers are read in the user's locale, or in ``decimal`` when given; a percent or ratio
    that reads two ways (1,234) raises AmbiguousNumber unless ``ask`` is False."""
    if value is None or isinstance(value, bool | int | float):
        return value
    text = str(value)
    column = COLUMN_OF_FIELD[field]
    if column in NUMBER_COLUMNS:
        return convert_cell(text, cell_kind(column, unit), decimal=decimal or decimal_point(),
                            ask=ask)
    return text.strip() or None


class ObservationTableModel(QAbstractTableModel):
    """Holds the observation rows handed to it; never queries.

    ``on_edit(row, field, value) -> bool`` saves an edited cell (through the services and the
    undo stack) and returns whether it was saved; the tab then hands the model fresh rows.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[ObservationView] = []
        self.units: dict[str, str] = {}
        self.on_edit: Callable[[ObservationView, str, Any], bool] | None = None

    def set_rows(self, rows: Sequence[ObservationView], units: dict[str, str] | None = None
                 ) -> bool:
        """New rows; when they are the same observations in the same order (an edit, an
        undo of an edit) the cells are updated in place, so the cursor stays where it is.
        Returns whether the model was reset."""
        rows = list(rows)
        if units is not None:
            self.units = dict(units)
        if self.rows and [r.key for r in rows] == [r.key for r in self.rows]:
            self.rows = rows
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(rows) - 1, len(TITLES) - 1))
            return False
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()
        return True

    def row_at(self, row: int) -> ObservationView:
        return self.rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(TITLES)

    def raw(self, row: ObservationView, column: int) -> Any:
        if column == COL_INDICATOR:
            return row.indicator_code
        if column == COL_QUARTER:
            return row.period
        if column == COL_STRAND:
            return row.strand_code
        if column == COL_DIMS:
            return dims_text(row.dims)
        if column == COL_LOCKED:
            return row.locked
        return getattr(row, FIELDS[column])

    def text(self, row: ObservationView, column: int) -> str:
        """A cell as text: what is shown, copied and edited."""
        v = self.raw(row, column)
        if column in NUMBER_COLUMNS:
            return show_number(v)
        if column == COL_LOCKED:
            if not row.locked:
                return ""
            return f"locked · {row.revisions} correction(s)" if row.revisions else "locked"
        return "" if v is None else str(v)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            text = self.text(row, column)
            if column in (COL_PHASE, COL_QUALITY):
                return words(text)
            if column == COL_INDICATOR and self.units.get(row.indicator_code) == E.Unit.PERCENT:
                return f"{text} (%)"
            return text
        if role == Qt.ItemDataRole.EditRole:
            return self.text(row, column)
        if role == SORT_ROLE:
            v = self.raw(row, column)
            if isinstance(v, bool | int | float):
                return float(v)
            return "" if v is None else str(v).casefold()
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMBER_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and row.locked:
            return QBrush(_LOCKED_FG)
        if role == Qt.ItemDataRole.BackgroundRole and row.locked:
            return QBrush(_LOCKED_BG)
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.locked:
                return (f"{row.period} is locked: read-only. Correct a value with a reason "
                        "(F2 or Correct locked value…).")
            if column == COL_VALUE:
                unit = self.units.get(row.indicator_code)
                return f"unit: {words(unit)}" if unit else None
            if column in (COL_SOURCE, COL_COMMENT):
                return self.text(row, column) or None
            return None
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in FIELDS and not self.rows[index.row()].locked:
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (role != Qt.ItemDataRole.EditRole or not index.isValid()
                or not self.flags(index) & Qt.ItemFlag.ItemIsEditable or self.on_edit is None):
            return False
        row = self.rows[index.row()]
        saved = self.on_edit(row, FIELDS[index.column()], value)
        if saved:
            self.dataChanged.emit(index, index)
        return saved

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(TITLES):
            if role == Qt.ItemDataRole.DisplayRole:
                return TITLES[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return TOOLTIPS[section]
            return None
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None


class ObservationTableView(QTableView):
    """The grid; Ctrl+V pastes a block, Ctrl+C copies one, F2 on a locked cell corrects it."""

    paste_requested = Signal()
    copy_requested = Signal()
    correct_requested = Signal()

    def __init__(self, model: ObservationTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Size columns from the first rows only: measuring every cell of a long series
        # froze the window (97,000 data() calls for 1,229 rows).
        self.horizontalHeader().setResizeContentsPrecision(100)
        self.setModel(model)
        self.setAccessibleName("Observations")
        self.setAccessibleDescription(
            "Edit a cell with F2 or by typing; Ctrl+V pastes a block copied from a "
            "spreadsheet; locked quarters are read-only, F2 there corrects a value with a "
            "reason.")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.setTabKeyNavigation(False)  # Tab leaves the grid; arrows move inside it
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setStretchLastSection(True)
        self.setItemDelegateForColumn(
            COL_PHASE, ChoiceDelegate([m.value for m in E.Phase], "Phase", self))
        self.setItemDelegateForColumn(
            COL_QUALITY, ChoiceDelegate([m.value for m in E.QualityStatus], "Quality status",
                                        self))

    def event(self, e: QEvent) -> bool:
        # take Ctrl+V / Ctrl+C before any window-wide shortcut does
        if e.type() == QEvent.Type.ShortcutOverride and isinstance(e, QKeyEvent) and (
                e.matches(QKeySequence.StandardKey.Paste)
                or e.matches(QKeySequence.StandardKey.Copy)):
            e.accept()
            return True
        return super().event(e)

    def keyPressEvent(self, e: QKeyEvent) -> None:
        if e.matches(QKeySequence.StandardKey.Paste):
            self.paste_requested.emit()
            e.accept()
            return
        if e.matches(QKeySequence.StandardKey.Copy):
            self.copy_requested.emit()
            e.accept()
            return
        if e.key() in (Qt.Key.Key_F2, Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                self.state() != QAbstractItemView.State.EditingState and \
                self._current_is_locked():
            self.correct_requested.emit()
            e.accept()
            return
        super().keyPressEvent(e)

    def mouseDoubleClickEvent(self, e: Any) -> None:
        super().mouseDoubleClickEvent(e)
        if self._current_is_locked():
            self.correct_requested.emit()

    def _current_is_locked(self) -> bool:
        row = self.current_row()
        return row is not None and row.locked

    # Where the cursor and the selection are, in observations and visible columns.

    @property
    def rows_model(self) -> ObservationTableModel:
        model = self.model()
        assert isinstance(model, ObservationTableModel)
        return model

    def current_row(self) -> ObservationView | None:
        """The observation under the cursor, if any."""
        idx = self.currentIndex()
        return self.rows_model.row_at(idx.row()) if idx.isValid() else None

    def selected_rows(self) -> list[ObservationView]:
        """The observations of the selected cells' rows (the cursor's when none is)."""
        rows = sorted({i.row() for i in self.selectionModel().selectedIndexes()})
        if not rows and self.currentIndex().isValid():
            rows = [self.currentIndex().row()]
        return [self.rows_model.row_at(r) for r in rows]

    def selected_cells(self) -> list[list[str]]:
        """The selected cells' texts (the cursor's when none is), by row and visible column."""
        indexes = self.selectionModel().selectedIndexes()
        if not indexes and self.currentIndex().isValid():
            indexes = [self.currentIndex()]
        model = self.rows_model
        rows = sorted({i.row() for i in indexes})
        columns = [c for c in self.visible_columns() if c in {i.column() for i in indexes}]
        return [[model.text(model.row_at(r), c) for c in columns] for r in rows]

    def visible_columns(self) -> list[int]:
        """The columns shown, left to right as the user may have moved them."""
        header = self.horizontalHeader()
        logical = (header.logicalIndex(v) for v in range(self.rows_model.columnCount()))
        return [c for c in logical if not self.isColumnHidden(c)]

    def go_to(self, key: ObservationKey, column: int = COL_VALUE) -> None:
        """Put the cursor on ``column`` of the observation ``key``, if it is shown."""
        model = self.rows_model
        for r, row in enumerate(model.rows):
            if row.key == key:
                self.setCurrentIndex(model.index(r, column))
                return

    def select_block(self, start: int, height: int, columns: Sequence[int]) -> None:
        """Select the cells a pasted block landed on (the rows that are shown)."""
        model = self.rows_model
        last = min(start + height, model.rowCount()) - 1
        if last < start:
            return
        selection = QItemSelection(model.index(start, columns[0]),
                                   model.index(last, columns[-1]))
        self.setCurrentIndex(model.index(start, columns[0]))
        self.selectionModel().select(selection,
                                     QItemSelectionModel.SelectionFlag.ClearAndSelect)
