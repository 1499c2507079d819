"""The programme navigator: programmes with their counts, and under each its strands and sites."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from coprod_me.gui.table_models import PROGRAMME_COLUMNS, SORT_ROLE, RowTableModel, filtered
from coprod_me.services.programme_index import ProgrammeSummary, StrandItem

_Index = QModelIndex | QPersistentModelIndex
# internalId of a programme row; a strand row stores its programme's row + 1
_TOP = 0


def _strand_value(column: str, s: StrandItem) -> Any:
    """What a strand shows under the programme columns (most stay blank)."""
    return {"Code": s.code, "Programme": s.name, "Status": s.type.replace("_", " "),
            "Observations": s.observations}.get(column)


class ProgrammeTreeModel(QAbstractItemModel):
    """Programmes (top level, the summary columns) with their strands as children.

    Rows come from ``ProgrammeService.summaries``; the model never queries.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(PROGRAMME_COLUMNS)
        self.rows: list[ProgrammeSummary] = []
        # The programme columns' display, sorting and colours, reused for top-level rows.
        self._flat: RowTableModel[ProgrammeSummary] = RowTableModel(self.columns)

    def set_rows(self, rows: Sequence[ProgrammeSummary]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self._flat.set_rows(self.rows)
        self.endResetModel()

    def row_at(self, row: int) -> ProgrammeSummary:
        return self.rows[row]

    def programme_of(self, index: _Index) -> ProgrammeSummary | None:
        if not index.isValid():
            return None
        row = index.row() if index.internalId() == _TOP else index.internalId() - 1
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def strand_of(self, index: _Index) -> StrandItem | None:
        if not index.isValid() or index.internalId() == _TOP:
            return None
        programme = self.programme_of(index)
        if programme is None or not 0 <= index.row() < len(programme.strand_items):
            return None
        return programme.strand_items[index.row()]

    # --------------------------------------------------------------- QAbstractItemModel

    def index(self, row: int, column: int,
              parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _TOP)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == _TOP:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _TOP)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self.rows)
        if parent.internalId() == _TOP and parent.column() == 0 \
                and 0 <= parent.row() < len(self.rows):
            return len(self.rows[parent.row()].strand_items)
        return 0

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return len(self.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == _TOP:
            return self._flat.data(self._flat.index(index.row(), index.column()), role)
        strand = self.strand_of(index)
        if strand is None:
            return None
        value = _strand_value(self.columns[index.column()].title, strand)
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if value is None else str(value)
        if role == SORT_ROLE:
            if isinstance(value, int):
                return float(value)
            return "" if value is None else str(value).casefold()
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            return f"{strand.type.replace('_', ' ')} {strand.code}: {strand.name}"
        if role == Qt.ItemDataRole.TextAlignmentRole and self.columns[index.column()].align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return self._flat.headerData(section, orientation, role)


class ProgrammeNavigator(QWidget):
    """The programmes (``table``, over ``model``), and under each its strands and sites
    (+ / - or arrows open and close them), under a filter (``filter_edit``).

    ``current_changed`` says another programme or strand is selected.
    """

    current_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ProgrammeTreeModel(self)
        self.proxy, self.filter_edit = filtered(
            self.model, self, "Filter programmes and strands (code, name, domain …)",
            "Filter programmes")
        self.proxy.setRecursiveFilteringEnabled(True)  # a matching strand shows its programme
        self.table = QTreeView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Programmes and strands")
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setUniformRowHeights(True)
        self.table.setAllColumnsShowFocus(True)
        self.table.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.header().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(self.current_changed)
        # strand codes sit one indentation deeper: widen the code column when they appear
        self.table.expanded.connect(lambda _i: self.table.resizeColumnToContents(0))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        label = QLabel("&Filter:")
        label.setBuddy(self.filter_edit)
        bar.addWidget(label)
        bar.addWidget(self.filter_edit)
        lay.addLayout(bar)
        lay.addWidget(self.table)

    def set_rows(self, rows: Sequence[ProgrammeSummary]) -> None:
        """List these programmes (the selection is lost: ``select`` again)."""
        self.model.set_rows(rows)
        for i in range(self.model.columnCount()):
            self.table.resizeColumnToContents(i)
        for i, col in enumerate(self.model.columns):
            if col.max_width and self.table.columnWidth(i) > col.max_width:
                self.table.setColumnWidth(i, col.max_width)

    def selected_code(self) -> str | None:
        """The programme selected (also when one of its strands is)."""
        programme = self.model.programme_of(self.proxy.mapToSource(self.table.currentIndex()))
        return programme.code if programme is not None else None

    def selected_strand(self) -> str | None:
        strand = self.model.strand_of(self.proxy.mapToSource(self.table.currentIndex()))
        return strand.code if strand is not None else None

    def select(self, code: str | None, strand: str | None = None) -> None:
        for row, r in enumerate(self.model.rows):
            if r.code != code:
                continue
            index = self.model.index(row, 0)
            for srow, st in enumerate(r.strand_items):
                if st.code == strand:
                    self.table.expand(self.proxy.mapFromSource(index))
                    index = self.model.index(srow, 0, index)
            self.table.setCurrentIndex(self.proxy.mapFromSource(index))
            return
