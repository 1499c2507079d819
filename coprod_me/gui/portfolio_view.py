"""View > Portfolio…: every programme in one quarter, one row each, to answer "which of our
programmes need attention this quarter?".

A window of its own beside the main window, not a dock or a modal dialog: the table is wide
(thirteen columns) and the main window's panes are full already, and the user goes back and
forth between it and the programme a double-click (or Enter) opens in the main window, which
a modal dialog would block. The rows come from ``services.portfolio`` on a worker thread
(``QuietTask``), so the window never waits for the database, even over hundreds of
programmes; the risk categories are said and coloured as the Overview badges say them.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from coprod_me.gui.errors import report_exception
from coprod_me.gui.rag_badges import SEVERITY_COLOURS
from coprod_me.gui.table_models import RowsModel
from coprod_me.gui.workers import QuietTask
from coprod_me.model.enums import Severity
from coprod_me.services.portfolio import ATTENTION, COLUMNS, Portfolio

_Index = QModelIndex | QPersistentModelIndex
CODE_ROLE = Qt.ItemDataRole.UserRole + 1
LATEST = "latest"  # the quarter chooser's first entry: the latest quarter with a value


class PortfolioModel(RowsModel[Any]):
    """The rows (``PortfolioRow``) of one quarter, read-only; columns as
    ``services.portfolio.COLUMNS``."""

    def column_total(self) -> int:
        return len(COLUMNS)

    def key(self, row: int, column: int) -> Any:
        """What column ``column`` sorts row ``row`` by (a Python value)."""
        return COLUMNS[column].key(self.rows[row])

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_of(index)
        if row is None:
            return None
        column = COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.text(row)
        if role == CODE_ROLE:
            return row.code
        if role == Qt.ItemDataRole.FontRole and index.column() == 0 and row.needs_attention:
            font = QFont()
            font.setBold(True)  # the rows the policy unit looks at first
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            side = Qt.AlignmentFlag.AlignRight if column.number else Qt.AlignmentFlag.AlignLeft
            return int(side | Qt.AlignmentFlag.AlignVCenter)
        if column.category is not None and role in (Qt.ItemDataRole.BackgroundRole,
                                                    Qt.ItemDataRole.ForegroundRole):
            status = row.category(column.category)
            # as the badge: its severity's colours; a programme never checked in grey
            fill, text = SEVERITY_COLOURS[status.level if status.checked
                                          else Severity.INFO.value]
            return QBrush(QColor(fill if role == Qt.ItemDataRole.BackgroundRole else text))
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.category is not None:
                return f"{row.code}: {row.category(column.category).text}\n{column.tip}"
            if index.column() < 2:
                return (f"{row.code} — {row.name}"
                        + ("\nNeeds attention (shown in bold). " + ATTENTION
                           if row.needs_attention else "")
                        + "\nDouble-click or press Enter to open it.")
            return column.tip
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].header
        if role == Qt.ItemDataRole.ToolTipRole:
            return COLUMNS[section].tip
        return None


class PortfolioFilter(QSortFilterProxyModel):
    """Sorts by each column's own key; keeps the rows whose cells contain the filter text
    (any column, any case) and, when asked, only those that need attention."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.text = ""
        self.attention_only = False

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self.text = text.strip().lower()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_attention_only(self, on: bool) -> None:
        self.beginFilterChange()
        self.attention_only = on
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def lessThan(self, left: _Index, right: _Index) -> bool:
        source: PortfolioModel = self.sourceModel()  # type: ignore[assignment]
        a, b = source.key(left.row(), left.column()), source.key(right.row(), right.column())
        return bool(a < b) if a != b else source.rows[left.row()].code < \
            source.rows[right.row()].code

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        source: PortfolioModel = self.sourceModel()  # type: ignore[assignment]
        row = source.rows[source_row]
        if self.attention_only and not row.needs_attention:
            return False
        return not self.text or any(self.text in c.text(row).lower() for c in COLUMNS)


