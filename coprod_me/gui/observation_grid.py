"""Observations as an editable grid: per indicator (a series by quarter) or per quarter.

Every change goes to the database at once through the services, as one undoable step: a cell
edit, an added or deleted observation, a correction of a locked quarter, and a whole block
pasted from Excel or LibreOffice. Rows of locked quarters are read-only here and in the
services; a correction of one needs a reason and is kept as a revision (domain §1.4).

Observations are named by their cell (indicator, quarter, strand, disaggregation) in the undo
commands, not by id, so undoing a delete (which re-creates the row) keeps older commands valid.
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
from PySide6.QtGui import QAction, QBrush, QColor, QKeyEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from coprod_me.gui.errors import report_exception
from coprod_me.gui.programme_view import ProgrammeView
from coprod_me.gui.table_models import SORT_ROLE, ChoiceDelegate, words
from coprod_me.gui.undo_commands import apply_edit
from coprod_me.model import enums as E
from coprod_me.model.disaggregation import dims_key
from coprod_me.model.errors import DomainError, NotFound, ValidationFailed
from coprod_me.model.quarter import Quarter
from coprod_me.services import Services
from coprod_me.services.observations import (
    CORRECTABLE,
    BlockResult,
    BlockRow,
    CellError,
    CellKind,
    DeletedObservation,
    ObservationKey,
    ObservationView,
    convert_block,
    convert_cell,
    format_block,
    parse_block,
    parse_dims,
)

_Index = QModelIndex | QPersistentModelIndex

# Columns ----------------------------------------------------------------------------------
(COL_INDICATOR, COL_QUARTER, COL_STRAND, COL_DIMS, COL_PHASE, COL_VALUE, COL_NUMERATOR,
 COL_DENOMINATOR, COL_N, COL_QUALITY, COL_SOURCE, COL_COMMENT, COL_LOCKED) = range(13)

TITLES = ("Indicator", "Quarter", "Strand", "Disaggregation", "Phase", "Value", "Numerator",
          "Denominator", "n", "Quality", "Source", "Comment", "Locked")
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
#: column -> Observation field the column edits
FIELDS: dict[int, str] = {
    COL_PHASE: "phase", COL_VALUE: "value", COL_NUMERATOR: "numerator",
    COL_DENOMINATOR: "denominator", COL_N: "n_sample", COL_QUALITY: "quality_status",
    COL_SOURCE: "data_source", COL_COMMENT: "comment",
}
COLUMN_OF_FIELD = {f: c for c, f in FIELDS.items()}
KEY_COLUMNS = (COL_INDICATOR, COL_QUARTER, COL_STRAND, COL_DIMS)
NUMBER_COLUMNS = (COL_VALUE, COL_NUMERATOR, COL_DENOMINATOR, COL_N)
_NUMERIC = ("value", "numerator", "denominator", "n_sample")
_LOCKED_FG = QColor("#6b6b6b")
_LOCKED_BG = QColor("#eeeeee")




def _decimal_point() -> str | None:
    point = QLocale().decimalPoint()
    return point if point in (".", ",") else None


def _show_number(value: float | int | None) -> str:
    """A number as the user's locale writes it: 61,5 where the decimal mark is a comma."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.10g}"
    return text.replace(".", _decimal_point() or ".")


def _dims_text(dims: dict[str, str]) -> str:
    return "; ".join(f"{d}={c}" for d, c in sorted(dims.items()))


def _cell_kind(column: int, unit: str | None) -> CellKind:
    if column == COL_QUARTER:
        return CellKind.QUARTER
    if column == COL_VALUE:
        return CellKind.PERCENT if unit == E.Unit.PERCENT else CellKind.NUMBER
    if column in (COL_NUMERATOR, COL_DENOMINATOR):
        return CellKind.NUMBER
    if column == COL_N:
        return CellKind.WHOLE
    if column == COL_LOCKED:
        return CellKind.IGNORE
    return CellKind.TEXT


def _describe(key: ObservationKey) -> str:
    return key.describe()


# The model ---------------------------------------------------------------------------------


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
            return _dims_text(row.dims)
        if column == COL_LOCKED:
            return row.locked
        return getattr(row, FIELDS[column])

    def text(self, row: ObservationView, column: int) -> str:
        """A cell as text: what is shown, copied and edited."""
        v = self.raw(row, column)
        if column in NUMBER_COLUMNS:
            return _show_number(v)
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
        idx = self.currentIndex()
        model = self.model()
        return (idx.isValid() and isinstance(model, ObservationTableModel)
                and model.row_at(idx.row()).locked)


# Dialogs -----------------------------------------------------------------------------------


