"""The flag register as a table: one row per flag, severity coloured and sorted by meaning,
and the five filters (quarter, category, least severity, status, strand) that narrow it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QWidget,
)

from coprod_me.gui.flag_words import PROGRAMME_TOTAL, STATUS_WORDS, words
from coprod_me.gui.rag_badges import CATEGORY_WORDS, SEVERITY_COLOURS, severity_rank
from coprod_me.gui.table_models import SORT_ROLE, Column, RowTableModel
from coprod_me.model.enums import FlagStatus, RiskCategory, Severity
from coprod_me.services.flag_register import OPEN_STATUSES

if TYPE_CHECKING:
    from coprod_me.services.flag_register import FlagView

_Index = QModelIndex | QPersistentModelIndex

ACTIVE = "active"  # the status filter's "open, acknowledged or mitigating"


def severity_brushes(severity: str | None) -> tuple[QBrush, QBrush]:
    fill, text = SEVERITY_COLOURS.get(severity, SEVERITY_COLOURS[None])
    return QBrush(QColor(fill)), QBrush(QColor(text))


def _severity_text(f: FlagView) -> str:
    if f.override_severity and f.override_severity != f.computed_severity:
        return f"{f.severity} (set by evaluator)"
    return f.severity


# severity and status first: they are what a narrow pane must still show
FLAG_COLUMNS: list[Column[FlagView]] = [
    Column("Rule", lambda f: f.rule_id),
    Column("Severity", _severity_text, "info < low < medium < high < critical"),
    Column("Status", lambda f: STATUS_WORDS.get(f.status, words(f.status))),
    Column("Title", lambda f: f.rule_title, max_width=240),
    Column("Category", lambda f: CATEGORY_WORDS.get(f.category, words(f.category))),
    Column("Strand", lambda f: f.strand or PROGRAMME_TOTAL),
    Column("Subject", lambda f: f.subject or None, "What the flag is about within the strand "
           "(a result link, a provider, a group …)", max_width=180),
    Column("Quarter", lambda f: f.quarter),
    Column("Periods", lambda f: f.consecutive_periods,
           "Consecutive quarters in which the flag was raised (two or more escalate it)",
           align_right=True),
]
COL_SEVERITY, COL_STATUS, COL_TITLE, COL_CATEGORY = 1, 2, 3, 4
_STATUS_RANK = {s.value: i for i, s in enumerate(FlagStatus)}


class FlagTableModel(RowTableModel["FlagView"]):
    """The flags handed to it; severity coloured and said in words, sorted by meaning."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(FLAG_COLUMNS, parent)

    def row_of(self, flag_id: int) -> int | None:
        return next((i for i, f in enumerate(self.rows) if f.id == flag_id), None)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        f, c = self.rows[index.row()], index.column()
        if c == COL_SEVERITY:
            if role == SORT_ROLE:
                return float(severity_rank(f.severity))
            if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
                fill, text = severity_brushes(f.severity)
                return fill if role == Qt.ItemDataRole.BackgroundRole else text
            if role == Qt.ItemDataRole.ToolTipRole:
                tip = f"Severity {f.severity}; the rule computed {f.computed_severity}"
                if f.override_reason:
                    tip += f"; set by the evaluator because: {f.override_reason}"
                return tip
        if c == COL_STATUS and role == SORT_ROLE:
            return float(_STATUS_RANK.get(f.status, 99))
        if role == Qt.ItemDataRole.ToolTipRole and c == COL_TITLE:
            return f.why
        return super().data(index, role)