class PortfolioView(QWidget):
    """The Portfolio window; ``open_programme(code)`` is what a double-click or Enter calls."""

    def __init__(self, window: Any) -> None:
        super().__init__(window, Qt.WindowType.Window)
        self.window_ = window
        self.setWindowTitle("Portfolio — coprod-me")
        self.setObjectName("portfolio_view")
        self.model = PortfolioModel(self)
        self.proxy = PortfolioFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = self._table()
        self.quarter = QComboBox()
        self.quarter.setAccessibleName("Quarter")
        self.quarter.setMinimumContentsLength(15)  # "Latest (2024Q2)"
        self.quarter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.quarter.setToolTip("The quarter every column is about")
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter: a code, a name or any cell's words "
                                            "(e.g. 'high', 'G4')")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName("Filter the programmes")
        self.attention = QCheckBox("&Needs attention only")
        self.attention.setToolTip(ATTENTION)
        self.status = QLabel("Reading the programmes…")
        self.status.setAccessibleName("Portfolio status")
        self.task = QuietTask(self)
        self.task.done.connect(self._filled)
        self.task.error.connect(self._failed)
        self.portfolio: Portfolio | None = None
        self._layout()
        self.filter_edit.textChanged.connect(self._filter)
        self.attention.toggled.connect(self._attention)
        self.quarter.activated.connect(lambda _i: self.fill())
        QShortcut(QKeySequence("Ctrl+F"), self, self.filter_edit.setFocus)
        QShortcut(QKeySequence.StandardKey.Refresh, self, self.fill)
        # an edit, an undo or a finished rule run elsewhere in the app reads the table again
        # (once, half a second after the last of a burst), while the window is open
        self.stale = QTimer(self)
        self.stale.setSingleShot(True)
        self.stale.setInterval(500)
        self.stale.timeout.connect(self._refill_if_shown)
        window.undo_stack.indexChanged.connect(self.stale.start)
        window.risk_checks.checked.connect(self.stale.start)
        self.resize(1500, 560)

    def _table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.proxy)
        table.setSortingEnabled(True)
        table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(False)  # the category colours carry meaning
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.horizontalHeader().setStretchLastSection(True)
        table.setAccessibleName("Programmes in the quarter")
        # Enter and double-click both activate a row (Qt's platform rule)
        table.activated.connect(self._activated)
        return table

    def _layout(self) -> None:
        bar = QHBoxLayout()
        label = QLabel("&Quarter:")
        label.setBuddy(self.quarter)
        bar.addWidget(label)
        bar.addWidget(self.quarter)
        bar.addWidget(self.filter_edit, 1)
        bar.addWidget(self.attention)
        box = QVBoxLayout(self)
        box.addLayout(bar)
        box.addWidget(self.table, 1)
        box.addWidget(self.status)

    # ------------------------------------------------------------------------- filling

    def chosen_quarter(self) -> str | None:
        q = self.quarter.currentData()
        return None if q in (None, LATEST) else str(q)

    def fill(self) -> None:
        """Read the rows of the chosen quarter off the GUI thread (the latest job wins)."""
        services, quarter = self.window_.services, self.chosen_quarter()
        self.status.setText(f"Reading the programmes{f' in {quarter}' if quarter else ''}…")
        self.task.submit(lambda progress, cancelled: services.portfolio.portfolio(
            quarter, progress=progress, cancelled=cancelled))

    def _refill_if_shown(self) -> None:
        if self.isVisible():
            self.fill()

    def _filled(self, portfolio: Portfolio) -> None:
        self.portfolio = portfolio
        self._set_quarters(portfolio)
        self.model.set_rows(portfolio.rows)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(1, min(self.table.columnWidth(1), 240))
        self.table.resizeRowsToContents()
        self._count()

    def _failed(self, exc: object) -> None:
        self.status.setText("Could not read the portfolio.")
        if isinstance(exc, BaseException):
            report_exception(exc, self)

    def _set_quarters(self, portfolio: Portfolio) -> None:
        chosen = self.quarter.currentData()
        self.quarter.blockSignals(True)
        self.quarter.clear()
        self.quarter.addItem(f"Latest ({portfolio.quarters[0]})" if portfolio.quarters
                             else "Latest", LATEST)
        for q in portfolio.quarters:
            self.quarter.addItem(q, q)
        at = self.quarter.findData(chosen if chosen is not None else LATEST)
        self.quarter.setCurrentIndex(max(at, 0))
        self.quarter.blockSignals(False)

    def _count(self) -> None:
        p = self.portfolio
        if p is None:
            return
        if p.quarter is None:
            self.status.setText("No programme has reported a value yet.")
            return
        attention = sum(r.needs_attention for r in p.rows)
        shown = self.proxy.rowCount()
        self.status.setText(
            f"{p.quarter}: {len(p.rows)} programme(s), {attention} need attention"
            + (f"; {shown} shown" if shown != len(p.rows) else "")
            + ". Double-click a programme or press Enter to open it.")

    def _filter(self, text: str) -> None:
        self.proxy.set_text(text)
        self._count()

    def _attention(self, on: bool) -> None:
        self.proxy.set_attention_only(on)
        self._count()

    # ------------------------------------------------------------------------- opening

    def code_at(self, row: int) -> str | None:
        """The code of the programme in the table's ``row`` as it is sorted and filtered."""
        index = self.proxy.index(row, 0)
        return index.data(CODE_ROLE) if index.isValid() else None

    def _activated(self, index: QModelIndex) -> None:
        code = index.data(CODE_ROLE)
        if code:
            self.open_programme(str(code))

    def open_programme(self, code: str) -> None:
        """Show ``code`` in the main window, at its Overview (where its badges are)."""
        window = self.window_
        window.select(code)
        window.tabs.setCurrentIndex(0)
        window.raise_()
        window.activateWindow()

    def closeEvent(self, event: Any) -> None:
        self.task.cancel()  # a job still running returns into a closed window: harmless
        super().closeEvent(event)


def show_portfolio(window: Any) -> PortfolioView:
    """View > Portfolio… (a window function): one Portfolio window per main window, brought
    to the front and read afresh each time it is asked for."""
    view = window.findChild(PortfolioView, "portfolio_view")
    if view is None:
        view = PortfolioView(window)
    view.show()
    view.raise_()
    view.activateWindow()
    view.fill()
    return view