class AddObservationDialog(QDialog):
    """Quarter, strand, disaggregation and the numbers of a new observation.

    ``submit(values)`` saves them and raises DomainError to keep the dialog open with the
    message shown under the fields.
    """

    def __init__(self, indicators: Sequence[tuple[str, str]], strands: Sequence[str],
                 submit: Callable[[dict[str, Any]], None], *, indicator: str | None = None,
                 quarter: str = "", strand: str | None = None, dims: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add observation")
        self.submit = submit
        form = QFormLayout()
        self.indicator = QComboBox()
        for code, label in indicators:
            self.indicator.addItem(label, code)
        self.indicator.setCurrentIndex(max(self.indicator.findData(indicator), 0))
        self.quarter = QLineEdit(quarter)
        self.quarter.setPlaceholderText("2024Q2")
        self.strand = QComboBox()
        self.strand.addItem("— programme total —", None)
        for s in strands:
            self.strand.addItem(s, s)
        self.strand.setCurrentIndex(max(self.strand.findData(strand), 0))
        self.dims = QLineEdit(dims)
        self.dims.setPlaceholderText("empty for a total, or sex=female; age_band=15-24")
        self.phase = QComboBox()
        self.quality = QComboBox()
        for combo, enum in ((self.phase, E.Phase), (self.quality, E.QualityStatus)):
            combo.addItem("— not set —", None)
            for m in enum:
                combo.addItem(words(m.value), m.value)
        self.value = QLineEdit()
        self.numerator = QLineEdit()
        self.denominator = QLineEdit()
        self.n_sample = QLineEdit()
        self.source = QLineEdit()
        self.comment = QLineEdit()
        for label, widget in (("&Indicator", self.indicator), ("&Quarter", self.quarter),
                              ("&Strand", self.strand), ("&Disaggregation", self.dims),
                              ("&Phase", self.phase), ("&Value", self.value),
                              ("&Numerator", self.numerator),
                              ("D&enominator", self.denominator), ("Sample si&ze (n)",
                                                                    self.n_sample),
                              ("Q&uality", self.quality), ("S&ource", self.source),
                              ("&Comment", self.comment)):
            widget.setAccessibleName(label.replace("&", ""))
            form.addRow(label + ":", widget)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e;")
        self.message.setAccessibleName("Problems")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.message)
        lay.addWidget(self.buttons)
        (self.value if quarter else self.quarter).setFocus()

    def values(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator.currentData(), "quarter": self.quarter.text(),
            "strand": self.strand.currentData(), "dims": self.dims.text(),
            "phase": self.phase.currentData(), "value": self.value.text(),
            "numerator": self.numerator.text(), "denominator": self.denominator.text(),
            "n_sample": self.n_sample.text(), "quality_status": self.quality.currentData(),
            "data_source": self.source.text(), "comment": self.comment.text(),
        }

    def try_accept(self) -> None:
        try:
            self.submit(self.values())
        except DomainError as exc:
            self.message.setText(str(exc))
            return
        self.accept()