class FlagFilter(QSortFilterProxyModel):
    """Category, least severity, status, strand and quarter; None lets everything through."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.category: str | None = None
        self.min_severity: str | None = None
        self.status: str | None = None  # a FlagStatus value or ACTIVE
        self.strand: str | None = None  # a strand code or PROGRAMME_TOTAL
        self.quarter: str | None = None
        # the flag just acted on stays in view even if it no longer matches (acknowledging
        # under "open" would otherwise make it vanish and the next action hit another flag)
        self.pinned: int | None = None
        self.setSortRole(SORT_ROLE)

    def set(self, **criteria: str | int | None) -> None:
        self.beginFilterChange()
        for name, value in criteria.items():
            setattr(self, name, value)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, FlagTableModel)
        f = model.rows[source_row]
        if f.id == self.pinned:
            return True
        if self.category and f.category != self.category:
            return False
        if self.min_severity and severity_rank(f.severity) < severity_rank(self.min_severity):
            return False
        if self.status == ACTIVE and f.status not in OPEN_STATUSES:
            return False
        if self.status not in (None, ACTIVE) and f.status != self.status:
            return False
        if self.strand and (f.strand or PROGRAMME_TOTAL) != self.strand:
            return False
        return not (self.quarter and f.quarter != self.quarter)


def _combo(name: str, items: Iterable[tuple[str, Any]]) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    # five filters share one row of a narrow pane: the closed combo is short, its list is not
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(9)
    for text, data in items:
        combo.addItem(text, data)
    return combo


class FlagFilterBar(QWidget):
    """The register's five filters, in two rows so the tab fits the window's right-hand pane.

    Category, severity and status offer fixed choices; quarter and strand offer what the
    programme's flags hold (``offer``). ``changed`` says the user chose another filter.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.quarter = _combo("Quarter filter", [("All quarters", None)])
        self.category = _combo("Category filter", [("All categories", None)] + [
            (CATEGORY_WORDS[c.value], c.value) for c in RiskCategory])
        self.severity = _combo("Severity filter", [("Any severity", None)] + [
            (s.value if s == Severity.CRITICAL else f"{s.value} or worse", s.value)
            for s in reversed(Severity)])
        self.status = _combo("Status filter", [
            ("Any status", None), ("active (open, acknowledged, mitigating)", ACTIVE)] + [
            (STATUS_WORDS[s.value], s.value) for s in FlagStatus])
        self.strand = _combo("Strand filter", [("All strands", None)])
        self.combos = (self.quarter, self.category, self.severity, self.status, self.strand)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        labels = ("&Quarter:", "C&ategory:", "Severit&y:", "Stat&us:", "Stra&nd:")
        for i, (text, combo) in enumerate(zip(labels, self.combos, strict=True)):
            label = QLabel(text)
            label.setBuddy(combo)
            grid.addWidget(label, i // 3, 2 * (i % 3))
            grid.addWidget(combo, i // 3, 2 * (i % 3) + 1)
            combo.currentIndexChanged.connect(lambda *_a: self.changed.emit())
        grid.setColumnStretch(6, 1)

    def criteria(self) -> dict[str, str | None]:
        """What the filters ask for, as ``FlagFilter.set`` takes it."""
        return {"quarter": self.quarter.currentData(), "category": self.category.currentData(),
                "min_severity": self.severity.currentData(),
                "status": self.status.currentData(), "strand": self.strand.currentData()}

    def offer(self, quarters: list[str], strands: list[str]) -> None:
        """The quarters and strands the flags hold, keeping the ones chosen."""
        _fill(self.quarter, "All quarters", quarters, latest=True)
        _fill(self.strand, "All strands", strands)

    def forget_choices(self) -> None:
        """Another programme: its own quarters and strands, starting on its latest quarter."""
        for combo in (self.quarter, self.strand):
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(combo.count() - 1)
            combo.blockSignals(False)

    def show_category(self, category: str | None) -> None:
        self.category.setCurrentIndex(max(self.category.findData(category), 0))


def _fill(combo: QComboBox, all_text: str, values: list[str], latest: bool = False) -> None:
    """New choices, keeping the chosen one; the quarter starts on the latest."""
    chosen = combo.currentData()
    first_fill = combo.count() <= 1 and chosen is None
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(all_text, None)
    for v in values:
        combo.addItem(v, v)
    index = combo.findData(chosen) if chosen is not None else 0
    if latest and first_fill and values:
        index = 1
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)


class FlagRegisterView(QTableView):
    """The register's table: one line per flag, severity first, one flag selected at a time."""

    def __init__(self, proxy: FlagFilter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(proxy)
        self.setAccessibleName("Risk register")
        self.setAccessibleDescription(
            "One row per flag; the detail below explains the selected flag.")
        self.setSortingEnabled(True)
        self.sortByColumn(COL_SEVERITY, Qt.SortOrder.DescendingOrder)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(False)
        self.setWordWrap(False)  # one line per flag; the tooltip and detail say all
        header = self.horizontalHeader()
        # column widths from a sample of rows: a programme switch stays quick with many flags
        header.setResizeContentsPrecision(100)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.verticalHeader().hide()

    def fit_columns(self) -> None:
        """Each column as wide as its contents, up to the column's own limit."""
        self.resizeColumnsToContents()
        for i, col in enumerate(FLAG_COLUMNS):
            if col.max_width and self.columnWidth(i) > col.max_width:
                self.setColumnWidth(i, col.max_width)
