"""The evaluator checklists (CDQ, CLQ, SUQ, EQQ of domain §2) answered per programme (or one of
its strands) and quarter.

An answer is yes, partly, no, unknown or n/a, with a comment and the evidence behind it. The
risky answer of an item (or "unknown" on a serious one) raises a judgement flag when the rules
next run (domain §1.7), so the cell is coloured by the severity it would raise. Each edit is one
undoable step; undoing the first answer to an item removes it again.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from coprod_me.gui.programme_view import ProgrammeView
from coprod_me.gui.rag_badges import CATEGORY_WORDS, SEVERITY_COLOURS
from coprod_me.gui.table_models import ChoiceDelegate
from coprod_me.gui.undo_commands import apply_edit
from coprod_me.model.enums import ChecklistAnswer, RiskCategory, Severity
from coprod_me.model.errors import DomainError
from coprod_me.services import Services

if TYPE_CHECKING:
    from coprod_me.services.checklists import ChecklistAnswerView as Answer

_Index = QModelIndex | QPersistentModelIndex
ANSWER, COMMENT, EVIDENCE = "answer", "comment", "evidence"
#: (title, field or None for read-only columns)
COLUMNS: tuple[tuple[str, str | None], ...] = (
    ("Item", None), ("Question", None), ("Answer", ANSWER), ("Comment", COMMENT),
    ("Evidence", EVIDENCE), ("Risky answer", None))
COL_ITEM, COL_QUESTION, COL_ANSWER, COL_COMMENT, COL_EVIDENCE, COL_RISK = range(len(COLUMNS))
NOT_ANSWERED = "— not answered —"
EVIDENCE_MISSING = "— required —"
MISSING_COLOUR = "#7a4f01"  # the amber text of a medium badge: to do, not a risk
CHECKLIST_CATEGORIES = (RiskCategory.CO_DESTRUCTION, RiskCategory.CLIENTELISM,
                        RiskCategory.SUSTAINABILITY, RiskCategory.EQUITY)


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, list | tuple):
        return ", ".join(str(x) for x in v)
    return str(v)


def lacks_evidence(row: Answer) -> bool:
    """An answer (other than unknown or n/a) to an item that asks for evidence, with none."""
    return (bool(row.evidence_required) and row.answer not in (None, "unknown", "n/a")
            and not _text(row.evidence).strip() and not row.linked_evidence)


def raised_severity(row: Answer) -> str | None:
    """The judgement flag this answer raises: the item's severity for the risky answer,
    one level lower for 'unknown' on a serious item (domain §1.7); None when it raises none."""
    item = row
    if row.answer is None:
        return None
    if row.answer == item.risk_answer:
        return str(item.severity_if_risk)
    if row.answer == ChecklistAnswer.PARTLY.value and item.severity_if_partly:
        return str(item.severity_if_partly)  # e.g. CDQ-1: partly agreed aims → medium
    if row.answer == ChecklistAnswer.UNKNOWN.value:
        rank = Severity(item.severity_if_risk).rank
        if rank >= Severity.HIGH.rank:
            return list(Severity)[rank - 1].value
    return None


class ChecklistModel(QAbstractTableModel):
    """The checklist rows handed to it (one per item, with its answer if any); answer, comment
    and evidence are editable.

    ``on_edit(row, field, value) -> bool`` saves an edited cell.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[Answer] = []
        self.on_edit: Callable[[Answer, str, Any], bool] | None = None

    def set_rows(self, rows: Sequence[Answer]) -> None:
        rows = list(rows)
        if self.rows and [r.code for r in rows] == [r.code for r in self.rows]:
            self.rows = rows  # same items: update in place so the cursor stays
            self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1,
                                                               len(COLUMNS) - 1))
            return
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def row_of(self, item_code: str) -> int | None:
        return next((i for i, r in enumerate(self.rows) if r.code == item_code), None)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def _display(self, row: Answer, column: int) -> str:
        item = row
        if column == COL_ITEM:
            return str(item.code)
        if column == COL_QUESTION:
            return str(item.question)
        if column == COL_ANSWER:
            return row.answer or NOT_ANSWERED
        if column == COL_COMMENT:
            return _text(row.comment)
        if column == COL_EVIDENCE:
            if lacks_evidence(row):
                return EVIDENCE_MISSING
            linked = ", ".join(row.linked_evidence)
            return "; ".join(t for t in (_text(row.evidence), linked) if t)
        return f"{item.risk_answer} → {item.severity_if_risk}"

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows) \
                or not 0 <= index.column() < len(COLUMNS):
            return None
        row, c = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, c)
        if role == Qt.ItemDataRole.EditRole:
            return {COL_ANSWER: row.answer or "", COL_COMMENT: _text(row.comment),
                    COL_EVIDENCE: _text(row.evidence)}.get(c, self._display(row, c))
        if c == COL_EVIDENCE and role == Qt.ItemDataRole.ForegroundRole and lacks_evidence(row):
            return QBrush(QColor(MISSING_COLOUR))
        if c == COL_ANSWER and role in (Qt.ItemDataRole.BackgroundRole,
                                        Qt.ItemDataRole.ForegroundRole):
            severity = raised_severity(row)
            if severity is None:
                return None
            fill, text = SEVERITY_COLOURS[severity]
            return QBrush(QColor(fill if role == Qt.ItemDataRole.BackgroundRole else text))
        if role == Qt.ItemDataRole.ToolTipRole:
            item = row
            if c == COL_ANSWER:
                severity = raised_severity(row)
                return (f"This answer raises a {severity} judgement flag when the rules run"
                        if severity else "Choose yes, partly, no, unknown or n/a (F2)")
            if c == COL_QUESTION:
                return f"{item.question}\n\n{item.help}" if item.help else str(item.question)
            if c == COL_EVIDENCE:
                if lacks_evidence(row):
                    return ("This item asks for the evidence behind the answer (a document, "
                            "minutes, a visit note): name it here (F2)")
                return ("Evidence is required for this item" if item.evidence_required else
                        "Evidence behind the answer (document codes, titles)")
            if c == COL_RISK:
                return (f"Answering {item.risk_answer} raises a {item.severity_if_risk} "
                        "judgement flag; 'unknown' on a high item raises one level lower")
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if COLUMNS[index.column()][1] is not None:
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (role != Qt.ItemDataRole.EditRole or not index.isValid() or self.on_edit is None
                or not 0 <= index.row() < len(self.rows)):
            return False
        field = COLUMNS[index.column()][1]
        if field is None:
            return False
        saved = self.on_edit(self.rows[index.row()], field, value)
        if saved:
            self.dataChanged.emit(index, index)
        return saved

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS) \
                and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        return None