class CorrectionDialog(QDialog):
    """The corrected value of a locked quarter and the reason, which is required."""

    def __init__(self, row: ObservationView, field: str, current: str,
                 submit: Callable[[str, str, str], None], parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Correct a locked value")
        self.submit = submit
        intro = QLabel(f"<b>{_describe(row.key)}</b> is in a locked quarter. The value it "
                       "holds now is kept as a revision, with your reason.")
        intro.setWordWrap(True)
        self.field = QComboBox()
        for f in CORRECTABLE:
            self.field.addItem(TITLES[COLUMN_OF_FIELD[f]], f)
        self.field.setCurrentIndex(max(self.field.findData(field), 0))
        self.new_value = QLineEdit(current)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("e.g. survey re-weighted by the statistics office")
        form = QFormLayout()
        for label, widget in (("&Field", self.field), ("&New value", self.new_value),
                              ("&Reason (required)", self.reason)):
            widget.setAccessibleName(label.replace("&", ""))
            form.addRow(label + ":", widget)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e;")
        self.message.setAccessibleName("Problems")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Correct")
        self.ok_button.setEnabled(False)
        self.reason.textChanged.connect(
            lambda t: self.ok_button.setEnabled(bool(t.strip())))
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(form)
        lay.addWidget(self.message)
        lay.addWidget(self.buttons)
        self.new_value.setFocus()
        self.new_value.selectAll()

    def try_accept(self) -> None:
        try:
            self.submit(self.field.currentData(), self.new_value.text(), self.reason.text())
        except DomainError as exc:
            self.message.setText(str(exc))
            return
        self.accept()


# The tab -----------------------------------------------------------------------------------

BY_INDICATOR, BY_QUARTER = "indicator", "quarter"
ALL_STRANDS = "*"  # not a valid strand code, so it cannot collide with one


class ObservationTab(ProgrammeView):
    """The observations of the selected programme, one indicator or one quarter at a time."""

    def __init__(self, services: Services, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, undo_stack, parent)
        self._units: dict[str, str] = {}
        self._loading = False

        self.mode = QComboBox()
        self.mode.addItem("By indicator", BY_INDICATOR)
        self.mode.addItem("By quarter", BY_QUARTER)
        self.mode.setAccessibleName("Show observations")
        self.mode.currentIndexChanged.connect(self._mode_changed)
        mode_label = QLabel("Sho&w:")
        mode_label.setBuddy(self.mode)
        self.selector = QComboBox()
        self.selector.setAccessibleName("Indicator")
        self.selector.setMinimumContentsLength(30)
        self.selector.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.selector.currentIndexChanged.connect(lambda _i: self.reload())
        self.selector_label = QLabel("In&dicator:")
        self.selector_label.setBuddy(self.selector)
        self.strand_filter = QComboBox()
        self.strand_filter.setAccessibleName("Strand shown")
        self.strand_filter.setToolTip("Show the observations of one strand or site, of the "
                                      "programme total, or all of them")
        self.strand_filter.currentIndexChanged.connect(lambda _i: self.reload())
        strand_label = QLabel("S&trand:")
        strand_label.setBuddy(self.strand_filter)

        self.model = ObservationTableModel(self)
        self.model.on_edit = self._edit_cell
        self.view = ObservationTableView()
        # Size columns from the first rows only: measuring every cell of a long series
        # froze the window (97,000 data() calls for 1,229 rows).
        self.view.horizontalHeader().setResizeContentsPrecision(100)
        self.view.setModel(self.model)
        self.view.setAccessibleName("Observations")
        self.view.setAccessibleDescription(
            "Edit a cell with F2 or by typing; Ctrl+V pastes a block copied from a "
            "spreadsheet; locked quarters are read-only, F2 there corrects a value with a "
            "reason.")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.view.setTabKeyNavigation(False)  # Tab leaves the grid; arrows move inside it
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setItemDelegateForColumn(
            COL_PHASE, ChoiceDelegate([m.value for m in E.Phase], "Phase", self.view))
        self.view.setItemDelegateForColumn(
            COL_QUALITY, ChoiceDelegate([m.value for m in E.QualityStatus], "Quality status",
                                        self.view))
        self.view.paste_requested.connect(self.paste)
        self.view.copy_requested.connect(self.copy_selection)
        self.view.correct_requested.connect(self.correct_locked_value)
        self.view.selectionModel().currentChanged.connect(self._current_changed)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Observation messages")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        def action(text: str, slot: Callable[[], object], shortcut: str | None,
                   tip: str) -> QAction:
            a = QAction(text, self)
            if shortcut:
                a.setShortcut(QKeySequence(shortcut))
                a.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            a.setToolTip(tip)
            a.setStatusTip(tip)
            a.triggered.connect(lambda _checked=False: slot())
            self.addAction(a)
            return a

        self.add_action = action("&Add observation…", self.add_observation, "Ins",
                                 "Log a value for a quarter, strand and disaggregation (Ins)")
        self.delete_action = action("De&lete selected", self.delete_selected, "Ctrl+Del",
                                    "Delete the observations of the selected rows (Ctrl+Del)")
        self.paste_action = action("Pa&ste", self.paste, None,
                                   "Paste a block copied from Excel or LibreOffice at the "
                                   "current cell (Ctrl+V); one undoable step")
        self.copy_action = action("Cop&y", self.copy_selection, None,
                                  "Copy the selected cells for a spreadsheet (Ctrl+C)")
        self.correct_action = action("Co&rrect locked value…", self.correct_locked_value, None,
                                     "Correct a value of a locked quarter with a reason; the "
                                     "old value is kept as a revision (F2 on a locked cell)")
        self.history_action = action("Correctio&ns…", self.show_revisions, None,
                                     "The corrections of the current observation")
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for a in (self.add_action, self.delete_action, self.copy_action, self.paste_action,
                  self.correct_action, self.history_action):
            self.view.addAction(a)

        top = QHBoxLayout()
        top.addWidget(mode_label)
        top.addWidget(self.mode)
        top.addSpacing(12)
        top.addWidget(self.selector_label)
        top.addWidget(self.selector, 1)
        top.addSpacing(12)
        top.addWidget(strand_label)
        top.addWidget(self.strand_filter)
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for name, a in (("add", self.add_action), ("delete", self.delete_action),
                        ("paste", self.paste_action), ("copy", self.copy_action),
                        ("correct", self.correct_action), ("history", self.history_action)):
            b = QPushButton(a.text())
            b.setToolTip(a.toolTip())
            b.clicked.connect(a.trigger)
            self.buttons[name] = b
            buttons.addWidget(b)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.view, 1)
        lay.addLayout(buttons)
        lay.addWidget(self.status)
        self.setTabOrder(self.mode, self.selector)
        self.setTabOrder(self.selector, self.strand_filter)
        self.setTabOrder(self.strand_filter, self.view)
        previous: QWidget = self.view
        for b in self.buttons.values():
            self.setTabOrder(previous, b)
            previous = b
        self.setEnabled(False)

    # ------------------------------------------------------------------------------ loading

    def set_programme(self, code: str | None) -> None:
        changed = code != self.code
        self.code = code
        self.setEnabled(code is not None)
        self.status.clear()
        if changed:
            self._fill_strands()
        self._fill_selector()

    def _fill_strands(self) -> None:
        self._loading = True
        try:
            self.strand_filter.clear()
            self.strand_filter.addItem("all", ALL_STRANDS)
            self.strand_filter.addItem("programme total", None)
            try:
                strands = [] if self.code is None else self.services.programmes.strands(self.code)
            except NotFound:
                strands = []
            for st in strands:
                self.strand_filter.addItem(f"{st.code} — {st.name}", st.code)
        finally:
            self._loading = False

    def set_strand(self, strand: str | None = ALL_STRANDS) -> None:
        """Show one strand's observations (None: the programme total; ALL_STRANDS: all)."""
        index = 1 if strand is None else self.strand_filter.findData(strand)
        self.strand_filter.setCurrentIndex(max(index, 0))

    @property
    def by_quarter(self) -> bool:
        return self.mode.currentData() == BY_QUARTER

    def _mode_changed(self) -> None:
        self.selector_label.setText("&Quarter:" if self.by_quarter else "In&dicator:")
        self.selector.setAccessibleName("Quarter" if self.by_quarter else "Indicator")
        self.view.setColumnHidden(COL_INDICATOR, not self.by_quarter)
        self.view.setColumnHidden(COL_QUARTER, self.by_quarter)
        self._fill_selector()

    def refresh(self) -> None:
        """Re-read the indicators or quarters to choose from and the rows (after changes made
        elsewhere: a quarter locked, an indicator added, an undo in another tab)."""
        self._fill_selector()

    def _fill_selector(self) -> None:
        code = self.code
        items: list[tuple[str, str]] = []
        self._units = {}
        try:
            indicators = [] if code is None else self.services.indicators.of_programme(code)
            if code is not None and self.by_quarter:
                items = [(q, q) for q in self.services.observations.quarters(code)]
        except NotFound:  # the programme is gone (e.g. its creation was undone)
            indicators, items = [], []
        self._units = {i.code: i.unit for i in indicators}
        if not self.by_quarter:  # outcomes first (domain §1.5.1 E)
            items = [(f"{i.code} — {i.name} ({words(i.result_level)}, {words(i.unit)})",
                      i.code) for i in indicators]
        current = [(self.selector.itemText(i), self.selector.itemData(i))
                   for i in range(self.selector.count())]
        if items != current:
            previous = self.selector.currentData()
            self._loading = True
            try:
                self.selector.clear()
                for text, data in items:
                    self.selector.addItem(text, data)
                index = self.selector.findData(previous)
                if index < 0 and self.by_quarter:
                    index = self.selector.count() - 1  # the latest quarter
                self.selector.setCurrentIndex(max(index, 0))
            finally:
                self._loading = False
        self.view.setColumnHidden(COL_INDICATOR, not self.by_quarter)
        self.view.setColumnHidden(COL_QUARTER, self.by_quarter)
        self.reload()

    def select_indicator(self, code: str) -> None:
        if self.by_quarter:
            self.mode.setCurrentIndex(self.mode.findData(BY_INDICATOR))
        self.selector.setCurrentIndex(self.selector.findData(code))

    def select_quarter(self, quarter: str) -> None:
        if not self.by_quarter:
            self.mode.setCurrentIndex(self.mode.findData(BY_QUARTER))
        self.selector.setCurrentIndex(self.selector.findData(quarter))

    def reload(self) -> None:
        if self._loading:
            return
        selected = self.selector.currentData()
        rows: list[ObservationView] = []
        if self.code is not None and selected:
            try:
                if self.by_quarter:
                    rows = self.services.observations.find(self.code, period=selected)
                else:
                    rows = self.services.observations.find(self.code, indicator=selected)
            except NotFound:
                rows = []
        strand = self.strand_filter.currentData()
        if self.strand_filter.currentIndex() > 0:
            rows = [r for r in rows if r.strand_code == strand]
        current = self.view.currentIndex()
        key = self.model.row_at(current.row()).key if current.isValid() else None
        column = current.column() if current.isValid() else self._first_visible_column()
        if self.model.set_rows(rows, self._units):
            if key is not None:
                self._go_to(key, column)
            self.view.resizeColumnsToContents()
            for c in (COL_SOURCE, COL_COMMENT):
                self.view.setColumnWidth(c, min(self.view.columnWidth(c), 260))
        self._current_changed()

    def _after_change(self) -> None:
        self.reload()
        self.changed.emit()

    def _current_changed(self, *_args: Any) -> None:
        row = self._current_row()
        locked = row is not None and row.locked
        self.correct_action.setEnabled(locked)
        self.buttons["correct"].setEnabled(locked)
        has_revisions = row is not None and row.revisions > 0
        self.history_action.setEnabled(has_revisions)
        self.buttons["history"].setEnabled(has_revisions)

    def current_row(self) -> ObservationView | None:
        """The observation under the cursor, if any."""
        return self._current_row()

    def _current_row(self) -> ObservationView | None:
        idx = self.view.currentIndex()
        return self.model.row_at(idx.row()) if idx.isValid() else None

    def _first_visible_column(self) -> int:
        return self._visible_columns()[0]

    def _visible_columns(self) -> list[int]:
        header = self.view.horizontalHeader()
        logical = (header.logicalIndex(v) for v in range(self.model.columnCount()))
        return [c for c in logical if not self.view.isColumnHidden(c)]

    def _subject(self) -> str:
        return str(self.selector.currentData() or "")

    # ------------------------------------------------------------------------------ messages

    def _say(self, text: str, *, problem: bool = False) -> None:
        self.status.setStyleSheet("color: #b3261e;" if problem else "")
        self.status.setText(text)

    def _problem(self, exc: BaseException) -> None:
        """A refused change: domain errors inline (lists of several also as a dialog, where
        they can be read and copied), bugs as bugs."""
        if isinstance(exc, ValidationFailed) and len(exc.problems) > 1:
            self._say(str(exc).split("\n", 1)[0], problem=True)
            report_exception(exc, self)
        elif isinstance(exc, DomainError):
            self._say(str(exc), problem=True)
        else:
            report_exception(exc, self)

    # ------------------------------------------------------------------------------- helpers

    def _id_of(self, key: ObservationKey) -> int:
        code = self.code
        assert code is not None
        oid = self.services.observations.locate(code, key)
        if oid is None:
            raise NotFound(f"{_describe(key)} no longer exists")
        return oid

    def _convert(self, field: str, value: Any, unit: str | None) -> Any:
        """A typed or chosen cell value as the service stores it (numbers read like pasted
        cells: decimal commas, thousands marks, percent signs for percent indicators)."""
        if value is None or isinstance(value, bool | int | float):
            return value
        text = str(value)
        column = COLUMN_OF_FIELD[field]
        if column in NUMBER_COLUMNS:
            return convert_cell(text, _cell_kind(column, unit), decimal=_decimal_point())
        return text.strip() or None

    # -------------------------------------------------------------------------------- edits

    def _edit_cell(self, row: ObservationView, field: str, value: Any) -> bool:
        title = TITLES[COLUMN_OF_FIELD[field]]
        try:
            new = self._convert(field, value, self._units.get(row.indicator_code))
        except CellError as exc:
            self._say(f"{_describe(row.key)}, {title}: '{value}' {exc}", problem=True)
            return False
        old = getattr(row, field)
        if new == old:
            return False
        key = row.key
        observations = self.services.observations
        shown = _show_number(new) if isinstance(new, int | float) else (new or "empty")
        text = f"set {title.lower()} of {_describe(key)} to {shown}"
        try:
            apply_edit(self.undo_stack, text,
                       lambda: observations.update(self._id_of(key), {field: new}, reason=text),
                       lambda: observations.update(self._id_of(key), {field: old},
                                                   reason=f"undo: {text}"),
                       after=self._after_change)
        except Exception as exc:
            self._problem(exc)
            return False
        self._say(f"Saved: {text}.")
        return True

    def add_observation(self) -> None:
        if self.code is None:
            return
        indicators = [(i.code, f"{i.code} — {i.name}")
                      for i in self.services.indicators.of_programme(self.code)]
        if not indicators:
            self._say("This programme has no indicators yet; add one first.", problem=True)
            return
        strands = [s.code for s in self.services.programmes.strands(self.code)]
        row = self._current_row() or (self.model.rows[-1] if self.model.rows else None)
        indicator = row.indicator_code if row else (
            None if self.by_quarter else self.selector.currentData())
        if self.by_quarter:
            quarter = self.selector.currentData() or ""
        elif self.model.rows:
            quarter = str(Quarter.parse(self.model.rows[-1].period).next())
        else:
            quarter = ""
        dialog = AddObservationDialog(
            indicators, strands, self._submit_new, indicator=indicator, quarter=quarter,
            strand=row.strand_code if row else None, dims=_dims_text(row.dims) if row else "",
            parent=self)
        dialog.exec()

    def _submit_new(self, values: dict[str, Any]) -> None:
        """Save the Add dialog's values as one undoable step; DomainError keeps it open."""
        code = self.code
        assert code is not None
        indicator = values["indicator"]
        unit = self._units.get(indicator)
        problems = []
        try:
            quarter = str(Quarter.parse(values["quarter"].strip()))
        except DomainError as exc:
            problems.append(str(exc))
            quarter = ""
        try:
            dims = parse_dims(values["dims"])
        except CellError as exc:
            problems.append(f"disaggregation '{values['dims']}' {exc}")
            dims = {}
        fields: dict[str, Any] = {}
        for field in ("phase", "quality_status", "data_source", "comment", "value",
                      "numerator", "denominator", "n_sample"):
            try:
                v = self._convert(field, values[field], unit)
            except CellError as exc:
                problems.append(f"{TITLES[COLUMN_OF_FIELD[field]].lower()} "
                                f"'{values[field]}' {exc}")
                continue
            if v is not None:
                fields[field] = v
        if problems:
            raise DomainError("; ".join(problems))
        strand = values["strand"]
        key = ObservationKey(indicator, quarter, strand, dims_key(dims))
        observations = self.services.observations
        text = f"add observation {_describe(key)}"
        apply_edit(self.undo_stack, text,
                   lambda: observations.record(code, indicator, quarter, strand=strand,
                                               dims=dims, reason=text, **fields),
                   lambda: observations.delete(self._id_of(key), reason=f"undo: {text}"),
                   after=self._after_change)
        self._say(f"Added {_describe(key)}.")
        if not self.by_quarter and self.selector.currentData() != indicator:
            self.select_indicator(indicator)
        elif self.by_quarter and self.selector.findData(quarter) < 0:
            self._fill_selector()
        self._go_to(key)

    def _go_to(self, key: ObservationKey, column: int = COL_VALUE) -> None:
        for r, row in enumerate(self.model.rows):
            if row.key == key:
                self.view.setCurrentIndex(self.model.index(r, column))
                return

    def _selected_rows(self) -> list[ObservationView]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedIndexes()})
        if not rows and self.view.currentIndex().isValid():
            rows = [self.view.currentIndex().row()]
        return [self.model.row_at(r) for r in rows]

    def delete_selected(self) -> None:
        rows = self._selected_rows()
        if not rows:
            self._say("Select the observations to delete first.", problem=True)
            return
        locked = sorted({r.period for r in rows if r.locked})
        if locked:
            self._say(f"{', '.join(locked)} {'is' if len(locked) == 1 else 'are'} locked; its "
                      "observations cannot be deleted (unlock the quarter with a reason first).",
                      problem=True)
            return
        keys = [r.key for r in rows]
        observations = self.services.observations
        text = (f"delete observation {_describe(keys[0])}" if len(keys) == 1 else
                f"delete {len(keys)} observations of {self._subject()}")
        deleted: list[DeletedObservation] = []

        def do() -> None:
            gone = observations.delete_many([self._id_of(k) for k in keys], reason=text)
            deleted[:] = gone

        try:
            apply_edit(self.undo_stack, text, do,
                       lambda: observations.restore(deleted, reason=f"undo: {text}"),
                       after=self._after_change)
        except Exception as exc:
            self._problem(exc)
            return
        self._say(f"Deleted {len(keys)} observation(s); Undo (Ctrl+Z) brings them back.")

    # ------------------------------------------------------------------------- corrections

    def correct_locked_value(self) -> None:
        idx = self.view.currentIndex()
        if not idx.isValid():
            self._say("Choose the cell to correct first.", problem=True)
            return
        row = self.model.row_at(idx.row())
        if not row.locked:
            self._say(f"{row.period} is open: edit the cell directly.", problem=False)
            return
        field = FIELDS.get(idx.column(), "value")
        if field not in CORRECTABLE:
            field = "value"
        current = self.model.text(row, COLUMN_OF_FIELD[field])
        dialog = CorrectionDialog(row, field, current,
                                  lambda f, v, why: self._submit_correction(row, f, v, why),
                                  parent=self)
        dialog.exec()

    def _submit_correction(self, row: ObservationView, field: str, value: str,
                           reason: str) -> None:
        new = self._convert(field, value, self._units.get(row.indicator_code))
        old = getattr(row, field)
        key = row.key
        why = reason.strip()
        observations = self.services.observations
        title = TITLES[COLUMN_OF_FIELD[field]].lower()
        text = f"correct {title} of {_describe(key)}"
        # Undo is a correction too: a locked quarter's history only grows.
        apply_edit(self.undo_stack, text,
                   lambda: observations.correct(self._id_of(key), {field: new}, reason=why),
                   lambda: observations.correct(self._id_of(key), {field: old},
                                                reason=f"undo of correction: {why}"),
                   after=self._after_change)
        self._say(f"Corrected {title} of {_describe(key)}; the previous value is kept as a "
                  "revision.")

    def show_revisions(self) -> None:
        row = self._current_row()
        if row is None:
            return
        try:
            revisions = self.services.observations.revisions(self._id_of(row.key))
        except Exception as exc:
            self._problem(exc)
            return
        lines = []
        for r in revisions:
            before = ", ".join(f"{TITLES[COLUMN_OF_FIELD[f]].lower()} "
                               f"{_show_number(getattr(r, f)) if f in _NUMERIC else getattr(r, f)}"
                               for f in CORRECTABLE if getattr(r, f) is not None)
            lines.append(f"Revision {r.revision}, {r.revised_at:%Y-%m-%d %H:%M} UTC by "
                         f"{r.revised_by}\n  before: {before or '(empty)'}\n  why: {r.reason}")
        dialog = QDialog(self)
        dialog.setWindowTitle(f"Corrections of {_describe(row.key)}")
        text = QPlainTextEdit("\n\n".join(lines) or "No corrections.")
        text.setReadOnly(True)
        text.setAccessibleName("Corrections")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        lay = QVBoxLayout(dialog)
        lay.addWidget(text)
        lay.addWidget(buttons)
        dialog.resize(560, 320)
        dialog.exec()

    # ------------------------------------------------------------------------ the clipboard

    def copy_selection(self) -> None:
        indexes = self.view.selectionModel().selectedIndexes()
        if not indexes and self.view.currentIndex().isValid():
            indexes = [self.view.currentIndex()]
        if not indexes:
            return
        rows = sorted({i.row() for i in indexes})
        columns = [c for c in self._visible_columns() if c in {i.column() for i in indexes}]
        grid = [[self.model.text(self.model.row_at(r), c) for c in columns] for r in rows]
        QApplication.clipboard().setText(format_block(grid))
        self._say(f"Copied {len(rows)} × {len(columns)} cell(s).")

    def paste(self) -> None:
        self.paste_text(QApplication.clipboard().text())

    def paste_text(self, text: str) -> None:
        """Paste a block at the current cell as one undoable step.

        Block rows land on consecutive grid rows; past the last row, new observations are
        created for the following quarters (same strand and disaggregation as the last row,
        unless the block has those columns). Nothing is saved when any cell is wrong.
        """
        if self.code is None:
            return
        grid = parse_block(text)
        if not grid:
            self._say("The clipboard holds no cells to paste.", problem=True)
            return
        try:
            rows, start_row, columns = self._block_rows(grid)
        except Exception as exc:
            self._problem(exc)
            return
        code = self.code
        observations = self.services.observations
        height, width = len(grid), len(grid[0])
        text = f"paste {height} × {width} cells into {self._subject()}"
        result: list[BlockResult] = []

        def do() -> None:
            first = not result
            result[:] = [observations.apply_block(code, rows, reason=text)]
            if first and not result[0].entries:
                raise DomainError("the pasted values are the ones already stored; nothing "
                                  "changed")

        try:
            apply_edit(self.undo_stack, text, do,
                       lambda: observations.revert_block(result[0], reason=f"undo: {text}"),
                       after=self._after_change)
        except Exception as exc:
            self._problem(exc)
            return
        self._select_block(start_row, height, columns)
        done = result[0]
        self._say(f"Pasted {height} × {width} cells: {len(done.created_ids)} observation(s) "
                  f"added, {len(done.changed_ids)} changed. Undo (Ctrl+Z) reverts the whole "
                  "block.")

    def _block_rows(self, grid: list[list[str]]) -> tuple[list[BlockRow], int, list[int]]:
        """Where each block row lands, with its cells converted; every problem at once."""
        visible = self._visible_columns()
        current = self.view.currentIndex()
        start_row = current.row() if current.isValid() else 0
        start_col = current.column() if current.isValid() else visible[0]
        at = visible.index(start_col) if start_col in visible else 0
        width = len(grid[0])
        if at + width > len(visible):
            raise DomainError(
                f"the block is {width} columns wide, but only {len(visible) - at} column(s) "
                f"from '{TITLES[visible[at]]}' to the right edge can take it; start the paste "
                "further left")
        columns = visible[at:at + width]
        n = len(self.model.rows)
        template = self.model.rows[-1] if self.model.rows else None
        indicator = self._subject() if not self.by_quarter else None

        def unit_at(r: int) -> str | None:
            grid_row = start_row + r
            if grid_row < n:
                return self._units.get(self.model.rows[grid_row].indicator_code)
            return self._units.get(indicator or "")

        values = convert_block(grid, lambda r, c: _cell_kind(columns[c], unit_at(r)),
                               lambda c: TITLES[columns[c]], decimal=_decimal_point())
        problems: list[str] = []
        rows: list[BlockRow] = []
        for i, cells in enumerate(values):
            grid_row = start_row + i
            label = f"row {i + 1} of the block"
            given = {columns[j]: (v, grid[i][j]) for j, v in enumerate(cells)}
            changes = {FIELDS[c]: v for c, (v, _t) in given.items() if c in FIELDS}
            if grid_row < n:
                row = self.model.rows[grid_row]
                if row.locked:
                    problems.append(f"{label} lands on {_describe(row.key)}, which is in a "
                                    "locked quarter; use Correct locked value… for it")
                    continue
                mismatch = self._key_mismatch(row, given)
                if mismatch:
                    problems.append(f"{label}: {mismatch}")
                    continue
                rows.append(BlockRow(row.indicator_code, row.period, row.strand_code,
                                     row.dims, changes, f"{label} ({_describe(row.key)})"))
                continue
            if self.by_quarter:
                problems.append(f"{label} runs past the last row; in the by-quarter view, add "
                                "the observations first (or paste in the by-indicator view)")
                continue
            assert indicator is not None
            quarter = given.get(COL_QUARTER, (None, ""))[0]
            if quarter is None:
                if template is None:
                    problems.append(f"{label}: {indicator} has no observations yet, so the "
                                    "quarter is not known; paste a block whose first column "
                                    "is the quarter")
                    continue
                quarter = str(Quarter.parse(template.period).shift(grid_row - n + 1))
            strand = (given[COL_STRAND][0] if COL_STRAND in given else
                      template.strand_code if template else None)
            try:
                dims = (parse_dims(given[COL_DIMS][1]) if COL_DIMS in given else
                        dict(template.dims) if template else {})
            except CellError as exc:
                problems.append(f"{label}, column 'Disaggregation': "
                                f"'{given[COL_DIMS][1].strip()}' {exc}")
                continue
            rows.append(BlockRow(indicator, quarter, strand, dims, changes,
                                 f"{label} (new, {quarter})"))
        if problems:
            raise ValidationFailed(problems, f"{len(problems)} problem(s) in the pasted block; "
                                             "nothing was pasted")
        return rows, start_row, columns

    @staticmethod
    def _key_mismatch(row: ObservationView, given: dict[int, tuple[Any, str]]) -> str | None:
        """A pasted quarter, strand, disaggregation or indicator that is not the row's."""
        for column in KEY_COLUMNS:
            if column not in given:
                continue
            value, text = given[column]
            stored: str | None
            if column == COL_DIMS:
                try:
                    same = parse_dims(text) == row.dims
                except CellError:
                    same = False
                stored = _dims_text(row.dims)
            else:
                stored = {COL_INDICATOR: row.indicator_code, COL_QUARTER: row.period,
                          COL_STRAND: row.strand_code}[column]
                same = (value or None) == stored
            if not same:
                return (f"{TITLES[column].lower()} '{text.strip()}' was pasted on "
                        f"{_describe(row.key)} ('{stored or 'empty'}'); quarter, strand and "
                        "disaggregation identify an observation, so paste those columns only "
                        "on matching rows")
        return None

    def _select_block(self, start_row: int, height: int, columns: list[int]) -> None:
        last = min(start_row + height, self.model.rowCount()) - 1
        if last < start_row:
            return
        selection = QItemSelection(self.model.index(start_row, columns[0]),
                                   self.model.index(last, columns[-1]))
        self.view.setCurrentIndex(self.model.index(start_row, columns[0]))
        self.view.selectionModel().select(selection,
                                          QItemSelectionModel.SelectionFlag.ClearAndSelect)

