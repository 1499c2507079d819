"""The Records tab's table models: record rows of one kind, and the capacity matrix.

Both hold what the tab hands them and never query; an edited cell goes back to the tab
through ``on_edit``, which saves it (through the services and the undo stack) and says
whether it was saved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from coprod_me.gui.table_models import edit_text, show_value
from coprod_me.services.records import COMPETENCES, LEVELS, SCORE_WORDS, FieldInfo, RecordRow

_Index = QModelIndex | QPersistentModelIndex
_NUMBER_KINDS = ("int", "float")
_RED, _AMBER, _GREEN = QColor("#f4c7c3"), QColor("#fce8b2"), QColor("#b7e1cd")


def score_colour(score: int | None) -> QColor | None:
    """0–1 red, 2 amber, 3–4 green; an unscored cell has no colour."""
    if score is None:
        return None
    return _RED if score <= 1 else _AMBER if score == 2 else _GREEN


# Record table ------------------------------------------------------------------------------


class RecordTableModel(QAbstractTableModel):
    """Holds the record rows handed to it; never queries.

    Columns: strand, provider (feedback and allocations), the identifying fields, then the
    editable ones. ``on_edit(row, field, value) -> bool`` saves an edited cell.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[RecordRow] = []
        self.key_fields: list[FieldInfo] = []
        self.fields: list[FieldInfo] = []
        self.show_actor = False
        self.actor_title = "Provider"
        self.on_edit: Callable[[RecordRow, FieldInfo, Any], bool] | None = None

    # columns: ("strand"|"actor"|"key"|"field", FieldInfo | None)
    def _columns(self) -> list[tuple[str, FieldInfo | None]]:
        cols: list[tuple[str, FieldInfo | None]] = [("strand", None)]
        if self.show_actor:
            cols.append(("actor", None))
        cols += [("key", f) for f in self.key_fields]
        cols += [("field", f) for f in self.fields]
        return cols

    def first_field_column(self) -> int:
        return 1 + int(self.show_actor) + len(self.key_fields)

    def column_of(self, name: str) -> int:
        for i, (_, f) in enumerate(self._columns()):
            if f is not None and f.name == name:
                return i
        raise KeyError(name)

    def set_rows(self, rows: Sequence[RecordRow], fields: Sequence[FieldInfo] | None = None,
                 key_fields: Sequence[FieldInfo] | None = None,
                 show_actor: bool | None = None) -> bool:
        """New rows; the same records in the same order update in place (the cursor stays).
        Returns whether the model was reset."""
        rows = list(rows)
        same_shape = fields is None and key_fields is None and show_actor is None
        if same_shape and self.rows and [r.id for r in rows] == [r.id for r in self.rows]:
            self.rows = rows
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(rows) - 1, self.columnCount() - 1))
            return False
        self.beginResetModel()
        self.rows = rows
        if fields is not None:
            self.fields = list(fields)
        if key_fields is not None:
            self.key_fields = list(key_fields)
        if show_actor is not None:
            self.show_actor = show_actor
        self.endResetModel()
        return True

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns())

    def _raw(self, row: RecordRow, column: int) -> tuple[Any, str]:
        what, f = self._columns()[column]
        if what == "strand":
            return row.strand_code, "text"
        if what == "actor":
            return row.actor_code, "text"
        assert f is not None
        source = row.key if what == "key" else row.values
        return source.get(f.name), f.kind

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows) \
                or not 0 <= index.column() < self.columnCount():
            return None
        row = self.rows[index.row()]
        value, kind = self._raw(row, index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return show_value(value, kind)
        if role == Qt.ItemDataRole.EditRole:
            return edit_text(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and kind in _NUMBER_KINDS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            f = self._columns()[index.column()][1]
            return f.description or None if f is not None else None
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() >= self.first_field_column():
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (role != Qt.ItemDataRole.EditRole or not index.isValid()
                or not self.flags(index) & Qt.ItemFlag.ItemIsEditable or self.on_edit is None):
            return False
        field = self.fields[index.column() - self.first_field_column()]
        saved = self.on_edit(self.rows[index.row()], field, value)
        if saved:
            self.dataChanged.emit(index, index)
        return saved

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < self.columnCount():
            what, f = self._columns()[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return {"strand": "Strand", "actor": self.actor_title}.get(what) or (
                    f.label if f is not None else "")
            if role == Qt.ItemDataRole.ToolTipRole and f is not None:
                return f.description or None
            return None
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None


# Capacity matrix ---------------------------------------------------------------------------


class CapacityMatrixModel(QAbstractTableModel):
    """The 3 × 3 matrix handed to it: rows are levels, columns competences.

    ``on_edit(level, competence, text) -> bool`` saves a cell typed as "3: justification".
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.cells: dict[tuple[str, str], tuple[int, str | None]] = {}
        self.on_edit: Callable[[str, str, str], bool] | None = None

    def set_cells(self, cells: dict[tuple[str, str], tuple[int, str | None]]) -> None:
        self.cells = dict(cells)
        self.dataChanged.emit(self.index(0, 0), self.index(len(LEVELS) - 1,
                                                           len(COMPETENCES) - 1))

    def cell(self, level: str, competence: str) -> tuple[int, str | None] | None:
        return self.cells.get((level, competence))

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(LEVELS)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COMPETENCES)

    def _key(self, index: _Index) -> tuple[str, str]:
        return LEVELS[index.row()], COMPETENCES[index.column()]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(LEVELS) \
                or not 0 <= index.column() < len(COMPETENCES):
            return None
        cell = self.cells.get(self._key(index))
        if role == Qt.ItemDataRole.DisplayRole:
            if cell is None:
                return "— not scored —"
            score, text = cell
            return f"{score} {SCORE_WORDS[score]}" + (f"\n{text}" if text else "")
        if role == Qt.ItemDataRole.EditRole:
            if cell is None:
                return ""
            return f"{cell[0]}: {cell[1] or ''}".rstrip()
        if role == Qt.ItemDataRole.BackgroundRole:
            colour = score_colour(cell[0] if cell else None)
            return QBrush(colour) if colour is not None else None
        if role == Qt.ItemDataRole.ForegroundRole and cell is not None:
            return QBrush(QColor("#202124"))  # readable on the light fills in a dark theme
        if role == Qt.ItemDataRole.ToolTipRole:
            level, competence = self._key(index)
            base = (f"{level} × {competence}: type a score 0–4 and a one-line justification, "
                    "e.g. '3: adequate staffing'")
            return base if cell is None else f"{base}\nnow: {cell[0]} {SCORE_WORDS[cell[0]]}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsEditable)

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.on_edit is None:
            return False
        level, competence = self._key(index)
        saved = self.on_edit(level, competence, "" if value is None else str(value))
        if saved:
            self.dataChanged.emit(index, index)
        return saved

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        names = COMPETENCES if orientation == Qt.Orientation.Horizontal else LEVELS
        return names[section].capitalize() if 0 <= section < len(names) else None