class CategoryFilter(QSortFilterProxyModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.category: str | None = None

    def set_category(self, category: str | None) -> None:
        self.beginFilterChange()
        self.category = category
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, ChecklistModel)
        return self.category is None or model.rows[source_row].category == self.category


class ChecklistView(QTableView):
    """The checklist grid; Delete clears the cell (the answer, a comment or the evidence)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        idx = self.currentIndex()
        if (event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and idx.isValid()
                and self.state() != QAbstractItemView.State.EditingState
                and idx.flags() & Qt.ItemFlag.ItemIsEditable):
            self.model().setData(idx, "", Qt.ItemDataRole.EditRole)
            event.accept()
            return
        super().keyPressEvent(event)


class ChecklistTab(ProgrammeView):
    """A programme's checklist answers for one quarter, edited in place.

    A programme view of its own (the Risks tab hands it the programme and the services): it
    shows one programme, edits it one undoable step at a time and says ``changed`` after an
    edit, its undo and its redo, so the tab can have the rules checked again."""

    def __init__(self, services: Services, undo_stack: QUndoStack,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, undo_stack, parent)
        self.model = ChecklistModel(self)
        self.model.on_edit = self._edit
        self.proxy = CategoryFilter(self)
        self.proxy.setSourceModel(self.model)
        top = self._build_choices()
        self.view = self._build_view()
        self.help = QLabel()
        self.help.setWordWrap(True)
        self.help.setTextFormat(Qt.TextFormat.RichText)
        self.help.setAccessibleName("Question help")
        self.help.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.help.setMinimumHeight(60)
        self.help.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Checklist messages")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(top)
        lay.addWidget(self.view, 1)
        lay.addWidget(self.help)
        lay.addWidget(self.status)
        self.setTabOrder(self.quarter, self.strand)
        self.setTabOrder(self.strand, self.category)
        self.setTabOrder(self.category, self.view)
        self.setEnabled(False)

    def _build_choices(self) -> QHBoxLayout:
        """Quarter, strand and category over the grid; how complete the answers are."""
        self.quarter = QComboBox()
        self.quarter.setAccessibleName("Checklist quarter")
        self.quarter.currentIndexChanged.connect(self.reload)
        # answers are kept for the whole programme or for one strand (a district, a site):
        # the judgement flag of a strand's answer is that strand's
        self.strand = QComboBox()
        self.strand.setAccessibleName("Checklist strand")
        self.strand.setToolTip("Answer for the whole programme or for one strand")
        self.strand.currentIndexChanged.connect(self.reload)
        self.category = QComboBox()
        self.category.setAccessibleName("Checklist category")
        self.category.addItem("All checklists", None)
        for c in CHECKLIST_CATEGORIES:
            self.category.addItem(CATEGORY_WORDS[c.value], c.value)
        self.category.currentIndexChanged.connect(
            lambda *_a: self.proxy.set_category(self.category.currentData()))
        self.completeness = QLabel()
        self.completeness.setAccessibleName("Checklist completeness")
        top = QHBoxLayout()
        for text, widget in (("&Quarter:", self.quarter), ("Stra&nd:", self.strand),
                             ("C&ategory:", self.category)):
            label = QLabel(text)
            label.setBuddy(widget)
            top.addWidget(label)
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.completeness)
        return top

    def _build_view(self) -> ChecklistView:
        view = ChecklistView()
        view.setModel(self.proxy)
        view.setAccessibleName("Checklist")
        view.setAccessibleDescription(
            "One row per question. F2 or typing edits the answer, comment or evidence, "
            "Delete clears it; every change is saved at once and can be undone.")
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        view.setTabKeyNavigation(False)
        # one line per question: the whole question and its help show under the table
        view.setWordWrap(False)
        view.verticalHeader().hide()
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_QUESTION, QHeaderView.ResizeMode.Stretch)
        self.answer_delegate = ChoiceDelegate([a.value for a in ChecklistAnswer], "Answer",
                                              view, empty_label=NOT_ANSWERED)
        view.setItemDelegateForColumn(COL_ANSWER, self.answer_delegate)
        view.selectionModel().currentChanged.connect(self._show_help)
        return view

    # ---------------------------------------------------------------------------- loading

    def set_programme(self, code: str | None) -> None:
        if code != self.code:
            self.code = code
            self.status.clear()
            self._fill_strands()
            self._fill_quarters(latest=True)
        super().set_programme(code)

    def _fill_strands(self) -> None:
        self.strand.blockSignals(True)
        self.strand.clear()
        self.strand.addItem("Whole programme", None)
        if self.code is not None:
            for st in self.services.programmes.strands(self.code):
                self.strand.addItem(f"{st.code} · {st.name}" if st.name else st.code, st.code)
        self.strand.setCurrentIndex(0)
        self.strand.blockSignals(False)

    def current_strand(self) -> str | None:
        data = self.strand.currentData()
        return str(data) if data is not None else None

    def set_strand(self, strand: str | None) -> None:
        self.strand.setCurrentIndex(max(self.strand.findData(strand), 0))

    def _quarters(self) -> list[str]:
        if self.code is None:
            return []
        quarters = set(self.services.observations.quarters(self.code))
        quarters |= set(self.services.flag_register.quarters(self.code))
        return sorted(quarters, reverse=True)

    def _fill_quarters(self, latest: bool = False) -> None:
        chosen = None if latest else self.quarter.currentData()
        self.quarter.blockSignals(True)
        self.quarter.clear()
        for q in self._quarters():
            self.quarter.addItem(q, q)
        self.quarter.setCurrentIndex(max(self.quarter.findData(chosen), 0))
        self.quarter.blockSignals(False)

    def current_quarter(self) -> str | None:
        data = self.quarter.currentData()
        return str(data) if data is not None else None

    def set_quarter(self, quarter: str) -> None:
        self.quarter.setCurrentIndex(max(self.quarter.findData(quarter), 0))

    def reload(self, *_args: Any) -> None:
        quarter = self.current_quarter()
        try:
            rows = ([] if self.code is None or quarter is None else
                    self.services.checklists.checklist(self.code, quarter,
                                                       strand=self.current_strand()))
        except DomainError as exc:
            self._say(str(exc), problem=True)
            rows = []
        self.model.set_rows(rows)
        self.view.resizeColumnToContents(COL_ITEM)
        for column, width in ((COL_ANSWER, 125), (COL_COMMENT, 140), (COL_EVIDENCE, 100),
                              (COL_RISK, 100)):
            self.view.setColumnWidth(column, width)
        if self.code is not None and quarter is None:
            self._say(f"{self.code} has no quarter yet: load observations first.")
        answered = sum(1 for r in rows if r.answer is not None)
        missing = sum(1 for r in rows if lacks_evidence(r))
        self.completeness.setText(
            f"{answered} of {len(rows)} answered" + (
                f" · <span style='color:{MISSING_COLOUR}'>{missing} lack evidence</span>"
                if missing else "") if rows else "")
        self.completeness.setToolTip("Every checklist item asks for the evidence behind its "
                                     "answer: a document, minutes or a visit note.")
        self._show_help()

    def _say(self, text: str, *, problem: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b3261e;" if problem else "")

    def current_row(self) -> Answer | None:
        idx = self.view.currentIndex()
        if not idx.isValid():
            return None
        return self.model.rows[self.proxy.mapToSource(idx).row()]

    def cell(self, item_code: str, column: int) -> QModelIndex:
        """The view index of an item's cell (for keyboard moves and tests)."""
        row = self.model.row_of(item_code)
        if row is None:
            return QModelIndex()
        return self.proxy.mapFromSource(self.model.index(row, column))

    def _show_help(self, *_args: Any) -> None:
        row = self.current_row()
        if row is None:
            self.help.setText("Pick a question to see what it asks and why.")
            return
        item, e = row, html.escape
        parts = [f"<b>{e(item.code)}</b> {e(item.question)}"]
        if item.help:
            parts.append(f"<br>{e(item.help)}")
        parts.append(f"<br><i>Answering {e(item.risk_answer)} raises a "
                     f"{e(item.severity_if_risk)} judgement flag.")
        if item.evidence_required:
            parts.append(" Evidence is required.")
        if item.citations:
            parts.append(f" Sources: {e(', '.join(item.citations))}.")
        parts.append("</i>")
        if row.respondent:
            parts.append(f"<br>Answered by {e(row.respondent)}.")
        self.help.setText("".join(parts))

    # ------------------------------------------------------------------------------ edits

    def _edit(self, row: Answer, field: str, value: Any) -> bool:
        quarter = self.current_quarter()
        if self.code is None or quarter is None:
            return False
        item = row
        old = (row.answer, row.comment, row.evidence)
        text_value = "" if value is None else str(value).strip()
        answer, comment, evidence = old
        if field == ANSWER:
            answer = text_value or None
        elif row.answer is None:
            self._say(f"{item.code}: choose an answer first, then add the {field}.",
                      problem=True)
            return False
        elif field == COMMENT:
            comment = text_value or None
        else:
            evidence = text_value or None
        if (answer, comment, evidence) == (old[0], old[1] or None, old[2] or None):
            return False  # the editor closed on the stored value: nothing to undo
        risks, code, item_code = self.services.checklists, self.code, item.code
        strand = self.current_strand()
        where = f"{quarter}, {strand}" if strand else quarter
        if answer is None:
            comment = evidence = None  # removing the answer removes what went with it
        label = (f"answer {item_code} ({where}) {answer}" if field == ANSWER and answer else
                 f"remove the answer to {item_code} ({where})" if answer is None else
                 f"set the {field} of {item_code} ({where})")
        try:
            apply_edit(self.undo_stack, label,
                       lambda: risks.answer(code, quarter, item_code, answer, comment=comment,
                                            evidence=evidence, strand=strand),
                       lambda: risks.answer(code, quarter, item_code, old[0], comment=old[1],
                                            evidence=old[2], strand=strand),
                       after=lambda: self._after_edit(quarter, item_code, strand))
        except DomainError as exc:
            self._say(f"{item_code}: {exc}", problem=True)
            return False
        severity = raised_severity(self.model.rows[self.model.row_of(item_code) or 0])
        self._say(f"Saved: {label}." + (f" It raises a {severity} judgement flag."
                                        if severity else ""))
        return True

    def _after_edit(self, quarter: str, item_code: str, strand: str | None = None) -> None:
        if self.current_strand() != strand:
            self.set_strand(strand)  # undo shows the strand and quarter it changes
        if self.current_quarter() != quarter:
            self.set_quarter(quarter)
        self.reload()
        idx = self.cell(item_code, COL_ANSWER)
        if idx.isValid():
            self.view.setCurrentIndex(idx)
        self.changed.emit()
